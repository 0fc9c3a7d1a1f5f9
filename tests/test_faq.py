"""The FAQ's data and reader: every answer follows QĐ 26/2026/QĐ-TTg and names the article, states
the decision's facts, never names a lapsed rule as current, never says the sheets were not found;
the reader finds intent and topic, reads questions about the producer's own product, keeps
visitors' and producers' entries apart, puts slips of the finger right, and finds nothing in
small talk."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from knowledge.faq import FaqEntry, _words, check, entries, find_answer, read_question
from knowledge.faq_checks import MAX_SHORT, short_problems
from knowledge.faq_words import SIGHT_WORDS
from knowledge.slips import NUMBER, context_fix, slip
from knowledge.text import fold

BY_ID = {e.id: e for e in entries()}
ARTICLE = re.compile(r"QĐ 26/2026/QĐ-TTg[^;]*Điều \d+")
EVALUATION = Path(__file__).parent / "data" / "faq_questions.json"


def test_data_file_has_no_problems() -> None:
    assert check() == []


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e.id)
def test_every_answer_names_the_article_of_the_decision_in_force(entry: FaqEntry) -> None:
    assert ARTICLE.search(entry.legal_basis), entry.legal_basis
    assert re.search(r"QĐ 26/2026/QĐ-TTg[^;]*Art\. \d+", entry.legal_basis_en)
    assert entry.basis("en") == entry.legal_basis_en and entry.basis("vi") == entry.legal_basis
    assert "QĐ 26/2026/QĐ-TTg" in entry.answer_vi and "QĐ 26/2026/QĐ-TTg" in entry.answer_en
    assert entry.sources and all(u.startswith(("http://", "https://")) for u in entry.sources)


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e.id)
def test_lapsed_decisions_are_named_only_as_lapsed(entry: FaqEntry) -> None:
    for text, lapsed in (
        (entry.answer_vi, "hết hiệu lực"),
        (entry.answer_en, "laps"),
        (entry.legal_basis, "hết hiệu lực"),
        (entry.legal_basis_en, "laps"),
    ):
        if re.search(r"\b(148|1489)/QĐ-TTg", text):
            assert lapsed in text, text


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e.id)
def test_no_answer_says_the_rules_were_not_found(entry: FaqEntry) -> None:
    assert "chưa tìm thấy" not in entry.answer_vi
    assert "not been found" not in entry.answer_en and "not found" not in entry.answer_en


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e.id)
def test_answers_are_polite_short_and_in_both_languages(entry: FaqEntry) -> None:
    shown_vi = f"{entry.answer_vi} {entry.note_vi}".casefold()  # what a producer reads
    assert "anh/chị" in shown_vi
    assert not re.search(r"\bbạn\b", shown_vi)
    assert len(entry.answer_vi) <= 700 and len(entry.answer_en) <= 800
    assert entry.answer("vi") == entry.answer_vi and entry.answer("en_US") == entry.answer_en
    assert entry.title("en") == entry.title_en and entry.title("vi") == entry.title_vi
    assert not re.search(
        r"[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]", entry.title_en.replace("QĐ", "").casefold()
    )
    # The same articles in both languages.
    arts_vi = set(re.findall(r"Điều (\d+(?:\.\d+)?)", entry.answer_vi))
    arts_en = set(re.findall(r"(?:Art\.|Articles?|and) (\d+(?:\.\d+)?)", entry.answer_en))
    assert arts_vi <= arts_en | {a.split(".")[0] for a in arts_en}, (arts_vi, arts_en)


_BOT_FEATURES = re.compile(
    r"\bbot\b|/chungnhan|/lich|tự (?:đánh giá|chấm) (?:để|lại|theo phiếu)|self-assess(?:ment)? in"
    r"|run the self-assessment|score yourself|re-assess",
    re.IGNORECASE,
)


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e.id)
def test_the_answer_itself_sends_no_one_to_the_producers_features(entry: FaqEntry) -> None:
    """Visitors read the answer without its producer note: it must not tell them to
    self-assess or record a certificate (the form "báo cáo tự đánh giá" is the decision's)."""
    for text in (entry.answer_vi, entry.answer_en):
        assert not _BOT_FEATURES.search(text), text
    for note in (entry.note_vi, entry.note_en):
        assert not note or _BOT_FEATURES.search(note), note


def test_the_decisions_facts_are_stated() -> None:
    def vi(entry_id: str) -> str:  # as a producer reads it
        return f"{BY_ID[entry_id].answer_vi} {BY_ID[entry_id].note_vi}"

    assert "từ 50 đến dưới 70" in vi("star_thresholds") and "dưới 30" in vi("star_thresholds")
    assert "from 50 to under 70" in BY_ID["star_thresholds"].answer_en
    assert "Điều 4.1.a" in vi("no_certificate_low_stars")
    assert "không được cấp giấy chứng nhận" in vi("no_certificate_low_stars")
    assert (
        "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao (*** - 3 sao; **** - 4 sao;"
        " ***** - 5 sao)" in vi("mandatory_criteria")  # the sheets' note, as printed
    )
    assert "tự đánh giá" in vi("mandatory_criteria") and "26 bộ" in vi("mandatory_criteria")
    assert "25/26" in vi("disqualification") and "Hồ sơ bị loại khi" in vi("disqualification")
    rounds = vi("evaluation_rounds")
    assert all(
        d in rounds for d in ("30/4", "30/6", "30/10", "30/12", "30/7", "30/9", "30/01", "30/3")
    )
    again = vi("rerecognition")
    assert "180 ngày" in again and "120 ngày" in again and "45 ngày" in again
    assert "Điều 7.6" in again and "Mẫu 01" in again and "Mẫu 02" in again
    revoke = vi("revocation")
    assert all(f"\n{g})" in revoke for g in "abcdđe") and "15 ngày" in revoke
    # The English answer keeps the decision's points (Điều 8.1.đ, 8.1.e), not a–f.
    assert all(f"\n{g})" in BY_ID["revocation"].answer_en for g in "abcdđe")
    assert "Chủ tịch UBND tỉnh" in revoke and "Bộ trưởng" in revoke
    assert "hậu kiểm" in vi("post_checks") and "đột xuất" in vi("post_checks")
    assert "Điều 12" in vi("transition") and "180 ngày" in vi("transition")
    dossier = vi("dossier")
    assert all(m in dossier for m in ("Mẫu 01", "Mẫu 02", "Mẫu 03", "05 sản phẩm mẫu"))
    assert "01 bộ giấy và 01 bộ điện tử" in dossier
    assert "36 tháng" in vi("validity") and "Điều 4.3" in vi("validity")
    who = vi("who_recognises")
    assert "15 ngày làm việc" in who and "Bộ Nông nghiệp và Môi trường" in who
    assert "3 sao, 4 sao" in who
    assert "Điều 2.3" in vi("who_can_apply") and "có đăng ký kinh doanh" in vi("who_can_apply")
    assert "21/7/2026" in vi("changes_2026") and "Điều 11.2" in vi("changes_2026")
    # Bilingual labelling: item 2.4 of sets 1–20, item 2.3 of sets 21–22 (Phụ lục II).
    assert "bộ 1–20 mục 2.4, bộ 21–22 mục 2.3" in vi("changes_2026")
    # Re-evaluation is at the producer's request (Điều 7.6), not an obligation.
    assert "phải được đánh giá lại (Điều 7.6)" not in BY_ID["stars_outdated"].answer_vi
    assert "Sở Công Thương" not in vi("councils") and "Công Thương, Y tế" in vi("councils")
    assert "khảo sát thực tế tại cơ sở" in vi("councils") and "Điều 10.1.b" in vi("councils")
    five = vi("five_star_review")
    assert "Không đạt 90 điểm" in five and "Điều 7.4.g" in five and "Điều 6.3.a" in five
    assert "Điều 10.4" in vi("commune_support") and "hoàn thiện hồ sơ" in vi("commune_support")
    evidence = vi("evidence")
    assert "báo cáo tài chính 2 năm gần nhất" in evidence and "lao động đóng bảo hiểm" in evidence
    assert "ký, đóng dấu" in vi("dossier") and "Bộ Y tế" in vi("lead_ministries")
    parts = vi("criteria_parts")
    assert all(n in parts for n in ("<b>40</b>", "<b>25</b>", "<b>35</b>"))
    # What the decision does not set is said so, with whom to ask; no amount is invented.
    cost = BY_ID["cost"]
    assert "không quy định" in cost.answer_vi and "sets no fee" in cost.answer_en
    assert "cấp tỉnh" in cost.answer_vi and not re.search(
        r"\d[\d.]* ?(đồng|VND|đ\b)", cost.answer_vi
    )


def test_every_producer_entry_is_in_the_evaluation_set() -> None:
    raw = json.loads(EVALUATION.read_text("utf-8"))["questions"]
    expected = {
        e
        for q in raw
        for e in ([q["expected"]] if isinstance(q["expected"], str) else q["expected"])
    }
    producer = {e.id for e in entries() if e.audience == "producer"}
    assert producer <= expected
    assert expected - {"decline", "self_assessment"} <= set(BY_ID)


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("ai công nhận 5 sao", {"who"}),
        ("khi nao nop ho so", {"when"}),
        ("chi phí bao nhiêu tiền", {"how_much"}),
        ("giấy chứng nhận hiệu lực bao lâu", {"how_long"}),
        ("nop ho so o dau", {"where"}),
        ("what is OCOP", {"what"}),
        ("how long does it take", {"how_long"}),
    ],
)
def test_intent_is_read_with_or_without_diacritics_and_in_english(
    text: str, intents: set[str]
) -> None:
    assert intents <= read_question(text).intents


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # The confident wrong answers, now answered by the right entry.
        ("chi phí đánh giá bao nhiêu", "cost"),
        ("ai chấm điểm", "who_recognises"),
        # Longest phrase first: "hồ sơ bị loại" is rejection, not the dossier.
        ("hồ sơ bị loại khi nào", "disqualification"),
        # The same topic, different intents.
        ("khi nào có đợt chấm OCOP", "evaluation_rounds"),
        ("chấm OCOP mất bao lâu", "processing_time"),
        # Chat shorthand and misspelt topic words.
        ("tiu chí bắt buôc ocop la j", "mandatory_criteria"),
        ("gcn ocop dc bao lau", "validity"),
        # A date before 22/5/2026 points to the transition rules.
        ("giấy chứng nhận cấp năm 2024 còn giá trị không", "transition"),
        # Slips of the finger, put right by the word beside them.
        ("giay to can chuan bj", "dossier"),
        ("hp so gom nhung gi", "dossier"),
        ("dieu kien dat 3 sau", "star_thresholds"),
        ("dieu kien dat 4 sai", "star_thresholds"),
        ("what documents do i ned", "dossier"),
        # The administration's abbreviations, read as written out.
        ("hkd co duoc dang ky ocop khong", "who_can_apply"),
        ("cty co duoc tham gia ocop ko", "who_can_apply"),
        ("hkd sx mat ong co dk ocop dc ko", "who_can_apply"),
        ("chua co dkkd co tham gia ocop duoc khong", "who_can_apply"),  # Điều 2.3
        # When a decision or a certificate takes effect, not a round's deadline.
        ("quy định mới áp dụng từ ngày nào", "changes_2026"),  # Điều 11.1
        ("gcn co hieu luc tu ngay nao", "validity"),  # Điều 4.3
        # The authority named with the certificate: who issues it, not the 1–2 star rule.
        ("ubnd tinh cap gcn cho may sao", "who_recognises"),
        # "5 sao" also names a star; the Ministry's result under 90 is its own rule.
        ("giấy chứng nhận 5 sao do ai ký", "who_recognises"),
        ("muốn nâng lên 5 sao cần thủ tục gì", "upgrading"),
        ("bo cham duoi 90 diem thi sp dc cong nhan may sao", "five_star_review"),  # Điều 7.4.g
        # A kind of product of Phụ lục I asked whether it may join; its lead ministry.
        ("mat ong co lam ocop duoc khong", "product_groups"),
        ("which ministry is in charge of cosmetics", "lead_ministries"),
        # Misusing the mark (Điều 8.1.d); checks after recognition (Điều 9).
        ("dung logo ocop sai quy dinh co bi thu hoi khong", "revocation"),
        ("bo co kiem tra sp 5 sao khong", "post_checks"),
        # The councils, the commune's guidance, the evidence of Mẫu 02.
        ("hoi dong tinh co bao nhieu thanh vien", "councils"),
        ("does anyone come to inspect my workshop before scoring", "councils"),  # Điều 7.3.c
        ("ai giup em lam ho so ocop", "commune_support"),
        ("bao cao tai chinh may nam", "evidence"),
        # A filing under the old rules; the accounting criterion.
        ("nop ho so theo quy dinh cu thi sao", "transition"),
        ("tieu chi ke toan con khong", "changes_2026"),
        # A wish to join OCOP with no question word (declined before): the procedure.
        ("em muon dang ky ocop", "how_to_register"),
        ("nha minh muon dang ky sp ocop", "how_to_register"),
        ("I want to register my product for OCOP", "how_to_register"),
        ("we would like to apply for OCOP", "how_to_register"),
        # A re-evaluation's deadline is its window (Điều 7.6.a), not the rounds' (Điều 5).
        ("when is the deadline for re-evaluation", "rerecognition"),
        ("I missed the deadline for re-evaluation", "rerecognition"),
        ("han chot nop ho so danh gia lai la khi nao", "rerecognition"),
        # Points had, stated with no question (declined before): the band they fall in.
        ("em duoc 48 diem", "star_thresholds"),
        ("toi dc 48 diem thi sao", "star_thresholds"),
        ("I got 48 points, what does that mean", "star_thresholds"),
        ("we scored 72 points", "star_thresholds"),
        # Waiting for the result, in English (declined before; "before" is no lead time here).
        ("how long until I get the result", "processing_time"),
        ("how long before we get the results", "processing_time"),
        ("em đang đăng ký OCOP", "how_to_register"),  # "đang": joining begun
        ("em dang lam hoso ocop", "dossier"),  # a dossier begun (was declined)
        ("tôi đang chuẩn bị hồ sơ OCOP", "dossier"),
        # Support money: the decision sets none, whom to ask (declined before).
        ("ocop 3 sao co duoc ho tro tien khong", "cost"),
        ("does the government give money for OCOP products", "cost"),
        # How long until the certificate (was its validity), and who certifies a star level.
        ("bao nhieu ngay thi co giay chung nhan", "processing_time"),
        ("san pham 4 sao co phai len bo khong", "who_recognises"),
        ("does a 4 star product go to the ministry", "who_recognises"),
        # A certificate had before 2026 (was the self-assessment lead): Điều 12.1.
        ("sp cua e dc 3 sao nam 2023 gio con gia tri ko", "transition"),
        ("ho so danh gia lai co can kiem nghiem dinh ky khong", "rerecognition"),
        # The self-assessment done (was the lead into another one): the procedure.
        ("tu danh gia xong thi lam gi tiep", "how_to_register"),
        ("I finished the self assessment, what next", "how_to_register"),
        ("who signs the certificate", "who_recognises"),  # Điều 4.1 (was declined)
    ],
)
def test_the_question_asked_is_answered(text: str, entry_id: str) -> None:
    found = find_answer(text, audience="producer")
    assert found and found[0].entry.id == entry_id, [(m.entry.id, m.score) for m in found]


