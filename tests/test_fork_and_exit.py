"""The blocking client across a process's life: forks. What happens at a fork is watched from a child
Python process."""

from __future__ import annotations

import json
import sys

import pytest

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
