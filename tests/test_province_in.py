"""A province named inside a sentence (`knowledge.regions.province_in`): the role said with
it at onboarding, or by an officer at the menu."""

from __future__ import annotations

import pytest

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
