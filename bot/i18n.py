"""Gettext catalogs (bot/locales/{vi,en}), compiled with Babel when first used.

Messages are looked up by symbolic id (`start.greeting`). `Translator.__call__` HTML-escapes
every value it interpolates, so user-supplied strings can never inject markup into a reply.
"""

from __future__ import annotations

import gettext
import io
import re
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.markup import escape
from knowledge.reminders import VIETNAM
from knowledge.text import LOCALES as LOCALES
from knowledge.text import Locale, as_locale

DOMAIN = "messages"


def N_(message_id: str) -> str:  # noqa: N802 - the gettext convention for "mark, don't translate"
    """Mark a message id for extraction where it is looked up later."""
    return message_id


class Safe(str):
    """Text that is already valid HTML and must not be escaped again."""

    __slots__ = ()


@cache
def _catalog(locale: Locale) -> gettext.GNUTranslations:
    po_path = resources.files("bot").joinpath(f"locales/{locale}/LC_MESSAGES/{DOMAIN}.po")
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator:
    """Messages of one locale: `t("menu.title", name=user_text)` → HTML-safe text."""

    __slots__ = ("locale", "_catalog")

    def __init__(self, locale: Locale) -> None:
        self.locale = locale
        self._catalog = _catalog(locale)

    def __call__(self, message_id: str, **values: object) -> str:
        template = self._catalog.gettext(message_id)
        if not values:
            return template
        escaped = {
            key: value if isinstance(value, Safe) else escape(str(value))
            for key, value in values.items()
        }
        text = template.format(**escaped)
        return _ONE.sub(_singular, text) if self.locale == "en" else text


_ONE = re.compile(r"(?<![\d.,/])\b1 (more )?(criteria|points|pts|questions|days|places)\b")
"""English nouns counted by a value, in the plural when the template was written: "1 criteria"
reads "1 criterion", "1 more points" "1 more point", "+1 pts" "+1 pt" (Vietnamese has no
plural)."""
_SINGULAR = {
    "criteria": "criterion",
    "points": "point",
    "pts": "pt",
    "questions": "question",
    "days": "day",
    "places": "place",
}


def _singular(found: re.Match[str]) -> str:
    return f"1 {found.group(1) or ''}{_SINGULAR[found.group(2)]}"


@lru_cache(maxsize=64)  # a few codes and tags in use; handlers ask for one many times an update
def translator(locale: str) -> Translator:
    """The translator for a locale (`en-GB` → `en`); unknown locales fall back to Vietnamese."""
    return Translator(as_locale(locale))


def message_ids(locale: Locale) -> dict[str, str]:
    """Every id and its text in a locale's catalog (for checks and tests)."""
    po_path = resources.files("bot").joinpath(f"locales/{locale}/LC_MESSAGES/{DOMAIN}.po")
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


def format_date(day: date) -> str:
    """A date (a moment: its day in Vietnam) as shown in every chat, whatever the language:
    30/11/2026."""
    if isinstance(day, datetime):
        day = day.astimezone(VIETNAM)
    return day.strftime("%d/%m/%Y")


def format_datetime(moment: datetime) -> str:
    """A moment in Vietnam time as shown in every chat: 30/11/2026 09:00."""
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
