"""Vietnamese text normalisation for matching: NFC, case, diacritics folded, `đ` → `d`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Literal, TypeVar

Locale = Literal["vi", "en"]
"""A language the bot speaks: Vietnamese (the default) or English."""
LOCALES: tuple[Locale, ...] = ("vi", "en")


def as_locale(code: str | None, default: Locale = "vi") -> Locale:
    """The language of a code or tag (`en`, `en-GB`, `vi_VN`); `default` for any other."""
    language = (code or "")[:2].lower()
    return "en" if language == "en" else "vi" if language == "vi" else default


_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s]")
_STAR_MARK = re.compile(r"(\d|\bmay)\s*[*⭐](?![*⭐])")
"""A star typed as a sign after its count ("4*", "3⭐", "mấy *"): the word "sao"; the buttons'
"★" stays a mark ("3★" is the label typed "3")."""


def nfc(text: str) -> str:
    """Compose the text to NFC, so NFD input and NFC input compare equal."""
    return unicodedata.normalize("NFC", text)


class _Unmarked(dict[int, int | None]):
    """A `str.translate` table dropping combining marks, filled as characters are met (the
    few a language uses), not for all of Unicode at once."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_UNMARKED = _Unmarked()


@lru_cache(maxsize=16_384)
def fold(text: str) -> str:
    """Return the matching key of a text: lower case ASCII letters, digits and single spaces; a
    star typed as a sign after its count ("4*", "mấy ⭐") is the word "sao".

    Old and new tone placement (`Hoà`/`Hòa`) and NFD input give the same key; `đ` becomes `d`
    because it does not decompose. Cached: the tables matched against are folded again and
    again, and an update folds its own text several times.
    """
    if text.isascii():
        stripped = text.lower()
    else:
        decomposed = unicodedata.normalize("NFD", text.casefold())
        stripped = decomposed.translate(_UNMARKED)
        stripped = stripped.replace("đ", "d")
    stripped = _NOT_WORD.sub(" ", _STAR_MARK.sub(r"\1 sao ", stripped))
    return _SPACES.sub(" ", stripped).strip()


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
"""The five tone marks (grave, acute, tilde, hook, dot below) as combining characters."""


@lru_cache(maxsize=16_384)
def spelling(word: str) -> str:
    """A word's spelling, compared: lower case with its diacritics, the tone mark moved to the
    end, so old and new tone placement agree ("hoà", "hòa") and other diacritics do not ("chè",
    "chế", "che" are three spellings)."""
    letters = unicodedata.normalize("NFD", word.casefold())
    tones = "".join(ch for ch in letters if ch in _TONES)
    rest = "".join(ch for ch in letters if ch not in _TONES)
    return unicodedata.normalize("NFC", rest) + tones


def as_typed(text: str) -> str:
    """The text's words in lower case with their diacritics, single-spaced and padded with a
    space each side, for whole-word lookups (" nhật bản "): what `fold` throws away."""
    words = _NOT_WORD.sub(" ", nfc(text).casefold()).split()
    return f" {' '.join(words)} "


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with "…" when cut (button
    labels and titles are never cut mid-word)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


K = TypeVar("K")


def phrase_table(
    phrases: Mapping[K, Iterable[str]],
    *,
    before: Iterable[str] = ("",),
    after: Iterable[str] = ("",),
) -> dict[str, K]:
    """Folded phrases → their key, each phrase also with any of the words `before` and `after`
    it ("" for none); where two keys make the same text, the first wins. The phrases are folded
    here, so they are written as users type them ("I don't know", "không biết")."""
    table: dict[str, K] = {}
    openings, closings = tuple(before), tuple(after)
    for key, texts in phrases.items():
        for phrase in texts:
            for opening in openings:
                for closing in closings:
                    said = " ".join(w for w in (opening, phrase, closing) if w)
                    table.setdefault(fold(said), key)
    return table
