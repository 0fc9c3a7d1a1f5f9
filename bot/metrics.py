"""Prometheus series the bot exports at /metrics.

One process keeps its series in memory. Several processes on one host (`serve --workers N`,
webhook instances next to `ocop-bot worker`) share them through prometheus_client's
multiprocess mode: with `PROMETHEUS_MULTIPROC_DIR` set before they start, each writes its
values to files there and any one of them answers /metrics with the sums of all.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics import MetricWrapperBase

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

UPDATES = Counter("ocop_updates_total", "Updates received, by door and kind", ["channel", "type"])
REJECTED = Counter(
    "ocop_webhook_rejected_total",
    "Webhook requests refused, by door and reason",
    ["channel", "reason"],
)
API_CALLS = Counter(
    "ocop_bot_api_calls_total",
    "Calls to a platform API, by method and outcome",
    ["channel", "method", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "ocop_handler_seconds",
    "Time to handle one update (database and routing, not sending)",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
HANDLER_ERRORS = Counter("ocop_handler_errors_total", "Updates whose handling raised an error")
OUTBOX = Counter("ocop_outbox_total", "Outbox sends, by door and outcome", ["channel", "outcome"])
REMINDERS = Counter("ocop_reminders_enqueued_total", "Reminders queued, by kind", ["kind"])
THROTTLED = Counter(
    "ocop_throttled_total",
    "Updates answered later in one coalesced reply, or live positions skipped, by door",
    ["channel", "reason"],
)
NO_SENDER = Counter(
    "ocop_outbox_no_sender_total",
    "Outbox messages this process could not send: no sender configured for the door",
    ["channel"],
)


_CHILDREN: dict[tuple[int, tuple[str, ...]], Any] = {}


def child(metric: MetricWrapperBase, *values: str) -> Any:
    """`metric.labels(*values)`, looked up once per set of values: `labels` checks and locks
    on every call, and the webhooks count several series per update."""
    key = (id(metric), values)
    found = _CHILDREN.get(key)
    if found is None:
        found = _CHILDREN[key] = metric.labels(*values)
    return found


def registry() -> CollectorRegistry:
    """What /metrics reports: every process sharing PROMETHEUS_MULTIPROC_DIR, or this one."""
    if not os.environ.get(MULTIPROCESS_DIR):
        return REGISTRY
    shared = CollectorRegistry()
    multiprocess.MultiProcessCollector(shared)  # type: ignore[no-untyped-call]
    return shared


def exposition() -> bytes:
    """The /metrics page in Prometheus's text format."""
    return generate_latest(registry())
