"""The bundled catalogue: editions (with the dates they hold between), product sets by sector and
group, the sheet files shipped in `sheets/`, and finding a set from a typed product name."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from knowledge.criteria.model import Edition, ProductSet
from knowledge.gazetteer import place_mentions
from knowledge.text import fold


@cache
def _catalogue() -> dict[str, Any]:
    text = resources.files("knowledge.criteria").joinpath("catalogue.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _day(value: str | None) -> date | None:
    return None if not value else date.fromisoformat(value)


@cache
def editions() -> dict[str, Edition]:
    """Every known edition by code ("26", "148", "1048"), newest first."""
    found = {
        e["code"]: Edition(
            code=e["code"],
            decision=e["decision"],
            signed_on=e["date"],
            in_force_from=date.fromisoformat(e["in_force_from"]),
            lapses_on=_day(e.get("lapses_on")),
            star_thresholds=tuple(
                sorted(
                    ((th["stars"], float(th["min"])) for th in e["star_thresholds"]), reverse=True
                )
            ),
            parts=tuple((p["code"], p["name"], float(p["max_points"])) for p in e["parts"]),
            superseded_by=e.get("superseded_by", ""),
            certified_from=int(e.get("certified_from", 3)),
            part_names_en=tuple((p["code"], p.get("name_en", "")) for p in e["parts"]),
            bands_article=e.get("bands_article", ""),
        )
        for e in _catalogue()["editions"]
    }
    return dict(sorted(found.items(), key=lambda kv: kv[1].in_force_from, reverse=True))


def current_edition(today: date | None = None) -> Edition:
    """The edition in force on `today` (the latest one to take effect)."""
    day = today or datetime.now(UTC).date()
    in_force = [e for e in editions().values() if e.in_force(day)]
    return max(in_force or editions().values(), key=lambda e: e.in_force_from)


def _groups_of(edition: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(sector, group) pairs of an edition; editions without sectors have one unnamed sector."""
    if "sectors" in edition:
        return [(sector, group) for sector in edition["sectors"] for group in sector["groups"]]
    return [({}, group) for group in edition["groups"]]


@cache
def product_sets() -> dict[str, ProductSet]:
    """Every product set of every edition, by code, newest edition first."""
    sets: dict[str, ProductSet] = {}
    order = list(editions())
    for edition in sorted(_catalogue()["editions"], key=lambda e: order.index(e["code"])):
        for sector, group in _groups_of(edition):
            for item in group["sets"]:
                sets[item["code"]] = ProductSet(
                    code=item["code"],
                    name=item["name"],
                    name_en=item["name_en"],
                    group=group["name"],
                    group_en=group["name_en"],
                    edition=edition["code"],
                    keywords=tuple(item.get("keywords", ())),
                    sector=sector.get("name", ""),
                    sector_en=sector.get("name_en", ""),
                    successor=item.get("successor", ""),
                    made_from=tuple(item.get("made_from", ())),
                )
    return sets


def _edition_data(edition_code: str) -> dict[str, Any]:
    return next(e for e in _catalogue()["editions"] if e["code"] == edition_code)


def groups(edition_code: str) -> list[tuple[str, str, str, list[ProductSet]]]:
    """(code, name, English name, sets) of each group of an edition, in catalogue order."""
    sets = product_sets()
    return [
        (g["code"], g["name"], g["name_en"], [sets[s["code"]] for s in g["sets"]])
        for _, g in _groups_of(_edition_data(edition_code))
    ]


def sectors(
    edition_code: str,
) -> list[tuple[str, str, str, list[tuple[str, str, str, list[ProductSet]]]]]:
    """(code, name, English name, groups) of each sector (ngành) of an edition; an edition
    catalogued by groups only has one sector per group."""
    data = _edition_data(edition_code)
    by_code = {g[0]: g for g in groups(edition_code)}
    if "sectors" not in data:
        return [(g[0], g[1], g[2], [g]) for g in by_code.values()]
    return [
        (s["code"], s["name"], s["name_en"], [by_code[g["code"]] for g in s["groups"]])
        for s in data["sectors"]
    ]


