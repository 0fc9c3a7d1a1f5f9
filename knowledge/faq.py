"""Sourced answers to producers' common OCOP questions and a fuzzy matcher over their phrasings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from knowledge.text import fold, nfc

# Scores are token_set_ratio on folded text without filler words: 100 when one side's words are
# all in the other, so short questions and long chatty messages both reach a phrasing. Off-topic
# chat ("thời tiết hôm nay", "tỷ giá đô la") peaks near 67, on-topic questions with typos or in
# English start near 76 (tests/test_faq.py).
_CUTOFF = 70.0
# Question particles, pronouns and function words: "là gì", "như thế nào", "what is" alone match
# nothing. "khi", "dau" stay: "khi nào nộp" (when) and "nộp ở đâu" (where) are different questions.
_STOPWORDS = frozenset(
    [
        "a",
        "ah",
        "anh",
        "bao",
        "cac",
        "can",
        "cho",
        "co",
        "cua",
        "de",
        "duoc",
        "em",
        "gi",
        "gio",
        "gom",
        "ha",
        "hay",
        "j",
        "khong",
        "ko",
        "la",
        "lam",
        "lau",
        "may",
        "minh",
        "mot",
        "nao",
        "nay",
        "nha",
        "nhe",
        "nhieu",
        "nhu",
        "nhung",
        "o",
        "phai",
        "roi",
        "the",
        "thi",
        "toi",
        "va",
        "vay",
        "voi",
        "an",
        "are",
        "do",
        "does",
        "for",
        "how",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "or",
        "to",
        "what",
        "you",
    ]
)
_MAX_ANSWER = 1000
_URL = ("http://", "https://")
_CONFIDENCE = frozenset({"certain", "secondary"})
_BAN = re.compile(r"\bbạn\b")
_TAG = re.compile(r"</?([a-zA-Z0-9]+)[^>]*>")


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """One question topic: its phrasings, the answer in both languages and where it comes from."""

    id: str
    audience: str
    questions: tuple[str, ...]
    answer_vi: str
    answer_en: str
    legal_basis: str
    sources: tuple[str, ...]
    confidence: str

    def answer(self, locale: str) -> str:
        """The answer for a locale (`vi`, `en`, `en_US`…); Vietnamese unless English is asked."""
        return self.answer_en if locale.lower().startswith("en") else self.answer_vi


@dataclass(frozen=True, slots=True)
class FaqMatch:
    """An entry found for what the user typed, with the best score of its phrasings (0–100)."""

    entry: FaqEntry
    score: float


@cache
def entries() -> tuple[FaqEntry, ...]:
    """All FAQ entries, in file order."""
    raw = json.loads(resources.files("knowledge").joinpath("data/faq.json").read_text("utf-8"))
    return tuple(
        FaqEntry(
            id=item["id"],
            audience=item["audience"],
            questions=tuple(item["questions"]),
            answer_vi=item["answer"]["vi"],
            answer_en=item["answer"]["en"],
            legal_basis=item["legal_basis"],
            sources=tuple(item["sources"]),
            confidence=item["confidence"],
        )
        for item in raw["entries"]
    )


def _key(text: str) -> str:
    """The matching key of a text: folded, without filler words (empty if only those)."""
    folded = fold(text)
    words = [w for w in folded.split() if w not in _STOPWORDS]
    return " ".join(words)


def _score(a: str, b: str, **kwargs: Any) -> float:
    """token_set_ratio, but a single word ("sao", "ocop") must match the other side whole: it is
    inside too many phrasings to tell which one is meant."""
    if " " not in a or " " not in b:
        return fuzz.ratio(a, b, **kwargs)
    return fuzz.token_set_ratio(a, b, **kwargs)


@cache
def _choices() -> tuple[list[str], list[FaqEntry]]:
    """Phrasing keys and, at the same index, the entry each belongs to."""
    keys: list[str] = []
    owners: list[FaqEntry] = []
    for entry in entries():
        for question in entry.questions:
            keys.append(_key(question) or fold(question))
            owners.append(entry)
    return keys, owners


def find_answer(text: str, *, audience: str | None = None, limit: int = 3) -> list[FaqMatch]:
    """Entries whose phrasings match `text`, best first; none when nothing is close enough.

    With `audience`, only entries for that audience or for `all` are kept.
    """
    key = _key(text)
    if not key or limit <= 0:
        return []
    keys, owners = _choices()
    found = process.extract(key, keys, scorer=_score, score_cutoff=_CUTOFF, limit=len(keys))
    # Ties (a short query inside many phrasings) go to the closest whole phrasing.
    best: dict[str, tuple[float, float, FaqEntry]] = {}
    for _, score, index in found:
        entry = owners[index]
        if audience is not None and entry.audience not in (audience, "all"):
            continue
        rank = (score, fuzz.ratio(key, keys[index]), entry)
        if entry.id not in best or rank[:2] > best[entry.id][:2]:
            best[entry.id] = rank
    ranked = sorted(best.values(), key=lambda r: r[:2], reverse=True)
    return [FaqMatch(entry=entry, score=score) for score, _, entry in ranked[:limit]]


def _tag_problems(label: str, text: str) -> list[str]:
    names = [m.group(1).lower() for m in _TAG.finditer(text)]
    problems = [f"{label}: HTML tag <{n}> (only <b> allowed)" for n in set(names) - {"b"}]
    if text.count("<b>") != text.count("</b>"):
        problems.append(f"{label}: unbalanced <b>")
    return problems


def check() -> list[str]:
    """Problems in the data file: duplicate ids, empty or long answers, missing sources…"""
    problems: list[str] = []
    seen: set[str] = set()
    owner_of: dict[str, str] = {}
    for key, entry in zip(*_choices(), strict=True):
        if owner_of.setdefault(key, entry.id) != entry.id:
            problems.append(f"{entry.id}: phrasing {key!r} is also one of {owner_of[key]}'s")
    for entry in entries():
        name = entry.id or "<no id>"
        if entry.id in seen:
            problems.append(f"{name}: duplicate id")
        seen.add(entry.id)
        if not entry.questions or not all(q.strip() for q in entry.questions):
            problems.append(f"{name}: missing or empty question")
        if not entry.legal_basis.strip():
            problems.append(f"{name}: no legal_basis")
        if not entry.sources or not all(u.startswith(_URL) for u in entry.sources):
            problems.append(f"{name}: missing or invalid sources")
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
