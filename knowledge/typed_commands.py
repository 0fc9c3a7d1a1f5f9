"""Commands typed in words at the menu ("xóa dữ liệu của tôi", "tự đánh giá sản phẩm", "nhắc
tôi hạn nộp hồ sơ", a menu label without its emoji): the router runs them as if /delete,
/danhgia, /lich had been typed (an officer's command refuses others). The whole message only,
folded, with a polite opening ("tôi muốn", "please") and closing ("ạ", "nhé"); a longer
question about the same words is a question, not a command. An officer's wish in a sentence
("gửi thông báo cho các HTX ở Thái Nguyên", "đăng hạn chót nộp hồ sơ 15/12") is read by
`officer_wish`, with the audience typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from knowledge.certificates import STAR_COUNTS, month_typed, parse_date
from knowledge.criteria import named_sets
from knowledge.text import fold, phrase_table
from knowledge.typed_dates import when_in

_PEOPLE = ("toi", "em", "e", "minh")
"""Who asks to be reminded ("nhắc em hạn nộp hồ sơ")."""
_REMINDERS = ("nhac", "nhac han", "nhac nho", "nhac hen", "thong bao nhac")
_SWITCHES = ("tat", "tat het", "tat moi", "tat tat ca", "bat", "bat lai", "bat lai het")
"""Turning reminders off or on: the list where each has its switch (`/lich`)."""
_REMINDER_LISTS = (
    *(
        f"{see}{which} {what}"
        for see in ("danh sach", "xem")
        for which in ("", " cac")
        for what in _REMINDERS[1:]
    ),
)
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
        "lam tiep",  # after a pause: the list to resume from
        "lam tiep danh gia",
        "tiep tuc danh gia",
        "tiep tuc tu danh gia",
        "danh gia tiep",
        "cham diem tiep",
        "continue the assessment",
        "continue my assessment",
        "resume the assessment",
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
        *_REMINDER_LISTS,
        *(f"{words} cua {who}" for words in _REMINDER_LISTS for who in _PEOPLE),
        *(f"{switch} {what}" for switch in _SWITCHES for what in _REMINDERS),
        *(f"khong muon nhan {what} nua" for what in _REMINDERS),
        "remind me",
        "remind me of the deadlines",
        "my reminders",
        "show my reminders",
        "list my reminders",
        *(f"{s} reminders" for s in ("stop", "turn off", "turn on", "mute", "unmute")),
        *(f"{s} the reminders" for s in ("stop", "turn off", "turn on", "mute", "unmute")),
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
    "lang": (  # a language asked for in words ("English please"): the choice of the two
        "doi ngon ngu",
        "chon ngon ngu",
        "ngon ngu",
        "tieng anh",
        "tieng viet",
        "noi tieng anh",
        "noi tieng viet",
        "dung tieng anh",
        "dung tieng viet",
        "change language",
        "change the language",
        "switch language",
        "language",
        "english",
        "in english",
        "speak english",
        "can you speak english",
        "do you speak english",
        "vietnamese",
        "in vietnamese",
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
            rf"{_MINE}(?:(?:toi|em|e|minh) )?(?:can|nen) {_FIX} gi"
            rf"(?: de {_REACH} (?:{_N} )?sao)?",
            rf"{_MINE}can lam gi de {_REACH} (?:{_N} )?sao",
            rf"ke hoach (?:{_REACH} )?(?:{_N} )?sao",
            rf"(?:a )?plan (?:for|to) (?:get )?{_N} stars?",
            rf"what (?:should|do|can) i (?:fix|improve|change)(?: to (?:get|reach) {_N} stars?)?",
            r"how (?:can|do) i improve my (?:score|product|result)s?",
        )
    )
)
_I = r"(?:(?:toi|em|e|minh) )?"
_HOW_MANY = r"(?:bao nhieu|bn|may)"
_GAP_ASKED = re.compile(
    "|".join(
        (
            rf"{_I}(?:con )?thieu {_HOW_MANY} diem(?: nua)?"
            rf"(?: (?:thi|de) {_REACH} (?:{_N} )?sao)?",
            rf"how many (?:more )?points (?:am i missing|do i (?:still )?need)"
            rf"(?: (?:for|to get|to reach) {_N} stars?)?",
        )
    )
)
"""How many points the producer's result still lacks: its plan (to the star named)."""
_WHY_ASKED = re.compile(
    "|".join(
        (
            rf"(?:tai sao|vi sao|sao) {_MINE}{_I}(?:chi |bi )?(?:{_REACH}|bi) (?:co )?{_N} sao"
            r"(?: thoi)?",
            rf"(?:tai sao|vi sao|sao) {_MINE}{_I}(?:bi |duoc |dc )?"
            r"(?:it diem|diem thap|thap diem)",
            rf"why (?:only|just) {_N} stars?",
            rf"why did (?:i|we) (?:only )?get (?:only )?{_N} stars?",
            r"why (?:is|was) my (?:score|result) (?:so )?low",
        )
    )
)
"""Why the result is only that star ("tại sao chỉ được 2 sao"): the plan to the next one."""
_RESULT_ASKED = re.compile(
    "|".join(
        (
            rf"(?:{_MINE}|{_I})(?:dang )?(?:duoc|dc|dat) {_HOW_MANY} (?:diem|sao)",
            r"(?:tong )?diem (?:so |hien tai |tam tinh )?cua (?:toi|em|e|minh)"
            rf"(?: (?:la )?(?:{_HOW_MANY}|the nao))?",
            r"ket qua (?:danh gia )?cua (?:toi|em|e|minh) (?:the nao|ra sao|bao nhieu)",
            r"(?:what(?: is| s|s) )?my (?:current |total )?(?:score|result|star rating|points)",
            r"how many (?:stars|points) did (?:i|we|my product) get",
            r"how many points (?:do (?:i|we) have|have (?:i|we) (?:got|scored|earned))",
        )
    )
)
_NUMBER = re.compile(rf"\b{_N}\b")
_PART = r"(?:diem )?phan ([abc])"
_PART_ASKED = re.compile(
    "|".join(
        (
            rf"{_PART} (?:toi|em|e|minh) (?:duoc|dc|dat|co) {_HOW_MANY}(?: diem)?",
            rf"{_PART} cua (?:toi|em|e|minh)(?: (?:duoc|dc|dat|co|la))?"
            rf"(?: {_HOW_MANY}(?: diem)?| the nao)?",
            rf"{_I}(?:duoc|dc|dat) {_HOW_MANY} diem (?:o |trong )?phan ([abc])",
            r"(?:what(?: is| s|s) )?my (?:score|points) (?:in|for|on) part ([abc])",
            r"(?:what(?: is| s|s) )?my part ([abc]) (?:score|points)",
            r"how many points did (?:i|we|my product) get (?:in|for|on) part ([abc])",
        )
    )
)
"""One part of the producer's own latest result ("phần C em được bao nhiêu", "điểm phần B
của tôi", "my score in part C"); a person says whose it is: "phần C bao nhiêu điểm" asks what
the part is worth (the FAQ's)."""
_ASK_OPENINGS = re.compile(
    r"^(?:(?:toi|em|e|minh) (?:muon hoi|hoi) |cho (?:toi|em|e) hoi |(?:den gio|hien tai|bay gio) )"
)
_SO_FAR = r"so far|now|until now|den gio|hien tai"
"""When: up to now ("my score so far", "điểm đến giờ"), said of a result or of the answers of
an assessment under way alike."""
_ASK_CLOSINGS = re.compile(rf"(?: (?:a|nhe|vay|the|ha|roi|please|{_SO_FAR}))+$")
_SO_FAR_CLOSING = re.compile(rf"(?: (?:{_SO_FAR}))+$")


