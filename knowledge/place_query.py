"""A tourist's question understood: which place, product or kind, near where, in which province
or region — in any word order, Vietnamese with or without accents, typos, English — and an
honest "no such place" below the relevance threshold.

    understand("where can I buy silk near Hanoi") → places about silk, measured from Hoàn Kiếm
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from functools import cache

from knowledge.certificates import STAR_COUNTS
from knowledge.faq import read_question
from knowledge.faq_words import ABBREVIATIONS
from knowledge.gazetteer import (
    Mention,
    Scope,
    Spot,
    find_mentions,
    is_a_name,
    narrowed,
    outside_vietnam,
    place_mentions,
    province_point,
)
from knowledge.place_answers import (
    ANYWHERE_KM,
    TOPIC_KM,
    TOWN_KM,
    Answer,
    anywhere,
    around,
    in_scope,
    named,
    nearby_places,
    unlocated,
)
from knowledge.place_catalogue import Catalogue, catalogue
from knowledge.place_framing import (
    asks_what_about,
    opening_asked,
    radius_read,
    read_off,
    shop_opened,
    without_counts,
    without_make,
)
from knowledge.place_search import Term, parse_terms, repair, tokens, typed_spellings
from knowledge.place_words import (
    ABROAD,
    ASKED_OF_A_PLACE,
    FILLER,
    FOLLOW_ON,
    MORE,
    NAMING_NOTHING,
    PRACTICAL,
    PROCESS,
    UNSURE,
    WHEN,
    table_phrases,
)
from knowledge.places import Place, haversine_km
from knowledge.small_talk import small_talk, without_small_talk
from knowledge.text import as_typed, fold

__all__ = [
    "TOWN_KM",
    "Answer",
    "asked_of_a_place",
    "asks_more",
    "understand",
    "understand_typed",
]

VILLAGE = ("lang", "village", "villages")
"""Words that say a question is about places though they name no kind ("làng hương")."""
AREAS = ("district_seat", "district")
"""Levels of a point that stand for an area (a former district or its town): named alone, the
places around it are the answer."""

NEAR_WORDS = (
    "o gan",
    "gan",
    "near",
    "around",
    "round",
    "quanh",
    "xung quanh",
    "close to",
    "nearby",
    "khu vuc",
    "gan voi",
    "duoi chan",
    "duoi chan nui",
    "chan nui",
    "at the foot of",
    "foot of",
    "foothills of",
)
HERE_WORDS = (
    "gan day",
    "quanh day",
    "gan toi",
    "gan minh",
    "o day",
    "xung quanh day",
    "khu nay",
    "near me",
    "nearby",
    "around here",
    "close to me",
    "around me",
    "near here",
    "close by",
    "nearest",
    "closest",
    "gan nhat",
    "quanh toi",
    "cho nay",
    "o gan day",
    "gan cho toi",
    # where the asker sleeps ("near my hotel"): near them, no booking asked
    "near my hotel",
    "near our hotel",
    "around my hotel",
    "close to my hotel",
    "gan khach san cua toi",
    "gan khach san cua minh",
    "gan khach san toi o",
    "gan khach san minh o",
    "gan khach san",
)
THERE_WORDS = (
    "gan do",
    "quanh do",
    "xung quanh do",
    "gan cho do",
    "gan khu do",
    "near there",
    "around there",
    "close to there",
)
"""Near the place just named ("đi vịnh Hạ Long thì gần đó có gì"); with none named, near here."""
CANNOT: dict[str, tuple[str, ...]] = {
    "booking": (
        "dat phong",
        "khach san",
        "hotel",
        "hotels",
        "book",
        "booking",
        "reserve",
        "dat tour",
        "dat ve",
        "ve may bay",
        "flight",
        "flights",
        "ticket",
        "tickets",
        "ve tau",
        "train",
        "resort",
        "reservation",
    ),
    "weather": (
        "thoi tiet",
        "weather",
        "nhiet do",
        "temperature",
        "forecast",
        "du bao",
        "troi mua",
        "co mua ko",
        "co mua khong",
        "mua khong",
        "rain",
        "raining",
        "nang nong",
    ),
    "transport": (
        "taxi",
        "grab",
        "thue xe",
        "xe may",
        "rent",
        "rental",
        "cho thue",
        "bus",
        "xe buyt",
        "airport",
        "san bay",
    ),
    "money": ("doi tien", "exchange", "currency", "atm", "ngan hang", "bank"),
    "price": (
        "gia bao nhieu",
        "bao nhieu tien",
        "het bao nhieu",
        "gia ca",
        "bang gia",
        "how much",
        "price",
        "prices",
        "gia ve",
        "tien ve",
        "ve vao cong",
        "ve vao cua",
        "ve tham quan",
        "phi vao cong",
        "phi tham quan",
        "entrance",
        "admission",
        "entry fee",
        "ticket price",
        "ticket prices",
    ),
    "food": (
        "nha hang",
        "restaurant",
        "restaurants",
        "quan an",
        "an uong",
        "banh mi",
        "pho bo",
        "cafe",
        "bar",
        "quan bar",
    ),
}
"""What visitors ask that the bot does not do: said so, never answered with places."""
DISTANCE = (
    "bao xa",
    "co xa khong",
    "co xa ko",
    "co xa k",
    "xa khong",
    "xa ko",
    "bao nhieu km",
    "bao nhieu cay so",
    "may km",
    "may cay so",
    "how far",
    "is it far",
    "how many km",
    "how many kilometers",
    "how many kilometres",
    "distance",
)
"""How a question asks for the distance between two places ("từ Hà Nội đến Bát Tràng bao xa",
"is it far from Hanoi to Bat Trang?")."""
_FROM_AFTER = ("cach", "from")
"""Words between the two ends, the end measured from after them ("Bát Tràng cách Hà Nội")."""
_FROM_BEFORE = ("den", "toi", "to", "and", "va", "ra", "vao", "di")
"""Words between the two ends, the end measured from before them ("Hà Nội đến Bát Tràng")."""
_LEADING = ("tu", "from", "between", "di")
_FILLING = frozenset({"is", "it", "the", "are", "co", "khong", "ko", "k", "thi", "la"})
_HERE_ENDS = frozenset({"day", "here", "toi", "minh", "me", "em", "cho nay", "o day", "my place"})
_ABOUT_OCOP = (
    "ocop la gi",
    "what is ocop",
    "what does ocop",
    "ocop mean",
    "nghia la gi",
    "co nghia",
    "y nghia",
    "mean",
    "la sao",
    "hieu luc",
    "what do the",
    "meaning",
)
_STAR_WORDS = ("sao", "star", "stars")
_COUNTS = {word: n for word, n in STAR_COUNTS.items() if n >= 3}
"""Numbers written out before "sao"/"star" ("năm sao", "five stars"): the stars certified."""
_STARS_ASKED = ("how many stars", "many stars", "bao nhieu sao", "may sao", "star", "stars")
"""How a question asks about the OCOP stars without a count ("Bát Tràng mấy sao"): the
programme's words, not a place's."""
_STARRED = re.compile(r"([1-5])(?:sao|stars?)")
"""A count glued to its word ("5sao", "5star")."""


Phrase = list[str]
"""A phrase's folded words."""


