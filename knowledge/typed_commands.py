"""Commands typed in words at the menu ("xóa dữ liệu của tôi", "tự đánh giá sản phẩm", "nhắc
tôi hạn nộp hồ sơ", a menu label without its emoji): the router runs them as if /delete,
/danhgia, /lich had been typed (an officer's command refuses others). The whole message only,
folded, with a polite opening ("tôi muốn", "please") and closing ("ạ", "nhé"); a longer
question about the same words is a question, not a command."""

from __future__ import annotations

from functools import cache

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