@pytest.mark.parametrize(
    "text",
    [
        "sản phẩm của tôi được mấy sao",
        "sản phẩm 4 sao cần gì",
        "4 sao cần gì",
        "mat ong nha em du 3 sao chua",
        "what does my tea need for 5 stars",
        "xem lại kết quả của tôi",
        # A wish to be scored beside their own work: their tourism service, not the FAQ's rule.
        "nha toi lam homestay o sapa, muon cham diem ocop",
        "toi co homestay muon danh gia ocop",
        "we run a homestay in Sapa, want to score it for OCOP",
    ],
)
def test_questions_about_the_producers_own_product_are_read_as_such(text: str) -> None:
    assert read_question(text, audience="producer").own_product


@pytest.mark.parametrize(
    "text",
    [
        "phần chất lượng sản phẩm tối đa mấy điểm",  # "tối đa", not "tôi"
        "bao cáo tự đánh giá gồm gì",  # the dossier's report, not "assess mine"
        "how many points do I need for 5 stars",  # the bands, for anyone
        "what does the commune do with my dossier",
        "homestay co duoc cong nhan ocop khong",
    ],
)
def test_general_questions_are_not_read_as_the_producers_own(text: str) -> None:
    reading = read_question(text, audience="producer")
    assert not reading.own_product and reading.matches


