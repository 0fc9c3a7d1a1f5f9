"""The dashboard in a real browser: headless Chromium from Debian's packages driven by Selenium
against the app served by uvicorn. An officer signs in through the link `/dashboard` gives,
claims and answers a hand-over, publishes a deadline and opens the insight page, using the
keyboard where a person would. A failing step saves a screenshot (path in the failure).

Selenium is imported where it is used: every test process collects this file (importing
Selenium costs 0.3–0.8 s of CPU), only one runs it."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn

from bot.settings import Settings
from tests.conftest import SECRET
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import free_port
from webhook import create_app

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "browser-screenshots"
OFFICER, PRODUCER = 4242, 7


@contextmanager
def served(settings: Settings) -> Iterator[str]:
    """The whole app (lifespan included) on a loopback port, in a thread."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the app did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[WebDriver]:
    """Headless Chromium (Debian's `chromium` and `chromium-driver`; .ci/run installs them)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER), (
        "install Chromium: apt-get install -y chromium chromium-driver"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    # What a first start of a desktop browser would set up and fetch (0.3 s of the 1 s start).
    for flag in (
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
    ):
        options.add_argument(flag)
    options.add_argument("--window-size=500,900")  # narrow like a phone (headless minimum)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


@contextmanager
def screenshot_on_failure(driver: WebDriver, name: str) -> Iterator[None]:
    try:
        yield
    except BaseException as exc:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        driver.get_screenshot_as_file(str(path))
        exc.add_note(f"screenshot: {path} (page {driver.current_url})")
        raise


def webhook(http: httpx.Client, update: dict) -> dict:  # type: ignore[type-arg]
    response = http.post(
        "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status_code == 200
    return response.json() if response.content else {}


@pytest.fixture
def office_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"OFFICER_TELEGRAM_IDS": (OFFICER,)})


def page_titled(driver: WebDriver, prefix: str) -> None:
    """Wait until the page's heading starts with `prefix` (a form post loads a new page: an
    element of the old one may go stale between finding and reading it)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith(prefix)
    )


def status_says(driver: WebDriver, text: str) -> None:
    """Wait until the page's status region (the one a form post leads to) says `text`."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: text in d.find_element(By.CSS_SELECTOR, "[role=status]").text
    )


@pytest.mark.waits
def test_officer_signs_in_claims_answers_publishes_and_reads_insight(
    office_settings: Settings,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with served(office_settings) as url, httpx.Client(base_url=url) as http, chromium() as driver:
        for user, role in ((OFFICER, "officer"), (PRODUCER, "producer")):
            for update in (
                tg_message("/start", user_id=user),
                tg_callback(f"ob:role:{role}", user_id=user),
                tg_callback("ob:lang:vi", user_id=user),
                tg_callback("ob:prov:1", user_id=user),
            ):
                webhook(http, update)
        webhook(http, tg_message("gặp cán bộ", user_id=PRODUCER))
        webhook(http, tg_message("Nhãn sản phẩm cần ghi những gì?", user_id=PRODUCER))
        text = webhook(http, tg_message("/dashboard", user_id=OFFICER))["text"]
        found = re.search(r"/dashboard/login\?token=[\w-]+", text)
        assert found, text
        with screenshot_on_failure(driver, "sign-in"):
            driver.get(url + found.group(0))
            driver.switch_to.active_element.send_keys(Keys.ENTER)  # "Đăng nhập", focused
            page_titled(driver, "Yêu cầu gặp cán bộ")  # the next page, not the sign-in one
            assert "Nhãn sản phẩm cần ghi những gì?" in driver.page_source
        with screenshot_on_failure(driver, "claim-and-answer"):
            claim = driver.find_element(By.CSS_SELECTOR, "form[action$='/claim'] button")
            claim.send_keys(Keys.ENTER)  # by keyboard
            answer = driver.find_element(By.ID, "answer")
            assert driver.find_element(By.CSS_SELECTOR, "label[for='answer']").is_displayed()
            answer.send_keys("Tên sản phẩm, thành phần, hạn dùng và tem truy xuất.")
            answer.find_element(By.XPATH, "./ancestor::form//button").click()
            status_says(driver, "Đã gửi câu trả lời.")
            assert "tem truy xuất" in driver.page_source
        silent = webhook(http, tg_message("Cảm ơn anh!", user_id=PRODUCER))
        assert "text" not in silent  # the bot stays quiet while the officer owns it
        with screenshot_on_failure(driver, "deadline"):
            driver.find_element(By.LINK_TEXT, "Mốc thời gian & thông báo").click()
            driver.find_element(By.ID, "title").send_keys("Nộp hồ sơ OCOP đợt 2")
            due = driver.find_element(By.ID, "due")
            driver.execute_script("arguments[0].value = '2030-06-15T17:00'", due)
            due.submit()
            status_says(driver, "Đã đăng mốc thời gian")
            assert "17:00 15/06/2030 — Nộp hồ sơ OCOP đợt 2" in driver.page_source
        with screenshot_on_failure(driver, "insight"):
            driver.find_element(By.LINK_TEXT, "Tổng quan tỉnh").click()
            page_titled(driver, "Tự đánh giá trong tỉnh — Hà Nội")
            current = driver.find_element(By.CSS_SELECTOR, "nav a[aria-current=page]")
            assert current.text == "Tổng quan tỉnh"
            scroll, viewport = driver.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll <= viewport  # no sideways scrolling on a narrow screen
        listed = webhook(http, tg_message("/lich", user_id=PRODUCER))
        assert "Nộp hồ sơ OCOP đợt 2" in listed.get("text", "")
