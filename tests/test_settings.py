"""Settings: defaults, the exact variable names, and one clear sentence for each bad value."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings
from tests.conftest import OcopBot


def test_defaults_are_the_embedded_console_setup() -> None:
    settings = load_settings()
    assert settings.DATABASE_URL == "sqlite:///./ocop.db"
    assert settings.TELEGRAM_API_URL == "https://api.telegram.org/bot"
    assert settings.DEFAULT_LOCALE == "vi"
    assert settings.OFFICER_TELEGRAM_IDS == ()
    assert settings.telegram_enabled is False


def test_values_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1/ocop")
    monkeypatch.setenv("OFFICER_TELEGRAM_IDS", " 11, 22 ,33")
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings()
    assert settings.DATABASE_URL == "postgresql+asyncpg://postgres@127.0.0.1/ocop"
    assert settings.OFFICER_TELEGRAM_IDS == (11, 22, 33)
    assert settings.DEFAULT_LOCALE == "en"
    assert settings.TELEGRAM_API_URL == "http://127.0.0.1:8081/bot"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        pytest.param(
            "OFFICER_TELEGRAM_IDS",
            "12,abc",
            "OFFICER_TELEGRAM_IDS is invalid: must be Telegram user ids",
            id="ids",
        ),
        pytest.param("DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE is invalid", id="locale"),
        pytest.param(
            "DATABASE_URL",
            "mysql://x",
            "DATABASE_URL is invalid: must start with sqlite: or postgresql:",
            id="db",
        ),
        pytest.param(
            "TELEGRAM_WEBHOOK_SECRET",
            "has space",
            "TELEGRAM_WEBHOOK_SECRET is invalid",
            id="secret",
        ),
        pytest.param(
            "TELEGRAM_API_URL", "api.telegram.org", "TELEGRAM_API_URL is invalid", id="api-url"
        ),
    ],
)
def test_malformed_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(expected)
    assert str(caught.value).count("\n") == 0


def test_serve_without_token_fails_at_start_with_one_sentence(ocop_bot: OcopBot) -> None:
    done = ocop_bot("serve")  # no TELEGRAM_ variable is set (the clean_environ fixture)
    assert done.returncode == 2
    assert done.stderr.strip().startswith("ocop-bot: TELEGRAM_TOKEN is not set")
    assert "Traceback" not in done.stderr


def test_serve_without_webhook_secret_is_refused(ocop_bot: OcopBot) -> None:
    done = ocop_bot("serve", env={"TELEGRAM_TOKEN": "1:x"})
    assert done.returncode == 2
    assert "TELEGRAM_WEBHOOK_SECRET is not set" in done.stderr


def test_malformed_setting_stops_the_cli_with_exit_code_2(ocop_bot: OcopBot) -> None:
    done = ocop_bot("chat", env={"OFFICER_TELEGRAM_IDS": "one,two"})
    assert done.returncode == 2
    assert (
        done.stderr
        == "ocop-bot: OFFICER_TELEGRAM_IDS is invalid: must be Telegram user ids (numbers) separated by commas.\n"
    )


def test_listed_officer_ids_are_telegram_ids_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """OFFICER_TELEGRAM_IDS names Telegram accounts: the same number on Zalo or the console is
    someone else, and is not made an officer."""
    monkeypatch.setenv("OFFICER_TELEGRAM_IDS", "4242, -7")
    settings = load_settings()
    assert settings.listed_officer("telegram", "4242")
    assert settings.listed_officer("telegram", "-7")
    assert not settings.listed_officer("zalo", "4242")
    assert not settings.listed_officer("console", "4242")
    assert not settings.listed_officer("telegram", "4243")
    assert not settings.listed_officer("telegram", "42a")
