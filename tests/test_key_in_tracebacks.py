"""The API key in tracebacks: error reporters capture the local variables of every frame of an error's
traceback, its cause's and its context's (Sentry by default, `traceback` with `capture_locals=True`), so
no frame reachable from an error a call raises may hold the key where they would print it."""

from __future__ import annotations

import asyncio
import socket
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from telnyx_orders import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncTelnyx,
    HTTPRequest,
    HTTPResponse,
    InternalServerError,
    Telnyx,
    Timeout,
)
from telnyx_orders.testing import Sandbox

SECRET = "KEY-secret-4c0ffee0-0123456789abcdef"
ORDER_ID = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"


def refused_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# (what goes wrong, how the sandbox is made to do it, the call, the error it raises)
FAILURES: list[tuple[str, Callable[[Sandbox], object], str, type[APIError]]] = [
    ("an attempt times out", lambda sandbox: sandbox.faults.latency(2), "retrieve", APITimeoutError),
    ("the connection is refused", lambda sandbox: None, "refused", APIConnectionError),
    # aiohttp sends a GET again, once, when a connection drops: so every time here.
    (
        "the connection drops",
        lambda sandbox: sandbox.faults.drop_after(times=None),
        "retrieve",
        APIConnectionError,
    ),
    ("the body is cut short", lambda sandbox: sandbox.faults.truncated(), "retrieve", APIConnectionError),
    (
        "a create's connection drops",
        lambda sandbox: sandbox.faults.drop_after(),
        "create",
        APIConnectionError,
    ),
    ("Telnyx fails", lambda sandbox: sandbox.faults.status(500), "retrieve", InternalServerError),
    (
        "the body is not JSON",
        lambda sandbox: sandbox.faults.malformed(),
        "retrieve",
        APIResponseValidationError,
    ),
]
IDS = [name for name, *_ in FAILURES]


def settings(sandbox: Sandbox, call: str) -> dict[str, Any]:
    base_url = f"http://127.0.0.1:{refused_port()}/v2" if call == "refused" else sandbox.base_url
    return {"base_url": base_url, "max_retries": 0, "timeout": Timeout(total=5, read=0.3)}


async def call_async(client: AsyncTelnyx, call: str) -> object:
    if call == "create":
        return await client.number_orders.create(phone_numbers=["+13125550100"])
    return await client.number_orders.retrieve(ORDER_ID)


def call_blocking(client: Telnyx, call: str) -> object:
    if call == "create":
        return client.number_orders.create(phone_numbers=["+13125550100"])
    return client.number_orders.retrieve(ORDER_ID)


def with_locals(error: BaseException) -> str:
    """The error as `traceback` prints it with every frame's locals, its cause and context included."""
    return "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())


class CapturingTransport(Transport):
    """Keeps the envelopes Sentry would send, instead of sending them anywhere."""

    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)


def sentry_report(error: BaseException) -> str:
    """What Sentry, with its default options, would send about `error`."""
    transport = CapturingTransport()
    client = sentry_sdk.Client(
        dsn="https://public@127.0.0.1/1",
        transport=transport,
        # Integrations patch the standard library process-wide; capturing an error needs none of them.
        default_integrations=False,
    )
    try:
        with sentry_sdk.isolation_scope() as scope:
            scope.set_client(client)
            scope.capture_exception(error)
    finally:
        client.close()
    (envelope,) = transport.envelopes
    return envelope.serialize().decode()


def assert_the_key_is_nowhere_in_what_reporters_print(error: BaseException) -> None:
    printed = with_locals(error)
    assert "method = 'GET'" in printed or "method = 'POST'" in printed, "locals were captured"
    assert SECRET not in printed

    report = sentry_report(error)
    assert '"vars"' in report, "Sentry captured the frames' locals"
    assert SECRET not in report


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(api_key=SECRET) as running:
        running.add_number_order(id=ORDER_ID)
        yield running


@pytest.mark.parametrize(("name", "fault", "call", "error_type"), FAILURES, ids=IDS)
async def test_no_frame_of_an_async_clients_error_shows_the_key(
    sandbox: Sandbox, name: str, fault: Callable[[Sandbox], object], call: str, error_type: type[APIError]
) -> None:
    fault(sandbox)
    async with AsyncTelnyx(SECRET, **settings(sandbox, call)) as client:
        with pytest.raises(error_type) as caught:
            await call_async(client, call)

    assert_the_key_is_nowhere_in_what_reporters_print(caught.value)


@pytest.fixture(scope="module")
def served() -> Iterator[Sandbox]:
    with Sandbox(api_key=SECRET).serve_in_thread() as running:
        yield running


@pytest.fixture
def threaded_sandbox(served: Sandbox) -> Iterator[Sandbox]:
    served.add_number_order(id=ORDER_ID)
    yield served
    served.reset()


@pytest.mark.parametrize(("name", "fault", "call", "error_type"), FAILURES, ids=IDS)
def test_no_frame_of_a_blocking_clients_error_shows_the_key(
    threaded_sandbox: Sandbox,
    name: str,
    fault: Callable[[Sandbox], object],
    call: str,
    error_type: type[APIError],
) -> None:
    fault(threaded_sandbox)
    with Telnyx(SECRET, **settings(threaded_sandbox, call)) as client, pytest.raises(error_type) as caught:
        call_blocking(client, call)

    assert_the_key_is_nowhere_in_what_reporters_print(caught.value)


class Relay:
    """A transport of the caller's own: one long-lived task sends every request, and hands the error it
    ends with back to the caller, with the task's frame in its traceback."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[asyncio.Future[HTTPResponse]] = asyncio.Queue()
        self.worker: asyncio.Task[None] | None = None

    async def work(self) -> None:
        while True:
            answer = await self.queue.get()
            try:
                raise aiohttp.ServerDisconnectedError()
            except aiohttp.ClientError as error:
                answer.set_exception(error)

    async def send(self, request: HTTPRequest, limits: Timeout) -> HTTPResponse:
        if self.worker is None:
            self.worker = asyncio.create_task(self.work())
        answer = asyncio.get_running_loop().create_future()
        await self.queue.put(answer)
        return await answer

    async def aclose(self) -> None:
        if self.worker is not None:
            self.worker.cancel()


async def test_clearing_the_frames_leaves_a_transports_own_running_task_alone() -> None:
    # Before Python 3.13, clearing the frame of a coroutine suspended in another task closes it.
    relay = Relay()
    async with AsyncTelnyx("key", transport=relay, max_retries=0) as client:
        for _ in range(2):
            with pytest.raises(APIConnectionError, match="Server disconnected"):
                await asyncio.wait_for(client.number_orders.retrieve(ORDER_ID), 5)

        assert relay.worker is not None
        assert not relay.worker.done(), "the transport's task still runs, and served both calls"
