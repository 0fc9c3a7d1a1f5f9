"""A narrower question gets the part of the full answer it asks about after the short answer
(the late filing rule, the new bilingual labelling, the periodic lab tests), and only then."""

from __future__ import annotations

import pytest

from knowledge.faq import entries, read_question
from knowledge.faq_parts import asked_part, first_reply
from knowledge.text import fold

BY_ID = {e.id: e for e in entries()}


@pytest.mark.parametrize(
    ("typed", "locale", "entry", "fact"),
    [
        ("nop ho so danh gia lai tre thi sao", "vi", "rerecognition", "Điều 12.3"),
        ("what if I file the re-evaluation late", "en", "rerecognition", "Art. 12.3"),
        ("I missed the deadline for re-evaluation", "en", "rerecognition", "Art. 12.3"),
        ("we missed the re-evaluation deadline", "en", "rerecognition", "Art. 12.3"),
        # Already expired (was its validity: file 180–120 days before expiry, too late now).
        ("gcn cua htx da het han 2 thang", "vi", "rerecognition", "Điều 12.3"),
        ("my certificate expired last month", "en", "rerecognition", "Art. 12.3"),
        ("nhan san pham co phai song ngu khong", "vi", "changes_2026", "song ngữ"),
        ("does the 2026 rule require bilingual labels", "en", "changes_2026", "bilingual"),
        ("bo tieu chi moi con tieu chi ke toan khong", "vi", "changes_2026", "kế toán"),
        ("does the re-evaluation dossier need periodic lab tests", "en", "rerecognition", "lab"),
        # How long asked, the short answer states no time: the part that does (Điều 8.4).
        ("thu hoi giay chung nhan mat bao nhieu ngay", "vi", "revocation", "15 ngày"),
        ("how many days does a revocation take", "en", "revocation", "15 days"),
    ],
)
def test_the_fact_a_narrower_question_asks_follows_the_short_answer(
    typed: str, locale: str, entry: str, fact: str
) -> None:
    reading = read_question(typed, audience="producer")
    assert reading.verdict == entry
    found = BY_ID[entry]
    assert fact not in found.short(locale)  # the short answer alone dropped it
    reply = first_reply(found, reading.words, locale)
    assert reply.startswith(found.short(locale)) and fact in reply
    assert reply.removeprefix(found.short(locale)).strip() in found.answer(locale)


@pytest.mark.parametrize(
    ("typed", "locale"),
    [
        ("đánh giá lại thì nộp hồ sơ trước bao nhiêu ngày", "vi"),
        ("how many days before expiry do I file for re-evaluation", "en"),  # "expires"
        ("how do I renew my OCOP certificate", "en"),
        ("hồ sơ đánh giá lại gồm gì", "vi"),
        ("thu hoi trong truong hop nao", "vi"),  # "trường hợp" asks, it names no detail
        ("ai co quyen thu hoi giay chung nhan 5 sao", "vi"),  # "có quyền" asks who
        ("who has the power to revoke a 4 star certificate", "en"),
    ],
)
def test_a_question_the_short_answer_answers_gets_it_alone(typed: str, locale: str) -> None:
    reading = read_question(typed, audience="producer")
    entry = reading.matches[0].entry
    assert asked_part(entry, reading.words, locale) == ""
    assert first_reply(entry, reading.words, locale) == entry.short(locale)


@pytest.mark.parametrize(
    ("typed", "locale"),
    [
        ("nop ho so qua phan mem co duoc khong", "vi"),
        ("can I upload the dossier to the software instead of paper", "en"),
    ],
)
def test_the_part_after_the_short_answer_does_not_repeat_it(typed: str, locale: str) -> None:
    reading = read_question(typed, audience="producer")
    entry = reading.matches[0].entry
    part = asked_part(entry, reading.words, locale)
    assert part  # the software's legal value (Điều 7.1) is the full answer's
    short = fold(entry.short(locale))
    assert not [c for c in part.split("; ") if fold(c).strip(" .") in short]


def test_the_late_filing_rule_is_the_decisions() -> None:
    """QĐ 26/2026/QĐ-TTg, Điều 12.3: filed outside Điều 7.6.a's window, the certificate stays
    valid until the decision on it, at most 180 days past expiry."""
    answer = BY_ID["rerecognition"].answer("vi")
    assert "Điều 12.3" in answer and "không quá 180 ngày kể từ ngày hết hạn" in answer


@pytest.mark.parametrize(
    ("text", "locale", "opens_with"),
    [
        ("is there a post check after certification", "en", "Yes. "),
        ("san pham ocop co bi hau kiem khong", "vi", "Có. "),
        ("san pham 2 sao co duoc cap giay chung nhan ko", "vi", "Không. "),
        ("what happens if I break the rules after getting certified", "en", "Under "),
        ("sau khi cong nhan thi hau kiem nhu the nao", "vi", "Theo "),
    ],
)
def test_a_short_answer_says_yes_or_no_only_to_a_question_that_asks_it(
    text: str, locale: str, opens_with: str
) -> None:
    reading = read_question(text, audience="producer")
    assert reading.matches
    assert first_reply(reading.matches[0].entry, reading.words, locale).startswith(opens_with)