UNRELATED = [
    "xin chào",
    "asdf",
    "thời tiết hôm nay",
    "tỷ giá đô la",
    "giá vàng hôm nay",
    "mấy giờ rồi",
    "em duoc 8 diem IELTS",  # points had, of another test
    "con em duoc 9 diem toan",
    "bot ho tro gi",  # help, not support money
    "can kiem nghiem nhung chi tieu gi",  # lab tests: another procedure
    "cảm ơn nhé",
    "sao rồi",
    "hello",
    "what time is it",
    "/start",
    "?",
    "",
    "1",
    "where can I buy a sim card",
    "mua vé ở đâu",
    "what does it mean",
    "is it valid",
    "homestay",
    "bản đồ",
    "lịch nghỉ tết",  # an everyday word of a topic ("lịch") alone is not about OCOP
    "phí gửi xe",
    "hồ sơ xin việc gồm những gì",
    "đăng ký kinh doanh ở đâu",
    # A slip put right does not make the rest of the question about OCOP.
    "giay to xe can chuan bj",
    "ho so xin viec gom nhung gj",
    "troi mua 3 ngay sau",
    "what documents do i ned for a visa",
    # Another procedure in its abbreviations, or an abbreviation of something else.
    "dkkd o dau",
    "toi can dkkd o dau",
    "thu tuc dkkd nhu the nao",
    "hkd nop thue bao nhieu",
    "tk ngan hang bi khoa",
    # Words of the programme's rules used of something else: revoking, inspecting, councils,
    # software, bookkeeping.
    "thu hồi bằng lái xe",
    "lich kiem tra dinh ky xe may",
    "kiểm tra sức khỏe định kỳ",
    "hội đồng nhân dân xã là gì",
    "phần mềm kế toán nào tốt",
    "bán hàng online",
    "hướng dẫn nuôi ong",
    "kiem tra xe den co so bao duong",
]


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_text_finds_nothing(text: str) -> None:
    for audience in (None, "producer", "tourist"):
        assert find_answer(text, audience=audience) == []
        assert not read_question(text, audience=audience).own_product


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("nuoc mam ocop ban bao nhieu tien", True),
        ("gia mat ong ocop bn 1 lit", True),
        ("how much is OCOP honey", True),
        ("san pham ocop gia bao nhieu", True),
        ("chi phi dang ky ocop bao nhieu", False),  # the programme's fees: the FAQ's
        ("le phi cap giay chung nhan ocop", False),
        ("how much does OCOP cost", False),
        ("tham gia ocop bao nhieu tien", False),
        ("danh gia bao nhieu diem thi dat 3 sao", False),  # "đánh giá", not "giá"
        ("gia dinh toi lam mat ong", False),
        ("gia han giay chung nhan ocop the nao", False),
        # an entrance ticket, or a fair's fee, is a price whatever it is called
        ("how much is the entrance fee at the OCOP fair?", True),
        ("ve tham quan hoi cho ocop bao nhieu", True),
        ("tham gia hoi cho ocop co mat phi khong", True),
        ("danh gia ocop co mat phi khong", False),
    ],
)
def test_a_price_asked_of_a_product_is_no_fee(text: str, price: bool) -> None:
    assert read_question(text).price is price


