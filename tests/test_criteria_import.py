"""`ocop-bot criteria import/export`: official sheets loaded from CSV or XLSX, all or nothing."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from openpyxl import Workbook

from db import repo
from db.session import Database
from knowledge.criteria import Sheet, bundled_documents
from knowledge.criteria.table import COLUMNS, rows_to_sheet, sheet_to_rows
from tests.conftest import CliRun, OcopBot
from tests.sheets import tiny

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "criteria_sheet_sample.csv"


@pytest.fixture
def cli(ocop_bot: OcopBot) -> Callable[..., CliRun]:
    """`ocop-bot criteria ARGS` on the database at `database_url`."""

    def criteria(database_url: str, *args: str) -> CliRun:
        return ocop_bot("criteria", *args, env={"DATABASE_URL": database_url})

    return criteria


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


async def imported_rows(database_url: str) -> list[tuple[str, bool]]:
    db = Database(database_url)
    await db.upgrade()
    rows = await db.run(
        lambda c: c.exec_driver_sql(
            "SELECT key, replaced_at IS NULL FROM criteria_sheets ORDER BY id"
        ).all()
    )
    await db.dispose()
    return [(key, bool(current)) for key, current in rows]


def test_table_round_trip_keeps_every_point() -> None:
    original = bundled_documents()["1048-rau-cu-qua-hat-tuoi"]
    rows = [{k: str(v) for k, v in row.items()} for row in sheet_to_rows(original)]
    document, problems = rows_to_sheet(rows)
    assert problems == [] and document is not None
    back, there = Sheet.from_dict(document), Sheet.from_dict(original)
    assert [(c.code, c.text, [(o.text, o.points) for o in c.options]) for c in back.criteria] == [
        (c.code, c.text, [(o.text, o.points) for o in c.options]) for c in there.criteria
    ]


def test_sample_file_in_the_repo_imports(database_url: str, cli: Callable[..., CliRun]) -> None:
    done = cli(database_url, "import", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "imported: 1048-rau-cu-qua-hat-tuoi under QĐ 1048/QĐ-TTg, 31 criteria"
    )
    again = cli(database_url, "import", str(SAMPLE))
    assert again.stdout.startswith("unchanged (already in force)")


async def test_bad_rows_are_numbered_and_nothing_is_imported(
    database_url: str, tmp_path: Path, cli: Callable[..., CliRun]
) -> None:
    rows = sheet_to_rows(tiny())
    rows[2]["points"] = "abc"  # file row 4 (header is row 1)
    rows[5]["option"] = ""  # file row 7
    done = cli(database_url, "import", str(write_csv(tmp_path / "bad.csv", rows)))
    assert done.returncode == 1
    assert "row 4: points 'abc' is not a number" in done.stderr
    assert "row 7: empty option" in done.stderr
    assert done.stderr.rstrip().endswith("nothing imported")
    assert await imported_rows(database_url) == []


async def test_structural_faults_are_refused_whole(
    database_url: str, tmp_path: Path, cli: Callable[..., CliRun]
) -> None:
    rows = sheet_to_rows(tiny())
    rows[-1]["points"] = 25  # C2's best option: C now sums to 40, not 35
    done = cli(database_url, "import", str(write_csv(tmp_path / "sum.csv", rows)))
    assert done.returncode == 1
    assert "part C: best options sum to 40, not its maximum 35" in done.stderr
    assert await imported_rows(database_url) == []


def test_missing_columns_and_unreadable_files(
    database_url: str, tmp_path: Path, cli: Callable[..., CliRun]
) -> None:
    (tmp_path / "cols.csv").write_text("set,edition\nx,148\n", encoding="utf-8")
    done = cli(database_url, "import", str(tmp_path / "cols.csv"))
    assert done.returncode == 1 and "row 1: missing column(s) source, part" in done.stderr
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip")
    done = cli(database_url, "import", str(tmp_path / "fake.xlsx"))
    assert done.returncode == 1 and "not a readable XLSX file" in done.stderr
    done = cli(database_url, "import", str(tmp_path / "absent.csv"))
    assert done.returncode == 1 and "no such file" in done.stderr


async def test_xlsx_import_and_reimport_replaces_atomically(
    database_url: str, tmp_path: Path, cli: Callable[..., CliRun]
) -> None:
    def xlsx(document: dict, name: str) -> Path:
        book = Workbook()
        sheet = book.active
        sheet.append(list(COLUMNS))
        for row in sheet_to_rows(document):
            sheet.append([row[c] for c in COLUMNS])
        book.save(tmp_path / name)
        return tmp_path / name

    first = cli(database_url, "import", str(xlsx(tiny(), "v1.xlsx")))
    assert first.returncode == 0, first.stderr
    second_doc = tiny(source="Official sheet, second printing")
    second = cli(database_url, "import", str(xlsx(second_doc, "v2.xlsx")))
    assert second.returncode == 0, second.stderr
    keys = await imported_rows(database_url)
    assert [current for _, current in keys] == [False, True]  # v1 kept, replaced; v2 in force
    db = Database(database_url)
    body = await db.run(partial(repo.sheet_body, key=keys[0][0]))
    current = await db.run(partial(repo.current_sheet_body, set_code="148-mat-ong-mat-khac"))
    await db.dispose()
    assert body is not None and body["source"] == "test fixture"
    assert current is not None and current[1]["source"] == "Official sheet, second printing"


def test_export_of_a_set_without_sheet_says_so(
    database_url: str, cli: Callable[..., CliRun]
) -> None:
    done = cli(database_url, "export", "148-du-lich-cong-dong")
    assert done.returncode == 1 and "no sheet for 148-du-lich-cong-dong yet" in done.stderr


@pytest.mark.parametrize("code", ["26-mat-ong-mat-khac", "26-du-lich-cong-dong", "26-hoa"])
def test_sheets_of_the_decision_in_force_round_trip_with_conditions_cases_and_marks(
    code: str,
) -> None:
    original = bundled_documents()[code]
    rows = [{k: str(v) for k, v in row.items()} for row in sheet_to_rows(original)]
    document, problems = rows_to_sheet(rows)
    assert problems == [] and document is not None
    back, there = Sheet.from_dict(document), Sheet.from_dict(original)
    assert back.disqualifiers == there.disqualifiers
    assert [(c.code, c.text, c.kind, c.options) for c in back.criteria] == [
        (c.code, c.text, c.kind, c.options) for c in there.criteria
    ]


async def test_an_office_imports_the_signed_26_sheet_over_the_transcription(
    database_url: str, tmp_path: Path, cli: Callable[..., CliRun]
) -> None:
    signed = {**bundled_documents()["26-du-lich-cong-dong"], "source": "Signed sheet, province X"}
    path = write_csv(tmp_path / "signed.csv", sheet_to_rows(signed))
    done = cli(database_url, "import", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("imported: 26-du-lich-cong-dong under QĐ 26/2026/QĐ-TTg")
    db = Database(database_url)
    sheet = await db.run(partial(repo.sheet_for_set, set_code="26-du-lich-cong-dong"))
    await db.dispose()
    assert sheet is not None and sheet.source == "Signed sheet, province X"
    assert sheet.criterion("8") is not None and sheet.criterion("8").kind == "one_of_cases"  # type: ignore[union-attr]
