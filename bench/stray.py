"""How often a product name typed at the menu leads to the right self-assessment.

    python -m bench.stray

Prints, per category of tests/stray_cases.py, the share of inputs answered right (the expected
product set offered first, or nothing offered when the input must be declined).
"""

from __future__ import annotations

from collections import defaultdict

from knowledge.criteria import named_sets
from tests.stray_cases import PRODUCT_LEAD_CASES


def main() -> None:
    right: dict[str, list[bool]] = defaultdict(list)
    for category, typed, expected in PRODUCT_LEAD_CASES:
        found = named_sets(typed)
        first = found[0].code if found else None
        right[category].append(first == expected)
        if first != expected:
            print(f"  wrong: {typed!r} → {first} (expected {expected})")
    print(f"{'category':<16}{'right':>8}{'cases':>8}")
    for category, marks in right.items():
        print(f"{category:<16}{sum(marks) / len(marks):>8.0%}{len(marks):>8}")
    total = [m for marks in right.values() for m in marks]
    print(f"{'all':<16}{sum(total) / len(total):>8.0%}{len(total):>8}")


if __name__ == "__main__":
    main()
