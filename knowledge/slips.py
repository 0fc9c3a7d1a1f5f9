"""Slips of the finger on a phone keyboard: a neighbouring key hit instead ("bj" for "bi", "sau"
for "sao"), a letter dropped ("giy" for "giay") or added, two letters swapped ("vaild"), and
the word pairs a slip is put right by (`context_fix`: "chuan bj" → "chuan bi", "3 sau" → "3
sao"), since a word of two or three letters alone is too short to tell."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
"""The letter rows of a QWERTY keyboard (Telex and VNI keyboards too), each set half a key
right of the one above: a key touches two keys above it and two below."""
NUMBER = "#"
"""What every number stands for in a word pair ("3 sao" and "4 sao" are one pair)."""


@cache
def neighbours() -> dict[str, frozenset[str]]:
    """Letter → the letters of the keys around it."""
    near: dict[str, frozenset[str]] = {}
    for r, row in enumerate(_ROWS):
        for c, key in enumerate(row):
            around = set(row[max(c - 1, 0) : c + 2]) - {key}
            if r > 0:
                around |= set(_ROWS[r - 1][c : c + 2])
            if r + 1 < len(_ROWS):
                around |= set(_ROWS[r + 1][max(c - 1, 0) : c + 1])
            near[key] = frozenset(around)
    return near


_VOWELS = frozenset("aeiouy")


def struck(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one letter struck for another: a neighbouring key, or a
    vowel for a vowel ("sau" for "sao": the vowels wear the marks Vietnamese adds)."""
    if len(typed) != len(word):
        return False
    apart = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    if len(apart) != 1:
        return False
    one, other = typed[apart[0]], word[apart[0]]
    return one in neighbours().get(other, frozenset()) or {one, other} <= _VOWELS


def slip(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one slip: a letter struck for another (`struck`), a
    letter dropped or added, or two neighbouring letters swapped."""
    if len(typed) == len(word):
        apart = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(apart) == 1:
            return struck(typed, word)
        return (
            len(apart) == 2
            and apart[1] == apart[0] + 1
            and typed[apart[0]] == word[apart[1]]
            and typed[apart[1]] == word[apart[0]]
        )
    if abs(len(typed) - len(word)) != 1:
        return False
    short, long = sorted((typed, word), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def pair_key(word: str) -> str:
    """A word as it stands in a pair: numbers as one."""
    return NUMBER if word.isdigit() else word


@cache
def _by_neighbour(
    pairs: frozenset[tuple[str, str]],
) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The words that follow each word in `pairs`, and those that precede it: those a slip may
    be put right to (no number, no single letter)."""
    after: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for one, other in pairs:
        if other != NUMBER and len(other) >= 2:
            after.setdefault(one, set()).add(other)
        if one != NUMBER and len(one) >= 2:
            before.setdefault(other, set()).add(one)
    return (
        {w: frozenset(f) for w, f in after.items()},
        {w: frozenset(p) for w, p in before.items()},
    )


def context_fix(
    words: Sequence[str], pairs: frozenset[tuple[str, str]], unknown: Sequence[bool | None]
) -> list[str]:
    """`words` with each that forms no pair with its neighbours put right to the one word that
    forms a pair with one of them and that it is a slip of (an `unknown` word: `slip`; a known
    one, a real word typed for another: only `struck`, since a letter dropped, added or swapped
    in a real word often makes another, "cua"/"cau", "tang"/"thang"; and only ending a pair,
    "3 sau" → "3 sao", since a word that starts one may end another, "đạt 2 sao" is no "đợt
    2"); none or several such words, or `unknown` None (a number, shorthand): left as typed."""
    following, preceding = _by_neighbour(pairs)
    keys = [pair_key(w) for w in words]
    fixed = list(words)
    for i, word in enumerate(words):
        before = keys[i - 1] if i > 0 else ""
        after = keys[i + 1] if i + 1 < len(words) else ""
        if unknown[i] is None or (before, word) in pairs or (word, after) in pairs:
            continue
        ending = following.get(before, frozenset())
        if unknown[i]:
            found = {c for c in ending | preceding.get(after, frozenset()) if slip(word, c)}
        else:
            found = {c for c in ending if struck(word, c)}
        if len(found) == 1:
            fixed[i] = found.pop()
            keys[i] = fixed[i]
    return fixed
