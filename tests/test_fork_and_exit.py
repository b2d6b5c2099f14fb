"""The blocking client across a process's life: forks, the end of the interpreter, and a close that
races a call. What happens at a fork or at exit is watched from a child Python process."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from collections.abc import Callable

import pytest

from telnyx_orders import APIConnectionError, AsyncTelnyx, Telnyx
from telnyx_orders.testing import Sandbox

from .test_runtime import run_python

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="fork")


def outcome_of(script: str, *arguments: str, options: tuple[str, ...] = ()) -> tuple[str, str]:
    """Run `script` in a child Python; its stdout and stderr, once it has exited with status 0."""
    process = run_python(script, *options, args=arguments)
    try:
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    return stdout, stderr


# Fork

FORKING_SCRIPT = """
import json, multiprocessing, os, sys, warnings
from aiohttp import web
from telnyx_orders import Telnyx
from telnyx_orders.testing import Sandbox

# Python 3.12+ warns that forking a process with threads may deadlock; that is what is tested here.
warnings.simplefilter("ignore", DeprecationWarning)
ports = {}

async def note_the_connection(request):
    order_id = request.path.rsplit("/", 1)[-1]
    ports.setdefault(order_id, []).append(request.transport.get_extra_info("peername")[1])
    return web.json_response({"data": {"id": order_id}})

def square(n):
    return n * n

with Sandbox().serve_in_thread() as sandbox:
    sandbox.faults.respond(note_the_connection, method="GET", times=None)
    # A deadline, so that a parent left deaf to its connections fails rather than hangs.
    with Telnyx(sandbox.api_key, base_url=sandbox.base_url, timeout=5) as client:
        client.number_orders.retrieve("before")
        fork = sys.argv[1]
        if fork == "bare":
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)
        elif fork == "pool":
            with multiprocessing.get_context("fork").Pool(2) as pool:
                assert pool.map(square, range(4)) == [0, 1, 4, 9]
        else:
            pid = os.fork()
            if pid == 0:
                status = 1
                try:
                    status = 0 if client.number_orders.retrieve("child").data.id == "child" else 2
                finally:
                    os._exit(status)
            _, status = os.waitpid(pid, 0)
            assert os.waitstatus_to_exitcode(status) == 0
        client.number_orders.retrieve("after")
        created = client.number_orders.create(phone_numbers=["+13125550100"])
        print(json.dumps({
            "ports": ports,
            "created": created.data.id is not None,
            "creates": len(sandbox.requests_to("CreateNumberOrder")),
        }))
"""


@posix_only
@pytest.mark.parametrize("fork", ["bare", "pool"])
def test_a_fork_whose_child_leaves_the_client_alone_leaves_the_parents_client_working(fork: str) -> None:
    # The child's copy of the parent's connections used to unregister the parent's sockets from the
    # epoll instance both share: the parent's next call then waited out its whole deadline.
    stdout, stderr = outcome_of(FORKING_SCRIPT, fork)
    seen = json.loads(stdout)

    assert seen["ports"]["before"] == seen["ports"]["after"], "the parent's pooled connection still serves it"
    assert seen["created"], "a create after the fork is placed and reported placed, not timed out"
    assert seen["creates"] == 1
    assert stderr == ""


@posix_only
def test_a_forked_child_that_uses_the_client_opens_connections_of_its_own() -> None:
    stdout, stderr = outcome_of(FORKING_SCRIPT, "child-uses")
    seen = json.loads(stdout)

    assert seen["ports"]["before"] == seen["ports"]["after"]
    assert seen["ports"]["child"] != seen["ports"]["before"], "the child did not use the parent's connection"
    assert seen["created"]
    assert seen["creates"] == 1
    assert stderr == ""


CHILD_EXITING_NORMALLY = """
import os, sys, warnings
from telnyx_orders import Telnyx
from telnyx_orders.testing import Sandbox

warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+: forking a process with threads
with Sandbox().serve_in_thread() as sandbox:
    order_id = sandbox.add_number_order()["id"]
    client = Telnyx(sandbox.api_key, base_url=sandbox.base_url, timeout=5)
    client.number_orders.retrieve(order_id)
    pid = os.fork()
    if pid == 0:
        sys.exit(0)  # a normal exit: the child's objects, the inherited loop among them, are finalized
    os.waitpid(pid, 0)
    print(client.number_orders.retrieve(order_id).data.id == order_id)
    client.close()