def in_force_set(product_set: ProductSet, today: date | None = None) -> ProductSet | None:
    """The set of the edition in force that a (possibly superseded) set has become."""
    edition = current_edition(today).code
    sets = product_sets()
    current: ProductSet | None = product_set
    while current is not None and current.edition != edition:
        current = sets.get(current.successor)
    return current


@cache
def bundled_documents() -> dict[str, dict[str, Any]]:
    """The sheet documents shipped in `knowledge/criteria/sheets/`, by product set code."""
    folder = resources.files("knowledge.criteria").joinpath("sheets")
    documents = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            document = json.loads(entry.read_text("utf-8"))
            documents[document["set"]] = document
    return documents


@dataclass(frozen=True, slots=True)
class SetMatch:
    """A product set found for a typed product name."""

    product_set: ProductSet
    score: float


def find_sets(text: str, *, limit: int = 5, today: date | None = None) -> list[SetMatch]:
    """Product sets of the edition in force for a typed product ("mật ong", "nuoc mam", "tea"),
    best first: the sets it names (`named_sets`, `set_asked`: "kẹo lạc" is no "lạc"), then
    those spelled like it."""
    query = fold(text)
    if not query:
        return []
    names, codes = _set_names(current_edition(today).code)
    found = process.extract(query, names, scorer=fuzz.WRatio, score_cutoff=80, limit=limit * 6)
    asked = set_asked(text, today=today)
    named = named_sets(text, today=today) or ([asked] if asked else [])
    best = {s.code: 101.0 for s in named}  # the product named, first
    for _, score, index in found:
        code = codes[index]
        best[code] = max(best.get(code, 0.0), float(score))
    sets = product_sets()
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    return [SetMatch(sets[code], score) for code, score in ranked[:limit]]


@cache
def _set_names(edition: str) -> tuple[list[str], list[str]]:
    """The folded names (Vietnamese, English, keywords) of the edition's sets, and the code of
    each name's set: folded once, not for every product a producer types."""
    names: list[str] = []
    codes: list[str] = []
    for item in product_sets().values():
        if item.edition == edition:
            for name in (item.name, item.name_en, *item.keywords):
                names.append(fold(name))
                codes.append(item.code)
    return names, codes


def set_asked(text: str, *, english: bool = False, today: date | None = None) -> ProductSet | None:
    """The one set of the edition in force a question names ("mật ong thuộc bộ nào", "which set
    is fish sauce in"): its names and keywords held whole, a word inside a longer one left out
    ("cá" in "chả cá"), the raw material's set left out for the set made from it ("nếp" in
    "rượu nếp"), then the product's head: the first one in Vietnamese ("xoài cát Hòa Lộc"), the
    last in English ("mango juice"). None when none is held, or sets share that place."""
    words = tuple(fold(text).split())
    keys = _keys(current_edition(today).code)
    hits = [
        (i, j, p)
        for i in range(len(words))
        for j in range(i + 1, len(words) + 1)
        for p in keys.at.get(words[i:j], ())
    ]
    hits = [h for h in hits if not _inside(h[0], h[1], hits) and not _homograph(words, h[0], h[1])]
    named = _made({keys.items[p].code for _, _, p in hits}, words, today)
    held = [(i, j, named[c]) for i, j, p in hits if (c := keys.items[p].code) in named]
    if not held:
        return None
    head = max(j for _, j, _ in held) if english else min(i for i, _, _ in held)
    found = {code for i, j, code in held if (j if english else i) == head}
    return product_sets()[found.pop()] if len(found) == 1 else None


