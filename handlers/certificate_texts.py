"""How a recorded OCOP certificate reads: its card, where it stands in the re-evaluation window
(QĐ 26/2026 Điều 7.6.a, Điều 12.3), and the reminders the clock sends for it."""

from __future__ import annotations

from datetime import date

from bot.i18n import N_, Safe, Translator, format_date
from bot.messages import Button, Reply
from db import repo
from handlers import actions as do
from handlers.menu import menu_button
from knowledge.certificates import Schedule, month_schedules, schedule

LEVEL_NAMES = {
    "province": N_("ct.level.province"),
    "central": N_("ct.level.central"),
    "district": N_("ct.level.district"),
}
_LATE = {False: N_("ct.late"), True: N_("ct.late.transition")}
_OPEN = {0: N_("ct.phase.open_0"), 1: N_("ct.phase.open_1")}
"""The window's last day and the day before it: no "còn 0 ngày", no "1 days"."""
_REMINDERS = {
    "open": N_("ct.remind.open"),
    "half": N_("ct.remind.half"),
    "last": N_("ct.remind.last"),
}


def card(t: Translator, c: repo.CertificateRecord) -> str:
    """One certificate in a line: product, stars, issuer, dates."""
    dates = schedule(c.decided_on)
    return t(
        "ct.card",
        product=c.product,
        stars=c.stars,
        issuer=Safe(t(LEVEL_NAMES[c.level])),
        issued=format_date(c.decided_on),
        expiry=format_date(dates.expiry),
    )


def _values(c: repo.CertificateRecord, dates: Schedule, today: date) -> dict[str, object]:
    """What the certificate messages name: product, stars, the window's days, days left."""
    return {
        "product": c.product,
        "stars": c.stars,
        "expiry": format_date(dates.expiry),
        "opens": format_date(dates.window_opens),
        "closes": format_date(dates.window_closes),
        "late_until": format_date(dates.late_until),
        "days": (dates.window_closes - today).days,
    }


def standing(
    t: Translator, c: repo.CertificateRecord, today: date, *, dossier: bool = True
) -> str:
    """Where a certificate stands today and what to do (with the dossier when it is time)."""
    dates = schedule(c.decided_on)
    values = _values(c, dates, today)
    phase = dates.phase(today)
    if phase == "before":
        days = [format_date(day) for stage, day in dates.reminders if stage in _REMINDERS]
        return t("ct.phase.before", **values, first=days[0], second=days[1], third=days[2])
    if phase == "ended":
        return t("ct.phase.ended", **values)
    if phase == "open":
        lead = t(_OPEN.get((dates.window_closes - today).days, "ct.phase.open"), **values)
    else:
        lead = _late(t, dates, values)
    return lead + "\n" + t("ct.dossier") if dossier else lead


def _late(t: Translator, dates: Schedule, values: dict[str, object]) -> str:
    """Điều 12.3: file as soon as possible; valid until the decision, at most 180 days on."""
    return t(_LATE[dates.transition], **values)


def reminder(t: Translator, c: repo.CertificateRecord, stage: str, today: date) -> Reply:
    """The reminder of one stage of the re-evaluation window (sent by the clock)."""
    dates = schedule(c.decided_on)
    values = _values(c, dates, today)
    left = (dates.window_closes - today).days  # fewer than planned after an outage
    key = _OPEN.get(left, _REMINDERS[stage]) if stage in _REMINDERS else None
    lead = t(key, **values) if key else _late(t, dates, values)
    return Reply(
        text=lead + "\n" + t("ct.dossier"),
        buttons=((Button(t("menu.certificate"), do.Certificates().encode()),), (menu_button(t),)),
    )


def month_only(t: Translator, year: int, month: int, today: date) -> str:
    """What a month of issue alone tells (Điều 4.3, 7.6.a, 12.3): the days its first and last
    day give, a warning when the window may have closed, and the exact day asked for."""
    first, last = month_schedules(year, month)
    lines = [
        t(
            "ct.month_range",
            month=f"{month:02d}/{year}",
            expiry_from=format_date(first.expiry),
            expiry_to=format_date(last.expiry),
            opens_from=format_date(first.window_opens),
            opens_to=format_date(last.window_opens),
            closes_from=format_date(first.window_closes),
            closes_to=format_date(last.window_closes),
        )
    ]
    phases = (first.phase(today), last.phase(today))
    if phases == ("ended", "ended"):
        lines.append(t("ct.month_ended"))
    elif phases[1] in ("late", "ended"):
        lines.append(t("ct.month_late"))
    elif phases[0] in ("late", "ended"):
        lines.append(t("ct.month_late_maybe"))
    lines.append(t("ct.month_need_day"))
    return "\n".join(lines)