def test_no_answer_judges_what_no_article_says() -> None:
    """How strict a group's criteria are, or how many were certified, is no article's: the
    tourism answer once said "Tiêu chí nhóm này khắt khe nên số điểm được công nhận còn ít"."""
    claims = re.compile(r"khắt khe|được công nhận còn ít|\bstrict\b|few sites are certified", re.I)
    for entry in entries():
        texts = (entry.answer_vi, entry.answer_en, entry.short_vi, entry.short_en)
        assert not any(claims.search(t) for t in texts), entry.id


def test_small_talk_is_off_topic_but_an_unanswered_ocop_question_is_on_topic() -> None:
    assert not read_question("thời tiết hôm nay", audience="producer").on_topic
    reading = read_question("OCOP có hỗ trợ vay vốn không", audience="producer")
    assert reading.on_topic and not reading.matches and reading.verdict == "decline"


def test_results_are_best_first_within_limit_and_one_per_entry() -> None:
    found = find_answer("giấy chứng nhận sắp hết hạn thì nộp hồ sơ đánh giá lại khi nào", limit=2)
    assert len(found) == 2 and found[0].score >= found[1].score
    assert found[0].entry.id == "rerecognition" and len({m.entry.id for m in found}) == 2
    assert find_answer("hồ sơ đăng ký OCOP", limit=0) == []