@cache
def _longest_first(phrases: tuple[str, ...]) -> list[Phrase]:
    """A table's phrases as words, longest first (tables are constants: split once)."""
    return sorted((p.split() for p in phrases), key=lambda p: -len(p))


@cache
def _cannot(several_words: bool) -> list[tuple[str, frozenset[str], list[Phrase]]]:
    """Each reason of `CANNOT` with the first words of its phrases of several words (or of one
    word), and those phrases."""
    found = []
    for reason, phrases in CANNOT.items():
        targets = [p.split() for p in phrases if (" " in p) == several_words]
        found.append((reason, frozenset(t[0] for t in targets), targets))
    return found


def _at(words: list[str], target: Phrase) -> int:
    """Position of a phrase in the words, or -1."""
    n = len(target)
    for i in range(len(words) - n + 1):
        if words[i] == target[0] and words[i : i + n] == target:
            return i
    return -1


def _remove(words: list[str], phrases: tuple[str, ...]) -> tuple[list[str], bool]:
    found = False
    present = set(words)  # words are only taken out: a phrase missing here stays missing
    for target in _longest_first(phrases):
        if target[0] not in present:
            continue
        while (at := _at(words, target)) >= 0:
            words = words[:at] + words[at + len(target) :]
            found = True
    return words, found


@cache
def _control_words() -> frozenset[str]:
    """Words of the near/here/cannot phrases (never "repaired" into product words)."""
    phrases = [
        *NEAR_WORDS,
        *HERE_WORDS,
        *THERE_WORDS,
        *_ABOUT_OCOP,
        *FILLER,
        *PRACTICAL,
        *DISTANCE,
    ]
    phrases += [p for v in CANNOT.values() for p in v]
    return frozenset(w for p in phrases for w in p.split())


