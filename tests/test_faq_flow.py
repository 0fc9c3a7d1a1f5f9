"""The FAQ in a conversation on a real database: the question asked gets its answer, a producer's
own-product question leads into the self-assessment or their last result, an OCOP question the FAQ
cannot answer is declined with what the bot can do, in Vietnamese and English; visitors reach
"what is OCOP" and their own topics."""

from __future__ import annotations

import re
from functools import partial

from bench.faq_length import SHORT
from bot.dispatch import Dispatcher
from bot.messages import Reply
from db import repo
from db.models import utcnow
from knowledge.faq import entries
from tests.conftest import console_msg

BY_ID = {e.id: e for e in entries()}


async def onboard(dispatcher: Dispatcher, role: str, lang: str, user: str = "u1") -> None:
    steps = ["ob:role:" + role, "ob:lang:" + lang] + (["ob:prov:1"] if role == "producer" else [])
    await dispatcher.process(console_msg("/start", user=user))
    for step in steps:
        await dispatcher.process(console_msg(action=step, user=user))


async def say(
    dispatcher: Dispatcher, text: str = "", action: str | None = None, user: str = "u1"
) -> list[Reply]:
    return (await dispatcher.process(console_msg(text, action=action, user=user))).replies


def actions(replies: list[Reply]) -> list[str]:
    return [b.action for r in replies for b in r.all_buttons]


def labels(replies: list[Reply]) -> list[str]:
    return [b.label for r in replies for b in r.all_buttons]


async def test_the_issues_questions_get_the_answer_to_the_question_asked(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "producer", "vi")
    cost = await say(dispatcher, "chi phí đánh giá bao nhiêu")
    assert "không quy định" in cost[0].text and "Điều 6–7" in cost[0].text
    details = await say(dispatcher, action="faq:d:cost")
    assert details[0].text.startswith(BY_ID["cost"].answer_vi)
    assert "Căn cứ: QĐ 26/2026/QĐ-TTg" in details[0].text
    who = await say(dispatcher, "ai chấm điểm")
    assert "Bộ Nông nghiệp và Môi trường" in who[0].text and "Điều 4.1" in who[0].text
    assert "faq:list" in actions(who) and "m:menu" in actions(who)
    bands = await say(dispatcher, "bao nhieu diem thi duoc 4 sao")
    assert "từ 70 đến dưới 90" in bands[0].text and actions(bands)[0] == "as:start"


async def test_own_product_questions_lead_into_the_self_assessment_then_the_last_result(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "producer", "vi")
    first = await say(dispatcher, "sản phẩm 4 sao cần gì")
    assert "tự đánh giá" in first[0].text
    assert actions(first)[0] == "as:start"
    # The rules about stars, for reading later.
    assert {"faq:e:star_thresholds", "faq:e:mandatory_criteria"} <= set(actions(first))
    assert not [a for a in actions(first) if a.startswith("as:res:")]
    # The button is the assessment's own entry: it answers, it is not a stale button.
    entered = await say(dispatcher, action="as:start")
    assert not entered[0].text.startswith("Nút này đã cũ")
    await say(dispatcher, "/menu")
    # A product named in the question goes straight to its set.
    named = await say(dispatcher, "mat ong nha toi du 4 sao chua")
    assert actions(named)[0] == "as:set:26-mat-ong-mat-khac"
    await say(dispatcher, "/menu")
    # "của tôi" names no product: not "củ" (root vegetables) nor "tỏi" (garlic), nor "kết
    # quả" "quả" (fruit), as the fuzzy product search read them.
    for mine in ("diem cua toi", "ket qua cua em the nao", "tieu chuan san pham cua toi"):
        offered = await say(dispatcher, mine)
        assert "as:start" in actions(offered), mine
        assert not [a for a in actions(offered) if a.startswith("as:set:")], mine
        await say(dispatcher, "/menu")

    user_id = await dispatcher.db.run(
        partial(repo.find_user, platform="console", external_id="u1")
    )
    assert user_id is not None
    for statement in (
        partial(
            repo.start_assessment,
            assessment_id="a1",
            user_id=user_id,
            sheet_key="26-mat-ong#1",
            set_code="26-mat-ong",
            product_name="Mật ong",
            now=utcnow(),
        ),
        partial(
            repo.finish_assessment,
            assessment_id="a1",
            user_id=user_id,
            answers={},
            total=61,
            stars=3,
            parts={"A": 30, "B": 15, "C": 16},
            now=utcnow(),
        ),
    ):
        await dispatcher.db.run(statement)
    # With a result, the question is about it: the result itself (here, its sheet being a
    # made-up key, the list of results that leads to it), not the lead into a new one.
    again = await say(dispatcher, "sản phẩm của tôi được mấy sao")
    assert actions(again)[0] == "as:res:a1"


