"""Visitors: OCOP community-tourism sites, craft villages and showrooms near a shared location or
a named place, their details (sent as a venue the phone's map opens), and free questions, read
by `knowledge.place_query` and answered honestly when nothing fits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from html import escape

from bot.actions import Action
from bot.context import Context, FlowData
from bot.conversation import Conversation
from bot.i18n import N_
from bot.messages import Button, Incoming, Reply
from db.privacy import location_expired
from handlers import actions as do
from handlers import faq
from handlers.ask_officer import ask_officer_button
from handlers.learning import record_unanswered
from handlers.menu import (
    menu_button,
    producer_can_do,
    product_offer,
    small_talk_replies,
    stale_button,
)
from handlers.place_views import (
    SAME_AREA_KM,
    details,
    direction,
    english,
    kind_label,
    list_line,
    near_line,
    place_name,
    spot_label,
)
from knowledge.gazetteer import (
    Spot,
    names_a_place,
    outside_vietnam,
    place_mentions,
    quick_picks,
    town_by_id,
)
from knowledge.place_query import TOWN_KM, Answer, asked_of_a_place, asks_more, stars_counted
from knowledge.places import (
    Nearby,
    Place,
    bearing_deg,
    by_short_key,
    haversine_km,
    nearby,
    short_key,
)
from knowledge.regions import by_code
from knowledge.text import fold

FLOW = "tour"


class Step(StrEnum):
    WHERE = "where"
    NEAR = "near"
    """A location was shared: "what's nearby?" means near it."""


@dataclass(slots=True)
class Visit(FlowData):
    """The last position the user shared, while it may be kept (`db.privacy.LOCATION_KEYS`)."""

    here: list[float] | None = None
    """Latitude and longitude."""
    here_at: str | None = None
    """When it was shared (ISO 8601)."""
    more: str | None = None
    """The action of the next page of the last list shown: what "xem thêm" typed means."""
    asked: str | None = None
    """The typed question whose list that is (`MoreFound` reads it again)."""
    seen: str | None = None
    """The short key of the place whose card was shown last: what "how do I get there?" is
    asked of (`about_seen`)."""


RADIUS_KM = TOWN_KM
PAGE = 5
_SPECIFIC = 2
"""A place search naming at most this many places answers before the FAQ's general answers."""
KIND_CODES = {
    "cv": "craft_village",
    "ct": "community_tourism",
    "et": "eco_tourism",
    "hv": "heritage_village",
    "os": "ocop_showroom",
}
_CODE_OF_KIND = {kind: code for code, kind in KIND_CODES.items()}
_FILTER_LABELS = {
    "cv": N_("tp.short.craft_village"),
    "ct": N_("tp.short.community_tourism"),
    "et": N_("tp.short.eco_tourism"),
    "hv": N_("tp.short.heritage_village"),
    "os": N_("tp.short.ocop_showroom"),
}
_CANNOT = {
    "abroad": N_("tp.cannot.abroad"),
    "booking": N_("tp.cannot.booking"),
    "weather": N_("tp.cannot.weather"),
    "transport": N_("tp.cannot.transport"),
    "money": N_("tp.cannot.money"),
    "price": N_("tp.cannot.price"),
    "food": N_("tp.cannot.food"),
    "practical": N_("tp.cannot.practical"),
    "opened": N_("tp.cannot.opened"),
    "distance": N_("tp.cannot.distance"),
}


async def start(ctx: Context, msg: Incoming) -> list[Reply]:
    """Ask for the user's location (a button on Telegram) or a place name."""
    return _ask(ctx)


