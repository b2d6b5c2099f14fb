"""The commands that choose numbers before buying them: search, reserve and order-numbers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from telnyx_orders.testing import Sandbox

from .test_cli import cli, one_error_line


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(lifecycle_step=0).serve_in_thread() as running:
        yield running


def test_search_prints_each_number_with_its_features_region_and_cost(sandbox: Sandbox) -> None:
    result = cli(
        "search", "--country", "US", "--area-code", "970", "--feature", "sms", "--limit", "3", sandbox=sandbox
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "3 numbers for sale (of 3 found)"
    assert lines[1].split() == ["PHONE", "NUMBER", "FEATURES", "REGION", "UPFRONT", "MONTHLY", "CURRENCY"]
    rows = lines[2:]
    assert len(rows) == 3
    for row in rows:
        assert re.match(r"^\+1970\d{7}  +\S*sms\S*  .+  \d+\.\d+ +\d+\.\d+ +USD$", row), row


def test_search_json_has_the_keys_telnyx_uses(sandbox: Sandbox) -> None:
    result = cli("--json", "search", "--country", "US", "--type", "local", "--limit", "2", sandbox=sandbox)

    found = json.loads(result.stdout)
    assert found["meta"]["total_results"] == 2
    assert [sorted(number) for number in found["data"]] == [
        sorted(
            [
                "best_effort",
                "cost_information",
                "features",
                "phone_number",
                "quickship",
                "record_type",
                "region_information",
                "reservable",
                "vanity_format",
            ]
        )
    ] * 2


def test_search_refuses_a_limit_below_one_before_sending(sandbox: Sandbox) -> None:
    result = cli("search", "--country", "US", "--limit", "0", sandbox=sandbox)

    assert result.returncode == 2
    assert "must be 1 or more, not 0" in result.stderr


def test_order_numbers_orders_exactly_the_numbers_named(sandbox: Sandbox) -> None:
    result = cli(
        "--json",
        "order-numbers",
        "+13125550170",
        "+13125550171",
        "--customer-reference",
        "cli",
        sandbox=sandbox,
    )

    assert result.returncode == 0, result.stderr
    order = json.loads(result.stdout)["data"]
    assert [number["phone_number"] for number in order["phone_numbers"]] == ["+13125550170", "+13125550171"]
    assert order["customer_reference"] == "cli"


def test_order_numbers_with_wait_shows_the_order_once_final(sandbox: Sandbox) -> None:
    placed = cli("--json", "order-numbers", "+13125550180", sandbox=sandbox)
    waited = cli("--json", "order-numbers", "+13125550181", "--wait", "--timeout", "30", sandbox=sandbox)

    assert placed.returncode == waited.returncode == 0, waited.stderr
    assert json.loads(placed.stdout)["data"]["status"] == "pending"
    order = json.loads(waited.stdout)["data"]
    assert order["status"] == "success"
    assert [(number["phone_number"], number["status"]) for number in order["phone_numbers"]] == [
        ("+13125550181", "success")
    ]


def test_order_numbers_refuses_a_number_that_is_not_e164(sandbox: Sandbox) -> None:
    result = cli("order-numbers", "3125550170", sandbox=sandbox)

    assert result.returncode == 2
    assert "phone_numbers[0]: phone_number must be an E.164 number" in one_error_line(result)


def test_the_new_commands_take_json_and_sandbox() -> None:
    for command in ("search", "reserve", "order-numbers"):
        result = cli(command, "--help")
        assert result.returncode == 0
        assert "--json" in result.stdout
        assert "--sandbox" in result.stdout


def test_reserve_holds_the_numbers_and_says_until_when(sandbox: Sandbox) -> None:
    result = cli("reserve", "+19705550600", "+19705550601", "--customer-reference", "cli", sandbox=sandbox)

    assert result.returncode == 0, result.stderr
    header, columns, *rows = result.stdout.splitlines()
    assert re.fullmatch(r"number reservation [0-9a-f-]{36}: success \(customer reference cli\)", header)
    assert columns.split() == ["PHONE", "NUMBER", "STATUS", "HELD", "UNTIL", "ERRORS"]
    assert [row.split()[:2] for row in rows] == [["+19705550600", "success"], ["+19705550601", "success"]]


def test_reserve_fails_with_status_1_when_a_number_cannot_be_held(sandbox: Sandbox) -> None:
    sandbox.add_number_reservation(phone_numbers=["+19705550700"], account="another-api-key")

    result = cli("--json", "reserve", "+19705550700", "+19705550701", sandbox=sandbox)

    assert result.returncode == 1
    held = json.loads(result.stdout)["data"]["phone_numbers"]
    assert [(number["phone_number"], number["status"]) for number in held] == [
        ("+19705550700", "failure"),
        ("+19705550701", "success"),
    ]
    assert held[0]["errors"] == "Number is already on hold"
