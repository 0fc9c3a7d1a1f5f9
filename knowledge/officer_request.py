"""Is a typed message a request to talk to an officer ("gặp cán bộ", "talk to an officer")?

A request names a way of reaching (gặp, nói chuyện, liên hệ, talk, speak, contact…) and a
person (cán bộ, nhân viên, người thật, officer, human…), and says little else before its
purpose ("… để hỏi về hồ sơ", "… about my dossier"): "khi đi gặp cán bộ xã thì cần mang giấy
tờ gì" asks about something else and is left to the FAQ. Person words forgive one typo.
"""

from __future__ import annotations

from functools import cache

from rapidfuzz import fuzz, process

from knowledge.text import fold

_REACH = (
    "gap", "noi chuyen", "lien he", "ket noi", "chuyen cho", "hoi truc tiep",
    "talk", "speak", "chat", "connect", "contact", "reach",
)  # fmt: skip
_PERSON = (
    "can bo", "nhan vien", "chuyen vien", "tu van vien", "nguoi that", "nguoi phu trach",
    "officer", "human", "person", "agent", "staff", "someone", "representative",
)  # fmt: skip
_FILLER = frozenset((
    "toi", "em", "minh", "chung", "anh", "chi", "cho", "xin", "muon", "duoc", "voi", "mot",
    "a", "nhe", "nha", "di", "giup", "ocop", "the", "tu", "van", "phu", "trach", "i", "me",
    "my", "we", "to", "an", "with", "want", "would", "like", "can", "could", "please", "how",
    "do", "some", "one", "from", "office", "real", "in", "of", "you", "d", "ll", "id",
))  # fmt: skip
_PURPOSE = (" de ", " ve ", " about ", " regarding ", " because ", " vi ", " for ")
_MAX_OTHER_WORDS = 1
_ALIKE = 80
"""How alike (rapidfuzz ratio) a run of words must be to a phrase of 5+ letters to be it."""
_SIZES = frozenset(p.count(" ") + 1 for p in (*_REACH, *_PERSON))
"""How many words the phrases have."""


def _find(phrase: str, windows: dict[int, list[str]]) -> int | None:
    """Where `phrase` starts among the question's runs of as many words (one typo forgiven in
    phrases of 5+ letters)."""
    for start, window in enumerate(windows[phrase.count(" ") + 1]):
        if window == phrase or (len(phrase) >= 5 and fuzz.ratio(window, phrase) >= _ALIKE):
            return start
    return None


@cache
def _of_size(group: tuple[str, ...]) -> dict[int, list[str]]:
    """A group's phrases by their number of words."""
    sizes: dict[int, list[str]] = {size: [] for size in _SIZES}
    for phrase in group:
        sizes[phrase.count(" ") + 1].append(phrase)
    return sizes


def _near_any(group: tuple[str, ...], windows: dict[int, list[str]]) -> bool:
    """Whether some run of words is nearly as alike as `_find` asks to a phrase of the group
    (one call in C per run, a point of slack): most messages name no way of reaching anyone,
    and are let go at once."""
    phrases = _of_size(group)
    return any(
        process.extractOne(window, phrases[size], scorer=fuzz.ratio, score_cutoff=_ALIKE - 1)
        is not None
        for size, runs in windows.items()
        for window in runs
    )


def asks_for_officer(text: str) -> bool:
    """True for "gặp cán bộ", "cho em gặp cán bộ với ạ", "talk to an offcer", "Can I speak
    to a human?"; False for questions that only mention officers."""
    key = f" {fold(text).replace('canbo', 'can bo')} "
    for marker in _PURPOSE:  # what comes after the purpose is the question itself
        key = key.split(marker, 1)[0] + " "
    words = key.split()
    windows = {
        size: [" ".join(words[start : start + size]) for start in range(len(words) - size + 1)]
        for size in _SIZES
    }
    used: set[int] = set()
    for group in (_REACH, _PERSON):
        if not _near_any(group, windows):
            return False
        found = next(
            ((start, phrase) for phrase in group if (start := _find(phrase, windows)) is not None),
            None,
        )
        if found is None:
            return False
        start, phrase = found
        used |= set(range(start, start + len(phrase.split())))
    others = [w for i, w in enumerate(words) if i not in used and w not in _FILLER]
    return len(others) <= _MAX_OTHER_WORDS
