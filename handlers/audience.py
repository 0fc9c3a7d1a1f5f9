"""Who an officer's announcement or deadline reaches: roles × provinces × product groups, the
audience in words, the people it counts, and the header that tells them who sent it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from bot.actions import Action
from bot.context import Context, FlowData
from bot.i18n import N_, translator
from bot.messages import Button, Reply
from db import repo
from handlers.menu import menu_button
from knowledge.criteria import current_edition, groups, in_force_set, product_sets
from knowledge.regions import ProvinceMatch, by_code, read_province

ROLES = {
    "producer": N_("of.aud.producers"),
    "tourist": N_("of.aud.tourists"),
    "officer": N_("of.aud.officers"),
}
"""Roles a broadcast can target, with their button labels (none chosen: everyone)."""
NATIONWIDE = ("toan quoc", "ca nuoc", "tat ca cac tinh", "nationwide", "whole country")
"""What an officer types (folded) to mean the whole country."""


@dataclass(slots=True)
class Audience(FlowData):
    """Who a deadline or a broadcast reaches (nothing chosen: everyone, nationwide)."""

    roles: list[str] = field(default_factory=list)
    provinces: list[int] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)
    """Product set codes of the group chosen, with the lapsed sets that became them."""
    group: str = "all"
    """The product group's button value (`group_choice`)."""

    def choose_group(self, choice: str) -> None:
        """Keep to a product group (`all`: every one)."""
        self.group = choice
        self.sets = [] if choice == "all" else group_sets(int(choice))


def group_choice(choice: str) -> bool:
    """True for a product group button's value: `all` or the index of a group of QĐ 148."""
    return choice == "all" or (
        choice.isdigit() and int(choice) < len(groups(current_edition().code))
    )


def typed_provinces(text: str) -> list[int] | None:
    """Province codes of "Thanh Hoa, nghe an" or "Thanh Hóa và Nghệ An" (new or former names,
    any accents, one typo); None when one of the names is not recognised for sure."""
    matches = _typed_matches(text)
    return sorted({m.province.code for m in matches}) if matches else None


def former_names(ctx: Context, text: str) -> str:
    """What each former province name typed became ("Quảng Bình" → the whole of Quảng Trị,
    whose former bounds no user's profile holds); "" when none was typed."""
    said = [
        ctx.t("of.province_former", old=m.old_name, new=m.province.name)
        for m in _typed_matches(text) or []
        if m.old_name
    ]
    return "\n".join(dict.fromkeys(said))


def unread_names(text: str) -> str:
    """The names of a typed list not read for sure as a province ("xyz" of "Hanoi, xyz"), to
    say which; the whole text when each alone is read."""
    unread = [p.strip() for p in _parts(text) if _read_part(p) is None]
    return ", ".join(unread) or text.strip()


def _typed_matches(text: str) -> list[ProvinceMatch] | None:
    """The provinces each comma-separated name reads as; None when one is not read for sure."""
    found: list[ProvinceMatch] = []
    for part in _parts(text):
        picked = _read_part(part)
        if picked is None:
            return None
        found += picked
    return found or None


def _parts(text: str) -> list[str]:
    return [part for part in text.replace(";", ",").split(",") if part.strip()]


def _read_part(part: str) -> list[ProvinceMatch] | None:
    """The province(s) one name reads as word for word; None for a name close to several, or
    not named."""
    reading = read_province(part)
    picked = [reading.sure] if reading.sure else [m for m in reading.choices if m.score == 100]
    return picked if picked and len(picked) >= len(reading.choices) else None


def group_sets(index: int) -> list[str]:
    """Set codes of a group in force, with the lapsed sets that became one of them."""
    current = groups(current_edition().code)[index][3]
    codes = {s.code for s in current}
    codes |= {
        s.code
        for s in product_sets().values()
        if (twin := in_force_set(s)) is not None and twin.code in codes
    }
    return sorted(codes)


def group_name(ctx: Context, choice: str) -> str:
    """A product group's name in the user's language (`all`: every group)."""
    if choice == "all":
        return ctx.t("of.all_groups")
    _, name, name_en, _ = groups(current_edition().code)[int(choice)]
    return name_en if ctx.locale == "en" else name


def ask_group(ctx: Context, choose: Callable[[str], Action]) -> Reply:
    """Which product group: `choose("all")`, or the group's index."""
    rows = [(Button(ctx.t("of.all_groups"), choose("all").encode()),)]
    rows += [
        (Button(group_name(ctx, str(index)), choose(str(index)).encode()),)
        for index in range(len(groups(current_edition().code)))
    ]
    rows.append((menu_button(ctx.t),))
    return Reply(text=ctx.t("of.ask_group"), buttons=tuple(rows))


def home(ctx: Context) -> str:
    """The name of the officer's own province ("" when they gave none)."""
    province = by_code(ctx.user.province_code) if ctx.user.province_code else None
    return province.name if province else ""


def confirm_nationwide(
    ctx: Context, text: str, yes: Action, home_only: Action, discard: Action
) -> Reply:
    """The question an officer gets before reaching the whole country: go ahead, keep to their
    own province (when they gave one), or discard (deadlines and broadcasts ask it alike)."""
    rows = [(Button(ctx.t("of.nationwide_yes"), yes.encode()),)]
    if home(ctx):
        rows.append((Button(ctx.t("of.only_home", province=home(ctx)), home_only.encode()),))
    rows.append((Button(ctx.t("of.discard"), discard.encode()),))
    return Reply(text=text, buttons=tuple(rows))


def where(ctx: Context, chosen: Audience) -> str:
    """The chosen provinces in words, or "nationwide"."""
    names = [p.name for p in map(by_code, chosen.provinces) if p]
    return ", ".join(names) or ctx.t("rm.national")


def who(ctx: Context, chosen: Audience) -> str:
    """The chosen roles in words, or "everyone"."""
    roles = [r for r in chosen.roles if r in ROLES]
    return ", ".join(ctx.t(ROLES[r]) for r in roles) if roles else ctx.t("of.aud.all")


def scope(ctx: Context, chosen: Audience, *, roles: bool) -> str:
    """The audience in words: who (when `roles` can be chosen) · where · which product group."""
    parts = [who(ctx, chosen), where(ctx, chosen)] if roles else [where(ctx, chosen)]
    if chosen.group != "all" and group_choice(chosen.group):
        parts.append(group_name(ctx, chosen.group))
    return " · ".join(parts)


async def recipients(ctx: Context, chosen: Audience) -> list[repo.Recipient]:
    """Everyone the choice reaches (approved officers only as officers)."""
    return await ctx.read(
        partial(
            repo.audience, roles=chosen.roles, provinces=chosen.provinces, product_sets=chosen.sets
        )
    )


def header(locale: str, province_code: int | None) -> str:
    """The first line of a broadcast: who sends it (an OCOP officer, and of which province)."""
    t = translator(locale)
    province = by_code(province_code) if province_code else None
    return t("of.header_province", province=province.name) if province else t("of.header")
