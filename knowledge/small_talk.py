"""Greetings, thanks, farewells and acknowledgements: what people type to a chat bot that
asks for nothing.

A message that is only that ("xin chào", "cảm ơn em", "bye", "ok") is small talk, answered
politely with the menu; a question that opens or closes with it ("chào bạn, nón lá Huế") is
read without it. Matched on folded words, whole phrases only, and only at the message's
edges, so a place named with such a word is never cut ("Làng chài …" is no "chào"): "bạn",
"em" count only after a greeting or thanks, and "ban" not at all when the text has "bản" (a
village, "Bản Vặt"); "ok" and "vâng ạ" only as the whole message.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from knowledge.text import fold, phrase_table

Kind = Literal["greeting", "thanks", "farewell", "ack", "help", "menu"]

_TO = ("", "ban", "em", "anh", "chi", "shop", "ad", "admin", "bot", "moi nguoi", "there")
"""Whom a greeting or thanks is said to: "chào *bạn*", "cảm ơn *em*", "hi *there*"."""
_PARTICLES = ("a", "nhe", "nha", "oi", "nhieu", "lam", "a nhe")
"""Politeness particles after a phrase ("cảm ơn *nhiều*", "chào em *ạ*")."""

_PHRASES: dict[Kind, tuple[str, ...]] = {
    "greeting": (
        "xin chao",
        "xinchao",
        "chao",
        "chaoo",
        "chao buoi sang",
        "chao buoi trua",
        "chao buoi chieu",
        "chao buoi toi",
        "alo",
        "alo alo",
        "hello",
        "helo",
        "hallo",
        "hi",
        "hey",
        "good morning",
        "good afternoon",
        "good evening",
        "co ai khong",
        "co ai ko",
        "co ai k",
        "alo co ai khong",
        "co ai o day khong",
        "anyone there",
        "is anyone there",
        "anybody there",
        "ban co khoe khong",
        "co khoe khong",
        "khoe khong",
        "how are you",
        "how are u",
        "how r u",
    ),
    "thanks": (
        "cam on",
        "camon",
        "cam ong",
        "thanks",
        "thank you",
        "thank you so much",
        "thanks a lot",
        "many thanks",
        "thank",
        "tks",
        "ok cam on",
        "vang cam on",
        "ok thanks",
        "ok thank you",
        "okay thanks",
        "okay thank you",
    ),
    "farewell": (
        "tam biet",
        "bye",
        "bye bye",
        "goodbye",
        "good bye",
        "see you",
        "hen gap lai",
        "ok bye",
        "okay bye",
        "ok tam biet",
        "ok goodbye",
    ),
}
_ALONE: dict[Kind, tuple[str, ...]] = {
    "ack": (
        "ok",
        "oke",
        "okay",
        "vang",
        "da",
        "da vang",
        "u",
        "uh",
        "uhm",
        "yes",
        "yep",
        "yeah",
        "duoc",
        "duoc roi",
        "dung roi",
    ),
    "help": (
        "help",
        "help me",
        "giup",
        "giup toi",
        "giup em",
        "giup minh",
        "tro giup",
        "huong dan",
        "huong dan su dung",
        "ho tro",
        "can ho tro",
        "toi can ho tro",
        "la ai",
        "ban la ai",
        "em la ai",
        "bot la gi",
        "ban lam duoc gi",
        "em lam duoc gi",
        "ban giup duoc gi",
        "who are you",
        "what are you",
        "what can you do",
        "what do you do",
        "how does this work",
        "how to use",
        "toi muon hoi",
        "em muon hoi",
        "minh muon hoi",
        "cho hoi",
        "cho em hoi",
        "toi can gap",
        "can gap",
        "cuu",
        "cuu toi",
        "cuu em",
        "shop oi",
        "ad oi",
        "admin oi",
    ),
    "menu": (
        "menu",
        "mo menu",
        "xem menu",
        "quay lai",
        "tro lai",
        "trang chu",
        "home",
        "back",
        "bat dau",
        "bat dau lai",
        "start",
        "restart",
        "start over",
        "huy",
        "huy bo",
        "dung lai",
        "thoat",
        "lam lai",
        "stop",
        "quit",
        "cancel",
        "exit",
        "khong phai",
        "khong phai dau",
    ),
}
"""Small talk only as the whole message, with its particles: acknowledgements ("ok" ends
many questions), asking for help or who the bot is, asking for the menu or to stop ("huỷ",
"thoát", "không phải": typed where a button was meant)."""
_ALONE_PARTICLES = ("", *_PARTICLES, "please", "voi", "vay", "the", "di")


_SAID_SO = {"da": "dạ", "vang": "vâng"}
"""Yes-words whose folded form is also another word ("đá" stone, "vàng" gold): small talk
only typed without any accent, or with these."""


@cache
def _alone() -> dict[str, Kind]:
    return phrase_table(_ALONE, after=_ALONE_PARTICLES)


@cache
def _table(friend: bool = True) -> dict[str, Kind]:
    """Every phrase with whom it is said to and its particles; `friend` false leaves out
    "ban" (the text has "bản": a village, "Bản Vặt", not "bạn")."""
    after = [
        " ".join(w for w in (to, particle) if w)
        for to in _TO
        if friend or to != "ban"
        for particle in ("", *_PARTICLES)
    ]
    return phrase_table(_PHRASES, after=after)


@cache
def _reach(friend: bool, last: bool) -> dict[str, int]:
    """First (or `last`) word of a phrase of the table → the length of the longest phrase it
    starts (ends): a text starting (ending) with no such word is no pleasantry."""
    reach: dict[str, int] = {}
    for text in _table(friend):
        words = text.split()
        if words:
            edge = words[-1] if last else words[0]
            reach[edge] = max(reach.get(edge, 0), len(words))
    return reach


def _edge(words: list[str], *, friend: bool = True, last: bool = False) -> int:
    """How many of the first (or `last`) words are one pleasantry (0: none)."""
    if not words:
        return 0
    table = _table(friend)
    longest = _reach(friend, last).get(words[-1] if last else words[0], 0)
    for n in range(min(longest, len(words)), 0, -1):
        if " ".join(words[-n:] if last else words[:n]) in table:
            return n
    return 0


def small_talk(text: str) -> Kind | None:
    """What a message that is only greetings, thanks or farewells is (the last one said
    decides: "chào em, cảm ơn" thanks), or only one of `_ALONE`; None for anything else."""
    words = fold(text).split()
    if not words:
        return None
    alone = _alone().get(" ".join(words))
    if alone is not None:
        said_so = _SAID_SO.get(words[0])
        if said_so is None or text.isascii() or said_so in text.casefold():
            return alone
        return None
    kind: Kind | None = None
    while words:
        n = _edge(words)
        if n == 0:
            return None
        kind = _table()[" ".join(words[:n])]
        words = words[n:]
    return kind


def without_small_talk(text: str) -> list[str]:
    """The folded words of `text` with greetings, thanks or farewells taken off either end
    ("chào bạn, nón lá Huế" → "non la hue"), as long as something is left."""
    words = fold(text).split()
    friend = "bản" not in text.casefold()
    while (n := _edge(words, friend=friend)) and n < len(words):
        words = words[n:]
    while (n := _edge(words, friend=friend, last=True)) and n < len(words):
        words = words[: len(words) - n]
    return words


_ANSWERS: dict[bool, tuple[str, ...]] = {
    False: (
        "khong",
        "ko",
        "k",
        "hong",
        "hok",
        "khong co",
        "ko co",
        "k co",
        "khong phai",
        "no",
        "nope",
        "nah",
    ),
    True: ("co", "co a", "yes", "dung", "dung roi", "phai", "co chu", "yep", "yeah"),
}
"""Yes and no typed at a yes/no question ("ko", "k có", "có ạ"), with chat's short forms."""


@cache
def _answers() -> dict[str, bool]:
    return phrase_table(_ANSWERS, after=_ALONE_PARTICLES)


def yes_or_no(text: str) -> bool | None:
    """True or False for a whole message that says yes or no; None for anything else."""
    return _answers().get(fold(text))