_HOMOGRAPHS: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = {
    ("gom",): (frozenset(), frozenset({"nhung", "gi", "j", "co", "cac", "ca", "may", "nhieu"})),
    ("nhan",): (
        frozenset({"chung", "cong", "ghi", "xac", "tiep", "thua", "ca", "tu", "nguyen", "ket"}),
        frozenset({"vien", "hieu", "mac", "dan", "luc", "su", "thuc", "dip", "biet", "manh"}),
    ),
    ("tra",): (frozenset({"kiem", "tim"}), frozenset({"cuu", "loi"})),
    ("ca",): (frozenset(), frozenset({"nhan", "the"})),
    ("tieu",): (frozenset(), frozenset({"chi", "chuan", "de", "thu", "dung", "bieu"})),
}
"""Keywords spelled, once folded, like part of a common word, with the words before or after
that make that word: "gồm những gì" (consists of) is no "gốm" (pottery), "chứng nhận" no
"nhãn" (longan), "kiểm tra" no "trà", "cá nhân" no "cá", "tiêu chí" no "tiêu" (pepper)."""


def _homograph(words: tuple[str, ...], i: int, j: int) -> bool:
    """Whether the keyword at words[i:j] is part of the common word spelled like it."""
    rule = _HOMOGRAPHS.get(words[i:j])
    if rule is None:
        return False
    before, after = rule
    return (i > 0 and words[i - 1] in before) or (j < len(words) and words[j] in after)


def _made(codes: set[str], words: tuple[str, ...], today: date | None) -> dict[str, str]:
    """Each set a text names → the set it names it as: a raw material's with a word of
    processing ("cá cơm sấy", "smoked pork") → the set made from it; then a raw material's
    beside a set made from it ("nếp" in "rượu nếp") is left out."""
    sets = product_sets()
    words_of, into = _processing(current_edition(today).code)
    held = any(words[i : i + len(w)] == w for w in words_of for i in range(len(words)))
    named = {code: into.get(code, code) if held else code for code in codes}
    raw = {m for code in named.values() for m in sets[code].made_from}
    kept = set(named.values()) - raw or set(named.values())
    return {code: made for code, made in named.items() if made in kept}


@cache
def _processing(edition: str) -> tuple[tuple[tuple[str, ...], ...], dict[str, str]]:
    """An edition's words of processing ("sấy", "dried"), folded, and the set each raw
    material's set is processed into."""
    data = _edition_data(edition).get("processing", {})
    words = tuple(tuple(fold(w).split()) for w in data.get("words", ()))
    return words, dict(data.get("into", {}))


Phrases = dict[str, tuple[tuple[str, ...], ...]]
"""Phrases as their folded words, by their first word, matched against a text's first words."""