# Visitors (audience "tourist"): English, Vietnamese without diacritics and with.
VISITOR_PHRASINGS: dict[str, list[str]] = {
    "what_is_ocop": ["what is OCOP", "what does OCOP stand for", "ocop la gi", "OCOP là gì"],
    "ocop_stars_meaning": [
        "what do the stars on OCOP products mean",
        "OCOP 4 stars meaning",
        "logo ocop tren bao bi la gi",
        "sao OCOP nghĩa là gì vậy",
    ],
    "where_to_buy": [
        "where can I buy OCOP products",
        "OCOP shop near here",
        "mua san pham ocop o dau",
        "mua sản phẩm OCOP ở đâu vậy",
    ],
    "stars_outdated": [
        "is the OCOP rating still up to date",
        "can OCOP stars be out of date",
        "so sao ocop con dung khong",
        "số sao OCOP còn hiệu lực không",
    ],
    "ocop_tourism": [
        "are there OCOP tourism places",
        "can a tourist site be OCOP certified",
        "du lich cong dong co dat ocop khong",
        "du lịch cộng đồng OCOP",
    ],
    "places_map": [
        "what is a craft village",
        "how accurate is the location on the map",
        "lang nghe la gi",
        "vị trí trên bản đồ có chính xác không",
    ],
}


