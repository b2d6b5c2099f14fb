"""Creating orders: the body on the wire, the checks made before sending, and never ordering twice."""

from __future__ import annotations

from typing import Any

import pytest

from telnyx_orders import (
    APIConnectionError,
    APITimeoutError,
    AsyncTelnyx,
    InternalServerError,
    UnprocessableEntityError,
)
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import (
    Envelope,
    InexplicitNumberOrder,
    NumberOrderWithPhoneNumbers,
    OrderingGroupParams,
    OrderingGroupStatus,
    OrderingStrategy,
    PhoneNumberParams,
    PhoneNumberPattern,
    PhoneNumberType,
)

from .conftest import SleepRecorder

CREATE_INEXPLICIT = "CreateInexplicitNumberOrder"
CREATE_NUMBER_ORDER = "CreateNumberOrder"

FIVE_IN_CHICAGO: dict[str, Any] = {"country_iso": "US", "phone_number_type": "local", "count_requested": 5}


# Inexplicit number orders: the request


async def test_a_dict_group_goes_on_the_wire_with_the_count_as_a_string(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    response = await client.inexplicit_number_orders.create(
        ordering_groups=[{**FIVE_IN_CHICAGO, "national_destination_code": "312"}],
        customer_reference="chicago-2026",
    )

    (request,) = sandbox.requests_to(CREATE_INEXPLICIT)
    assert request.method == "POST"
    assert request.path == "/v2/inexplicit_number_orders"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "ordering_groups": [
            {
                "country_iso": "US",
                "phone_number_type": "local",
                "count_requested": "5",
                "national_destination_code": "312",
            }
        ],
        "customer_reference": "chicago-2026",
    }
    assert isinstance(response, Envelope)
    order = response.data
    assert isinstance(order, InexplicitNumberOrder)
    assert order.id
    assert order.customer_reference == "chicago-2026"
    assert order.ordering_groups is not None
    (group,) = order.ordering_groups
    assert (group.country_iso, group.phone_number_type, group.count_requested) == ("US", "local", 5)
    assert group.status is OrderingGroupStatus.PENDING


