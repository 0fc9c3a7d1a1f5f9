"""Dates officers type (tests/data/deadline_dates.json, read by `python -m bench.dates`)."""

from __future__ import annotations

import pytest

from bench.dates import HOLDOUT, Outcome, outcomes


@pytest.mark.parametrize(
    "outcome", [*outcomes(), *outcomes(HOLDOUT)], ids=lambda o: f"{o.category}:{o.text}"
)
def test_typed_date_is_read_or_refused_as_expected(outcome: Outcome) -> None:
    assert outcome.right, f"expected {outcome.expected}, got {outcome.got}"
