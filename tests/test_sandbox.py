"""The sandbox, exercised over real HTTP with a plain aiohttp client (it shares no code with the SDK)."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
import uuid
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from telnyx_orders.testing import OPERATIONS, Fault, FaultPlan, Sandbox
from telnyx_orders.testing._ratelimit import RateLimitWindow

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

AUTH_FAILED = {
    "errors": [
        {
            "code": "10009",
            "title": "Authentication failed",
            "detail": "Could not understand the provided credentials.",
            "meta": {"url": "https://developers.telnyx.com/docs/overview/errors/10009"},
        }
    ]
}
PHONE_NUMBER_KEYS = {
    "id",
    "record_type",
    "phone_number",
    "country_code",
    "country_iso_alpha2",
    "phone_number_type",
    "regulatory_requirements",
    "requirements_met",
    "requirements_status",
    "status",
}


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {sandbox.api_key}"}) as session:
        yield session


async def get(
    http: aiohttp.ClientSession, sandbox: Sandbox, path: str, **kwargs: Any
) -> tuple[aiohttp.ClientResponse, Any]:
    """GET ``base_url + path``; returns the response and its parsed JSON body."""
    async with http.get(sandbox.base_url + path, **kwargs) as response:
        return response, json.loads(await response.read())


def error_of(body: Any) -> dict[str, Any]:
    assert set(body) == {"errors"}
    [error] = body["errors"]
    assert error["meta"]["url"] == f"https://developers.telnyx.com/docs/overview/errors/{error['code']}"
    return error  # type: ignore[no-any-return]


# --- routes ---------------------------------------------------------------------------------------------

RETRIEVE_ROUTES = [
    ("inexplicit_number_orders", Sandbox.add_inexplicit_number_order, "RetrieveInexplicitNumberOrder"),
    ("number_orders", Sandbox.add_number_order, "RetrieveNumberOrder"),
    ("sub_number_orders", Sandbox.add_sub_number_order, "GetSubNumberOrder"),
]


@pytest.mark.parametrize(("collection", "seed", "operation"), RETRIEVE_ROUTES)
async def test_retrieve_returns_the_stored_document_in_a_data_envelope(
    sandbox: Sandbox,
    http: aiohttp.ClientSession,
    collection: str,
    seed: Callable[..., dict[str, Any]],
    operation: str,
) -> None:
    seed(sandbox)
    doc = seed(sandbox)
    response, body = await get(http, sandbox, f"/{collection}/{doc['id']}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    assert body == {"data": doc}
    assert uuid.UUID(response.headers["x-request-id"]).version == 4
    assert response.headers["x-ratelimit-limit"] == "1000"
    assert int(response.headers["x-ratelimit-remaining"]) < 1000
    assert 0 <= int(response.headers["x-ratelimit-reset"]) <= 60
    assert [r.operation for r in sandbox.requests] == [operation]


async def test_every_response_gets_a_fresh_request_id_and_a_shrinking_rate_limit(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    first, _ = await get(http, sandbox, "/number_orders")
    second, _ = await get(http, sandbox, "/nope")
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    remaining = [int(r.headers["x-ratelimit-remaining"]) for r in (first, second)]
    assert remaining[1] == remaining[0] - 1
    assert [r.request_id for r in sandbox.requests] == [r.headers["x-request-id"] for r in (first, second)]


async def test_seeded_inexplicit_order_links_a_number_order_and_sub_number_order(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    order = sandbox.add_inexplicit_number_order(customer_reference="ref-7")
    [group] = order["ordering_groups"]
    assert group["status"] == "success"
    assert group["count_requested"] == group["count_allocated"] == 1
    assert group["phone_number[starts_with]"] == "970"
    # The spec types these strings, never null: a field without a value is left out.
    assert not {"phone_number[ends_with]", "phone_number[contains]", "error_reason"} & set(group)
    [link] = group["orders"]
    _, number_order = await get(http, sandbox, f"/number_orders/{link['number_order_id']}")
    assert number_order["data"]["sub_number_orders_ids"] == link["sub_number_order_ids"]
    assert number_order["data"]["customer_reference"] == "ref-7"
    [phone] = number_order["data"]["phone_numbers"]
    assert set(phone) == PHONE_NUMBER_KEYS
    assert phone["phone_number"].startswith("+1970")
    _, sub = await get(http, sandbox, f"/sub_number_orders/{link['sub_number_order_ids'][0]}")
    assert sub["data"]["order_request_id"] == link["number_order_id"]
    for stamp in (order["created_at"], group["updated_at"], sub["data"]["created_at"]):
        assert stamp.endswith("Z")
        assert time.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ")
    assert all(uuid.UUID(i).version == 4 for i in (order["id"], link["number_order_id"]))


async def test_overrides_and_raw_documents_are_served_verbatim(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    odd = sandbox.add_number_order(status="teleported", extra_key={"nested": [1]}, phone_numbers_count="2")
    assert len(odd["phone_numbers"]) == 1  # an odd count is stored, not obeyed
    _, body = await get(http, sandbox, f"/number_orders/{odd['id']}")
    assert body["data"]["status"] == "teleported"
    assert body["data"]["extra_key"] == {"nested": [1]}
    raw = sandbox.seed_raw("inexplicit_number_orders", {"ordering_groups": None}, id="not-a-uuid")
    _, body = await get(http, sandbox, "/inexplicit_number_orders/not-a-uuid")
    assert body == {"data": raw}
    groups = sandbox.add_inexplicit_number_order(ordering_groups=[{"status": "weird"}])
    assert groups["ordering_groups"] == [{"status": "weird"}]
    assert len(sandbox.documents("number_orders")) == 1  # no linked orders for overridden groups
    standalone = sandbox.add_number_order(sub_number_orders_ids=[], phone_numbers_count=3)
    assert standalone["sub_number_orders_ids"] == []
    assert len(standalone["phone_numbers"]) == 3
    assert len(sandbox.documents("sub_number_orders")) == 1


async def test_a_listed_number_order_shows_only_the_id_and_number_of_each_phone_number(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    full = sandbox.add_number_order(phone_numbers_count=2)
    odd = sandbox.seed_raw("number_orders", {"id": "odd", "phone_numbers": ["+19705550000", {"status": "x"}]})
    bare = sandbox.seed_raw("number_orders", {"id": "bare", "phone_numbers": None})
    _, body = await get(http, sandbox, "/number_orders")
    listed, listed_odd, listed_bare = body["data"]
    # The spec lists number orders with PhoneNumbersJobPhoneNumber items: {id, phone_number} only.
    assert listed["phone_numbers"] == [
        {"id": n["id"], "phone_number": n["phone_number"]} for n in full["phone_numbers"]
    ]
    assert listed_odd["phone_numbers"] == ["+19705550000", {}]
    assert listed_bare == bare
    _, retrieved = await get(http, sandbox, f"/number_orders/{full['id']}")
    assert retrieved["data"]["phone_numbers"] == full["phone_numbers"]
    assert odd["phone_numbers"][1] == {"status": "x"}  # the stored document is left alone


def test_seeding_refuses_documents_it_cannot_key_and_kinds_it_does_not_serve() -> None:
    sandbox = Sandbox()
    with pytest.raises(ValueError, match="string 'id'"):
        sandbox.seed_raw("number_orders", {"id": 7})
    with pytest.raises(ValueError, match="unknown resource kind 'orders'; expected one of: "):
        sandbox.seed_raw("orders", {"id": "x"})
    with pytest.raises(ValueError, match="unknown resource kind"):
        sandbox.seed("orders")
    with pytest.raises(ValueError, match="unknown resource kind"):
        sandbox.documents("orders")
    doc = {"id": "x"}
    assert sandbox.seed_raw("sub_number_orders", doc) is sandbox.documents("sub_number_orders")["x"]
    sandbox.reset()
    assert sandbox.documents("sub_number_orders") == {}


async def test_sub_number_order_includes_phone_numbers_only_when_asked(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sub = sandbox.add_sub_number_order(phone_numbers_count=60, phone_number_type="toll_free")
    path = f"/sub_number_orders/{sub['id']}"
    _, plain = await get(http, sandbox, path)
    assert "phone_numbers" not in plain["data"]
    _, off = await get(http, sandbox, path, params={"filter[include_phone_numbers]": "false"})
    assert "phone_numbers" not in off["data"]
    _, on = await get(http, sandbox, path, params={"filter[include_phone_numbers]": "true"})
    numbers = on["data"].pop("phone_numbers")
    assert on["data"] == sub
    assert len(numbers) == 50
    assert all(set(n) == PHONE_NUMBER_KEYS and n["phone_number_type"] == "toll_free" for n in numbers)
    assert len({n["phone_number"] for n in numbers}) == 50
    response, bad = await get(http, sandbox, path, params={"filter[include_phone_numbers]": "yes"})
    assert response.status == 400
    assert error_of(bad)["source"] == {"parameter": "filter[include_phone_numbers]"}
    missing, body = await get(
        http, sandbox, "/sub_number_orders/nope", params={"filter[include_phone_numbers]": "true"}
    )
    assert missing.status == 404
    assert error_of(body)["code"] == "10005"


# --- auth and errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer wrong-key",
        "Basic sandbox-api-key",
        "Bearer",
        "sandbox-api-key",
        "Bearer  sandbox-api-key",
    ],
)
@pytest.mark.parametrize("path", ["/number_orders", "/inexplicit_number_orders/x", "/unknown"])
async def test_bad_credentials_get_the_spec_401_body(
    sandbox: Sandbox, authorization: str | None, path: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    async with aiohttp.ClientSession() as session, session.get(sandbox.base_url + path, headers=headers) as r:
        assert r.status == 401
        assert r.headers["Content-Type"] == "application/json"
        assert "x-request-id" in r.headers
        assert await r.json() == AUTH_FAILED


async def test_bearer_scheme_is_case_insensitive(sandbox: Sandbox) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{sandbox.base_url}/number_orders", headers={"Authorization": "bearer sandbox-api-key"}
        ) as r,
    ):
        assert r.status == 200


@pytest.mark.parametrize("collection", ["inexplicit_number_orders", "number_orders", "sub_number_orders"])
async def test_unknown_id_is_a_404_envelope(
    sandbox: Sandbox, http: aiohttp.ClientSession, collection: str
) -> None:
    sandbox.add_inexplicit_number_order()
    response, body = await get(http, sandbox, f"/{collection}/{uuid.uuid4()}")
    assert response.status == 404
    error = error_of(body)
    assert (error["code"], error["title"]) == ("10005", "Resource not found")


async def test_unknown_routes_and_methods_use_the_envelope(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    response, body = await get(http, sandbox, "/phone_numbers")
    assert response.status == 404
    assert error_of(body)["code"] == "10005"
    async with http.delete(f"{sandbox.base_url}/number_orders") as deleted:
        assert deleted.status == 405
        assert deleted.headers["Allow"] == "GET,POST"
        assert error_of(await deleted.json())["title"] == "Method Not Allowed"
    assert [r.operation for r in sandbox.requests] == [None, None]


# --- lists ----------------------------------------------------------------------------------------------


async def test_inexplicit_orders_page_with_flat_parameters(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    ids = [sandbox.add_inexplicit_number_order()["id"] for _ in range(5)]
    _, first = await get(http, sandbox, "/inexplicit_number_orders")
    assert [d["id"] for d in first["data"]] == ids
    assert first["meta"] == {"page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 5}
    _, last = await get(
        http, sandbox, "/inexplicit_number_orders", params={"page_number": "3", "page_size": "2"}
    )
    assert [d["id"] for d in last["data"]] == ids[4:]
    assert last["meta"] == {"page_number": 3, "page_size": 2, "total_pages": 3, "total_results": 5}
    _, past = await get(
        http, sandbox, "/inexplicit_number_orders", params={"page_number": "9", "page_size": "250"}
    )
    assert past["data"] == []
    assert past["meta"]["total_pages"] == 1


async def test_number_orders_page_with_bracketed_parameters(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    ids = [sandbox.add_number_order()["id"] for _ in range(3)]
    _, page = await get(http, sandbox, "/number_orders", params={"page[number]": "2", "page[size]": "2"})
    assert [d["id"] for d in page["data"]] == ids[2:]
    assert page["meta"] == {"page_number": 2, "page_size": 2, "total_pages": 2, "total_results": 3}
    _, empty = await get(http, sandbox, "/inexplicit_number_orders")
    assert empty == {
        "data": [],
        "meta": {"page_number": 1, "page_size": 20, "total_pages": 0, "total_results": 0},
    }


async def test_sub_number_orders_list_everything_on_one_page(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    _, empty = await get(http, sandbox, "/sub_number_orders")
    assert empty == {
        "data": [],
        "meta": {"page_number": 1, "page_size": 1, "total_pages": 0, "total_results": 0},
    }
    subs = [sandbox.add_sub_number_order() for _ in range(25)]
    _, body = await get(http, sandbox, "/sub_number_orders", params={"page[size]": "2"})
    assert body["data"] == subs
    assert body["meta"] == {"page_number": 1, "page_size": 25, "total_pages": 1, "total_results": 25}


@pytest.mark.parametrize(
    ("collection", "parameter", "value", "status"),
    [
        ("inexplicit_number_orders", "page_size", "0", 422),
        ("inexplicit_number_orders", "page_size", "251", 422),
        ("inexplicit_number_orders", "page_number", "0", 422),
        ("inexplicit_number_orders", "page_number", "two", 400),
        ("inexplicit_number_orders", "page_size", "", 400),
        ("number_orders", "page[size]", "-1", 400),
        ("number_orders", "page[size]", "1000", 422),
        ("number_orders", "page[number]", "1.5", 400),
        ("number_orders", "page[number]", "\u0663", 400),
    ],
)
async def test_invalid_paging_is_rejected_with_the_parameter_named(
    sandbox: Sandbox, http: aiohttp.ClientSession, *, collection: str, parameter: str, value: str, status: int
) -> None:
    response, body = await get(http, sandbox, f"/{collection}", params={parameter: value})
    assert response.status == status
    error = error_of(body)
    assert error["code"] == "10015"
    assert error["source"] == {"parameter": parameter}
    assert parameter in error["detail"]


# --- faults ---------------------------------------------------------------------------------------------


async def test_status_fault_answers_once_with_defaults_and_extra_headers(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    fault = sandbox.faults.status(503, headers={"Retry-After": "2", "x-ratelimit-reset": "1"})
    response, body = await get(http, sandbox, "/number_orders")
    assert response.status == 503
    assert response.headers["Retry-After"] == "2"
    assert response.headers["x-ratelimit-reset"] == "1"
    assert response.headers["x-ratelimit-limit"] == "1000"
    error = error_of(body)
    assert (error["code"], error["title"]) == ("10007", "Service Unavailable")
    assert fault.fired == 1
    assert fault.exhausted
    again, _ = await get(http, sandbox, "/number_orders")
    assert again.status == 200
    assert [r.fault for r in sandbox.requests] == [fault, None]


@pytest.mark.parametrize(
    ("status", "code", "title"),
    [
        (400, "10015", "Bad Request"),
        (403, "10010", "Authorization failed"),
        (408, "10008", "Request timeout"),
        (409, "10012", "Duplicate resource"),
        (418, "10015", "I'm a Teapot"),
        (500, "10007", "Unexpected error"),
        (599, "10007", "Error"),
    ],
)
async def test_status_fault_defaults_per_status(
    sandbox: Sandbox, http: aiohttp.ClientSession, status: int, code: str, title: str
) -> None:
    sandbox.faults.status(status)
    response, body = await get(http, sandbox, "/sub_number_orders")
    assert response.status == status
    assert (error_of(body)["code"], error_of(body)["title"]) == (code, title)


async def test_status_fault_with_custom_error(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.status(409, code=10012, title="Conflict", detail="Order exists")  # type: ignore[arg-type]
    _, body = await get(http, sandbox, "/number_orders")
    assert body["errors"][0] | {"meta": None} == {
        "code": 10012,
        "title": "Conflict",
        "detail": "Order exists",
        "meta": None,
    }


async def test_rate_limit_fault(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.rate_limit(reset=7)
    response, body = await get(http, sandbox, "/inexplicit_number_orders")
    assert response.status == 429
    assert response.headers["x-ratelimit-limit"] == "1000"
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert response.headers["x-ratelimit-reset"] == "7"
    assert "x-request-id" in response.headers
    error = error_of(body)
    assert (error["code"], error["title"]) == ("10011", "Too many requests")


async def test_latency_fault_delays_a_normal_answer(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.latency(0.15, operation="ListNumberOrders")
    started = time.monotonic()
    response, body = await get(http, sandbox, "/number_orders")
    assert time.monotonic() - started >= 0.15
    assert response.status == 200
    assert body["meta"]["total_results"] == 0
    started = time.monotonic()
    await get(http, sandbox, "/number_orders")
    assert time.monotonic() - started < 0.15


async def test_latency_fault_is_cut_short_when_the_sandbox_closes(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sandbox.faults.latency(30)
    with pytest.raises(asyncio.TimeoutError):
        await get(http, sandbox, "/number_orders", timeout=aiohttp.ClientTimeout(total=0.05))
    started = time.monotonic()
    await sandbox.close()
    assert time.monotonic() - started < 0.5
    assert not sandbox.running


@pytest.mark.parametrize(("kind", "handled"), [("drop_before", False), ("drop_after", True)])
async def test_drop_faults_close_without_any_response(sandbox: Sandbox, kind: str, handled: bool) -> None:
    sandbox.faults.add(Fault(kind, operation="CreateNumberOrder"))  # type: ignore[arg-type]
    body = json.dumps({"phone_numbers": [{"phone_number": "+19705550100"}]}).encode()
    reader, writer = await asyncio.open_connection(sandbox.host, sandbox.port)
    writer.write(
        b"POST /v2/number_orders HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {sandbox.api_key}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    assert await reader.read() == b""
    writer.close()
    await writer.wait_closed()
    assert len(sandbox.documents("number_orders")) == (1 if handled else 0)
    [request] = sandbox.requests
    assert request.fault is not None
    assert request.fault.kind == kind


@pytest.mark.parametrize("kind", ["drop_before", "drop_after"])
async def test_aiohttp_sees_a_dropped_connection_as_server_disconnected(
    sandbox: Sandbox, http: aiohttp.ClientSession, kind: str
) -> None:
    # aiohttp silently retries an idempotent request once after a disconnect, so keep dropping.
    fault = (
        sandbox.faults.drop_before(times=None)
        if kind == "drop_before"
        else sandbox.faults.drop_after(times=None)
    )
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await get(http, sandbox, "/number_orders")
    assert fault.fired == len(sandbox.requests) >= 1
    sandbox.faults.clear()
    response, _ = await get(http, sandbox, "/number_orders")
    assert response.status == 200


async def test_html_fault(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.html()
    async with http.get(f"{sandbox.base_url}/number_orders") as response:
        assert response.status == 502
        assert response.headers["Content-Type"] == "text/html"
        assert await response.text() == "<html>Bad Gateway</html>"
        with pytest.raises(aiohttp.ContentTypeError):
            await response.json()


async def test_malformed_fault_sends_non_json_labelled_json(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sandbox.faults.malformed()
    sandbox.faults.malformed(body=b'{"data": ')
    for expected in (b"<<this is not json>>", b'{"data": '):
        async with http.get(f"{sandbox.base_url}/number_orders") as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "application/json"
            raw = await response.read()
        assert raw == expected
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw)


async def test_truncated_fault_promises_more_bytes_than_it_sends(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sandbox.faults.truncated()
    async with http.get(f"{sandbox.base_url}/number_orders") as response:
        assert response.status == 200
        assert int(response.headers["Content-Length"]) > len(b'{"data": {"id": "')
        assert "x-request-id" in response.headers
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()


async def test_wrong_shape_fault_and_content_type_override(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sandbox.faults.wrong_shape({"data": [1, 2]})
    sandbox.faults.add(
        Fault("wrong_shape", json_body=None, content_type="application/vnd.api+json", status=201)
    )
    response, body = await get(http, sandbox, "/inexplicit_number_orders")
    assert (response.status, body) == (200, {"data": [1, 2]})
    response, body = await get(http, sandbox, "/inexplicit_number_orders")
    assert (response.status, body) == (201, None)
    assert response.headers["Content-Type"] == "application/vnd.api+json"


async def test_faults_fire_in_fifo_order_and_match_method_and_operation(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    first = sandbox.faults.status(500, times=2)
    second = sandbox.faults.status(502)
    other_route = sandbox.faults.status(418, operation="RetrieveNumberOrder")
    other_method = sandbox.faults.status(418, method="post")
    statuses = [(await get(http, sandbox, "/number_orders"))[0].status for _ in range(4)]
    assert statuses == [500, 500, 502, 200]
    assert (first.fired, second.fired, other_route.fired, other_method.fired) == (2, 1, 0, 0)
    assert sandbox.faults.pending == [other_route, other_method]
    assert sandbox.faults.faults == [first, second, other_route, other_method]
    response, _ = await get(http, sandbox, "/number_orders/x")
    assert response.status == 418
    assert other_method.method == "POST"


async def test_unlimited_fault_fires_until_cleared(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    fault = sandbox.faults.status(503, times=None, operation="ListSubNumberOrders")
    for _ in range(3):
        assert (await get(http, sandbox, "/sub_number_orders"))[0].status == 503
    assert fault.fired == 3
    assert not fault.exhausted
    sandbox.faults.clear()
    assert (await get(http, sandbox, "/sub_number_orders"))[0].status == 200


def test_probabilistic_faults_are_reproducible_from_the_seed() -> None:
    def run(plan: FaultPlan) -> list[bool]:
        plan.add(Fault("status", status=500, times=None, probability=0.5))
        return [plan.take("GET", "ListNumberOrders") is not None for _ in range(40)]

    first = run(FaultPlan(seed=7))
    assert 5 < sum(first) < 35
    assert run(FaultPlan(seed=7)) == first
    assert run(FaultPlan(seed=8)) != first
    plan = FaultPlan(seed=1)
    plan.add(Fault("latency", probability=0.5, times=None))
    once = [plan.take("GET", None) is not None for _ in range(10)]
    plan.reseed(1)
    assert [plan.take("GET", None) is not None for _ in range(10)] == once


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "explode"}, "unknown fault kind"),
        ({"kind": "status"}, "needs status="),
        ({"kind": "status", "status": 99}, "200..599"),
        ({"kind": "latency", "times": 0}, "times"),
        ({"kind": "latency", "probability": 0.0}, "probability"),
        ({"kind": "latency", "delay": -1}, "delay"),
        ({"kind": "latency", "operation": "RetrieveOrder"}, "unknown operation"),
    ],
)
def test_fault_validation(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Fault(**kwargs)


def test_fault_defaults() -> None:
    assert Fault("html").status == 502
    assert Fault("html").body == b"<html>Bad Gateway</html>"
    assert Fault("malformed").status == 200
    assert Fault("status", status=503).body is None
    assert "CreateNumberOrder" in OPERATIONS


# --- request log ----------------------------------------------------------------------------------------


async def test_request_log_records_what_went_on_the_wire(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sandbox.faults.drop_before(method="POST")
    await get(
        http,
        sandbox,
        "/inexplicit_number_orders",
        params=[("page_size", "5"), ("page_size", "6"), ("x", "a b")],
        headers={"User-Agent": "telnyx-orders-test/1.0"},
    )
    with pytest.raises(aiohttp.ServerDisconnectedError):
        async with http.post(f"{sandbox.base_url}/number_orders", json={"phone_numbers": []}):
            pass
    listed, posted = sandbox.requests
    assert (listed.method, listed.path, listed.operation) == (
        "GET",
        "/v2/inexplicit_number_orders",
        "ListInexplicitNumberOrders",
    )
    assert listed.query == [("page_size", "5"), ("page_size", "6"), ("x", "a b")]
    assert listed.headers["authorization"] == "Bearer sandbox-api-key"
    assert listed.headers["user-agent"] == "telnyx-orders-test/1.0"
    assert listed.body == b""
    assert listed.fault is None
    assert (posted.method, posted.operation) == ("POST", "CreateNumberOrder")
    assert posted.json() == {"phone_numbers": []}
    assert posted.headers["content-type"] == "application/json"
    assert posted.fault is not None
    assert sandbox.requests_to("ListInexplicitNumberOrders") == [listed]
    assert sandbox.requests_to("CreateNumberOrder") == [posted]
    assert sandbox.requests_to("CreateInexplicitNumberOrder") == []
    with pytest.raises(ValueError, match="unknown operation"):
        sandbox.requests_to("ListOrders")


async def test_reset_forgets_documents_faults_and_requests(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sandbox.add_inexplicit_number_order()
    sandbox.faults.status(500, times=None)
    await get(http, sandbox, "/number_orders")
    sandbox.reset()
    assert (sandbox.requests, sandbox.faults.faults, sandbox.documents("number_orders")) == ([], [], {})
    response, body = await get(http, sandbox, "/inexplicit_number_orders")
    assert (response.status, body["data"]) == (200, [])


# --- lifecycle ------------------------------------------------------------------------------------------


async def test_lifecycle() -> None:
    sandbox = Sandbox(api_key="k")
    with pytest.raises(RuntimeError, match="not running"):
        _ = sandbox.base_url
    await sandbox.close()
    await sandbox.start()
    try:
        assert sandbox.running
        assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}/v2"
        assert sandbox.port > 0
        with pytest.raises(RuntimeError, match="already running"):
            await sandbox.start()
    finally:
        await sandbox.close()
    await sandbox.close()
    with pytest.raises(RuntimeError):
        _ = sandbox.port


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.1", "localhost", "::"])
def test_only_loopback_hosts_are_accepted(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        Sandbox(host=host)


def test_empty_api_key_is_refused() -> None:
    with pytest.raises(ValueError, match="api_key"):
        Sandbox(api_key="")


async def test_ipv6_loopback_base_url() -> None:
    try:
        sandbox = await Sandbox(host="::1").__aenter__()
    except OSError:
        pytest.skip("no IPv6 loopback")
    try:
        assert sandbox.base_url == f"http://[::1]:{sandbox.port}/v2"
        async with aiohttp.ClientSession() as session, session.get(f"{sandbox.base_url}/number_orders") as r:
            assert r.status == 401
    finally:
        await sandbox.close()


def test_rate_limit_window_resets() -> None:
    now = [100.0]
    window = RateLimitWindow(limit=2, window=10.0, clock=lambda: now[0])
    assert window.hit()["x-ratelimit-remaining"] == "1"
    now[0] = 103.2
    assert window.hit() == {"x-ratelimit-limit": "2", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "7"}
    assert window.hit()["x-ratelimit-remaining"] == "0"
    now[0] = 110.0
    assert window.hit() == {"x-ratelimit-limit": "2", "x-ratelimit-remaining": "1", "x-ratelimit-reset": "10"}


def _blocking_get(url: str, api_key: str) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {api_key}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, json.loads(response.read())


def test_threaded_sandbox_serves_blocking_callers() -> None:
    with Sandbox().serve_in_thread() as sandbox:
        order = sandbox.add_inexplicit_number_order()
        status, body = _blocking_get(
            f"{sandbox.base_url}/inexplicit_number_orders/{order['id']}", sandbox.api_key
        )
        assert (status, body) == (200, {"data": order})
        sandbox.faults.status(503)
        with pytest.raises(urllib.error.HTTPError) as raised:
            _blocking_get(f"{sandbox.base_url}/number_orders", sandbox.api_key)
        assert raised.value.code == 503
        raised.value.close()
        url = sandbox.base_url
    assert not sandbox.running
    with pytest.raises(urllib.error.URLError):
        _blocking_get(url, sandbox.api_key)
    assert len(sandbox.requests) == 2


def test_threaded_sandbox_start_stop_and_startup_failure() -> None:
    threaded = Sandbox().serve_in_thread()
    try:
        with pytest.raises(RuntimeError, match="already running"):
            threaded.start()
        assert threaded.__enter__() is threaded.sandbox
        port = threaded.sandbox.port
        with pytest.raises(OSError, match=r"(?i)address already in use"):
            Sandbox(port=port).serve_in_thread()
    finally:
        threaded.stop()
    threaded.stop()
    assert not threaded.sandbox.running
