"""How often words typed where the bot expects a button are read right.

    python -m bench.stray

Prints, per category of tests/stray_cases.py, the share of inputs answered right: a product name
typed at the menu (the expected product set offered first, or nothing when the input must be
declined), a role typed at "Anh/chị là:" (the expected role, or asked again), an answer typed
at the privacy notice ("đồng ý ạ": agree, "không đồng ý": decline, "ok" or "để sau": asked
again), a command typed in words at the menu ("xóa dữ liệu của tôi": the command it means, or
none), an officer's wish in words ("gửi thông báo cho các HTX ở Thái Nguyên": /thongbao, or
none), the plan or the latest result asked for in words ("còn thiếu bao nhiêu điểm", "điểm
của em bao nhiêu"), one part of it ("phần C em được bao nhiêu"), a criterion of their sheet
("câu 2.2 nghĩa là gì"), and the producer's own certificate asked about ("bao giờ hết hạn",
"nhắc tôi trước 3 tháng").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from handlers.onboarding import read_role
from knowledge.consent_words import read_consent
from knowledge.criteria import named_sets
from knowledge.typed_commands import (
    certificate_asked,
    criterion_asked,
    officer_wish,
    part_asked,
    plan_asked,
    result_asked,
    typed_command,
)
from tests.stray_cases import (
    CERTIFICATE_CASES,
    CONSENT_CASES,
    CRITERION_CASES,
    OFFICER_WISH_CASES,
    PART_CASES,
    PLAN_CASES,
    PRODUCT_LEAD_CASES,
    RESULT_CASES,
    ROLE_CASES,
    TYPED_COMMAND_CASES,
)


def _first_set(typed: str) -> str | None:
    found = named_sets(typed)
    return found[0].code if found else None


def _report(
    title: str, cases: Sequence[tuple[str, str, object]], read: Callable[[str], object]
) -> None:
    right: dict[str, list[bool]] = defaultdict(list)
    for category, typed, expected in cases:
        got = read(typed)
        right[category].append(got == expected)
        if got != expected:
            print(f"  wrong: {typed!r} → {got} (expected {expected})")
    print(f"{title:<20}{'right':>8}{'cases':>8}")
    for category, marks in right.items():
        print(f"  {category:<18}{sum(marks) / len(marks):>8.0%}{len(marks):>8}")
    total = [m for marks in right.values() for m in marks]
    print(f"  {'all':<18}{sum(total) / len(total):>8.0%}{len(total):>8}\n")


def main() -> None:
    _report("product at the menu", PRODUCT_LEAD_CASES, _first_set)
    _report("role at onboarding", ROLE_CASES, read_role)
    _report("consent typed", CONSENT_CASES, read_consent)
    _report("command in words", TYPED_COMMAND_CASES, typed_command)
    _report("plan in words", PLAN_CASES, plan_asked)
    _report("officer's wish", OFFICER_WISH_CASES, lambda t: (w := officer_wish(t)) and w.command)
    _report("result in words", RESULT_CASES, result_asked)
    _report("part in words", PART_CASES, part_asked)
    _report("criterion asked", CRITERION_CASES, criterion_asked)
    _report("certificate asked", CERTIFICATE_CASES, certificate_asked)


if __name__ == "__main__":
    main()
