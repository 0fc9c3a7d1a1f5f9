"""Visitors: OCOP community-tourism sites, craft villages and showrooms near a shared location or
a named place, their details (sent as a venue the phone's map opens), and free questions, read
by `knowledge.place_query` and answered honestly when nothing fits."""

from __future__ import annotations

from datetime import timedelta

from bot.context import Context
from bot.i18n import N_
from bot.markup import escape
from bot.messages import Button, GeoPoint, Incoming, Reply, Venue
from db.privacy import LOCATION_KEYS, location_expired
from handlers import faq
from handlers.ask_officer import ask_officer_button
from handlers.learning import record_unanswered
from handlers.menu import menu_button, stale_button
from knowledge.gazetteer import Spot, outside_vietnam, quick_picks, town_by_id
from knowledge.place_query import TOWN_KM, Answer, understand
from knowledge.places import Nearby, Place, by_short_key, nearby, short_key

PREFIX = "tp"
FLOW = "tour"
RADIUS_KM = TOWN_KM
PAGE = 5
_SPECIFIC = 2
"""A place search naming at most this many places answers before the FAQ's general answers."""
SAME_AREA_KM = 0.3
"""Places closer than this to the point share its area: no distance or direction is shown."""
KIND_CODES = {
    "cv": "craft_village",
    "ct": "community_tourism",
    "et": "eco_tourism",
    "hv": "heritage_village",
    "os": "ocop_showroom",
}
_CODE_OF_KIND = {kind: code for code, kind in KIND_CODES.items()}
KIND_LABELS = {
    "craft_village": N_("tp.kind.craft_village"),
    "community_tourism": N_("tp.kind.community_tourism"),
    "eco_tourism": N_("tp.kind.eco_tourism"),
    "heritage_village": N_("tp.kind.heritage_village"),
    "ocop_showroom": N_("tp.kind.ocop_showroom"),
}
_FILTER_LABELS = {
    "cv": N_("tp.short.craft_village"),
    "ct": N_("tp.short.community_tourism"),
    "et": N_("tp.short.eco_tourism"),
    "hv": N_("tp.short.heritage_village"),
    "os": N_("tp.short.ocop_showroom"),
}
_CANNOT = {
    "booking": N_("tp.cannot.booking"),
    "weather": N_("tp.cannot.weather"),
    "transport": N_("tp.cannot.transport"),
    "money": N_("tp.cannot.money"),
    "food": N_("tp.cannot.food"),
}
_UNITS_EN = {"Xã": "commune", "Phường": "ward", "Đặc khu": "special zone"}


def kind_label(ctx: Context, kind: str) -> str:
    """The name of a kind of place in the user's language."""
    return ctx.t(KIND_LABELS[kind])


def _english(ctx: Context) -> bool:
    return ctx.user.locale == "en"


def place_name(ctx: Context, place: Place) -> str:
    """The place's name in the user's language."""
    return place.name_en if _english(ctx) and place.name_en else place.name


def _spot_label(ctx: Context, spot: Spot) -> str:
    return spot.label_en if _english(ctx) else spot.label


