"""Text from the server is untrusted: what the command prints of it has its control characters escaped,
so that an error is one line and no escape sequence reaches the terminal; an error's message stays
bounded however many errors Telnyx lists; and Ctrl-C during a create says whether the order may exist."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from typing import Any

import pytest

from telnyx_orders import AsyncTelnyx, UnprocessableEntityError
from telnyx_orders._error_mapping import summarize
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import ErrorDetail

from .test_cli import ROOT, Result, cli, environment_for, one_error_line

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# Retitles the terminal, rings its bell, clears the screen, forges a line and reverses what follows.
HOSTILE = "\x1b]0;owned\x07\x1b[2J\r\nforged line\u202eevil"
ESCAPED = r"\x1b]0;owned\x07\x1b[2J\r\nforged line\u202eevil"
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]")
"""Any control character but the line feeds between the lines the command itself prints."""


@pytest.fixture
def sandbox(served_sandbox: Sandbox) -> Sandbox:
    return served_sandbox


def assert_printed_safely(result: Result, lines: int) -> None:
    """No control character reached the output, and the server's text showed escaped, on its own line."""
    assert not CONTROL.search(result.stdout + result.stderr)
    assert ESCAPED in result.stdout + result.stderr
    assert "forged line" not in [line.strip() for line in (result.stdout + result.stderr).splitlines()]
    assert len(result.stdout.splitlines()) == lines


# What the commands print


def test_an_orders_server_text_is_printed_escaped(sandbox: Sandbox) -> None:
    group = {
        "country_iso": "US",
        "phone_number_type": HOSTILE,
        "count_requested": 1,
        "status": HOSTILE,
        "error_reason": HOSTILE,
    }
    order = sandbox.add_inexplicit_number_order(customer_reference=HOSTILE, ordering_groups=[group])

    shown = cli("retrieve", order["id"], sandbox=sandbox)
    listed = cli("list", sandbox=sandbox)

    assert shown.returncode == listed.returncode == 0
    assert_printed_safely(shown, lines=6)  # the order, its reference and times, a table of its one group
    assert_printed_safely(listed, lines=2)
    assert f"customer reference: {ESCAPED}" in shown.stdout


def test_a_number_order_and_its_numbers_are_printed_escaped(sandbox: Sandbox) -> None:
    number_order = sandbox.add_number_order(customer_reference=HOSTILE, status=HOSTILE)
    sub_order = sandbox.add_sub_number_order(
        status=HOSTILE, phone_number_type=HOSTILE, country_code=HOSTILE, order_request_id=HOSTILE
    )

    shown = cli("number-order", number_order["id"], sandbox=sandbox)
    sub = cli("sub-number-order", sub_order["id"], sandbox=sandbox)

    assert shown.returncode == sub.returncode == 0
    assert_printed_safely(shown, lines=3)  # the order, the table header, its one number
    assert_printed_safely(sub, lines=3)


def test_a_waits_progress_is_printed_escaped(sandbox: Sandbox) -> None:
    group = {"country_iso": "US", "phone_number_type": "local", "count_requested": 1, "status": HOSTILE}
    order = sandbox.add_inexplicit_number_order(ordering_groups=[group])

    # An unknown status is not final: the wait runs out of time, showing it.
    result = cli("wait", order["id"], "--timeout", "0.3", "--poll-interval", "0.05", sandbox=sandbox)

    assert result.returncode == 1
    progress = [line for line in result.stderr.splitlines() if line.startswith("waiting for")]
    assert progress == [f"waiting for {order['id']}: US local 0/1 {ESCAPED} (0.0 s)"]
    assert not CONTROL.search(result.stderr)


# Errors


def test_an_api_error_with_hostile_text_is_one_escaped_line(sandbox: Sandbox) -> None:
    sandbox.faults.status(422, title=HOSTILE, detail=HOSTILE)

    result = cli("retrieve", "any", sandbox=sandbox)

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert one_error_line(result).startswith(f"telnyx-orders: error: 422 {ESCAPED} (code ")
    assert f"): {ESCAPED} (request id " in one_error_line(result)
    assert_printed_safely(result, lines=0)


