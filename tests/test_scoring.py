"""Scoring worked by hand: the arithmetic is written next to each assertion."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.criteria import bundled_sheets
from knowledge.scoring import AnswerError, score
from tests.sheets import tiny_sheet


def test_points_per_part_total_and_stars() -> None:
    # A1 "Địa phương" 5 + A2 "HTX" 20 = A 25; B1 "Cả nước" 25; C1 "Có" 15 + C2 "Không" 0 = C 15
    result = score(tiny_sheet(), {"A1": 1, "A2": 1, "B1": 1, "C1": 1, "C2": 0})
    assert result.parts == {"A": 25, "B": 25, "C": 15}
    assert result.total == 65  # 25 + 25 + 15
    assert result.stars == 3  # 50 ≤ 65 < 70
    # Next: 4★ at 70 → 5 points short; one option up: C2 0 → 20 (+20) beats A1 5 → 20 (+15).
    assert result.next_star is not None
    assert (result.next_star.stars, result.next_star.points_needed) == (4, 5)
    assert [(f.criterion.code, f.gain) for f in result.next_star.steps] == [("C2", 20)]
    assert result.next_star.adds == 20
    # 5★ at 90 → 25 short: C2 +20 (85), then A1 +15 (100).
    assert [(f.criterion.code, f.gain) for f in result.gaps[1].steps] == [("C2", 20), ("A1", 15)]


def test_a_mandatory_criterion_holds_the_star_back() -> None:
    # A1 "Không rõ" 0 + A2 20 + B1 25 + C1 15 + C2 20 = 80 → 4★ by points,
    # but A1 is mandatory from 3★ with at least 5 points, so no star is earned.
    result = score(tiny_sheet(), {"A1": 0, "A2": 1, "B1": 1, "C1": 1, "C2": 1})
    assert result.total == 80
    assert result.stars == 0
    assert [c.code for c in result.held_back_by] == ["A1"]
    assert result.next_star is not None
    assert result.next_star.stars == 3
    assert result.next_star.points_needed == 0  # 80 ≥ 50: only the mandatory criterion blocks
    assert [m.criterion.code for m in result.next_star.minimums] == ["A1"]
    # the least option that meets the minimum ("Địa phương", 5), not the top one (20)
    assert [
        (f.criterion.code, f.target.points, f.minimum_for) for f in result.next_star.steps
    ] == [("A1", 5, 3)]


def test_missing_answers_count_zero_and_are_listed() -> None:
    # Only A2 "Hộ" 10 and B1 "Trong xã" 5 answered → 15, below 3★ (and A1 unanswered is unmet).
    result = score(tiny_sheet(), {"A2": 0, "B1": 0})
    assert result.total == 15
    assert result.missing == ("A1", "C1", "C2")
    assert result.stars == 0
    assert result.next_star is not None and result.next_star.points_needed == 35  # 50 − 15


def test_top_of_the_scale_has_no_next_star() -> None:
    # 20 + 20 + 25 + 15 + 20 = 100 → 5★
    result = score(tiny_sheet(), {"A1": 2, "A2": 1, "B1": 1, "C1": 1, "C2": 1})
    assert (result.total, result.stars, result.next_star) == (100, 5, None)


def test_superseded_1048_sheet_scores_with_its_own_bands() -> None:
    sheet = bundled_sheets()["1048-rau-cu-qua-hat-tuoi"]
    assert sheet.edition.status_on(date(2026, 11, 29)) == "superseded"
    lowest = {
        c.code: min(range(len(c.options)), key=lambda i: c.options[i].points)
        for c in sheet.criteria
    }
    result = score(sheet, lowest)
    # Criteria whose lowest option still earns a point: A1.1, A1.3, A1.5, A3.1 (A 4); B4.1,
    # B5.3 (B 2); C11 (C 1). Every other lowest option is 0.
    assert result.parts == {"A": 4, "B": 2, "C": 1}
    assert result.total == 7
    assert result.stars == 1  # 1048: 1★ below 30
    best = {
        c.code: max(range(len(c.options)), key=lambda i: c.options[i].points)
        for c in sheet.criteria
    }
    top = score(sheet, best)
    assert top.parts == {"A": 35, "B": 25, "C": 40}  # the part maxima of QĐ 1048
    assert (top.total, top.stars) == (100, 5)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        pytest.param({"Z9": 0}, "unknown criterion 'Z9'", id="unknown-criterion"),
        pytest.param({"A1": 3}, "criterion 'A1' has options 0-2, not 3", id="option-too-high"),
        pytest.param({"A1": -1}, "criterion 'A1' has options 0-2, not -1", id="negative-option"),
    ],
)
def test_bad_answers_are_named(answers: dict[str, int], message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        score(tiny_sheet(), answers)


def test_required_option_of_the_real_148_sheet_holds_stars_back() -> None:
    sheet = bundled_sheets()["148-rau-cu-qua-hat-tuoi"]
    assert sheet.edition.status_on(date(2026, 11, 29)) == "superseded" and sheet.uncertain
    best = {
        c.code: max(range(len(c.options)), key=lambda i: c.options[i].points)
        for c in sheet.criteria
    }
    assert score(sheet, best).parts == {"A": 40, "B": 25, "C": 35}
    # 5b "Trí tuệ/bản sắc địa phương": best is 5 points; "Có câu chuyện riêng, gắn với nguồn gốc
    # xuất xứ***" (3 points) is required for 3★. Choose "Tương đối giống…" (1 point) instead:
    # 100 − 5 + 1 = 96, 5★ by points, but no star while 5b is under 3.
    story = sheet.criterion("5b")
    assert story is not None and (3, 3.0) in story.requirements
    weak = {**best, "5b": [o.points for o in story.options].index(1)}
    result = score(sheet, weak)
    assert (result.total, result.stars) == (96, 0)
    assert [c.code for c in result.held_back_by] == ["5b"]
    assert result.next_star is not None
    assert (result.next_star.stars, result.next_star.points_needed) == (3, 0)
    assert [m.criterion.code for m in result.next_star.minimums] == ["5b"]
