"""The words an FAQ question is read with: chat shorthand, everyday words that are never
typos, question words by intent, and the cues of a question about the producer's own product
("sản phẩm của tôi được mấy sao", "4 sao cần gì"), all after folding."""

from __future__ import annotations

import re

# Chat shorthand and the administration's abbreviations, after folding ("hkd" hộ kinh doanh,
# "dkkd" đăng ký kinh doanh). Not "tk" (tài khoản as often as thống kê) nor "dn" (Đà Nẵng as
# often as doanh nghiệp: "làng nghề dn").
ABBREVIATIONS = {
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "hok": "khong",
    "hem": "khong",
    "dc": "duoc",
    "dk": "dang ky",
    "sp": "san pham",
    "j": "gi",
    "v": "vay",
    "ntn": "nhu the nao",
    "gcn": "giay chung nhan",
    "hs": "ho so",
    "qd": "quyet dinh",
    "bnhieu": "bao nhieu",
    "bn": "bao nhieu",
    "tt": "thu tuc",
    "cn": "chung nhan",
    "e": "em",
    "dki": "dang ky",
    "dkkd": "dang ky kinh doanh",
    "hkd": "ho kinh doanh",
    "dnnvv": "doanh nghiep nho va vua",
    "cty": "cong ty",
    "sx": "san xuat",
    "sxkd": "san xuat kinh doanh",
    "tthc": "thu tuc hanh chinh",
    "nhg": "nhung",
    "hoso": "ho so",
    "mun": "muon",
}
# Everyday words that are never typos of a topic word ("nha" is not "nhan").
COMMON_WORDS = (
    "a ah anh ba ban bi bon cai cam chao chi cho chua co con cua da dang day de den di do duoc em"
    " gi giup ha hai hay hoi hom khi khong kia la lam ma mai minh moi mot muon nam nao nay ne nen"
    " nha nhe nho nhung oi ong qua rat roi sao se tai thi the toi tu tui va vay ve voi xem xin"
    " xong nhuong"
)
SIGHT_WORDS = (
    "beach beaches temple temples pagoda pagodas museum museums market markets mountain"
    " mountains island islands river rivers lake lakes waterfall waterfalls cave caves bridge"
    " bridges garden gardens forest forests farm farms field fields hill hills valley valleys"
    " bay bays tower towers palace palaces church churches street streets park parks"
)
"""English words of places and sights a visitor types: real words, never misspellings of a
topic word ("beach" is no "breach", "temple" no "template")."""
# Words that only frame a question ("what do I need", "cần chuẩn bị những gì", and "product"
# in a bot about products): a question of topic words and these alone is about that topic and
# nothing else.
QUESTION_WORDS = (
    "i me my we our you your it its this that these those there is are am be was were do does"
    " did the a an to for of in on with can could should must will would have has had need"
    " needs needed required please any all get got much many which what how who when where why"
    " anything something product products san pham biet can cac chuan bi phai nhieu bao nhung"
    " gom j ak thi oi nhi trong truong hop"
)
# Question words → their cues (regular expressions). Order matters only for reporting: every
# intent found is kept.
INTENT_CUES: dict[str, list[str]] = {
    "who": [r"ai", "who", "whom", "co quan nao", "cap nao", "bo nao", "which authority"],
    "when": [
        "how often",
        "khi nao",
        "bao gio",
        "luc nao",
        "ngay nao",
        "thang nao",
        "when",
        "what date",
        "(?:which|what) (?:months?|dates?)",
        "truoc ngay",
        "han chot",
        "han cuoi",
        "deadline",
    ],
    "how_much": ["bao nhieu tien", "how much", "ton"],
    "how_long": [
        "bao lau",
        "may ngay",
        "bao nhieu ngay",
        "may thang",
        "how long",
        "how many days",
        "how many months",
        "how many years",
        "may nam",
        "bao nhieu nam",
        "bao nhieu thang",
    ],
    "where": ["o dau", "noi nao", "cho nao", "where", "nop cho"],
    "how": [
        "the nao",
        "lam sao",
        "ra sao",
        "lam gi",
        "how do",
        "how does",
        "how are",
        "how is",
        "how to",
        "lam nhung gi",
        "how can",
        "thu tuc",
        # joining OCOP wished or begun, typed with no question word ("em muốn đăng ký OCOP",
        # "em đang đăng ký OCOP"): how to
        r"(?:muon|dinh|dang|sap|chuan bi|want to|would like to|wish to|plan to) (?:\w+ ){0,3}"
        r"(?:dang ky|tham gia|apply|register|join)(?: \w+){0,3} ocop",
    ],
    "what": [
        r"la(?: \w+){0,2} (?:gi|j)",
        "what is",
        "what are",
        "what does",
        "what do",
        "what exactly",
        "nghia la gi",
        "duoc hieu",
        "goi la",
        "thuc chat",
        "gom nhung gi",
        # a word or a few between ("gồm những tài liệu gì", "những loại giấy tờ nào")
        r"(?:gom|bao gom)(?: \w+){1,4} (?:gi|j|nao)",
        r"nhung(?: \w+){1,2} (?:gi|j)",
        "la sao",
        "gom gi",
        "nhung gi",
        "what goes into",
        r"khac nhau|khac(?: \w+){1,3} cho nao|difference between",
        r"can(?: \w+){0,5} (?:gi|j)",
        "do i need",
        "do we need",
        "needed",
        "required",
        # what a thing requires: "điều kiện đạt 3 sao", "giấy tờ cần chuẩn bị"
        "dieu kien",
        "yeu cau",
        "tieu chuan",
        "can chuan bi",
        # a dossier begun, typed with no question word ("em đang làm hồ sơ OCOP"): what it holds
        r"(?:dang|sap|muon) (?:lam|chuan bi|soan) ho so",
        "requirements?",
        "conditions?",
        "prepare",
        "does it take",
    ],
}
INTENTS: dict[str, re.Pattern[str]] = {
    name: re.compile(r"\b(?:" + "|".join(cues) + r")\b") for name, cues in INTENT_CUES.items()
}
# The producer's own product: "sản phẩm của tôi…", "mật ong nhà tôi…", "my honey…" with stars,
# points or OCOP; "tự chấm", "score my…"; "điểm của tôi", "my result"; "4 sao cần gì".
_MINE = r"(?:toi|em|minh|tui|chung toi)"
_MINE_BARE = r"(?:toi(?! da\b| thieu\b)|em|minh|tui|chung toi)"  # "sản phẩm tối đa" is not "mine"
_OWN_THING = re.compile(
    rf"\b(?:san pham|hang|product|products)\b(?: \w+){{0,2}} (?:cua {_MINE}|{_MINE_BARE})\b"
    rf"|\b\w+ (?:nha|cua) {_MINE}\b"
    r"|\b(?:my|our) (?:\w+ ){0,2}(?:product|products|honey|tea|coffee|rice|sauce|goods|wine"
    r"|craft|crafts|item|items|brand)\b"
)
_OWN_QUALIFIER = re.compile(
    r"\b(?:sao|diem|dat|du|ocop|star|stars|score|rating|good enough|qualify|cai thien|thieu"
    r"|improve|need|needs)\b"
)
_SELF_ASSESS = re.compile(
    r"(?<!bao cao )\btu (?:cham|danh gia)\b|\b(?:cham diem|cham|danh gia|kiem tra) giup\b"
    r"|\b(?:score|assess|rate|check|evaluate) my\b|\bself assess"
)
_ASSESSED = re.compile(
    r"\b(?:tu danh gia|cham diem|danh gia|cham) xong\b"
    r"|\b(?:finished|done|completed|after) (?:the |my |our )?(?:self assess|assessment)"
)
"""The self-assessment done already ("tự đánh giá xong", "I finished the self assessment"):
what comes next is the procedure, not another one."""
_WISH_ASSESSED = re.compile(
    r"\b(?:muon|can|xin|nho) (?:duoc )?(?:tu )?(?:cham diem|cham|danh gia|xep hang|xep sao)\b"
    r"|\b(?:want|wants|like) to (?:be |get )?(?:self )?(?:score|assess|evaluate|rate|scored"
    r"|assessed|evaluated|rated)\b"
)
"""A wish to have something scored ("muốn chấm điểm", "want to score it"): with the producer
speaking of their own work ("nhà tôi làm homestay, muốn chấm điểm OCOP"), it is their product."""
_MY_RESULT = re.compile(
    rf"\b(?:diem|ket qua)\b(?: \w+){{0,4}} cua {_MINE}\b"
    r"|\bmy (?:score|result|results|rating|stars|assessment)\b"
)
_STAR_NEED = re.compile(r"\b[1-5] (?:sao|stars?)\b")
_NEED = re.compile(
    r"\b(?:can gi|can nhung gi|can lam gi|thieu gi|phai lam gi|lam gi de|cai thien gi"
    r"|need|needs|lam sao de|lam the nao de|how to get|how do i get|how can i get)\b"
)


