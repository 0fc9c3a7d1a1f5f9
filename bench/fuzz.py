"""Fuzz figures: 5xx answers must be 0.

- OpenAPI: schemathesis generates requests from /openapi.json for every operation (about
  10,000 cases) against the app served by uvicorn, checking each answer against the document.
- Webhooks: 10,000 updates made by hypothesis, half Telegram (valid updates with parts replaced
  by arbitrary JSON, or arbitrary JSON with an update_id), half signed Zalo events with arbitrary
  fields, posted with the right secret and signature.

    python -m bench.fuzz [--cases 10000] [--updates 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bot.settings import Settings
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram, free_port, serve_in_thread
from tests.fakes.zalo_api import FakeZalo
from webhook import create_app

SECRET = "fuzz-secret"
APP_ID = "1234567890"
OA_SECRET = "oa-secret-key"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["text", "chat", "from", "location", "data", "id", "type", "is_bot", "first_name"]


def _mutate(value: Any, rng: random.Random, junk: Any) -> Any:
    """Replace one nested field of a JSON object with `junk`."""
    if isinstance(value, dict) and value:
        key = rng.choice([*value, rng.choice(FIELDS)])
        if key in value and isinstance(value[key], dict) and rng.random() < 0.6:
            return {**value, key: _mutate(value[key], rng, junk)}
        return {**value, key: junk}
    return junk


telegram_updates = st.one_of(
    st.builds(
        lambda base, seed, junk: _mutate(base, random.Random(seed), junk),
        st.sampled_from(
            [
                tg_message("/start"),
                tg_message("xin chao"),
                tg_message(location=(21.0, 105.8)),
                tg_callback("ob:role:producer"),
                tg_callback("tp:d:abc"),
            ]
        ),
        st.integers(),
        json_values,
    ),
    st.dictionaries(st.sampled_from(["message", "callback_query", "edited_message"]), json_values),
)
telegram_updates = st.tuples(telegram_updates, st.integers(1, 2**40)).map(
    lambda pair: {**pair[0], "update_id": pair[1]}
)

zalo_events = st.fixed_dictionaries(
    {
        "event_name": st.sampled_from(
            ["user_send_text", "user_send_location", "user_send_image", "follow", "x"]
        ),
        "sender": st.one_of(st.fixed_dictionaries({"id": st.text(max_size=30)}), json_values),
        "message": json_values,
    }
)


def serve(app: Any) -> tuple[uvicorn.Server, str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="critical", lifespan="on"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return server, f"http://127.0.0.1:{port}"


def openapi_run(url: str, cases: int) -> None:
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    operations = [loaded.ok() for loaded in schema.get_all_operations()]

    def inputs(operation: Any) -> int:
        return len(operation.path_parameters) + len(operation.query) + len(operation.body)

    # Operations without inputs have only a handful of distinct requests: the cases go to the rest.
    with_inputs = sum(1 for operation in operations if inputs(operation)) or 1
    statuses: Counter[int] = Counter()
    failures: dict[str, str] = {}
    for operation in operations:
        per_operation = cases // with_inputs if inputs(operation) else 20

        @given(case=operation.as_strategy())
        @settings(
            max_examples=per_operation, deadline=None, suppress_health_check=list(HealthCheck)
        )
        def run(case: schemathesis.Case) -> None:
            response = case.call()
            statuses[response.status_code] += 1
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

        try:
            run()
        except Exception as exc:  # noqa: BLE001 (report every operation's first failure)
            failures[operation.label] = str(exc).splitlines()[0][:200]
    total = sum(statuses.values())
    server_errors = sum(n for s, n in statuses.items() if s >= 500)
    print(f"openapi: {total} cases over {len(operations)} operations; 5xx: {server_errors}")
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    print(f"  operations failing a check: {len(failures)}")
    for label, reason in failures.items():
        print(f"    {label}: {reason}")


async def webhook_run(url: str, updates: int) -> None:
    statuses: Counter[int] = Counter()
    tg_examples: list[dict[str, Any]] = []
    zalo_examples: list[dict[str, Any]] = []

    @given(update=telegram_updates, event=zalo_events)
    @settings(max_examples=updates // 2, deadline=None, suppress_health_check=list(HealthCheck))
    def collect(update: dict[str, Any], event: dict[str, Any]) -> None:
        tg_examples.append(update)
        zalo_examples.append(event)

    collect()
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        for update in tg_examples:
            try:
                response = await http.post(
                    "/telegram/webhook",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
            except httpx.TransportError:
                print(f"  connection dropped on: {json.dumps(update)[:300]}")
                statuses[0] += 1
                continue
            statuses[response.status_code] += 1
        for event in zalo_examples:
            body = {**event, "app_id": APP_ID, "timestamp": str(int(time.time() * 1000))}
            raw = json.dumps(body).encode()
            mac = hashlib.sha256(
                APP_ID.encode() + raw + body["timestamp"].encode() + OA_SECRET.encode()
            ).hexdigest()
            response = await http.post(
                "/zalo/webhook", content=raw, headers={"X-ZEvent-Signature": f"mac={mac}"}
            )
            statuses[response.status_code] += 1
    total = sum(statuses.values())
    server_errors = sum(n for s, n in statuses.items() if s >= 500 and s != 503)
    print(f"webhooks: {total} fuzzed updates; 5xx other than 503: {server_errors}")
    print(f"  statuses: {dict(sorted(statuses.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=10_000)
    args = parser.parse_args()
    telegram, zalo = FakeTelegram(), FakeZalo()
    with (
        serve_in_thread(telegram.app(), free_port()) as telegram_url,
        serve_in_thread(zalo.app(), free_port()) as zalo_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        telegram.url = telegram_url
        app = create_app(
            Settings(
                DATABASE_URL=f"sqlite:///{Path(tmp) / 'fuzz.db'}",
                TELEGRAM_TOKEN=telegram.token,
                TELEGRAM_API_URL=telegram.api_url,
                TELEGRAM_WEBHOOK_SECRET=SECRET,
                ZALO_APP_ID=APP_ID,
                ZALO_OA_SECRET_KEY=OA_SECRET,
                ZALO_ACCESS_TOKEN="access-1",
                ZALO_REFRESH_TOKEN="refresh-1",
                ZALO_API_URL=zalo_url,
                ZALO_OAUTH_URL=zalo_url,
                RUN_WORKER=False,
            )
        )
        server, url = serve(app)
        try:
            if args.cases:
                openapi_run(url, args.cases)
            if args.updates:
                asyncio.run(webhook_run(url, args.updates))
        finally:
            server.should_exit = True


if __name__ == "__main__":
    main()
