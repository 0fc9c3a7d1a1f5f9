"""Recognising typed requests for an officer, on the evaluation set in tests/officer_requests.py.

    python -m bench.handover

Prints, per category, how many messages were classified right, and lists the misses.
"""

from __future__ import annotations

from knowledge.officer_request import asks_for_officer
from tests.officer_requests import CASES


def main() -> None:
    total = right = 0
    for category, cases in CASES.items():
        misses = [text for text, expected in cases if asks_for_officer(text) != expected]
        total += len(cases)
        right += len(cases) - len(misses)
        print(f"{category:14} {len(cases) - len(misses):3}/{len(cases):<3}", *misses, sep="  ")
    print(f"{'all':14} {right:3}/{total:<3} ({100 * right / total:.0f} %)")


if __name__ == "__main__":
    main()
