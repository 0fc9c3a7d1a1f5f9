"""The plan to a star and the dossier fit a cheap phone's screen in their first reply (the star,
the criteria that matter most with the points they add, what the star asks of a producer this
size; the forms, the evidence counted), and their whole is page by page behind a button: every
step of every plan and every piece of evidence stays reachable, no reply without a button
(`bench.result_length`)."""

from __future__ import annotations

import pytest

from bench.result_length import PATTERNS, SHORT, measure


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plan_and_dossier_first_replies_are_short_and_their_whole_stays_reachable(
    lang: str,
) -> None:
    sets = ("26-mat-ong-mat-khac", "26-du-lich-cong-dong", "26-thu-cong-my-nghe")
    measured = measure(sets, PATTERNS, (lang,))
    firsts = [
        (m.set_code, m.pattern, name, size)
        for m in measured
        for name, size in m.details.items()
        if name.split()[0] in ("plan", "dossier", "typed")
    ]
    assert len(firsts) > 3 * len(measured)  # the dossier, a plan, the plan typed, at least
    assert not [first for first in firsts if first[-1] > SHORT]
    assert not [(m.set_code, m.pattern, m.unreachable) for m in measured if m.unreachable]
    assert not [(m.set_code, m.pattern, m.dead_ends) for m in measured if m.dead_ends]
    assert max(m.most_buttons for m in measured) <= 5  # one Zalo message's buttons
    # a plan's whole and a dossier's whole have pages, reached from the first reply
    assert all(any(n.startswith("dossierp") for n in m.details) for m in measured)
    planned = [m for m in measured if any(n.startswith("plan ") for n in m.details)]
    assert planned and all(any(n.startswith("planp") for n in m.details) for m in planned)
