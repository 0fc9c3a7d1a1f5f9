"""A province named inside a sentence (`knowledge.regions.province_in`): the role said with
it at onboarding, or by an officer at the menu."""

from __future__ import annotations

import pytest

from knowledge.gazetteer import province_said
from knowledge.regions import province_in


@pytest.mark.parametrize(
    ("typed", "province"),
    [
        ("toi la can bo OCOP tinh Thai Nguyen", "Thái Nguyên"),
        ("Tôi là cán bộ OCOP tỉnh Thái Nguyên", "Thái Nguyên"),
        ("em lam che o thai nguyen", "Thái Nguyên"),
        ("I am an OCOP officer in Nghe An", "Nghệ An"),
        ("can bo o hue", "Huế"),
        ("toi lam mat ong o Ha Giang", "Tuyên Quang"),
        ("toi la can bo", None),
        ("can bo hn", None),  # a short alias only after "tỉnh", "ở", "in"…
        ("can bo thanh hoa va nghe an", None),  # two provinces: neither is the one
        ("toi san xuat nuoc mam phu quoc", None),
    ],
)
def test_province_in_a_sentence_is_found_only_when_one_is_named(
    typed: str, province: str | None
) -> None:
    found = province_in(typed)
    assert (found.province.name if found else None) == province


@pytest.mark.parametrize(
    ("typed", "province"),
    [
        # a province named, as `province_in` reads it
        ("toi la can bo OCOP tinh Thai Nguyen", "Thái Nguyên"),
        ("toi lam mat ong o Ha Giang", "Tuyên Quang"),
        # a town, former district or commune where the writer is: its 2025 province
        ("I'm a tourist in Phu Quoc", "An Giang"),
        ("toi o Hoi An, lam nong dan", "Đà Nẵng"),
        ("Tôi ở Hội An, làm nông dân", "Đà Nẵng"),
        ("em lam nuoc mam tai Phu Quoc", "An Giang"),
        ("I'm visiting Sapa", "Lào Cai"),
        ("can bo OCOP huyen Bat Xat", "Lào Cai"),
        ("htx o thi xa Son Tay", "Hà Nội"),
        ("toi o Da Lat", "Lâm Đồng"),
        ("we are farmers from Hoi An", "Đà Nẵng"),
        # none: a product named after a place, a name in several provinces, two provinces
        ("toi san xuat nuoc mam phu quoc", None),
        ("toi o Tan Phu", None),
        ("toi o Hoi An va Nghe An", None),
        ("toi la can bo", None),
        ("I'm a tourist", None),
    ],
)
def test_the_province_a_sentence_places_its_writer_in(typed: str, province: str | None) -> None:
    """`province_said`: a province named, else the one province of a town, former district or
    commune named after "ở", "tại", "in", "from", "visiting" or with its unit ("huyện")."""
    found = province_said(typed)
    assert (found.province.name if found else None) == province
