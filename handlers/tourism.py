"""Visitors: OCOP community-tourism sites, craft villages and showrooms near a shared location or
a named place, their details (sent as a venue the phone's map opens), and free questions."""

from __future__ import annotations

import html

from bot.context import Context
from bot.i18n import N_
from bot.messages import Button, GeoPoint, Incoming, Reply, Venue
from handlers.ask_officer import ask_officer_button
from handlers.learning import record_unanswered
from handlers.menu import menu_button, stale_button
from knowledge.places import (
    Nearby,
    Place,
    by_short_key,
    expand_synonyms,
    in_vietnam,
    nearby,
    search,
    short_key,
)
from knowledge.regions import by_code, find_named_point
from knowledge.text import fold

PREFIX = "tp"
FLOW = "tour"
RADIUS_KM = 30.0
TOPIC_RADIUS_KM = 150.0
PAGE = 5
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
_NEAR = ("gan ", "near ", "around ", "o gan ", "quanh ", "khu vuc ", "xung quanh ")
_HERE = ("gan day", "gan toi", "near me", "nearby", "quanh day", "o day")


def kind_label(ctx: Context, kind: str) -> str:
    """The name of a kind of place in the user's language."""
    return ctx.t(KIND_LABELS[kind])


def _direction(ctx: Context, bearing: float) -> str:
    index = int((bearing + 22.5) // 45) % 8
    return ctx.t("tp.directions").split(",")[index].strip()


async def start(ctx: Context, msg: Incoming) -> list[Reply]:
    """Ask for the user's location (a button on Telegram) or a place name."""
    return _ask(ctx)


def _ask(ctx: Context) -> list[Reply]:
    ctx.state.go(FLOW, "where")
    return [
        Reply(
            text=ctx.t("tp.ask_where"),
            buttons=((Button(ctx.t("tp.share_location"), request_location=True),),),
        ),
        Reply(
            text=ctx.t("tp.or_choose"),
            buttons=(
                (
                    Button("Hà Nội", "tp:n:1"),
                    Button("Huế", "tp:n:2"),
                    Button("Đà Nẵng", "tp:n:21"),
                ),
                (menu_button(ctx.t),),
            ),
        ),
    ]


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask for a place."""
    return _ask(ctx)


async def on_location(ctx: Context, msg: Incoming) -> list[Reply]:
    """A shared location, at any moment: what is near it (the current flow is kept)."""
    assert msg.location is not None
    point = msg.location
    if not in_vietnam(point.lat, point.lon):
        return [Reply(text=ctx.t("tp.outside"), buttons=((menu_button(ctx.t),),))]
    if ctx.state.flow == FLOW:
        ctx.state.data["here"] = [round(point.lat, 5), round(point.lon, 5)]
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
    rows: list[tuple[Button, ...]] = [
        tuple(
            Button(str(n), f"tp:d:{short_key(item.place)}")
            for n, item in enumerate(found, offset + 1)
        )
    ]
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


def _near_line(ctx: Context, number: int, item: Nearby) -> str:
    place = item.place
    stars = ctx.t("tp.stars", stars=place.ocop_stars) if place.ocop_stars else ""
    return (
        ctx.t(
            "tp.near_line",
            number=number,
            name=place.name,
            km=f"{item.km:.1f}",
            direction=_direction(ctx, item.bearing),
            kind=kind_label(ctx, place.kind),
        )
        + stars
    )


def _topic_near(ctx: Context, topic: str, lat: float, lon: float) -> list[Reply]:
    """Places about a topic ("lụa", "pottery") nearest to a point."""
    wanted = {f.place.id for f in search(topic, limit=40) if f.score >= 85}
    around = [
        n
        for n in nearby(lat, lon, limit=PAGE * 40, radius_km=TOPIC_RADIUS_KM)
        if n.place.id in wanted
    ][:PAGE]
    shown = expand_synonyms(topic)
    if not around:
        return [
            Reply(
                text=ctx.t("tp.topic_none", topic=shown, km=int(TOPIC_RADIUS_KM)),
                buttons=((menu_button(ctx.t),),),
            )
        ]
    lines = [ctx.t("tp.topic_title", topic=shown)]
    lines += [_near_line(ctx, n, item) for n, item in enumerate(around, 1)]
    rows = (
        tuple(Button(str(n), f"tp:d:{short_key(item.place)}") for n, item in enumerate(around, 1)),
        (menu_button(ctx.t),),
    )
    return [Reply(text="\n".join(lines), buttons=rows)]


def _commune(place: Place) -> str:
    return place.commune_2025.split(" (")[0]


def details(ctx: Context, place: Place) -> list[Reply]:
    """Everything known about a place, then the place itself as a venue for the map app."""
    t = ctx.t
    lines = [f"<b>{_escape(place.name)}</b>", kind_label(ctx, place.kind)]
    if place.specialties:
        lines.append(t("tp.specialties", what=place.specialties))
    where = ", ".join(x for x in (_commune(place), place.province) if x)
    lines.append(t("tp.address", where=where))
    old = ", ".join(x for x in (place.commune_old, place.district_old, place.province_old) if x)
    if old:
        lines.append(t("tp.old_address", where=old))
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
        replies.insert(
            0, Reply(venue=Venue(GeoPoint(place.lat, place.lon), place.name[:100], where[:100]))
        )
    return replies


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """`tp:start`, `tp:d:<key>` (details), `tp:m:<lat>:<lon>:<kind>:<offset>` (a list),
    `tp:n:<province code>`."""
    parts = (msg.action or "").split(":")[1:]
    match parts:
        case ["start"]:
            return _ask(ctx)
        case ["d", key] if by_short_key(key) is not None:
            return details(ctx, by_short_key(key))  # type: ignore[arg-type]
        case ["m", lat, lon, code, offset] if (
            _is_point(lat, lon) and (not code or code in KIND_CODES) and offset.isdigit()
        ):
            label = ctx.t("tp.this_area")
            return _near_replies(
                ctx, float(lat), float(lon), label, kind=KIND_CODES.get(code), offset=int(offset)
            )
        case ["n", code] if code.isdigit():
            province = by_code(int(code))
            if province is not None:
                return _near_replies(
                    ctx, province.lat, province.lon, province.name, kind=None, offset=0
                )
    return await stale_button(ctx, msg)


def _is_point(lat: str, lon: str) -> bool:
    try:
        return in_vietnam(float(lat), float(lon))
    except ValueError:
        return False


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """A typed place or question while the user is being asked where they are."""
    found = await answer_text(ctx, msg)
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
    """Answer "gần Hội An", "near Hoi An", "Bát Tràng có gì", "mua lụa ở đâu gần đây",
    "what to buy in Van Phuc", "duong lam"; None when nothing fits."""
    text = fold(msg.text)
    if not text:
        return None
    here = ctx.state.data.get("here") if ctx.state.flow == FLOW else None
    if any(h in text for h in _HERE):
        topic = text
        for h in _HERE:
            topic = topic.replace(h, " ")
        if not here:
            return [Reply(text=ctx.t("tp.need_location")), *_ask(ctx)]
        return _topic_near(ctx, topic, here[0], here[1])
    for prefix in _NEAR:
        if text.startswith(prefix):
            point = find_named_point(text.removeprefix(prefix))
            if point is not None:
                return _near_replies(ctx, point.lat, point.lon, point.label, kind=None, offset=0)
            found = search(text.removeprefix(prefix), limit=1)
            if found and found[0].place.lat is not None:
                place = found[0].place
                return _near_replies(ctx, place.lat, place.lon, place.name, kind=None, offset=0)  # type: ignore[arg-type]
            return None
    found = search(msg.text, limit=PAGE)
    strong = [f for f in found if f.score >= 90]
    if len(strong) == 1:
        return details(ctx, strong[0].place)
    if found and found[0].score >= 85:
        shown = strong or found
        rows = tuple((Button(f.place.name[:60], f"tp:d:{short_key(f.place)}"),) for f in shown)
        return [
            Reply(
                text=ctx.t("tp.found", said=msg.text.strip()[:60]),
                buttons=(*rows, (menu_button(ctx.t),)),
            )
        ]
    point = find_named_point(msg.text)
    if point is not None:
        return _near_replies(ctx, point.lat, point.lon, point.label, kind=None, offset=0)
    return None
