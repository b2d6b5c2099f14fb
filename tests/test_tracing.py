"""Tracing: `trace_configs=` reaches aiohttp, so aiohttp's trace callbacks and OpenTelemetry's
aiohttp-client instrumentation see every attempt of every call, retries included."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor, create_trace_config
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from telnyx_orders import AsyncTelnyx, RetryPolicy, Telnyx
from telnyx_orders.testing import Sandbox

from .conftest import SleepRecorder


class Recorder:
    """A TraceConfig that writes down each request it sees start and end."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.config = aiohttp.TraceConfig()
        self.config.on_request_start.append(self.started)
        self.config.on_request_end.append(self.ended)

    async def started(self, _: aiohttp.ClientSession, __: SimpleNamespace, params: Any) -> None:
        self.events.append(f"start {params.method} {params.url.path}")

    async def ended(self, _: aiohttp.ClientSession, __: SimpleNamespace, params: Any) -> None:
        self.events.append(f"end {params.response.status}")


async def test_a_trace_config_sees_every_attempt_of_a_retried_call(
    sandbox: Sandbox, sleeps: SleepRecorder
) -> None:
    recorder = Recorder()
    order_id = sandbox.add_number_order()["id"]
    sandbox.faults.status(503, times=2)

    async with AsyncTelnyx(
        sandbox.api_key,
        base_url=sandbox.base_url,
        trace_configs=[recorder.config],
        retry_policy=RetryPolicy(sleep=sleeps),
    ) as client:
        await client.number_orders.retrieve(order_id)
        await client.with_options(max_retries=0).number_orders.retrieve(order_id)

    path = f"/v2/number_orders/{order_id}"
    assert recorder.events == [f"start GET {path}", "end 503"] * 2 + [f"start GET {path}", "end 200"] * 2


def test_the_blocking_client_passes_them_on_too() -> None:
    recorder = Recorder()
    with (
        Sandbox().serve_in_thread() as sandbox,
        Telnyx(sandbox.api_key, base_url=sandbox.base_url, trace_configs=[recorder.config]) as client,
    ):
        client.inexplicit_number_orders.create(
            ordering_groups=[{"country_iso": "US", "phone_number_type": "local", "count_requested": 1}]
        )

    assert recorder.events == ["start POST /v2/inexplicit_number_orders", "end 200"]


@pytest.mark.parametrize("configs", [aiohttp.TraceConfig(), [object()], "trace"])
def test_anything_but_a_list_of_trace_configs_is_refused_at_once(configs: Any) -> None:
    with pytest.raises(TypeError, match="trace_configs"):
        AsyncTelnyx("key", trace_configs=configs)


# OpenTelemetry's aiohttp-client instrumentation


@pytest.fixture
def spans() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def statuses(exporter: InMemorySpanExporter) -> list[tuple[str, object]]:
    """Each span's name and status code (under the old semantic conventions' key, or the new one's)."""
    found: list[tuple[str, object]] = []
    for span in exporter.get_finished_spans():
        attributes = span.attributes or {}
        found.append(
            (span.name, attributes.get("http.status_code", attributes.get("http.response.status_code")))
        )
    return found


def failing_once(sandbox: Sandbox, status: int) -> str:
    """The id of a number order whose next retrieve fails with `status` once."""
    order_id = sandbox.add_number_order()["id"]
    sandbox.faults.status(status)
    return order_id


async def test_opentelemetry_spans_every_attempt_given_its_trace_config(
    sandbox: Sandbox, sleeps: SleepRecorder, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = spans
    order_id = failing_once(sandbox, 502)
    tracing = create_trace_config(tracer_provider=provider)

    async with AsyncTelnyx(
        sandbox.api_key,
        base_url=sandbox.base_url,
        trace_configs=[tracing],
        retry_policy=RetryPolicy(sleep=sleeps),
    ) as client:
        await client.number_orders.retrieve(order_id)

    assert statuses(exporter) == [("GET", 502), ("GET", 200)]


async def test_opentelemetry_instrumenting_aiohttp_reaches_the_clients_session(
    sandbox: Sandbox, sleeps: SleepRecorder, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = spans
    order_id = failing_once(sandbox, 503)
    client = AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=RetryPolicy(sleep=sleeps))
    instrumentor = AioHttpClientInstrumentor()
    # The connections are made on the first call: instrumenting after making the client is soon enough.
    instrumentor.instrument(tracer_provider=provider)
    try:
        async with client:
            await client.number_orders.retrieve(order_id)
    finally:
        instrumentor.uninstrument()

    assert statuses(exporter) == [("GET", 503), ("GET", 200)]
