"""Convert the 26 scoring sheets of QĐ 26/2026/QĐ-TTg (Phụ lục II) from the plain-text transcript
into `knowledge/criteria/sheets/26-*.json`.

    python scripts/convert_qd26_sheets.py ../shared/research/qd26_2026/qd26_2026_text.txt

The transcript flattens each table row to ` | cell |  | points`. A heading row with points is a
section ("1. TỔ CHỨC SẢN XUẤT"), or a criterion when options (□ …) follow it; a criterion whose
options are not printed is a yes/no criterion. "Lựa chọn một trong hai trường hợp" rows tag the
options that follow with their case. Trailing "***" marks on an option are the star level it is the
minimum for. Every reading of a misprint is listed in `READINGS` and written into the sheet file.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

from knowledge.text import fold

SHEETS = Path(__file__).resolve().parent.parent / "knowledge" / "criteria" / "sheets"
SOURCE = (
    "QĐ 26/2026/QĐ-TTg (22/5/2026), Phụ lục II, plain-text transcript of a legal-database HTML "
    "export (TVPL_20260602) kept in github.com/hakienpdu95/minhan, docs/bnn_txng.html, commit "
    "94397bfc4fc870e69c79f5543cdcc39cca9a6c5b"
)

# (set number, criterion code, option text start) → (points read, why). Each checked against the
# part sums (A 40, B 25, C 35) and the same criterion in the other sheets.
READINGS: dict[tuple[int, str, str], tuple[float, str]] = {
    (4, "7", "Có trên 2 chỉ tiêu"): (3, "printed as 13; 3 by the part C sum and the other sheets"),
    (11, "6.1.1", "Có rất ít tạp chất"): (1, "printed as 11; 1 by the part C sum"),
}
CONDITION_READINGS = {
    "Giấy phép sản xuất theo quy định": (
        "Không có giấy phép sản xuất theo quy định",
        "printed “hoặc giấy phép sản xuất theo quy định” after “không tuân thủ …”; read as a "
        "missing production licence, as set 15 words it",
    ),
    "Hồ sơ đăng ký bản đăng ký công bố chất lượng sản phẩm, ghi nhãn sản phẩm, quảng cáo sản phẩm": (
        "Hồ sơ đăng ký thiếu bản đăng ký công bố chất lượng sản phẩm, ghi nhãn sản phẩm, quảng "
        "cáo sản phẩm",
        "printed garbled (“Hồ sơ đăng ký bản đăng ký công bố …”); read as a dossier lacking the "
        "quality declaration, labelling and advertising registrations",
    ),
}
CONDITIONS_EN = {
    "giả mạo hồ sơ": "The dossier is forged",
    "không tuân thủ đầy đủ các quy định về giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm theo quy định": (
        "The premises do not fully comply with the food-safety eligibility certificate rules"
    ),
    "không đáp ứng về hồ sơ đăng ký theo quy định": "The registration dossier does not meet the rules",
    "không đáp ứng quy định hồ sơ đăng ký theo quy định": "The registration dossier does not meet the rules",
    "không có giấy phép sản xuất theo quy định": "There is no production licence as required",
    "không có bản công bố sản phẩm (hoặc tương đương)": "There is no product declaration (or equivalent)",
    "không có đủ điều kiện bắt buộc để sản xuất sản phẩm theo quy định quản lý chuyên ngành": (
        "The mandatory production conditions of the sector's regulations are not met"
    ),
    "không có đủ điều kiện bắt buộc để sản xuất sản phẩm theo quy định quản lý chuyên ngành của bộ y tế": (
        "The mandatory production conditions of the Ministry of Health's regulations are not met"
    ),
    "không tuân thủ đầy đủ các quy định về giấy chứng nhận cơ sở đủ điều kiện sản xuất sản phẩm (gmp đối với thực phẩm bảo vệ hoặc tương đương)": (
        "The premises do not fully comply with the production eligibility certificate rules (GMP "
        "for health supplements, or equivalent)"
    ),
    "hồ sơ đăng ký thiếu bản đăng ký công bố chất lượng sản phẩm, ghi nhãn sản phẩm, quảng cáo sản phẩm": (
        "The dossier lacks the registered quality declaration, product labelling or advertising"
    ),
}

STOP_AT_ZERO = "Ghi chú: Nếu được 0 điểm tại một trong các chỉ tiêu trên"
"""Set 16 after 6.4: "…, sẽ không đánh giá các bước tiếp theo": 0 on any criterion of that
section stops the evaluation, so each of them is required (above 0) for every band."""

LEGAL_FORM = "Loại hình tổ chức sản xuất - kinh doanh"
"""3.1 of every sheet: its options are the producers Điều 2.3 admits, so none of them (a
household without business registration) means no band."""

UNPRINTED_ZERO = "Không được cấp giấy chứng nhận chất lượng"
"""Printed without points in sets 4, 7, 10, 11: 0, as in the eight other sheets that have it."""

CODES = {
    1: ("rau-cu-qua-hat-tuoi", "Fresh vegetables, tubers, fruit and nuts"),
    2: ("thit-thuy-san-trung-sua-tuoi", "Fresh meat, seafood, eggs and milk"),
    3: ("gao-ngu-coc-hat-so-che", "Rice, cereals and other semi-processed grains"),
    4: ("mat-ong-mat-khac", "Honey, other syrups and other farm foods"),
    5: ("do-an-nhanh", "Fast food"),
    6: ("che-bien-tu-gao-ngu-coc", "Processed rice and cereal products"),
    7: ("che-bien-tu-rau-cu-qua-hat", "Processed vegetables, tubers, fruit and nuts"),
    8: ("che-bien-tu-thit-thuy-san", "Processed meat, seafood, eggs, milk and honey products"),
    9: ("tuong-nuoc-mam", "Soy sauce, fish sauce and other liquid condiments"),
    10: ("gia-vi-khac", "Other condiments (salt, shallot, garlic, pepper)"),
    11: ("che-tuoi-che-bien", "Fresh and processed tea"),
    12: ("tra-tu-thuc-vat-khac", "Herbal teas from other plants"),
    13: ("ca-phe-ca-cao", "Coffee and cocoa"),
    14: ("ruou-trang", "White rice spirit"),
    15: ("do-uong-co-con-khac", "Other alcoholic drinks"),
    16: ("nuoc-khoang-nuoc-uong-dong-chai", "Natural mineral water and bottled drinking water"),
    17: ("do-uong-khong-con-khac", "Other non-alcoholic drinks"),
    18: (
        "thuc-pham-chuc-nang-thuoc-duoc-lieu",
        "Functional foods, herbal and traditional medicines",
    ),
    19: ("my-pham-duoc-lieu", "Cosmetics with medicinal-herb ingredients"),
    20: ("tinh-dau-duoc-lieu-khac", "Essential oils and other medicinal herbs"),
    21: ("thu-cong-my-nghe", "Household and decorative handicrafts"),
    22: ("vai-may-mac", "Textiles and garments"),
    23: ("hoa", "Flowers"),
    24: ("cay-canh", "Ornamental plants"),
    25: ("dong-vat-canh", "Ornamental animals"),
    26: ("du-lich-cong-dong", "Community tourism, eco-tourism and tourist sites"),
}

_SET_HEADING = re.compile(r"^(\d{1,2})\. (?:Bộ sản phẩm: |Sản phẩm )(.+)$")
_PART = re.compile(r"^Phần ([ABC])\b[: ]*(.+?)\s*\((\d+) Điểm\)$", re.IGNORECASE)
_CODED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.+)$")
_CASE = re.compile(r"^([ab])\. Trường hợp (\d): (.+)$")
_MARK = re.compile(r"\s*((?:\*\s?){3,5})\s*;?\s*(Ghi chú:.*)?$")


def _cells(line: str) -> tuple[str, str]:
    cells = [c.strip() for c in line.split(" | ")]
    cells = [c for c in cells if c != ""]
    if not cells:
        return "", ""
    if len(cells) == 1:
        return cells[0].lstrip("| ").strip(), ""
    return cells[0].lstrip("| ").strip(), cells[-1]


def _points(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip(" ;")


def _split_title(title: str) -> tuple[str, str]:
    """A criterion heading as (text, note): "Yêu cầu: …" and a long trailing explanation in
    parentheses become the note; an all-capitals heading is put in sentence case."""
    note = ""
    requirement = re.search(r"\s*Yêu cầu:\s*(.+)$", title)
    if requirement:
        note = "Yêu cầu: " + requirement.group(1).strip()
        title = title[: requirement.start()]
    explained = re.match(r"^(.*?\S)\s*\((.{25,})\)\s*$", title)
    if explained:
        title = explained.group(1)
        note = f"{explained.group(2).strip()}. {note}".strip(". ").strip()
    if title.isupper():
        title = title[0] + title[1:].lower()
    return title.strip(), note


def _split_conditions(text: str) -> list[str]:
    body = re.sub(r"^(Hồ sơ )?[Bb]ị loại khi:\s*", "", text).strip().rstrip(".;")
    pieces = re.split(r";\s*hoặc\s+|;\s+|\s+hoặc\s+(?=không|giấy|Giấy|có\b)", body)
    out = []
    for piece in pieces:
        piece = _clean(piece)
        if piece:
            out.append(piece[0].upper() + piece[1:])
    return out


def parse(lines: list[str]) -> list[dict]:
    """Every sheet of Phụ lục II, as sheet documents (without catalogue metadata)."""
    start = next(i for i, line in enumerate(lines) if line.startswith("PHỤ LỤC II"))
    end = next(i for i, line in enumerate(lines) if line.startswith("PHỤ LỤC III"))
    sheets: list[dict] = []
    current: dict | None = None
    for number, raw in enumerate(lines[start:end], start + 1):
        line = raw.rstrip("\n")
        heading = _SET_HEADING.match(line)
        if heading and not line.startswith(" |"):
            current = {
                "number": int(heading.group(1)),
                "title": _clean(heading.group(2)),
                "line": number,
                "disqualifiers_text": [],
                "rows": [],
            }
            sheets.append(current)
            continue
        if current is None:
            continue
        if re.match(r"^(Hồ sơ )?[Bb]ị loại khi:", line):
            if line not in current["disqualifiers_text"]:
                current["disqualifiers_text"].append(line)
            continue
        if line.startswith(" | "):
            current["rows"].append((number, *_cells(line)))
    return [_build(sheet) for sheet in sheets]


def _build(raw: dict) -> dict:
    number = raw["number"]
    parts: list[dict] = []
    readings: list[str] = []
    part: dict | None = None
    section = ""
    pending: dict | None = None  # a coded heading waiting to see whether options follow
    case = ""
    criteria_codes: set[str] = set()
    sections: dict[str, float] = {}

    def close_pending() -> None:
        nonlocal pending
        if pending is None:
            return
        assert part is not None
        criteria_codes.add(pending["code"])
        if pending["options"]:
            top = max(o["points"] for o in pending["options"])
            if top != pending["max"]:
                raise ValueError(
                    f"set {number}, criterion {pending['code']}: heading {pending['max']:g} "
                    f"points, best option {top:g}"
                )
            part["criteria"].append(pending)
        else:
            pending["options"] = [
                {"text": "Không", "points": 0},
                {"text": "Có", "points": pending.pop("max")},
            ]
            pending["kind"] = "yes_no"
            part["criteria"].append(pending)
        pending.pop("max", None)
        pending = None

    for line_no, text, pts in raw["rows"]:
        if text.startswith("Các tiêu chí") or text.startswith("TỔNG CỘNG"):
            close_pending()
            continue
        match = _PART.match(text)
        if match:
            close_pending()
            code, name, printed = match.group(1).upper(), match.group(2), int(match.group(3))
            points = _points(pts)
            if points is not None and points != printed:
                readings.append(
                    f"Part {code}: heading says {printed} points, its points column says "
                    f"{points:g} and its criteria add to {points:g}: read as {points:g}."
                )
            part = {
                "code": code,
                "name": _clean(name).capitalize(),
                "max_points": int(points if points is not None else printed),
                "criteria": [],
            }
            parts.append(part)
            section = ""
            continue
        if part is None:
            continue
        bullet = text.startswith("□") or re.match(r"^o [A-ZĐÂĂÊÔƠƯÁÀẢÃẠ]", text)
        if bullet:
            if not text.startswith("□"):
                readings.append(
                    f"Line {line_no}: option bulleted “o” instead of “□”: read as an option."
                )
            option_text = _clean(text[1:].lstrip())
            mark = _MARK.search(option_text)
            required = None
            if mark:
                required = mark.group(1).count("*")
                if " " in mark.group(1).strip():
                    readings.append(
                        f"Line {line_no}: star mark printed spaced (“{mark.group(1).strip()}”): "
                        f"read as {'*' * required}."
                    )
                if mark.group(2):
                    note = _clean(mark.group(2))
                    pending["note"] = (
                        f"{pending.get('note', '')} {note}".strip() if pending else note
                    )
                option_text = _clean(option_text[: mark.start()])
            points = _points(pts)
            key = next(
                (k for k in READINGS if k[0] == number and option_text.startswith(k[2])), None
            )
            if key is not None and pending is not None and pending["code"] == key[1]:
                value, why = READINGS[key]
                readings.append(
                    f"Criterion {key[1]}, option “{option_text}”: {why} (read as {value:g})."
                )
                points = value
            if points is None and option_text.startswith(UNPRINTED_ZERO):
                readings.append(
                    f"Criterion {pending['code'] if pending else '?'}, option “{option_text}”: "
                    "printed without points; 0 as in the other sheets that have it."
                )
                points = 0
            if points is None:
                raise ValueError(f"line {line_no}: option without points: {text[:80]}")
            if pending is None:
                raise ValueError(f"line {line_no}: option outside a criterion")
            option: dict = {"text": option_text, "points": points}
            if required:
                option["required_for"] = required
            if case:
                option["case"] = case
            pending["options"].append(option)
            continue
        case_match = _CASE.match(text)
        if case_match:
            case = f"Trường hợp {case_match.group(2)}: {_clean(case_match.group(3))}"
            continue
        coded = _CODED.match(text)
        points = _points(pts)
        doubled = re.fullmatch(r"(\d+) (\d+)", pts.strip())
        if coded and points is None and doubled:
            points = float(doubled.group(1))
            readings.append(
                f"Criterion {coded.group(1)}: points printed as “{pts.strip()}”; read as "
                f"{points:g} (its options top out at {points:g} and part sums hold)."
            )
        if coded and points is not None:
            close_pending()
            case = ""
            code, title = coded.group(1), _clean(coded.group(2))
            if code in criteria_codes:
                raise ValueError(f"line {line_no}: criterion {code} twice")
            if _is_section(raw["rows"], line_no, code):
                section = f"{code}. {title}"
                sections[code] = points
                continue
            title, title_note = _split_title(title)
            pending = {"code": code, "text": title, "options": [], "max": points}
            if title_note:
                pending["note"] = title_note
            if "." in code and section.startswith(code.split(".")[0] + "."):
                pending["section"] = section
            continue
        if pending is not None:
            note = _clean(text)
            if note.startswith("Lựa chọn một trong hai trường hợp"):
                pending["choose_one_case"] = True
                continue
            if note.startswith("(") and note.endswith(")"):
                note = note[1:-1]
            pending["note"] = f"{pending['note']} {note}".strip() if pending.get("note") else note
    close_pending()
    for p in parts:
        for c in p["criteria"]:
            if c["text"] == LEGAL_FORM:
                c["required_for"] = 1
                readings.append(
                    f"Criterion {c['code']} “{LEGAL_FORM}”: its options are the producers "
                    "Điều 2.3 admits (“hợp tác xã; tổ hợp tác; doanh nghiệp nhỏ và vừa; trang "
                    "trại, hộ sản xuất, hộ gia đình có đăng ký kinh doanh”): read as required for "
                    "every band (none of them, e.g. no business registration: no band)."
                )
        for n, c in enumerate(p["criteria"]):
            if not c.get("note", "").startswith(STOP_AT_ZERO) or not c.get("section"):
                continue
            above = [d for d in p["criteria"][: n + 1] if d.get("section") == c["section"]]
            for d in above:
                d["required_for"] = 1
            readings.append(
                f"Criterion {c['code']}, note “{c['note']}”: read as each of "
                f"{', '.join(d['code'] for d in above)} ({c['section']}) required above 0 "
                "for every band (the evaluation stops there, so no band is given)."
            )
    disqualifiers = []
    for line in raw["disqualifiers_text"]:
        for condition in _split_conditions(line):
            if condition in CONDITION_READINGS:
                condition, why = CONDITION_READINGS[condition]
                readings.append(f"Rejection condition {why}.")
            if condition not in [d["text"] for d in disqualifiers]:
                disqualifiers.append(
                    {
                        "code": f"L{len(disqualifiers) + 1}",
                        "text": condition,
                        "text_en": CONDITIONS_EN[condition.lower()],
                    }
                )
    for p in parts:
        for c in p["criteria"]:
            if c.get("choose_one_case"):
                c.pop("choose_one_case")
                c["kind"] = "one_of_cases"
    return {
        "number": number,
        "title": raw["title"],
        "line": raw["line"],
        "disqualifiers": disqualifiers,
        "disqualifiers_text": [_clean(t) for t in raw["disqualifiers_text"]],
        "parts": parts,
        "readings": readings,
    }


def _is_section(rows: list[tuple[int, str, str]], line_no: int, code: str) -> bool:
    """True when the next coded row after `line_no` is a sub-criterion of `code`."""
    after = [r for r in rows if r[0] > line_no]
    for _, text, pts in after:
        if text.startswith("□"):
            return False
        coded = _CODED.match(text)
        if coded and _points(pts) is not None:
            return coded.group(1).startswith(code + ".")
        if _PART.match(text):
            return False
    return False


# Phụ lục I: 6 ngành → 17 nhóm → the numbers of the 26 sets of Phụ lục II.
SECTORS: list[tuple[str, str, str, list[tuple[str, str, list[int]]]]] = [
    (
        "thuc-pham",
        "Thực phẩm",
        "Food",
        [
            ("tuoi-song", "Thực phẩm tươi sống", "Fresh food", [1, 2]),
            ("tho-so-che", "Thực phẩm thô, sơ chế", "Raw and semi-processed food", [3, 4]),
            ("che-bien", "Thực phẩm chế biến", "Processed food", [5, 6, 7, 8]),
            ("gia-vi", "Gia vị", "Condiments", [9, 10]),
            ("che", "Chè", "Tea", [11, 12]),
            ("ca-phe-ca-cao", "Cà phê, ca cao", "Coffee and cocoa", [13]),
        ],
    ),
    (
        "do-uong",
        "Đồ uống",
        "Drinks",
        [
            ("co-con", "Đồ uống có cồn", "Alcoholic drinks", [14, 15]),
            ("khong-con", "Đồ uống không cồn", "Non-alcoholic drinks", [16, 17]),
        ],
    ),
    (
        "duoc-lieu",
        "Dược liệu và sản phẩm từ dược liệu",
        "Medicinal herbs and herbal products",
        [
            (
                "tpcn-thuoc",
                "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền",
                "Functional foods, herbal and traditional medicines",
                [18],
            ),
            ("my-pham", "Mỹ phẩm có thành phần từ dược liệu", "Herbal cosmetics", [19]),
            ("tinh-dau", "Tinh dầu và dược liệu khác", "Essential oils and other herbs", [20]),
        ],
    ),
    (
        "thu-cong",
        "Hàng thủ công mỹ nghệ",
        "Handicrafts",
        [
            (
                "gia-dung-trang-tri",
                "Thủ công mỹ nghệ gia dụng, trang trí",
                "Household and decorative handicrafts",
                [21],
            ),
            ("vai-may-mac", "Vải, may mặc", "Textiles and garments", [22]),
        ],
    ),
    (
        "sinh-vat-canh",
        "Sinh vật cảnh",
        "Ornamentals",
        [
            ("hoa", "Hoa", "Flowers", [23]),
            ("cay-canh", "Cây cảnh", "Ornamental plants", [24]),
            ("dong-vat-canh", "Động vật cảnh", "Ornamental animals", [25]),
        ],
    ),
    (
        "du-lich",
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Community tourism, eco-tourism and tourist sites",
        [
            (
                "du-lich",
                "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
                "Community tourism, eco-tourism and tourist sites",
                [26],
            ),
        ],
    ),
]

NEW_KEYWORDS = {
    7: [
        "mut",
        "say deo",
        "hoa qua say",
        "trai cay say",
        "rau cu say",
        "dua muoi",
        "nuoc ep",
        "dried fruit",
        "jam",
        "pickles",
    ],
    11: ["che", "tra", "che xanh", "tra xanh", "che shan tuyet", "tea", "green tea"],
    12: ["tra thao moc", "tra atiso", "atiso", "tra gung", "tra hoa", "tra sam", "herbal tea"],
    13: ["ca phe", "cafe", "coffee", "ca cao", "cacao", "cocoa", "socola", "chocolate"],
    26: [
        "du lich cong dong",
        "du lich sinh thai",
        "diem du lich",
        "homestay",
        "community tourism",
        "eco tourism",
        "ecotourism",
        "tourist site",
    ],
}


EVIDENCE = {
    fold("Sở hữu trí tuệ"): {
        "vi": (
            "đơn đăng ký nhãn hiệu đã được chấp nhận hoặc công bố (mức 3 sao); giấy chứng nhận "
            "đăng ký nhãn hiệu, văn bản ghi nhận quyền sử dụng chỉ dẫn địa lý, nhãn hiệu tập "
            "thể, nhãn hiệu chứng nhận (nếu có)"
        ),
        "en": (
            "the trademark application accepted or published (the 3-star level); the trademark "
            "registration certificate, the written right to use a protected geographical "
            "indication, collective or certification mark (if any)"
        ),
    },
}
"""Hints written from the QĐ 26 options where the 148 hint names a higher option's documents
(3.5: its 3★ minimum is an accepted application, not a registration certificate)."""


def _evidence_index() -> dict[str, dict[str, str]]:
    """Evidence hints of the 148 sheets, by folded criterion text (most texts recur), and
    `EVIDENCE` over them."""
    index: dict[str, dict[str, str]] = dict(EVIDENCE)
    for path in sorted(SHEETS.glob("148-*.json")):
        for part in json.loads(path.read_text("utf-8"))["parts"]:
            for criterion in part["criteria"]:
                if criterion.get("evidence"):
                    index.setdefault(fold(criterion["text"]), criterion["evidence"])
    return index


def _list_names(lines: list[str]) -> dict[int, str]:
    """Set names as listed at the head of Phụ lục II."""
    start = next(i for i, line in enumerate(lines) if line.startswith("PHỤ LỤC II"))
    names = {}
    for line in lines[start : start + 40]:
        m = re.match(r"^ \| (\d+) \|  \| Bộ sản phẩm: (.+)$", line)
        if m:
            names[int(m.group(1))] = _clean(m.group(2))
    return names


def documents(lines: list[str]) -> tuple[list[dict], dict]:
    """The 26 sheet documents and the catalogue entry of the edition."""
    names = _list_names(lines)
    evidence = _evidence_index()
    catalogue_148 = json.loads((SHEETS.parent / "catalogue.json").read_text("utf-8"))
    old_keywords = {
        s["code"].removeprefix("148-"): s.get("keywords", [])
        for e in catalogue_148["editions"]
        if e["code"] == "148"
        for g in e["groups"]
        for s in g["sets"]
    }
    sheets = []
    for raw in parse(lines):
        slug, name_en = CODES[raw["number"]]
        for part in raw["parts"]:
            for criterion in part["criteria"]:
                hint = evidence.get(fold(criterion["text"]))
                if hint:
                    criterion["evidence"] = hint
        sheets.append(
            {
                "set": f"26-{slug}",
                "number": raw["number"],
                "name": names[raw["number"]],
                "name_en": name_en,
                "edition": {"code": "26", "decision": "QĐ 26/2026/QĐ-TTg"},
                "source": SOURCE,
                "source_note": (
                    f'Sheet {raw["number"]} of Phụ lục II ("{raw["title"]}"), converted by '
                    "scripts/convert_qd26_sheets.py from line "
                    + str(raw["line"])
                    + " of the transcript "
                    "(shared research qd26_2026). Vietnamese legal documents are not objects of "
                    "copyright (Luật Sở hữu trí tuệ, Điều 15). Evidence hints are copied from the 148 "
                    "sheets where the criterion text is the same."
                ),
                "uncertain": True,
                "uncertainty_reason": (
                    "Unofficial transcription of QĐ 26/2026/QĐ-TTg Phụ lục II, not compared with the "
                    "signed PDF; an OCOP office replaces it with `ocop-bot criteria import`."
                ),
                "required_for_note": (
                    'Phụ lục II: "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao (*** 3 '
                    'sao; **** 4 sao; ***** 5 sao)": an option marked for a level is the least answer '
                    "that level accepts on that criterion."
                ),
                "readings": raw["readings"],
                "disqualifiers_printed": raw["disqualifiers_text"],
                "disqualifiers": raw["disqualifiers"],
                "star_thresholds": [
                    {"stars": 5, "min": 90},
                    {"stars": 4, "min": 70},
                    {"stars": 3, "min": 50},
                    {"stars": 2, "min": 30},
                    {"stars": 1, "min": 0},
                ],
                "parts": raw["parts"],
            }
        )
    by_number = {s["number"]: s for s in sheets}
    sectors = []
    for code, name, name_en, groups in SECTORS:
        sectors.append(
            {
                "code": code,
                "name": name,
                "name_en": name_en,
                "groups": [
                    {
                        "code": f"{code}/{g_code}",
                        "name": g_name,
                        "name_en": g_name_en,
                        "sets": [
                            {
                                "code": by_number[n]["set"],
                                "number": n,
                                "name": by_number[n]["name"],
                                "name_en": by_number[n]["name_en"],
                                "keywords": NEW_KEYWORDS.get(n)
                                or old_keywords.get(CODES[n][0], []),
                            }
                            for n in numbers
                        ],
                    }
                    for g_code, g_name, g_name_en, numbers in groups
                ],
            }
        )
    return sheets, {"sectors": sectors}


def main(path: str) -> None:
    lines = Path(path).read_text("utf-8").splitlines()
    sheets, catalogue = documents(lines)
    for old in SHEETS.glob("26-*.json"):
        old.unlink()
    for sheet in sheets:
        target = SHEETS / f"{sheet['set']}.json"
        target.write_text(json.dumps(sheet, ensure_ascii=False, indent=1) + "\n", "utf-8")
    path_catalogue = SHEETS.parent / "catalogue.json"
    data = json.loads(path_catalogue.read_text("utf-8"))
    edition = next(e for e in data["editions"] if e["code"] == "26")
    edition["sectors"] = catalogue["sectors"]
    path_catalogue.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {len(sheets)} sheets and the 26 sectors of the catalogue")


if __name__ == "__main__":
    main(sys.argv[1])
