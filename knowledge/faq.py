"""Sourced answers to common OCOP questions, and a reader that finds what a question asks.

A question is read in four steps (`read_question`):
1. its words are folded (no diacritics, lower case), chat abbreviations expanded ("ko", "sp",
   "đc"), misspelt words corrected to the nearest topic word ("tiu chí" → "tieu chi") and
   slips of the finger put right by the word beside them ("chuan bj" → "chuan bi", "3 sau" →
   "3 sao", `knowledge.slips`);
2. its intent is found from question words (who / when / how much / how long / where / how /
   what), in Vietnamese with or without diacritics and in English;
3. its topic words ("concepts" in the data file: "thu hồi"/"revoke", "hồ sơ"/"dossier"…) are
   found, longest phrase first, so "hồ sơ bị loại" is about rejection and "đăng ký kinh doanh"
   is not about registering for OCOP;
4. each entry whose topic sets are met is scored by the weight of the topic words it explains,
   plus one when it answers that intent; below `_THRESHOLD` nothing is answered. Everyday topic
   words ("hồ sơ", "phí") answer alone only when the question holds nothing else but question
   words ("hồ sơ gồm những gì", "có mất phí không"; not "hồ sơ xin việc gồm những gì").
A question about the producer's own product ("sản phẩm của tôi được mấy sao", "4 sao cần gì")
is read as such (`own_product`): its answer is the self-assessment, not an FAQ entry.
The reading also tells whether the question is about the programme (`programme`: "mấy sao",
"lệ phí"), names kinds of places (`places`: "làng nghề", "OCOP shop") or another administrative
procedure (`admin`: "giấy phép an toàn thực phẩm"), and what is left of it
once the programme's words are taken out (`rest`: "Bát Tràng mấy sao" → "bat trang"), so the
bot routes it to the FAQ or to the place search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

from rapidfuzz import fuzz, process

from knowledge.certificates import parse_date, schedule
from knowledge.criteria.named import NamedCriterion, criterion_named
from knowledge.faq_checks import check
from knowledge.faq_entries import FaqEntry, FaqMatch, data, entries
from knowledge.faq_words import (
    ABBREVIATIONS,
    COMMON_WORDS,
    INTENT_CUES,
    INTENTS,
    PRICE_WORDS,
    QUESTION_WORDS,
    SIGHT_WORDS,
    asks_lead_time,
    asks_price,
    asks_statistics,
    asks_threshold,
    at_an_event,
    before_26,
    date_is,
    let_pass,
    maker,
    month_named,
    own_product,
    own_thing,
    score_had,
    stated_score,
    unregistered,
)
from knowledge.slips import context_fix, pair_key
from knowledge.text import fold

__all__ = [
    "FaqEntry",
    "FaqMatch",
    "Reading",
    "check",
    "entries",
    "find_answer",
    "frame_words",
    "read_question",
]

_SCORED = frozenset({"star", "rank", "low_star", "upgrade", "recognise", "evaluate", "ocop"})
"""Topic words that make points stated in a question an OCOP score."""
_RETRY = frozenset({"reeval", "apply", "again"})
"""Topic words of applying again, which with "không đạt" ask whether a product may retry."""
_RENEWAL = frozenset({"reeval", "renew"})
"""Topic words of re-evaluation, whose deadline is its own window (Điều 7.6.a; late: Điều
12.3), never the evaluation rounds' (Điều 5)."""
_SENT = frozenset({"evaluate", "submit", "forward", "dossier", "round"})
"""Topic words that, with a month named, ask which evaluation round a dossier is in (Điều 5.1)."""
_NEXT = frozenset({"procedure", "recognise", "authority", "certificate"})
_NEXT_ASKED = frozenset({"who", "how", "when", "where"})
_AUTOMATIC = re.compile(r"\b(?:tu (?:thanh|dong|len|duoc)|luon|automatic(?:ally)?|straight)\b")
"""With 90 points or more stated, what happens next or who decides ("92 điểm ở tỉnh thì có
tự thành 5 sao không", "who awards it", "automatically"): the province proposes it to the
Ministry (Điều 7.3.e, 4.1.b), which a star band alone would read as a yes."""
_WHEN = frozenset({"round", "deadline", "calendar"})
"""Topic words of when evaluations are held: of 5 stars, the Ministry's rounds (Điều 5.2)."""
_ISSUED = frozenset({"certificate", "recognise"})
"""Topic words of a certificate issued, which another procedure named beside them makes that
office's ("cấp giấy chứng nhận vsattp ở đâu, lệ phí bao nhiêu"), not OCOP's."""
_NAMED = frozenset({"ocop", "ocop_product", "ocop_expand"})
"""Topic words that only name the programme: an entry met by them alone ("OCOP là gì") yields
to one that explains what else the question asks ("hồ sơ sản phẩm OCOP gồm những gì")."""
_BEFORE_EXPIRY = re.compile(r"\btruoc\b.*\bbao lau\b|\bbao lau\b.*\btruoc\b")
"""With a re-evaluation or an expiry, how long "before" ("nộp trước hạn bao lâu", "trước khi hết
hạn bao lâu"): when to file (Điều 7.6.a), not how long the step takes."""
_STARS_NAMED = re.compile(r"\b([1-5]) (?:sao|stars?)\b")
_CLIMB = frozenset({"apply", "procedure", "dossier", "form", "submit"})
"""Topic words of applying, which with a star held and a higher one named ("has 3 stars now, how
do we apply for 4 stars") ask the upgrade (Điều 7.5), not a first registration."""
_PERSONAL = frozenset({"contact_info"})
"""A person's phone, e-mail or Zalo asked: the FAQ holds none, so it declines (and offers an
officer) rather than answer with the councils' make-up."""
_THRESHOLD = 2.0
"""Least score of a confident answer: one specific topic word, or two general ones."""
_INTENT_BONUS = 1.0
_PHRASING_CUTOFF = 90.0
"""A question typed (almost) as an entry's phrasing is answered even without topic words."""


