"""Sourced answers to common OCOP questions, and a reader that finds what a question asks.

A question is read in four steps (`read_question`):
1. its words are folded (no diacritics, lower case), chat abbreviations expanded ("ko", "sp",
   "đc") and misspelt words corrected to the nearest topic word ("tiu chí" → "tieu chi");
2. its intent is found from question words (who / when / how much / how long / where / how /
   what), in Vietnamese with or without diacritics and in English;
3. its topic words ("concepts" in the data file: "thu hồi"/"revoke", "hồ sơ"/"dossier"…) are
   found, longest phrase first, so "hồ sơ bị loại" is about rejection and "đăng ký kinh doanh"
   is not about registering for OCOP;
4. each entry whose topic sets are met is scored by the weight of the topic words it explains,
   plus one when it answers that intent; below `_THRESHOLD` nothing is answered.
A question about the producer's own product ("sản phẩm của tôi được mấy sao", "4 sao cần gì")
is read as such (`own_product`): its answer is the self-assessment, not an FAQ entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from knowledge.text import fold, nfc

_THRESHOLD = 2.0
"""Least score of a confident answer: one specific topic word, or two general ones."""
_INTENT_BONUS = 1.0
_PHRASING_CUTOFF = 90.0
"""A question typed (almost) as an entry's phrasing is answered even without topic words."""
_MAX_ANSWER = 1000
_URL = ("http://", "https://")
_CONFIDENCE = frozenset({"certain", "secondary"})
_OFFERS = frozenset({"near_me", "assess", "certificate"})
_BAN = re.compile(r"\bbạn\b")
_TAG = re.compile(r"</?([a-zA-Z0-9]+)[^>]*>")

# Chat shorthand, after folding.
_ABBREVIATIONS = {
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "hok": "khong",
    "hem": "khong",
    "dc": "duoc",
    "dk": "dang ky",
    "sp": "san pham",
    "j": "gi",
    "v": "vay",
    "ntn": "nhu the nao",
    "gcn": "giay chung nhan",
    "hs": "ho so",
    "qd": "quyet dinh",
    "bnhieu": "bao nhieu",
    "bn": "bao nhieu",
    "tt": "thu tuc",
}
# Everyday words that are never typos of a topic word ("nha" is not "nhan").
_COMMON_WORDS = (
    "a ah anh ba ban bi bon cai cam chao chi cho chua co con cua da dang day de den di do duoc em"
    " gi giup ha hai hay hoi hom khi khong kia la lam ma mai minh moi mot muon nam nao nay ne nen"
    " nha nhe nho nhung oi ong qua rat roi sao se tai thi the toi tu tui va vay ve voi xem xin"
)
# Question words → intent. Order matters only for reporting: every intent found is kept.
_INTENTS: dict[str, re.Pattern[str]] = {
    name: re.compile(r"\b(?:" + "|".join(cues) + r")\b")
    for name, cues in {
        "who": [r"ai", "who", "whom", "co quan nao", "cap nao", "bo nao", "which authority"],
        "when": [
            "khi nao",
            "bao gio",
            "luc nao",
            "ngay nao",
            "thang nao",
            "when",
            "what date",
            "truoc ngay",
            "han chot",
            "han cuoi",
            "deadline",
        ],
        "how_much": ["bao nhieu tien", "how much", "ton"],
        "how_long": [
            "bao lau",
            "may ngay",
            "bao nhieu ngay",
            "may thang",
            "how long",
            "how many days",
            "may nam",
            "bao nhieu nam",
            "bao nhieu thang",
        ],
        "where": ["o dau", "noi nao", "cho nao", "where", "nop cho"],
        "how": [
            "the nao",
            "lam sao",
            "ra sao",
            "lam gi",
            "how do",
            "how to",
            "how can",
            "thu tuc",
        ],
        "what": [
            r"la(?: \w+){0,2} (?:gi|j)",
            "what is",
            "what are",
            "what does",
            "what do",
            "what exactly",
            "nghia la gi",
            "duoc hieu",
            "thuc chat",
            "gom nhung gi",
            "gom gi",
            "nhung gi",
            "what goes into",
        ],
    }.items()
}
# The producer's own product: "sản phẩm của tôi…", "mật ong nhà tôi…", "my honey…" with stars,
# points or OCOP; "tự chấm", "score my…"; "điểm của tôi", "my result"; "4 sao cần gì".
_MINE = r"(?:toi|em|minh|tui|chung toi)"
_MINE_BARE = r"(?:toi(?! da\b| thieu\b)|em|minh|tui|chung toi)"  # "sản phẩm tối đa" is not "mine"
_OWN_THING = re.compile(
    rf"\b(?:san pham|hang|product|products)\b(?: \w+){{0,2}} (?:cua {_MINE}|{_MINE_BARE})\b"
    rf"|\b\w+ (?:nha|cua) {_MINE}\b"
    r"|\b(?:my|our) (?:\w+ ){0,2}(?:product|products|honey|tea|coffee|rice|sauce|goods|wine"
    r"|craft|crafts|item|items|brand)\b"
)
_OWN_QUALIFIER = re.compile(
    r"\b(?:sao|diem|dat|du|ocop|star|stars|score|rating|good enough|qualify|cai thien|thieu"
    r"|improve|need|needs)\b"
)
_SELF_ASSESS = re.compile(
    r"(?<!bao cao )\btu (?:cham|danh gia)\b|\b(?:cham diem|cham|danh gia|kiem tra) giup\b"
    r"|\b(?:score|assess|rate|check|evaluate) my\b|\bself assess"
)
_MY_RESULT = re.compile(
    rf"\b(?:diem|ket qua)\b(?: \w+){{0,4}} cua {_MINE}\b"
    r"|\bmy (?:score|result|results|rating|stars|assessment)\b"
)
_STAR_NEED = re.compile(r"\b[1-5] (?:sao|stars?)\b")
_NEED = re.compile(
    r"\b(?:can gi|can nhung gi|can lam gi|thieu gi|phai lam gi|lam gi de|cai thien gi"
    r"|need|needs)\b"
)


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """One question topic: its title, phrasings, topic sets, answer in both languages, sources."""

    id: str
    audience: str
    title_vi: str
    title_en: str
    questions: tuple[str, ...]
    topics: tuple[frozenset[str], ...]
    intents: frozenset[str]
    answer_vi: str
    answer_en: str
    legal_basis: str
    """The decision and article, as cited in Vietnamese (the official form)."""
    legal_basis_en: str
    sources: tuple[str, ...]
    offers: tuple[str, ...]
    """Features the answer points to, offered as buttons: `near_me`, `assess`, `certificate`."""
    confidence: str

    def answer(self, locale: str) -> str:
        """The answer for a locale (`vi`, `en`, `en_US`…); Vietnamese unless English is asked."""
        return self.answer_en if _english(locale) else self.answer_vi

    def basis(self, locale: str) -> str:
        """The legal basis in the user's language."""
        return self.legal_basis_en if _english(locale) else self.legal_basis

    def title(self, locale: str) -> str:
        """The topic's title in the user's language (for buttons and the topic list)."""
        return self.title_en if _english(locale) else self.title_vi

    def serves(self, audience: str | None) -> bool:
        """Whether this entry is for `audience` (None: every audience)."""
        return audience is None or self.audience in (audience, "all")