_LATE = re.compile(
    r"\b(?:(?:lo|qua|tre|muon|tre mat) han|overdue|too late|filed late"
    r"|missed (?:the |our |my )?(?:[\w-]+ ){0,2}(?:deadline|window)|ran out"
    r"|het han roi|da het han|het han (?:\d+|mot|hai|ba|may) (?:ngay|tuan|thang)"
    r"|(?:has|have|had|already|now) expired"
    r"|expired (?:last|already|yesterday|\d+|a |an |two|three))\b"
)
"""A deadline let pass, or a certificate already expired ("lỡ hạn", "hết hạn rồi", "expired last
month"), in words the short answers use otherwise ("quá", "hạn"): about being late, which the
full answers call "trễ" / "late" (Điều 12.3)."""


def let_pass(text: str) -> bool:
    """Whether the question (folded, joined) says a deadline was let pass or a certificate has
    expired already."""
    return bool(_LATE.search(text))


_UNREGISTERED = re.compile(
    r"\b(?:chua|khong|without|no|not)\b(?: \w+){0,2} (?:dang ky kinh doanh|giay phep kinh doanh"
    r"|dkkd|business (?:registration|license|licence)|registered)\b|\bunregistered\b"
)


def unregistered(text: str) -> bool:
    """Whether the question (folded, joined) says the producer has no business registration
    ("chưa có đăng ký kinh doanh", "no business license yet", "unregistered")."""
    return bool(_UNREGISTERED.search(text))