@dataclass(frozen=True, slots=True)
class Reading:
    """What a typed question asks, as far as the FAQ can tell."""

    intents: frozenset[str]
    concepts: frozenset[str]
    own_product: bool
    """The question is about the producer's own product: answer with the self-assessment."""
    matches: list[FaqMatch] = field(default_factory=list)
    """Confident answers, best first (empty below the threshold)."""
    on_topic: bool = False
    """It uses words of the FAQ's topics: decline politely rather than "not understood"."""
    programme: frozenset[str] = frozenset()
    """Topic words about the programme itself ("sao", "hồ sơ", "thu hồi"): not kinds of places
    nor administrative units ("xã", "tỉnh"), not "OCOP" alone."""
    places: frozenset[str] = frozenset()
    """Topic words that name kinds of places ("làng nghề", "du lịch", "cửa hàng")."""
    anchored: bool = False
    """A programme word that is no everyday word ("thu hồi", "QĐ 148", "sao", not "phí")."""
    rest: str = ""
    """The question's folded words without the programme's phrases, for the place search."""
    maker: bool = False
    """It speaks of the user's own work ("tôi làm du lịch cộng đồng", "we run a homestay")."""
    admin: bool = False
    """It names another administrative procedure ("giấy phép", "an toàn thực phẩm", "đăng ký
    kinh doanh"): a question for an office, never for the place search."""
    score: float | None = None
    """The points the question says a product scored ("sp e được 68 điểm thì mấy sao"): the
    star bands answer it, not the self-assessment."""
    words: tuple[str, ...] = ()
    """The question's words as read (folded, shorthand expanded, slips put right): what a
    first reply looks for in the full answer (`knowledge.faq_parts`)."""
    threshold: bool = False
    """It asks how many points a named star needs ("em cần bao nhiêu điểm thì được 4 sao"),
    even of the producer's own product: the star bands answer it."""
    text: str = ""
    """The question as typed: what names a product's set ("chè Shan tuyết" before "shan" is
    corrected to a topic word)."""
    criterion: NamedCriterion | None = None
    """The criterion named with its points asked ("sở hữu trí tuệ tính bao nhiêu điểm")."""
    month: int | None = None
    """The month a dossier is sent in ("hồ sơ xã gửi lên tháng 11"): its round answers it."""
    unregistered: bool = False
    """It says the producer has no business registration ("chưa có đăng ký kinh doanh"): who
    may join (Điều 2.3) answers no."""
    expiry: date | None = None
    """The day a certificate the question dates expires ("hết hạn 15/6/2027", or 36 months
    after "cấp ngày 15/3/2024", Điều 4.3): its re-evaluation window answers it."""
    price: bool = False
    """It asks what a product or a service costs ("nước mắm OCOP bán bao nhiêu tiền", "how
    much is OCOP honey"), not the programme's fees nor a procedure: the bot has no prices."""

    @property
    def verdict(self) -> str:
        """`self_assessment`, the best entry's id, or `decline`."""
        if self.own_product:
            return "self_assessment"
        return self.matches[0].entry.id if self.matches else "decline"


