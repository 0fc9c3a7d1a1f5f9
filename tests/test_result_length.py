"""A self-assessment's result fits a cheap phone's screen in its first reply, and everything the
one long result message used to show (points per part, band, certifier, every higher star's
gap, the plan to the next star, warnings, the chart) is still behind its buttons
(`bench.result_length`)."""

from __future__ import annotations

import pytest

from bench.result_length import PATTERNS, SHORT, measure


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_result_first_replies_are_short_and_every_fact_stays_reachable(lang: str) -> None:
    sets = ("26-mat-ong-mat-khac", "26-du-lich-cong-dong", "26-che-bien-tu-thit-thuy-san")
    measured = measure(sets, PATTERNS, (lang,))
    assert len(measured) == len(sets) * len(PATTERNS)
    long = [(m.set_code, m.pattern, m.first) for m in measured if m.first > SHORT]
    assert not long
    unreachable = [(m.set_code, m.pattern, m.unreachable) for m in measured if m.unreachable]
    assert not unreachable
    # every result offers its points by part and its legal basis; a result below 5★ its plan
    assert all({"parts", "law", "dossier"} <= {d.split()[0] for d in m.details} for m in measured)