@dataclass(frozen=True, slots=True)
class FaqMatch:
    """An entry found for what the user typed, with its score (higher is surer)."""

    entry: FaqEntry
    score: float


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

    @property
    def verdict(self) -> str:
        """`self_assessment`, the best entry's id, or `decline`."""
        if self.own_product:
            return "self_assessment"
        return self.matches[0].entry.id if self.matches else "decline"


def _english(locale: str) -> bool:
    return locale.lower().startswith("en")


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("knowledge").joinpath("data/faq.json").read_text("utf-8")
    )
    return data


@cache
def entries() -> tuple[FaqEntry, ...]:
    """All FAQ entries, in file order."""
    return tuple(
        FaqEntry(
            id=item["id"],
            audience=item["audience"],
            title_vi=item["title"]["vi"],
            title_en=item["title"]["en"],
            questions=tuple(item["questions"]),
            topics=tuple(frozenset(t) for t in item["topics"]),
            intents=frozenset(item["intents"]),
            answer_vi=item["answer"]["vi"],
            answer_en=item["answer"]["en"],
            legal_basis=item["legal_basis"],
            legal_basis_en=item["legal_basis_en"],
            sources=tuple(item["sources"]),
            offers=tuple(item.get("offers", ())),
            confidence=item["confidence"],
        )
        for item in _data()["entries"]
    )


@cache
def _concepts() -> tuple[dict[tuple[str, ...], str], dict[str, float], int]:
    """Phrase (as words) → concept, concept → weight, and the longest phrase's length."""
    phrases: dict[tuple[str, ...], str] = {}
    weights: dict[str, float] = {}
    for name, concept in _data()["concepts"].items():
        weights[name] = float(concept["weight"])
        for phrase in concept["phrases"]:
            phrases[tuple(phrase.split())] = name
    return phrases, weights, max(len(p) for p in phrases if p)


