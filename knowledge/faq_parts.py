"""The part of an FAQ entry's full answer that a narrower question asks about, when its short
answer leaves it out ("nộp đánh giá lại trễ thì sao": the late filing rule, not only the
window; "nhãn có phải song ngữ không": the sheets' new bilingual labelling; "thu hồi trong bao
nhiêu ngày": the time it takes)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from itertools import pairwise

from knowledge.faq import FaqEntry, entries, frame_words
from knowledge.faq_words import COMMON_WORDS, INTENTS, let_pass
from knowledge.text import fold

_BREAK = re.compile(r"\n|(?<=\.)\s+(?=[<•A-ZĐÀ-ÝĂÂÊÔƠƯ])")
"""Between two sentences or bullets ("… (Điều 7.6.g). Trễ hạn …"), not inside "Art. 7.6"."""


@cache
def _parts(answer: str) -> tuple[str, ...]:
    """A full answer's sentences and bullets (split once per answer)."""
    return tuple(p.strip() for p in _BREAK.split(answer) if p.strip())


_DURATION = re.compile(r"\b\d+ (?:ngay|thang|nam|days?|months?|years?)\b")
"""A time stated ("15 ngày", "36 months"), folded."""


def _timed_part(entry: FaqEntry, words: Sequence[str], locale: str) -> str:
    """The first part of the full answer past the opening one that states a time, when the
    question asks how long ("thu hồi trong bao nhiêu ngày") and the short answer states none;
    "" otherwise."""
    if not INTENTS["how_long"].search(" ".join(words)) or _DURATION.search(
        fold(entry.short(locale))
    ):
        return ""
    parts = _parts(entry.answer(locale))[1:]
    return next((p for p in parts if _DURATION.search(fold(p))), "")


_CASE = frozenset({"truong", "hop", "case", "cases", "quyen", "tham"})
"""Words of "in which case" ("trường hợp nào") and of "who has the power" ("ai có (thẩm)
quyền"): they frame the question, they ask no detail."""


@cache
def _frame() -> frozenset[str]:
    return frame_words() | _CASE


@cache
def _asking() -> frozenset[str]:
    """The words that ask ("bao nhiêu", "what", "trường hợp nào"), of all the frame words."""
    return _frame() - frozenset(COMMON_WORDS.split())


def _keys(text: str) -> set[str]:
    """A text's folded words of three letters or more that frame no question, and its pairs
    of words, one of which frames none and the other does not ask ("kiểm nghiệm", "quá hạn",
    "lab tests"; not "có trễ")."""
    frame, asking = _frame(), _asking()
    words = fold(text).split()
    keys = {w for w in words if len(w) >= 3 and not w.isdigit() and w not in frame}
    keys |= {
        f"{one} {other}"
        for one, other in pairwise(words)
        if not {one, other} & asking
        and not {one, other} <= frame
        and not (one.isdigit() or other.isdigit())
    }
    return keys


_RARE = 3
"""A word or pair in the full answers of at most this many entries names a detail ("kiểm
nghiệm", "song ngữ", "trễ"); others ("OCOP", "chứng nhận", "đăng ký") are the FAQ's everyday
words, which the short answer of the entry found already answers."""


@cache
def _own_keys(text: str) -> frozenset[str]:
    """`_keys` of a text of the FAQ's own (a short answer, a part of a full one), read once."""
    return frozenset(_keys(text))


@cache
def _said(short: str) -> frozenset[str]:
    """The words a short answer says, and those that frame a question."""
    return frozenset(fold(short).split()) | _frame()


@cache
def _everyday() -> frozenset[str]:
    """The words and pairs in the full answers of more than `_RARE` entries."""
    seen = Counter(key for e in entries() for key in _keys(f"{e.answer_vi}\n{e.answer_en}"))
    return frozenset(key for key, count in seen.items() if count > _RARE)


def asked_part(entry: FaqEntry, words: Sequence[str], locale: str) -> str:
    """The sentence or bullet of the entry's full answer, past the opening one its short answer
    sums up, holding most of the question's detail words (`words`: read, folded) that the
    short answer lacks; "" when the question asks no such word ("trễ", "song ngữ") or pair of
    words ("kế toán") none of which the short answer has or frames a question, or no part
    holds one. A question asking how long gets the part stating a time first (`_timed_part`)."""
    short = entry.short(locale)
    timed = _timed_part(entry, words, locale)
    if timed:
        return timed
    asked = _keys(" ".join(words)) - _own_keys(short) - _everyday()
    if let_pass(" ".join(words)):  # "lỡ quá hạn": both words are the short answer's too
        asked |= {"tre", "late"} - _own_keys(short)
    said = _said(short)
    if not any(said.isdisjoint(key.split()) for key in asked):
        return ""  # "before expiry" where the short answer says "before … expires"
    best, most = "", 0
    for part in _parts(entry.answer(locale))[1:]:
        found = len(asked & _own_keys(part))
        if found > most:
            best, most = part, found
    return _past_said(best, short)


def _past_said(part: str, short: str) -> str:
    """The part without its leading clauses the short answer says already ("Anh/chị nộp 01 bộ
    giấy…; hồ sơ đưa lên phần mềm…" after a short answer ending "Anh/chị nộp 01 bộ giấy…")."""
    clauses = part.split("; ")
    said = fold(short)
    while len(clauses) > 1 and fold(clauses[0]).strip(" .") in said:
        clauses.pop(0)
    rest = "; ".join(clauses)
    return rest[:1].upper() + rest[1:]


YES_NO_OPENING = re.compile(r"^(?:Yes|No|Có|Không)\. ")
"""A short answer's opening yes or no ("Yes. Under …, certified products get post-checks")."""
_ASKS_YES_NO = re.compile(
    r"^(?:is|are|do|does|did|can|could|will|would|should|may|must|has|have|was|were|co phai)"
    r"\b|\b(?:khong|ko|k|hong|chua|phai khong|duoc khong)(?: (?:a|ha|nhi|vay|nhe|ak))?$"
)
"""A question that asks yes or no: an English auxiliary first, a Vietnamese "… không", "…
chưa", "có phải" (folded)."""


def first_reply(entry: FaqEntry, words: Sequence[str], locale: str) -> str:
    """The short answer, with the part of the full answer a narrower question asks about after
    it (longer than a phone's screen then, rather than without the fact asked); its opening
    yes or no only for a question that asks one ("what happens if I break the rules" is
    answered, not told "Yes")."""
    short = entry.short(locale)
    if words and not _ASKS_YES_NO.search(" ".join(words)):
        short = YES_NO_OPENING.sub("", short, count=1)
    part = asked_part(entry, words, locale)
    return f"{short}\n{part}" if part else short