@pytest.mark.parametrize(
    ("entry_id", "text"),
    [(entry_id, text) for entry_id, texts in VISITOR_PHRASINGS.items() for text in texts],
)
def test_visitor_questions_are_answered_with_the_tourist_filter(entry_id: str, text: str) -> None:
    found = find_answer(text, audience="tourist")
    assert found and found[0].entry.id == entry_id, [(m.entry.id, m.score) for m in found]


def test_producer_and_visitor_filters_keep_each_other_out() -> None:
    assert {e.id for e in entries() if e.audience == "tourist"} < set(VISITOR_PHRASINGS)
    for text in ("where can I buy OCOP products", "what does the OCOP star mean"):
        assert all(m.entry.audience != "tourist" for m in find_answer(text, audience="producer"))
    for text in ("hồ sơ đăng ký OCOP gồm những gì", "how many points for 4 stars"):
        assert all(m.entry.audience != "producer" for m in find_answer(text, audience="tourist"))
    # Visitors never get the producers' self-assessment.
    assert not read_question("sản phẩm của tôi được mấy sao", audience="tourist").own_product
    assert find_answer("OCOP là gì", audience="officer")[0].entry.id == "what_is_ocop"


@pytest.mark.parametrize(
    ("typed", "word", "expected"),
    [
        ("bj", "bi", True),  # a neighbouring key
        ("sau", "sao", True),  # a vowel for a vowel
        ("giy", "giay", True),  # a letter dropped
        ("vaild", "valid", True),  # two letters swapped
        ("bq", "bi", False),  # far apart on the keyboard
        ("sa", "sao", True),
        ("cau", "cua", True),
        ("xyz", "sao", False),
    ],
)
def test_a_slip_is_one_key_off_or_a_letter_dropped_added_or_swapped(
    typed: str, word: str, expected: bool
) -> None:
    assert slip(typed, word) is expected


def test_only_a_word_beside_it_puts_a_slip_right() -> None:
    fix = partial(context_fix, pairs=frozenset({("chuan", "bi"), (NUMBER, "sao"), ("ho", "so")}))
    assert fix(["chuan", "bj"], unknown=[False, True]) == ["chuan", "bi"]
    assert fix(["3", "sau"], unknown=[None, False]) == ["3", "sao"]  # a real word struck
    assert fix(["bj"], unknown=[True]) == ["bj"]  # nothing beside it tells
    assert fix(["sau", "3"], unknown=[False, None]) == ["sau", "3"]  # known: only ending a pair
    assert fix(["3", "sa"], unknown=[None, None]) == ["3", "sa"]  # never put right
    assert fix(["3", "soa"], unknown=[None, False]) == ["3", "soa"]  # known: no swap
    assert fix(["3", "soa"], unknown=[None, True]) == ["3", "sao"]


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e.id)
def test_the_short_answer_is_the_full_answer_in_brief(entry: FaqEntry) -> None:
    """The first reply: within a cheap phone's screen, citing the articles of the full answer
    (the same in both languages), naming lapsed decisions as lapsed, no producers' features."""
    assert entry.short("vi") == entry.short_vi and entry.short("en_US") == entry.short_en
    assert short_problems(entry.id, entry) == []
    for short, full, lapsed in (
        (entry.short_vi, entry.answer_vi + entry.legal_basis, "hết hiệu lực"),
        (entry.short_en, entry.answer_en + entry.legal_basis_en, "laps"),
    ):
        assert len(short) <= MAX_SHORT and not _BOT_FEATURES.search(short)
        if re.search(r"\b(148|1489)/QĐ-TTg", short):
            assert lapsed in short
        cited = set(re.findall(r"(?:Điều|Art\.|Articles?|and) (\d+(?:\.\d+)*)", short))
        stated = set(re.findall(r"(\d+(?:\.\d+)*)", full))
        assert cited <= stated, cited - stated
    pairs = re.findall(r"Điều (\d+)[.\d]*(?: và (?:Điều )?(\d+))?", entry.short_vi)
    arts_vi = {a for pair in pairs for a in pair if a}
    arts_en = set(re.findall(r"(?:Art\.|Articles?|and) (\d+)", entry.short_en))
    assert arts_vi == arts_en, (arts_vi, arts_en)