@cache
def _generic() -> frozenset[str]:
    """Concepts that are everyday words and need another topic word beside them."""
    return frozenset(n for n, c in _data()["concepts"].items() if c.get("generic"))


@cache
def _vocabulary() -> tuple[frozenset[str], tuple[str, ...]]:
    """Words left as typed, and the topic words a misspelt word may be corrected to."""
    topic_words = {w for phrase in _concepts()[0] for w in phrase}
    known = set(topic_words) | set(_ABBREVIATIONS.values()) | set(_COMMON_WORDS.split())
    for entry in entries():
        texts = (
            *entry.questions,
            entry.title_vi,
            entry.title_en,
            entry.answer_vi,
            entry.answer_en,
        )
        for text in texts:
            known.update(fold(text).split())
    # Real words and place names of the bundled places file ("ngan" is a word, not "nganh").
    known.update(
        fold(resources.files("knowledge").joinpath("data/places.csv").read_text("utf-8")).split()
    )
    known.update(
        w for pattern in _INTENTS.values() for w in re.findall(r"[a-z]+", pattern.pattern)
    )
    return frozenset(known), tuple(sorted(w for w in topic_words if len(w) >= 3))


def _words(text: str) -> list[str]:
    """Folded words with shorthand expanded and misspellings of topic words corrected."""
    known, targets = _vocabulary()
    words: list[str] = []
    for word in fold(text).split():
        if word in _ABBREVIATIONS:
            words.extend(_ABBREVIATIONS[word].split())
            continue
        if word not in known and len(word) >= 3 and not word.isdigit():
            best = process.extractOne(word, targets, scorer=fuzz.ratio, score_cutoff=85)
            if best is not None:
                word = best[0]
        words.append(word)
    return words


_DATE = re.compile(r"\b(?:(\d{1,2}) )?(?:(\d{1,2}) )?(20\d\d)\b")


def _before_26(words: list[str]) -> bool:
    """A date or year before QĐ 26/2026 took effect (22/5/2026): "năm 2024", "4/2026"."""
    for match in _DATE.finditer(" ".join(words)):
        first, second, year = match.groups()
        day, month = (first, second) if second else (None, first)
        if 2019 <= int(year) <= 2025:
            return True
        if int(year) == 2026 and month and (int(month), int(day or 1)) < (5, 22):
            return True
    return False


def _find_concepts(words: list[str]) -> set[str]:
    """Concepts named in `words`, taking the longest phrase at each position, with those they
    imply ("sản phẩm OCOP" also names OCOP)."""
    phrases, _, longest = _concepts()
    found: set[str] = {"date_before_26"} if _before_26(words) else set()
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            name = phrases.get(tuple(words[i : i + size]))
            if name is not None:
                found.add(name)
                i += size
                break
        else:
            i += 1
    implied = _data()["concepts"]
    return found | {i for name in found for i in implied.get(name, {}).get("implies", [])}


def _own_product(text: str, concepts: set[str]) -> bool:
    if _SELF_ASSESS.search(text) or _MY_RESULT.search(text):
        return True
    if _OWN_THING.search(text) and _OWN_QUALIFIER.search(text):
        return True
    general = {"mandatory", "asterisk", "dossier", "form", "reject", "revoke", "upgrade", "band"}
    general |= {"points"}
    return bool(_STAR_NEED.search(text) and _NEED.search(text) and not concepts & general)


def _phrasing_matches(key: str, pool: list[FaqEntry]) -> list[FaqMatch]:
    """Entries with a phrasing typed almost verbatim (the old fuzzy matcher, kept strict)."""
    choices = [(fold(q), e) for e in pool for q in e.questions]
    found = process.extract(
        key, [c for c, _ in choices], scorer=fuzz.ratio, score_cutoff=_PHRASING_CUTOFF, limit=3
    )
    best: dict[str, FaqMatch] = {}
    for _, score, index in found:
        entry = choices[index][1]
        if entry.id not in best:
            best[entry.id] = FaqMatch(entry=entry, score=_THRESHOLD + score / 100)
    return list(best.values())