async def test_points_a_product_scored_get_their_band_not_the_self_assessment(
    dispatcher: Dispatcher,
) -> None:
    """A producer who states the points ("được 68 điểm thì mấy sao") is told the band they fall
    in (QĐ 26/2026 Điều 3.3) above the bands, within the short first reply; an exam's points
    stay declined."""
    await onboard(dispatcher, "producer", "vi")
    fish_sauce = await say(dispatcher, "sp nuoc mam cua e dc 68 diem thi dc may sao")
    assert fish_sauce[0].text.startswith("Với 68 điểm: hạng 3 sao")
    assert "từ 50 đến dưới 70" in fish_sauce[0].text
    tea = await say(dispatcher, "trà của em tự chấm được 77,5 điểm thì đạt hạng nào")
    assert tea[0].text.startswith("Với 77.5 điểm: hạng 4 sao")
    low = await say(dispatcher, "e dc 30 diem thi la 2 sao a")
    assert low[0].text.startswith("Với 30 điểm: hạng 2 sao")
    exam = await say(dispatcher, "được 8 điểm IELTS thì sao")
    assert "Với 8 điểm" not in exam[0].text and "hạng" not in exam[0].text
    await onboard(dispatcher, "producer", "en", user="u2")
    honey = await say(dispatcher, "my honey got 91 points, how many stars", user="u2")
    assert honey[0].text.startswith("With 91 points: the 5-star band")
    for first in (fish_sauce, tea, low, honey):  # the short answer, its details a button away
        assert len(first[0].text) <= SHORT and "faq:d:star_thresholds" in actions(first)


async def test_a_product_that_fell_short_is_told_it_may_apply_again_not_the_renewal(
    dispatcher: Dispatcher,
) -> None:
    """The question "chưa đạt 3 sao thì có được đánh giá lại không" got the re-evaluation of an
    expiring certificate (Điều 7.6), which is for certified products."""
    await onboard(dispatcher, "producer", "vi")
    retry = await say(dispatcher, "sp cua e bi truot ocop roi, nam sau nop lai dc ko")
    assert "không quy định" in retry[0].text and "Điều 4.1.a" in retry[0].text
    assert "as:start" in actions(retry)
    renewal = await say(dispatcher, "giay chung nhan sap het han thi danh gia lai the nao")
    assert "không sớm hơn 180 ngày" in renewal[0].text


async def test_an_unanswered_ocop_question_is_declined_with_what_the_bot_can_do(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "producer", "vi")
    declined = await say(dispatcher, "OCOP có hỗ trợ vay vốn không")
    assert declined[0].text.startswith("Em chưa có câu trả lời chắc chắn")
    assert actions(declined) == ["faq:list", "ho:start", "as:start", "m:menu"]  # a person
    officer = await say(dispatcher, action="faq:officer")  # the office contact (older buttons)
    text = officer[0].text
    assert "UBND xã/phường" in text and "của Hà Nội" in text  # the producer's province
    assert not re.search(r"\d{3}[ .]?\d{3}[ .]?\d{3}", text)  # no invented phone number
    assert "faq:list" in actions(officer) and "m:menu" in actions(officer)


async def test_small_talk_is_left_to_the_rest_of_the_bot(dispatcher: Dispatcher) -> None:
    await onboard(dispatcher, "producer", "vi")
    replies = await say(dispatcher, "thời tiết hôm nay thế nào")
    assert not replies[0].text.startswith("Em chưa có câu trả lời chắc chắn")
    assert "ho:start" not in actions(replies)


async def test_a_producers_question_about_nothing_the_bot_does_is_declined_with_what_it_does(
    dispatcher: Dispatcher,
) -> None:
    """Off-topic for a producer ("what's the weather", "who won the football"): the reason when
    known, then what the bot does for a producer, with the self-assessment and the FAQ; never
    the visitors' places-only offer."""
    await onboard(dispatcher, "producer", "en")
    for text in ("what's the weather", "who won the football", "how do I fix my motorbike"):
        replies = await say(dispatcher, text)
        shown = "\n".join(r.text or "" for r in replies)
        assert "I can help you self-assess your product" in shown, text
        assert "I can find craft villages" not in shown, text
        assert {"as:start", "faq:list"} <= set(actions(replies)), text
    weather = await say(dispatcher, "what's the weather")
    assert weather[0].text.startswith("I have no weather information.")
    assert "ho:start" not in actions(weather)  # nothing for an officer to answer