def test_a_short_answer_with_a_figure_the_full_answer_lacks_is_refused() -> None:
    validity = BY_ID["validity"]
    wrong = replace(validity, short_vi=validity.short_vi.replace("36 tháng", "24 tháng"))
    assert short_problems("validity", wrong) == [
        "validity [vi]: short answer says 24, the full answer does not"
    ]
    uncited = replace(validity, short_en="Valid for 36 months.")
    assert short_problems("validity", uncited) == [
        "validity [en]: the short answer cites no article"
    ]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ho kinh doanh co duoc lam ocop khong", "who_can_apply"),
        ("Hộ kinh doanh có được làm OCOP không?", "who_can_apply"),
        ("htx co duoc lam ocop ko", "who_can_apply"),
        ("trang trai co the lam ocop khong", "who_can_apply"),
        ("ho kinh doanh lam banh co ngon khong", None),
        ("doanh nghiep lam sao de vay von", None),
    ],
)
def test_doing_ocop_is_taking_part(question: str, expected: str | None) -> None:
    """ "làm OCOP" is taking part, as "đăng ký OCOP" is (it was declined); "làm" of anything
    else asks nothing of the FAQ."""
    found = find_answer(question, audience="producer")
    assert (found[0].entry.id if found else None) == expected, question


@pytest.mark.parametrize(
    "typed",
    [
        "em cần bao nhiêu điểm thì được 4 sao",
        "sp cua minh can may diem de dat 3 sao",  # was the self-assessment lead
        "toi can bao nhieu diem de len 5 sao",  # was the upgrading (Điều 7.5)
        "minh phai dat bao nhieu diem moi duoc 3 sao",  # "điểm mới" was "what is new"
        "how many points does my product need to get 3 stars",
    ],
)
def test_the_points_a_star_needs_asked_in_the_first_person_are_the_star_bands(typed: str) -> None:
    reading = read_question(typed, audience="producer")
    assert reading.threshold and reading.verdict == "star_thresholds"
    gap = read_question("con thieu bao nhieu diem de len 4 sao", audience="producer")
    assert not gap.threshold  # the producer's own gap: their plan, or the lead


@pytest.mark.parametrize(
    "typed",
    [
        "đánh giá lại thì nộp hồ sơ trước bao nhiêu ngày",  # was how long each step takes
        "how many days before expiry do I file for re-evaluation",
        "nop ho so danh gia lai som nhat truoc may thang",
    ],
)
def test_how_long_before_expiry_to_file_is_the_window_not_the_steps(typed: str) -> None:
    assert read_question(typed, audience="producer").verdict == "rerecognition"
    kept = read_question("danh gia lai mat bao nhieu ngay", audience="producer")
    assert kept.verdict == "processing_time"


@pytest.mark.parametrize(
    "text",
    ["co huong dan vien khong", "mua san pham ocop online", "hoi dong", "mat ong o dau"],
)
def test_everyday_words_and_products_make_no_programme_question(text: str) -> None:
    """ "hướng dẫn", "online", "hội đồng" and a product's name ("mật ong") are read for the
    FAQ's rules ("xã có hướng dẫn làm hồ sơ không", "mật ong có làm OCOP được không") but
    alone send no visitor to the FAQ's decline instead of the place search."""
    reading = read_question(text, audience="tourist")
    assert not reading.programme
    if "ocop" not in text:
        assert not reading.on_topic


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("ho so gui thang 11 thi sao", 11),
        ("sent in may", 5),
        ("forwarded in November", 11),
        ("may sao", None),
        ("5 thang", None),
        ("hs nop thang 4 2026", None),
    ],
)
def test_a_month_of_the_year_is_read_not_a_length_nor_a_date(text: str, month: int | None) -> None:
    from knowledge.faq_words import month_named

    assert month_named(fold(text)) == month


def test_a_product_named_whole_gives_its_set_and_a_criterion_its_points() -> None:
    from knowledge.criteria import set_asked
    from knowledge.criteria.named import criterion_named

    honey = set_asked("mật ong thuộc bộ nào")
    assert honey is not None and honey.code == "26-mat-ong-mat-khac"
    assert set_asked("san pham thuoc bo nao") is None  # no product named
    ip = criterion_named("so huu tri tue duoc may diem")
    assert ip is not None and (ip.code, ip.low, ip.high) == ("3.5", 3.0, 3.0)
    assert criterion_named("bao nhieu diem") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("how many points is bilingual labelling worth", "2.4"),
        ("points for hiring local workers", "3.3"),
        ("does a registered trademark give points", "3.5"),
        ("how many points is the product story worth", "5.1"),
        ("how many points for a woman legal representative", "3.2"),
    ],
)
def test_a_criterion_named_in_english_gets_its_points(text: str, code: str) -> None:
    from knowledge.criteria.named import criterion_named

    named = criterion_named(text)
    assert named is not None and named.code == code
    reading = read_question(text, audience="producer")
    assert reading.matches and reading.matches[0].entry.id == "criteria_parts"


