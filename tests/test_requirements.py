"""Regulatory requirements, changes, cancellation and reports, through both clients, on the sandbox.

German local numbers need an address and a registration form in the sandbox (as Telnyx's quickstart
shows); an order for them stays pending until both are given. The sandbox's clock moves only when the
client sleeps between polls, so waiting takes no time and every step is counted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterator

import pytest

from telnyx_orders import (
    AsyncTelnyx,
    RequirementsPendingError,
    RetryPolicy,
    Telnyx,
    UnprocessableEntityError,
)
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import OrderStatus, RegulatoryFieldType, RegulatoryRequirementParams

ADDRESS = "0e84f7f9-d195-4d02-9873-9ac4b99c276d"
FORM = "9e02e20d-167b-49f8-9b57-41495b538660"
GROUP = "a4b201f9-8646-4e54-a7d2-b2e403eeaf8c"


class Clock:
    """The sandbox's lifecycle clock, moved by the client's sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps += 1
        self.now += delay


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(clock: Clock) -> AsyncIterator[tuple[AsyncTelnyx, Sandbox]]:
    retries = RetryPolicy(jitter=None, sleep=clock.sleep)
    async with (
        Sandbox(lifecycle_step=1.0, clock=clock) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=retries) as bound,
    ):
        yield bound, sandbox


async def test_a_german_order_waits_for_its_requirements_then_completes(
    client: tuple[AsyncTelnyx, Sandbox], clock: Clock
) -> None:
    telnyx, _ = client
    order = (await telnyx.number_orders.create(phone_numbers=["+4930901820", "+4930901821"])).data
    assert order is not None
    assert order.id is not None
    clock.now += 2.0  # the whole lifecycle
    waiting = (await telnyx.number_orders.retrieve(order.id)).data
    assert waiting is not None
    assert (waiting.status, waiting.requirements_met) == (OrderStatus.PENDING, False)

    [sub_id] = waiting.sub_number_orders_ids or ()
    sub = (await telnyx.sub_number_orders.retrieve(sub_id)).data
    assert sub is not None
    needed = [(r.requirement_id, r.field_type) for r in sub.regulatory_requirements or ()]
    assert needed == [(ADDRESS, RegulatoryFieldType.ADDRESS), (FORM, RegulatoryFieldType.DOCUMENT)]

    updated = await telnyx.sub_number_orders.update(
        sub_id, regulatory_requirements=[{"requirement_id": ADDRESS, "field_value": "my-address-id"}]
    )
    assert updated.data is not None
    assert updated.data.requirements_met is False  # the form is missing

    numbers = [n async for n in telnyx.number_order_phone_numbers.list(country_code="DE")]
    assert [n.sub_number_order_id for n in numbers] == [sub_id, sub_id]
    first, second = numbers
    assert first.id is not None
    assert second.id is not None
    form = RegulatoryRequirementParams(requirement_id=FORM, field_value="my-form-id")
    done = await telnyx.number_order_phone_numbers.update_requirements(
        first.id, regulatory_requirements=[form]
    )
    assert done.data is not None
    assert done.data.requirements_met is True
    grouped = await telnyx.number_order_phone_numbers.update_requirement_group(
        second.id, requirement_group_id=GROUP
    )
    assert grouped.data is not None
    assert grouped.data.bundle_id is None
    assert grouped.data.sub_number_order_id == sub_id
    assert {r.status for r in grouped.data.regulatory_requirements or ()} == {"approved"}

    complete = (await telnyx.number_orders.retrieve(order.id)).data
    assert complete is not None
    assert (complete.status, complete.requirements_met) == (OrderStatus.SUCCESS, True)


async def test_renaming_cancelling_and_a_requirement_group_for_a_sub_order(
    client: tuple[AsyncTelnyx, Sandbox],
) -> None:
    telnyx, _ = client
    order = (await telnyx.number_orders.create(phone_numbers=["+442071838750", "+4930901830"])).data
    assert order is not None
    assert order.id is not None
    renamed = (await telnyx.number_orders.update(order.id, customer_reference="RENAMED")).data
    assert renamed is not None
    assert renamed.customer_reference == "RENAMED"
    british, german = order.sub_number_orders_ids or ()
    group = (
        await telnyx.sub_number_orders.update_requirement_group(british, requirement_group_id=GROUP)
    ).data
    assert group is not None
    assert group.requirements_met is True
    assert [n.bundle_id for n in group.phone_numbers or ()] == [None]
    cancelled = (await telnyx.sub_number_orders.cancel(german)).data
    assert cancelled is not None
    assert cancelled.status == OrderStatus.FAILURE
    with pytest.raises(UnprocessableEntityError, match="Only a pending sub number order can be cancelled"):
        await telnyx.sub_number_orders.cancel(german)


async def test_a_report_is_waited_for_and_downloaded_as_csv(
    client: tuple[AsyncTelnyx, Sandbox], clock: Clock
) -> None:
    telnyx, _ = client
    await telnyx.number_orders.create(phone_numbers=["+4930901840"])
    await telnyx.number_orders.create(phone_numbers=["+19705555098"])
    report = (await telnyx.sub_number_orders_report.create(country_code="DE")).data
    assert report is not None
    assert report.id is not None
    assert report.status == "pending"
    ready = await telnyx.sub_number_orders_report.wait(report.id, poll_interval=0.5)
    assert ready.status == "success"
    assert clock.sleeps == 2  # two half-second polls make the one lifecycle step
    rows = list(
        csv.DictReader(io.StringIO((await telnyx.sub_number_orders_report.download(report.id)).decode()))
    )
    assert [(row["country_code"], row["status"]) for row in rows] == [("DE", "pending")]