_EXPIRES_ON = re.compile(r"\b(?:het han|den han|expire|expires|expiring|expiry|expired)\b")
_ISSUED_ON = re.compile(r"\b(?:cap ngay|duoc cap|cap tu|cong nhan ngay|issued|granted)\b")


def date_is(text: str) -> str | None:
    """What a date in the question (folded, joined) is of a certificate: "expiry" ("hết hạn
    15/6/2027", "expires on …"), "issued" ("cấp ngày 15/3/2024", "issued on …"), or None."""
    if _EXPIRES_ON.search(text):
        return "expiry"
    return "issued" if _ISSUED_ON.search(text) else None


_LEAD_TIME = re.compile(
    r"\btruoc (?:bao nhieu|may|bao lau) (?:ngay|thang|tuan)\b|\b(?:bao nhieu|may) (?:ngay|thang)"
    r" truoc\b|\bhow (?:many (?:days|months|weeks)|long|early) (?:before|ahead)\b"
    r"(?! (?:i|we) (?:get|receive|know|hear))|\bhow early\b"
)
"""How long before a date something is done ("nộp trước bao nhiêu ngày", "how many days before
expiry"): a time to act, not how long a step takes ("how long before we get the results")."""


def asks_lead_time(text: str) -> bool:
    """Whether the question (folded, joined) asks how long before a date to act."""
    return bool(_LEAD_TIME.search(text))


_THRESHOLD_ASKED = re.compile(
    r"^(?=.*\b(?:(?:bao nhieu|may) diem|how many points|what score)\b)"
    r"(?=.*\b(?:[1-5]|mot|hai|ba|bon|nam|one|two|three|four|five) (?:sao|stars?)\b)"
    r"(?!.*\b(?:thieu|nua|them|more|still|missing|left)\b)"
)
"""How many points a star needs, asked of any product or of the producer's own ("em cần bao
nhiêu điểm thì được 4 sao", "how many points do I need for 4 stars"): the star bands; not the
points still missing ("còn thiếu bao nhiêu điểm để lên 4 sao": the producer's own gap)."""


def asks_threshold(text: str) -> bool:
    """Whether the question (folded, joined) asks how many points a named star needs."""
    return bool(_THRESHOLD_ASKED.search(text))


_SCORE = re.compile(
    r"\b(\d{1,3})(?: (\d))? ?(?:diem|d|points?|pts)\b|\b(?:scored|scores|score of) (\d{1,3})\b"
    r"|\b(?:cham diem|diem so|diem) (\d{1,3})\b(?! (?:sao|star|stars|nam|thang|ngay|\d))"
)
"""Points stated ("được 68 điểm", "69,5 điểm" folded "69 5 diem", "55d", "scored 76", "chấm
điểm 72", "điểm 68"; not "điểm 3 sao")."""


def stated_score(text: str) -> float | None:
    """The points a question (folded, joined) says something scored, 0–100; None otherwise."""
    found = _SCORE.search(text)
    if found is None:
        return None
    whole, tenth, english, after = found.groups()
    points = float(english or after or whole) + (int(tenth) / 10 if tenth else 0.0)
    return points if points <= 100 else None


