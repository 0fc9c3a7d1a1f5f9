"""A small made-up sheet under edition 148 for scoring tests (never shipped as data)."""

from __future__ import annotations

import copy
from typing import Any

from knowledge.criteria import Sheet

TINY: dict[str, Any] = {
    "set": "148-mat-ong-mat-khac",
    "name": "Mật ong, mật khác và nông sản thực phẩm khác",
    "edition": {
        "code": "148",
        "decision": "QĐ 148/QĐ-TTg",
        "date": "2023-02-24",
    },
    "source": "test fixture",
    "star_thresholds": [{"stars": 5, "min": 90}, {"stars": 4, "min": 70}, {"stars": 3, "min": 50}],
    "parts": [
        {
            "code": "A",
            "name": "Sản phẩm và sức mạnh cộng đồng",
            "max_points": 40,
            "criteria": [
                {
                    "code": "A1",
                    "text": "Nguồn gốc",
                    "options": [
                        {"text": "Không rõ", "points": 0},
                        {"text": "Địa phương", "points": 5, "required_for": 3},
                        {"text": "Địa phương, có liên kết", "points": 20},
                    ],
                },
                {
                    "code": "A2",
                    "text": "Tổ chức",
                    "options": [{"text": "Hộ", "points": 10}, {"text": "HTX", "points": 20}],
                },
            ],
        },
        {
            "code": "B",
            "name": "Khả năng tiếp thị",
            "max_points": 25,
            "criteria": [
                {
                    "code": "B1",
                    "text": "Phân phối",
                    "options": [
                        {"text": "Trong xã", "points": 5},
                        {"text": "Cả nước", "points": 25},
                    ],
                },
            ],
        },
        {
            "code": "C",
            "name": "Chất lượng sản phẩm",
            "max_points": 35,
            "criteria": [
                {
                    "code": "C1",
                    "text": "Kiểm nghiệm",
                    "options": [{"text": "Không", "points": 0}, {"text": "Có", "points": 15}],
                },
                {
                    "code": "C2",
                    "text": "Tiêu chuẩn",
                    "options": [{"text": "Không", "points": 0}, {"text": "Có", "points": 20}],
                },
            ],
        },
    ],
}


def tiny(**changes: Any) -> dict[str, Any]:
    """A deep copy of TINY with top-level fields replaced."""
    return {**copy.deepcopy(TINY), **changes}


def tiny_sheet() -> Sheet:
    """TINY as a Sheet."""
    return Sheet.from_dict(tiny())


def tiny26(**changes: Any) -> dict[str, Any]:
    """TINY under QĐ 26/2026 (its five bands) with one disqualifying condition, for flows."""
    document = tiny(
        set="26-mat-ong-mat-khac",
        edition={"code": "26", "decision": "QĐ 26/2026/QĐ-TTg"},
        star_thresholds=[
            {"stars": 5, "min": 90},
            {"stars": 4, "min": 70},
            {"stars": 3, "min": 50},
            {"stars": 2, "min": 30},
            {"stars": 1, "min": 0},
        ],
        disqualifiers=[{"code": "L1", "text": "Giả mạo hồ sơ"}],
    )
    return {**document, **changes}