@pytest.mark.parametrize(
    "text", ["how many points is a football goal worth", "how many points for my driving licence"]
)
def test_points_of_something_no_ocop_score_is_of_are_not_the_star_bands(text: str) -> None:
    assert not read_question(text, audience="producer").matches


@pytest.mark.parametrize(
    "text",
    ["thủ tục tự công bố chất lượng sản phẩm nộp ở đâu", "ho so dang ky bao ho nhan hieu gom gi"],
)
def test_another_offices_dossier_is_not_ocops(text: str) -> None:
    reading = read_question(text, audience="producer")
    assert reading.admin and reading.matches == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Which forms must I fill in to enter my honey in OCOP?", "dossier"),
        ("How long does the ward take to check my dossier?", "processing_time"),
        ("Who awards the stars to my product after the commune?", "who_recognises"),
    ],
)
def test_the_procedure_asked_of_ones_own_product_is_the_faqs(text: str, expected: str) -> None:
    """Papers, time, who: the rules answer them even of "my product" (Điều 6.1.a, 7.2, 4.1)."""
    reading = read_question(text, audience="producer")
    assert not reading.own_product and reading.verdict == expected


def test_ones_own_stars_still_lead_into_the_self_assessment() -> None:
    assert read_question("What score would my rice get under OCOP?").own_product


@pytest.mark.parametrize(
    "text",
    [
        "sp đạt 93 điểm ở tỉnh thì có tự thành 5 sao ko",
        "Our product scored 94 at the province, who certifies it now?",
        "sp đc 96đ ở tỉnh rồi, bước tiếp theo là gì",
    ],
)
def test_ninety_points_with_what_next_is_the_ministrys_review(text: str) -> None:
    """90+ at the province goes to the Ministry (Điều 7.3.e): the band alone reads as a yes."""
    assert read_question(text, audience="producer").verdict == "five_star_review"


def test_ninety_points_asked_as_a_band_stays_the_band() -> None:
    assert read_question("sp e được 92 điểm thì mấy sao", audience="producer").verdict == (
        "star_thresholds"
    )


@pytest.mark.parametrize(
    "text",
    ["xin giấy chứng nhận an toàn thực phẩm ở đâu, lệ phí bao nhiêu", "giay chung nhan vsattp"],
)
def test_another_offices_certificate_is_not_ocops(text: str) -> None:
    reading = read_question(text, audience="producer")
    assert reading.admin and reading.matches == []


@pytest.mark.parametrize(
    "text",
    ["Bộ chấm 5 sao mỗi năm mấy đợt", "In which months does the Ministry score 5-star products?"],
)
def test_the_ministrys_five_star_rounds_are_the_rounds(text: str) -> None:
    assert read_question(text, audience="producer").verdict == "evaluation_rounds"


def test_joining_without_a_business_registration_is_article_2_3() -> None:
    reading = read_question("ho gia dinh chua dang ky kinh doanh co tham gia duoc khong")
    assert reading.verdict == "who_can_apply"
    assert read_question("phải đăng ký kinh doanh ở đâu").verdict == "decline"


@pytest.mark.parametrize("sight", SIGHT_WORDS.split())
def test_a_word_of_a_sight_is_never_corrected_into_a_topic_word(sight: str) -> None:
    """ "famous beach in Nha Trang" once read as a breach of the rules (revocation), "temple"
    as a template: a visitor's real words are no misspellings."""
    assert _words(f"famous {sight} near hue")[1] == sight


@pytest.mark.parametrize(
    ("text", "compared"),
    [
        ("tinh nao cham ocop nhieu nhat", True),
        ("which province has the most ocop products", True),
        ("top 10 tinh co nhieu ocop", True),
        ("it nhat bao nhieu diem thi dat 3 sao", False),  # "at least": a rule
        ("tieu chi nay nhieu nhat duoc may diem", False),  # "at most": a criterion's points
        ("do i need at least 70 points for 4 stars", False),
    ],
)
def test_places_compared_ask_figures_not_a_rule(text: str, compared: bool) -> None:
    from knowledge.faq_words import asks_statistics

    assert asks_statistics(text) is compared
    if compared:
        assert not read_question(text, audience="producer").matches