"""


@posix_only
def test_a_child_that_exits_normally_neither_disturbs_the_parent_nor_reports_its_connections() -> None:
    # Finalizing the inherited loop closed it, unregistering the parent's own wake-up pipe.
    stdout, stderr = outcome_of(CHILD_EXITING_NORMALLY)

    assert stdout == "True\n"
    assert stderr == "", "the parent's connections, inherited by the child, are not the child's to report"


# The end of the interpreter

NEVER_CLOSED = """
import gc, sys
from telnyx_orders import Telnyx
from telnyx_orders.testing import Sandbox

with Sandbox().serve_in_thread() as sandbox:
    order_id = sandbox.add_number_order()["id"]
    kept = Telnyx(sandbox.api_key, base_url=sandbox.base_url)
    print(kept.number_orders.retrieve(order_id).data.id == order_id)
    # One more, never closed and not even kept: it is collected as soon as its call returns.
    dropped = Telnyx(sandbox.api_key, base_url=sandbox.base_url).number_orders.retrieve(order_id)
    gc.collect()
    print(dropped.data.id == order_id)
"""


def test_a_script_that_never_closes_its_clients_exits_silently() -> None:
    stdout, stderr = outcome_of(NEVER_CLOSED)

    assert stdout == "True\nTrue\n"
    assert stderr == "", "no 'Unclosed client session' from aiohttp: the connections were closed"


def test_the_only_resource_warning_of_an_unclosed_client_is_its_own() -> None:
    # Shown, every ResourceWarning would include aiohttp's for a session or connector left open.
    _, stderr = outcome_of(NEVER_CLOSED, options=("-W", "always::ResourceWarning"))

    lines = stderr.splitlines()
    warnings = [line for line in lines if "ResourceWarning: " in line and "tracemalloc" not in line]
    assert len(warnings) == 2
    assert all("ResourceWarning: unclosed Telnyx client" in line for line in warnings)
    assert "Unclosed" not in stderr


# A close that races a call


def closed_under(sandbox: Sandbox, call: Callable[[Telnyx], object]) -> BaseException:
    """What `call` raises on another thread when this one closes the client while its request is out."""
    sandbox.faults.latency(10, times=None)  # the answer never comes before the close
    client = Telnyx(sandbox.api_key, base_url=sandbox.base_url, timeout=20)
    raised: list[BaseException] = []

    def calling() -> None:
        try:
            call(client)
        except BaseException as error:
            raised.append(error)

    caller = threading.Thread(target=calling)
    caller.start()
    for _ in range(500):
        if sandbox.requests:
            break
        time.sleep(0.01)
    assert len(sandbox.requests) == 1, "the request is out"
    client.close()
    caller.join(10)
    assert not caller.is_alive()
    assert len(sandbox.requests) == 1, "nothing was retried after the close"
    (error,) = raised
    return error


def test_a_retrieve_cut_short_by_close_says_the_client_was_closed(served_sandbox: Sandbox) -> None:
    order_id = served_sandbox.add_number_order()["id"]

    error = closed_under(served_sandbox, lambda client: client.number_orders.retrieve(order_id))

    assert type(error) is RuntimeError, "not a bare CancelledError"
    assert str(error).startswith("the client was closed while this call was in flight")


def test_a_create_cut_short_by_close_says_the_order_may_exist(served_sandbox: Sandbox) -> None:
    error = closed_under(
        served_sandbox, lambda client: client.number_orders.create(phone_numbers=["+13125550100"])
    )

    assert type(error) is RuntimeError
    assert str(error).startswith("the client was closed while this call was in flight")
    assert "the order may exist" in str(error)
    assert isinstance(error.__cause__, APIConnectionError)
    assert error.__cause__.may_have_taken_effect


def test_a_wait_cut_short_by_close_says_the_client_was_closed(served_sandbox: Sandbox) -> None:
    order_id = served_sandbox.add_inexplicit_number_order()["id"]

    error = closed_under(
        served_sandbox, lambda client: client.inexplicit_number_orders.wait(order_id, timeout=15)
    )

    assert type(error) is RuntimeError
    assert "the client was closed while this call was in flight" in str(error)


async def test_an_async_call_cut_short_by_aclose_is_not_retried_on_new_connections() -> None:
    async with Sandbox() as sandbox:
        order_id = sandbox.add_number_order()["id"]
        sandbox.faults.latency(10)
        client = AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, timeout=20)
        call = asyncio.create_task(client.number_orders.retrieve(order_id))
        for _ in range(500):
            if sandbox.requests:
                break
            await asyncio.sleep(0.01)

        await client.aclose()
        with pytest.raises(RuntimeError, match="the client was closed while this call was in flight"):
            await asyncio.wait_for(call, 10)

        assert len(sandbox.requests) == 1, "the retry did not open a new session behind the closed one"
