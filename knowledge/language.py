"""Which language a typed message is confidently written in, for answering it in that language.

The rule (a message is only ever moved to the *other* language than the user's setting):

- Only words count (numbers do not), and a capitalised word after the first is taken for a
  name ("Hoi An", "Chùa Một Cột") and left out; at least 3 words must be left, and the text
  must not be small talk ("thank you bot", "cảm ơn bạn").
- English: at least 2 English words (a typo one letter off one of 4+ letters counts, unless
  it is spelled like a Vietnamese syllable: "nhan" is not "than"), one of them a function
  word ("how", "is", "near", "the"...), at least half the words or 3 of them, and not a single
  Vietnamese word (with diacritics, or a Vietnamese word or chat abbreviation without them:
  "la", "gi", "dc", "ko").
- Vietnamese: at least one Vietnamese function word ("là", "gì", "không", "ở", "được",
  "tôi"... or without diacritics "la", "gi", "khong", "ko", "dc"; "sp" is "san pham") and
  more than twice as many Vietnamese words as English ones.

Anything else (greetings, "ok thanks", a place's name alone, "Làng gốm Bát Tràng", "lang nghe
near me", "OCOP 5 sao") is not confident: it is answered in the user's language. Words that
are both (English "can", "the", "to"; a loanword: "ok", "menu", "homestay", "tour") count for
neither side or only where harmless.
"""

from __future__ import annotations

import re

from knowledge.faq_words import ABBREVIATIONS
from knowledge.small_talk import small_talk
from knowledge.text import Locale, fold, nfc

_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH_FUNCTION = _words(
    """a about after all am any are as at be been before by can could did do does for from get
    go had has have how i if in into is it its my near of off on or our should some than that
    the their there these this to us was we were what when where which who whom why will with
    would you your"""
)
"""English words no Vietnamese text is written with (not "an", "me", "so", "ban")."""
_ENGLISH = _ENGLISH_FUNCTION | _words(
    """able accommodation address apply application approved area around authority available
    beautiful best better buy buying car certificate certified cheap city close closed cost
    costs council craft crafts criteria day days deadline district documents each eat
    entrance evaluate evaluates evaluation every famous fee fees find fish food free friday
    gift good great help here hours island know like list local look make many market mean
    means monday month more morning most much need needed night nearby new next now
    offer only open opening other people place places please points pottery price prices
    process producer product products programme program province rating recommend register
    registration requirements sauce saturday score see sell send shop should show silk star
    stars sunday take thing things ticket tickets time tomorrow tourist town travel trip
    village villages visit want way week weekend world year"""
)
"""Common English words of the questions the bot is asked; courtesy words and loanwords a
Vietnamese user types too ("ok", "thanks", "hello", "menu", "homestay", "tour", "check in")
are left out."""

_VIETNAMESE_FUNCTION_MARKED = _words(
    """là gì không được những nhiêu đâu của tôi mình muốn nào thì với nhé ơi gồm nếu vậy rồi
    chưa này như các một em ở để và có bị đã đang sẽ ạ hả sao ai"""
)
"""Vietnamese function words, with their diacritics ("cổ", "chợ" and names are not here)."""
_VIETNAMESE_FUNCTION = _words(
    """la gi khong duoc nhung nhieu dau cua toi minh muon nao thi voi nhe oi gom neu vay roi
    chua nay nhu cac mot em de va co ai"""
)
"""The same without diacritics, where they are not also English or a place's name."""
_VIETNAMESE = _VIETNAMESE_FUNCTION | _words(
    """bao san pham so dang ky danh gia tham gia phi nop len dat sao tien ve vao duong den gan
    xin nghe dac tieu cham diem khi vach o"""
)
"""Vietnamese words without diacritics (with the function words); not those that begin many
places' names ("hoi", "ho", "chi", "nam", "lam", "lang", "mua", "phan")."""
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"(uye|uya|uoi|uou|ieu|yeu|oai|oay|oeo|uay|[aeiouy]{1,2})(ch|ng|nh|[cmnpt])?"
)
"""A Vietnamese syllable as typed without diacritics (onset, vowels, final)."""
_EXPANDED = {short: frozenset(long.split()) for short, long in ABBREVIATIONS.items()}


def _english(word: str) -> bool:
    """An English word, a plural of one, or a typo one letter off one of 4+ letters (when it is
    not spelled like a Vietnamese syllable)."""
    if word in _ENGLISH or (word.endswith("s") and word[:-1] in _ENGLISH):
        return True
    return len(word) >= 4 and not _SYLLABLE.fullmatch(word) and _one_off(word)


def _cut(word: str, at: int) -> str:
    return word[:at] + word[at + 1 :]


_LONG = frozenset(w for w in _ENGLISH if len(w) >= 4)
"""The English words a typo one letter off is read as."""
_LONG_CUT = frozenset(_cut(w, i) for w in _LONG for i in range(len(w)))
"""Each of them with one letter dropped."""
_LONG_CUT_AT = frozenset((i, _cut(w, i)) for w in _LONG for i in range(len(w)))
"""Each of them with one letter dropped, and where: two words of one length with the same
letter cut at the same place differ in that letter only."""


def _one_off(typed: str) -> bool:
    """One letter of an English word of 4+ letters added, dropped, changed, or two neighbours
    swapped: looked up, not compared with each word."""
    if typed in _LONG_CUT:  # dropped
        return True
    cuts = range(len(typed))
    if any(_cut(typed, i) in _LONG for i in cuts):  # added
        return True
    if any((i, _cut(typed, i)) in _LONG_CUT_AT for i in cuts):  # changed
        return True
    swaps = (typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :] for i in cuts[:-1])
    return any(swapped in _LONG for swapped in swaps)


def written_in(text: str) -> Locale | None:
    """The language `text` is confidently written in (the module's rule), else None."""
    words = [
        w
        for n, w in enumerate(_WORD.findall(nfc(text)))
        if not (n and w.istitle() and w != "I")  # a name: "Hoi An", "Chùa Một Cột"
    ]
    if len(words) < 3 or small_talk(text) is not None:
        return None
    english = function = vietnamese = vietnamese_function = 0
    for word in words:
        if not word.isascii():
            marked_function = word.lower() in _VIETNAMESE_FUNCTION_MARKED
            vietnamese_function += marked_function
            vietnamese += marked_function or word.islower()  # "Hội An" at the start: a name
            continue
        folded = fold(word)
        meant = _EXPANDED.get(folded, frozenset((folded,)))
        if meant & _VIETNAMESE_FUNCTION:
            vietnamese_function += 1
        if meant & _VIETNAMESE:
            vietnamese += 1
        elif folded in _ENGLISH_FUNCTION:
            english += 1
            function += 1
        elif _english(folded):
            english += 1
    if vietnamese_function and vietnamese > 2 * english:
        return "vi"
    enough = english >= 3 or (english >= 2 and 2 * english >= len(words))
    if function and enough and not vietnamese:
        return "en"
    return None


def reply_language(text: str, locale: Locale) -> Locale | None:
    """The language to answer `text` in when it is not the user's `locale`, else None."""
    found = written_in(text)
    return found if found is not None and found != locale else None
