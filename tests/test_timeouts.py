"""Time limits: a call ends when its deadline says, to the loop clock, not to the next whole second."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator

import pytest

from telnyx_orders import APITimeoutError, AsyncTelnyx, Timeout
from telnyx_orders._timeouts import Deadline, client_timeout, to_timeout


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """The base URL of a server that accepts connections, reads what it is sent and never answers."""

    async def listen_forever(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await reader.read(65536):
            pass
        writer.close()

    server = await asyncio.start_server(listen_forever, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}/v2"


async def _seconds_until_timeout(client: AsyncTelnyx, timeout: float | Timeout) -> float:
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(APITimeoutError):
        await client.inexplicit_number_orders.retrieve("order", timeout=timeout)
    return loop.time() - started


async def test_a_deadline_of_five_seconds_or_more_is_kept_to_the_loop_clock(silent_server: str) -> None:
    # aiohttp rounds timers of 5 s and more up to a whole second of the loop clock unless told not to.
    async with AsyncTelnyx("key", base_url=silent_server, max_retries=0) as client:
        whole_call, read_limit = await asyncio.gather(
            _seconds_until_timeout(client, 5.3),
            _seconds_until_timeout(client, Timeout(total=None, read=5.3)),
        )

    assert 5.3 <= whole_call < 5.35
    assert 5.3 <= read_limit < 5.35


def test_an_attempt_timeout_is_never_rounded_by_aiohttp() -> None:
    limits = client_timeout(Timeout(total=5.3, connect=5.1, read=7.5))

    assert (limits.total, limits.sock_connect, limits.sock_read) == (5.3, 5.1, 7.5)
    assert limits.ceil_threshold == math.inf


def test_a_number_is_the_whole_calls_deadline_with_the_connect_limit_capped_by_it() -> None:
    assert to_timeout(30) == Timeout(total=30, connect=5, read=None)
    assert to_timeout(2) == Timeout(total=2, connect=2, read=None)


async def test_each_request_of_a_deadline_gets_the_time_that_is_left() -> None:
    deadline = Deadline(Timeout(total=60, connect=5, read=10), at=asyncio.get_running_loop().time() + 2)

    limits = deadline.next_limits()

    assert limits.connect == 5
    assert limits.read == 10
    assert limits.total is not None
    assert 1.9 < limits.total <= 2


async def test_a_request_shorter_than_the_time_left_keeps_its_own_limits() -> None:
    limits = Timeout(total=1, connect=1)
    deadline = Deadline.start(limits, 600)

    assert deadline.next_limits() is limits
    assert deadline.allows(500)
    assert not deadline.allows(600)
    assert not deadline.passed()


async def test_a_passed_deadline_leaves_nothing_to_wait_for() -> None:
    deadline = Deadline(Timeout(), at=asyncio.get_running_loop().time() - 1)

    assert deadline.passed()
    assert not deadline.allows(0)
    assert deadline.next_limits().total == 0.001


async def test_without_a_deadline_everything_fits() -> None:
    deadline = Deadline.start(Timeout(total=None))

    assert deadline.remaining() == math.inf
    assert deadline.allows(10**9)
    assert deadline.next_limits() == Timeout(total=None)