def plan_asked(text: str) -> int | None:
    """The star a producer asks the plan for, typed in words ("muốn lên 3 sao thì cần sửa gì",
    "kế hoạch lên 4 sao", "what should I fix", "còn thiếu bao nhiêu điểm", "tại sao chỉ được 2
    sao"): the star, 0 for the next one, None when the message asks something else (what 3
    stars are, the conditions: the FAQ's)."""
    folded = _asked(text)
    if _WHY_ASKED.fullmatch(folded):
        return 0  # "chỉ được 2 sao": the star held, the plan is to the next
    if _PLAN_ASKED.fullmatch(folded) is None and _GAP_ASKED.fullmatch(folded) is None:
        return None
    found = _NUMBER.search(folded)
    if found is None:
        return 0
    word = found.group()
    return int(word) if word.isdigit() else STAR_COUNTS[word]


_WISH_OPENINGS = re.compile(
    r"^(?:(?:toi|em|e|minh|chung toi) (?:muon|can|se|dang muon) |(?:cho|giup) (?:toi|em|e|minh) "
    r"|(?:i|we) (?:want|need|would like|d like) to |please |can you |help me )+"
)
_WISH_CLOSINGS = re.compile(r"(?: (?:a|nhe|nha|di|voi|giup (?:toi|em|e|minh)|please))+$")
_ANNOUNCE = re.compile(
    r"(?:(?:gui|soan|tao|viet|dang|phat)(?: (?:mot|1))? (?:thong bao|tin nhan)(?: moi)?"
    r"|nhan tin|announce"
    r"|(?:send|write|post|create|make)(?: (?:a|an|new))*"
    r" (?:announcement|message|notice|broadcast)s?)"
)
_DEADLINE = re.compile(
    r"(?:(?:dang|tao|dat|them|cong bo|ra)(?: (?:mot|1))? (?:han chot|moc han|moc thoi gian|han)"
    r"(?: moi)?"
    r"|(?:post|create|set|add|publish)(?: (?:a|an|new|the))*(?: (?:dossier|submission|evaluation"
    r"|assessment|application|round \d|registration|filing))? (?:deadline|due date)s?)"
)
_CHANGE = re.compile(
    r"(?:(?:huy|xoa|go|rut|doi|sua|lui|day lui)(?: (?:bo|lai|ngay))?"
    r" (?:han chot|moc han|moc thoi gian|han nop)"
    r"|gia han (?:nop|han chot|moc)"
    r"|(?:cancel|withdraw|move|postpone|extend|change|delete|remove)(?: (?:the|a|this|that))?"
    r" (?:deadline|due date)s?)\b"
)
"""Withdrawing or moving a published deadline ("hủy hạn chót", "đổi hạn nộp hồ sơ sang 20/12",
"gia hạn nộp hồ sơ", "postpone the deadline"); not a certificate's ("gia hạn giấy chứng nhận")."""
_TO = r"(?:cho|toi|den|gui|to|for)"
_WHOM = (
    r"(?:(?:tat ca|toan bo|cac|nhung|moi|all|every|the)(?: (?:cac|the))? )?"
    r"(?P<whom>chu the(?: ocop)?|htx|hop tac xa|doanh nghiep|co so(?: san xuat)?|nha san xuat"
    r"|ho san xuat|ho kinh doanh|san xuat|du khach|khach du lich|can bo(?: ocop)?|xa|phuong"
    r"|nguoi dung|moi nguoi|producers?|tourists?|visitors?|officers?|communes?|users?|everyone"
    r"|ocop producers?|cooperatives?|co ?ops?|businesse?s?|enterprises?|companies|firms?"
    r"|farmers?|households?|growers?)(?: ocop)?"
)
_WHERE = r"(?:(?:o|tai|tinh|trong|in|at) (?P<where>(?:\w+ ?){1,5}))"
_AUDIENCE = re.compile(rf"(?: {_TO} {_WHOM})?(?: {_WHERE})?")
_ASKING = re.compile(
    r"\b(?:khi nao|bao gio|la gi|la ngay|nhu the nao|the nao|khong|ko|chua|sao|when|what|how)\b"
)
_DOING = re.compile(r"\bđang\b", re.I)
_POSTING = re.compile(r"\bđăng\b", re.I)
""""dang" as typed with its diacritics: "đang" (is doing) is no "đăng" (post)."""
_ROLES = {
    **dict.fromkeys(("du khach", "khach du lich", "tourist", "visitor"), "tourist"),
    **dict.fromkeys(("can bo", "officer"), "officer"),
    **dict.fromkeys(
        ("", "xa", "phuong", "commune", "nguoi dung", "moi nguoi", "user", "everyone")
    ),
}
"""The role an audience word names (None: everyone); any other (HTX, chủ thể...) is a producer."""
_ALL_PRODUCERS = frozenset(
    ("chu the", "nha san xuat", "san xuat", "co so", "co so san xuat", "producer", "producers")
)
"""Audience words for every producer; any other ("HTX", "cooperatives") names a kind of
producer that profiles do not hold."""


