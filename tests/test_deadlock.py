"""A blocking call that needs its own thread's event loop fails at once instead of hanging.

The blocking `Telnyx` client parks the calling thread until the answer comes. Called from a coroutine on
the loop that serves its base URL (a sandbox started with `async with`), it would park the thread that
must answer it, until the deadline; it raises `DeadlockError` before sending anything.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import types
from collections.abc import AsyncIterator

import pytest

from telnyx_orders import BlockingCallInEventLoopWarning, DeadlockError, Telnyx
from telnyx_orders._deadlock import needs_loop
from telnyx_orders._sync._runtime import LoopThread
from telnyx_orders.testing import Sandbox


async def test_a_blocking_call_to_a_sandbox_on_the_callers_own_loop_fails_at_once(sandbox: Sandbox) -> None:
    order_id = sandbox.add_number_order()["id"]

    with Telnyx(sandbox.api_key, base_url=sandbox.base_url, timeout=60) as client:
        with pytest.raises(DeadlockError, match=r"serves its base URL, http://127\.0\.0\.1:\d+/v2"):
            client.number_orders.retrieve(order_id)
        with pytest.raises(DeadlockError, match="serve the sandbox from another thread"):
            client.number_orders.with_raw_response.retrieve(order_id)

    assert sandbox.requests == [], "nothing was sent"
    assert isinstance(DeadlockError("x"), RuntimeError)


async def test_a_blocking_call_to_a_server_on_another_thread_works_and_is_only_warned_about() -> None:
    with Sandbox().serve_in_thread() as sandbox, Telnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        order_id = sandbox.add_number_order()["id"]
        with pytest.warns(BlockingCallInEventLoopWarning):
            assert client.number_orders.retrieve(order_id).data is not None


# Telling whether a loop serves an address


@pytest.fixture
async def port() -> AsyncIterator[int]:
    """A TCP server on this test's loop, on a free loopback port."""
    server = await asyncio.start_server(lambda reader, writer: writer.close(), "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


selector_loops_only = pytest.mark.skipif(
    sys.platform == "win32", reason="the proactor loop does not show its sockets"
)


@selector_loops_only
async def test_a_loop_serving_a_loopback_base_url_is_needed(port: int) -> None:
    loop = asyncio.get_running_loop()

    for host in ("127.0.0.1", "localhost"):
        base_url = f"http://{host}:{port}/v2"
        assert needs_loop(base_url, loop) == f"serves its base URL, {base_url}"


@selector_loops_only
async def test_other_addresses_do_not_need_the_loop(port: int) -> None:
    loop = asyncio.get_running_loop()
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        free_port = unused.getsockname()[1]

    assert needs_loop(f"http://127.0.0.1:{free_port}/v2", loop) is None
    assert needs_loop(f"https://api.telnyx.com:{port}/v2", loop) is None, "not this machine"
    assert needs_loop("https://localhost/v2", loop) is None, "port 443 is not served here"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets")
async def test_a_unix_socket_server_on_the_loop_is_looked_past(tmp_path: object) -> None:
    server = await asyncio.start_unix_server(lambda reader, writer: writer.close(), f"{tmp_path}/sock")
    async with server:
        assert needs_loop("http://127.0.0.1:8080/v2", asyncio.get_running_loop()) is None


def test_a_loop_without_a_selector_cannot_be_told_and_is_not_needed() -> None:
    loop = types.SimpleNamespace()  # a proactor loop, uvloop: their sockets are not at hand

    assert needs_loop("http://127.0.0.1:8080/v2", loop) is None  # type: ignore[arg-type]


def test_the_runtime_asks_only_about_calls_made_on_a_running_loop() -> None:
    asked: list[asyncio.AbstractEventLoop] = []

    def needs(loop: asyncio.AbstractEventLoop) -> str | None:
        asked.append(loop)
        return "serves what the call needs" if len(asked) > 1 else None

    async def answer() -> int:
        return 42

    runtime = LoopThread()
    runtime.refuse_calls_needing(needs)
    try:
        assert runtime.call(answer) == 42
        assert asked == [], "no loop runs in this thread"

        async def from_a_coroutine() -> None:
            with pytest.warns(BlockingCallInEventLoopWarning):
                assert runtime.call(answer) == 42
            with pytest.raises(DeadlockError, match="event loop that serves what the call needs"):
                runtime.call(answer)

        asyncio.run(from_a_coroutine())
    finally:
        runtime.close()
    assert len(asked) == 2