_SCORE_HAD = re.compile(
    r"^(?:(?:toi|em|minh|tui|chung toi|htx|hop tac xa|cong ty|co so|nha|san pham)(?: \w+)? "
    r"(?:duoc|dat|co|bi)|(?:i|we|my product|our product) (?:got|scored|have|get|received))"
    r" \d{1,3}(?: \d)? ?(?:diem|d|points?|pts)"
    r"(?: (?:thi|sao|roi|a|vay|the|nao|ha|nhe|nghia|la|gi|duoc|may|what|does|that|it|mean"
    r"|now|is|good|enough|so|how|many|stars?))*$"
)
"""Points a producer says they got, with nothing else named ("em được 48 điểm", "I got 48
points, what does that mean"): an OCOP score, in a bot about OCOP; "em được 8 điểm IELTS"
names another test."""


def score_had(text: str) -> bool:
    """Whether the question (folded, joined) states the points the user's own product got."""
    return bool(_SCORE_HAD.search(text))


_MAKER = re.compile(
    rf"\b{_MINE} (?:lam|san xuat|kinh doanh|trong|nuoi|che bien|mo|co)\b|\bnha {_MINE}\b"
    rf"|\b{_MINE} (?:o|tai) (?:\w+ ){{1,6}}?(?:lam|san xuat|kinh doanh|trong|nuoi|che bien)\b"
    r"|\b(?:i|we) (?:make|produce|run|grow|own|have|sell)\b"
)


def maker(text: str) -> bool:
    """Whether the question (folded, joined) speaks of the user's own work ("tôi làm du lịch
    cộng đồng ở Hà Giang", "nhà em có homestay", "we run a homestay"): a producer speaking of
    their product, not asking for places."""
    return bool(_MAKER.search(text))


def own_thing(text: str) -> bool:
    """Whether the question (folded, joined) names the producer's own product ("mật ong nhà
    em", "sản phẩm của tôi", "my tea")."""
    return bool(_OWN_THING.search(text))


_PROCEDURE = frozenset({"dossier", "form", "cost", "duration", "submit", "working_days"})
"""Topic words of the procedure (its papers, fees, time): asked of one's own product too, the
rules answer them ("how long does the commune take to check my dossier")."""
_UPGRADE_PROCEDURE = re.compile(
    r"^(?=.*\b(?:nang hang|upgrade|upgrading)\b)"
    r"(?=.*\b(?:the nao|lam sao|ra sao|thu tuc|how do|how can|how to|procedure|process|steps?)\b)"
)
"""The upgrade named and its way asked ("làm sao nâng hạng sản phẩm của em", "what's the
procedure to upgrade my product"): the procedure; "sản phẩm của em lên 4 sao cần gì" is what
the product lacks, the self-assessment's."""
_PROCEDURE_ASKED = ("who", "where", "when", "how_long")
"""Question words that ask the procedure (who decides, where to file, when, how long)."""


def own_product(text: str, concepts: set[str]) -> bool:
    """Whether the question (folded, joined) is about the producer's own product; a wish to
    register it ("I want to register my product for OCOP") or what to do once it is assessed
    ("tự đánh giá xong thì làm gì tiếp") asks the procedure."""
    if (INTENTS["how"].search(text) and "apply" in concepts) or _ASSESSED.search(text):
        return False
    if "upgrade" in concepts and _UPGRADE_PROCEDURE.search(text):
        return False  # "how do I upgrade my 3 star product": the upgrade's procedure, Điều 7.5
    if concepts & _PROCEDURE or any(INTENTS[i].search(text) for i in _PROCEDURE_ASKED):
        return False  # "what documents do I need to register my product": the procedure's
    if _SELF_ASSESS.search(text) or _MY_RESULT.search(text):
        return True
    if _OWN_THING.search(text) and _OWN_QUALIFIER.search(text):
        return True
    if _WISH_ASSESSED.search(text) and (_MAKER.search(text) or _OWN_THING.search(text)):
        return True
    general = {"mandatory", "asterisk", "dossier", "form", "reject", "revoke", "upgrade", "band"}
    general |= {"points"}
    return bool(_STAR_NEED.search(text) and _NEED.search(text) and not concepts & general)