@dataclass(frozen=True, slots=True)
class OfficerWish:
    """An officer's feature asked for in words, with the audience typed with it."""

    command: str
    """"thongbao", "hanchot" or "huyhan" (withdraw or move one)."""
    role: str | None = None
    """The role it is for when one is named ("các HTX": producer); None for everyone."""
    where: str = ""
    """The place typed after "ở" / "in" ("" for none), for the handler to read as provinces."""
    due: str = ""
    """The date and time typed with a deadline ("15/12 9h"; "" for none), for the handler to
    read (`knowledge.typed_dates.when_in`)."""
    kind: str = ""
    """The kind of producer typed ("hop tac xa", "cooperatives"; "" for producers at large),
    which the bot cannot tell apart: the handler says every producer is reached."""


def officer_wish(text: str) -> OfficerWish | None:
    """What an officer asks for in words: an announcement ("e muốn gửi thông báo cho các chủ thể ở
    Thái Nguyên", "send a message to all producers") or a deadline ("đăng hạn chót nộp hồ sơ
    15/12", "tạo mốc hạn cho xã"), or to withdraw or move one ("hủy hạn chót nộp hồ sơ", "đổi
    hạn chót sang 20/12"); None for a question about them ("hạn chót nộp hồ sơ là khi
    nào") or a wish to be told ("gửi thông báo cho tôi")."""
    folded = _WISH_CLOSINGS.sub("", _WISH_OPENINGS.sub("", fold(text)))
    if folded.startswith("dang ") and _DOING.search(text) and not _POSTING.search(text):
        return None  # "Đang hạn chót nộp hồ sơ rồi": is (đang), not post (đăng)
    if (found := _ANNOUNCE.match(folded)) is not None:
        rest = _AUDIENCE.fullmatch(folded[found.end() :])
        if rest is None:
            return None
        said = (rest.group("whom") or "").removesuffix(" ocop")
        role = _ROLES.get(said.removesuffix("s"), "producer")
        kind = said if role == "producer" and said not in _ALL_PRODUCERS else ""
        return OfficerWish("thongbao", role, (rest.group("where") or "").strip(), kind=kind)
    if _CHANGE.match(folded) and not _ASKING.search(folded):
        return OfficerWish("huyhan", due=when_in(text))
    found = _DEADLINE.match(folded)
    asked = found is None or folded[found.end() :][:1] not in ("", " ") or _ASKING.search(folded)
    if asked:
        return None
    return OfficerWish("hanchot", due=when_in(text))


