"""Reply text is HTML, Telegram's subset (`<b>`, `<i>`, `<a href>`): text from users, sheets or
data files goes into it through `escape`; doors that show no markup (Zalo, the console) take it
out with `plain`."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]+>")


def escape(text: str) -> str:
    """`text` shown as typed inside reply HTML: `<`, `>` and `&` escaped. Quotes stay as they
    are: such text goes between tags, never into an attribute."""
    return html.escape(text, quote=False)


def plain(text: str) -> str:
    """Reply HTML as plain text: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", text))
