"""The commands that finish an order: requirements, provide, cancel and report, against a sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from telnyx_orders import Telnyx
from telnyx_orders.testing import Sandbox

from .test_cli import cli

ADDRESS = "0e84f7f9-d195-4d02-9873-9ac4b99c276d"
FORM = "9e02e20d-167b-49f8-9b57-41495b538660"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    # Step 0: each order's lifecycle is over at once, so only its requirements can hold it.
    with Sandbox(lifecycle_step=0).serve_in_thread() as running:
        yield running


def german_order(sandbox: Sandbox) -> str:
    """A number order for a German number: it waits for an address and a registration form."""
    with Telnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        order = client.number_orders.create(phone_numbers=["+4930901870"]).data
    assert order is not None
    assert order.id is not None
    return order.id


def test_requirements_shows_what_is_missing_and_provide_gives_it(sandbox: Sandbox) -> None:
    order_id = german_order(sandbox)
    shown = cli("requirements", order_id, sandbox=sandbox)
    assert shown.returncode == 0, shown.stderr
    assert f"number order {order_id} waits for 2 requirement value(s):" in shown.stdout
    assert ADDRESS in shown.stdout
    assert FORM in shown.stdout

    given = cli("provide", order_id, "--value", f"{ADDRESS}=address-1", sandbox=sandbox)
    assert given.stdout.strip() == f"number order {order_id}: requirements not all met yet; status pending"
    given = cli("provide", order_id, "--value", f"{FORM}=form-1", sandbox=sandbox)
    assert given.stdout.strip() == f"number order {order_id}: requirements met; status success"

    listed = json.loads(cli("--json", "requirements", order_id, sandbox=sandbox).stdout)
    assert listed["requirements_met"] is True
    assert [r["field_value"] for r in listed["requirements"]] == ["address-1", "form-1"]


def test_provide_with_a_requirement_group_meets_every_requirement(sandbox: Sandbox) -> None:
    order_id = german_order(sandbox)
    given = cli(
        "provide", order_id, "--requirement-group", "a4b201f9-8646-4e54-a7d2-b2e403eeaf8c", sandbox=sandbox
    )
    assert given.stdout.strip() == f"number order {order_id}: requirements met; status success"


def test_provide_needs_something_to_give(sandbox: Sandbox) -> None:
    refused = cli("provide", "some-order", sandbox=sandbox)
    assert refused.returncode == 2
    assert "give --value REQUIREMENT_ID=VALUE" in refused.stderr
    assert sandbox.requests == []
    malformed = cli("provide", "some-order", "--value", "no-equals-sign", sandbox=sandbox)
    assert malformed.returncode == 2
    assert "expected REQUIREMENT_ID=VALUE" in malformed.stderr


def test_cancel_a_pending_sub_order_and_not_twice(sandbox: Sandbox) -> None:
    sub = sandbox.add_sub_number_order(status="pending")
    cancelled = cli("cancel", sub["id"], sandbox=sandbox)
    assert cancelled.stdout.strip() == f"sub number order {sub['id']} cancelled: status failure"
    again = cli("cancel", sub["id"], sandbox=sandbox)
    assert again.returncode == 1
    assert "Only a pending sub number order can be cancelled" in again.stderr


def test_report_waits_and_saves_the_csv(sandbox: Sandbox, tmp_path: Path) -> None:
    sandbox.add_sub_number_order(country_code="DE")
    sandbox.add_sub_number_order(country_code="US")
    target = tmp_path / "report.csv"
    saved = cli(
        "report", "--country", "DE", "--output", str(target), "--poll-interval", "0.01", sandbox=sandbox
    )
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.strip().endswith(f"(1 sub number orders) to {target}")
    header, row = target.read_text().splitlines()
    assert header.startswith("id,order_request_id,")
    assert ",DE," in row