_ORDINALS = {"mot": 1, "nhat": 1, "dau": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}
_OPTION_TYPED = re.compile(
    r"(?:(?:toi|em|e|minh) )?(?:chon |lay |la )?"
    r"(?:(?:cai|cau|dap an|phuong an|pa|muc|so|y|option|number|choice) )?"
    r"(?:(?:thu )?(?P<digit>[1-9])|thu (?P<word>mot|nhat|hai|ba|bon|tu|nam)|dau tien)"
)
_STEPS: dict[str, tuple[str, ...]] = {
    "back": ("quay lai", "lui lai", "cau truoc", "back", "go back"),
    "skip": ("bo qua", "bq", "skip", "de sau", "tra loi sau", "cau sau"),
    "pause": ("tam dung", "dung lai", "tam nghi", "pause", "lam sau", "de mai lam tiep"),
    "unsure": (
        *(
            f"{no} {what}"
            for no in ("khong", "ko", "k", "hok", "chua")
            for what in ("biet", "ro", "chac", "hieu", "hieu cau nay")
        ),
        "i don't know",
        "i don't understand",
        "i dont understand",
        "i dont know",
        "dont know",
        "not sure",
    ),
    "none": (
        *(f"{no} co" for no in ("khong", "ko", "k", "hok", "chua")),
        "chua",
        "khong",
        "ko",
        "chua lam",
        "chua duoc",
        "none",
        "no",
    ),
}
"""What typed at a scored question means: a button's step, "I don't know", "I have none"."""


