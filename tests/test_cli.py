"""The telnyx-orders command: its output and its exit status.

Commands run in this process through `main(argv)`, with the environment and standard streams a shell
would give them; a few smoke tests run it as users do, as `python -m telnyx_orders` in a new process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from telnyx_orders._cli import _parser, main
from telnyx_orders._cli._progress import ProgressLine
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import InexplicitNumberOrder

ROOT = Path(__file__).resolve().parents[1]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    with Sandbox(lifecycle_step=0.02).serve_in_thread() as running:
        yield running


@pytest.fixture
def sandbox(server: Sandbox) -> Iterator[Sandbox]:
    yield server
    server.reset()
    server.lifecycle_step = 0.02


def pointing_at(sandbox: Sandbox) -> dict[str, str]:
    return {"TELNYX_BASE_URL": sandbox.base_url, "TELNYX_API_KEY": sandbox.api_key}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def environment_for(sandbox: Sandbox | None, env: dict[str, str] | None) -> dict[str, str]:
    """This process's environment without TELNYX_ settings, then those pointing at `sandbox`, then `env`."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TELNYX_")}
    return environment | (pointing_at(sandbox) if sandbox is not None else {}) | (env or {})


def cli(*args: str, sandbox: Sandbox | None = None, env: dict[str, str] | None = None) -> Result:
    """`telnyx-orders ARGS` through `main(argv)`; against `sandbox`, through the environment, when given."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, environment_for(sandbox, env), clear=True),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            status = main(list(args))
        except SystemExit as exit:  # argparse, on a usage error or --help
            status = exit.code if isinstance(exit.code, int) else 1
    return Result(status, stdout.getvalue(), stderr.getvalue())


def cli_process(*args: str, sandbox: Sandbox | None = None) -> Result:
    """`python -m telnyx_orders ARGS` in a new process, as users run it."""
    environment = environment_for(sandbox, None)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "telnyx_orders", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env=environment,
    )
    return Result(result.returncode, result.stdout, result.stderr)


def one_error_line(result: Result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("telnyx-orders: error: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


# The demo


def test_demo_creates_waits_retrieves_and_shows_the_numbers_bought() -> None:
    result = cli_process("demo")

    assert result.returncode == 0, result.stderr
    assert re.search(rf"^created inexplicit number order {UUID}: 3 US local numbers", result.stdout, re.M)
    assert re.search(r"^US +local +3 +3 +success +312 +always +" + UUID, result.stdout, re.M)
    assert len(re.findall(r"^\+1312\d{7} +local +success$", result.stdout, re.M)) == 3
    assert "it bought 3 numbers:" in result.stdout
    assert re.search(r"sandbox serving the Telnyx API at http://127\.0\.0\.1:\d+/v2", result.stderr)
    progress = re.findall(r"^waiting for .*: US local \d/3 (\w+) \(\d+\.\d s\)$", result.stderr, re.M)
    assert progress[0] == "pending"
    assert progress[-1] == "success"


def test_demo_as_json() -> None:
    result = cli("demo", "--json")

    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["order"]["customer_reference"] == "demo"
    assert document["order"]["ordering_groups"][0]["status"] == "success"
    assert [number["status"] for number in document["phone_numbers"]] == ["success"] * 3


# One command each


def test_retrieve_shows_the_order(sandbox: Sandbox) -> None:
    order = sandbox.add_inexplicit_number_order(customer_reference="shown")

    result = cli("retrieve", order["id"], sandbox=sandbox)

    assert result.returncode == 0, result.stderr
    assert f"inexplicit number order {order['id']}" in result.stdout
    assert "customer reference: shown" in result.stdout
    assert re.search(r"^COUNTRY +TYPE +REQUESTED +ALLOCATED +STATUS", result.stdout, re.M)
    assert re.search(r"^US +local +1 +1 +success +970", result.stdout, re.M)


def test_retrieve_as_json_keeps_the_wire_keys(sandbox: Sandbox) -> None:
    order = sandbox.add_inexplicit_number_order()

    result = cli("retrieve", order["id"], "--json", sandbox=sandbox)

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["data"]
    assert data["id"] == order["id"]
    group = data["ordering_groups"][0]
    assert group["phone_number[starts_with]"] == "970"
    assert (
        group["orders"][0]["number_order_id"] == order["ordering_groups"][0]["orders"][0]["number_order_id"]
    )
    assert data["created_at"].endswith("+00:00")


def test_list_shows_the_first_page_or_all_of_them(sandbox: Sandbox) -> None:
    ids = [sandbox.add_inexplicit_number_order(customer_reference=f"ref-{n}")["id"] for n in range(3)]

    first = cli("list", "--page-size", "2", sandbox=sandbox)
    every = cli("--json", "list", "--page-size", "2", "--all", sandbox=sandbox)
    page = cli("list", "--json", "--page-size", "2", sandbox=sandbox)

    assert first.returncode == every.returncode == page.returncode == 0
    assert [line.split()[0] for line in first.stdout.splitlines()[1:]] == ids[:2]
    assert "US local 1/1 success" in first.stdout
    assert [order["id"] for order in json.loads(every.stdout)["data"]] == ids
    assert json.loads(page.stdout)["meta"] == {
        "page_number": 1,
        "page_size": 2,
        "total_pages": 2,
        "total_results": 3,
    }


def test_create_sends_the_group_and_waits_for_it(sandbox: Sandbox) -> None:
    result = cli(
        "create",
        "--country",
        "US",
        "--type",
        "local",
        "--count",
        "2",
        "--area-code",
        "312",
        "--strategy",
        "never",
        "--customer-reference",
        "from-the-shell",
        "--wait",
        "--poll-interval",
        "0.02",
        sandbox=sandbox,
    )

    assert result.returncode == 0, result.stderr
    (request,) = sandbox.requests_to("CreateInexplicitNumberOrder")
    assert request.json() == {
        "ordering_groups": [
            {
                "country_iso": "US",
                "phone_number_type": "local",
                "count_requested": "2",
                "national_destination_code": "312",
                "strategy": "never",
            }
        ],
        "customer_reference": "from-the-shell",
    }
    assert re.search(r"^US +local +2 +2 +success +312 +never", result.stdout, re.M)
    assert "waiting for" in result.stderr
    assert "it bought 2 numbers:" in result.stdout
    assert len(re.findall(r"^\+1312\d{7} +local +success$", result.stdout, re.M)) == 2, "as the demo shows"


def test_create_and_wait_as_json_give_the_order_and_the_numbers_bought(sandbox: Sandbox) -> None:
    result = cli(
        "create",
        "--country",
        "CA",
        "--type",
        "toll_free",
        "--count",
        "1",
        "--wait",
        "--json",
        sandbox=sandbox,
    )

    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["data"]["ordering_groups"][0]["status"] == "success"
    (number,) = document["phone_numbers"]
    assert number["phone_number_type"] == "toll_free"
    again = json.loads(cli("wait", document["data"]["id"], "--json", sandbox=sandbox).stdout)
    assert again["phone_numbers"] == document["phone_numbers"]


def test_each_sandbox_command_gets_a_fresh_sandbox_so_the_next_finds_nothing() -> None:
    created = cli("--sandbox", "create", "--country", "US", "--type", "local", "--count", "1", "--json")
    order_id = json.loads(created.stdout)["data"]["id"]

    result = cli("--sandbox", "retrieve", order_id)

    assert result.returncode == 1
    assert one_error_line(result).startswith("telnyx-orders: error: 404 ")


def test_create_without_wait_shows_the_pending_order() -> None:
    result = cli("--sandbox", "create", "--country", "CA", "--type", "toll_free", "--count", "1", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["data"]["ordering_groups"][0]["status"] == "pending"


def test_wait_shows_progress_then_the_finished_order(sandbox: Sandbox) -> None:
    created = cli("create", "--country", "US", "--type", "local", "--count", "2", "--json", sandbox=sandbox)
    order_id = json.loads(created.stdout)["data"]["id"]

    result = cli("wait", order_id, "--poll-interval", "0.01", sandbox=sandbox)

    assert result.returncode == 0, result.stderr
    progress = re.findall(rf"^waiting for {order_id}: US local (\d/2 \w+) \(\d\.\d s\)$", result.stderr, re.M)
    assert progress[-1] == "2/2 success"
    assert len(progress) == len(set(progress)), "not a terminal: a line only when the statuses change"
    assert f"inexplicit number order {order_id}" in result.stdout
    assert "it bought 2 numbers:" in result.stdout


def test_a_wait_out_of_time_exits_1(sandbox: Sandbox) -> None:
    sandbox.lifecycle_step = 60
    created = cli("create", "--country", "US", "--type", "local", "--count", "1", "--json", sandbox=sandbox)
    order_id = json.loads(created.stdout)["data"]["id"]

    result = cli("wait", order_id, "--timeout", "0.3", "--poll-interval", "0.05", sandbox=sandbox)

    assert result.returncode == 1
    assert one_error_line(result) == (
        f"telnyx-orders: error: inexplicit number order {order_id} was not complete after 0.3 s "
        "(ordering groups: pending)"
    )


def test_number_order_and_sub_number_order_show_their_numbers(sandbox: Sandbox) -> None:
    number_order = sandbox.add_number_order(phone_numbers_count=2, customer_reference="numbers")
    sub_id = number_order["sub_number_orders_ids"][0]

    shown = cli("number-order", number_order["id"], sandbox=sandbox)
    sub = cli("sub-number-order", sub_id, sandbox=sandbox)
    sub_json = cli("sub-number-order", sub_id, "--json", sandbox=sandbox)

    assert shown.returncode == sub.returncode == sub_json.returncode == 0
    numbers = [number["phone_number"] for number in number_order["phone_numbers"]]
    assert (
        f"number order {number_order['id']}: success, 2 numbers (customer reference numbers)" in shown.stdout
    )
    assert all(re.search(rf"^\{number} +local +success$", shown.stdout, re.M) for number in numbers)
    assert f"sub number order {sub_id} of number order {number_order['id']}: success, US local" in sub.stdout
    assert all(number in sub.stdout for number in numbers)
    assert [n["phone_number"] for n in json.loads(sub_json.stdout)["data"]["phone_numbers"]] == numbers
    assert dict(sandbox.requests_to("GetSubNumberOrder")[0].query) == {
        "filter[include_phone_numbers]": "true"
    }


@posix_only
def test_sandbox_serves_until_interrupted() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "telnyx_orders", "sandbox", "--lifecycle-step", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        base_url = re.fullmatch(r"sandbox serving the Telnyx API at (\S+)\n", process.stdout.readline())
        assert base_url is not None
        exports = process.stdout.readline()
        assert f"TELNYX_BASE_URL={base_url[1]}" in exports
        api_key = re.search(r"TELNYX_API_KEY=(\S+)", exports)
        assert api_key is not None
        request = urllib.request.Request(
            f"{base_url[1]}/number_orders", headers={"Authorization": f"Bearer {api_key[1]}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.load(response)["data"] == []
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()

    assert process.returncode == 0
    assert "sandbox stopped" in stderr


# Errors and exit statuses


def test_an_api_error_is_one_line_with_the_telnyx_code_and_detail_and_exits_1(sandbox: Sandbox) -> None:
    result = cli_process("retrieve", "no-such-order", sandbox=sandbox)

    assert result.returncode == 1
    assert re.fullmatch(
        r"telnyx-orders: error: 404 Resource not found \(code 10005\): "
        rf"The requested resource or URL could not be found\. \(request id {UUID}\)",
        one_error_line(result),
    )
    assert result.stdout == ""


def test_a_refused_create_names_the_field(sandbox: Sandbox) -> None:
    result = cli("create", "--country", "DE", "--type", "local", "--count", "1", sandbox=sandbox)

    assert result.returncode == 1
    assert "422" in one_error_line(result)
    assert "[at /ordering_groups/0/country_iso]" in one_error_line(result)


def test_a_create_that_may_have_taken_effect_says_so(sandbox: Sandbox) -> None:
    sandbox.faults.status(503, operation="CreateInexplicitNumberOrder")

    result = cli("create", "--country", "US", "--type", "local", "--count", "1", sandbox=sandbox)

    assert result.returncode == 1
    assert one_error_line(result).endswith("the order may exist: list recent orders before trying again")


def test_no_answer_at_all_exits_1() -> None:
    with Sandbox().serve_in_thread() as stopped:
        gone = pointing_at(stopped)  # once stopped, its port refuses connections

    result = cli("retrieve", "any", "--json", env=gone)

    assert result.returncode == 1
    assert "failed to get a response" in one_error_line(result)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((), "the following arguments are required: COMMAND (see telnyx-orders --help)"),
        (
            ("create", "--country", "US", "--type", "local", "--count", "abc"),
            "argument --count: must be a whole number, not 'abc' (see telnyx-orders create --help)",
        ),
        (
            ("create", "--country", "US", "--type", "local", "--count", "0"),
            "argument --count: must be 1 or more, not 0 (see telnyx-orders create --help)",
        ),
        (("list", "--page-size", "251"), "argument --page-size: must be 250 at most, not 251"),
        (("wait", "x", "--timeout", "soon"), "argument --timeout: must be a number of seconds, not 'soon'"),
        (("sandbox", "--port", "eighty"), "argument --port: must be a whole number, not 'eighty'"),
        (("create", "--country", "US", "--type", "local"), "the following arguments are required: --count"),
        (("retrieve",), "the following arguments are required: id (see telnyx-orders retrieve --help)"),
        (("bogus",), "invalid choice: 'bogus'"),
        (("sandbox", "--json"), "unrecognized arguments: --json"),
        (("--sandbox", "sandbox"), "the sandbox command takes no --sandbox (see telnyx-orders --help)"),
        (("--sandbox", "demo"), "the demo command takes no --sandbox"),
        (("--json", "sandbox", "--port", "0"), "the sandbox command takes no --json"),
    ],
)
def test_a_wrong_command_line_is_one_plain_line_and_exit_status_2(
    arguments: tuple[str, ...], message: str
) -> None:
    result = cli(*arguments)

    assert result.returncode == 2
    assert result.stdout == ""
    assert one_error_line(result) == result.stderr.rstrip("\n"), "one line, and nothing else"
    assert message in result.stderr
    assert "usage:" not in result.stderr
    assert "_positive" not in result.stderr


def every_command_parser() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    (commands,) = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    return {"": parser, **commands.choices}


@pytest.mark.parametrize(("name", "parser"), every_command_parser().items())
def test_every_option_of_every_command_has_help(name: str, parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        assert action.help, f"{name or 'telnyx-orders'} {action.option_strings or action.dest} has no help"
        assert action.help is not argparse.SUPPRESS


@pytest.mark.parametrize(
    ("name", "shared"),
    [
        ("retrieve", {"--json", "--sandbox"}),
        ("list", {"--json", "--sandbox"}),
        ("create", {"--json", "--sandbox"}),
        ("wait", {"--json", "--sandbox"}),
        ("number-order", {"--json", "--sandbox"}),
        ("sub-number-order", {"--json", "--sandbox"}),
        ("demo", {"--json"}),
        ("sandbox", set()),
    ],
)
def test_each_commands_help_lists_only_the_options_that_apply(name: str, shared: set[str]) -> None:
    result = cli(name, "--help")

    assert result.returncode == 0
    assert {flag for flag in ("--json", "--sandbox") if flag in result.stdout} == shared


def test_the_demos_help_gives_its_own_poll_interval() -> None:
    assert "(default 0.2)" in cli("demo", "--help").stdout
    assert "(default 1.0)" in cli("wait", "--help").stdout


def test_a_value_the_sdk_refuses_is_a_usage_error_before_any_request() -> None:
    result = cli("--sandbox", "create", "--country", "USA", "--type", "local", "--count", "1")

    assert result.returncode == 2
    assert "country_iso must be a two-letter ISO 3166-1 country code" in one_error_line(result)


def test_without_an_api_key_it_says_how_to_give_one() -> None:
    result = cli("retrieve", "any")

    assert result.returncode == 2
    line = one_error_line(result)
    assert "TELNYX_API_KEY" in line
    assert "--sandbox" in line


# In process: what the separate processes cannot show


def test_main_returns_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--sandbox", "list"]) == 0
    assert capsys.readouterr().out.startswith("ID  CREATED  CUSTOMER REFERENCE  ORDERING GROUPS")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def order_with(status: str) -> InexplicitNumberOrder:
    from telnyx_orders._converter import structure

    document: dict[str, Any] = {
        "id": "o-1",
        "ordering_groups": [
            {"country_iso": "US", "phone_number_type": "local", "count_requested": 2, "status": status}
        ],
    }
    return structure(document, InexplicitNumberOrder)


def test_on_a_terminal_the_progress_line_is_rewritten_in_place() -> None:
    terminal = Terminal()
    times = iter([0.0, 0.5, 1.25])
    progress = ProgressLine(terminal, clock=lambda: next(times))

    progress(order_with("pending"))
    progress(order_with("success"))
    progress.finish()

    assert terminal.getvalue() == (
        "\rwaiting for o-1: US local 0/2 pending (0.5 s)\x1b[K"
        "\rwaiting for o-1: US local 0/2 success (1.2 s)\x1b[K\n"
    )


def test_in_a_log_the_progress_is_written_only_when_it_changes() -> None:
    log = io.StringIO()
    progress = ProgressLine(log, clock=lambda: 0.0)

    for status in ("pending", "pending", "processing", "processing", "success"):
        progress(order_with(status))
    progress.finish()

    assert log.getvalue().splitlines() == [
        "waiting for o-1: US local 0/2 pending (0.0 s)",
        "waiting for o-1: US local 0/2 processing (0.0 s)",
        "waiting for o-1: US local 0/2 success (0.0 s)",
    ]