async def test_english_producer_gets_english_answers_titles_and_offers(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "producer", "en")
    answer = await say(dispatcher, "how long is the certificate valid")
    assert "36 months" in answer[0].text and "Art. 7.6.a" in answer[0].text
    assert "Điều" not in answer[0].text
    assert labels(answer)[:2] == ["📜 My certificates", "📖 Details and legal basis"]
    details = await say(dispatcher, action="faq:d:validity")
    assert "Legal basis: QĐ 26/2026/QĐ-TTg (22/5/2026), Art. 4.3" in details[0].text
    assert "/chungnhan" in details[0].text  # the producer's note comes with the details
    assert "faq:d:validity" not in actions(details) and "m:menu" in actions(details)
    topics = await say(dispatcher, action="faq:list")
    titles = labels(topics)
    producer = [e for e in entries() if e.audience in ("producer", "all")]
    assert titles[: len(producer)] == [e.title_en for e in producer]
    assert topics[0].text == "Type your question or pick a topic:"
    own = await say(dispatcher, "what does my honey need for 4 stars")
    assert own[0].text.startswith("To see how many stars your product would get")
    declined = await say(dispatcher, "does OCOP give loans")
    assert declined[0].text.startswith("I don't have a reliable answer")
    assert "🙋 Ask an OCOP officer" in labels(declined)
    officer = await say(dispatcher, action="faq:officer")
    assert "provincial OCOP office of Hà Nội" in officer[0].text


async def test_visitors_reach_what_is_ocop_and_their_topics_only(dispatcher: Dispatcher) -> None:
    await onboard(dispatcher, "tourist", "en", user="t1")
    answer = await say(dispatcher, "what is OCOP", user="t1")
    assert answer[0].text.startswith("<b>OCOP</b> is the One Commune One Product programme")
    menu = await say(dispatcher, "/menu", user="t1")
    assert "faq:list" in actions(menu)  # the visitors' menu opens the topics too
    topics = await say(dispatcher, action="faq:list", user="t1")
    shown = [a.removeprefix("faq:e:") for a in actions(topics) if a.startswith("faq:e:")]
    assert shown[0] == "what_is_ocop"
    assert set(shown) == {e.id for e in entries() if e.audience in ("tourist", "all")}
    # An answer that talks about a feature offers it.
    shops = await say(dispatcher, "where can I buy OCOP products", user="t1")
    assert actions(shops)[0] == "tp:start"
    # A visitor's "my product" is not led into the producers' self-assessment.
    own = await say(dispatcher, "how many stars would my product get", user="t1")
    assert "as:start" not in actions(own)


async def test_asking_what_to_fix_before_any_result_offers_the_self_assessment(
    dispatcher: Dispatcher,
) -> None:
    """Asked with no result yet ("cần sửa gì"), it was "not understood" and the menu."""
    await onboard(dispatcher, "producer", "vi")
    for typed in ("can sua gi", "muon len 3 sao thi can sua gi"):
        offer = await say(dispatcher, typed)
        assert offer[0].text.startswith("Để biết sản phẩm của anh/chị được mấy sao"), typed
        assert actions(offer)[0] == "as:start"
        assert "faq:e:star_thresholds" in actions(offer)
    await onboard(dispatcher, "producer", "en", user="u2")
    offer = await say(dispatcher, "what should I fix", user="u2")
    assert offer[0].text.startswith("To see how many stars your product would get")
    assert actions(offer)[0] == "as:start"


async def test_the_first_answer_fits_a_cheap_phone_and_the_details_are_a_tap_away(
    dispatcher: Dispatcher,
) -> None:
    """Answers were about 800 characters: a cheap phone's screen and more."""
    await onboard(dispatcher, "producer", "vi")
    await onboard(dispatcher, "tourist", "en", user="t1")
    for user, audience, lang in (("u1", "producer", "vi"), ("t1", "tourist", "en")):
        for entry in [e for e in entries() if e.serves(audience)]:
            first = await say(dispatcher, action=f"faq:e:{entry.id}", user=user)
            assert len(first[0].text) <= SHORT, entry.id
            assert re.search(r"Điều \d" if lang == "vi" else r"Art(?:\.|icles?) \d", first[0].text)
            assert f"faq:d:{entry.id}" in actions(first)
            details = await say(dispatcher, action=f"faq:d:{entry.id}", user=user)
            assert details[0].text.startswith(entry.answer(lang)), entry.id