@cache
def _steps() -> dict[str, str]:
    return phrase_table(_STEPS, before=("", "em", "toi", "minh"), after=_CLOSINGS + ("nha", "ha"))


def typed_option(text: str) -> int | None:
    """The option's number a whole message names ("2", "cái thứ 2", "mục 3", "chọn phương án
    1 ạ", "cái thứ ba"); None for anything else ("2 năm", "9" is the caller's to check)."""
    folded = _ASK_CLOSINGS.sub("", fold(text).rstrip("."))
    found = _OPTION_TYPED.fullmatch(folded)
    if found is None:
        return None
    if found.group("digit"):
        return int(found.group("digit"))
    word = found.group("word")
    return _ORDINALS[word] if word else 1  # "cái đầu tiên"


def typed_step(text: str) -> str | None:
    """`back`, `skip`, `pause`, `unsure` ("không biết") or `none` ("chưa có") for a whole
    message typed at a scored question; None for anything else."""
    return _steps().get(fold(text))


def result_asked(text: str) -> bool:
    """Whether a producer asks for their own latest result in words ("điểm của em bao nhiêu",
    "sp của e được mấy sao", "what's my score"); not the stars' rules ("bao nhiêu điểm thì
    được 3 sao") nor another product's ("mật ong được bao nhiêu điểm")."""
    return _RESULT_ASKED.fullmatch(_asked(text)) is not None


_CRITERION = r"(?:tieu chi|cau|muc|criterion|question)"
_CODED = rf"(?:{_CRITERION} ([a-c]?\d{{1,2}})(?: (\d{{1,2}}))?|([a-c]?\d{{1,2}}) (\d{{1,2}}))"
"""A code after "tiêu chí" / "câu" ("tiêu chí A1", "câu 7"), or one with a dot ("2.2", folded
"2 2")."""
_CRITERION_ASKED = re.compile(
    "|".join(
        (
            rf"(?:minh chung (?:cho |cua )?)?{_CODED} (?:la gi|nghia la gi|la sao|hieu the nao"
            r"|la the nao|can gi|can minh chung gi)",
            rf"(?:toi|em|e|minh) (?:k|ko|khong|chua) hieu {_CODED}",
            rf"what (?:does|is) (?:the )?{_CODED}(?: mean)?",
        )
    )
)
"""A criterion of the producer's sheet asked about by its code ("câu 2.2 nghĩa là gì", "e k
hiểu câu 5.1")."""