@cache
def _concepts() -> tuple[dict[tuple[str, ...], str], dict[str, float], int]:
    """Phrase (as words) → concept, concept → weight, and the longest phrase's length."""
    phrases: dict[tuple[str, ...], str] = {}
    weights: dict[str, float] = {}
    for name, concept in data()["concepts"].items():
        weights[name] = float(concept["weight"])
        for phrase in concept["phrases"]:
            phrases[tuple(phrase.split())] = name
    return phrases, weights, max(len(p) for p in phrases if p)


@cache
def _generic() -> frozenset[str]:
    """Concepts that are everyday words and need another topic word beside them."""
    return frozenset(n for n, c in data()["concepts"].items() if c.get("generic"))


@cache
def _flagged(flag: str) -> frozenset[str]:
    """Concepts marked `place` (kinds of places: "làng nghề", "cửa hàng"), `area`
    (administrative units: "xã", "tỉnh") or `admin` (other procedures: "giấy phép")."""
    return frozenset(n for n, c in data()["concepts"].items() if c.get(flag))


_OCOP_SCORED = frozenset(
    {"star", "low_star", "five_star", "ocop", "ocop_product", "criteria_set", "criterion_named"}
)
"""Concepts that make a question of points an OCOP score's ("how many points for 4 stars")."""
_STARS_HAD = re.compile(
    r"\b(?:got|get|has|have|received|duoc|dat|bi|chi)\b(?: \w+)? [12] (?:sao|stars?)\b"
)
"""A rating already had ("my product got 2 stars", "sản phẩm chỉ được 2 sao"): the rules for it
answer, not the self-assessment."""
_REQUIRED_FOR = re.compile(
    r"\b(?:required|needed|necessary|compulsory|obligatory|a must)\b(?: \w+){0,3}"
    r" \d (?:stars?|sao)\b"
    r"|\b(?:is|are)\b(?: \w+){1,4} (?:required|compulsory|obligatory)\b"
)
"""Whether something is required for a star, asked in English ("is QR traceability required
for 3 stars"): the starred minimums of the sheets answer ("bắt buộc" is their own word)."""
_PAPERS = frozenset({"dossier", "form", "evidence", "documents"})
"""Concepts of the dossier's papers, whose "required" is the dossier's question."""
_POINTS_ASKED = frozenset({"band", "points", "rank"})
"""Concepts of points or a rank asked, which the star bands answer unless something else is
what the points are of (`_names_another`)."""
_THINGS = frozenset({"product_kind"})
"""Concepts that name the thing asked about ("mật ong", "fish sauce"), not a topic: only "may
it join OCOP" makes them the FAQ's; "mật ong ở đâu" is a place, "… bao nhiêu tiền" a price."""
_NOT_PROGRAMME = _THINGS | {
    "why_how",
    "business_registration",
    "permit",
    "ocop",
    "ocop_product",
    "date_before_26",
    "guide",
    "software",
    "council",
}
"""Concepts that alone do not make a question about the programme ("OCOP Hà Giang" is a place
question, "đăng ký kinh doanh" another procedure, "năm 2024" a date, "mật ong" a product, "hướng
dẫn", "online", "hội đồng" everyday words)."""


@cache
def frame_words() -> frozenset[str]:
    """Words that only frame a question: everyday words, question words and their cues."""
    cues = {w for pattern in INTENTS.values() for w in re.findall(r"[a-z]+", pattern.pattern)}
    return frozenset(COMMON_WORDS.split()) | frozenset(QUESTION_WORDS.split()) | cues


