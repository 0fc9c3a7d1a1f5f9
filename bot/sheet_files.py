"""Reading and writing criteria tables (CSV or XLSX) for `ocop-bot criteria import/export`."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from knowledge.criteria.table import COLUMNS


class TableError(Exception):
    """The file cannot be read as a table."""


def read_table(path: Path) -> list[dict[str, Any]]:
    """The data rows of a CSV (UTF-8) or XLSX file (first worksheet), keyed by header."""
    if not path.is_file():
        raise TableError(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise TableError(f"{path}: not a readable XLSX file ({exc})") from None
        sheet = workbook.worksheets[0]
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        if not values:
            return []
        header = [str(h).strip() if h is not None else "" for h in values[0]]
        return [
            {
                header[i]: ("" if cell is None else cell)
                for i, cell in enumerate(row)
                if i < len(header)
            }
            for row in values[1:]
            if any(cell not in (None, "") for cell in row)
        ]
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    return [
        {(k or "").strip(): v for k, v in row.items()}
        for row in reader
        if any((v or "").strip() for v in row.values() if isinstance(v, str))
    ]


def table_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV text with the standard columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