def criterion_asked(text: str) -> str | None:
    """The code of the criterion a producer asks about ("câu 2.2 nghĩa là gì" → "2.2", "tiêu
    chí A1 là gì" → "A1"); None for anything else ("3 sao là gì", "điều 7.6 là gì")."""
    found = _CRITERION_ASKED.fullmatch(_asked(text))
    return None if found is None else ".".join(c for c in found.groups() if c).upper()


def part_asked(text: str) -> str | None:
    """The part ("A", "B", "C") of their own latest result a producer asks the points of in
    words ("phần C em được bao nhiêu", "điểm phần B của tôi", "how many points did I get in
    part B"); None for anything else (what a part is worth: the FAQ's)."""
    opened = _ASK_OPENINGS.sub("", fold(text))
    # "… part a": the part's letter, not the closing "ạ"
    read = (_ASK_CLOSINGS.sub("", opened), opened, _SO_FAR_CLOSING.sub("", opened))
    found = next((f for f in map(_PART_ASKED.fullmatch, read) if f is not None), None)
    if found is None:
        return None
    return next(p for p in found.groups() if p).upper()


def _asked(text: str) -> str:
    """`text` folded, without a polite opening ("cho em hỏi") or closing ("ạ", "vậy")."""
    return _ASK_CLOSINGS.sub("", _ASK_OPENINGS.sub("", fold(text)))


_QUESTION_CUES = re.compile(
    r"\b(?:bao gio|khi nao|bao lau|bao nhieu|bn|the nao|lam sao|la gi|o dau|tai sao|vi sao"
    r"|duoc khong|phai khong|het han|nhac (?:toi|em|e|minh)|how|when|what|why|where|remind)\b"
    r"|^co .+ khong$"
)


def asks_instead(text: str) -> bool:
    """Whether a message typed where a name is expected (a certificate's product) asks
    something or gives a command instead ("bao giờ hết hạn", "nhắc tôi trước 3 tháng", "xóa
    dữ liệu của tôi"); a name with "không" or "chua" in it stays a name ("Cà phê không
    đường", "Nem chua")."""
    folded = fold(text)
    return (
        "?" in text
        or _QUESTION_CUES.search(folded) is not None
        or typed_command(text) is not None
        or plan_asked(text) is not None
        or result_asked(text)
    )


_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:.!?]|\s-\s)\s*")
_STARS_ASKED = re.compile(
    rf"\b{_HOW_MANY} (?:sao|diem)\b|\bhow many (?:stars|points)\b|\b(?:cham|tinh) diem\b"
)


_STARS_AFTER = re.compile(
    rf" (?:(?:duoc|dc|dat|co|se) )?{_HOW_MANY} (?:sao|diem)\b| how many (?:stars|points)\b"
)
"""Its stars asked right after a product, without a comma ("nước mắm Phú Quốc được mấy sao")."""


def product_then_question(text: str) -> tuple[str, str] | None:
    """A product named first and a question after it, in one message ("HTX em làm chè, được
    mấy sao", "tôi làm nước mắm, hồ sơ gồm những gì", "nước mắm Phú Quốc được mấy sao"): the
    part naming the product and the question; None when the first part names no product set
    or nothing follows it."""
    head, _, tail = _CLAUSE_BREAK.sub("\n", text.strip(), count=1).partition("\n")
    if not tail.strip() and (asked := _STARS_AFTER.search(fold(text))) is not None:
        head, tail = fold(text)[: asked.start()], fold(text)[asked.start() :]  # no comma
    if not tail.strip() or not named_sets(head):
        return None
    return head, tail


def stars_asked(text: str) -> bool:
    """Whether a question asks for a product's stars or score ("được mấy sao", "how many
    points would we get"), its plan or its result."""
    folded = _asked(text)
    return (
        _STARS_ASKED.search(folded) is not None
        or result_asked(text)
        or plan_asked(text) is not None
    )


