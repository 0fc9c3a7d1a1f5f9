"""Criteria data: the catalogue, the bundled sheets, and the validator on each kind of fault."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from knowledge.criteria import (
    Sheet,
    SheetError,
    bundled_sheets,
    check_bundled,
    check_sheet,
    current_edition,
    editions,
    find_sets,
    groups,
    named_sets,
    product_sets,
    sectors,
)
from tests.conftest import OcopBot
from tests.sheets import tiny


def test_every_bundled_sheet_passes_the_checks() -> None:
    report = check_bundled()
    assert report and all(problems == [] for problems in report.values()), report


def test_editions_have_their_sourced_frames() -> None:
    current, lapsed, old = editions()["26"], editions()["148"], editions()["1048"]
    assert [(c, m) for c, _, m in current.parts] == [("A", 40), ("B", 25), ("C", 35)]  # Điều 3.1
    assert [(c, m) for c, _, m in lapsed.parts] == [("A", 40), ("B", 25), ("C", 35)]
    assert [(c, m) for c, _, m in old.parts] == [("A", 35), ("B", 25), ("C", 40)]
    # Điều 3.3: five bands, 1★ below 30
    assert current.star_thresholds == ((5, 90), (4, 70), (3, 50), (2, 30), (1, 0))
    assert current.certified_from == 3  # Điều 4.1.a


def test_edition_status_follows_the_calendar() -> None:
    # QĐ 26/2026 in force 22/5/2026; QĐ 148 lapses 60 days later, 21/7/2026 (Điều 11.2).
    lapsed = editions()["148"]
    assert lapsed.status_on(date(2026, 7, 20)) == "current"
    assert lapsed.status_on(date(2026, 7, 21)) == "superseded"
    assert editions()["26"].status_on(date(2026, 5, 21)) == "upcoming"
    assert current_edition(date(2026, 1, 1)).code == "148"
    assert current_edition(date(2026, 5, 22)).code == "26"
    assert current_edition(date(2026, 11, 29)).code == "26"


def test_the_decision_in_force_has_26_scorable_sets_in_6_sectors_and_17_groups() -> None:
    assert len(sectors("26")) == 6
    assert len(groups("26")) == 17
    sets = [s for s in product_sets().values() if s.edition == "26"]
    assert len(sets) == 26
    assert all(s.code in bundled_sheets() for s in sets)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("mật ong", "26-mat-ong-mat-khac", id="honey-vi"),
        pytest.param("mat ong", "26-mat-ong-mat-khac", id="no-diacritics"),
        pytest.param("nuoc mam", "26-tuong-nuoc-mam", id="fish-sauce"),
        pytest.param("gốm", "26-thu-cong-my-nghe", id="pottery"),
        pytest.param("tea", "26-che-tuoi-che-bien", id="english"),
        pytest.param("nuoc mamm", "26-tuong-nuoc-mam", id="typo"),
        pytest.param("rau", "26-rau-cu-qua-hat-tuoi", id="current-edition-only"),
        pytest.param("ca phe", "26-ca-phe-ca-cao", id="coffee"),
        pytest.param("homestay", "26-du-lich-cong-dong", id="tourism"),
    ],
)
def test_find_sets(typed: str, expected: str) -> None:
    assert find_sets(typed)[0].product_set.code == expected


def test_find_sets_returns_nothing_for_nonsense() -> None:
    assert find_sets("qwzx") == []


@pytest.mark.parametrize(
    "typed",
    [
        "we produce fish sauce in Phu Quoc",  # "fish" is fresh seafood on its own
        "gia đình tôi trồng cà phê",  # "cá"
        "our family makes rice paper",  # "rice"
    ],
)
def test_a_word_of_a_longer_product_named_is_no_product_of_its_own(typed: str) -> None:
    assert len(named_sets(typed)) == 1


def _break(mutate: Any) -> dict[str, Any]:
    document = tiny()
    mutate(document)
    return document


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        pytest.param(
            _break(
                lambda d: d["parts"][0]["criteria"][0]["options"].__setitem__(
                    2, {"text": "x", "points": 21}
                )
            ),
            "part A: best options sum to 41, not its maximum 40",
            id="part-sum",
        ),
        pytest.param(
            _break(lambda d: d["parts"][1]["criteria"][0].__setitem__("code", "A1")),
            "criterion 'A1': code used twice",
            id="duplicate-code",
        ),
        pytest.param(
            _break(
                lambda d: d["parts"][2]["criteria"][0].__setitem__(
                    "options", [{"text": "x", "points": 15}]
                )
            ),
            "criterion 'C1': needs at least two options",
            id="one-option",
        ),
        pytest.param(
            _break(
                lambda d: d["parts"][2]["criteria"][0]["options"][0].__setitem__("points", "ten")
            ),
            "criterion 'C1': option 1 needs text and points ≥ 0",
            id="points-not-number",
        ),
        pytest.param(
            _break(lambda d: d["parts"][2]["criteria"][0]["options"][0].__setitem__("text", "")),
            "option 1 needs text",
            id="empty-option",
        ),
        pytest.param(
            _break(
                lambda d: d.__setitem__(
                    "star_thresholds",
                    [{"stars": 5, "min": 90}, {"stars": 4, "min": 95}, {"stars": 3, "min": 50}],
                )
            ),
            "star_thresholds must rise with the stars",
            id="thresholds-order",
        ),
        pytest.param(
            _break(
                lambda d: d.__setitem__(
                    "star_thresholds",
                    [{"stars": 5, "min": 85}, {"stars": 4, "min": 70}, {"stars": 3, "min": 50}],
                )
            ),
            "star_thresholds differ from QĐ 148/QĐ-TTg's",
            id="thresholds-not-edition",
        ),
        pytest.param(
            _break(lambda d: d["parts"][0].__setitem__("max_points", 35)),
            "part A: max_points 35 but the edition says 40",
            id="part-max",
        ),
        pytest.param(
            _break(lambda d: d.__setitem__("disqualifiers", [{"code": "A1", "text": "x"}])),
            "disqualifier code 'A1' used twice",
            id="disqualifier-code",
        ),
        pytest.param(
            _break(
                lambda d: d["parts"][0]["criteria"][0]["options"][0].__setitem__("case", "TH 1")
            ),
            "options name cases but kind is not one_of_cases",
            id="stray-case",
        ),
        pytest.param(
            _break(lambda d: d["parts"][0]["criteria"][0].__setitem__("kind", "one_of_cases")),
            "needs a case on every option",
            id="cases-missing",
        ),
        pytest.param(
            _break(lambda d: d["edition"].__setitem__("code", "999")),
            "unknown edition '999'",
            id="edition",
        ),
        pytest.param(
            _break(lambda d: d.__setitem__("set", "no-such-set")),
            "unknown product set 'no-such-set'",
            id="set",
        ),
        pytest.param(_break(lambda d: d.pop("source")), "missing field 'source'", id="no-source"),
        pytest.param(
            _break(lambda d: d["parts"].pop()), "parts are ['A', 'B']", id="missing-part"
        ),
        pytest.param(
            _break(
                lambda d: d["parts"][0]["criteria"][0]["options"][1].__setitem__("required_for", 7)
            ),
            "required_for must be a star level 1-5",
            id="required-option",
        ),
        pytest.param(
            _break(lambda d: d["parts"][0]["criteria"][1].__setitem__("required_for", 0)),
            "required_for must be a star level 1-5",
            id="required-criterion",
        ),
    ],
)
def test_validator_names_each_fault(document: dict[str, Any], problem: str) -> None:
    problems = check_sheet(document)
    assert any(problem in p for p in problems), problems
    with pytest.raises(SheetError):
        Sheet.from_dict(document)


def test_sheet_key_changes_with_content_only() -> None:
    assert Sheet.from_dict(tiny()).key == Sheet.from_dict(tiny()).key
    changed = tiny(source="another source")
    assert Sheet.from_dict(changed).key != Sheet.from_dict(tiny()).key


def test_criteria_check_command_reports_ok(tmp_path: Any, ocop_bot: OcopBot) -> None:
    done = ocop_bot("criteria", "check", env={"DATABASE_URL": f"sqlite:///{tmp_path}/c.db"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok\tknowledge/criteria/sheets/1048-rau-cu-qua-hat-tuoi.json" in done.stdout
