"""Matching words of a question against places: whole words and phrases first, typos second.

A question's words are grouped into *terms*: a product or activity concept ("silk" = "lụa"),
a kind of place ("craft village" = "làng nghề") or a literal word. A place matches a term when
one of the term's phrases appears as whole words in its name, what it offers, or (weaker) the
names of where it is. Fragments never match: "mộc" is not "Mộc Châu", "Sài Gòn" is not "Sài Sơn".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from knowledge.place_words import (
    COMPOUNDS,
    CONCEPTS,
    GENERIC,
    KIND_PHRASES,
    LEADS,
    STOP,
    table_phrases,
    table_words,
)
from knowledge.text import as_typed, fold, nfc, spelling

_TYPOS_KEPT = 16_384
"""Typed words whose typo candidates are kept (`PlaceIndex.typo_of`), as `fold` keeps folds."""


@dataclass(frozen=True, slots=True)
class Term:
    """Part of a question to match: any of `phrases` (folded word tuples) must appear."""

    text: str
    phrases: tuple[tuple[str, ...], ...]
    concept: bool
    """A product/activity concept (matched in name or offer alike) or a literal word."""
    weight: float
    kind: str = ""
    """For a kind of place ("craft village"): matched by places of that kind."""
    proper: bool = False
    """A proper name (a typed word or a place name), not a product or kind."""
    plain: bool = False
    """A short word read as a common word here ("con" as "còn", "hieu" as "hiểu"): no product,
    no typo of anything, and alone it names no place."""
    spelled: tuple[Spelled, ...] = ()
    """Per phrase, how a place must spell it (none: any way; `Spelled`)."""
    others: frozenset[str] = frozenset()
    """The question's other words, which no typo of this word is ("shoe" is no "shop" in
    "shoe shop")."""


Spelled = tuple[tuple[frozenset[str] | None, ...], bool]
"""How a place must spell a phrase: per word, the spellings it may have (`text.spelling`; None:
any), and whether the phrase is a common word ("hương", "tea"), which a place's capitalised
proper name ("Hương Canh") does not hold."""
ACCENT_MISS = 0.5
"""What a word typed with diacritics is worth where the place writes its letters with other
diacritics ("lúa" typed, "lụa" written)."""


def tokens(text: str) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()


@cache
def _known() -> dict[int, list[str]]:
    """Words of the phrase tables and stop list, by length (for typo repair)."""
    by_length: dict[int, list[str]] = {}
    for word in table_words():
        by_length.setdefault(len(word), []).append(word)
    return by_length


def typed_spellings(text: str) -> dict[str, frozenset[str]]:
    """The words of a text typed with diacritics: folded → their spellings ("chế" → "chế")."""
    found: dict[str, set[str]] = {}
    for word in as_typed(text).split():
        if not word.isascii():
            found.setdefault(fold(word), set()).add(spelling(word))
    return {word: frozenset(spelt) for word, spelt in found.items()}


def repair(
    words: Sequence[str], keep: Callable[[str], bool], also: Iterable[str] = ()
) -> list[str]:
    """Words with typos of phrase-table words (five letters or more) put right ("potery" →
    "pottery", "vilage" → "village"), and of the words `also` ("arround" → "around"); a key
    pressed twice at the end of a shorter word too ("dayy" → "day"); two words of a table
    phrase typed as one parted ("dulich" → "du lich", "langnghe" → "lang nghe"); words for
    which `keep` is true stay as typed."""
    known = _known()
    extra = frozenset(also)
    repaired = []
    for word in words:
        if keep(word) or word in known.get(len(word), ()) or word in extra:
            repaired.append(word)
            continue
        parted = _parted(word)
        if parted is not None:
            repaired.extend(parted)
            continue
        if len(word) >= 4 and word[-1] == word[-2] and (word[:-1] in extra or keep(word[:-1])):
            repaired.append(word[:-1])
            continue
        if len(word) >= 5:
            pool = [w for n in (len(word) - 1, len(word), len(word) + 1) for w in known.get(n, ())]
            pool += [w for w in extra if abs(len(w) - len(word)) <= 1]
            best = process.extractOne(word, pool, scorer=Levenshtein.distance, score_cutoff=1)
            if best is not None:
                word = best[0]
        repaired.append(word)
    return _in_phrases(repaired, lambda w: keep(w) or w in known.get(len(w), ()) or w in extra)


def _in_phrases(words: list[str], known: Callable[[str], bool]) -> list[str]:
    """Words with a short typo put right beside the other word of a two-word part of a table
    phrase ("lag nghe" → "lang nghe", "cong dog" → "cong dong"): an unknown word of three
    letters or more one edit from the word the phrase has there."""
    pairs = _phrase_pairs()
    fixed = list(words)
    for i in range(len(fixed) - 1):
        a, b = fixed[i], fixed[i + 1]
        if (a, b) in pairs[0]:
            continue
        if len(b) >= 3 and not known(b):
            near = [y for y in pairs[1].get(a, ()) if Levenshtein.distance(b, y) <= 1]
            if len(near) == 1:
                fixed[i + 1] = near[0]
        elif len(a) >= 3 and not known(a):
            near = [x for x in pairs[2].get(b, ()) if Levenshtein.distance(a, x) <= 1]
            if len(near) == 1:
                fixed[i] = near[0]
    return fixed


@cache
def _phrase_pairs() -> tuple[set[tuple[str, str]], dict[str, list[str]], dict[str, list[str]]]:
    """The two-word parts of the table phrases, and each one's second word by its first and
    first by its second."""
    pairs = {
        (p[i], p[i + 1])
        for phrase in table_phrases()
        for p in (phrase.split(),)
        for i in range(len(p) - 1)
    }
    after: dict[str, list[str]] = {}
    before: dict[str, list[str]] = {}
    for a, b in sorted(pairs):
        after.setdefault(a, []).append(b)
        before.setdefault(b, []).append(a)
    return pairs, after, before


@cache
def _glued() -> dict[str, tuple[str, str]]:
    """The two-word parts of the table phrases typed without their space ("dulich", "congdong",
    "thocam"), each to its two words; one typed so that could part two ways is left out."""
    parts: dict[str, set[tuple[str, str]]] = {}
    for a, b in _phrase_pairs()[0]:
        parts.setdefault(a + b, set()).add((a, b))
    return {joined: next(iter(ways)) for joined, ways in parts.items() if len(ways) == 1}


def _parted(word: str) -> tuple[str, str] | None:
    """`word` as two words typed without their space: a two-word part of a table phrase
    (`_glued`), else two table words of three letters or more ("langgom", "langlua"); None
    when it is neither, or could part two ways."""
    if word in _glued():
        return _glued()[word]
    known = table_words()
    ways = [
        (word[:i], word[i:])
        for i in range(3, len(word) - 2)
        if word[:i] in known and word[i:] in known
    ]
    return ways[0] if len(ways) == 1 else None


Table = dict[tuple[str, ...], dict[str, str]]
"""Folded phrase → each way it is written → its concept or kind (the last one written is the
reading of the phrase typed without diacritics: "dua" is "đũa" and "dừa")."""


@cache
def _phrase_table() -> tuple[Table, Table, int]:
    tables: tuple[Table, Table] = ({}, {})
    for table, source in zip(tables, (CONCEPTS, KIND_PHRASES), strict=True):
        for key, phrases in source.items():
            for written in phrases:
                table.setdefault(tuple(fold(written).split()), {})[written] = key
    longest = max(len(p) for table in tables for p in table)
    return *tables, longest


@cache
def _reach() -> dict[str, int]:
    """First word of a phrase of either table → the length of the longest it starts (a word
    starting none is looked up no further)."""
    reach: dict[str, int] = {}
    for table in _phrase_table()[:2]:
        for phrase in table:
            if phrase:
                reach[phrase[0]] = max(reach.get(phrase[0], 0), len(phrase))
    return reach


def single_concepts(words: Iterable[str]) -> list[str]:
    """The words that are a phrase of the concept table on their own ("lụa", "trà"): those
    `parse_terms` may read as a name instead (`as_name`)."""
    concepts = _phrase_table()[0]
    return [word for word in words if (word,) in concepts]


def _reading(ways: dict[str, str], typed: Sequence[frozenset[str] | None]) -> str | None:
    """The concept or kind of a phrase as typed: of the way it is written that has the
    diacritics typed (None when none has), or of its last way when typed without any."""
    if all(t is None for t in typed):
        return list(ways.values())[-1]
    for written, key in ways.items():
        words = written.split()
        if all(t is None or spelling(w) in t for w, t in zip(words, typed, strict=True)):
            return key
    return None


def _spelled(ways: Iterable[str], typed: Sequence[frozenset[str] | None]) -> Spelled:
    """How a place must spell a phrase the tables write in any of `ways`: each word typed with
    diacritics as typed (`typed`), the others as one of the ways writes them ("dua" typed
    without diacritics may be "dừa" or "đũa")."""
    ways = list(ways)
    split = [way.split() for way in ways]
    per_word = tuple(
        t if t is not None else frozenset(spelling(way[k]) for way in split)
        for k, t in enumerate(typed)
    )
    return per_word, all(way == way.lower() for way in ways)


def parse_terms(
    words: Sequence[str],
    *,
    kind_terms: bool = False,
    as_name: Callable[[str], bool] | None = None,
    plain: frozenset[str] = frozenset(),
    typed: Mapping[str, frozenset[str]] | None = None,
) -> tuple[list[Term], set[str]]:
    """Group words into terms (longest phrase first) and the kinds of place they name.
    Stop words are dropped; generic words ("village") become light literal terms. With
    `kind_terms`, a kind is also a term (matched by places of that kind). Single product words
    for which `as_name` is true are read as names ("Trà Quế", not tea); `plain` words alone
    are common words (`Term.plain`). `typed`: the spellings of the words typed with
    diacritics (`text.spelling`), which a place must write so ("chế" is not tea)."""
    concepts, kinds, _ = _phrase_table()
    reach = _reach()
    typed = typed or {}
    terms: list[Term] = []
    found_kinds: set[str] = set()
    i = 0
    while i < len(words):
        for size in range(min(reach.get(words[i], 0), len(words) - i), 0, -1):
            chunk = tuple(words[i : i + size])
            if chunk not in kinds and chunk not in concepts:
                continue
            as_typed = [typed.get(w) for w in chunk]
            kind = _reading(kinds[chunk], as_typed) if chunk in kinds else None
            concept = _reading(concepts[chunk], as_typed) if chunk in concepts else None
            if kind and not (size == 1 and chunk[0] in GENERIC):
                found_kinds.add(kind)
                if kind_terms:
                    spelled = (_spelled(kinds[chunk], as_typed),)
                    terms.append(Term(" ".join(chunk), (chunk,), True, 1.0, kind, spelled=spelled))
                elif concept:  # "lang co": a kind and something to find in the text
                    terms.append(_concept_term(chunk, concept, concepts[chunk], as_typed))
                i += size
                break
            alone = size == 1 and (chunk[0] in plain or as_name is not None and as_name(chunk[0]))
            if concept and not alone:
                terms.append(_concept_term(chunk, concept, concepts[chunk], as_typed))
                i += size
                break
        else:
            word = words[i]
            if word not in STOP:
                light = word in GENERIC or len(word) == 1 or word.isdigit()
                weight = 0.15 if light else 1.0
                spelled = (((typed.get(word),), False),)
                terms.append(
                    Term(
                        word,
                        ((word,),),
                        False,
                        weight,
                        proper=True,
                        plain=word in plain,
                        spelled=spelled,
                        others=frozenset(words).difference((word,)),
                    )
                )
            i += 1
    return terms, found_kinds


def _concept_term(
    chunk: tuple[str, ...], key: str, ways: Iterable[str], typed: Sequence[frozenset[str] | None]
) -> Term:
    """A concept's term: its phrases spelled as the tables write them, the one typed (written
    in any of `ways`) as typed."""
    phrases: list[tuple[str, ...]] = []
    spelled: list[Spelled] = []
    for phrase, as_written in _concept_phrases(key):
        phrases.append(phrase)
        spelled.append(_spelled(ways, typed) if phrase == chunk else as_written)
    return Term(" ".join(chunk), tuple(phrases), True, 1.0, spelled=tuple(spelled))


@cache
def _concept_phrases(key: str) -> tuple[tuple[tuple[str, ...], Spelled], ...]:
    """A concept's phrases as the tables write them, folded, each with how a place must spell
    it when typed without diacritics (a table's constants: folded once)."""
    return tuple(
        (phrase, _spelled((written,), [None] * len(phrase)))
        for written in CONCEPTS[key]
        for phrase in (tuple(fold(written).split()),)
    )


@dataclass(frozen=True, slots=True)
class Scored:
    """How well one place matches the terms of a question."""

    index: int
    coverage: float
    """0–1: the weighted share of terms found (name or offer 1.0, a typo 0.85, location 0.6)."""
    in_name: bool
    """Whether the place's own name holds a proper name of the question (or, when it has
    none, a product of it)."""
    extra: int
    """Name words the question did not mention (fewer = closer to the exact name)."""
    names_it: bool = False
    """The question has two words of one of the place's own names (the Vietnamese or the
    English one, before any parenthesis, not generic), or all of it."""


_NAME, _OFFER, _WHERE = 0, 1, 2


class PlaceIndex:
    """Whole-word index over places' names, offers and locations, with typo lookup."""

    def __init__(self, fields: Iterable[tuple[str, str, str, str]]) -> None:
        """`fields`: per place, (name, what it offers, where it is, its kind)."""
        self._words: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = []
        self._first_field: list[dict[str, int]] = []
        """Each place's words → the first field holding it (name, offer, where: the best a word
        can do)."""
        self._led_in_name: list[frozenset[str]] = []
        """Name words right after a lead word ("làng *gốm*")."""
        self._offer_heads: list[frozenset[str]] = []
        """Words that start an item of the offer or come right after a lead word in one."""
        self._specific_name: list[tuple[str, ...]] = []
        """Name words that are not generic ("village"): those a question may leave unsaid."""
        self._own_names: list[tuple[frozenset[str], ...]] = []
        """Per name ("a | b"), its distinct specific words before any parenthesis."""
        self._written: list[tuple[Written | None, ...]] = []
        """Per field, each word as written (`_written`; None when that cannot be read)."""
        self._forms: dict[str, set[str]] = {}
        """Each word's spellings, all places together (for typos of words with diacritics)."""
        self._inside: list[frozenset[str]] = []
        """Each place's words found only inside a compound (`place_words.COMPOUNDS`)."""
        self._kinds: list[str] = []
        self._postings: dict[str, set[int]] = {}
        self._in_name: dict[str, set[int]] = {}
        self._typos: dict[str, list[str]] = {}
        for index, (name, offer, where, kind) in enumerate(fields):
            self._kinds.append(kind)
            parts = (tuple(tokens(name)), tuple(tokens(offer)), tuple(tokens(where)))
            self._words.append(parts)
            written = tuple(map(_written, (name, offer, where), parts))
            self._written.append(written)
            for folded, as_written in zip(parts, written, strict=True):
                for word, (spelt, _) in zip(folded, as_written or (), strict=False):
                    self._forms.setdefault(word, set()).add(spelt)
            self._specific_name.append(tuple(w for w in parts[0] if w not in GENERIC))
            self._own_names.append(
                tuple(
                    frozenset(  # "Pao's House": the "s" is no word of it
                        w for w in tokens(one.split("(")[0]) if w not in GENERIC and len(w) > 1
                    )
                    for one in name.split("|")
                )
            )
            for word in parts[0]:
                self._in_name.setdefault(word, set()).add(index)
            first: dict[str, int] = {}
            for field in (_WHERE, _OFFER, _NAME):
                first.update(dict.fromkeys(parts[field], field))
            self._first_field.append(first)
            self._led_in_name.append(_after_leads(parts[0]))
            self._inside.append(_only_inside_compounds(parts[:2]))
            items = [tuple(tokens(i)) for i in re.split(r"[,;()./:]", offer)]
            self._offer_heads.append(
                frozenset(item[0] for item in items if item).union(*map(_after_leads, items))
            )
            for part in parts:
                for word in part:
                    self._postings.setdefault(word, set()).add(index)
        self._vocabulary = list(self._postings)
        self._common = max(40, len(self._words) // 6)

    def __len__(self) -> int:
        return len(self._words)

    def knows(self, word: str) -> bool:
        """Whether some place holds this word."""
        return word in self._postings

    def in_names(self, word: str) -> bool:
        """Whether some place's name holds this word."""
        return word in self._in_name

    def named_by(self, terms: Sequence[Term]) -> set[int]:
        """Places whose names hold a word of a proper-name term (of any term when there is
        none): the only ones that can be the place a question names."""
        heavy = [t for t in terms if t.weight >= 1 and not t.kind]
        proper = [t for t in heavy if t.proper] or heavy
        found: set[int] = set()
        for term in proper:
            for phrase in term.phrases:
                words = [phrase[0]]
                if len(phrase) == 1 and not term.concept and not term.plain:
                    words += self.typo_of(phrase[0])
                for word in words:
                    found |= self._in_name.get(word, set())
        return found

    def named_in_a_row(self, first: str, second: str) -> bool:
        """Whether some place's name holds the two words in a row ("Mỹ Lam")."""
        both = self._in_name.get(first, set()) & self._in_name.get(second, set())
        return any(_contains(self._words[i][0], (first, second)) for i in both)

    def own_name_words(self, index: int) -> frozenset[str]:
        """The specific words of a place's own names (`Scored.names_it`)."""
        return frozenset().union(*self._own_names[index])

    def typo_of(self, word: str) -> list[str]:
        """Other known words one edit away (two from eight letters). Words of up to four
        letters must keep their first two letters ("phuk" → "phuc", "trag" → "trang") and lose
        a letter only where it was doubled ("quee" → "que"; "nhap" is not "nha"); a word of
        three only gains the letter left out ("hic" → "hich"): one changed makes another
        syllable ("pho" is not "phu")."""
        if word in self._typos:
            return self._typos[word]
        near: list[str] = []
        if len(word) >= 3 and not word.isdigit():
            limit = 1 if len(word) < 8 else 2
            found = process.extract(
                word, self._vocabulary, scorer=Levenshtein.distance, score_cutoff=limit, limit=8
            )
            near = [w for w, d, _ in found if d > 0 and len(w) >= 2]
            if len(word) <= 4:
                near = [w for w in near if w[:2] == word[:2] and _slip(word, w)]
            if len(word) == 3:  # a syllable of its own ("pho" is no "phu"): only a letter left
                near = [w for w in near if len(w) == 4]  # out is put back ("hic" → "hich")
        if len(self._typos) >= _TYPOS_KEPT:  # words users type: kept within a bound
            self._typos.clear()
        self._typos[word] = near
        return near

    def _holding(self, term: Term) -> set[int]:
        """Places holding all words of one of the term's phrases (a typo of a single word)."""
        found: set[int] = set()
        for phrase in term.phrases:
            firsts = [phrase[0]]
            if len(phrase) == 1 and not term.concept and not term.plain:
                firsts += self.typo_of(phrase[0])
            places = set().union(*(self._postings.get(w, set()) for w in firsts))
            for word in phrase[1:]:
                places &= self._postings.get(word, set())
            found |= places
        return found

    def candidates(
        self,
        terms: Sequence[Term],
        need: float = 0.0,
        *,
        cap: int | None = None,
        among: set[int] | None = None,
    ) -> set[int]:
        """Places that can reach coverage `need`: holding enough of the terms' words (light
        terms are assumed held, so this never drops a place that could pass); with `cap`, the
        `cap` holding most; only `among` those when given."""
        total = sum(t.weight for t in terms)
        heavy = [t for t in terms if t.weight >= 1]
        if not heavy or total == 0:
            return set()
        light = total - sum(t.weight for t in heavy)
        held: Counter[int] = Counter()  # heavy terms weigh 1: a count, summed in C
        for term in heavy:
            holding = self._holding(term)
            if term.kind:
                holding = holding | self._of_kind(term.kind)
            if among is not None:
                holding = holding & among
            held.update(holding)
        bar = need * total - light - 1e-9
        chosen = [(w, i) for i, w in held.items() if w >= bar]
        if cap is not None and len(chosen) > cap:
            chosen = sorted(chosen, reverse=True)[:cap]
        return {i for _, i in chosen}

    def _of_kind(self, kind: str) -> set[int]:
        if not hasattr(self, "_kind_sets"):
            self._kind_sets: dict[str, set[int]] = {}
            for i, k in enumerate(self._kinds):
                self._kind_sets.setdefault(k, set()).add(i)
        return self._kind_sets.get(kind, set())

    def score(
        self, index: int, terms: Sequence[Term], memo: dict[Any, Any] | None = None
    ) -> Scored:
        """How well place `index` matches the terms (`memo` keeps term matches and each term's
        spellings across calls for one question)."""
        memo = {} if memo is None else memo
        kind = self._kinds[index]
        total = got = 0.0
        has_proper = in_name = other_in_name = False
        used: set[str] = set()
        naming: set[str] = set()
        sure: set[str] = set()  # not through a typo of a short word ("sap" → "san")
        for term in terms:
            weight = term.weight
            total += weight
            if term.proper and weight >= 1:
                has_proper = True
            if term.kind and kind == term.kind:
                got += weight
                continue
            key = (index, term.text, term.concept, term.kind, term.spelled, term.others)
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._best(index, term, memo)
            best, field, words, exact = found
            if term.kind:  # another kind, but the words are in its name ("có điểm OCOP")
                best = best if field == _NAME else 0.0
            got += weight * best
            if field == _NAME and weight >= 1 and best > 0:
                if term.proper:
                    in_name = True
                else:
                    other_in_name = True
            if words:
                used.update(words)
                if not term.kind:
                    naming.update(words)
                    if exact and weight and words == tuple(term.text.split()):
                        sure.update(words)  # as typed: another word for it ("trái cây" for
                        # "bưởi") names no place
        extra = len([w for w in self._specific_name[index] if w not in used])
        named = in_name if has_proper else other_in_name
        # the words as typed ("cồn", not "islet"), but those of a kind ("làng nghề") never
        # name a place; common words alone neither, unless a generic word of the name comes
        # with them or two words of the name in a row ("bản nua", "cat cat"; not "con gi nua");
        # typos of short words alone neither ("sap nhap" is not "sản … nhà"), nor with a
        # question word ("có" and a typo of "lụa" are not "Cỏ … Lưu Thượng")
        typed = {w for t in terms if not t.kind for w in t.text.split()}
        seen, sure = naming | typed, sure | {w for w in typed if w not in STOP}
        common = {t.text for t in terms if t.plain}
        name = self._words[index][0]
        with_generic = any(w in GENERIC for w in seen.intersection(name))
        in_row = [
            (a.text, b.text) for a, b in pairwise(terms) if _contains(name, (a.text, b.text))
        ]
        in_a_row = bool(in_row)
        # a question word of the name counts beside another word of it ("Chu Đậu"), not
        # alone ("làng gốm ở đâu" does not name "Làng gốm Chu Đậu")
        beside = {w for pair in in_row for w in pair}
        for term in terms:  # the words of one name typed ("Mỹ Khánh") are beside each other
            row = tuple(term.text.split())
            if len(row) > 1 and _contains(name, row):
                beside.update(row)
        names_it = False
        for own in self._own_names[index]:
            hit = own.intersection(seen)
            names_it = names_it or (
                bool(own)
                and len({w for w in hit if w not in STOP or w in beside}) >= min(2, len(own))
                and (with_generic or in_a_row or not hit <= common)
                and not hit.isdisjoint(sure)
            )
        return Scored(index, got / total if total else 0.0, named, extra, names_it)

    def _spellings(self, term: Term) -> list[Spelling]:
        """The term's phrases with their quality, each single literal word followed by its
        typos (0.85), in the order they are tried; a typo of a word typed with diacritics is
        one edit away as written too ("Tràngg" is "Tràng", "nhập" is not "nhà")."""
        spellings = []
        for i, phrase in enumerate(term.phrases):
            spelled = _strict(term.spelled[i]) if term.spelled else None
            spellings.append(_spelling(phrase, 1.0, term.concept, spelled))
            if len(phrase) == 1 and not term.concept and not term.plain:
                typed = spelled[0][0] if spelled else None
                for word in (w for w in self.typo_of(phrase[0]) if w not in term.others):
                    if typed is None:
                        spellings.append(_spelling((word,), 0.85, False, None))
                        continue
                    limit = 1 if len(phrase[0]) < 8 else 2
                    near = frozenset(
                        f
                        for f in self._forms.get(word, ())
                        if any(Levenshtein.distance(t, f) <= limit for t in typed)
                    )
                    if near:
                        spellings.append(_spelling((word,), 0.85, False, ((near,), False)))
        return spellings

    def _best(self, index: int, term: Term, memo: dict[Any, Any]) -> Best:
        first = self._first_field[index]
        key = (term.phrases, term.concept, term.plain, term.spelled, term.others)  # all they read
        spellings = memo.get(key)
        if spellings is None:
            spellings = memo[key] = self._spellings(term)
        best: Best = (0.0, -1, (), False)
        inside = self._inside[index]
        for words, quality, worth, spelled in spellings:
            if quality <= best[0]:
                continue  # no field can do better
            if term.concept and len(words) == 1 and words[0] in inside:
                continue  # "basket" of a basket-boat ride is no basketry
            if worth is not None:  # one word: its first field is its best
                field = first.get(words[0], -1)
                if worth[field] > best[0]:
                    best = (worth[field], field, words, quality >= 1)
                continue
            if not all(w in first for w in words):
                continue  # the place lacks a word
            short = term.concept and len(words) == 1 and len(words[0]) <= 4
            name, offer, where = self._words[index]
            for field, text, factor in (
                (_NAME, name, 1.0),
                (_OFFER, offer, 1.0 if term.concept else 0.8),
                (_WHERE, where, 0.0 if short or quality < 1 else 0.6),
            ):
                if quality * factor <= best[0] or not _contains(text, words):
                    continue
                if short and field == _NAME and words[0] not in self._led_in_name[index]:
                    continue
                if short and field == _OFFER and words[0] not in self._offer_heads[index]:
                    continue  # "mộc, chạm khắc" is carpentry; "Mộc Châu" is not
                fit = 1.0
                if spelled is not None:
                    fit = _fit(text, self._written[index][field], words, spelled)
                    fit = fit if fit == 1.0 or not term.concept else 0.0  # "chế" is no tea
                if quality * factor * fit > best[0]:
                    best = (quality * factor * fit, field, words, fit == 1.0 and quality >= 1)
        return best


Best = tuple[float, int, tuple[str, ...], bool]
"""How well a place holds a term: the worth, the field, the words found, and whether they
were found as typed (no typo, no other diacritics)."""
Written = tuple[tuple[str, bool], ...]
"""A text's words as written: each one's spelling and whether it is capitalised inside the
text (part of a proper name)."""
Spelling = tuple[tuple[str, ...], float, tuple[float, float, float, float] | None, Spelled | None]
"""A way a term may be written, its quality, for a single word (not a short product word)
spelled any way what it is worth by the first field holding it (the name, the offer, the
location, or none: -1, the last), and how a place must spell it (None: any way)."""


def _spelling(
    words: tuple[str, ...], quality: float, concept: bool, spelled: Spelled | None
) -> Spelling:
    if len(words) != 1 or (concept and len(words[0]) <= 4) or spelled is not None:
        return words, quality, None, spelled  # its fields are read
    offer = 1.0 if concept else 0.8
    where = 0.6 if quality >= 1 else 0.0
    worth = (quality * 1.0, quality * offer, quality * where, quality * 0.0)
    return words, quality, worth, None


def _strict(spelled: Spelled) -> Spelled | None:
    """A phrase's spelling, or None when any way of writing it will do."""
    per_word, common = spelled
    return spelled if common or any(s is not None for s in per_word) else None


_TOKEN = re.compile(r"\w+|[^\w\s]")
_NOT_A_BREAK = frozenset("'’&")
"""Marks inside a name ("H'Mông", "NN&PTNT"): the word after one is not where a name begins."""


def _written(text: str, folded: tuple[str, ...]) -> Written | None:
    """The words of a text as written (`Written`): capitalised means a proper name, except
    for acronyms ("OCOP") and where the text, a name, a parenthesis or an item begins, unless
    the next word is capitalised too ("Hương Canh pottery village"); None when the words do
    not line up with the folded ones."""
    words: list[tuple[str, bool]] = []
    capitals: list[tuple[bool, bool]] = []  # (capitalised, where something begins)
    begins = True
    for token in _TOKEN.findall(nfc(text)):
        if not token[0].isalnum() and token != "_":
            begins = begins or token not in _NOT_A_BREAK
            continue
        words.append((spelling(token), False))
        capitals.append((token[0].isupper() and not token.isupper(), begins))
        begins = False
    for i, (capital, first) in enumerate(capitals):  # "Hương Canh pottery village"
        after = i + 1 < len(capitals) and capitals[i + 1][0] and not capitals[i + 1][1]
        words[i] = (words[i][0], capital and (not first or after))
    if len(words) != len(folded) or any(
        fold(w) != f for (w, _), f in zip(words, folded, strict=True)
    ):
        return None
    return tuple(words)


def _fit(
    text: tuple[str, ...], written: Written | None, phrase: tuple[str, ...], spelled: Spelled
) -> float:
    """How a text holds a phrase it holds (folded): 1 as it must be spelled, ACCENT_MISS with
    other diacritics only, 0 when a common word is there only as (part of) a proper name."""
    if written is None:
        return 1.0
    per_word, common = spelled
    n, fit = len(phrase), 0.0
    for at in range(len(text) - n + 1):
        if text[at : at + n] != phrase:
            continue
        here = written[at : at + n]
        if common and all(proper for _, proper in here):
            continue  # "Hương Canh" is no incense
        if all(s is None or w in s for (w, _), s in zip(here, per_word, strict=True)):
            return 1.0
        fit = ACCENT_MISS
    return fit


def _slip(typed: str, known: str) -> bool:
    """Whether a known word is the typed one with a letter changed or added, or with a
    doubled letter single (a key pressed twice)."""
    if len(known) >= len(typed):
        return True
    return any(
        typed[i] == typed[i - 1] and typed[:i] + typed[i + 1 :] == known
        for i in range(1, len(typed))
    )


@cache
def _compounds() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(fold(c).split()) for c in COMPOUNDS)


def _only_inside_compounds(texts: Iterable[tuple[str, ...]]) -> frozenset[str]:
    """The words of the texts that they hold only inside a compound."""
    inside: set[str] = set()
    outside: set[str] = set()
    for text in texts:
        covered = [False] * len(text)
        for compound in _compounds():
            n = len(compound)
            for at in range(len(text) - n + 1):
                if text[at : at + n] == compound:
                    covered[at : at + n] = [True] * n
        for word, hidden in zip(text, covered, strict=True):
            (inside if hidden else outside).add(word)
    return frozenset(inside - outside)


def _after_leads(text: tuple[str, ...]) -> frozenset[str]:
    """The words right after a lead word in a text."""
    return frozenset(w for i, w in enumerate(text) if i > 0 and text[i - 1] in LEADS)


def _contains(text: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether the words of `phrase` appear together, in order, in `text`."""
    n = len(phrase)
    if n == 1:
        return phrase[0] in text
    at = -1
    while True:  # from each place the first word is found (in C) on
        try:
            at = text.index(phrase[0], at + 1)
        except ValueError:
            return False
        if text[at : at + n] == phrase:
            return True
