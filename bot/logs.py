"""Logging set-up: one line per record, secrets (the bot token) never written out."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from bot.settings import Settings


class RedactingFormatter(logging.Formatter):
    """Replaces every configured secret in the formatted record, tracebacks included."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> None:
    """Send logs to stderr (or `stream`) at LOG_LEVEL, with the token and secrets redacted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        RedactingFormatter([settings.TELEGRAM_TOKEN, settings.TELEGRAM_WEBHOOK_SECRET])
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.LOG_LEVEL)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