@cache
def _vocabulary() -> tuple[frozenset[str], tuple[str, ...]]:
    """Words left as typed, and the topic words a misspelt word may be corrected to."""
    topic_words = {w for phrase in _concepts()[0] for w in phrase}
    known = set(topic_words) | set(ABBREVIATIONS.values()) | set(COMMON_WORDS.split())
    known |= set(SIGHT_WORDS.split())
    for entry in entries():
        texts = (
            *entry.questions,
            entry.title_vi,
            entry.title_en,
            entry.answer_vi,
            entry.answer_en,
            entry.note_vi,
            entry.note_en,
        )
        for text in texts:
            known.update(fold(text).split())
    # Real words and place names of the bundled places file ("ngan" is a word, not "nganh").
    known.update(
        fold(resources.files("knowledge").joinpath("data/places.csv").read_text("utf-8")).split()
    )
    known.update(w for pattern in INTENTS.values() for w in re.findall(r"[a-z]+", pattern.pattern))
    return frozenset(known), tuple(sorted(w for w in topic_words if len(w) >= 3))


_CORRECTED = 85.0
"""How alike (rapidfuzz ratio) a misspelt word must be to a topic word to be corrected to it."""


def _ratio_at_most(one: int, other: int, *, differ: bool = False) -> float:
    """The highest rapidfuzz ratio two texts of these lengths can have, ratio = 100 × (1 -
    Indel distance / total length): the difference in length must be inserted or deleted,
    and two texts that `differ` in as many letters need a letter deleted and one inserted
    (the distance and the difference in length are both even or both odd)."""
    apart = abs(one - other) or (2 if differ else 0)
    return 100 * (1 - apart / (one + other)) if one + other else 100.0


@cache
def _targets(length: int, first: str) -> tuple[str, ...]:
    """The topic words a misspelt word of `length` letters starting with `first` may be
    corrected to, in their order: those of another first letter (a slip seldom strikes the
    first letter, and a real word differs there: "around", "ground" are no "round"), and those
    whose length alone keeps them from `_CORRECTED` (with a margin) are left out. A misspelt
    word is no topic word (all are known)."""
    return tuple(
        word
        for word in _vocabulary()[1]
        if word[0] == first and _ratio_at_most(len(word), length, differ=True) >= _CORRECTED - 1
    )


@cache
def _pairs() -> frozenset[tuple[str, str]]:
    """The word pairs of the topic phrases and of the question cues ("ho so", "chuan bi",
    "3 sao" as "# sao"): what a slip beside one of their words is put right by."""
    phrases = [list(p) for p in _concepts()[0]]
    phrases += [
        cue.split()
        for cues in INTENT_CUES.values()
        for cue in cues
        if re.fullmatch(r"[a-z]+(?: [a-z]+)+", cue)
    ]
    return frozenset(
        (pair_key(one), pair_key(other)) for words in phrases for one, other in pairwise(words)
    )


def _words(text: str) -> list[str]:
    """Folded words with shorthand expanded, misspellings of topic words corrected, and slips
    of the finger put right where the word beside them tells ("chuan bj" → "chuan bi", "3 sau"
    → "3 sao"; `knowledge.slips`): an unknown word of two letters or more, a known one of
    three or more (a real word typed for another, one letter struck), never a number,
    shorthand or a word that frames questions ("thì", "là")."""
    known, frame = _vocabulary()[0], frame_words()
    words: list[str] = []
    unknown: list[bool | None] = []  # None: never put right by its neighbours
    for word in fold(text).split():
        if word in ABBREVIATIONS:
            expanded = ABBREVIATIONS[word].split()
            words.extend(expanded)
            unknown.extend(None for _ in expanded)
            continue
        new = word not in known
        if new and len(word) >= 3 and not word.isdigit():
            best = process.extractOne(
                word, _targets(len(word), word[0]), scorer=fuzz.ratio, score_cutoff=_CORRECTED
            )
            if best is not None:
                word, new = best[0], False
        words.append(word)
        fixable = len(word) >= (2 if new else 3) and not word.isdigit()
        unknown.append(new if fixable and (new or word not in frame) else None)
    return context_fix(words, _pairs(), unknown)


@cache
def _longest_from() -> dict[str, int]:
    """First word of a topic phrase → length of the longest phrase it starts."""
    longest: dict[str, int] = {}
    for phrase in _concepts()[0]:
        if phrase:
            longest[phrase[0]] = max(longest.get(phrase[0], 0), len(phrase))
    return longest


