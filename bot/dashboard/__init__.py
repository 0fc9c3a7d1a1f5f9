"""The OCOP office's web dashboard: server-rendered pages on the bot's FastAPI app."""

from bot.dashboard.pages import install

__all__ = ["install"]
