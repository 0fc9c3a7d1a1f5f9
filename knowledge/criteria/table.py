"""Sheets as tables: one row per option, the format OCOP offices import (CSV or XLSX).

Columns (header names, any order; `note`, `evidence_*`, `*required_for`, `criterion_kind` and
`case` may be left empty or left out):
set, edition, source, part, part_name, part_max, criterion, criterion_text, criterion_text_en,
note, evidence_vi,
evidence_en, criterion_required_for, criterion_kind, option, points, required_for, case

`required_for` on an option row: the star level (3, 4, 5) that needs at least this option
(the sheets' "***" marks); `criterion_required_for`: the level that needs the criterion met;
`criterion_kind`: "yes_no" or "one_of_cases" (then `case` names each option's case).
A disqualifying condition ("Hồ sơ bị loại khi") is a row with part `L`: its code in
`criterion`, its text in `criterion_text` (English in `criterion_text_en`), and no option or
points.
"""

from __future__ import annotations

from typing import Any

from knowledge.criteria import check_sheet, editions, product_sets

COLUMNS = (
    "set",
    "edition",
    "source",
    "part",
    "part_name",
    "part_max",
    "criterion",
    "criterion_text",
    "criterion_text_en",
    "note",
    "evidence_vi",
    "evidence_en",
    "criterion_required_for",
    "criterion_kind",
    "option",
    "points",
    "required_for",
    "case",
)
DISQUALIFIER_PART = "L"
_REQUIRED = (
    "set",
    "edition",
    "source",
    "part",
    "part_name",
    "part_max",
    "criterion",
    "criterion_text",
    "option",
    "points",
)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def rows_to_sheet(rows: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, list[str]]:
    """Build a sheet document from table rows (row 1 is the header, so data starts at row 2).

    Returns (document, []) or (None, problems), each problem naming its row.
    """
    if not rows:
        return None, ["the file has no data rows"]
    missing = [c for c in _REQUIRED if c not in rows[0]]
    if missing:
        return None, [f"row 1: missing column(s) {', '.join(missing)}"]
    problems: list[str] = []
    first = {k: str(rows[0].get(k) or "").strip() for k in ("set", "edition", "source")}
    parts: dict[str, dict[str, Any]] = {}
    criteria: dict[str, dict[str, Any]] = {}
    disqualifiers: list[dict[str, str]] = []
    for number, raw in enumerate(rows, start=2):
        row = {k: str(v).strip() if v is not None else "" for k, v in raw.items()}
        if row.get("part") == DISQUALIFIER_PART:
            if not row.get("criterion") or not row.get("criterion_text"):
                problems.append(f"row {number}: a disqualifier needs criterion and criterion_text")
            else:
                disqualifiers.append(
                    {
                        "code": row["criterion"],
                        "text": row["criterion_text"],
                        "text_en": row.get("criterion_text_en", ""),
                    }
                )
            continue
        empty = [c for c in _REQUIRED if not row.get(c)]
        if empty:
            problems.append(f"row {number}: empty {', '.join(empty)}")
            continue
        for key, value in first.items():
            if row[key] != value:
                problems.append(f"row {number}: {key} is {row[key]!r}, row 2 says {value!r}")
        points, part_max = _number(row["points"]), _number(row["part_max"])
        if points is None:
            problems.append(f"row {number}: points {row['points']!r} is not a number")
            continue
        if part_max is None:
            problems.append(f"row {number}: part_max {row['part_max']!r} is not a number")
            continue
        part = parts.setdefault(
            row["part"],
            {
                "code": row["part"],
                "name": row["part_name"],
                "max_points": part_max,
                "criteria": [],
            },
        )
        if part["max_points"] != part_max or part["name"] != row["part_name"]:
            problems.append(f"row {number}: part {row['part']} has another name or maximum above")
        criterion = criteria.get(row["criterion"])
        levels = {}
        for column in ("criterion_required_for", "required_for"):
            value = row.get(column, "")
            if value and not value.isdigit():
                problems.append(f"row {number}: {column} must be a star level (3, 4 or 5)")
            elif value:
                levels[column] = int(value)
        if criterion is None:
            criterion = {
                "code": row["criterion"],
                "text": row["criterion_text"],
                "evidence": {"vi": row.get("evidence_vi", ""), "en": row.get("evidence_en", "")},
                "options": [],
            }
            if row.get("note"):
                criterion["note"] = row["note"]
            if "criterion_required_for" in levels:
                criterion["required_for"] = levels["criterion_required_for"]
            if row.get("criterion_kind"):
                criterion["kind"] = row["criterion_kind"]
            criteria[row["criterion"]] = criterion
            part["criteria"].append(criterion)
        elif criterion["text"] != row["criterion_text"]:
            problems.append(f"row {number}: criterion {row['criterion']} has another text above")
        elif criterion not in part["criteria"]:
            problems.append(f"row {number}: criterion {row['criterion']} is in another part above")
        option: dict[str, Any] = {"text": row["option"], "points": points}
        if "required_for" in levels:
            option["required_for"] = levels["required_for"]
        if row.get("case"):
            option["case"] = row["case"]
        criterion["options"].append(option)
    if problems:
        return None, problems
    edition = editions().get(first["edition"])
    product_set = product_sets().get(first["set"])
    if edition is None:
        return None, [
            f"row 2: unknown edition {first['edition']!r} (known: {', '.join(editions())})"
        ]
    if product_set is None:
        return None, [
            f"row 2: unknown product set {first['set']!r} (see `ocop-bot criteria sets`)"
        ]
    document = {
        "set": first["set"],
        "name": product_set.name,
        "edition": {"code": edition.code, "decision": edition.decision, "date": edition.signed_on},
        "source": first["source"],
        "star_thresholds": [{"stars": s, "min": m} for s, m in edition.star_thresholds],
        "disqualifiers": disqualifiers,
        "parts": list(parts.values()),
    }
    structural = check_sheet(document)
    return (None, structural) if structural else (document, [])


def sheet_to_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The table form of a sheet document (what `rows_to_sheet` reads back)."""
    rows: list[dict[str, Any]] = [
        {
            **dict.fromkeys(COLUMNS, ""),
            "set": document["set"],
            "edition": document["edition"]["code"],
            "source": document["source"],
            "part": DISQUALIFIER_PART,
            "part_name": "Hồ sơ bị loại khi",
            "criterion": item["code"],
            "criterion_text": item["text"],
            "criterion_text_en": item.get("text_en", ""),
        }
        for item in document.get("disqualifiers", [])
    ]
    for part in document["parts"]:
        for criterion in part["criteria"]:
            evidence = criterion.get("evidence") or {}
            for option in criterion["options"]:
                rows.append(
                    {
                        "set": document["set"],
                        "edition": document["edition"]["code"],
                        "source": document["source"],
                        "part": part["code"],
                        "part_name": part["name"],
                        "part_max": part["max_points"],
                        "criterion": criterion["code"],
                        "criterion_text": criterion["text"],
                        "criterion_text_en": criterion.get("text_en", ""),
                        "note": criterion.get("note", ""),
                        "evidence_vi": evidence.get("vi", ""),
                        "evidence_en": evidence.get("en", ""),
                        "criterion_required_for": criterion.get("required_for") or "",
                        "criterion_kind": criterion.get("kind", ""),
                        "option": option["text"],
                        "points": option["points"],
                        "required_for": option.get("required_for") or "",
                        "case": option.get("case", ""),
                    }
                )
    return rows
