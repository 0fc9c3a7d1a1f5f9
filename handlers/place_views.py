"""How places read for visitors: names and kinds in the user's language, a line of a list,
and one place in full (sent with a venue the phone's map opens)."""

from __future__ import annotations

import re

from bot.context import Context
from bot.i18n import N_
from bot.markup import escape
from bot.messages import Button, GeoPoint, Reply, Venue
from handlers import actions as do
from handlers.menu import menu_button
from knowledge.gazetteer import Spot
from knowledge.places import Nearby, Place

SAME_AREA_KM = 0.3
"""Places closer than this to the point share its area: no distance or direction is shown."""
KIND_LABELS = {
    "craft_village": N_("tp.kind.craft_village"),
    "community_tourism": N_("tp.kind.community_tourism"),
    "eco_tourism": N_("tp.kind.eco_tourism"),
    "heritage_village": N_("tp.kind.heritage_village"),
    "ocop_showroom": N_("tp.kind.ocop_showroom"),
}
_UNITS_EN = {"Xã": "commune", "Phường": "ward", "Đặc khu": "special zone"}


def kind_label(ctx: Context, kind: str) -> str:
    """The name of a kind of place in the user's language."""
    return ctx.t(KIND_LABELS[kind])


def english(ctx: Context) -> bool:
    return ctx.locale == "en"


def place_name(ctx: Context, place: Place) -> str:
    """The place's name in the user's language."""
    return place.name_en if english(ctx) and place.name_en else place.name


def spot_label(ctx: Context, spot: Spot) -> str:
    return spot.label_en if english(ctx) else spot.label


def direction(ctx: Context, bearing: float) -> str:
    """A compass bearing as one of eight directions in the user's language."""
    index = int((bearing + 22.5) // 45) % 8
    return ctx.t("tp.directions").split(",")[index].strip()


def near_line(ctx: Context, number: int, item: Nearby) -> str:
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
            direction=direction(ctx, item.bearing),
            kind=kind_label(ctx, place.kind),
        )
    return line + stars


def list_line(ctx: Context, number: int, place: Place) -> str:
    """A line of a list, with the place's own OCOP stars as a near list gives them."""
    stars = ctx.t("tp.stars", stars=place.ocop_stars) if place.ocop_stars else ""
    line = ctx.t(
        "tp.list_line",
        number=number,
        name=place_name(ctx, place),
        kind=kind_label(ctx, place.kind),
        province=_province(ctx, place.province),
    )
    return line + stars


def _province(ctx: Context, name: str) -> str:
    """A 2025 province as written in the user's language ("Tỉnh Lào Cai" → "Lào Cai province")."""
    if not english(ctx):
        return name
    for prefix, word in (("Thành phố ", "city"), ("Tỉnh ", "province")):
        if name.startswith(prefix):
            return f"{name.removeprefix(prefix)} {word}"
    return name


def _commune(ctx: Context, place: Place) -> str:
    unit = place.commune_2025.split(" (")[0]
    if not english(ctx):
        return unit
    for vietnamese, unit_en in _UNITS_EN.items():
        if unit.startswith(vietnamese + " "):
            return f"{unit.removeprefix(vietnamese + ' ')} {unit_en}"
    return unit


def _old_address(ctx: Context, place: Place) -> str:
    parts = [place.commune_old, place.district_old, place.province_old]
    if english(ctx):
        parts = [p.split(" (")[0] for p in parts]
        parts = [f"{p.removeprefix('TP ')} city" if p.startswith("TP ") else p for p in parts]
    return ", ".join(p for p in parts if p)


_GLOSS = re.compile(r" ?\(([^()]*)\)")
_VIETNAMESE_ASCII = frozenset({"sao"})
"""Words of the data's own that are Vietnamese without diacritics ("4 sao, 2019")."""


def without_glosses(text: str) -> str:
    """Vietnamese text without the English glosses in brackets the data gives for searching
    ("nón lá (conical hats)" → "nón lá"); brackets with diacritics, numbers or star counts
    ("(Tiên Sa)", "(4 sao, 2019)") stay."""

    def keep(match: re.Match[str]) -> str:
        inside = match.group(1)
        words = set(re.findall(r"[A-Za-z]+", inside))
        return match.group(0) if not inside.isascii() or words <= _VIETNAMESE_ASCII else ""

    return _GLOSS.sub(keep, text)


def details(ctx: Context, place: Place) -> list[Reply]:
    """Everything known about a place, then the place itself as a venue for the map app."""
    t = ctx.t
    lines = [f"<b>{escape(place_name(ctx, place))}</b>", kind_label(ctx, place.kind)]
    if english(ctx) and place.description_en:
        lines.append(escape(place.description_en))
    elif not english(ctx) and place.specialties:
        lines.append(t("tp.specialties", what=without_glosses(place.specialties)))
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
        buttons.append((Button(t("tp.near_this"), do.PlacesNear(place.lat, place.lon).encode()),))
    buttons.append((menu_button(t),))
    replies = [Reply(text="\n".join(lines), buttons=tuple(buttons))]
    if place.lat is not None and place.lon is not None:
        title = place_name(ctx, place)[:100]
        replies.insert(0, Reply(venue=Venue(GeoPoint(place.lat, place.lon), title, where[:100])))
    return replies


def _visitor_facts(ctx: Context, place: Place) -> list[str]:
    """Opening hours, fee, how to get there, what to do — when a source gave them, in the
    card's language."""
    keys = (N_("tp.hours"), N_("tp.fee"), N_("tp.getting_there"), N_("tp.activities"))
    facts = zip(place.visitor_facts(english(ctx)), keys, strict=True)
    lines = [ctx.t(key, what=value) for value, key in facts if value]
    if lines and place.checked_on:
        lines.append(ctx.t("tp.checked_on", date=place.checked_on))
    return lines