_PRICE = re.compile(
    r"\b(?:bao nhieu tien|gia ban|ban bao nhieu|ban gia|gia ca|bang gia|how much|price|prices"
    r"|priced|cost|costs)\b"
    r"|(?<!danh )(?<!tham )(?<!quoc )(?<!chuyen )\bgia (?!dinh|tri|han|lai|lam|vi)(?:\w+ ){0,5}"
    r"(?:bao nhieu|the nao|ra sao)\b"
)
_FEE = re.compile(
    r"\b(?:phi|le phi|chi phi|kinh phi|fee|fees|pay|paid|charge|charged|free|ho tro|support)\b"
)
_ENTRANCE = re.compile(
    r"\b(?:ve vao|ve tham quan|gia ve|tien ve|phi vao|phi tham quan|vao cua|vao cong"
    r"|entrance|admission|entry fee|ticket|tickets)\b"
)
"""A ticket to get in (a fair, an exhibition, a village): a price, though called a fee."""
_EVENT = re.compile(r"\b(?:hoi cho|trien lam|fair|fairs|expo|exhibition|exhibitions|festival)\b")
"""A fair or an exhibition: what it costs to visit or to take a stand there is no fee of the
programme's (QĐ 26/2026 sets the evaluation's, Điều 6-7)."""
PRICE_WORDS = frozenset({"gia", "tien", "ban", "price", "prices", "priced", "cost", "costs"})
"""Words of asking a price, beside the question words."""


def at_an_event(text: str) -> bool:
    """Whether the question (folded) is about a fair or an exhibition ("hội chợ OCOP")."""
    return bool(_EVENT.search(text))


_STATISTICS = re.compile(
    r"\b(?:tinh|xa|phuong|huyen|vung|mien|dia phuong|noi|san pham|hop tac xa|htx)(?: \w+)? nao\b"
    r".*\b(?:nhieu|it|cao|thap)\b(?: \w+){0,4} nhat\b|\bdung dau\b|\btop \d+\b"
    r"|\b(?:which|what) (?:provinces?|communes?|regions?|areas?|products?|cooperatives?)\b"
    r".*\b(?:most|fewest|least|highest|lowest)\b"
    r"|\b(?:provinces?|communes?|regions?) with the (?:most|fewest|least|highest|lowest)\b"
)
"""Places or products compared ("tỉnh nào chấm OCOP nhiều nhất", "which province has the most
OCOP products", "top 10"): figures, not a rule; not "ít nhất bao nhiêu điểm" (at least)."""


def asks_statistics(text: str) -> bool:
    """Whether the question (folded, joined) asks which has the most or the fewest."""
    return bool(_STATISTICS.search(text))


def asks_price(text: str) -> bool:
    """Whether the question (folded, joined) asks what something costs to buy ("nước mắm OCOP
    bán bao nhiêu tiền", "giá mật ong bao nhiêu 1 lít", "how much is OCOP honey"), not a fee
    ("lệ phí", "chi phí", "fee", "pay"), which is the programme's; an entrance ticket is a
    price whatever it is called ("entrance fee at the OCOP fair", "vé vào hội chợ OCOP"), and
    so is any fee of a fair or an exhibition."""
    if _ENTRANCE.search(text) or (
        _EVENT.search(text) and (_FEE.search(text) or _PRICE.search(text))
    ):
        return True
    return bool(_PRICE.search(text)) and not _FEE.search(text)


_DATE = re.compile(r"\b(?:(\d{1,2}) )?(?:(\d{1,2}) )?(20\d\d)\b")


def before_26(words: list[str]) -> bool:
    """A date or year before QĐ 26/2026 took effect (22/5/2026): "năm 2024", "4/2026"."""
    text = " ".join(words)
    if "20" not in text:  # no year: most questions
        return False
    for match in _DATE.finditer(text):
        first, second, year = match.groups()
        day, month = (first, second) if second else (None, first)
        if 2019 <= int(year) <= 2025:
            return True
        if int(year) == 2026 and month and (int(month), int(day or 1)) < (5, 22):
            return True
    return False


MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
"""The months' English names, January first."""
_MONTHS = [m.lower() for m in MONTHS_EN]
_MONTH = re.compile(
    r"\bthang (1[0-2]|0?[1-9])\b(?! (?:nam )?20\d\d\b)"
    rf"|\b(?:in|of|during) ({'|'.join(_MONTHS)})\b"
    rf"|\b({'|'.join(m for m in _MONTHS if m != 'may')})\b"
)
"""A month of the year named ("tháng 11", "in November"); not "11 tháng" (a length of time), a
month of a year ("tháng 4/2026": a date, `before_26`), nor "mấy" folded "may" without "in"."""


def month_named(text: str) -> int | None:
    """The month of the year (1–12) a question (folded, joined) names, or None."""
    found = _MONTH.search(text)
    if found is None:
        return None
    number, english, bare = found.groups()
    return int(number) if number else _MONTHS.index(english or bare) + 1