def read_question(text: str, *, audience: str | None = None, limit: int = 3) -> Reading:
    """Read a typed question: its intents, topic words, whether it is about the producer's own
    product, and the entries (for `audience`, or all) that answer it confidently, best first."""
    words = _words(text)
    joined = " ".join(words)
    intents = frozenset(name for name, cue in _INTENTS.items() if cue.search(joined))
    concepts = _find_concepts(words)
    present = concepts | {f"@{i}" for i in intents}
    _, weights, _ = _concepts()
    generic = _generic()
    topical = concepts - {"why_how", "business_registration"}
    anchored = bool(topical - generic)
    pool = [e for e in entries() if e.serves(audience)]
    scored: list[FaqMatch] = []
    for entry in pool:
        met = [t for t in entry.topics if t <= present]
        # Everyday words ("lịch", "phí", "hồ sơ") alone are not about OCOP: a topic set needs
        # two topic words, or some non-everyday topic word elsewhere in the question, or two
        # everyday ones asked the way this entry answers ("xã xem hồ sơ bao lâu").
        if not any(
            anchored
            or len({c for c in t if c[0] != "@"}) >= 2
            or (len(topical) >= 2 and intents & entry.intents)
            for t in met
        ):
            continue
        explained = set().union(*entry.topics) & present
        score = sum(weights.get(name, 1.0) for name in explained)
        score += _INTENT_BONUS if intents & entry.intents else 0.0
        if score >= _THRESHOLD:
            scored.append(FaqMatch(entry=entry, score=score))
    if not scored and joined:
        scored = _phrasing_matches(joined, pool)
    scored.sort(key=lambda m: m.score, reverse=True)
    pool_concepts = set().union(*(set().union(*e.topics) for e in pool)) if pool else set()
    return Reading(
        intents=intents,
        concepts=frozenset(concepts),
        own_product=audience != "tourist" and _own_product(joined, concepts),
        matches=scored[: max(limit, 0)],
        on_topic=bool(
            concepts & pool_concepts - {"why_how", "business_registration"} or "ocop" in concepts
        ),
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


def _tag_problems(label: str, text: str) -> list[str]:
    names = [m.group(1).lower() for m in _TAG.finditer(text)]
    problems = [f"{label}: HTML tag <{n}> (only <b> allowed)" for n in set(names) - {"b"}]
    if text.count("<b>") != text.count("</b>"):
        problems.append(f"{label}: unbalanced <b>")
    return problems


def check() -> list[str]:
    """Problems in the data file: duplicate ids or phrases, unknown concepts, empty or long
    answers, missing sources or titles…"""
    problems: list[str] = []
    owner: dict[str, str] = {}
    for name, concept in _data()["concepts"].items():
        problems += [
            f"concept {name}: implies unknown {i}"
            for i in concept.get("implies", [])
            if i not in _data()["concepts"]
        ]
        for phrase in concept["phrases"]:
            if phrase != fold(phrase):
                problems.append(f"concept {name}: phrase {phrase!r} is not folded")
            if owner.setdefault(phrase, name) != name:
                problems.append(f"concept {name}: phrase {phrase!r} is also {owner[phrase]}'s")
    known = set(_data()["concepts"]) | {f"@{i}" for i in _INTENTS}
    seen: set[str] = set()
    for entry in entries():
        name = entry.id or "<no id>"
        if entry.id in seen:
            problems.append(f"{name}: duplicate id")
        seen.add(entry.id)
        if not entry.questions or not all(q.strip() for q in entry.questions):
            problems.append(f"{name}: missing or empty question")
        if not entry.title_vi.strip() or not entry.title_en.strip():
            problems.append(f"{name}: missing title")
        if not entry.topics or any(not t for t in entry.topics):
            problems.append(f"{name}: no topic set")
        problems += [f"{name}: unknown concept {c}" for t in entry.topics for c in t - known]
        problems += [f"{name}: unknown intent {i}" for i in entry.intents - set(_INTENTS)]
        if not entry.legal_basis.strip() or not entry.legal_basis_en.strip():
            problems.append(f"{name}: no legal_basis (vi and en)")
        if not entry.sources or not all(u.startswith(_URL) for u in entry.sources):
            problems.append(f"{name}: missing or invalid sources")
        problems += [f"{name}: unknown offer {o}" for o in set(entry.offers) - _OFFERS]
        if entry.confidence not in _CONFIDENCE:
            problems.append(f"{name}: confidence {entry.confidence!r}")
        for lang, answer in (("vi", entry.answer_vi), ("en", entry.answer_en)):
            label = f"{name} [{lang}]"
            if not answer.strip():
                problems.append(f"{label}: empty answer")
            if len(answer) > _MAX_ANSWER:
                problems.append(f"{label}: answer has {len(answer)} chars (max {_MAX_ANSWER})")
            problems += _tag_problems(label, answer)
        if _BAN.search(nfc(entry.answer_vi).casefold()):
            problems.append(f"{name} [vi]: says “bạn”; address the user as anh/chị")
    return problems
