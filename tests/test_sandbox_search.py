"""Number search in the sandbox: what is for sale, filtered as the spec says, drawn from the one stock.

Every request goes over HTTP with plain aiohttp, under the query keys the spec writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from telnyx_orders.testing import Sandbox

from .test_sandbox_workflow import FakeClock, call

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

US = {"filter[country_code]": "US"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sandbox(clock: FakeClock) -> AsyncIterator[Sandbox]:
    async with Sandbox(lifecycle_step=1.0, clock=clock) as sandbox:
        yield sandbox


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {sandbox.api_key}"}) as session:
        yield session


async def search(http: aiohttp.ClientSession, sandbox: Sandbox, params: Any) -> dict[str, Any]:
    """GET /available_phone_numbers that must succeed; the whole body."""
    status, body = await call(http, sandbox, "GET", "/available_phone_numbers", params=params)
    assert status == 200, body
    result: dict[str, Any] = body
    return result


def numbers(body: dict[str, Any]) -> list[str]:
    return [item["phone_number"] for item in body["data"]]


def regions(item: dict[str, Any]) -> dict[str, str]:
    return {region["region_type"]: region["region_name"] for region in item["region_information"]}


async def test_a_search_answers_numbers_for_sale_with_features_region_and_cost(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    body = await search(http, sandbox, {**US, "filter[limit]": "3"})
    assert numbers(body) == ["+19705550000", "+19705550001", "+19705550002"]
    first, second = body["data"][:2]
    assert first == {
        "record_type": "available_phone_number",
        "phone_number": "+19705550000",
        "vanity_format": "",
        "best_effort": False,
        "quickship": False,
        "reservable": True,
        "features": [{"name": name} for name in ("voice", "sms", "mms", "emergency", "hd_voice", "fax")],
        "region_information": [
            {"region_name": "CO", "region_type": "state"},
            {"region_name": "FORT COLLINS", "region_type": "rate_center"},
            {"region_name": "FORT COLLINS (CO)", "region_type": "location"},
            {"region_name": "US", "region_type": "country_code"},
        ],
        "cost_information": {"currency": "USD", "monthly_cost": "1.00000", "upfront_cost": "1.00000"},
    }
    assert {"name": "fax"} not in second["features"]  # an odd last digit: no fax
    assert body["meta"] == body["metadata"] == {"total_results": 3, "best_effort_results": 0}


async def test_the_pattern_filters_count_from_after_the_area_code_when_one_is_named(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    params = {
        **US,
        "filter[national_destination_code]": "303",
        "filter[phone_number][starts_with]": "42",
        "filter[phone_number][ends_with]": "9",
        "filter[phone_number][contains]": "77",
        "filter[limit]": "5",
    }
    found = numbers(await search(http, sandbox, params))
    assert len(found) == 5
    for number in found:
        assert number.startswith("+130342")
        assert number.endswith("9")
        assert "77" in number[5:]
    chicago = await search(http, sandbox, {**US, "filter[phone_number][starts_with]": "312"})
    assert numbers(chicago)
    assert all(number.startswith("+1312") for number in numbers(chicago))
    assert regions(chicago["data"][0])["rate_center"] == "CHICAGO"


@pytest.mark.parametrize(
    "features",
    [
        pytest.param("fax,sms", id="comma-separated-as-the-official-sdk-sends-them"),
        pytest.param(["fax", "sms"], id="repeated-keys"),
    ],
)
async def test_features_is_a_list_and_every_number_has_every_feature_asked(
    sandbox: Sandbox, http: aiohttp.ClientSession, features: str | list[str]
) -> None:
    params = [("filter[country_code]", "US"), ("filter[limit]", "4")]
    values = [features] if isinstance(features, str) else features
    params += [("filter[features]", value) for value in values]
    body = await search(http, sandbox, params)
    assert numbers(body) == ["+19705550000", "+19705550002", "+19705550004", "+19705550006"]
    for item in body["data"]:
        assert {"fax", "sms"} <= {feature["name"] for feature in item["features"]}
    nobody = await search(http, sandbox, {**US, "filter[features]": "international_sms"})
    assert nobody["data"] == []
    assert nobody["meta"] == {"total_results": 0, "best_effort_results": 0}


async def test_region_filters_choose_the_area_codes(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    toronto = await search(
        http, sandbox, {"filter[country_code]": "CA", "filter[locality]": "toronto", "filter[limit]": "2"}
    )
    assert numbers(toronto) == ["+14165550000", "+14165550001"]
    assert regions(toronto["data"][0]) == {
        "state": "ON",
        "rate_center": "TORONTO",
        "location": "TORONTO (ON)",
        "country_code": "CA",
    }
    state = await search(http, sandbox, {**US, "filter[administrative_area]": "IL", "filter[limit]": "1"})
    assert numbers(state) == ["+13125550000"]
    center = await search(http, sandbox, {**US, "filter[rate_center]": "Seattle", "filter[limit]": "1"})
    assert numbers(center) == ["+12065550000"]
    assert (await search(http, sandbox, {**US, "filter[locality]": "Atlantis"}))["data"] == []
    # An area code of the other country, or of another type, sells nothing under this one.
    assert (await search(http, sandbox, {**US, "filter[national_destination_code]": "416"}))["data"] == []
    assert (await search(http, sandbox, {**US, "filter[national_destination_code]": "800"}))["data"] == []


async def test_toll_free_numbers_alone_quickship_and_some_types_are_not_reservable(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    toll_free = await search(
        http,
        sandbox,
        {**US, "filter[phone_number_type]": "toll_free", "filter[quickship]": "true", "filter[limit]": "2"},
    )
    assert numbers(toll_free) == ["+18885550000", "+18885550001"]
    assert all(item["quickship"] for item in toll_free["data"])
    assert (await search(http, sandbox, {**US, "filter[quickship]": "true"}))["data"] == []
    mobile = await search(http, sandbox, {**US, "filter[phone_number_type]": "mobile", "filter[limit]": "1"})
    assert [item["reservable"] for item in mobile["data"]] == [False]
    reservable_mobile = {**US, "filter[phone_number_type]": "mobile", "filter[reservable]": "true"}
    assert (await search(http, sandbox, reservable_mobile))["data"] == []


async def test_a_search_answers_at_most_the_limit_and_the_stock(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sandbox.set_inventory("US", "local", 3, national_destination_code="312")
    area = {**US, "filter[national_destination_code]": "312"}
    assert len(numbers(await search(http, sandbox, {**area, "filter[limit]": "10"}))) == 3
    assert len(numbers(await search(http, sandbox, {**area, "filter[limit]": "2"}))) == 2
    assert numbers(await search(http, sandbox, {**area, "filter[limit]": "0"})) == []
    assert len(numbers(await search(http, sandbox, US))) == 50  # no limit: 50
    assert len(numbers(await search(http, sandbox, {**US, "filter[limit]": "1000"}))) == 1000
    sandbox.set_inventory("US", "local", 0, national_destination_code="312")
    assert numbers(await search(http, sandbox, area)) == []


async def test_best_effort_fills_up_with_numbers_that_miss_the_pattern(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    impossible = {**US, "filter[phone_number][ends_with]": "12345678901", "filter[limit]": "3"}
    assert (await search(http, sandbox, impossible))["data"] == []
    body = await search(http, sandbox, {**impossible, "filter[best_effort]": "true"})
    assert numbers(body) == ["+19705550000", "+19705550001", "+19705550002"]
    assert [item["best_effort"] for item in body["data"]] == [True, True, True]
    assert body["meta"] == {"total_results": 3, "best_effort_results": 3}
    sandbox.set_inventory("US", "local", 2000, national_destination_code="312")
    partly = {  # 1,000 numbers of 312 have 0000 right after it: the 1,001st is a best effort
        **US,
        "filter[national_destination_code]": "312",
        "filter[phone_number][contains]": "0000",
        "filter[best_effort]": "true",
        "filter[limit]": "1001",
    }
    body = await search(http, sandbox, partly)
    exact = [item["phone_number"] for item in body["data"] if not item["best_effort"]]
    close = [item["phone_number"] for item in body["data"] if item["best_effort"]]
    assert len(exact) == 1000
    assert all("0000" in number[5:] for number in exact)
    assert len(close) == 1
    assert "0000" not in close[0][5:]
    assert body["meta"]["best_effort_results"] == 1


async def test_a_number_sold_is_for_sale_no_more(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    first, second = numbers(await search(http, sandbox, {**US, "filter[limit]": "2"}))
    status, _ = await call(
        http, sandbox, "POST", "/number_orders", json={"phone_numbers": [{"phone_number": first}]}
    )
    assert status == 200
    assert numbers(await search(http, sandbox, {**US, "filter[limit]": "2"})) == [second, "+19705550002"]
    inexplicit = {
        "ordering_groups": [{"country_iso": "US", "phone_number_type": "local", "count_requested": "1"}]
    }
    status, _ = await call(http, sandbox, "POST", "/inexplicit_number_orders", json=inexplicit)
    assert status == 200
    assert sandbox.inventory("US", "local") == 999
    assert len(numbers(await search(http, sandbox, {**US, "filter[limit]": "1000"}))) == 999


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        pytest.param({"filter[limit]": "2"}, 422, "filter[country_code]", id="no-country"),
        pytest.param({**US, "filter[limit]": "two"}, 400, "filter[limit]", id="limit-not-integer"),
        pytest.param({**US, "filter[best_effort]": "maybe"}, 400, "filter[best_effort]", id="flag"),
        pytest.param({**US, "filter[features]": "sms,telepathy"}, 400, "filter[features]", id="feature"),
        pytest.param(
            {**US, "filter[phone_number_type]": "landline"}, 400, "filter[phone_number_type]", id="type"
        ),
        pytest.param(
            {**US, "filter[phone_number][matches]": "5"}, 400, "filter[phone_number][matches]", id="closed"
        ),
    ],
)
async def test_a_search_the_spec_or_telnyx_refuses_is_refused_naming_the_parameter(
    sandbox: Sandbox, http: aiohttp.ClientSession, params: dict[str, str], status: int, parameter: str
) -> None:
    answered, body = await call(http, sandbox, "GET", "/available_phone_numbers", params=params)
    assert answered == status
    assert body["errors"][0]["source"] == {"parameter": parameter}


async def test_a_pattern_that_is_not_digits_matches_nothing(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    assert (await search(http, sandbox, {**US, "filter[phone_number][contains]": "55*"}))["data"] == []


async def blocks(http: aiohttp.ClientSession, sandbox: Sandbox, **filters: str) -> list[dict[str, Any]]:
    params = {f"filter[{name}]": value for name, value in filters.items()}
    status, body = await call(http, sandbox, "GET", "/available_phone_number_blocks", params=params)
    assert status == 200, body
    assert body["meta"] == {"total_results": len(body["data"]), "best_effort_results": 0}
    found: list[dict[str, Any]] = body["data"]
    return found


async def test_blocks_for_sale_are_whole_and_an_order_for_one_takes_it(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    found = await blocks(http, sandbox, locality="Chicago")
    assert [block["phone_number"] for block in found[:3]] == ["+13125550000", "+13125550010", "+13125550020"]
    assert len(found) == 10
    assert found[0] == {
        "record_type": "available_phone_number_block",
        "phone_number": "+13125550000",
        "range": 10,
        "features": [{"name": name} for name in ("voice", "sms", "mms", "emergency", "hd_voice", "fax")],
        "region_information": [
            {"region_name": "IL", "region_type": "state"},
            {"region_name": "CHICAGO", "region_type": "rate_center"},
            {"region_name": "CHICAGO (IL)", "region_type": "location"},
            {"region_name": "US", "region_type": "country_code"},
        ],
        "cost_information": {"currency": "USD", "monthly_cost": "10.00000", "upfront_cost": "10.00000"},
    }
    status, _ = await call(
        http, sandbox, "POST", "/number_orders", json={"phone_numbers": [{"phone_number": "+13125550013"}]}
    )
    assert status == 200
    status, answer = await call(
        http, sandbox, "POST", "/number_block_orders", json={"starting_number": "+13125550020", "range": 10}
    )
    assert status == 200
    clock.tick(2.0)
    status, retrieved = await call(http, sandbox, "GET", f"/number_block_orders/{answer['data']['id']}")
    assert retrieved["data"]["status"] == "success"
    after = [block["phone_number"] for block in await blocks(http, sandbox, locality="Chicago")]
    # The block with a sold number in it, and the block sold, are for sale no more.
    assert after[:2] == ["+13125550000", "+13125550030"]
    assert "+1312555002" not in {number[:11] for number in after}
    assert await blocks(http, sandbox, country_code="CA", national_destination_code="212") == []
    sandbox.set_inventory("CA", "local", 9, national_destination_code="604")
    assert await blocks(http, sandbox, country_code="CA", national_destination_code="604") == []
    sandbox.set_inventory("CA", "local", 25, national_destination_code="604")
    assert len(await blocks(http, sandbox, country_code="CA", national_destination_code="604")) == 2
