"""Logging set-up: one line per record, secrets never written out, user text kept short.

- Secrets: the Telegram token, the webhook secret, the Zalo keys and tokens (including pairs
  refreshed later, registered with `redact`) become `[redacted]`, tracebacks included.
- User text: every argument of a message is cut to 200 characters, and line breaks and other
  control characters in the message are escaped, so no input can forge a log line; traceback
  lines are indented under the line of their record.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

from bot.settings import Settings

MAX_ARG = 200
"""Characters of any one logged value (user text, an error message) written out."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SECRETS: set[str] = set()


def redact(secret: str) -> None:
    """Never write `secret` to the log (e.g. a Zalo token pair obtained at run time)."""
    if secret:
        _SECRETS.add(secret)


def _short(value: object) -> object:
    if isinstance(value, int | float | bool) or value is None:
        return value
    text = str(value)
    return text if len(text) <= MAX_ARG else f"{text[:MAX_ARG]}…[+{len(text) - MAX_ARG} chars]"


def _escape(text: str) -> str:
    """Control characters as `\\n`-style escapes; lone surrogates as `\\udXXX`."""
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class RedactingFormatter(logging.Formatter):
    """One line per record (tracebacks indented below it), secrets replaced."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        message = record.msg if isinstance(record.msg, str) else str(record.msg)
        if record.args:
            args = record.args
            short = (
                {k: _short(v) for k, v in args.items()}
                if isinstance(args, dict)
                else tuple(_short(a) for a in args)
            )
            try:
                message = message % short
            except (TypeError, ValueError):
                message = f"{message} {short!r}"
        record.message = _escape(message)
        return super().formatMessage(record)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        head, newline, tail = text.partition("\n")
        if newline:  # a traceback: indented, so no line of it looks like a record of its own
            text = head + "\n" + "\n".join("    " + _escape(line) for line in tail.split("\n"))
        for secret in sorted(_SECRETS, key=len, reverse=True):
            text = text.replace(secret, "[redacted]")
        return text


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> None:
    """Send logs to stderr (or `stream`) at LOG_LEVEL, with the token and secrets redacted.
    Called in every process that serves or works (each of `serve --workers N` too)."""
    for secret in (
        settings.TELEGRAM_TOKEN,
        settings.TELEGRAM_WEBHOOK_SECRET,
        settings.ZALO_APP_SECRET,
        settings.ZALO_OA_SECRET_KEY,
        settings.ZALO_ACCESS_TOKEN,
        settings.ZALO_REFRESH_TOKEN,
    ):
        redact(secret)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.LOG_LEVEL)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