def _ask(ctx: Context) -> list[Reply]:
    kept = _visit(ctx)
    ctx.state.go(FLOW, Step.WHERE, Visit(here=kept.here, here_at=kept.here_at))
    picks = [Button(spot_label(ctx, t.spot), do.NearTown(t.id).encode()) for t in quick_picks()]
    rows = [tuple(picks[i : i + 3]) for i in range(0, len(picks), 3)]
    return [
        Reply(
            text=ctx.t("tp.ask_where")
            + "\n"
            + ctx.t("privacy.location_note", minutes=ctx.settings.LOCATION_RETENTION_MINUTES),
            buttons=((Button(ctx.t("tp.share_location"), request_location=True),),),
        ),
        Reply(text=ctx.t("tp.or_choose"), buttons=(*rows, (menu_button(ctx.t),))),
    ]


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask for a place."""
    return _ask(ctx)


async def on_location(ctx: Context, msg: Incoming) -> list[Reply]:
    """A shared location, at any moment: what is near it. Outside a flow (or in this one), and
    only with the user's consent, it is kept for an hour, so "what's nearby?" afterwards means
    near it; another flow is left as it was."""
    assert msg.location is not None
    point = msg.location
    if outside_vietnam(point.lat, point.lon):
        return [Reply(text=ctx.t("tp.outside"), buttons=((menu_button(ctx.t),),))]
    if ctx.state.flow in ("", FLOW) and ctx.user.consent_given:  # then dropped (bot.retention)
        here = Visit(here=[round(point.lat, 5), round(point.lon, 5)], here_at=ctx.now.isoformat())
        ctx.state.go(FLOW, Step.NEAR, here)
    return _near_replies(ctx, point.lat, point.lon, ctx.t("tp.your_location"), kind=None, offset=0)


def _near_replies(
    ctx: Context, lat: float, lon: float, label: str, *, kind: str | None, offset: int
) -> list[Reply]:
    found = nearby(lat, lon, limit=PAGE + 1, radius_km=RADIUS_KM, kind=kind, offset=offset)
    text_lines: list[str] = []
    if not found and offset == 0:
        found = nearby(lat, lon, limit=PAGE + 1, kind=kind)
        text_lines.append(ctx.t("tp.none_within", km=int(RADIUS_KM), place=label))
        if not found:
            return [Reply(text=ctx.t("tp.no_places"), buttons=((menu_button(ctx.t),),))]
    elif not found:
        return [Reply(text=ctx.t("tp.no_more"), buttons=((menu_button(ctx.t),),))]
    more = len(found) > PAGE
    found = found[:PAGE]
    if not text_lines:
        text_lines.append(ctx.t("tp.near_title", place=label, km=int(RADIUS_KM)))
    for number, item in enumerate(found, offset + 1):
        text_lines.append(near_line(ctx, number, item))
    code = _CODE_OF_KIND.get(kind or "", "")
    rows: list[tuple[Button, ...]] = [_number_buttons([n.place for n in found], offset + 1)]
    filters = [
        Button(("• " if k == code else "") + ctx.t(label), do.PlacesNear(lat, lon, k).encode())
        for k, label in _FILTER_LABELS.items()
    ]
    every_kind = do.PlacesNear(lat, lon).encode()
    filters.append(Button(("• " if not code else "") + ctx.t("tp.all"), every_kind))
    rows += [tuple(filters[:3]), tuple(filters[3:])]
    nav = []
    following = do.PlacesNear(lat, lon, code, offset + PAGE).encode() if more else None
    _remember(ctx, more=following)
    if following is not None:
        nav.append(Button(ctx.t("tp.more"), following))
    nav.append(menu_button(ctx.t))
    rows.append(tuple(nav))
    return [Reply(text="\n".join(text_lines), buttons=tuple(rows))]


def _number_buttons(found: list[Place], first: int) -> tuple[Button, ...]:
    return tuple(
        Button(str(n), do.PlaceDetails(short_key(p)).encode()) for n, p in enumerate(found, first)
    )


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """Where to look, one place's details, a page of places near a point (of one kind), the
    places near a town of the quick picks."""
    match action:
        case do.AskWhere():
            return _ask(ctx)
        case do.PlaceDetails(key) if (place := by_short_key(key)) is not None:
            _remember(ctx, seen=key)
            return details(ctx, place)
        case do.PlacesNear(lat, lon, code, offset) if (
            not outside_vietnam(lat, lon) and (not code or code in KIND_CODES) and offset >= 0
        ):
            label = ctx.t("tp.this_area")
            return _near_replies(ctx, lat, lon, label, kind=KIND_CODES.get(code), offset=offset)
        case do.MoreFound(offset) if offset > 0 and (asked := _visit(ctx).asked) is not None:
            return _reply(ctx, _read(ctx, asked), asked[:60], offset=offset) or [_no_more(ctx)]
        case do.NearTown(town_id) if (town := town_by_id(town_id)) is not None:
            spot = town.spot
            return _near_replies(
                ctx, spot.lat, spot.lon, spot_label(ctx, spot), kind=None, offset=0
            )
    return await stale_button(ctx, msg)


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """A typed place or question while the user is in the visitors' flow (a question about the
    programme, "what is OCOP?", "mấy sao", goes to the FAQ here too; a producer's product, the
    self-assessment offer); what neither can answer is kept for the office to learn from. A
    producer's question that asks for no place goes to the FAQ before the place search, as at
    the menu ("sp ocop phải ghi nhãn thế nào" is the FAQ's to decline, not "no such place")."""
    producer = ctx.user.role != "tourist"
    found = (
        await more_text(ctx, msg)
        or small_talk_replies(ctx, msg.text)
        or await about_seen(ctx, msg)
        or (None if producer else await named_places(ctx, msg))
        or await faq.programme_answer(ctx, msg)
        or await _producer_text(ctx, msg)
        or (await faq.answer_text(ctx, msg) if producer else None)
        or await answer_text(ctx, msg)
        or (None if producer else await faq.answer_text(ctx, msg))
    )
    if found:
        return found
    if asks_more(msg.text):  # "xem thêm" with no list before it: more of what?
        return [Reply(text=ctx.t("tp.more_what")), *_ask(ctx)]
    record_unanswered(ctx, msg.text, "place")
    return [
        Reply(
            text=ctx.t("tp.not_found", said=msg.text.strip()[:60]),
            buttons=((ask_officer_button(ctx.t),),),
        ),
        *_ask(ctx),
    ]


async def more_text(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """The next page of the last list, asked for in words ("xem thêm", "còn nữa không", "show
    me more"), as its "More" button gives it; or that the list is over; None with no list."""
    if not asks_more(msg.text):
        return None
    visit = _visit(ctx)
    if visit.more is None:
        return None if visit.asked is None else [_no_more(ctx)]
    action = do.tourism.decode(visit.more)
    return None if action is None else await on_action(ctx, msg, action)


_SEEN_LEADS = {
    "route": N_("tp.seen_route"),
    "buy": N_("tp.seen_buy"),
    "price": N_("tp.cannot.price"),
}


async def about_seen(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A question asked of the place whose card was just shown, naming no place ("how do I get
    there?", "is it open on Sunday?", "what can I buy there", "ở đó mua được gì"): that card
    again, opened with what the bot knows of it or that it does not know; None otherwise."""
    place = by_short_key(_visit(ctx).seen or "")
    if place is None:
        return None
    asked = asked_of_a_place(msg.text)
    if names_a_place(msg.text):  # "đi từ Hà Nội đến đó bằng gì": how far from there
        return _route_from(ctx, msg.text, place) if asked == "route" else None
    answer = _read(ctx, msg.text)
    if answer.kind == "decline" and answer.reason in ("practical", "opened", "price"):
        asked = answer.reason
    elif answer.kind != "pass":
        asked = None
    if asked is None:
        return None
    if asked in ("practical", "opened"):  # as when the place is named with the question
        unknown = Answer("places", places=(place,), practical=asked == "practical")
        return _places_replies(ctx, replace(unknown, opened=asked == "opened"), "")
    key = _SEEN_LEADS[asked]
    if asked == "route" and place.visitor_facts(english(ctx))[2]:
        key = N_("tp.seen_route_known")
    *venue, card = details(ctx, place)
    lead = ctx.t(key, place=escape(place_name(ctx, place)))
    return [*venue, replace(card, text=lead + "\n" + card.text)]


def _route_from(ctx: Context, text: str, place: Place) -> list[Reply] | None:
    """The way to a place asked from a place named ("how do I get there from Hanoi"): how far
    it is in a straight line (no routes are known); None when the place named has no single
    point or the place none."""
    spots = [m.spots for m in place_mentions(fold(text).split()) if m.spots]
    if len(spots) != 1 or len(spots[0]) != 1 or place.lat is None or place.lon is None:
        return None
    origin, end = spots[0][0], Spot(place.name, place.name_en, place.lat, place.lon, "place", 0)
    km = haversine_km(origin.lat, origin.lon, place.lat, place.lon)
    return _distance(ctx, Answer("distance", places=(place,), origin=origin, target=end, km=km))


def _no_more(ctx: Context) -> Reply:
    return Reply(
        text=ctx.t("tp.no_more"),
        buttons=((Button(ctx.t("tp.search_again"), do.AskWhere().encode()), menu_button(ctx.t)),),
    )


async def _producer_text(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A producer in this flow is read as at the menu: places when they ask for places
    ("gần Hội An", "Bát Tràng"), else a product set they name ("mật ong", "honey") is their own
    product, offered for self-assessment out of this flow; None for a visitor or otherwise."""
    if ctx.user.role == "tourist":
        return None
    asked = await place_question(ctx, msg)
    if asked is not None:
        return asked
    offer = product_offer(ctx, msg.text, N_("stray.product"))
    if offer is None:
        return None
    ctx.state.clear()
    return [offer]


async def answer_text(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """Answer "gần Hội An", "villages near Sapa", "mua lụa ở đâu gần đây", "Hue craft village",
    "what's nearby?" (after sharing a location); None when it is not about places (the FAQ or
    the menu answers then)."""
    return _reply(ctx, _understood(ctx, msg), msg.text.strip()[:60])


async def visitor_text(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A visitor's typed question: a place named specifically, places in a town or province
    named ("Is there an OCOP shop in Hoi An?", "OCOP shop in Hanoi"), or around the location
    shared ("cửa hàng OCOP" after it), and how far apart two places are, are shown before the
    FAQ's general answers, which would not name them; then a confident
    FAQ answer ("what is OCOP?"); then the place search's own answer (a list, a decline)."""
    answer = _understood(ctx, msg)
    said = msg.text.strip()[:60]
    if answer.kind == "places" and (len(answer.places) <= _SPECIFIC or names_a_place(msg.text)):
        return _places_replies(ctx, answer, said)
    if answer.kind == "near" and answer.origin is not None and answer.origin.level == "here":
        return _answer_near(ctx, answer, said)  # around the location just shared
    if answer.kind == "distance":
        return _distance(ctx, answer)
    return await faq.answer_known(ctx, msg) or _reply(ctx, answer, said)


async def named_places(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A visitor's question naming a kind of place with a place or a count of stars ("tỉnh
    Quảng Ngãi có điểm du lịch OCOP nào", "OCOP 4 star tourism sites", "cửa hàng bán sp ocop ở
    hà nội", "ocop shop in bangkok"): the place search's list, or its honest decline (no place
    of that count, a place abroad), before the FAQ's general answer, which names none. None
    when it asks about the programme itself ("du lịch cộng đồng có được làm OCOP không") or
    names no place nor count."""
    reading = ctx.question(msg.text, ctx.audience)
    if not reading.places or reading.maker or not reading.programme <= _RATING_WORDS:
        return None
    answer = _read(ctx, msg.text)
    named = names_a_place(msg.text) or stars_counted(msg.text) is not None
    found = answer.kind == "places" or (answer.kind == "near" and bool(answer.nearby))
    declined = answer.kind == "decline" and (
        answer.reason == "abroad" or (named and answer.reason == "no_match")
    )
    if not (named and found or declined):
        return None
    return _reply(ctx, _understood(ctx, msg), msg.text.strip()[:60])


_RATING_WORDS = frozenset({"star", "five_star", "points"})
"""The programme's words a question for places may hold: the stars a place is rated ("4 sao",
"5 sao"), "điểm" (a spot, read as the programme's points too)."""


async def price_question(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A product's or a service's price, from any role ("nước mắm OCOP bán bao nhiêu tiền",
    "giá mật ong OCOP bn 1 lít", "how much is OCOP honey"): the bot has no prices, said as the
    place search says it, never the programme's fees nor the product's self-assessment. None
    for anything else ("lệ phí đánh giá OCOP" is the FAQ's)."""
    if not ctx.question(msg.text, ctx.audience).price:  # the same reading as the FAQ's
        return None
    return _decline(ctx, Answer("decline", reason="price"), msg.text.strip()[:60])


async def place_question(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A producer asking for places, as a visitor would ("du lịch cộng đồng Hà Giang", "làng
    nghề gần đây", "OCOP shop in Hanoi"): the place search, then the self-assessment of a
    product set the words also name (the producer may mean their own tourism service). None
    when the question asks for no place: the producer speaks of their own work ("tôi làm du
    lịch cộng đồng ở Hà Giang"), no kind of place, no "near", no place named with the places
    found (a product with its origin, "nước mắm Phú Quốc", is a product), words of the
    programme without a kind of place ("hồ sơ OCOP ở Hà Nội"), or
    a kind of place the search declines while the FAQ answers ("du lịch cộng đồng có được làm
    OCOP không")."""
    reading = ctx.question(msg.text, "producer")
    if reading.maker or reading.own_product or (reading.programme and not reading.places):
        return None  # "tự đánh giá du lịch cộng đồng" is their own service, not places
    answer = _understood(ctx, msg)
    offer = product_offer(ctx, msg.text, N_("stray.product_also"), menu=False)
    named = names_a_place(msg.text) and offer is None  # "nước mắm Phú Quốc" is a product
    asks = answer.kind in ("near", "distance", "need_location", "ask", "outside")
    asks = asks or (answer.kind == "places" and (bool(reading.places) or named))
    asks = asks or (answer.kind == "decline" and bool(reading.places) and not reading.matches)
    replies = _reply(ctx, answer, msg.text.strip()[:60]) if asks else None
    if replies is None:
        return None
    return replies if offer is None else [*replies, offer]


def _understood(ctx: Context, msg: Incoming) -> Answer:
    """The question read, with the location shared within the retention window; its list is
    what "xem thêm" goes on with."""
    answer = _read(ctx, msg.text)
    listed = answer.kind in ("places", "near")
    if listed:  # a new list: what follows is about it, not the card before
        _remember(ctx, more=None, asked=msg.text.strip(), seen=None)
    else:
        _remember(ctx, more=None, asked=None)
    return answer


def _read(ctx: Context, text: str) -> Answer:
    """`text` read with the location shared within the retention window (an older one is
    dropped here); when nothing matches, read again without the programme's words."""
    visit = _visit(ctx)
    kept_since = ctx.now - timedelta(minutes=ctx.settings.LOCATION_RETENTION_MINUTES)
    if visit.here is not None and location_expired(visit.dump(), kept_since):
        visit.here = visit.here_at = None
        ctx.state.go(ctx.state.flow, ctx.state.step, visit)
    here = (visit.here[0], visit.here[1]) if visit.here and len(visit.here) == 2 else None
    return ctx.place_search(text, here)


def _visit(ctx: Context) -> Visit:
    """The visitor's state: in this flow, or kept at the menu (`menu.show_menu`)."""
    return ctx.state.load(Visit) if ctx.state.flow in ("", FLOW) else Visit()


def _remember(ctx: Context, **kept: str | None) -> None:
    """Keep what "xem thêm" typed next means: `more`, the next page's action; `asked`, the
    question whose list it is."""
    if ctx.state.flow not in ("", FLOW):
        return
    visit = ctx.state.load(Visit)
    if any(getattr(visit, name) != value for name, value in kept.items()):
        for name, value in kept.items():
            setattr(visit, name, value)
        ctx.state.go(ctx.state.flow, ctx.state.step, visit)


def _reply(ctx: Context, answer: Answer, said: str, offset: int = 0) -> list[Reply] | None:
    """The replies to an answer; a list from its `offset`-th place (a later page)."""
    match answer.kind:
        case "pass":
            return None
        case "places":
            return _places_replies(ctx, answer, said, offset)
        case "near":
            return _answer_near(ctx, answer, said, offset)
        case "need_location":
            key = N_("tp.need_location")
            if answer.reason == "distance":
                key = N_("tp.need_location_distance")
            return [Reply(text=ctx.t(key)), *_ask(ctx)]
        case "distance":
            return _distance(ctx, answer)
        case "outside":
            return [Reply(text=ctx.t("tp.outside"), buttons=((menu_button(ctx.t),),))]
        case "ask" if answer.scope is not None and not answer.scope.bounds_known:
            return _which_part(ctx, answer)
        case "ask":
            return _which(ctx, answer)
    return _decline(ctx, answer, said)


def _places_replies(ctx: Context, answer: Answer, said: str, offset: int = 0) -> list[Reply]:
    """The place named (its card) or a page of those found; opened with what is not known when
    hours or a phone were asked of them ("Bát Tràng mở cửa mấy giờ")."""
    found = list(answer.places)
    unknown = [ctx.t("tp.practical")] if answer.practical and not offset else []
    if answer.opened and not offset:
        unknown += _opened_lines(ctx, found[:PAGE])
    if len(found) == 1 and not offset:
        _remember(ctx, seen=short_key(found[0]))
        *venue, card = details(ctx, found[0])
        return [*venue, replace(card, text="\n".join([*unknown, card.text]))]
    shown = found[offset : offset + PAGE]
    if not shown:
        _remember(ctx, more=None)
        return [_no_more(ctx)]
    lines = [*unknown, _found_title(ctx, answer, said)]
    lines += [list_line(ctx, n, p) for n, p in enumerate(shown, offset + 1)]
    rows = tuple(
        (Button(place_name(ctx, p)[:60], do.PlaceDetails(short_key(p)).encode()),) for p in shown
    )
    return [Reply(text="\n".join(lines), buttons=(*rows, _pages(ctx, len(found), offset)))]


def _opened_lines(ctx: Context, places: list[Place]) -> list[str]:
    """Since when the places are open, where their source says; else that it is not known."""
    if len(places) == 1 and places[0].opened_on():  # its card follows, with its name
        return [ctx.t("tp.opened_here", date=places[0].opened_on())]
    lines = [
        ctx.t("tp.opened_on", place=place_name(ctx, p), date=p.opened_on())
        for p in places
        if p.opened_on()
    ]
    return lines or [ctx.t("tp.opened_unknown")]


def _found_title(ctx: Context, answer: Answer, said: str) -> str:
    """A list's heading: the area (and the kind of place) the question named ("làng nghề ở Hà
    Nội"), not the words typed with it ("… nao dep ko"); what was typed when a topic or a
    name was searched."""
    scope = answer.scope
    merged = _merged_into(ctx, answer)
    if scope is None or answer.topic:
        return merged + ctx.t("tp.found", said=said)
    where = scope.label_en if ctx.locale == "en" else scope.label
    if not answer.place_kind:
        return merged + ctx.t("tp.found_in", where=where)
    kind = kind_label(ctx, answer.place_kind)
    return merged + ctx.t("tp.found_kind_in", kind=kind[:1].upper() + kind[1:], where=where)


def _merged_into(ctx: Context, answer: Answer) -> str:
    """The line that opens a list of a former province's places with its 2025 merger ("Tỉnh
    Bến Tre nay thuộc Vĩnh Long", `provinces_2025.json`); "" for any other area."""
    scope = answer.scope
    if scope is None or scope.province_code is None or not scope.bounds_known:
        return ""
    province = by_code(scope.province_code)
    if province is None or fold(scope.label) not in scope.old_provinces:
        return ""
    if fold(province.name) == fold(scope.label):
        return ""
    merged = ctx.t("start.province_merged", old=scope.label, new=province.name)
    return merged + "\n"


def _pages(ctx: Context, total: int, offset: int) -> tuple[Button, ...]:
    """The "More" button when the list goes on past this page (kept for "xem thêm" typed), and
    the menu's."""
    if offset + PAGE >= total:
        _remember(ctx, more=None)
        return (menu_button(ctx.t),)
    following = do.MoreFound(offset + PAGE).encode()
    _remember(ctx, more=following)
    return (Button(ctx.t("tp.more"), following), menu_button(ctx.t))


def _answer_near(ctx: Context, answer: Answer, said: str, offset: int = 0) -> list[Reply]:
    origin = answer.origin
    assert origin is not None
    label = _origin_label(ctx, origin)
    if not answer.topic and not answer.place_kind:
        return _near_replies(ctx, origin.lat, origin.lon, label, kind=None, offset=offset)
    at = answer.unplaced_at
    listed: list[Nearby | Place] = [*answer.nearby[:at], *answer.unplaced, *answer.nearby[at:]]
    shown = listed[offset : offset + PAGE]
    if not shown:
        _remember(ctx, more=None)
        return [_no_more(ctx)]
    if answer.nearby[0].km > RADIUS_KM:  # nothing near: said so, never shown as if it were
        asked = (
            kind_label(ctx, answer.place_kind) if answer.place_kind and not answer.topic else said
        )
        title = ctx.t("tp.none_within_topic", km=int(RADIUS_KM), place=label, topic=asked)
    elif answer.place_kind and not answer.topic:
        kind = kind_label(ctx, answer.place_kind)
        title = ctx.t("tp.kind_near_title", kind=kind[:1].upper() + kind[1:], place=label)
    else:
        title = ctx.t("tp.topic_near_title", topic=said, place=label)
    lines = [title, *_near_lines(ctx, shown, offset + 1)]
    pages = _pages(ctx, len(listed), offset)
    places = [n if isinstance(n, Place) else n.place for n in shown]
    rows = (_number_buttons(places, offset + 1), pages)
    return [Reply(text="\n".join(lines), buttons=rows)]


def _origin_label(ctx: Context, origin: Spot) -> str:
    """Where a list is measured from: the place's name, or "your location" for a shared one
    (whose spot has no name: a decline once read "other places near  (…)")."""
    return ctx.t("tp.your_location") if origin.level == "here" else spot_label(ctx, origin)


def _near_lines(ctx: Context, found: Sequence[Nearby | Place], first: int = 1) -> list[str]:
    """The lines of a list nearest first, numbered from `first`, with "farther than
    RADIUS_KM" said where the places beyond it begin after nearer ones; a place without a
    point (`Answer.unplaced`) by its province."""
    lines = []
    last_km: float | None = None
    for number, item in enumerate(found, first):
        if isinstance(item, Place):
            lines.append(list_line(ctx, number, item))
            continue
        if last_km is not None and item.km > RADIUS_KM >= last_km:
            lines.append(ctx.t("tp.farther", km=int(RADIUS_KM)))
        last_km = item.km
        lines.append(near_line(ctx, number, item))
    return lines


def _distance(ctx: Context, answer: Answer) -> list[Reply]:
    """How far one place is from another (or from the location shared), in a straight line,
    with the place's card and what is around it a button away."""
    origin, target = answer.origin, answer.target
    assert origin is not None and target is not None
    start = _origin_label(ctx, origin)
    end = place_name(ctx, answer.places[0]) if answer.places else spot_label(ctx, target)
    if answer.km < SAME_AREA_KM:
        lines = [ctx.t("tp.distance_same", start=start, end=end)]
    else:
        bearing = bearing_deg(origin.lat, origin.lon, target.lat, target.lon)
        km = f"{answer.km:.0f}" if answer.km >= 10 else f"{answer.km:.1f}"
        lines = [
            ctx.t("tp.distance", start=start, end=end, km=km, direction=direction(ctx, bearing))
        ]
    if any(p.precision == "commune_2025" for p in answer.places):
        lines.append(ctx.t("tp.precision_commune"))
    rows = [
        (Button(place_name(ctx, p)[:60], do.PlaceDetails(short_key(p)).encode()),)
        for p in answer.places
    ]
    rows.append((Button(ctx.t("tp.near_this"), do.PlacesNear(target.lat, target.lon).encode()),))
    rows.append((menu_button(ctx.t),))
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


def _which(ctx: Context, answer: Answer) -> list[Reply]:
    rows = tuple(
        (Button(spot_label(ctx, s)[:60], do.PlacesNear(s.lat, s.lon).encode()),)
        for s in answer.options[:6]
    )
    return [Reply(text=ctx.t("tp.ask_which"), buttons=(*rows, (menu_button(ctx.t),)))]


def _which_part(ctx: Context, answer: Answer) -> list[Reply]:
    """A province merged in before 2025 whose bounds the data lacks ("làng nghề Hà Tây"): said
    so, the places of its 2025 province about the topic offered as such, and where to look."""
    scope = answer.scope
    assert scope is not None and scope.province_code is not None
    province = by_code(scope.province_code)
    now = province.name if province else ""
    lines = [ctx.t("tp.which_part", old=scope.label, now=now)]
    shown = list(answer.places[:PAGE])
    if shown:
        lines.append(ctx.t("tp.which_part_inside", old=scope.label, now=now))
        lines += [list_line(ctx, n, p) for n, p in enumerate(shown, 1)]
    rows: list[tuple[Button, ...]] = [_number_buttons(shown, 1)] if shown else []
    rows.append((Button(ctx.t("tp.search_again"), do.AskWhere().encode()), menu_button(ctx.t)))
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


def _decline(ctx: Context, answer: Answer, said: str) -> list[Reply]:
    """No such place (or something the bot does not do): said plainly, with what it can do (for
    a producer, the self-assessment and the FAQ too) and, clearly as *other* places, what there
    is around the place asked about."""
    lines = [ctx.t(_CANNOT[answer.reason]) if answer.reason in _CANNOT else ""]
    if answer.reason not in _CANNOT:
        key = N_("tp.unknown_place") if answer.reason == "unknown_place" else N_("tp.no_such")
        lines = [ctx.t(key, said=said)]
    rows: list[tuple[Button, ...]] = []
    if answer.others and answer.origin is not None:
        place = (
            (answer.scope.label_en if english(ctx) else answer.scope.label)
            if answer.scope
            else _origin_label(ctx, answer.origin)
        )
        if answer.others_inside:  # no distance from a province's middle (Kon Kơ Tu "38.8 km")
            lines.append(ctx.t("tp.others_in", place=place))
            lines += [list_line(ctx, n, o.place) for n, o in enumerate(answer.others, 1)]
        else:
            far = answer.others[0].km > RADIUS_KM
            key = N_("tp.others_far") if far else N_("tp.others_near")
            lines.append(ctx.t(key, place=place, km=int(RADIUS_KM)))
            lines += _near_lines(ctx, list(answer.others))
        rows.append(_number_buttons([n.place for n in answer.others], 1))
    elif answer.options:
        lines.append(ctx.t("tp.others_where"))
        rows += [
            (Button(spot_label(ctx, s)[:60], do.PlacesNear(s.lat, s.lon).encode()),)
            for s in answer.options[:5]
        ]
    if ctx.user.role == "producer":  # "what's the weather": what the bot does for them
        can_do, offers = producer_can_do(ctx)
        lines.append(can_do)
        rows += offers
    else:
        lines.append(ctx.t("tp.can_do"))
    rows.append((Button(ctx.t("tp.search_again"), do.AskWhere().encode()), menu_button(ctx.t)))
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


CONVERSATION = Conversation(
    name="tourism",
    actions=do.tourism,
    on_action=on_action,
    flow=FLOW,
    on_text=on_text,
    questions=True,
    prompt=prompt,
)
