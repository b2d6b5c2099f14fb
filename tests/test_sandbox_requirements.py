"""The sandbox's regulatory requirements, changes, cancellation and reports, seen over plain HTTP.

German and British numbers need requirements (see ``telnyx_orders/testing/_requirements.py`` for where
the rules come from); their orders stay pending with ``requirements_met: false`` until they are given.
A fake clock moves the lifecycle, so each test counts steps rather than waiting.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from telnyx_orders.testing import Sandbox

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

DE_ADDRESS = "0e84f7f9-d195-4d02-9873-9ac4b99c276d"
DE_FORM = "9e02e20d-167b-49f8-9b57-41495b538660"
GB_ADDRESS = "5b3f0a4c-3c43-4b8e-9d39-6f0d7c2f1e01"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Api:
    """Plain JSON calls to a sandbox."""

    def __init__(self, sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
        self.sandbox = sandbox
        self.http = http

    async def call(self, method: str, path: str, body: Any = None, *, status: int = 200) -> Any:
        headers = {"Authorization": f"Bearer {self.sandbox.api_key}"}
        async with self.http.request(
            method, self.sandbox.base_url + path, json=body, headers=headers
        ) as response:
            assert response.status == status, await response.text()
            if response.content_type == "text/csv":
                return await response.text()
            return (await response.json())["data"] if status < 300 else await response.json()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def api(clock: FakeClock) -> AsyncIterator[Api]:
    async with Sandbox(lifecycle_step=1.0, clock=clock) as sandbox, aiohttp.ClientSession() as http:
        yield Api(sandbox, http)


async def test_an_order_for_german_numbers_waits_for_its_requirements_then_completes(
    api: Api, clock: FakeClock
) -> None:
    numbers = [
        {"phone_number": "+4930901820"},
        {"phone_number": "+4930901821"},
        {"phone_number": "+19705555098"},
    ]
    order = await api.call("POST", "/number_orders", {"phone_numbers": numbers})
    assert order["requirements_met"] is False
    clock.now += 2.0  # the whole lifecycle
    order = await api.call("GET", f"/number_orders/{order['id']}")
    assert (order["status"], order["requirements_met"]) == ("pending", False)
    subs = {sub["country_code"]: sub for sub in await api.call("GET", "/sub_number_orders")}
    assert subs["US"]["status"] == "success"
    german = subs["DE"]
    assert (german["status"], german["requirements_met"]) == ("pending", False)
    assert [r["requirement_id"] for r in german["regulatory_requirements"]] == [DE_ADDRESS, DE_FORM]

    values = [{"requirement_id": DE_ADDRESS, "field_value": "address-1"}]
    german = await api.call(
        "PATCH", f"/sub_number_orders/{german['id']}", {"regulatory_requirements": values}
    )
    assert (german["status"], german["requirements_met"]) == ("pending", False)  # the form is still missing

    [first, second] = await api.call("GET", "/number_order_phone_numbers?filter[country_code]=DE")
    assert first["requirements_status"] == "requirement-info-pending"
    assert first["bundle_id"] is None
    form = [{"requirement_id": DE_FORM, "field_value": "document-1"}]
    first = await api.call(
        "PATCH", f"/number_order_phone_numbers/{first['id']}", {"regulatory_requirements": form}
    )
    assert (first["requirements_met"], first["status"]) == (True, "pending")  # its sibling still waits
    group = await api.call(
        "POST",
        f"/number_order_phone_numbers/{second['id']}/requirement_group",
        {"requirement_group_id": DE_FORM},
    )
    assert {item["status"] for item in group["regulatory_requirements"]} == {"approved"}

    order = await api.call("GET", f"/number_orders/{order['id']}")
    assert (order["status"], order["requirements_met"]) == ("success", True)
    assert {number["status"] for number in order["phone_numbers"]} == {"success"}


async def test_a_requirement_group_meets_a_british_sub_order_at_once(api: Api, clock: FakeClock) -> None:
    order = await api.call("PATCH", "/number_orders/unknown", {}, status=404)
    order = await api.call("POST", "/number_orders", {"phone_numbers": [{"phone_number": "+442071838750"}]})
    [sub_id] = order["sub_number_orders_ids"]
    group = await api.call(
        "POST", f"/sub_number_orders/{sub_id}/requirement_group", {"requirement_group_id": GB_ADDRESS}
    )
    assert group["requirements_met"] is True
    assert group["phone_numbers"][0]["regulatory_requirements"][0]["field_value"] == GB_ADDRESS
    order = await api.call("GET", f"/number_orders/{order['id']}")
    assert order["status"] == "pending"  # requirements met, but the lifecycle has not ended yet
    clock.now += 2.0
    assert (await api.call("GET", f"/number_orders/{order['id']}"))["status"] == "success"


async def test_renaming_an_order_and_giving_values_through_it(api: Api, clock: FakeClock) -> None:
    order = await api.call("POST", "/number_orders", {"phone_numbers": [{"phone_number": "+442071838751"}]})
    clock.now += 2.0
    values = [{"requirement_id": GB_ADDRESS, "field_value": "address-9"}]
    order = await api.call(
        "PATCH",
        f"/number_orders/{order['id']}",
        {"customer_reference": "RENAMED", "regulatory_requirements": values},
    )
    assert (order["customer_reference"], order["status"], order["requirements_met"]) == (
        "RENAMED",
        "success",
        True,
    )


async def test_only_a_pending_sub_order_can_be_cancelled(api: Api, clock: FakeClock) -> None:
    order = await api.call("POST", "/number_orders", {"phone_numbers": [{"phone_number": "+4930901830"}]})
    [sub_id] = order["sub_number_orders_ids"]
    cancelled = await api.call("PATCH", f"/sub_number_orders/{sub_id}/cancel")
    assert cancelled["status"] == "failure"
    refused = await api.call("PATCH", f"/sub_number_orders/{sub_id}/cancel", status=422)
    assert "pending" in refused["errors"][0]["detail"]
    clock.now += 2.0
    assert (await api.call("GET", f"/number_orders/{order['id']}"))["status"] == "failure"


async def test_a_report_is_ready_one_step_later_with_the_matching_sub_orders(
    api: Api, clock: FakeClock
) -> None:
    await api.call("POST", "/number_orders", {"phone_numbers": [{"phone_number": "+4930901840"}]})
    await api.call("POST", "/number_orders", {"phone_numbers": [{"phone_number": "+19705555099"}]})
    report = await api.call("POST", "/sub_number_orders_report", {"country_code": "DE"}, status=202)
    assert report["status"] == "pending"
    await api.call("GET", f"/sub_number_orders_report/{report['id']}/download", status=422)
    clock.now += 1.0
    assert (await api.call("GET", f"/sub_number_orders_report/{report['id']}"))["status"] == "success"
    text = await api.call("GET", f"/sub_number_orders_report/{report['id']}/download")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert (row["country_code"], row["status"], row["requirements_met"]) == ("DE", "pending", "False")
