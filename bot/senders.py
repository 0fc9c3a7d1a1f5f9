"""The platform senders, built one way for `serve` and for `ocop-bot worker`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from telegram.error import TelegramError

from bot import telegram as tg
from bot import zalo
from bot.delivery import Sender
from bot.settings import Settings
from db.session import Database

logger = logging.getLogger(__name__)


@dataclass
class Senders:
    """The doors' senders: `telegram` answers webhooks, `outbox` is what the delivery uses."""

    telegram: tg.TelegramSender | None = None
    zalo: zalo.ZaloSender | None = None
    outbox: dict[str, Sender] = field(default_factory=dict)

    async def close(self) -> None:
        """Close the Bot API and Zalo connections."""
        if self.telegram is not None:
            await self.telegram.bot.shutdown()
        if self.zalo is not None:
            await self.zalo.client.close()


async def open_senders(settings: Settings, db: Database) -> Senders:
    """A sender for every door the settings configure (Telegram: token; Zalo: app id and OA
    secret key). Telegram being unreachable at start is logged; sends retry later."""
    senders = Senders()
    if settings.telegram_enabled:
        bot = tg.make_bot(settings)
        try:
            await bot.initialize()
        except TelegramError as exc:
            logger.warning("Telegram getMe failed at start: %s", exc)
        senders.telegram = tg.TelegramSender(bot)
        # The outbox's own sender: with SEND_RATE above 30 it may pay to go faster.
        senders.outbox["telegram"] = tg.TelegramSender(bot, paid_broadcast=settings.SEND_RATE > 30)
    if settings.zalo_enabled:
        senders.zalo = zalo.ZaloSender(zalo.ZaloClient(settings, db), db)
        senders.outbox["zalo"] = senders.zalo
    logger.info("senders ready for %s", ", ".join(senders.outbox) or "no door")
    return senders