async def test_a_params_class_sends_every_field_it_was_given_and_nothing_else(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    group = OrderingGroupParams(
        country_iso="ca",
        phone_number_type=PhoneNumberType.TOLL_FREE,
        count_requested=2,
        strategy=OrderingStrategy.NEVER,
        administrative_area="ON",
        locality="Toronto",
        phone_number=PhoneNumberPattern(starts_with="1800", contains="42"),
        features=("voice", "sms"),
        quickship=True,
        exclude_held_numbers=False,
    )

    await client.inexplicit_number_orders.create(
        ordering_groups=[group],
        connection_id="conn-1",
        messaging_profile_id="mp-1",
        billing_group_id="bg-1",
    )

    (request,) = sandbox.requests_to(CREATE_INEXPLICIT)
    assert request.json() == {
        "ordering_groups": [
            {
                "country_iso": "CA",
                "phone_number_type": "toll_free",
                "count_requested": "2",
                "strategy": "never",
                "administrative_area": "ON",
                "locality": "Toronto",
                "phone_number": {"starts_with": "1800", "contains": "42"},
                "features": ["voice", "sms"],
                "quickship": True,
                "exclude_held_numbers": False,
            }
        ],
        "connection_id": "conn-1",
        "messaging_profile_id": "mp-1",
        "billing_group_id": "bg-1",
    }


async def test_dict_and_class_groups_mix_and_nest_a_dict_phone_number(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    await client.inexplicit_number_orders.create(
        ordering_groups=[
            {**FIVE_IN_CHICAGO, "phone_number": {"ends_with": "00"}},
            OrderingGroupParams(country_iso="US", phone_number_type="mobile", count_requested=1),
        ]
    )

    (request,) = sandbox.requests_to(CREATE_INEXPLICIT)
    first, second = request.json()["ordering_groups"]
    assert first["phone_number"] == {"ends_with": "00"}
    assert second == {"country_iso": "US", "phone_number_type": "mobile", "count_requested": "1"}


# Inexplicit number orders: refused before sending


@pytest.mark.parametrize(
    ("groups", "error", "message"),
    [
        ([], ValueError, "ordering_groups must not be empty"),
        ("US local 5", TypeError, "ordering_groups must be a list, not str"),
        ({"country_iso": "US"}, TypeError, "ordering_groups must be a list, not dict"),
        ([42], TypeError, r"ordering_groups\[0\]: expected OrderingGroupParams or a dict, not int"),
        (
            [{"country_iso": "US", "phone_number_type": "local"}],
            TypeError,
            r"ordering_groups\[0\]: missing required keys 'count_requested'",
        ),
        (
            [{**FIVE_IN_CHICAGO, "area_code": "312"}],
            TypeError,
            r"ordering_groups\[0\]: unknown keys 'area_code'; known keys: country_iso, ",
        ),
        ([{**FIVE_IN_CHICAGO, "count_requested": 0}], ValueError, "count_requested must be 1 or more, not 0"),
        ([{**FIVE_IN_CHICAGO, "count_requested": -3}], ValueError, "count_requested must be 1 or more"),
        ([{**FIVE_IN_CHICAGO, "count_requested": "5"}], TypeError, "count_requested must be an int"),
        ([{**FIVE_IN_CHICAGO, "count_requested": True}], TypeError, "count_requested must be an int"),
        ([{**FIVE_IN_CHICAGO, "count_requested": 2.5}], TypeError, "count_requested must be an int"),
        ([{**FIVE_IN_CHICAGO, "country_iso": "USA"}], ValueError, "two-letter ISO 3166-1 country code"),
        ([{**FIVE_IN_CHICAGO, "country_iso": "U1"}], ValueError, "two-letter ISO 3166-1 country code"),
        ([{**FIVE_IN_CHICAGO, "phone_number_type": ""}], ValueError, "phone_number_type must not be empty"),
        ([{**FIVE_IN_CHICAGO, "phone_number_type": None}], TypeError, "phone_number_type must be a str"),
        ([{**FIVE_IN_CHICAGO, "strategy": 1}], TypeError, "strategy must be a str"),
        ([{**FIVE_IN_CHICAGO, "quickship": "yes"}], TypeError, "quickship must be a bool"),
        ([{**FIVE_IN_CHICAGO, "features": "voice"}], TypeError, "features must be a list of str"),
        ([{**FIVE_IN_CHICAGO, "features": ["voice", 3]}], TypeError, "features must hold non-empty str"),
        (
            [{**FIVE_IN_CHICAGO, "phone_number": {"start": "1"}}],
            TypeError,
            r"ordering_groups\[0\]: phone_number: unknown keys 'start'",
        ),
        (
            [{**FIVE_IN_CHICAGO, "phone_number": "312"}],
            TypeError,
            "phone_number: expected PhoneNumberPattern",
        ),
        (
            [FIVE_IN_CHICAGO, {**FIVE_IN_CHICAGO, "locality": 7}],
            TypeError,
            r"ordering_groups\[1\]: locality must be a str",
        ),
    ],
)
async def test_a_bad_group_is_refused_before_anything_is_sent(
    sandbox: Sandbox, client: AsyncTelnyx, groups: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.inexplicit_number_orders.create(ordering_groups=groups)

    assert sandbox.requests == []


def test_a_params_class_checks_its_values_when_made() -> None:
    with pytest.raises(ValueError, match="count_requested must be 1 or more"):
        OrderingGroupParams(country_iso="US", phone_number_type="local", count_requested=0)
    with pytest.raises(TypeError, match="phone_number must be a PhoneNumberPattern or a dict"):
        OrderingGroupParams(
            country_iso="US",
            phone_number_type="local",
            count_requested=1,
            phone_number="312",  # type: ignore[arg-type]
        )
    with pytest.raises(ValueError, match="starts_with must not be empty"):
        PhoneNumberPattern(starts_with="")


@pytest.mark.parametrize(
    "field", ["connection_id", "messaging_profile_id", "billing_group_id", "customer_reference"]
)
async def test_the_shared_ids_must_be_non_empty_strings(
    sandbox: Sandbox, client: AsyncTelnyx, field: str
) -> None:
    with pytest.raises(TypeError, match=f"{field} must be a str"):
        await client.inexplicit_number_orders.create(ordering_groups=[FIVE_IN_CHICAGO], **{field: 12})
    with pytest.raises(ValueError, match=f"{field} must not be empty"):
        await client.inexplicit_number_orders.create(ordering_groups=[FIVE_IN_CHICAGO], **{field: ""})

    assert sandbox.requests == []


async def test_which_countries_are_sold_is_left_to_the_server(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    with pytest.raises(UnprocessableEntityError) as refused:
        await client.inexplicit_number_orders.create(
            ordering_groups=[{**FIVE_IN_CHICAGO, "country_iso": "DE"}]
        )

    assert len(sandbox.requests_to(CREATE_INEXPLICIT)) == 1
    assert refused.value.status_code == 422
    assert [error.source.pointer for error in refused.value.errors if error.source] == [
        "/ordering_groups/0/country_iso"
    ]
    assert "/ordering_groups/0/country_iso" in str(refused.value)
    assert not refused.value.may_have_taken_effect


# Inexplicit number orders: never twice


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_create_that_failed_on_the_server_is_not_resent_and_may_exist(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder, status: int
) -> None:
    sandbox.faults.status(status, operation=CREATE_INEXPLICIT)

    with pytest.raises(InternalServerError) as failed:
        await client.inexplicit_number_orders.create(ordering_groups=[FIVE_IN_CHICAGO])

    assert len(sandbox.requests_to(CREATE_INEXPLICIT)) == 1
    assert sleeps.delays == []
    assert failed.value.may_have_taken_effect
    assert "the order may exist" in str(failed.value)


async def test_a_create_whose_answer_was_lost_is_not_resent_though_the_order_exists(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    sandbox.faults.drop_after(operation=CREATE_INEXPLICIT)

    with pytest.raises(APIConnectionError) as lost:
        await client.inexplicit_number_orders.create(
            ordering_groups=[FIVE_IN_CHICAGO], customer_reference="once"
        )

    assert lost.value.may_have_taken_effect
    assert len(sandbox.requests_to(CREATE_INEXPLICIT)) == 1
    listed = await client.inexplicit_number_orders.list()
    assert [order.customer_reference for order in listed.data] == ["once"]


async def test_a_create_that_timed_out_is_not_resent(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    sandbox.faults.latency(1.0, operation=CREATE_INEXPLICIT)

    with pytest.raises(APITimeoutError) as timed_out:
        await client.inexplicit_number_orders.create(ordering_groups=[FIVE_IN_CHICAGO], timeout=0.2)

    assert timed_out.value.may_have_taken_effect
    assert len(sandbox.requests_to(CREATE_INEXPLICIT)) == 1


async def test_a_rate_limited_create_is_resent_and_placed_once(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    sandbox.faults.rate_limit(operation=CREATE_INEXPLICIT, reset=3)

    response = await client.inexplicit_number_orders.create(ordering_groups=[FIVE_IN_CHICAGO])

    assert response.data is not None
    assert len(sandbox.requests_to(CREATE_INEXPLICIT)) == 2
    assert sleeps.delays == [3.0]
    assert len((await client.inexplicit_number_orders.list()).data) == 1


# Number orders


async def test_a_number_order_takes_plain_numbers_params_and_dicts(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    response = await client.number_orders.create(
        phone_numbers=[
            "+19705555098",
            PhoneNumberParams(phone_number="+19705555099", bundle_id="bundle-1"),
            {"phone_number": "+492111609539", "requirement_group_id": "rg-1"},
        ],
        connection_id="conn-1",
        customer_reference="named",
    )

    (request,) = sandbox.requests_to(CREATE_NUMBER_ORDER)
    assert request.path == "/v2/number_orders"
    assert request.json() == {
        "phone_numbers": [
            {"phone_number": "+19705555098"},
            {"phone_number": "+19705555099", "bundle_id": "bundle-1"},
            {"phone_number": "+492111609539", "requirement_group_id": "rg-1"},
        ],
        "connection_id": "conn-1",
        "customer_reference": "named",
    }
    order = response.data
    assert isinstance(order, NumberOrderWithPhoneNumbers)
    assert order.customer_reference == "named"
    assert order.phone_numbers is not None
    assert [number.phone_number for number in order.phone_numbers] == [
        "+19705555098",
        "+19705555099",
        "+492111609539",
    ]


@pytest.mark.parametrize(
    ("numbers", "error", "message"),
    [
        ([], ValueError, "phone_numbers must not be empty"),
        ("+19705555098", TypeError, "phone_numbers must be a list, not str"),
        (["19705555098"], ValueError, r"phone_numbers\[0\]: phone_number must be an E.164 number"),
        (["+1 970 555 5098"], ValueError, "must be an E.164 number"),
        (["+0123"], ValueError, "must be an E.164 number"),
        (["+1234567890123456"], ValueError, "must be an E.164 number"),
        ([{"number": "+19705555098"}], TypeError, r"phone_numbers\[0\]: unknown keys 'number'"),
        ([{"bundle_id": "b"}], TypeError, "missing required keys 'phone_number'"),
        ([None], TypeError, "expected PhoneNumberParams, a str or a dict, not NoneType"),
        (["+19705555098", {"phone_number": "+19705555099", "bundle_id": 5}], TypeError, r"\[1\]: bundle_id"),
    ],
)
async def test_a_bad_number_is_refused_before_anything_is_sent(
    sandbox: Sandbox, client: AsyncTelnyx, numbers: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.number_orders.create(phone_numbers=numbers)

    assert sandbox.requests == []


async def test_a_number_order_refused_by_the_server_names_the_number(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    # Only Telnyx knows which numbers it can sell; the sandbox sells any, so its refusal is scripted.
    refusal = {"code": "10015", "title": "Unprocessable entity", "detail": "The number is not available."}
    sandbox.faults.wrong_shape(
        {"errors": [{**refusal, "source": {"pointer": "/phone_numbers/1/phone_number"}}]},
        status=422,
        operation=CREATE_NUMBER_ORDER,
    )
    with pytest.raises(UnprocessableEntityError) as refused:
        await client.number_orders.create(phone_numbers=["+19705555098", "+19705555099"])

    assert [error.source.pointer for error in refused.value.errors if error.source] == [
        "/phone_numbers/1/phone_number"
    ]


async def test_a_number_order_that_failed_on_the_server_is_not_resent(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    sandbox.faults.status(503, operation=CREATE_NUMBER_ORDER)

    with pytest.raises(InternalServerError) as failed:
        await client.number_orders.create(phone_numbers=["+19705555098"])

    assert failed.value.may_have_taken_effect
    assert len(sandbox.requests_to(CREATE_NUMBER_ORDER)) == 1