def test_a_proxys_html_error_page_with_hostile_text_is_one_escaped_line(sandbox: Sandbox) -> None:
    sandbox.faults.html(status=403, body=f"<html>Forbidden {HOSTILE}</html>".encode())  # not retried

    result = cli("retrieve", "any", sandbox=sandbox)

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert not CONTROL.search(result.stderr)
    assert r"\x1b]0;owned\x07\x1b[2J" in one_error_line(result)


def errors(count: int) -> dict[str, Any]:
    return {"errors": [{"code": str(n), "title": "Invalid value", "detail": "x" * 100} for n in range(count)]}


async def test_an_error_listing_many_errors_has_a_bounded_message_and_keeps_them_all(
    sandbox: Sandbox,
) -> None:
    sandbox.faults.wrong_shape(errors(20_000), status=422)

    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        with pytest.raises(UnprocessableEntityError) as caught:
            await client.inexplicit_number_orders.retrieve("any")

    message = str(caught.value)
    assert len(message) < 3_000
    assert "Invalid value (code 9): " in message
    assert "Invalid value (code 10):" not in message
    assert message.count("; and 19990 more errors (all in .errors)") == 1
    assert len(caught.value.errors) == 20_000
    assert caught.value.errors[-1].code == "19999"


def test_the_commands_error_line_is_bounded_too(sandbox: Sandbox) -> None:
    sandbox.faults.wrong_shape(errors(20_000), status=422)

    result = cli("retrieve", "any", sandbox=sandbox)

    assert result.returncode == 1
    assert len(one_error_line(result)) < 3_000
    assert "; and 19990 more errors (all in .errors)" in one_error_line(result)


def test_a_long_detail_is_cut() -> None:
    summary = summarize([ErrorDetail(title="Bad", detail="y" * 100_000)])

    assert len(summary) == 2_000
    assert summary.endswith("y…")


# Ctrl-C during a create


def interrupt_when(sandbox: Sandbox, arrived: str, *arguments: str) -> Result:
    """Run `telnyx-orders ARGUMENTS` in a new process; Ctrl-C it once the sandbox has seen `arrived`."""
    environment = environment_for(sandbox, None)
    environment["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "telnyx_orders", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        for _ in range(1000):
            if sandbox.requests_to(arrived):
                break
            time.sleep(0.01)
        assert sandbox.requests_to(arrived), f"{arrived} never arrived"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    return Result(process.returncode, stdout, stderr)


@posix_only
def test_ctrl_c_before_a_create_is_answered_says_the_order_may_exist_and_how_to_check(
    sandbox: Sandbox,
) -> None:
    sandbox.faults.latency(10, method="POST")

    result = interrupt_when(
        sandbox,
        "CreateInexplicitNumberOrder",
        *("create", "--country", "US", "--type", "local", "--count", "1", "--customer-reference", "ref-7"),
    )

    assert result.returncode == 130
    assert result.stderr.splitlines()[-1] == (
        "telnyx-orders: interrupted before Telnyx answered: the order may have been placed all the same; "
        "look for an order with customer reference 'ref-7' with `telnyx-orders list` before creating it again"
    )


@posix_only
def test_ctrl_c_while_a_create_waits_names_the_order_placed(sandbox: Sandbox) -> None:
    sandbox.lifecycle_step = 60  # the order stays pending: the command waits until interrupted

    result = interrupt_when(
        sandbox,
        "RetrieveInexplicitNumberOrder",
        *(
            "create",
            "--country",
            "US",
            "--type",
            "local",
            "--count",
            "1",
            "--wait",
            "--poll-interval",
            "0.05",
        ),
    )

    (created,) = sandbox.requests_to("CreateInexplicitNumberOrder")
    (order_id,) = sandbox.documents("inexplicit_number_orders")
    assert result.returncode == 130
    assert result.stderr.splitlines()[-1] == (
        f"telnyx-orders: interrupted while waiting: order {order_id} was placed; "
        f"`telnyx-orders wait {order_id}` waits for it again"
    )
    assert created.json()["ordering_groups"][0]["country_iso"] == "US"
