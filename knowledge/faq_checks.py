"""What the FAQ's data file must satisfy: known concepts and intents, sources, answers in both
languages with only <b> markup, addressing the user as anh/chị, and a short answer that fits a
cheap phone's screen, cites its article and states no figure the full answer does not (the suite
checks it)."""

from __future__ import annotations

import re

from knowledge.faq_entries import FaqEntry, data, entries
from knowledge.faq_words import INTENTS
from knowledge.text import fold, nfc

_MAX_ANSWER = 1000
MAX_SHORT = 350
"""Characters of a short answer (the first reply): a cheap phone's screen without scrolling."""
_CITES = {"vi": re.compile(r"Điều \d+"), "en": re.compile(r"\b(?:Art\.|Articles?) \d+")}
_NUMBER = re.compile(r"\d+")
_URL = ("http://", "https://")
_CONFIDENCE = frozenset({"certain", "secondary"})
_OFFERS = frozenset({"near_me", "assess", "certificate", "calendar", "officer"})
_BAN = re.compile(r"\bbạn\b")
_TAG = re.compile(r"</?([a-zA-Z0-9]+)[^>]*>")


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
    for name, concept in data()["concepts"].items():
        problems += [
            f"concept {name}: implies unknown {i}"
            for i in concept.get("implies", [])
            if i not in data()["concepts"]
        ]
        for phrase in concept["phrases"]:
            if phrase != fold(phrase):
                problems.append(f"concept {name}: phrase {phrase!r} is not folded")
            if owner.setdefault(phrase, name) != name:
                problems.append(f"concept {name}: phrase {phrase!r} is also {owner[phrase]}'s")
    known = set(data()["concepts"]) | {f"@{i}" for i in INTENTS}
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
        problems += [f"{name}: unknown intent {i}" for i in entry.intents - set(INTENTS)]
        if not entry.legal_basis.strip() or not entry.legal_basis_en.strip():
            problems.append(f"{name}: no legal_basis (vi and en)")
        if not entry.sources or not all(u.startswith(_URL) for u in entry.sources):
            problems.append(f"{name}: missing or invalid sources")
        problems += [f"{name}: unknown offer {o}" for o in set(entry.offers) - _OFFERS]
        if entry.confidence not in _CONFIDENCE:
            problems.append(f"{name}: confidence {entry.confidence!r}")
        if bool(entry.note_vi.strip()) != bool(entry.note_en.strip()):
            problems.append(f"{name}: producer_note in one language only")
        for lang, answer in (("vi", entry.answer_vi), ("en", entry.answer_en)):
            label = f"{name} [{lang}]"
            if not answer.strip():
                problems.append(f"{label}: empty answer")
            if len(answer) > _MAX_ANSWER:
                problems.append(f"{label}: answer has {len(answer)} chars (max {_MAX_ANSWER})")
            problems += _tag_problems(label, answer)
        problems += short_problems(name, entry)
        if _BAN.search(
            nfc(entry.answer_vi + " " + entry.short_vi + " " + entry.note_vi).casefold()
        ):
            problems.append(f"{name} [vi]: says “bạn”; address the user as anh/chị")
    return problems


def short_problems(name: str, entry: FaqEntry) -> list[str]:
    """A short answer too long, citing no article, or with a figure (a number, a date, an
    article) its full answer and legal basis do not have."""
    problems: list[str] = []
    for lang, short in (("vi", entry.short_vi), ("en", entry.short_en)):
        label = f"{name} [{lang}]"
        if not short.strip():
            problems.append(f"{label}: empty short answer")
        if len(short) > MAX_SHORT:
            problems.append(f"{label}: short answer has {len(short)} chars (max {MAX_SHORT})")
        if not _CITES[lang].search(short):
            problems.append(f"{label}: the short answer cites no article")
        full = entry.answer(lang) + " " + entry.basis(lang)
        stray = set(_NUMBER.findall(short)) - set(_NUMBER.findall(full))
        problems += [f"{label}: short answer says {n}, the full answer does not" for n in stray]
        problems += _tag_problems(f"{label} short", short)
    return problems
