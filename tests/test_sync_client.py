"""The generated blocking client, `Telnyx`, against the sandbox."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from telnyx_orders import (
    AsyncTelnyx,
    InternalServerError,
    NotFoundError,
    Telnyx,
    TelnyxError,
    Timeout,
)
from telnyx_orders._sync import BlockingCallInEventLoopWarning
from telnyx_orders.testing import Sandbox

ROOT = Path(__file__).resolve().parents[1]
LOOP_THREAD = "telnyx-orders-loop"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and fork")

# (client attribute, how the sandbox stores a document it serves, the sandbox's operationId)
RESOURCES: list[tuple[str, Callable[..., dict[str, Any]], str]] = [
    ("inexplicit_number_orders", Sandbox.add_inexplicit_number_order, "RetrieveInexplicitNumberOrder"),
    ("number_orders", Sandbox.add_number_order, "RetrieveNumberOrder"),
    ("sub_number_orders", Sandbox.add_sub_number_order, "GetSubNumberOrder"),
]


def loop_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == LOOP_THREAD]


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    with Sandbox().serve_in_thread() as running:
        yield running


@pytest.fixture
def sandbox(server: Sandbox) -> Iterator[Sandbox]:
    yield server
    server.reset()


@pytest.fixture(autouse=True)
def threads_are_restored(server: Sandbox) -> Iterator[None]:
    """Every client a test opens is closed by its end, and its loop thread is gone."""
    before = set(threading.enumerate())
    yield
    assert loop_threads() == []
    assert set(threading.enumerate()) == before


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Telnyx]:
    with Telnyx(sandbox.api_key, base_url=sandbox.base_url, max_retries=0) as client:
        yield client


async def retrieve_async(sandbox: Sandbox, resource: str, order_id: str) -> object:
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_retries=0) as client:
        return await getattr(client, resource).retrieve(order_id)


# Calls


@pytest.mark.parametrize(("resource", "add", "operation"), RESOURCES)
def test_retrieve_returns_what_async_telnyx_returns(
    client: Telnyx, sandbox: Sandbox, resource: str, add: Callable[..., dict[str, Any]], operation: str
) -> None:
    order_id = add(sandbox)["id"]

    envelope = getattr(client, resource).retrieve(order_id)

    assert envelope.data.id == order_id
    assert envelope == asyncio.run(retrieve_async(sandbox, resource, order_id))
    assert [request.path.rsplit("/", 1)[-1] for request in sandbox.requests_to(operation)] == [order_id] * 2


def test_keyword_arguments_are_passed_on(client: Telnyx, sandbox: Sandbox) -> None:
    order_id = sandbox.add_sub_number_order()["id"]

    client.sub_number_orders.retrieve(order_id, include_phone_numbers=True, extra_headers={"X-Trace": "t-1"})

    (request,) = sandbox.requests
    assert request.query == [("filter[include_phone_numbers]", "true")]
    assert request.headers["x-trace"] == "t-1"


def test_errors_are_the_async_clients_with_their_details(client: Telnyx, sandbox: Sandbox) -> None:
    with pytest.raises(NotFoundError) as not_found:
        client.inexplicit_number_orders.retrieve("no-such-order")
    with pytest.raises(NotFoundError) as async_not_found:
        asyncio.run(retrieve_async(sandbox, "inexplicit_number_orders", "no-such-order"))

    assert not_found.value.status_code == 404
    assert not_found.value.errors
    assert not_found.value.errors == async_not_found.value.errors

    sandbox.faults.status(500)
    with pytest.raises(InternalServerError):
        client.number_orders.retrieve(sandbox.add_number_order()["id"])
    with pytest.raises(ValueError, match="must be a non-empty string"):
        client.number_orders.retrieve(" ")


def test_constructor_errors_are_raised_before_any_thread_starts() -> None:
    with pytest.raises(ValueError, match="max_connections"):
        Telnyx("key", max_connections=0)
    with pytest.raises(TelnyxError, match="No API key"):
        Telnyx("")


def test_properties_are_the_async_clients(sandbox: Sandbox) -> None:
    with Telnyx("key", base_url=sandbox.base_url, timeout=2.5, max_retries=4) as client:
        assert client.base_url == sandbox.base_url
        assert client.timeout == Timeout(total=2.5, connect=2.5)
        assert client.max_retries == 4
        assert not client.is_closed


def test_repr_shows_the_base_url_and_never_the_key() -> None:
    with Telnyx("secret-key-123", base_url="http://127.0.0.1:9/v2") as client:
        assert repr(client) == "<Telnyx base_url='http://127.0.0.1:9/v2'>"


# Closing


def test_with_closes_the_connections_and_stops_the_loop_thread(sandbox: Sandbox) -> None:
    order_id = sandbox.add_number_order()["id"]
    with Telnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        client.number_orders.retrieve(order_id)
        assert len(loop_threads()) == 1

    assert client.is_closed
    assert loop_threads() == []
    with pytest.raises(RuntimeError, match="client is closed"):
        client.number_orders.retrieve(order_id)


def test_closing_twice_or_before_any_call_is_harmless(client: Telnyx, sandbox: Sandbox) -> None:
    client.number_orders.retrieve(sandbox.add_number_order()["id"])
    client.close()
    client.close()
    assert client.is_closed

    unused = Telnyx("key")
    unused.close()
    assert unused.is_closed


def test_with_options_shares_the_loop_thread_and_closing_the_copy_leaves_it_running(
    client: Telnyx, sandbox: Sandbox
) -> None:
    order_id = sandbox.add_number_order()["id"]
    copy = client.with_options(max_retries=1, default_headers={"X-Copy": "yes"})

    assert isinstance(copy, Telnyx)
    assert (copy.max_retries, client.max_retries) == (1, 0)
    client.number_orders.retrieve(order_id)
    copy.number_orders.retrieve(order_id)
    assert len(loop_threads()) == 1
    assert [request.headers.get("x-copy") for request in sandbox.requests] == [None, "yes"]

    copy.close()
    assert not copy.is_closed
    assert client.number_orders.retrieve(order_id).data.id == order_id
    assert copy.number_orders.retrieve(order_id).data.id == order_id

    client.close()
    assert copy.is_closed
    with pytest.raises(RuntimeError, match="client is closed"):
        copy.number_orders.retrieve(order_id)


# Callers on event loops and on many threads


def test_a_call_inside_asyncio_run_works_and_warns_once_at_the_callers_line(
    client: Telnyx, sandbox: Sandbox
) -> None:
    order_id = sandbox.add_number_order()["id"]

    async def main() -> list[str | None]:
        return [client.number_orders.retrieve(order_id).data.id for _ in range(2)]

    with pytest.warns(BlockingCallInEventLoopWarning, match="use AsyncTelnyx") as record:
        assert asyncio.run(main()) == [order_id, order_id]

    assert len(record) == 1
    assert record[0].filename == __file__


def test_32_threads_share_one_client_and_one_loop_thread(client: Telnyx, sandbox: Sandbox) -> None:
    order_ids = [sandbox.add_number_order()["id"] for _ in range(4)]
    start_together = threading.Barrier(32)

    def caller(first: int) -> list[tuple[str, str | None, int]]:
        start_together.wait()
        results = []
        for n in range(first, first + 50):
            order_id = order_ids[n % len(order_ids)]
            results.append((order_id, client.number_orders.retrieve(order_id).data.id, len(loop_threads())))
        return results

    with ThreadPoolExecutor(32) as pool:
        results = [result for batch in pool.map(caller, range(0, 1600, 50)) for result in batch]

    assert len(results) == 1600
    assert all(wanted == got for wanted, got, _ in results)
    assert {threads for _, _, threads in results} == {1}


# Processes


@posix_only
def test_a_forked_child_retrieves_on_a_fresh_loop_and_session(client: Telnyx, sandbox: Sandbox) -> None:
    order_id = sandbox.add_number_order()["id"]
    in_parent = client.number_orders.retrieve(order_id)

    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads may deadlock; forking while the loop
        # thread runs is exactly what this test checks the client survives.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        status = 1
        signal.alarm(5)  # a child stuck on the parent's loop dies instead of hanging the test
        try:
            status = 0 if client.number_orders.retrieve(order_id) == in_parent else 2
        finally:
            os._exit(status)

    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert client.number_orders.retrieve(order_id) == in_parent
    assert len(sandbox.requests_to("RetrieveNumberOrder")) == 3


INTERRUPTED_CALL = """
import threading, time
from telnyx_orders import Telnyx
from telnyx_orders.testing import Sandbox

with Sandbox().serve_in_thread() as sandbox:
    order_id = sandbox.add_number_order()["id"]
    sandbox.faults.latency(60)

    def announce_the_request() -> None:
        while not sandbox.requests:
            time.sleep(0.01)
        print("in flight", flush=True)

    threading.Thread(target=announce_the_request, daemon=True).start()
    with Telnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        try:
            client.number_orders.retrieve(order_id)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            raise
"""


@posix_only
def test_ctrl_c_interrupts_a_call_in_flight_and_the_process_exits_promptly() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_CALL],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "in flight\n"
        interrupted_at = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
        exited_after = time.monotonic() - interrupted_at
    finally:
        process.kill()

    assert stdout == "interrupted\n"
    assert "KeyboardInterrupt" in stderr
    assert process.returncode != 0
    assert exited_after < 3  # the sandbox gives its request in flight 1 s before cancelling it