@pytest.mark.parametrize(
    ("call", "complaint"),
    [
        pytest.param(
            lambda t: t.sub_number_orders.update("s", regulatory_requirements=[{"requirement_id": "r"}]),
            "regulatory_requirements\\[0\\]: missing required keys 'field_value'",
            id="value-missing",
        ),
        pytest.param(
            lambda t: t.number_orders.update("o", regulatory_requirements="r"),
            "regulatory_requirements must be a list",
            id="not-a-list",
        ),
        pytest.param(
            lambda t: t.sub_number_orders.update_requirement_group("s", requirement_group_id=""),
            "requirement_group_id must not be empty",
            id="empty-group",
        ),
        pytest.param(
            lambda t: t.sub_number_orders_report.create(status="done"),
            "status must be one of pending, success, failure",
            id="report-status",
        ),
    ],
)
async def test_arguments_are_checked_before_anything_is_sent(
    client: tuple[AsyncTelnyx, Sandbox], call: object, complaint: str
) -> None:
    telnyx, sandbox = client
    with pytest.raises((TypeError, ValueError), match=complaint):
        await call(telnyx)  # type: ignore[operator]
    assert sandbox.requests == []


@pytest.fixture
def blocking(clock: Clock) -> Iterator[Telnyx]:
    retries = RetryPolicy(jitter=None, sleep=clock.sleep)
    with (
        Sandbox(lifecycle_step=1.0, clock=clock).serve_in_thread() as sandbox,
        Telnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=retries) as bound,
    ):
        yield bound


def test_the_blocking_client_does_the_same_journey(blocking: Telnyx, clock: Clock) -> None:
    order = blocking.number_orders.create(phone_numbers=["+4930901850"]).data
    assert order is not None
    assert order.id is not None
    clock.now += 2.0
    [number] = list(blocking.number_order_phone_numbers.list(country_code="DE"))
    assert number.id is not None
    assert number.requirements_met is False
    assert blocking.number_order_phone_numbers.retrieve(number.id).data == number
    blocking.number_orders.update(
        order.id,
        regulatory_requirements=[
            {"requirement_id": ADDRESS, "field_value": "address"},
            {"requirement_id": FORM, "field_value": "form"},
        ],
    )
    complete = blocking.number_orders.retrieve(order.id).data
    assert complete is not None
    assert complete.status == OrderStatus.SUCCESS
    report = blocking.sub_number_orders_report.create().data
    assert report is not None
    assert report.id is not None
    assert blocking.sub_number_orders_report.wait(report.id, poll_interval=1.0).status == "success"
    assert blocking.sub_number_orders_report.retrieve(
        report.id
    ).data == blocking.sub_number_orders_report.wait(report.id)
    header = blocking.sub_number_orders_report.download(report.id).splitlines()[0]
    assert header.startswith(b"id,order_request_id,is_block_sub_number_order,status")


# --- the workflow on top: an inexplicit order whose numbers wait for requirements --------------------


async def _inexplicit_order_waiting_for(telnyx: AsyncTelnyx, sandbox: Sandbox) -> tuple[str, str]:
    """An inexplicit order still processing, linked to a German number order waiting for requirements.

    The spec lets inexplicit orders ask for US and CA numbers only, so the sandbox places no German
    numbers through one; the link is seeded, as Telnyx would show it for a country with requirements.
    """
    placed = (await telnyx.number_orders.create(phone_numbers=["+4930901860"])).data
    assert placed is not None
    assert placed.id is not None
    group = {
        "country_iso": "DE",
        "phone_number_type": "local",
        "count_requested": 1,
        "count_allocated": 1,
        "status": "processing",
        "orders": [
            {"number_order_id": placed.id, "sub_number_order_ids": list(placed.sub_number_orders_ids or ())}
        ],
    }
    order = sandbox.add_inexplicit_number_order(ordering_groups=[group])
    return order["id"], placed.id


async def test_wait_stops_with_a_clear_error_when_the_order_waits_for_requirements(
    client: tuple[AsyncTelnyx, Sandbox], clock: Clock
) -> None:
    telnyx, sandbox = client
    order_id, number_order_id = await _inexplicit_order_waiting_for(telnyx, sandbox)
    clock.now += 2.0  # the number order's lifecycle is over: only the requirements hold it
    seen: list[object] = []
    with pytest.raises(RequirementsPendingError, match="waits for regulatory requirements") as stopped:
        await telnyx.inexplicit_number_orders.wait(order_id, on_progress=seen.append)
    assert stopped.value.waiting == (number_order_id,)
    assert len(seen) == 1  # it stopped at the first poll instead of polling until the timeout
    assert clock.sleeps == 0


async def test_retrieve_fulfillment_shows_what_waits_and_which_requirements(
    client: tuple[AsyncTelnyx, Sandbox],
) -> None:
    telnyx, sandbox = client
    order_id, _ = await _inexplicit_order_waiting_for(telnyx, sandbox)
    fulfillment = await telnyx.inexplicit_number_orders.retrieve_fulfillment(order_id)
    [waiting] = fulfillment.waiting_for_requirements
    assert waiting.country_code == "DE"
    missing = fulfillment.missing_requirements
    assert [(m.phone_number, m.requirement_id, m.field_type) for m in missing] == [
        ("+4930901860", ADDRESS, "address"),
        ("+4930901860", FORM, "document"),
    ]
    assert {m.sub_number_order_id for m in missing} == {waiting.id}
