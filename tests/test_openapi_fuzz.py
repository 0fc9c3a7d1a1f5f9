"""The OpenAPI document is true: schemathesis generates requests from it for every operation
and checks each answer (no 5xx, status documented, body matching the documented schema).

A bounded run (about 25 cases an operation); `python -m bench.openapi_fuzz` runs 10,000.
`positive_data_acceptance` is left out: a schema cannot say which product sets, criteria and
coordinates exist, so some schema-valid requests rightly get a documented 422."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from hypothesis import HealthCheck, given, settings

from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram, free_port
from webhook import create_app


@pytest.fixture
def live_url(tmp_path: Path, fake_telegram_server: FakeTelegram) -> Iterator[str]:
    """The app served by uvicorn on loopback (lifespan on: schema migrated, doors open)."""
    app = create_app(
        Settings(
            DATABASE_URL=f"sqlite:///{tmp_path}/api.db",
            TELEGRAM_TOKEN=fake_telegram_server.token,
            TELEGRAM_API_URL=fake_telegram_server.api_url,
            TELEGRAM_WEBHOOK_SECRET="fuzz-secret",
            RUN_WORKER=False,
        )
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="error", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_every_answer_matches_the_openapi_document(live_url: str) -> None:
    import schemathesis  # here: only the process that runs this test pays for the import
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    schema = schemathesis.openapi.from_url(f"{live_url}/openapi.json")
    failed: dict[str, str] = {}
    operations = 0
    for loaded in schema.get_all_operations():
        operation = loaded.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def answers_as_documented(case: schemathesis.Case) -> None:
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            answers_as_documented()
        except Exception as exc:  # collect every operation's failure, then report them all
            failed[operation.label] = str(exc)[:2000]
    assert operations >= 10
    assert failed == {}