def _find_concepts(words: list[str]) -> tuple[set[str], dict[int, str]]:
    """Concepts named in `words`, taking the longest phrase at each position, with those they
    imply ("sản phẩm OCOP" also names OCOP); and the concept of each word a phrase covers."""
    phrases = _concepts()[0]
    longest_from = _longest_from()
    found: set[str] = {"date_before_26"} if before_26(words) else set()
    covered: dict[int, str] = {}
    i = 0
    while i < len(words):
        longest = longest_from.get(words[i], 0)  # 0: no phrase starts with this word
        for size in range(min(longest, len(words) - i), 0, -1):
            name = phrases.get(tuple(words[i : i + size]))
            if name is not None:
                found.add(name)
                covered.update((k, name) for k in range(i, i + size))
                i += size
                break
        else:
            i += 1
    implied = data()["concepts"]
    found |= {i for name in found for i in implied.get(name, {}).get("implies", [])}
    return found, covered


@dataclass(frozen=True, slots=True)
class _Pool:
    """The entries for one audience, with what reading a question needs of them."""

    entries: tuple[FaqEntry, ...]
    concepts: frozenset[str]
    """Topic words of all the entries."""
    having: dict[str, list[int]]
    """Topic word → positions of the entries having it in a topic set."""
    explains: tuple[frozenset[str], ...]
    """Each entry's topic words, all its topic sets together."""
    always: frozenset[int]
    """Positions of the entries with an empty topic set (met by any question)."""
    phrasings: tuple[str, ...]
    """Every entry's phrasings, folded…"""
    phrased: tuple[FaqEntry, ...]
    """…and the entry of each."""


@lru_cache(maxsize=8)  # an audience: tourist, producer, or None for all
def _pool(audience: str | None) -> _Pool:
    pool = tuple(e for e in entries() if e.serves(audience))
    choices = [(fold(q), e) for e in pool for q in e.questions]
    having: dict[str, list[int]] = {}
    explains = tuple(frozenset().union(*entry.topics) for entry in pool)
    for i, words in enumerate(explains):
        for word in words:
            having.setdefault(word, []).append(i)
    return _Pool(
        entries=pool,
        having=having,
        explains=explains,
        always=frozenset(i for i, e in enumerate(pool) if not all(e.topics)),
        concepts=frozenset().union(*(set().union(*e.topics) for e in pool)),
        phrasings=tuple(c for c, _ in choices),
        phrased=tuple(e for _, e in choices),
    )


@lru_cache(maxsize=1024)  # an audience and a length of question
def _phrasings(audience: str | None, length: int) -> tuple[tuple[str, ...], tuple[FaqEntry, ...]]:
    """The audience's phrasings a question of `length` characters may be typed almost as, and
    the entry of each, in their order: those whose length alone keeps them from
    `_PHRASING_CUTOFF` are left out (with a margin), so fewer are compared."""
    pool = _pool(audience)
    near = [
        i
        for i, phrasing in enumerate(pool.phrasings)
        if _ratio_at_most(len(phrasing), length) >= _PHRASING_CUTOFF - 1
    ]
    return tuple(pool.phrasings[i] for i in near), tuple(pool.phrased[i] for i in near)


def _phrasing_matches(key: str, audience: str | None) -> list[FaqMatch]:
    """Entries with a phrasing typed almost verbatim (the old fuzzy matcher, kept strict)."""
    phrasings, phrased = _phrasings(audience, len(key))
    if not phrasings:
        return []
    found = process.extract(
        key, phrasings, scorer=fuzz.ratio, score_cutoff=_PHRASING_CUTOFF, limit=3
    )
    best: dict[str, FaqMatch] = {}
    for _, score, index in found:
        entry = phrased[index]
        if entry.id not in best:
            best[entry.id] = FaqMatch(entry=entry, score=_THRESHOLD + score / 100)
    return list(best.values())


def _expiry(text: str, joined: str) -> date | None:
    """The expiry day of the certificate the question dates (`Reading.expiry`)."""
    day, of = parse_date(text), date_is(joined)
    if day is None or of is None:
        return None
    return day if of == "expiry" else schedule(day).expiry


def _climbs(joined: str) -> bool:
    """Whether the question names a star level and, after it, a higher one ("3 sao … 4 sao")."""
    levels = [int(n) for n in _STARS_NAMED.findall(joined)]
    return any(a < b for i, a in enumerate(levels) for b in levels[i + 1 :])