def _as_words(*phrases: str) -> Phrases:
    """The phrases as `Phrases` (split once, as the module loads)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.split())
        by_first.setdefault(words[0], []).append(words)
    return {first: tuple(found) for first, found in by_first.items()}


_NAMING = _as_words("san pham cua toi la", "san pham", "my product is", "our product is")
"""How a producer starts naming their product ("sản phẩm của tôi là mật ong")."""
_WISHING = _as_words(
    *(f"{me} muon" for me in ("toi", "em", "e", "minh", "chung toi")),
    "muon",
    "i want to",
    "i would like to",
    "we want to",
)
_ASSESSING = _as_words(
    *(
        f"{verb} {what}"
        for verb in ("danh gia", "tu danh gia", "cham diem")
        for what in ("san pham", "")
    ),
    *(f"{verb} my" for verb in ("assess", "evaluate", "score", "self assess")),
    "assess",
    "evaluate",
)
"""How a producer asks to assess a product ("tôi muốn đánh giá sản phẩm chè", "assess my
honey"): the product follows."""
_ME = ("toi", "minh", "em", "e", "mk")
"""A producer's "I" as typed, with the short forms of chat ("e", "mk")."""
_PEOPLE = _as_words(*_ME, "chung toi", "chung em", "chung minh", "i", "we")
_HOUSEHOLDS = _as_words(
    *(f"{who} {me}" for who in ("nha", "gia dinh", "ben") for me in _ME),
    "htx",
    "hop tac xa",
    "co so",
    "cong ty",
    "doanh nghiep",
    "trang trai",
    *(f"{our} {who}" for our in ("my", "our") for who in ("family", "farm", "company")),
    "our cooperative",
    "our coop",
    "our business",
)
"""Who a producer says makes the product: a person ("tôi", "we"), or a household or business
("nhà tôi", "HTX", "our farm"), which may be followed by whose it is ("HTX em", "cơ sở của
tôi")."""
_WHOSE = _as_words(*_ME, "chung toi", "chung em", *(f"cua {me}" for me in (*_ME, "chung toi")))
_VERBS = (
    "lam",
    "san xuat",
    "sx",
    "trong",
    "nuoi",
    "che bien",
    "kinh doanh",
    "nau",
    "det",
    *("make", "makes", "produce", "produces", "process", "processes", "grow", "grows"),
    *("run", "runs", "own", "owns", "brew", "brews", "weave", "weaves", "have", "has"),
    *("sell", "sells"),
)
_MAKING = _as_words(*_VERBS)
_MAKING_OR_HAVING = _as_words(*_VERBS, "co", "mo")
"""A household or business also "có" or "mở" what it makes ("nhà tôi có homestay"); a person's
"tôi có" is too often "I can" or "I have results" ("kết quả": "quả" is fruit)."""
_ARTICLES = frozenset({"a", "an", "some", "my", "our"})


def _opening(words: tuple[str, ...], phrases: Phrases) -> int:
    """How many first words are the longest of the phrases (0: none)."""
    if not words:
        return 0
    return max((len(p) for p in phrases.get(words[0], ()) if words[: len(p)] == p), default=0)


def _after_lead_in(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """What a producer says they make, after "tôi làm", "nhà tôi có", "HTX em sản xuất", "we
    run a", "sản phẩm của tôi là", or asks to assess, after "tôi muốn đánh giá sản phẩm";
    None when the words do not open so."""
    if size := _opening(words, _NAMING):
        return words[size:] or None
    wish = _opening(words, _WISHING)
    if size := _opening(words[wish:], _ASSESSING):
        rest = words[wish + size :]
        return rest[_opening(rest, _NAMING) :] or None
    household = _opening(words, _HOUSEHOLDS)
    size = household or _opening(words, _PEOPLE)
    if not size:
        return None
    rest = words[size:]
    if household:
        rest = rest[_opening(rest, _WHOSE) :]
    verb = _opening(rest, _MAKING_OR_HAVING if household else _MAKING)
    if not verb:
        return None
    rest = rest[verb:]
    while rest and rest[0] in _ARTICLES:
        rest = rest[1:]
    return rest or None


_QUESTION_WORDS = frozenset(
    {"sao", "gi", "nao", "khong", "mua", "where", "what", "which", "how", "buy"}
)
_QUESTION_PAIRS = frozenset({("o", "dau"), ("bao", "nhieu"), ("the", "nao")})
"""Words of a question ("mua mật ong ở đâu"): a question about a product is not a product.
"dau" alone is no question word: it is also oil ("tinh dầu")."""


def _is_question(words: tuple[str, ...]) -> bool:
    return bool(_QUESTION_WORDS.intersection(words)) or any(
        pair in _QUESTION_PAIRS for pair in zip(words, words[1:], strict=False)
    )


_MAX_WORDS = 7
_TYPO_RATIO = 88.0


@dataclass(frozen=True, slots=True)
class _Keys:
    """An edition's set names and keywords as folded word tuples, longest first, indexed."""

    items: tuple[ProductSet, ...]
    """The set of each key, in that order."""
    at: dict[tuple[str, ...], list[int]]
    """Key → its positions in that order."""
    spelled: tuple[str, ...]
    """Keys of five letters or more without spaces (typo lookup)…"""
    spelled_at: tuple[int, ...]
    """…and their positions."""


def _names(item: ProductSet) -> list[tuple[str, ...]]:
    """A set's name, English name and keywords as folded words, with each variety among its
    keywords ("chè shan tuyết") named by the set's other words for the product too ("trà shan
    tuyết", "shan tuyet tea"): a variety of two words or more says what it is."""
    names = [tuple(fold(name).split()) for name in (item.name, item.name_en, *item.keywords)]
    keywords = names[2:]
    heads = {k[0] for k in keywords if len(k) == 1}
    varieties = {k[1:] for k in keywords if len(k) >= 3 and k[0] in heads}
    return [
        *names,
        *((head, *variety) for variety in varieties for head in heads),
        *((*variety, head) for variety in varieties for head in heads),
    ]


@cache
def _keys(edition: str) -> _Keys:
    keys = [
        (key, item)
        for item in product_sets().values()
        if item.edition == edition
        for key in dict.fromkeys(_names(item))
    ]
    keys.sort(key=lambda k: -len(k[0]))
    at: dict[tuple[str, ...], list[int]] = {}
    for position, (key, _) in enumerate(keys):
        at.setdefault(key, []).append(position)
    spelled = [("".join(key), position) for position, (key, _) in enumerate(keys)]
    spelled = [(joined, position) for joined, position in spelled if len(joined) >= 5]
    return _Keys(
        items=tuple(item for _, item in keys),
        at=at,
        spelled=tuple(joined for joined, _ in spelled),
        spelled_at=tuple(position for _, position in spelled),
    )


def _spans(words: tuple[str, ...], led: bool) -> set[tuple[int, int]]:
    """Where a key would name something in `words` (start, end): the whole, any run of two
    words or more, and after a lead-in any first or last words."""
    n = len(words)
    spans = {(i, j) for i in range(n) for j in range(i + 2, n + 1)}
    spans.add((0, n))
    if led:
        spans.update((0, size) for size in range(1, n + 1))
        spans.update((n - size, n) for size in range(1, n + 1))
    return spans


def named_sets(text: str, *, today: date | None = None) -> list[ProductSet]:
    """Product sets a producer names when they say what they make, best first: a set's name or
    keyword typed whole ("nuoc mam"), with a variety or origin around it ("mật ong rừng",
    "Phu Quoc fish sauce"), a one-syllable keyword with a place's name ("trà Thái Nguyên",
    "Ha Giang honey", "honey from Ha Giang") or first or last after the producer says it is
    theirs ("tôi làm gạo nếp", "nhà tôi có homestay", "HTX em sản xuất chè", "we run a
    homestay"), or a close typo of the whole phrase ("nuoc mamm").

    A question ("mua mật ong ở đâu"), a long sentence, a place's own name ("Trà Vinh") or a
    one-syllable word on its own in a phrase ("cảm ơn", "tra cứu") names nothing: those words
    mean other things too."""
    words = _unplaced(_unowned(tuple(fold(text).split())))
    said = _by_trade(words) or _after_lead_in(words)
    led = said is not None
    words = said or words
    if not words or len(words) > _MAX_WORDS or _is_question(words):
        return []
    keys = _keys(current_edition(today).code)
    hits = [(i, j, p) for i, j in _spans(words, led) for p in keys.at.get(words[i:j], ())]
    if rest := _beside_places(words):
        key = tuple(words[i] for i in rest)
        hits += [(rest[0], rest[-1] + 1, p) for p in keys.at.get(key, ())]
        if len(key) > 1 and key[0] not in _ME and _AT.keys().isdisjoint(key):
            # "rượu ngô men lá Hà Giang": the product, its variety, its origin ("tôi ở Hà
            # Giang" is where someone is)
            hits += [(rest[0], rest[0] + 1, p) for p in keys.at.get(key[:1], ())]
    found: dict[str, ProductSet] = {}
    for position in sorted(p for i, j, p in hits if not _inside(i, j, hits)):
        found.setdefault(keys.items[position].code, keys.items[position])
    made = _made(set(found), words, today)
    found = {made[code]: product_sets()[made[code]] for code in found if code in made}
    if not found and len(words) <= 3:
        joined = "".join(words)
        # In C, with a lower cutoff: the ratio is then compared as it always was, in Python.
        close = process.extract(
            joined, keys.spelled, scorer=fuzz.ratio, score_cutoff=_TYPO_RATIO - 1, limit=None
        )
        for spelled in sorted(i for _, score, i in close if score >= _TYPO_RATIO):
            item = keys.items[keys.spelled_at[spelled]]
            found.setdefault(item.code, item)
    return list(found.values())


def _unowned(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words without whose they are at the end ("mật ong của tôi", "sản phẩm của em"):
    "tôi" typed without diacritics is also "tỏi" (garlic), and says nothing made."""
    for whose in _WHOSE.get("cua", ()):
        if words[-len(whose) :] == whose:
            return words[: -len(whose)]
    return words


_AT = _as_words("o", "tai", "song o", "from", "in", "at", "based in")
"""What says where someone is ("ở Hà Giang", "from Son La")."""
_BEING = frozenset({"am", "are", "is", "m", "re"})
"""The verb before it ("we are in Phu Quoc"), left out with it."""


def _unplaced(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words without where the producer is, said between who they are and what they make
    ("tôi ở Hà Giang làm mật ong", "we are in Phu Quoc and make fish sauce", "I am from Son
    La, we grow coffee"): who, then what; a place named without "ở" / "from" stays ("trà Thái
    Nguyên")."""
    dropped: set[int] = set()
    for mention in place_mentions(list(words)):
        if mention.start and mention.start - 1 in dropped and mention.end < len(words):
            dropped.update(range(mention.start, mention.end))  # "ở xã Tân Cương, Thái Nguyên"
            continue
        before = words[: mention.start]
        at = max((len(p) for ps in _AT.values() for p in ps if before[-len(p) :] == p), default=0)
        if not at or mention.start == at or mention.end == len(words):
            continue  # no "ở" before it, or nothing around it: a place asked about
        start = mention.start - at
        start -= start > 0 and words[start - 1] in _BEING
        end = mention.end + (mention.end < len(words) and words[mention.end] in ("va", "and"))
        dropped.update(range(start, end))
    kept = tuple(w for i, w in enumerate(words) if i not in dropped)
    if dropped and _opening(kept, _PEOPLE) and _opening(kept[1:], _PEOPLE):
        kept = kept[1:]  # "I (am from Son La) we grow coffee"
    return kept


_TRADES = frozenset(
    {"farmer", "farmers", "grower", "growers", "maker", "makers", "producer", "producers"}
)
_AM = _as_words("i am", "i m", "im", "we are", "we re")


def _by_trade(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """What a producer makes, said as who they are ("I'm a tea farmer in Thai Nguyen", "we are
    honey producers"); None when they do not say so."""
    size = _opening(words, _AM)
    rest = words[size:]
    rest = rest[rest[:1] in (("a",), ("an",)) :]
    trade = next((i for i, w in enumerate(rest) if w in _TRADES), 0)
    return rest[:trade] if size and trade else None


def _inside(start: int, end: int, hits: list[tuple[int, int, int]]) -> bool:
    """Whether a longer key found covers these words ("fish" in "fish sauce", "cà" in "cà
    phê"): they are part of it, not a product of their own."""
    return any(i <= start and end <= j and j - i > end - start for i, j, _ in hits)


def _beside_places(words: tuple[str, ...]) -> tuple[int, ...]:
    """Where the words around the places the text names are, without "from" ("tra", "honey"
    in "trà Thái Nguyên", "honey from Ha Giang"); nothing when it names none or is only a name
    ("Trà Vinh", "Cà Mau": a name is read whole, longest first)."""
    mentions = place_mentions(list(words))
    if not mentions:
        return ()
    inside = {i for m in mentions for i in range(m.start, m.end)}
    return tuple(i for i, w in enumerate(words) if i not in inside and w != "from")
