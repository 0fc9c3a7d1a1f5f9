"""Vietnamese folding and province lookup: accents, tone placement, old names, aliases, typos."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.regions import ProvinceReading, find_province, provinces, read_province
from knowledge.text import Locale, as_locale, fold, phrase_table


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Hoà Bình", "Hòa Bình", id="old-new-tone-placement"),
        pytest.param("Đà Nẵng", "da nang", id="d-stroke"),
        pytest.param(unicodedata.normalize("NFD", "Phở Hà Nội"), "pho ha noi", id="nfd-input"),
        pytest.param("  TP.HCM!! ", "tp hcm", id="punctuation-and-spaces"),
        pytest.param("THUỶ LỢI", "thủy lợi", id="case-and-y"),
    ],
)
def test_fold_makes_spellings_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@given(st.text())
def test_fold_is_ascii_lowercase_and_idempotent(text: str) -> None:
    folded = fold(text)
    assert folded == fold(folded)
    assert folded == folded.strip()
    assert "  " not in folded
    assert not any(ch in folded for ch in "đĐ")
    assert all(not unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", folded))


@pytest.mark.parametrize(
    ("code", "default", "locale"),
    [
        ("en", "vi", "en"),
        ("en-GB", "vi", "en"),
        ("EN_us", "vi", "en"),
        ("vi_VN", "en", "vi"),
        ("fr", "vi", "vi"),
        ("fr", "en", "en"),
        (None, "en", "en"),
        ("", "vi", "vi"),
    ],
)
def test_a_language_code_or_tag_gives_one_of_the_two_locales(
    code: str | None, default: Locale, locale: Locale
) -> None:
    assert as_locale(code, default) == locale


def test_there_are_34_provinces_with_unique_codes_and_points_in_vietnam() -> None:
    items = provinces()
    assert len(items) == 34
    assert len({p.code for p in items}) == 34
    assert all(8.0 < p.lat < 23.5 and 102.0 < p.lon < 110.0 for p in items)
    assert sum(len(p.merged_from) for p in items) == 63


@pytest.mark.parametrize(
    ("typed", "province", "old"),
    [
        pytest.param("ha tay", "Hà Nội", "Hà Tây", id="ha-tay-2008"),
        pytest.param("Vinh Phuc", "Phú Thọ", "Vĩnh Phúc", id="old-province-no-accents"),
        pytest.param("Sai Gon", "TP. Hồ Chí Minh", None, id="saigon"),
        pytest.param("hcm", "TP. Hồ Chí Minh", None, id="hcm"),
        pytest.param("Hoà Bình", "Phú Thọ", "Hòa Bình", id="hoa-binh-old-tone"),
        pytest.param("Hòa Bình", "Phú Thọ", "Hòa Bình", id="hoa-binh-new-tone"),
        pytest.param("tỉnh Bắc Giang", "Bắc Ninh", "Bắc Giang", id="prefix-tinh"),
        pytest.param("Thua Thien Hue", "Huế", None, id="thua-thien-hue"),
        pytest.param("Ngh An", "Nghệ An", None, id="typo"),
        pytest.param("Ba Ria Vung Tau", "TP. Hồ Chí Minh", "Bà Rịa - Vũng Tàu", id="dash-in-name"),
        pytest.param("daklak", "Đắk Lắk", None, id="joined-words"),
        pytest.param("Kien Giang", "An Giang", "Kiên Giang", id="merged-south"),
        # Said in a sentence at the province step (a helper playing users, 2026-11-30: "e o ha
        # tay" was not found), written before the reading changed.
        pytest.param("e o ha tay", "Hà Nội", "Hà Tây", id="sentence-e-o"),
        pytest.param("mình ở Bến Tre ạ", "Vĩnh Long", "Bến Tre", id="sentence-minh-o-a"),
        pytest.param("toi song o Quang Nam", "Đà Nẵng", "Quảng Nam", id="sentence-song-o"),
        pytest.param("quê em ở Hà Giang nhé", "Tuyên Quang", "Hà Giang", id="sentence-que"),
        pytest.param("I live in Hanoi", "Hà Nội", None, id="sentence-en-live"),
        pytest.param("I'm from Hue", "Huế", None, id="sentence-en-from"),
    ],
)
def test_find_province(typed: str, province: str, old: str | None) -> None:
    best = find_province(typed)[0]
    assert (best.province.name, best.old_name) == (province, old)


def test_every_former_province_maps_to_exactly_one_new_one() -> None:
    for new in provinces():
        for old in new.merged_from:
            assert find_province(old)[0].province == new, old


def test_partial_name_offers_several_and_nonsense_none() -> None:
    names = {m.province.name for m in find_province("quang", limit=5)}
    assert {"Quảng Ninh", "Quảng Ngãi", "Quảng Trị"} <= names
    assert find_province("xyzzy") == []
    assert find_province("") == []


# Classes measured by bench.provinces (tests/data/province_names.json), written before the
# reader changed: each case was declined or asked about before.
@pytest.mark.parametrize(
    ("typed", "code", "old"),
    [
        pytest.param("dạ em ở tỉnh Nghệ An", 17, None, id="sentence-any-lead"),
        pytest.param("chỗ em là Đồng Tháp", 31, None, id="sentence-cho-em-la"),
        pytest.param("tỉnh Bắc Giang cũ", 2, "Bắc Giang", id="old-with-cu"),
        pytest.param("tôi ở Hà Giang, giờ là Tuyên Quang", 8, "Hà Giang", id="old-and-new-named"),
        pytest.param("Hue city", 20, None, id="english-city"),
        pytest.param("Nghe An province", 17, None, id="english-province"),
        pytest.param("Tỉnh Lào Cai, Việt Nam", 9, None, id="with-country"),
        pytest.param("Nghe Ann", 17, None, id="one-typo"),
        pytest.param("Bin Duong", 29, "Bình Dương", id="one-typo-old-name"),
        pytest.param("Gia Lia", 24, None, id="two-letters-swapped"),
        pytest.param("sg", 29, None, id="saigon-initials"),
        pytest.param("ko, tỉnh Cà Mau ạ", 34, None, id="a-slip-corrected-not-denied"),
    ],
)
def test_read_province_is_sure_of(typed: str, code: int, old: str | None) -> None:
    sure = read_province(typed).sure
    assert sure is not None and (sure.province.code, sure.old_name) == (code, old)


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        pytest.param("Thanh Hóa, Nghệ An", {16, 17}, id="two-provinces-named"),
        pytest.param("em ở Hà Nội nhưng quê Nam Định", {1, 6}, id="two-in-a-sentence"),
        pytest.param("Thanh Hoas", {16, 23}, id="typo-near-two"),  # Khánh Hòa two edits off
        pytest.param("Quang Bin", {3, 19}, id="typo-one-from-binh-two-from-ninh"),
        pytest.param("bd", {24, 29}, id="initials-binh-dinh-binh-duong"),
        pytest.param("qn", {3, 21, 22}, id="initials-quang"),
        pytest.param("xã Thái Bình", {5}, id="commune-word-never-sure"),
    ],
)
def test_read_province_asks_which(typed: str, codes: set[int]) -> None:
    reading = read_province(typed)
    assert reading.sure is None
    assert {m.province.code for m in reading.choices} == codes


@pytest.mark.parametrize(
    "typed",
    [
        "Tây Nguyên",
        "miền Tây",
        "không phải Hà Nội",
        "tôi không ở Hà Nội",
        "phường Phú Thọ",
        "hn em bận",
    ],
)
def test_read_province_declines_a_region_a_denial_or_a_commune(typed: str) -> None:
    assert read_province(typed) == ProvinceReading(None)  # "Tây Nguyên" is not Thái Nguyên


def test_a_denied_province_is_not_the_one_read() -> None:
    sure = read_province("không phải Hà Nội mà là Hà Nam").sure
    assert sure is not None and sure.province.code == 6


def test_no_name_one_typo_from_another_province_is_read_for_sure() -> None:
    """A typo is read for sure only when no other province's name is within two edits (one
    that is itself a name, "Hậu Giang" → "ha giang", is that name)."""
    names = [(fold(n), p.code) for p in provinces() for n in (p.name, *p.merged_from)]
    for name, code in names:
        for i in range(len(name)):
            typo = name[:i] + name[i + 1 :]  # a letter missing
            sure = read_province(typo).sure
            assert sure is None or sure.score == 100 or sure.province.code == code, typo


@pytest.mark.parametrize("typed", ["I don't know", "i don’t know", "I dont know", "Not sure."])
def test_phrases_are_matched_as_typed_with_apostrophes_and_capitals(typed: str) -> None:
    """A table's phrases are folded like what is typed: "I don't know" (written with its
    apostrophe in `knowledge.typed_commands`) was never read, its key kept the apostrophe."""
    from knowledge.typed_commands import typed_step

    assert typed_step(typed) == "unsure"
    table = phrase_table({"unsure": ("I don't know",)}, after=("", "ạ"))
    assert table == {"i don t know": "unsure", "i don t know a": "unsure"}


def test_a_star_typed_as_a_sign_after_its_count_is_the_word_sao() -> None:
    """ "4*", "3⭐", "mấy *" on a cheap phone's keyboard (the FAQ declined them)."""
    assert fold("ocop 4* can bn diem") == "ocop 4 sao can bn diem"
    assert fold("sp 3⭐ có được cấp GCN k") == "sp 3 sao co duoc cap gcn k"
    assert fold("được mấy * rồi") == "duoc may sao roi"
    assert fold("*** 3 sao") == "3 sao"  # the sheets' marks stay marks
    assert fold("3★") == "3"  # a button's label, typed "3" in the console