def _names_another(words: list[str], concepts: set[str]) -> bool:
    """Whether a question of points names what no OCOP score is of: another procedure
    ("points for my driving licence") or a thing the FAQ's words do not know ("a football
    goal", "an IELTS exam"), with no star or OCOP named."""
    if concepts & _OCOP_SCORED:
        return False
    if concepts & _flagged("admin"):
        return True
    known, frame = _vocabulary()[0], frame_words()
    return any(len(w) >= 4 and w not in known and w not in frame for w in words)


def read_question(text: str, *, audience: str | None = None, limit: int = 3) -> Reading:
    """Read a typed question: its intents, topic words, whether it is about the producer's own
    product, and the entries (for `audience`, or all) that answer it confidently, best first."""
    words = _words(text)
    joined = " ".join(words)
    intents = frozenset(name for name, cue in INTENTS.items() if cue.search(joined))
    if asks_lead_time(joined):  # "nộp trước bao nhiêu ngày": when to act, not how long it takes
        intents = intents - {"how_long"} | {"when"}
    concepts, covered = _find_concepts(words)
    if let_pass(joined) and concepts & {"certificate", "expire", "expiring", *_RENEWAL}:
        concepts.add("reeval")  # "hết hạn rồi", "missed the deadline": filed late, Điều 12.3
    if concepts & _RENEWAL:  # "deadline for re-evaluation": its window, not the rounds'
        concepts.discard("deadline")
    if concepts & {*_RENEWAL, "expire", "expiring"} and _BEFORE_EXPIRY.search(joined):
        intents = intents - {"how_long"} | {"when"}
    if concepts & _CLIMB and _climbs(joined):
        concepts.add("upgrade")
    criterion = None
    if concepts & {"points", "band"} or "how_much" in intents:  # "sở hữu trí tuệ tính bao
        # nhiêu điểm", "how many points for local labour"; another office's procedure ("giấy
        # chứng nhận an toàn thực phẩm") is named whole or not at all: its words are no
        # criterion's
        criterion = criterion_named(joined, by_words=not concepts & _flagged("admin"))
        if criterion is not None:
            concepts.add("criterion_named")
            if "band" in concepts:  # the points asked are that criterion's, not a star's band
                concepts.discard("band")
                concepts.add("points")
    month = month_named(joined)
    if month is not None and not concepts & {*_RENEWAL, "expire", "expiring"}:
        if "when" in intents or concepts & _SENT:  # "hồ sơ gửi tháng 11 bao giờ chấm"
            concepts.add("round")
        else:
            month = None
    if (
        "five_star" in concepts
        and not concepts & {*_RENEWAL, "expire", "expiring"}
        and ("when" in intents or concepts & _WHEN)
    ):
        concepts.add("central_round")  # "bộ chấm 5 sao đợt nào": the Ministry's, Điều 5.2
    expiry = _expiry(text, joined) if concepts & {*_RENEWAL, "expire", "expiring"} else None
    points = stated_score(joined)
    if points is not None and (
        concepts & (_SCORED | {"procedure"}) or own_thing(joined) or score_had(joined)
    ):
        concepts.add("band")  # points stated with stars or a product: which band they are
        if points >= 90 and (
            intents & _NEXT_ASKED or concepts & _NEXT or _AUTOMATIC.search(joined)
        ):
            concepts.add("central_candidate")  # 90+ at the province: the Ministry's, Điều 7.3.e
    else:
        points = None  # "8 điểm IELTS", "điểm thi đại học": no OCOP score
    threshold = asks_threshold(joined)
    if threshold:  # "em cần bao nhiêu điểm thì được 4 sao": the bands, not "điểm mới" (new)
        concepts.add("band")
    if "star" in concepts and _REQUIRED_FOR.search(joined) and not concepts & _PAPERS:
        concepts.add("mandatory")  # "is QR traceability required for 3 stars": the minimums
    if concepts & _POINTS_ASKED and points is None and _names_another(words, concepts):
        concepts -= _POINTS_ASKED  # "how many points is a football goal worth": not a star's
    # A result already had ("được 68 điểm", "bị trượt … nộp lại", "được 3 sao năm 2023") or
    # the points a star needs asked: the rules answer, not the self-assessment.
    settled = (
        threshold
        or points is not None
        or ("not_reached" in concepts and bool(concepts & _RETRY))
        or {"date_before_26", "star"} <= concepts
        or ("low_star" in concepts and bool(_STARS_HAD.search(joined)))
    )
    present = concepts | {f"@{i}" for i in intents}
    _, weights, _ = _concepts()
    generic = _generic()
    other = _flagged("admin")  # "giấy tờ cần chuẩn bị" is the dossier; "… for a visa" is not
    if "apply" in concepts:  # "chưa có đăng ký kinh doanh có tham gia được không": Điều 2.3
        other -= {"registered"}
    topical = concepts - {"why_how"} - other
    if concepts & other:  # "giấy chứng nhận an toàn thực phẩm": that office's certificate
        topical -= _ISSUED
    anchored = bool(topical - generic)
    frame = frame_words()
    only_topic = bool(covered) and all(
        covered.get(i, "") not in other if i in covered else w in frame
        for i, w in enumerate(words)
    )
    pool = _pool(audience)
    scored: list[FaqMatch] = []
    named_only: set[str] = set()  # entries met only by the programme's name
    metable = pool.always.union(*(pool.having.get(word, ()) for word in present))
    for i in sorted(metable):  # only the entries a topic set may be met of
        entry = pool.entries[i]
        met = [t for t in entry.topics if t <= present]
        # Everyday words ("lịch", "phí", "hồ sơ") alone are not about OCOP: a topic set needs
        # two topic words, or some non-everyday topic word elsewhere in the question, or two
        # everyday ones asked the way this entry answers ("xã xem hồ sơ bao lâu"), or nothing
        # else in the question but question words ("hồ sơ gồm những gì", "có mất phí không").
        if not met or not (
            anchored
            or only_topic
            or any(
                len({c for c in t if c[0] != "@"}) >= 2
                or (len(topical) >= 2 and intents & entry.intents)
                for t in met
            )
        ):
            continue
        explained = pool.explains[i] & present
        score = sum(weights.get(name, 1.0) for name in explained)
        score += _INTENT_BONUS if intents & entry.intents else 0.0
        if score >= _THRESHOLD:
            scored.append(FaqMatch(entry=entry, score=score))
            if {c for c in explained if c[0] != "@"} <= _NAMED:
                named_only.add(entry.id)
    if any(m.entry.id not in named_only for m in scored):
        scored = [m for m in scored if m.entry.id not in named_only]
    if concepts & other and not anchored or asks_statistics(joined) or concepts & _PERSONAL:
        # "thủ tục tự công bố … nộp ở đâu": another office's dossier, not OCOP's; "tỉnh nào
        # chấm OCOP nhiều nhất": figures, which the decision and the FAQ do not hold
        scored = []
    elif not scored and joined:
        scored = _phrasing_matches(joined, audience)
    scored.sort(key=lambda m: m.score, reverse=True)
    places = _flagged("place")
    programme = frozenset(concepts - places - _flagged("area") - _NOT_PROGRAMME)
    priced = "ocop_product" in concepts or any(  # a thing named besides the question's words
        covered.get(i, "product_kind") in _THINGS
        and w not in frame
        and w not in PRICE_WORDS
        and not w.isdigit()
        for i, w in enumerate(words)
    )
    return Reading(
        intents=intents,
        concepts=frozenset(concepts),
        own_product=audience != "tourist"
        and not settled
        and not unregistered(joined)
        and own_product(joined, concepts),
        matches=scored[: max(limit, 0)],
        on_topic=bool(
            concepts & pool.concepts - {"why_how"} - other - _THINGS or "ocop" in concepts
        ),
        programme=programme,
        places=frozenset(concepts & places),
        anchored=bool(programme - generic),
        rest=" ".join(w for i, w in enumerate(words) if covered.get(i) not in programme),
        maker=maker(joined),
        admin=bool(concepts & other),
        score=points,
        words=tuple(words),
        threshold=threshold,
        text=text,
        criterion=criterion,
        month=month,
        expiry=expiry,
        unregistered=unregistered(joined),
        price=asks_price(joined)
        and (at_an_event(joined) or (priced and not programme - {"cost"})),
    )


def find_answer(text: str, *, audience: str | None = None, limit: int = 3) -> list[FaqMatch]:
    """Entries that answer `text` confidently, best first; none below the threshold.

    With `audience`, only entries for that audience or for `all` are kept. The single entry
    point for callers that only want an answer ("what is OCOP" for visitors); `read_question`
    also tells whether the question is about the producer's own product.
    """
    if limit <= 0:
        return []
    return read_question(text, audience=audience, limit=limit).matches