def understand(
    text: str, here: tuple[float, float] | None = None, *, within: Catalogue | None = None
) -> Answer:
    """Read a tourist's question (with the location they shared, if any); `within` another
    catalogue than the bundled places (benchmarks). A count of OCOP stars asked for ("mật ong
    OCOP 5 sao", "4-star eco-tourism") is no word to match but a condition (`_fitting`), its
    places first."""
    return _counted(text, here, within or catalogue(), stars_counted(text))


def understand_typed(text: str, here: tuple[float, float] | None = None) -> Answer:
    """`understand` as the chat reads a typed question: when nothing matches, read again without
    the programme's words ("Bát Tràng mấy sao" → "bat trang"), a count of stars asked for still
    a condition ("du lịch cộng đồng 5 sao" stays declined: no 5-star service is known); then
    with chat shorthand spelt out ("cửa hàng bán sp ocop ở hà nội": "sản phẩm")."""
    answer = _typed(text, here)
    spelt = _spelt_out(text)
    if spelt != text and (_unanswered(answer) or answer.kind == "ask"):
        again = _typed(spelt, here)  # "van phuc co ban sp ocop": its OCOP point, not which one
        if not _unanswered(again) and not answer.kind == again.kind == "ask":
            return again
    return answer


def _typed(text: str, here: tuple[float, float] | None) -> Answer:
    stars = stars_counted(text)
    if _asks_rated(tokens(text)):  # "hoi an co diem du lich ocop nao": Tân Thành, not the shop
        return _rated_answer(text, here, stars)
    answer = understand(text, here)
    if _unanswered(answer):
        reading = read_question(text)
        if reading.programme and reading.rest != text and not _cuts_a_name(text, reading.rest):
            answer = _counted(reading.rest, here, catalogue(), stars)
    if answer.kind == "pass" and stars is not None and _TOURISM_WORDS & set(tokens(text)):
        return _rated(stars)
    return answer


def _unanswered(answer: Answer) -> bool:
    return answer.kind == "pass" or (answer.kind == "decline" and answer.reason == "no_match")