async def test_the_points_a_star_needs_asked_with_no_result_are_the_star_bands(
    dispatcher: Dispatcher,
) -> None:
    """Asked in the first person with no result yet, it was the lead into the self-assessment
    (or the upgrading, or what is new in 2026); the bands come first now, the self-assessment a
    button under them. "cần sửa gì" stays the lead (tested above)."""
    bands = BY_ID["star_thresholds"]
    await onboard(dispatcher, "producer", "vi")
    for typed in ("em cần bao nhiêu điểm thì được 4 sao", "toi can bao nhieu diem de len 5 sao"):
        replies = await say(dispatcher, typed)
        assert replies[0].text.startswith(bands.short("vi")), typed
        assert "as:start" in actions(replies) and "faq:d:star_thresholds" in actions(replies)
    await onboard(dispatcher, "producer", "en", user="u2")
    replies = await say(dispatcher, "How many points do I need for 4 stars?", user="u2")
    assert replies[0].text.startswith(bands.short("en"))
    assert "as:start" in actions(replies)


async def test_a_narrower_question_gets_its_fact_with_the_short_answer(
    dispatcher: Dispatcher,
) -> None:
    """Filing late (Điều 12.3) was only in the details: the short answer gave the window."""
    renewal = BY_ID["rerecognition"]
    await onboard(dispatcher, "producer", "vi")
    late = await say(dispatcher, "nop ho so danh gia lai tre thi sao")
    assert late[0].text.startswith(renewal.short("vi")) and "Điều 12.3" in late[0].text
    assert "faq:d:rerecognition" in actions(late)
    window = await say(dispatcher, "đánh giá lại thì nộp hồ sơ trước bao nhiêu ngày")
    assert window[0].text == renewal.short("vi")


async def test_a_narrower_question_opens_with_its_own_answer_above_the_entry(
    dispatcher: Dispatcher,
) -> None:
    """A month named asks which round (Điều 5.1), a product named which set (Phụ lục I), a
    criterion named its points (Phụ lục II), who revokes (Điều 8.2): each was given the nearby
    general answer (who evaluates, the 6 sectors, a decline, the grounds of Điều 8.1). Its own
    answer comes first, the entry's short one with it only when both fit the screen."""
    await onboard(dispatcher, "producer", "vi")
    late = await say(dispatcher, "ho so xa gui thang 12 thi bao gio cham")
    assert "đợt 1 năm sau" in late[0].text and "faq:d:evaluation_rounds" in actions(late)
    may = await say(dispatcher, "xa de nghi thang 5 thi dot nao")
    assert "<b>đợt 2</b>" in may[0].text.split("\n")[0]
    honey = await say(dispatcher, "mat ong cham theo bo nao")
    assert "Mật ong, mật khác" in honey[0].text.split("\n")[0]
    general = await say(dispatcher, "ocop co may bo san pham")
    assert general[0].text == BY_ID["product_groups"].short("vi")
    points = await say(dispatcher, "so huu tri tue duoc may diem")
    assert "tiêu chí 3.5 “Sở hữu trí tuệ” được tối đa <b>3</b> điểm" in points[0].text
    for first in (late, may, honey, points):  # within a phone's screen, the entry a tap away
        assert len(first[0].text) <= SHORT and any(a.startswith("faq:d:") for a in actions(first))
    who = await say(dispatcher, "ai thu hoi giay chung nhan 5 sao")
    assert "Điều 8.2" in who[0].text and len(who[0].text) <= SHORT
    await onboard(dispatcher, "producer", "en", user="u2")
    november = await say(dispatcher, "dossier forwarded in November, when is it scored", user="u2")
    assert "round 1 of the next year" in november[0].text


async def test_another_offices_procedure_is_declined_and_ocops_own_answered(
    dispatcher: Dispatcher,
) -> None:
    """Food-safety self-declaration ("tự công bố") got the OCOP dossier; OCOP's stays."""
    await onboard(dispatcher, "producer", "vi")
    other = await say(dispatcher, "thu tuc tu cong bo chat luong nop o dau")
    assert other[0].text.startswith("Em chưa có câu trả lời chắc chắn")
    own = await say(dispatcher, "thu tuc dang ky ocop nop o dau")
    assert own[0].text.startswith(BY_ID["dossier"].short("vi"))


async def test_the_ministrys_five_star_rounds_open_with_article_5_2(
    dispatcher: Dispatcher,
) -> None:
    """ "bộ chấm 5 sao đợt nào" got who certifies or the 90-point route, without the dates."""
    await onboard(dispatcher, "producer", "vi")
    rounds = await say(dispatcher, "5 sao bo danh gia dot nao, tinh gui truoc ngay nao")
    first = rounds[0].text
    assert "Điều 5.2" in first and "30/9" in first and "30/7" in first and "30/01" in first
    assert len(first) <= SHORT and "faq:d:evaluation_rounds" in actions(rounds)
    await onboard(dispatcher, "producer", "en", user="u2")
    en = await say(dispatcher, "When does the Ministry score 5-star products?", user="u2")
    assert "Art. 5.2" in en[0].text and "before 30/7" in en[0].text
