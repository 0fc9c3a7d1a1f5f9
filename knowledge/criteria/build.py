"""Building a checked `Sheet` from a sheet document (bundled file or an office's import)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

from knowledge.criteria.catalogue import bundled_documents, editions
from knowledge.criteria.checks import SheetError, check_sheet
from knowledge.criteria.model import Criterion, Disqualifier, Option, Part, Sheet


def _requirements(criterion: dict[str, Any]) -> tuple[tuple[int, float], ...]:
    pairs = [
        (o["required_for"], float(o["points"]))
        for o in criterion["options"]
        if o.get("required_for")
    ]
    if criterion.get("required_for"):
        positive = [float(o["points"]) for o in criterion["options"] if o["points"] > 0]
        pairs.append((criterion["required_for"], min(positive, default=0.0)))
    return tuple(sorted(pairs))


def sheet_from_dict(data: dict[str, Any]) -> Sheet:
    """Build and check a sheet; raise SheetError listing every problem."""
    problems = check_sheet(data)
    if problems:
        raise SheetError(problems)
    edition = editions()[data["edition"]["code"]]
    parts = tuple(
        Part(
            code=p["code"],
            name=p["name"],
            max_points=float(p["max_points"]),
            criteria=tuple(
                Criterion(
                    code=c["code"],
                    text=c["text"],
                    note=c.get("note", ""),
                    options=tuple(
                        Option(
                            o["text"],
                            float(o["points"]),
                            required_for=o.get("required_for"),
                            case=o.get("case", ""),
                        )
                        for o in c["options"]
                    ),
                    evidence_vi=(c.get("evidence") or {}).get("vi", ""),
                    evidence_en=(c.get("evidence") or {}).get("en", ""),
                    requirements=_requirements(c),
                    kind=c.get("kind", ""),
                    section=c.get("section", ""),
                )
                for c in p["criteria"]
            ),
        )
        for p in data["parts"]
    )
    thresholds = tuple(
        sorted(((th["stars"], float(th["min"])) for th in data["star_thresholds"]), reverse=True)
    )
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    return Sheet(
        set_code=data["set"],
        name=data["name"],
        edition=edition,
        source=data["source"],
        parts=parts,
        star_thresholds=thresholds,
        uncertain=bool(data.get("uncertain")),
        key=f"{data['set']}@{edition.code}#{digest.hexdigest()[:12]}",
        disqualifiers=tuple(
            Disqualifier(d["code"], d["text"], d.get("text_en", ""))
            for d in data.get("disqualifiers", [])
        ),
        readings=tuple(data.get("readings", ())),
    )


@cache
def bundled_sheets() -> dict[str, Sheet]:
    """The bundled sheets, by product set code."""
    return {code: sheet_from_dict(doc) for code, doc in bundled_documents().items()}


def check_bundled() -> dict[str, list[str]]:
    """Problems of each bundled sheet file, by file name (empty lists when all are sound)."""
    folder = resources.files("knowledge.criteria").joinpath("sheets")
    report: dict[str, list[str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            try:
                report[entry.name] = check_sheet(json.loads(entry.read_text("utf-8")))
            except json.JSONDecodeError as exc:
                report[entry.name] = [f"not valid JSON: {exc}"]
    return report
