"""Cancellation and deadlines: a cancelled call leaves nothing behind; `timeout=` bounds the whole call."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest
from aiohttp import web

from telnyx_orders import (
    APIError,
    APITimeoutError,
    AsyncTelnyx,
    InternalServerError,
    RetryPolicy,
    Telnyx,
    Timeout,
)
from telnyx_orders.testing import Sandbox

GROUPS: list[Any] = [{"country_iso": "US", "phone_number_type": "local", "count_requested": 1}]

Canceller = Callable[[Coroutine[Any, Any, object], Sandbox], Awaitable[None]]


def connections_in_use(client: AsyncTelnyx) -> int:
    """Connections the pool has handed out and not had back."""
    connector = client._http.pool.session().connector
    assert connector is not None
    return len(connector._acquired)  # type: ignore[attr-defined]


async def until_received(sandbox: Sandbox, count: int = 1) -> None:
    """Return once the sandbox has received `count` requests, so that the calls are in flight."""
    for _ in range(5000):
        if len(sandbox.requests) >= count:
            return
        await asyncio.sleep(0.001)
    pytest.fail(f"the sandbox received {len(sandbox.requests)} requests, not {count}")


async def cancel_the_task(call: Coroutine[Any, Any, object], sandbox: Sandbox) -> None:
    task = asyncio.ensure_future(call)
    await until_received(sandbox)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()


async def wait_for_too_short(call: Coroutine[Any, Any, object], sandbox: Sandbox) -> None:
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(call, 0.05)
    assert len(sandbox.requests) == 1


async def asyncio_timeout_too_short(call: Coroutine[Any, Any, object], sandbox: Sandbox) -> None:
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):  # type: ignore[attr-defined,unused-ignore]
            await call
    assert len(sandbox.requests) == 1


CANCELLERS: list[Canceller] = [cancel_the_task, wait_for_too_short]
if sys.version_info >= (3, 11):  # asyncio.timeout arrived in 3.11
    CANCELLERS.append(asyncio_timeout_too_short)


async def first_page(client: AsyncTelnyx) -> object:
    return await client.number_orders.list(page_size=5)


CALLS: dict[str, Callable[[AsyncTelnyx, str], Coroutine[Any, Any, object]]] = {
    "retrieve": lambda client, order_id: client.inexplicit_number_orders.retrieve(order_id),
    "list": lambda client, _: first_page(client),
    "create": lambda client, _: client.inexplicit_number_orders.create(ordering_groups=GROUPS),
}


@pytest.mark.parametrize("cancel", CANCELLERS, ids=lambda cancel: cancel.__name__)
@pytest.mark.parametrize("call", list(CALLS), ids=str)
async def test_a_call_cancelled_in_flight_leaves_the_client_usable_and_the_pool_clean(
    sandbox: Sandbox, cancel: Canceller, call: str
) -> None:
    order = sandbox.add_inexplicit_number_order()
    sandbox.faults.latency(5.0)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        await cancel(CALLS[call](client, order["id"]), sandbox)

        assert connections_in_use(client) == 0, "the cancelled request's connection was closed, not leaked"
        response = await client.inexplicit_number_orders.retrieve(order["id"])
        assert connections_in_use(client) == 0
    assert response.data is not None
    assert response.data.id == order["id"]
    assert len(sandbox.requests) == 2, "cancelled means not retried either"


async def test_a_call_cancelled_during_its_backoff_sends_nothing_more(sandbox: Sandbox) -> None:
    order = sandbox.add_inexplicit_number_order()
    sandbox.faults.status(503, headers={"Retry-After": "10"})
    backoff_began = asyncio.Event()
    waits: list[str] = []

    async def sleep(seconds: float) -> None:
        backoff_began.set()
        try:
            await asyncio.sleep(seconds)
        except asyncio.CancelledError:
            waits.append("cancelled")
            raise
        waits.append("finished")

    policy = RetryPolicy(sleep=sleep)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=policy) as client:
        task = asyncio.ensure_future(client.inexplicit_number_orders.retrieve(order["id"]))
        await backoff_began.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        assert waits == ["cancelled"]
        assert connections_in_use(client) == 0, "the 503 was read whole, so its connection went back"
        assert len(sandbox.requests) == 1, "no retry after the cancellation"
        assert (await client.inexplicit_number_orders.retrieve(order["id"])).data is not None


async def test_a_call_cancelled_while_reading_the_body_leaves_the_pool_clean() -> None:
    body_started = asyncio.Event()

    async def stall_mid_body(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json", "Content-Length": "100"})
        await response.prepare(request)
        await response.write(b'{"data": {"id": "')
        body_started.set()
        await asyncio.sleep(5)
        return response

    app = web.Application()
    app.router.add_get("/v2/inexplicit_number_orders/{id}", stall_mid_body)
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/v2"
    try:
        async with AsyncTelnyx("key", base_url=base_url) as client:
            task = asyncio.ensure_future(client.inexplicit_number_orders.retrieve("x"))
            await body_started.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert connections_in_use(client) == 0
    finally:
        await runner.cleanup()


async def test_many_calls_cancelled_at_once_leave_the_pool_clean(sandbox: Sandbox) -> None:
    orders = [sandbox.add_inexplicit_number_order() for _ in range(32)]
    sandbox.faults.latency(5.0, times=16)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_connections=16) as client:
        calls = [client.inexplicit_number_orders.retrieve(order["id"]) for order in orders]
        waiting = asyncio.ensure_future(asyncio.gather(*calls))
        await until_received(sandbox, 16)
        assert connections_in_use(client) == 16, "16 on the wire, 16 waiting for a connection"
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

        assert connections_in_use(client) == 0
        again = await asyncio.gather(
            *(client.inexplicit_number_orders.retrieve(order["id"]) for order in orders)
        )
        assert connections_in_use(client) == 0
    assert [response.data.id for response in again if response.data] == [order["id"] for order in orders]


# The deadline


@pytest.fixture
def quick_retries() -> RetryPolicy:
    """Real, short backoff sleeps: 50 ms each."""
    return RetryPolicy(initial_delay=0.05, max_delay=0.05, jitter=None)


async def timed(call: Awaitable[object]) -> tuple[BaseException | None, float]:
    started = time.monotonic()
    try:
        await call
    except APIError as error:
        return error, time.monotonic() - started
    return None, time.monotonic() - started


async def test_the_deadline_bounds_retries_and_their_backoff(
    sandbox: Sandbox, quick_retries: RetryPolicy
) -> None:
    sandbox.faults.status(503, times=None)
    async with AsyncTelnyx(
        sandbox.api_key, base_url=sandbox.base_url, max_retries=1000, retry_policy=quick_retries
    ) as client:
        error, elapsed = await timed(client.inexplicit_number_orders.retrieve("any", timeout=0.3))

    assert isinstance(error, InternalServerError), (
        "the last answer, once the next wait would pass the deadline"
    )
    assert 0.2 <= elapsed <= 0.45
    assert len(sandbox.requests) >= 3


async def test_the_deadline_bounds_slow_answers_and_the_retries_after_them(
    sandbox: Sandbox, quick_retries: RetryPolicy
) -> None:
    sandbox.faults.latency(2.0, times=None)
    async with AsyncTelnyx(
        sandbox.api_key, base_url=sandbox.base_url, max_retries=1000, retry_policy=quick_retries
    ) as client:
        error, elapsed = await timed(
            client.inexplicit_number_orders.retrieve("any", timeout=Timeout(total=0.4, read=0.1))
        )

    assert isinstance(error, APITimeoutError)
    assert 0.3 <= elapsed <= 0.55
    assert 2 <= len(sandbox.requests) <= 4, "attempts of 0.1 s with 0.05 s between them"


async def test_a_slow_create_raises_at_the_deadline_saying_the_order_may_exist(sandbox: Sandbox) -> None:
    sandbox.faults.latency(2.0, times=None)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        error, elapsed = await timed(
            client.inexplicit_number_orders.create(ordering_groups=GROUPS, timeout=0.2)
        )

    assert isinstance(error, APITimeoutError)
    assert error.may_have_taken_effect is True
    assert 0.15 <= elapsed <= 0.35
    assert len(sandbox.requests) == 1


async def test_a_deadline_shorter_than_a_rate_limit_wait_raises_at_once(
    sandbox: Sandbox, quick_retries: RetryPolicy
) -> None:
    sandbox.faults.rate_limit(reset=5, times=None)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=quick_retries) as client:
        error, elapsed = await timed(client.number_orders.list(timeout=0.5))

    assert error is not None
    assert elapsed < 0.2, "a 5 s wait cannot fit a 0.5 s deadline, so the 429 comes back now"


def test_the_blocking_client_keeps_the_same_deadline() -> None:
    with Sandbox().serve_in_thread() as sandbox, Telnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        sandbox.faults.latency(2.0, times=None)
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="deadline"):
            client.inexplicit_number_orders.retrieve("any", timeout=0.25)
        elapsed = time.monotonic() - started

    assert 0.2 <= elapsed <= 0.45


async def test_a_timeout_error_is_not_asyncios_own(sandbox: Sandbox) -> None:
    # Callers catch APIError for failed calls; asyncio's TimeoutError must only mean *their* timeout.
    sandbox.faults.latency(2.0, times=None)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        with pytest.raises(APITimeoutError) as caught:
            await client.inexplicit_number_orders.retrieve("any", timeout=0.1)

    assert isinstance(caught.value.__cause__, asyncio.TimeoutError)
    assert not isinstance(caught.value, asyncio.TimeoutError)