_SHORTHAND = re.compile(
    r"\b(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def _spelt_out(text: str) -> str:
    """`text` with the chat shorthand typed in it spelt out ("sp" → "san pham", "ko" →
    "khong"; `faq_words.ABBREVIATIONS`)."""
    return _SHORTHAND.sub(lambda m: ABBREVIATIONS[m.group(1).lower()], text)


_TOURISM_WORDS = frozenset({"du", "tourism", "tourist", "tourists"})
"""Words of tourism in general ("điểm du lịch", "tourism sites"), folded."""


_SHOP_WORDS = frozenset(
    {"cua", "hang", "shop", "shops", "store", "stores", "mua", "ban", "buy", "showroom"}
    | {"san", "pham", "products", "product", "trung", "tam", "centre", "center", "dac", "qua"}
)
"""Words of a shop or its goods ("cửa hàng", "bán", "sản phẩm", "trung tâm OCOP"), folded."""


def _asks_rated(words: list[str]) -> bool:
    """Whether a question asks for OCOP tourism ("điểm du lịch OCOP ở Hội An", "OCOP tourism
    near Hoi An"), not a shop: "OCOP" with words of tourism and none of a shop."""
    return "ocop" in words and bool(_TOURISM_WORDS & set(words)) and not _SHOP_WORDS & set(words)


@cache
def _rated_catalogue() -> Catalogue:
    """The places rated OCOP themselves (tourism services; a shop's stars are its goods')."""
    return Catalogue(tuple(p for p in catalogue().places if p.ocop_stars))


def _rated_answer(text: str, here: tuple[float, float] | None, stars: int | None) -> Answer:
    """The OCOP-rated tourism services a question asks for: as read, else those of the places
    it names ("OCOP rated tourism places in Hoa Binh": "rated" is no place's word), else all of
    the count of stars asked for; declined where none is."""
    index = _rated_catalogue()
    answer = _counted(text, here, index, stars)
    if _unanswered(answer):
        words = tokens(text)
        named = " ".join(" ".join(words[m.start : m.end]) for m in place_mentions(words))
        if named:
            answer = _counted(named, here, index, stars)
        elif stars is not None:
            answer = _rated(stars)
    if answer.kind == "near" and not answer.nearby:  # none of that count around the place
        return Answer("decline", reason="no_match", origin=answer.origin, topic=answer.topic)
    return answer


def _rated(stars: int) -> Answer:
    """OCOP tourism sites of `stars` asked for in general ("điểm du lịch OCOP 4 sao", "OCOP 4
    star tourism sites"): the places rated so themselves (a tourism service is rated; a shop's
    stars are its products'), or the honest decline when none is."""
    rated = tuple(p for p in catalogue().places if p.ocop_stars == stars)
    if not rated:
        return Answer("decline", reason="no_match")
    return Answer("places", places=rated)


_LANDFORMS = frozenset({"vinh"})
"""Words for a landform that are also a town's name ("vịnh", a bay; Vinh, Nghệ An's city)."""


def _landforms_read(mentions: list[Mention]) -> list[Mention]:
    """The mentions, a landform word read as a town right before another place's name taken
    into that name ("vịnh Hạ Long" is Hạ Long's bay, not Vinh 400 km away)."""
    after = {m.start: m for m in mentions}
    read: list[Mention] = []
    for m in mentions:
        named = after.get(m.end)
        if m.text in _LANDFORMS and named is not None and not _its_province(named, m):
            after[m.end] = replace(named, start=m.start)
        elif read and read[-1].end > m.start:
            continue
        else:
            read.append(after.get(m.start, m))
    return read


def _its_province(mention: Mention, town: Mention) -> bool:
    """Whether `mention` is the province of the town `town` names ("Vinh Nghệ An")."""
    scope = mention.scope
    return scope is not None and scope.province_code in {s.province_code for s in town.spots}


def _cuts_a_name(text: str, rest: str) -> bool:
    """Whether reading `text` as `rest` takes a word out of a place's name ("Sài Gòn": "sai" is
    also the programme's word for a wrong answer; "cửa hàng OCOP ở gòn" found Bát Tràng's)."""
    words = re.findall(r"\w+", fold(text))
    kept = set(rest.split())
    return any(w not in kept for m in place_mentions(words) for w in words[m.start : m.end])


_PARTICLES = re.compile(r"(?:^|\s)(?:a|ah|ak|nhe|nha|di|em|ad|shop|oi|please|pls)(?=\s|$)")


def asks_more(text: str) -> bool:
    """Whether the text, alone, asks for the next page of a list ("xem thêm", "còn nữa
    không ạ?", "show me more")."""
    words = re.sub(r"[^\w\s]", " ", fold(text))
    return " ".join(_PARTICLES.sub(" ", words).split()) in MORE


def asked_of_a_place(text: str) -> str | None:
    """What a question asks of a place it does not name (`ASKED_OF_A_PLACE`): "route" ("how do
    I get there?"), "buy" ("what can I buy there"); None for anything else."""
    words = re.sub(r"[^\w\s]", " ", fold(text)).split()
    for asked, phrases in ASKED_OF_A_PLACE.items():
        if any(_at(words, phrase) >= 0 for phrase in _longest_first(phrases)):
            return asked
    return None


def stars_counted(text: str) -> int | None:
    """The count of OCOP stars a question asks for ("5 sao", "4-star", "năm sao"), if any."""
    return _without_stars(fold(text).split())[1]


def _counted(
    text: str, here: tuple[float, float] | None, index: Catalogue, stars: int | None
) -> Answer:
    """`_understand` among the places that may answer a count of `stars`, those first."""
    if stars is None:
        return _understand(text, here, index)
    return _first(_understand(text, here, _fitting(index, stars)), stars)


def _without_stars(words: list[str]) -> tuple[list[str], int | None]:
    """The words without those of OCOP stars ("5 sao", "5-star", "năm sao", "mấy sao", "how
    many stars"), and the count asked for, if any."""
    kept: list[str] = []
    count = None
    for word in words:
        glued = _STARRED.fullmatch(word)
        if glued:
            count = int(glued.group(1))
        elif word in _STAR_WORDS and kept and (kept[-1].isdigit() or kept[-1] in _COUNTS):
            number = kept.pop()
            count = int(number) if number.isdigit() else _COUNTS[number]
        else:
            kept.append(word)
    kept, _ = _remove(kept, _STARS_ASKED)
    return kept, count if count is not None and 1 <= count <= 5 else None


@cache
def _fitting(index: Catalogue, stars: int) -> Catalogue:
    """The places that may answer a question asking for `stars`: those of that count, and those
    whose stars are their products' (a shop, a craft village: a kind no place of which is rated
    itself). A place of another count, or of a rated kind (a tourism service) with none
    recorded, is no answer."""
    rated = {p.kind for p in index.places if p.ocop_stars}
    return Catalogue(
        tuple(
            p
            for p in index.places
            if p.ocop_stars == stars or p.ocop_stars is None and p.kind not in rated
        )
    )


def _first(answer: Answer, stars: int) -> Answer:
    """The answer with its places of `stars` first."""

    def other(place: Place) -> bool:
        return place.ocop_stars != stars

    if answer.kind == "places":
        order = sorted(range(len(answer.places)), key=lambda i: other(answer.places[i]))
        scores = tuple(answer.scores[i] for i in order) if answer.scores else ()
        return replace(answer, places=tuple(answer.places[i] for i in order), scores=scores)
    if answer.kind == "near":
        return replace(answer, nearby=tuple(sorted(answer.nearby, key=lambda n: other(n.place))))
    return answer


def _understand(text: str, here: tuple[float, float] | None, index: Catalogue) -> Answer:
    """`understand` but for the stars asked for. Hours or a phone asked of a place ("Bát Tràng
    mở cửa mấy giờ") are read off: the place is found and the answer says they are unknown
    (`practical`); asked of no place, declined."""
    if small_talk(text) is not None:
        return Answer("pass")  # "xin chào" is no place (it once listed "Làng chài …")
    words = without_small_talk(text)
    words = repair(words, lambda w: index.knows(w) or is_a_name(w), _control_words())
    if not words:
        return Answer("pass")
    joined = " ".join(words)
    if "ocop" in words and any(f" {p} " in f" {joined} " for p in _ABOUT_OCOP):
        return Answer("pass")  # a question about the programme: the FAQ answers it
    words, _ = _remove(words, FILLER)
    words, _ = _remove(words, PROCESS)
    words = without_make(radius_read(shop_opened(without_counts(words))), index)
    while words and (words[0] in FOLLOW_ON or asks_what_about(words, text, index)):
        words = words[1:]
    words, opened = opening_asked(words)
    words, practical = _remove(words, PRACTICAL)
    if not practical and not opened:
        return _read(text, words, here, index)
    reason = "practical" if practical else "opened"
    words, _ = _remove(words, WHEN)
    if all(w in NAMING_NOTHING for w in words):
        return Answer("decline", reason=reason)
    answer = _read(text, words, here, index)
    if answer.kind == "places" and answer.scope is None:  # places named, not a province's
        return replace(answer, practical=practical, opened=opened)
    return Answer("decline", reason=reason)


def _read(
    text: str, words: list[str], here: tuple[float, float] | None, index: Catalogue
) -> Answer:
    """`_understand` once the framing phrases are read off `words`."""
    words, _ = _without_stars(words)
    if not words:
        return Answer("pass")  # "5 sao", "how many stars": the FAQ answers
    words, far = _remove(words, DISTANCE)
    if far:  # "how far is the nearest craft village": the list near, with its distances
        measured = _distance(words, here, index)
        asked = " ".join(w for w in words if w not in _FROM_AFTER and w not in _HERE_ENDS)
        listed = _understand(asked, here, index) if measured.kind == "decline" else measured
        near = listed.kind in ("near", "need_location") and bool(listed.topic or listed.place_kind)
        return listed if near else measured
    words, near_me = _remove(words, HERE_WORDS)
    words, near_there = _remove(words, THERE_WORDS)
    mentions = _mentions(words)
    marks = read_off(words, mentions, index)
    if marks:  # "Quảng Nam cũ", "… ở Huế nha": the names, as the data reads them
        words = [w for i, w in enumerate(words) if i not in marks]
        mentions = _mentions(words)
    typed = as_typed(text)
    if _abroad(typed, words, mentions):
        return Answer("decline", reason="abroad")
    plain = _plain(typed, words, mentions, near_me)
    spelt = typed_spellings(text)
    present = set(words)
    near_ends = [(i, len(p)) for p in _longest_first(NEAR_WORDS) for i in _ends(words, p, present)]
    near_at = {i for i, _ in near_ends}
    said = next((m for m in mentions if m.spots or m.scope), None)
    if near_me and said is not None:  # "I'm in Hội An, … near me": near where they say they are
        near_me = False
        near_at.add(said.start)
    elif near_there:  # "đi vịnh Hạ Long thì gần đó có gì": near the place named
        if said is None:
            near_me = True
        else:
            near_at.add(said.start)
    for several_words in (True, False):  # "đổi tiền" first; a lone "train" after names
        if not several_words and not near_me and not any(_near(m, near_at) for m in mentions):
            marked = {i - n + k for i, n in near_ends for k in range(n)}
            marked |= {i for m in mentions if _unbounded(m) for i in range(m.start, m.end)}
            unmarked = [w if i not in marked else "" for i, w in enumerate(words)]
            named_in = [m for m in mentions if not _unbounded(m)]  # "Vạn Phúc Hà Tây": Vạn Phúc
            by_name = named(index, unmarked, named_in, plain, spelt)
            if by_name is not None:  # a place's own name, even with "resort" in it
                shared = _product_near(words, here, plain, spelt, index) if not mentions else None
                return by_name if shared is None or len(by_name.places) < 2 else shared
        for reason, firsts, targets in _cannot(several_words):
            if not firsts.isdisjoint(present) and any(_at(words, t) >= 0 for t in targets):
                return Answer("decline", reason=reason)
    rest = [w for i, w in enumerate(words) if not any(m.start <= i < m.end for m in mentions)]
    rest, _ = _remove(rest, NEAR_WORDS)
    terms, kinds = parse_terms(rest, plain=plain, typed=spelt)
    place_kind = next(iter(kinds)) if len(kinds) == 1 else None
    topic = " ".join(t.text for t in terms if t.weight >= 1)

    if near_me:
        if here is None:
            return Answer("need_location", topic=topic, place_kind=place_kind)
        if outside_vietnam(*here):
            return Answer("outside")
        origin = Spot("", "", here[0], here[1], "here", 0)
        return around(origin, terms, place_kind, topic, index, TOPIC_KM)

    province = next((m.scope for m in mentions if m.scope and m.scope.province_code), None)
    spots = [
        m for m in mentions if m.spots and not (m.scope and not m.town and not _near(m, near_at))
    ]
    scope = next((m.scope for m in mentions if m.scope), None)
    if spots:
        mention = spots[0]
        if (
            province
            and province is not mention.scope
            and not mention.town
            or (
                province
                and mention.town
                and mention.scope is None
                and province.province_code not in {s.province_code for s in mention.spots}
            )
        ):
            mention = narrowed(mention, province.province_code or 0)
        if len(mention.spots) > 1:
            some_area = any(s.level in AREAS for s in mention.spots)  # "Sơn Tây": which one?
            if not terms and not place_kind and not _near(mention, near_at) and not some_area:
                return Answer("decline", reason="no_match", options=mention.spots)
            if terms or place_kind:  # the product may settle which one ("kẹo dừa Mỏ Cày")
                fits = [
                    a
                    for a in (
                        _around_town(mention.text, s, terms, place_kind, topic, index, TOWN_KM)
                        for s in mention.spots
                    )
                    if a.kind in ("near", "places")
                ]
                if len(fits) == 1 or len({_found_ids(a) for a in fits}) == 1:
                    return fits[0]  # one reading fits, or all lead to the same places
            return Answer("ask", options=mention.spots, topic=topic, place_kind=place_kind)
        if not mention.spots:
            return Answer("decline", reason="unknown_place", topic=topic)
        origin = mention.spots[0]
        if _near(mention, near_at) or not mention.scope:
            area = mention.town or origin.level in AREAS  # a bare commune's name names no place
            if not terms and not place_kind and not _near(mention, near_at) and not area:
                others = nearby_places(origin, None, TOWN_KM, index)
                return Answer("decline", reason="no_match", origin=origin, others=others)
            reach = TOWN_KM if not terms and not place_kind else TOPIC_KM
            if not _near(mention, near_at) and (terms or place_kind):
                reach = TOWN_KM
            found = _around_town(mention.text, origin, terms, place_kind, topic, index, reach)
            if found.kind == "decline" and place_kind and not topic and reach < TOPIC_KM:
                # a kind none of is in the town ("Halong bay craft village"): the nearest
                # within TOPIC_KM, said to be farther away, as "near Hạ Long" gives them
                wider = _around_town(
                    mention.text, origin, terms, place_kind, topic, index, TOPIC_KM
                )
                return wider if wider.kind == "near" else found
            return found
        scope = mention.scope
    if scope is not None and not scope.bounds_known:  # "làng nghề Hà Tây": which part?
        whole = Scope(scope.label, scope.label, scope.province_code, frozenset())
        inside = in_scope(whole, terms, place_kind, topic, index) if terms or place_kind else None
        return Answer(
            "ask",
            places=inside.places if inside is not None else (),
            scope=scope,
            topic=topic,
            place_kind=place_kind,
        )
    if scope is not None:
        return in_scope(scope, terms, place_kind, topic, index)
    if any(_near(m, near_at) for m in mentions) or near_at:
        return Answer("decline", reason="unknown_place", topic=topic)
    if not place_kind and not any(t.concept for t in terms):
        return Answer("pass")  # only words no place knows: the FAQ or the menu answers
    if here is not None and not outside_vietnam(*here):  # a location shared just before
        origin = Spot("", "", here[0], here[1], "here", 0)
        return around(origin, terms, place_kind, topic, index, TOPIC_KM)
    return anywhere(terms, place_kind, topic, index)


def _product_near(
    words: list[str],
    here: tuple[float, float] | None,
    plain: frozenset[str],
    spelt: Mapping[str, frozenset[str]],
    index: Catalogue,
) -> Answer | None:
    """A product several places carry in their names ("nước mắm", "nón lá"), asked after a
    location was shared: the places about it nearest that location first, wherever they are,
    as any other product is ("honey"); None without a location or with words not all products."""
    if here is None or outside_vietnam(*here):
        return None
    terms, kinds = parse_terms(_remove(words, NEAR_WORDS)[0], plain=plain, typed=spelt)
    topical = [t for t in terms if t.weight >= 1]
    if not topical or not all(t.concept and not t.proper for t in topical):
        return None
    place_kind = next(iter(kinds)) if len(kinds) == 1 else None
    topic = " ".join(t.text for t in topical)
    origin = Spot("", "", here[0], here[1], "here", 0)
    answer = around(origin, terms, place_kind, topic, index, ANYWHERE_KM)
    return answer if answer.kind == "near" else None


def _found_ids(answer: Answer) -> frozenset[str]:
    """The places an answer lists, whatever their order."""
    return frozenset(p.id for p in (*answer.places, *(n.place for n in answer.nearby)))


def _mentions(words: list[str]) -> list[Mention]:
    return _landforms_read(
        find_mentions(words, phrases=table_phrases(), function_words=NAMING_NOTHING)
    )


def _around_town(
    name: str,
    origin: Spot,
    terms: list[Term],
    place_kind: str | None,
    topic: str,
    index: Catalogue,
    reach: float,
) -> Answer:
    """`around` a town or area named, or, when nothing with a point there is about the topic,
    its places without one (`unlocated`)."""
    found = around(origin, terms, place_kind, topic, index, reach)
    if not (terms or place_kind) or found.kind not in ("near", "decline"):
        return found
    unplaced = unlocated(name, origin, terms, place_kind, topic, index)
    if found.kind == "decline" or unplaced is None:
        return unplaced or found
    code = origin.province_code
    at = next(
        (k for k, n in enumerate(found.nearby) if index.province_of(n.place) != code),
        len(found.nearby),
    )
    return replace(found, unplaced=unplaced.places, unplaced_at=at)


def _distance(words: list[str], here: tuple[float, float] | None, index: Catalogue) -> Answer:
    """How far apart the two places of the question are (in a straight line), or from the
    location shared; need_location when one end is "here" and none was shared; declined when
    an end is no place with a point (abroad, unknown, a place without coordinates)."""
    words = [w for w in words if w not in _FILLING]
    while words and words[0] in _LEADING:
        words = words[1:]
    ends: list[list[str]] = [words, []]
    for connectors, measured_from_after in ((_FROM_AFTER, True), (_FROM_BEFORE, False)):
        at = next((i for i, w in enumerate(words) if i and w in connectors), None)
        if at is not None:
            first, second = words[:at], words[at + 1 :]
            ends = [second, first] if measured_from_after else [first, second]
            break
    start, end = ends if ends[1] else ([], ends[0])  # one end named: from "here"
    target = _end_point(end, here, index) if end else None
    origin = _end_point(start, here, index) if isinstance(target, Spot | Place) else None
    if origin == "here" or target == "here":
        return Answer("need_location", reason="distance")
    if not isinstance(origin, Spot | Place) or not isinstance(target, Spot | Place):
        return Answer("decline", reason="distance")
    a, b = _spot(origin), _spot(target)
    return Answer(
        "distance",
        places=(target,) if isinstance(target, Place) else (),
        origin=a,
        target=b,
        km=haversine_km(a.lat, a.lon, b.lat, b.lon),
    )


def _spot(end: Spot | Place) -> Spot:
    """A place of the catalogue as a point (only located places reach here)."""
    if isinstance(end, Spot):
        return end
    assert end.lat is not None and end.lon is not None
    return Spot(end.name, end.name_en or end.name, end.lat, end.lon, "place", 0)


def _end_point(
    words: list[str], here: tuple[float, float] | None, index: Catalogue
) -> Spot | Place | str | None:
    """What one end of a distance question names: the location shared (the text "here" when
    none was), a town, former district or province named alone, a place of the catalogue
    with a point; None when it names none, or a place without a point."""
    if not words or " ".join(words) in _HERE_ENDS:
        return "here" if here is None else Spot("", "", here[0], here[1], "here", 0)
    mentions = find_mentions(words, phrases=table_phrases(), function_words=NAMING_NOTHING)
    if len(mentions) == 1 and (mentions[0].start, mentions[0].end) == (0, len(words)):
        whole = mentions[0]  # a town or province named alone: its point, not a shop named so
        if len(whole.spots) == 1 and (whole.town or whole.spots[0].level in AREAS):
            return whole.spots[0]
        if whole.scope is not None and whole.scope.bounds_known and not whole.spots:
            return province_point(whole.scope)
    answer = _understand(" ".join(words), None, index)
    if answer.kind == "places" and not answer.topic and not answer.place_kind and answer.places:
        if answer.scope is not None:
            return province_point(answer.scope)
        place = answer.places[0]  # without a coordinate: no distance, never another point
        return place if place.lat is not None and place.lon is not None else None
    if answer.kind == "near" and not answer.topic and not answer.place_kind:
        return answer.origin
    return None


def _plain(typed: str, words: list[str], mentions: list[Mention], near_me: bool) -> frozenset[str]:
    """The words of `UNSURE` in the question to read as common words: typed with other
    diacritics ("còn"), or typed without any ("con") in a question that names no place, kind,
    other product, village or "near me" to say it is about places ("how to go", "toi khong
    hieu")."""
    found = UNSURE.keys() & set(words)
    if not found:
        return frozenset()
    if not typed.isascii():  # diacritics typed: the spelling says
        return frozenset(w for w in found if not any(f" {f} " in typed for f in UNSURE[w]))
    if near_me or any(m.spots or m.scope for m in mentions):
        return frozenset()
    terms, kinds = parse_terms(words)
    anchored = kinds or any(t.concept and t.text not in UNSURE or t.text in VILLAGE for t in terms)
    return frozenset() if anchored else frozenset(found)


@cache
def _abroad_names() -> dict[str, list[tuple[Phrase, str]]]:
    """The folded words of each name of `ABROAD` with the name as written, by first word."""
    by_first: dict[str, list[tuple[Phrase, str]]] = {}
    for name in ABROAD:
        folded = fold(name).split()
        by_first.setdefault(folded[0], []).append((folded, name))
    return by_first


@cache
def _phrases_with(word: str) -> list[Phrase]:
    """The table phrases of several words holding this word ("cu lao" for "lao")."""
    return [p.split() for p in table_phrases() if " " in p and word in p.split()]


def _abroad(typed: str, words: list[str], mentions: list[Mention]) -> bool:
    """Whether the question names a place outside Vietnam, and none in it: a name of `ABROAD`
    typed as written or without diacritics ("nhat ban", never "nhất bản"), not inside a
    phrase of the tables ("cù lao") or a Vietnamese name ("Lào Cai")."""
    if any(m.spots or m.scope for m in mentions):
        return False
    by_first = _abroad_names()
    for folded, written in (n for word in set(words) for n in by_first.get(word, ())):
        at = _at(words, folded)
        if at < 0 or f" {written} " not in typed and f" {' '.join(folded)} " not in typed:
            continue
        span = range(at, at + len(folded))
        inside = any(
            any(i in span for i in range(start, start + len(phrase)))
            for word in folded
            for phrase in _phrases_with(word)
            for start in range(len(words) - len(phrase) + 1)
            if words[start : start + len(phrase)] == phrase
        )
        if not inside:
            return True
    return False


def _ends(words: list[str], target: Phrase, present: set[str]) -> list[int]:
    """Where each occurrence of a phrase ends in the words (`present`: the words, as a set)."""
    if target[0] not in present:
        return []
    n = len(target)
    return [i + n for i in range(len(words) - n + 1) if words[i : i + n] == target]


def _unbounded(mention: Mention) -> bool:
    """Whether the mention is a province merged in before 2025 whose bounds the data lacks."""
    return mention.scope is not None and not mention.scope.bounds_known


def _near(mention: Mention, near_at: set[int]) -> bool:
    """Whether "near"/"gần" comes right before the mention (one filler word allowed)."""
    return mention.start in near_at or mention.start - 1 in near_at
