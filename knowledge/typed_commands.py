"""Commands typed in words at the menu ("xóa dữ liệu của tôi", "tự đánh giá sản phẩm", "nhắc
tôi hạn nộp hồ sơ", a menu label without its emoji): the router runs them as if /delete,
/danhgia, /lich had been typed (an officer's command refuses others). The whole message only,
folded, with a polite opening ("tôi muốn", "please") and closing ("ạ", "nhé"); a longer
question about the same words is a question, not a command."""

from __future__ import annotations

import re
from functools import cache

from knowledge.certificates import STAR_COUNTS
from knowledge.text import fold, phrase_table

_PEOPLE = ("toi", "em", "e", "minh")
"""Who asks to be reminded ("nhắc em hạn nộp hồ sơ")."""
_PHRASES: dict[str, tuple[str, ...]] = {
    "delete": (
        "xoa du lieu",
        "xoa du lieu cua toi",
        "xoa thong tin cua toi",
        "xoa tai khoan",
        "delete my data",
        "delete my account",
        "erase my data",
        "forget me",
    ),
    "mydata": (
        "du lieu cua toi",
        "xem du lieu cua toi",
        "thong tin cua toi",
        "xem thong tin cua toi",
        "my data",
        "show my data",
    ),
    "danhgia": (
        "danh gia san pham",
        "tu danh gia",
        "tu danh gia san pham",
        "cham diem san pham",
        "self assessment",
        "assess my product",
    ),
    "ketqua": (
        "ket qua",
        "xem ket qua",
        "xem lai ket qua",
        "ket qua cua toi",
        "my results",
    ),
    "lich": (
        "lich ocop",
        "xem lich",
        "lich nhac",
        "xem lich nhac",
        "lich nhac han",
        "xem lich nhac han",
        "dat lich nhac",
        "bat nhac han",
        "nhac han",
        "nhac han nop ho so",
        *(f"nhac {who} {when}han nop ho so" for who in _PEOPLE for when in ("", "truoc ")),
        "remind me",
        "remind me of the deadlines",
        "my reminders",
        "ocop calendar",
    ),
    "chungnhan": (
        "giay chung nhan cua toi",
        "luu giay chung nhan",
        "luu giay chung nhan ocop",
        "my certificates",
        "my certificate",
        "save my certificate",
    ),
    "thongbao": ("gui thong bao", "send an announcement", "send announcement"),
    "hanchot": ("dang moc thoi gian", "post a deadline"),
}
_OPENINGS = ("", "toi muon", "em muon", "minh muon", "cho toi", "i want to", "please")
_CLOSINGS = ("", "a", "nhe", "di", "voi", "giup toi", "please")


@cache
def _table() -> dict[str, str]:
    return phrase_table(_PHRASES, before=_OPENINGS, after=_CLOSINGS)


def typed_command(text: str) -> str | None:
    """The command (without "/") a message typed in words means, or None."""
    return _table().get(fold(text))


_N = rf"(?:[1-5]|{'|'.join(STAR_COUNTS)})"
_MINE = r"(?:(?:san pham|sp)(?: cua (?:toi|em|e|minh))? )?"
_FIX = r"(?:sua|cai thien|khac phuc|bo sung|nang)"
"""What to fix; "làm" (do) only with the star it is for ("cần làm gì" alone asks anything)."""
_REACH = r"(?:len|dat|duoc|dc|co)"
_PLAN_ASKED = re.compile(
    "|".join(
        (
            rf"(?:muon |de )?{_REACH} {_N} sao (?:thi )?can (?:{_FIX}|lam) gi",
            rf"{_MINE}can {_FIX} gi(?: de {_REACH} (?:{_N} )?sao)?",
            rf"{_MINE}can lam gi de {_REACH} (?:{_N} )?sao",
            rf"ke hoach (?:{_REACH} )?(?:{_N} )?sao",
            rf"(?:a )?plan (?:for|to) (?:get )?{_N} stars?",
            rf"what (?:should|do|can) i (?:fix|improve|change)(?: to (?:get|reach) {_N} stars?)?",
            r"how (?:can|do) i improve my (?:score|product|result)s?",
        )
    )
)
_NUMBER = re.compile(rf"\b{_N}\b")
_ASK_OPENINGS = re.compile(r"^(?:(?:toi|em|e|minh) (?:muon hoi|hoi) |cho (?:toi|em|e) hoi )")
_ASK_CLOSINGS = re.compile(r"(?: (?:a|nhe|vay|the|ha|please))+$")


def plan_asked(text: str) -> int | None:
    """The star a producer asks the plan for, typed in words ("muốn lên 3 sao thì cần sửa gì",
    "kế hoạch lên 4 sao", "what should I fix"): the star, 0 for the next one, None when the
    message asks something else (what 3 stars are, the conditions: the FAQ's)."""
    folded = _ASK_CLOSINGS.sub("", _ASK_OPENINGS.sub("", fold(text)))
    if _PLAN_ASKED.fullmatch(folded) is None:
        return None
    found = _NUMBER.search(folded)
    if found is None:
        return 0
    word = found.group()
    return int(word) if word.isdigit() else STAR_COUNTS[word]
