"""Every environment variable the bot reads, typed and checked in one place."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.text import Locale

_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one sentence naming the variable."""


class Settings(BaseSettings):
    """The bot's configuration, read from the environment (and `.env` when present)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    DATABASE_URL: str = "sqlite:///./ocop.db"
    TELEGRAM_TOKEN: str = ""
    TELEGRAM_API_URL: str = "https://api.telegram.org/bot"
    TELEGRAM_WEBHOOK_SECRET: str = ""
    OFFICER_TELEGRAM_IDS: Annotated[tuple[int, ...], NoDecode] = ()
    DEFAULT_LOCALE: Locale = "vi"
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    MAX_BODY_BYTES: int = Field(default=1024 * 1024, gt=0)
    ZALO_APP_ID: str = ""
    ZALO_APP_SECRET: str = ""
    ZALO_OA_SECRET_KEY: str = ""
    ZALO_ACCESS_TOKEN: str = ""
    ZALO_REFRESH_TOKEN: str = ""
    ZALO_API_URL: str = "https://openapi.zalo.me"
    ZALO_OAUTH_URL: str = "https://oauth.zaloapp.com"
    RUN_WORKER: bool = True
    """Run the reminder clock and the outbox delivery inside `serve` (off when `worker` runs)."""
    PRELOAD: bool = True
    """Load and index every data file when `serve` starts (about 1 s of CPU), so the first
    question is answered as fast as any; off for short-lived servers (the tests')."""
    SEND_RATE: float = Field(default=30.0, gt=0, le=1000)
    """Messages per second the outbox may send overall (Telegram: 30 free, up to 1000 paid)."""
    LOCATION_RETENTION_MINUTES: int = Field(default=60, gt=0, le=60)
    """How long a shared position is kept for "near me" follow-ups (at most an hour)."""
    REPLY_RETENTION_DAYS: int = Field(default=30, gt=0)
    """How long handled-update ids, their stored replies and settled outbox rows are kept."""
    INACTIVE_USER_DAYS: int = Field(default=1095, gt=0)
    """`ocop-bot db prune` erases users silent this long (default 3 years: a certificate's
    validity, so expiry reminders still reach a quiet producer)."""

    FLOOD_BURST: int = Field(default=5, ge=1, le=1000)
    """Updates of one user answered at once; beyond it their replies are coalesced."""
    FLOOD_PER_SECOND: float = Field(default=1.0, gt=0, le=100)
    """How fast a user's budget refills (Telegram lets a bot send one message a second to a
    chat)."""

    HANDOVER_CLAIM_HOURS: float = Field(default=2.0, gt=0, le=80)
    """Office hours a hand-over may wait unclaimed before its user hears when to expect an answer
    and officers get one reminder."""
    OFFICE_HOURS: str = "07:30-11:30,13:30-17:00"
    """The OCOP office's working periods (Vietnam time), comma-separated HH:MM-HH:MM."""
    OFFICE_DAYS: str = "1-5"
    """Working days, ISO numbers (1 Monday … 7 Sunday): a range `1-5` or a list `1,2,3,4,5,6`."""
    UNANSWERED_RETENTION_DAYS: int = Field(default=30, ge=1, le=3650)
    """Days an unanswered question keeps its user's id; only the text stays afterwards."""
    PUBLIC_URL: str = "http://127.0.0.1:8000"
    """Where officers open the dashboard (`/dashboard` sends a link under it)."""

    @field_validator("DATABASE_URL")
    @classmethod
    def _driver(cls, value: str) -> str:
        """Accept any spelling of a SQLite or PostgreSQL URL and pick the driver we use."""
        for prefix, driver in (
            ("sqlite+aiosqlite:", "sqlite:"),
            ("sqlite+pysqlite:", "sqlite:"),
            ("sqlite:", "sqlite:"),
            ("postgresql+asyncpg:", "postgresql+asyncpg:"),
            ("postgresql:", "postgresql+asyncpg:"),
            ("postgres:", "postgresql+asyncpg:"),
        ):
            if value.startswith(prefix):
                return driver + value.removeprefix(prefix)
        raise ValueError("must start with sqlite: or postgresql:")

    def listed_officer(self, platform: str, user_id: str) -> bool:
        """True for a user listed to become an officer on first contact: OFFICER_TELEGRAM_IDS
        for Telegram; other platforms list none (officers there are added by
        `ocop-bot officer add`)."""
        listed = self.OFFICER_TELEGRAM_IDS if platform == "telegram" else ()
        return user_id.lstrip("-").isdigit() and int(user_id) in listed

    @field_validator("OFFICER_TELEGRAM_IDS", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("must be Telegram user ids (numbers) separated by commas")
            return tuple(int(part) for part in parts)
        return value

    @field_validator("TELEGRAM_WEBHOOK_SECRET")
    @classmethod
    def _secret_charset(cls, value: str) -> str:
        if value and not _SECRET_RE.match(value):
            raise ValueError("must be 1-256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("OFFICE_HOURS")
    @classmethod
    def _office_hours(cls, value: str) -> str:
        from knowledge.office_hours import parse_periods

        parse_periods(value)
        return value

    @field_validator("OFFICE_DAYS")
    @classmethod
    def _office_days(cls, value: str) -> str:
        from knowledge.office_hours import parse_days

        parse_days(value)
        return value

    @field_validator("TELEGRAM_API_URL", "ZALO_API_URL", "ZALO_OAUTH_URL", "PUBLIC_URL")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org/bot")
        return value

    @property
    def telegram_enabled(self) -> bool:
        """True when the Telegram door can run (a token is configured)."""
        return bool(self.TELEGRAM_TOKEN)

    @property
    def zalo_enabled(self) -> bool:
        """True when the Zalo door can run (app id and OA secret key configured)."""
        return bool(self.ZALO_APP_ID and self.ZALO_OA_SECRET_KEY)

    def require_telegram(self) -> None:
        """Fail with one sentence when the Telegram door is asked for but not configured."""
        if not self.TELEGRAM_TOKEN:
            raise SettingsError(
                "TELEGRAM_TOKEN is not set: put the token from @BotFather in TELEGRAM_TOKEN."
            )
        if not self.TELEGRAM_WEBHOOK_SECRET:
            raise SettingsError(
                "TELEGRAM_WEBHOOK_SECRET is not set: choose 1-256 characters from "
                "A-Z, a-z, 0-9, _ and - so forged webhook calls can be refused."
            )


def load_settings(**overrides: object) -> Settings:
    """Read the settings; raise SettingsError with one sentence naming the bad variable."""
    try:
        # the values are strings from the environment; pydantic converts and checks them
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "settings"
        reason = str(error["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name} is invalid: {reason}.") from None
