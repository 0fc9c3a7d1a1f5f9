"""`ocop-bot serve` as a real process on a real socket: onboarding survives kill -9."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bot.settings import Settings
from tests import processes
from tests.conftest import SECRET
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram, forward_webhook_answer_sync, free_port


@contextmanager
def serve(settings: Settings, log: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.DATABASE_URL,
        "TELEGRAM_TOKEN": settings.TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": settings.TELEGRAM_API_URL,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "LOG_LEVEL": "WARNING",
    }
    proc = processes.start(["serve", "--port", str(port)], env, output=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {log.read_text()}")
        time.sleep(0.05)
    try:
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)  # no graceful shutdown: as a crash would end it
        proc.wait(timeout=10)


def post(url: str, update: dict, fake: FakeTelegram) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = httpx.post(f"{url}/telegram/webhook", json=update, headers=headers, timeout=10)
    forward_webhook_answer_sync(response, fake)
    return response.status_code


@pytest.mark.waits
def test_killed_server_resumes_onboarding_at_the_same_step(
    settings: Settings, telegram_api: FakeTelegram, tmp_path: Path
) -> None:
    with serve(settings, tmp_path / "first.log") as url:
        assert post(url, tg_message("/start", user_id=501), telegram_api) == 200
        assert post(url, tg_callback("cs:yes:v1", user_id=501), telegram_api) == 200
        assert post(url, tg_callback("ob:role:producer", user_id=501), telegram_api) == 200
        assert post(url, tg_callback("ob:lang:vi", user_id=501), telegram_api) == 200
    assert "tỉnh/thành nào" in telegram_api.of("sendMessage")[-1].params["text"]
    telegram_api.reset()
    with serve(settings, tmp_path / "second.log") as url:
        assert post(url, tg_message("Hà Giang", user_id=501), telegram_api) == 200
    text = telegram_api.of("sendMessage")[0].params["text"]
    assert text.startswith(
        "Tỉnh Hà Giang nay thuộc Tuyên Quang (sắp xếp đơn vị hành chính từ 1/7/2025).\n\n"
        "Đã lưu tỉnh/thành: <b>Tuyên Quang</b>."
    )