def _direction(ctx: Context, bearing: float) -> str:
    index = int((bearing + 22.5) // 45) % 8
    return ctx.t("tp.directions").split(",")[index].strip()


async def start(ctx: Context, msg: Incoming) -> list[Reply]:
    """Ask for the user's location (a button on Telegram) or a place name."""
    return _ask(ctx)


def _ask(ctx: Context) -> list[Reply]:
    ctx.state.go(FLOW, "where")
    picks = [Button(_spot_label(ctx, t.spot), f"tp:g:{t.id}") for t in quick_picks()]
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
        ctx.state.go(
            FLOW,
            "near",
            here=[round(point.lat, 5), round(point.lon, 5)],
            here_at=ctx.now.isoformat(),
        )
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
        text_lines.append(_near_line(ctx, number, item))
    point = f"{lat:.4f}:{lon:.4f}"
    code = _CODE_OF_KIND.get(kind or "", "")
    rows: list[tuple[Button, ...]] = [_number_buttons([n.place for n in found], offset + 1)]
    filters = [
        Button(("• " if k == code else "") + ctx.t(label), f"tp:m:{point}:{k}:0")
        for k, label in _FILTER_LABELS.items()
    ]
    filters.append(Button(("• " if not code else "") + ctx.t("tp.all"), f"tp:m:{point}::0"))
    rows += [tuple(filters[:3]), tuple(filters[3:])]
    nav = []
    if more:
        nav.append(Button(ctx.t("tp.more"), f"tp:m:{point}:{code}:{offset + PAGE}"))
    nav.append(menu_button(ctx.t))
    rows.append(tuple(nav))
    return [Reply(text="\n".join(text_lines), buttons=tuple(rows))]


def _number_buttons(found: list[Place], first: int) -> tuple[Button, ...]:
    return tuple(Button(str(n), f"tp:d:{short_key(p)}") for n, p in enumerate(found, first))


def _near_line(ctx: Context, number: int, item: Nearby) -> str:
    place = item.place
    stars = ctx.t("tp.stars", stars=place.ocop_stars) if place.ocop_stars else ""
    if item.km < SAME_AREA_KM:
        line = ctx.t(
            "tp.near_line_same",
            number=number,
            name=place_name(ctx, place),
            kind=kind_label(ctx, place.kind),
        )
    else:
        line = ctx.t(
            "tp.near_line",
            number=number,
            name=place_name(ctx, place),
            km=f"{item.km:.1f}",
            direction=_direction(ctx, item.bearing),
            kind=kind_label(ctx, place.kind),
        )
    return line + stars


def _list_line(ctx: Context, number: int, place: Place) -> str:
    return ctx.t(
        "tp.list_line",
        number=number,
        name=place_name(ctx, place),
        kind=kind_label(ctx, place.kind),
        province=_province(ctx, place.province),
    )


def _province(ctx: Context, name: str) -> str:
    """A 2025 province as written in the user's language ("Tỉnh Lào Cai" → "Lào Cai province")."""
    if not _english(ctx):
        return name
    for prefix, word in (("Thành phố ", "city"), ("Tỉnh ", "province")):
        if name.startswith(prefix):
            return f"{name.removeprefix(prefix)} {word}"
    return name


def _commune(ctx: Context, place: Place) -> str:
    unit = place.commune_2025.split(" (")[0]
    if not _english(ctx):
        return unit
    for vietnamese, english in _UNITS_EN.items():
        if unit.startswith(vietnamese + " "):
            return f"{unit.removeprefix(vietnamese + ' ')} {english}"
    return unit


def _old_address(ctx: Context, place: Place) -> str:
    parts = [place.commune_old, place.district_old, place.province_old]
    if _english(ctx):
        parts = [p.split(" (")[0] for p in parts]
        parts = [f"{p.removeprefix('TP ')} city" if p.startswith("TP ") else p for p in parts]
    return ", ".join(p for p in parts if p)


def details(ctx: Context, place: Place) -> list[Reply]:
    """Everything known about a place, then the place itself as a venue for the map app."""
    t = ctx.t
    lines = [f"<b>{escape(place_name(ctx, place))}</b>", kind_label(ctx, place.kind)]
    if _english(ctx) and place.description_en:
        lines.append(escape(place.description_en))
    elif not _english(ctx) and place.specialties:
        lines.append(t("tp.specialties", what=place.specialties))
    where = ", ".join(x for x in (_commune(ctx, place), _province(ctx, place.province)) if x)
    lines.append(t("tp.address", where=where))
    old = _old_address(ctx, place)
    if old:
        lines.append(t("tp.old_address", where=old))
    lines += _visitor_facts(ctx, place)
    if place.ocop_stars:
        lines.append(t("tp.ocop", stars=place.ocop_stars))
    elif place.ocop_note:
        lines.append(t("tp.ocop_note"))
    if place.precision == "commune_2025":
        lines.append(t("tp.precision_commune"))
    elif place.precision == "none":
        lines.append(t("tp.precision_none"))
    lines.append(t("tp.source", source=place.source.split(";")[0].strip()))
    buttons: list[tuple[Button, ...]] = []
    if place.lat is not None and place.lon is not None:
        buttons.append((Button(t("tp.near_this"), f"tp:m:{place.lat:.4f}:{place.lon:.4f}::0"),))
    buttons.append((menu_button(t),))
    replies = [Reply(text="\n".join(lines), buttons=tuple(buttons))]
    if place.lat is not None and place.lon is not None:
        title = place_name(ctx, place)[:100]
        replies.insert(0, Reply(venue=Venue(GeoPoint(place.lat, place.lon), title, where[:100])))
    return replies


def _visitor_facts(ctx: Context, place: Place) -> list[str]:
    """Opening hours, fee, how to get there, what to do — when a source gave them."""
    facts = [
        (place.opening_hours, N_("tp.hours")),
        (place.entry_fee, N_("tp.fee")),
        (place.getting_there, N_("tp.getting_there")),
        (place.activities, N_("tp.activities")),
    ]
    lines = [ctx.t(key, what=value) for value, key in facts if value]
    if lines and place.checked_on:
        lines.append(ctx.t("tp.checked_on", date=place.checked_on))
    return lines


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """`tp:start`, `tp:d:<key>` (details), `tp:m:<lat>:<lon>:<kind>:<offset>` (a list),
    `tp:g:<gazetteer id>` (near a town of the quick picks)."""
    parts = (msg.action or "").split(":")[1:]
    match parts:
        case ["start"]:
            return _ask(ctx)
        case ["d", key] if (place := by_short_key(key)) is not None:
            return details(ctx, place)
        case ["m", lat, lon, code, offset] if (
            _is_point(lat, lon) and (not code or code in KIND_CODES) and offset.isdigit()
        ):
            label = ctx.t("tp.this_area")
            return _near_replies(
                ctx, float(lat), float(lon), label, kind=KIND_CODES.get(code), offset=int(offset)
            )
        case ["g", town_id] if (town := town_by_id(town_id)) is not None:
            spot = town.spot
            return _near_replies(
                ctx, spot.lat, spot.lon, _spot_label(ctx, spot), kind=None, offset=0
            )
    return await stale_button(ctx, msg)


def _is_point(lat: str, lon: str) -> bool:
    try:
        return not outside_vietnam(float(lat), float(lon))
    except ValueError:
        return False


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """A typed place or question while the user is in the visitors' flow ("what is OCOP?"
    goes to the FAQ here too); what neither can answer is kept for the office to learn from."""
    found = await answer_text(ctx, msg) or await faq.answer_text(ctx, msg)
    if found:
        return found
    record_unanswered(ctx, msg.text, "place")
    return [
        Reply(
            text=ctx.t("tp.not_found", said=msg.text.strip()[:60]),
            buttons=((ask_officer_button(ctx.t),),),
        ),
        *_ask(ctx),
    ]


async def answer_text(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """Answer "gần Hội An", "villages near Sapa", "mua lụa ở đâu gần đây", "Hue craft village",
    "what's nearby?" (after sharing a location); None when it is not about places (the FAQ or
    the menu answers then)."""
    return _reply(ctx, _understood(ctx, msg), msg.text.strip()[:60])


async def visitor_text(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A visitor's typed question: a place named specifically ("Is there an OCOP shop in Hoi
    An?") is shown before the FAQ's general answers, which would not name it; then a confident
    FAQ answer ("what is OCOP?"); then the place search's own answer (a list, a decline)."""
    answer = _understood(ctx, msg)
    said = msg.text.strip()[:60]
    if answer.kind == "places" and len(answer.places) <= _SPECIFIC:
        return _places_replies(ctx, answer, said)
    return await faq.answer_known(ctx, msg) or _reply(ctx, answer, said)


def _understood(ctx: Context, msg: Incoming) -> Answer:
    """The question read, with the location shared within the retention window (an older one
    is dropped here)."""
    stored = ctx.state.data.get("here") if ctx.state.flow == FLOW else None
    kept_since = ctx.now - timedelta(minutes=ctx.settings.LOCATION_RETENTION_MINUTES)
    if stored and location_expired(ctx.state.data, kept_since):
        for key in LOCATION_KEYS:
            ctx.state.data.pop(key, None)
        stored = None
    here = (stored[0], stored[1]) if stored else None
    return understand(msg.text, here)


def _reply(ctx: Context, answer: Answer, said: str) -> list[Reply] | None:
    match answer.kind:
        case "pass":
            return None
        case "places":
            return _places_replies(ctx, answer, said)
        case "near":
            return _answer_near(ctx, answer, said)
        case "need_location":
            return [Reply(text=ctx.t("tp.need_location")), *_ask(ctx)]
        case "outside":
            return [Reply(text=ctx.t("tp.outside"), buttons=((menu_button(ctx.t),),))]
        case "ask":
            return _which(ctx, answer)
    return _decline(ctx, answer, said)


def _places_replies(ctx: Context, answer: Answer, said: str) -> list[Reply]:
    found = list(answer.places)
    if len(found) == 1:
        return details(ctx, found[0])
    shown = found[:PAGE]
    lines = [ctx.t("tp.found", said=said)]
    lines += [_list_line(ctx, n, p) for n, p in enumerate(shown, 1)]
    rows = tuple((Button(place_name(ctx, p)[:60], f"tp:d:{short_key(p)}"),) for p in shown)
    return [Reply(text="\n".join(lines), buttons=(*rows, (menu_button(ctx.t),)))]


def _answer_near(ctx: Context, answer: Answer, said: str) -> list[Reply]:
    origin = answer.origin
    assert origin is not None
    label = ctx.t("tp.your_location") if origin.level == "here" else _spot_label(ctx, origin)
    if not answer.topic and not answer.place_kind:
        return _near_replies(ctx, origin.lat, origin.lon, label, kind=None, offset=0)
    shown = list(answer.nearby[:PAGE])
    if answer.place_kind and not answer.topic:
        kind = kind_label(ctx, answer.place_kind)
        title = ctx.t("tp.kind_near_title", kind=kind[:1].upper() + kind[1:], place=label)
    else:
        title = ctx.t("tp.topic_near_title", topic=said, place=label)
    lines = [title]
    lines += [_near_line(ctx, n, item) for n, item in enumerate(shown, 1)]
    rows = (_number_buttons([n.place for n in shown], 1), (menu_button(ctx.t),))
    return [Reply(text="\n".join(lines), buttons=rows)]


def _which(ctx: Context, answer: Answer) -> list[Reply]:
    rows = tuple(
        (Button(_spot_label(ctx, s)[:60], f"tp:m:{s.lat:.4f}:{s.lon:.4f}::0"),)
        for s in answer.options[:6]
    )
    return [Reply(text=ctx.t("tp.ask_which"), buttons=(*rows, (menu_button(ctx.t),)))]


def _decline(ctx: Context, answer: Answer, said: str) -> list[Reply]:
    """No such place (or something the bot does not do): said plainly, with what it can do and,
    clearly as *other* places, what there is around the place asked about."""
    lines = [ctx.t(_CANNOT[answer.reason]) if answer.reason in _CANNOT else ""]
    if answer.reason not in _CANNOT:
        key = N_("tp.unknown_place") if answer.reason == "unknown_place" else N_("tp.no_such")
        lines = [ctx.t(key, said=said)]
    rows: list[tuple[Button, ...]] = []
    if answer.others and answer.origin is not None:
        place = (
            (answer.scope.label_en if _english(ctx) else answer.scope.label)
            if answer.scope
            else _spot_label(ctx, answer.origin)
        )
        lines.append(ctx.t("tp.others_near", place=place))
        lines += [_near_line(ctx, n, item) for n, item in enumerate(answer.others, 1)]
        rows.append(_number_buttons([n.place for n in answer.others], 1))
    elif answer.options:
        lines.append(ctx.t("tp.others_where"))
        rows += [
            (Button(_spot_label(ctx, s)[:60], f"tp:m:{s.lat:.4f}:{s.lon:.4f}::0"),)
            for s in answer.options[:5]
        ]
    lines.append(ctx.t("tp.can_do"))
    rows.append((Button(ctx.t("tp.search_again"), "tp:start"), menu_button(ctx.t)))
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]
