"""The FAQ's entries, read from `data/faq.json`: each topic's phrasings, topic sets, short and
full answer in both languages (with the sentence for producers only kept apart) and sources."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from knowledge.text import as_locale


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
    short_vi: str
    """The first reply: the direct answer with its article, short enough for a cheap phone's
    screen (`faq_checks.MAX_SHORT`); the full answer is the details."""
    short_en: str
    note_vi: str
    """What the answer tells a producer to do in the bot ("tự đánh giá…", "/chungnhan"):
    shown after the answer to producers only (empty: nothing)."""
    note_en: str
    legal_basis: str
    """The decision and article, as cited in Vietnamese (the official form)."""
    legal_basis_en: str
    sources: tuple[str, ...]
    offers: tuple[str, ...]
    """Features the answer points to, offered as buttons: `near_me`, `assess`, `certificate`,
    `officer` (where the decision leaves it to an officer: fees, local support)."""
    confidence: str

    def answer(self, locale: str) -> str:
        """The answer for a locale (`vi`, `en`, `en_US`…); Vietnamese unless English is asked."""
        return self.answer_en if _english(locale) else self.answer_vi

    def short(self, locale: str) -> str:
        """The short answer (the first reply) for a locale."""
        return self.short_en if _english(locale) else self.short_vi

    def producer_note(self, locale: str) -> str:
        """The sentence for producers only, in the user's language ("" when none)."""
        return self.note_en if _english(locale) else self.note_vi

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


def _english(locale: str) -> bool:
    return as_locale(locale) == "en"


@cache
def data() -> dict[str, Any]:
    """The data file: entries and the concepts (topic words) they are found by."""
    loaded: dict[str, Any] = json.loads(
        resources.files("knowledge").joinpath("data/faq.json").read_text("utf-8")
    )
    return loaded


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
            short_vi=item["short"]["vi"],
            short_en=item["short"]["en"],
            note_vi=item.get("producer_note", {}).get("vi", ""),
            note_en=item.get("producer_note", {}).get("en", ""),
            legal_basis=item["legal_basis"],
            legal_basis_en=item["legal_basis_en"],
            sources=tuple(item["sources"]),
            offers=tuple(item.get("offers", ())),
            confidence=item["confidence"],
        )
        for item in data()["entries"]
    )