_ME = r"(?:toi|em|e|minh)"
_MY = rf"(?: cua {_ME})"
_CERTIFICATE = r"(?:giay chung nhan|gcn|chung nhan)(?: ocop)?"
_WHEN = r"(?:bao gio|khi nao|luc nao|ngay nao)"
_STILL = r"(?:con han|het han|con hieu luc|con gia tri)"
_REEVALUATION = r"ho so (?:danh gia lai|tai danh gia|danh gia phan hang lai)"
_EN_MY_CERTIFICATE = r"my (?:ocop )?certificate"
_CERTIFICATE_ASKED = re.compile(
    "|".join(
        (
            rf"{_WHEN} (?:thi )?het han",
            rf"{_CERTIFICATE}{_MY}? {_WHEN} (?:thi )?het han",
            rf"{_WHEN} {_CERTIFICATE}{_MY} (?:thi )?het han",
            rf"{_CERTIFICATE}{_MY} {_STILL}(?: (?:khong|ko|k|chua))?",
            rf"{_CERTIFICATE}{_MY} {_STILL}(?: den)? {_WHEN}",
            rf"{_WHEN} {_ME} (?:phai |can |nen |duoc )?nop(?: lai)? {_REEVALUATION}(?: duoc)?",
            rf"han nop {_REEVALUATION}{_MY} (?:la )?{_WHEN}",
            rf"when (?:does|will) {_EN_MY_CERTIFICATE} expire",
            rf"is {_EN_MY_CERTIFICATE} (?:still )?valid",
            r"when (?:do|should|can|must) i (?:need to |have to )?(?:apply|file|submit)"
            r"(?: for)? (?:re ?evaluation|re ?assessment|renewal)",
        )
    )
)
_TIME_ASKED = re.compile(
    r"\b(?:bao gio|khi nao|luc nao|ngay nao|bao lau|when|how long|run out|expire)\b"
)
_MY_CERTIFICATE = re.compile(rf"\b(?:{_CERTIFICATE}{_MY}|{_EN_MY_CERTIFICATE})\b")
_MY_REEVALUATION = re.compile(
    rf"\b{_ME}\b.*\b(?:danh gia lai|tai danh gia)\b|\bi\b.*\bre ?(?:evaluat|assess)"
)
"""Their own certificate or re-evaluation with a time asked, in any order ("bao lâu nữa thì
gcn của em hết hạn", "sản phẩm của em khi nào phải đánh giá lại")."""
_LEAD = r"(?:\d+|mot|hai|ba|bon|nam|sau|a|an|one|two|three|six)"
_LEAD_ASKED = re.compile(
    rf"(?:co the )?nhac(?: {_ME})? truoc {_LEAD} (?:thang|ngay|tuan)"
    r"(?: (?:khi|truoc khi) het han)?(?: duoc (?:khong|ko|k))?"
    rf"|remind me {_LEAD} (?:months?|days?|weeks?) (?:before|ahead|in advance)"
    r"(?: (?:it expires|expiry|the deadline))?"
)


def certificate_asked(text: str) -> str | None:
    """What a producer asks about their own recorded certificate in words: `expiry` ("bao giờ
    hết hạn", "giấy chứng nhận của em còn hạn không"), `lead` (a reminder so long before: "nhắc
    tôi trước 3 tháng"), or None (how long certificates last, another paper's expiry, a
    certificate dated in the question, whose window the FAQ works out)."""
    folded = _asked(text)
    if _LEAD_ASKED.fullmatch(folded):
        return "lead"
    if _CERTIFICATE_ASKED.fullmatch(folded):
        return "expiry"
    if parse_date(text) is not None or month_typed(text) is not None:
        return None  # a dated certificate: the FAQ works out that date's window
    mine = _MY_CERTIFICATE.search(folded) or _MY_REEVALUATION.search(folded)
    return "expiry" if mine is not None and _TIME_ASKED.search(folded) else None
