"""An answer typed at the privacy notice instead of pressing its button ("đồng ý ạ", "ok em
đồng ý", "I don't agree"). Consent must be explicit, so only the whole message counts, as a
clear agreement or refusal with a polite opening ("ok", "vâng", "yes") or closing ("ạ", "nhé"):
"ok" alone, "chưa đồng ý" (not yet), "để sau", a question or a condition is no answer, and the
notice asks again. The words also tell the language, but for a bare "yes" or "no"."""

from __future__ import annotations

from functools import cache
from typing import Literal

from knowledge.text import Locale, fold, phrase_table

Answer = Literal["agree", "decline"]

_WHO = ("", "toi", "em", "e", "minh", "chung toi", "chung em")
_PHRASES: dict[Locale, dict[Answer, tuple[str, ...]]] = {
    "vi": {
        "agree": tuple(
            f"{who} {verb}".strip() for who in _WHO for verb in ("dong y", "chap nhan")
        ),
        "decline": (
            *(
                f"{who} {verb}".strip()
                for who in _WHO
                for verb in ("khong dong y", "tu choi", "khong chap nhan")
            ),
            "khong",
        ),
    },
    "en": {
        "agree": (
            "yes",
            "agree",
            "agreed",
            "i agree",
            "we agree",
            "accept",
            "i accept",
            "i consent",
        ),
        "decline": (
            "no",
            "disagree",
            "i disagree",
            "don t agree",
            "i don t agree",
            "i do not agree",
            "decline",
            "i decline",
            "no thanks",
            "no thank you",
        ),
    },
}
_OPENINGS: dict[Locale, dict[Answer, tuple[str, ...]]] = {
    "vi": {
        "agree": ("", "ok", "oke", "vang", "da", "da vang", "co"),
        "decline": ("", "khong", "thoi"),
    },
    "en": {"agree": ("", "ok", "okay", "yes"), "decline": ("", "no")},
}
_CLOSINGS: dict[Locale, tuple[str, ...]] = {
    "vi": ("", "a", "nhe", "roi", "luon"),
    "en": ("", "thanks", "thank you", "please"),
}
_EITHER = frozenset({"yes", "no"})
"""Typed by either speaker: no language told."""


@cache
def _table() -> dict[str, tuple[Answer, Locale]]:
    table: dict[str, tuple[Answer, Locale]] = {}
    for locale, answers in _PHRASES.items():
        for answer, phrases in answers.items():
            said = phrase_table(
                {(answer, locale): phrases},
                before=_OPENINGS[locale][answer],
                after=_CLOSINGS[locale],
            )
            table = said | table  # the first language's reading wins
    return table


def read_consent(text: str) -> Answer | None:
    """ "agree" or "decline" when the whole message clearly says it, else None (ask again)."""
    found = _table().get(fold(text))
    return found[0] if found else None


def consent_language(text: str) -> Locale | None:
    """The language an answer read by `read_consent` is written in; None for "yes" or "no"."""
    typed = fold(text)
    found = _table().get(typed)
    return found[1] if found and typed not in _EITHER else None


_ABOUT_IT = ("de sau", "later", "chua", "not yet", "maybe")
"""Words of a hesitating answer to the notice ("để sau", "chưa đồng ý", "not yet")."""


def speaks_of_consent(text: str) -> bool:
    """Whether a message is about the notice itself: an answer, clear or not ("yes ok", "chưa
    đồng ý", "để sau"), rather than a question to keep for after it."""
    padded = f" {fold(text)} "
    words = {p for answers in _PHRASES.values() for ps in answers.values() for p in ps}
    return any(f" {w} " in padded for w in (*words, *_ABOUT_IT) if len(w) > 2)
