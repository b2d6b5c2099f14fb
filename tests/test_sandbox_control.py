"""The sandbox's control API (``/_sandbox/...``) and RemoteSandbox, its blocking client.

They drive a sandbox served elsewhere (another thread here, another process in one test) over real
HTTP, with the same effects and the same refusals as the in-process calls.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp import web

from telnyx_orders import NotFoundError, Telnyx
from telnyx_orders.testing import Fault, RemoteSandbox, Sandbox

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(lifecycle_step=0).serve_in_thread() as served:
        yield served


@pytest.fixture
def remote(sandbox: Sandbox) -> RemoteSandbox:
    return RemoteSandbox(sandbox.base_url, sandbox.api_key)


def send(
    sandbox: Sandbox,
    method: str,
    path: str,
    body: bytes | None = None,
    *,
    api_key: str | None = None,
    content_type: str = "application/json",
) -> tuple[int, dict[str, str], Any]:
    """A raw request to the sandbox's root + ``path``: the status, the headers and the parsed body."""
    url = sandbox.base_url.removesuffix("/v2") + path
    headers = {"Authorization": f"Bearer {api_key or sandbox.api_key}", "Content-Type": content_type}
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            payload, status, answered = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        payload, status, answered = error.read(), error.code, dict(error.headers)
        error.close()
    return status, answered, json.loads(payload) if payload else None


def remote_error(body: Any) -> None:
    """Raise what a RemoteSandbox raises for an envelope the control API refused a call with."""
    raise ValueError(
        "; ".join(
            f"{e['source']['pointer']}: {e['detail']}" if e.get("source", {}).get("pointer") else e["detail"]
            for e in body["errors"]
        )
    )


def api_get(sandbox: Sandbox, path: str) -> tuple[int, dict[str, str], Any]:
    return send(sandbox, "GET", "/v2" + path)


# --- the control API over raw HTTP ----------------------------------------------------------------------


def test_control_calls_are_not_recorded_not_faulted_and_not_rate_counted(sandbox: Sandbox) -> None:
    sandbox.faults.status(500, times=None)
    for _ in range(3):
        assert send(sandbox, "GET", "/_sandbox/faults")[0] == 200
    assert send(sandbox, "GET", "/_sandbox/nowhere")[0] == 404
    assert sandbox.requests == []
    assert sandbox.faults.faults[0].fired == 0

    status, headers, _ = api_get(sandbox, "/number_orders")
    assert (status, headers["x-ratelimit-remaining"]) == (500, "999")
    assert [request.operation for request in sandbox.requests] == ["ListNumberOrders"]


def test_control_calls_need_the_sandbox_key(sandbox: Sandbox) -> None:
    status, _, body = send(sandbox, "POST", "/_sandbox/reset", api_key="wrong")
    assert status == 401
    assert body["errors"][0]["code"] == "10009"
    with pytest.raises(
        RuntimeError, match=r"POST /reset with 401: Could not understand the provided credentials"
    ):
        RemoteSandbox(sandbox.base_url, "wrong").reset()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "detail"),
    [
        (b"{", "application/json", 400, "The request body is not valid JSON."),
        (b'{"kind": "latency"}', "text/plain", 415, "The request body must be sent as application/json."),
        (b"[]", "application/json", 422, "The request body must be a JSON object."),
        (b"{}", "application/json", 422, "kind is required."),
        (b'{"kind": "status"}', "application/json", 422, "a 'status' fault needs status="),
    ],
)
def test_a_bad_control_body_is_answered_in_the_telnyx_envelope(
    sandbox: Sandbox, body: bytes, content_type: str, status: int, detail: str
) -> None:
    answered, _, envelope = send(sandbox, "POST", "/_sandbox/faults", body, content_type=content_type)
    assert answered == status
    [error] = envelope["errors"]
    assert error["detail"] == detail
    assert error["meta"]["url"].startswith("https://developers.telnyx.com/docs/overview/errors/")
    assert sandbox.faults.faults == []


def test_a_control_route_answers_405_to_another_method(sandbox: Sandbox) -> None:
    status, headers, body = send(sandbox, "PATCH", "/_sandbox/lifecycle", b"{}")
    assert (status, body["errors"][0]["code"]) == (405, "10015")
    assert set(headers["Allow"].split(",")) == {"GET", "PUT"}


# --- faults ---------------------------------------------------------------------------------------------


def test_a_remote_fault_fires_on_the_api_and_counts_its_firings(
    sandbox: Sandbox, remote: RemoteSandbox
) -> None:
    fault = remote.faults.status(
        503,
        code="99999",
        title="Down",
        detail="Gone fishing",
        headers={"Retry-After": "3"},
        operation="ListNumberOrders",
        method="get",
        times=2,
    )
    assert fault == Fault(
        "status",
        operation="ListNumberOrders",
        method="GET",
        times=2,
        status=503,
        code="99999",
        title="Down",
        detail="Gone fishing",
        headers={"Retry-After": "3"},
    )
    status, headers, body = api_get(sandbox, "/number_orders")
    assert (status, headers["Retry-After"], body["errors"][0]["detail"]) == (503, "3", "Gone fishing")
    assert [f.fired for f in remote.faults.faults] == [1]
    assert api_get(sandbox, "/number_orders")[0] == 503
    assert remote.faults.pending == []  # exhausted
    assert [f.fired for f in remote.faults.faults] == [2]
    assert api_get(sandbox, "/number_orders")[0] == 200


def test_a_remote_fault_body_is_text_sent_as_utf8(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    assert remote.faults.html(body="<p>caf\u00e9</p>".encode()).body == "<p>caf\u00e9</p>".encode()
    remote.faults.malformed(body=b"not json \xe2\x9c\x93")
    assert sandbox.faults.faults[0].body == "<p>caf\u00e9</p>".encode()
    assert sandbox.faults.faults[1].body == "not json \u2713".encode()
    assert remote.faults.add(Fault("truncated")).body == b'{"data": {"id": "'  # the kind's default


def test_a_remote_wrong_shape_fault_answers_its_json_body(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    remote.faults.add(
        Fault("wrong_shape", json_body={"data": [1, 2]}, status=201, content_type="application/vnd+json")
    )
    status, headers, body = api_get(sandbox, "/sub_number_orders")
    assert (status, headers["Content-Type"], body) == (201, "application/vnd+json", {"data": [1, 2]})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "explode"}, "unknown fault kind 'explode'; expected one of: drop_after"),
        ({"kind": "latency", "operation": "ListOrders"}, "unknown operation 'ListOrders'"),
        ({"kind": "latency", "times": 0}, "times must be at least 1"),
        ({"kind": "latency", "probability": 0}, r"probability must be in \(0, 1\]"),
        ({"kind": "latency", "delay": -1}, "delay must not be negative"),
        ({"kind": "status", "status": 700}, r"status must be in 200\.\.599"),
        ({"kind": "latency", "times": "twice"}, "^/times: times must be an integer or null.$"),
        ({"kind": "latency", "times": True}, "^/times: times must be an integer or null.$"),
        ({"kind": "latency", "delay": "1"}, "^/delay: delay must be a number of seconds.$"),
        ({"kind": "latency", "headers": {"x": 1}}, "^/headers: headers must be an object of strings.$"),
        ({"kind": "latency", "headers": ["x"]}, "^/headers: headers must be an object of strings.$"),
        ({"kind": 5}, "^/kind: kind must be a string.$"),
        (
            {"kind": "latency", "dealy": 1},
            r"^/dealy: unknown field 'dealy'; expected one of: kind, operation,",
        ),
        ({"kind": "latency", "a/b~": 1}, "^/a~1b~0: unknown field"),
    ],
)
def test_a_refused_remote_fault_raises_the_in_process_message(
    sandbox: Sandbox, remote: RemoteSandbox, fields: dict[str, Any], message: str
) -> None:
    status, _, body = send(sandbox, "POST", "/_sandbox/faults", json.dumps(fields).encode())
    assert status == 422
    with pytest.raises(ValueError, match=message):
        remote_error(body)
    assert sandbox.faults.faults == []


def test_several_problems_are_reported_together(sandbox: Sandbox) -> None:
    _, _, body = send(sandbox, "POST", "/_sandbox/faults", b'{"kind": "rate_limit", "reset": 1.5, "nope": 1}')
    with pytest.raises(
        ValueError, match=r"^/nope: unknown field 'nope'.*; /reset: reset must be an integer\.$"
    ):
        remote_error(body)


def test_a_fault_the_remote_plan_refuses_raises_the_in_process_message(remote: RemoteSandbox) -> None:
    with pytest.raises(ValueError, match="unknown operation 'ListOrders'"):
        remote.faults.latency(0.1, operation="ListOrders")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown fault kind 'explode'"):
        remote.faults.add(Fault("explode"))  # type: ignore[arg-type]


def test_clearing_faults_forgets_them_all(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    sandbox.faults.latency(0.01)
    remote.faults.drop_before(times=None)
    remote.faults.clear()
    assert sandbox.faults.faults == [] == remote.faults.faults


def test_a_fault_with_a_handler_is_refused_remotely(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    async def teapot(request: web.Request) -> web.Response:
        return web.Response(status=418)

    with pytest.raises(ValueError, match="runs only in the sandbox's own process"):
        remote.faults.respond(teapot)
    assert sandbox.faults.faults == []


def test_reseeding_remotely_replays_the_same_probabilistic_faults(
    sandbox: Sandbox, remote: RemoteSandbox
) -> None:
    remote.faults.status(503, times=None, probability=0.5)

    def outcomes() -> list[int]:
        return [api_get(sandbox, "/number_orders")[0] for _ in range(12)]

    remote.faults.reseed(7)
    first = outcomes()
    remote.faults.reseed(7)
    assert outcomes() == first
    assert set(first) == {200, 503}


# --- inventory and the lifecycle knobs ---------------------------------------------------------------------


def test_inventory_is_set_and_read_per_pool(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    remote.set_inventory("US", "local", 2, national_destination_code="312")
    remote.set_inventory("CA", "toll_free", 0)
    assert sandbox.inventory("US", "local", national_destination_code="312") == 2
    assert remote.inventory("US", "local", national_destination_code="312") == 2
    assert remote.inventory("CA", "toll_free") == 0
    assert remote.inventory("US", "local") == 1000  # the pool without an area code is another one


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("GB", "local", 1), {}, "country_iso must be one of: US, CA; got 'GB'"),
        (("US", "tollfree", 1), {}, "phone_number_type must be one of: local, mobile"),
        (("US", "local", -1), {}, "count must be a non-negative integer, got -1"),
        (
            ("US", "local", 1),
            {"national_destination_code": "31"},
            "national_destination_code must be a 3-digit",
        ),
        (("US", "local", "1"), {}, "^/count: count must be an integer.$"),
    ],
)
def test_a_refused_inventory_raises_the_in_process_message(
    remote: RemoteSandbox, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        remote.set_inventory(*args, **kwargs)


def test_reading_inventory_checks_its_parameters(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    with pytest.raises(ValueError, match="country_iso must be one of"):
        remote.inventory("FR", "local")
    status, _, body = send(sandbox, "GET", "/_sandbox/inventory?country_iso=US")
    assert (status, body["errors"][0]["source"]) == (400, {"parameter": "phone_number_type"})
    status, _, body = send(
        sandbox, "GET", "/_sandbox/inventory?country_iso=US&phone_number_type=local&ndc=312"
    )
    assert (status, body["errors"][0]["source"]) == (400, {"parameter": "ndc"})
    assert body["errors"][0]["detail"].startswith("unknown parameter 'ndc'; expected one of: country_iso,")
    status, _, body = send(sandbox, "PUT", "/_sandbox/inventory", b'{"country_iso": "US"}')
    assert (status, [error["source"]["pointer"] for error in body["errors"]]) == (
        422,
        ["/phone_number_type", "/count"],
    )


def test_the_lifecycle_knobs_are_read_and_set_remotely(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    assert (remote.lifecycle_step, remote.default_inventory, remote.reservation_hold) == (0.0, 1000, 1800.0)
    remote.lifecycle_step = 0.5
    remote.default_inventory = 3
    remote.reservation_hold = 60
    assert (sandbox.lifecycle_step, sandbox.default_inventory, sandbox.reservation_hold) == (0.5, 3, 60.0)
    with pytest.raises(ValueError, match="default_inventory must be a non-negative integer"):
        remote.default_inventory = -1
    with pytest.raises(ValueError, match="lifecycle_step must be a finite number of seconds >= 0"):
        remote.lifecycle_step = -1
    with pytest.raises(ValueError, match="reservation_hold must be a finite number of seconds >= 0"):
        remote.reservation_hold = -1
    assert (remote.lifecycle_step, remote.default_inventory, remote.reservation_hold) == (0.5, 3, 60.0)


def test_the_control_api_sets_the_knobs_together_or_none(sandbox: Sandbox) -> None:
    status, _, body = send(
        sandbox, "PUT", "/_sandbox/lifecycle", b'{"step": 2, "reservation_hold": 5, "default_inventory": -1}'
    )
    assert status == 422
    status, _, body = send(sandbox, "PUT", "/_sandbox/lifecycle", b"{}")
    assert (status, body["errors"][0]["detail"]) == (
        422,
        "Give step, default_inventory, reservation_hold or several.",
    )
    assert (sandbox.lifecycle_step, sandbox.default_inventory, sandbox.reservation_hold) == (
        0.0,
        1000,
        1800.0,
    )


# --- seeding, the request log and reset --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["inexplicit_number_orders", "number_orders", "sub_number_orders"])
def test_a_seeded_document_is_served_by_the_api(sandbox: Sandbox, remote: RemoteSandbox, kind: Any) -> None:
    doc = remote.seed(kind, customer_reference="seeded-remotely")
    assert doc["customer_reference"] == "seeded-remotely"
    status, _, body = api_get(sandbox, f"/{kind}/{doc['id']}")
    assert (status, body) == (200, {"data": doc})


def test_seeding_with_no_body_stores_the_defaults(sandbox: Sandbox) -> None:
    status, _, body = send(sandbox, "POST", "/_sandbox/seed/number_orders", content_type="text/plain")
    assert status == 201
    assert sandbox.documents("number_orders") == {body["data"]["id"]: body["data"]}


def test_raw_documents_are_stored_and_read_remotely(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    doc = {"id": "odd/id", "status": "teleported"}
    assert remote.seed_raw("number_orders", doc) == doc
    assert remote.seed_raw("number_orders", {"status": "keyed"}, id="other") == {"status": "keyed"}
    assert (
        remote.documents("number_orders")
        == sandbox.documents("number_orders")
        == {
            "odd/id": doc,
            "other": {"status": "keyed"},
        }
    )
    with pytest.raises(ValueError, match="a stored document needs a string 'id'"):
        remote.seed_raw("number_orders", {"id": 5})
    with pytest.raises(ValueError, match="unknown resource kind 'orders'"):
        remote.documents("orders")


def test_a_refused_seed_raises_the_in_process_message(remote: RemoteSandbox) -> None:
    with pytest.raises(
        ValueError, match="unknown resource kind 'orders'; expected one of: inexplicit_number_orders"
    ):
        remote.seed("orders")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a stored document needs a string 'id'"):
        remote.seed("sub_number_orders", id=5)


def test_the_request_log_is_read_remotely(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    order_id = remote.seed("number_orders")["id"]
    remote.faults.status(404, operation="RetrieveNumberOrder")
    with Telnyx(remote.api_key, base_url=remote.base_url) as client:
        with pytest.raises(NotFoundError) as caught:
            client.number_orders.retrieve(order_id)
        client.number_orders.list(page_size=5, status="success")
        client.inexplicit_number_orders.create(
            ordering_groups=[{"country_iso": "US", "phone_number_type": "local", "count_requested": 1}]
        )
    assert list(remote.requests) == list(sandbox.requests)
    retrieve, listing, create = remote.requests
    assert retrieve.request_id == caught.value.request_id
    assert (retrieve.method, retrieve.path, retrieve.operation, retrieve.body) == (
        "GET",
        f"/v2/number_orders/{order_id}",
        "RetrieveNumberOrder",
        b"",
    )
    assert retrieve.fault == Fault("status", status=404, operation="RetrieveNumberOrder")
    assert retrieve.headers["authorization"] == f"Bearer {remote.api_key}"
    assert ("page[size]", "5") in listing.query
    assert ("filter[status]", "success") in listing.query
    assert listing.fault is None
    assert create.json()["ordering_groups"][0]["count_requested"] == "1"
    assert remote.requests_to("CreateInexplicitNumberOrder") == [create]
    assert remote.requests.limit == sandbox.requests.limit
    with pytest.raises(ValueError, match=r"^unknown operation 'CreateOrder'; expected one of: "):
        remote.requests_to("CreateOrder")  # type: ignore[arg-type]
    remote.requests.clear()
    assert sandbox.requests == [] == remote.requests


def test_reset_forgets_everything_but_the_knobs(sandbox: Sandbox, remote: RemoteSandbox) -> None:
    remote.lifecycle_step = 0.25
    remote.add_inexplicit_number_order()
    remote.set_inventory("US", "local", 1)
    remote.faults.latency(0.01, times=None)
    api_get(sandbox, "/inexplicit_number_orders")
    remote.reset()
    assert remote.requests == [] == remote.faults.faults
    assert remote.documents("inexplicit_number_orders") == {}
    assert remote.inventory("US", "local") == 1000
    assert remote.lifecycle_step == 0.25
    status, headers, body = api_get(sandbox, "/inexplicit_number_orders")
    assert (status, body["data"], headers["x-ratelimit-remaining"]) == (200, [], "999")


# --- the client itself ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "/", "/v2", "/v2/"])
def test_the_base_url_may_be_the_api_or_the_root(sandbox: Sandbox, suffix: str) -> None:
    root = sandbox.base_url.removesuffix("/v2")
    remote = RemoteSandbox(root + suffix, sandbox.api_key)
    assert remote.base_url == sandbox.base_url
    assert repr(remote) == f"<RemoteSandbox base_url={sandbox.base_url!r}>"
    assert remote.default_inventory == 1000


def test_a_sandbox_that_is_not_there_raises_an_os_error() -> None:
    with Sandbox().serve_in_thread() as stopped:
        gone = stopped.base_url
    with pytest.raises(OSError):  # noqa: PT011 -- urllib's URLError, whatever the platform's reason
        _ = RemoteSandbox(gone, timeout=2).faults.faults


def test_an_error_answer_that_is_not_an_envelope_is_reported_as_text(sandbox: Sandbox) -> None:
    # Pointed at a path under /v2, the control calls reach the API instead, where faults apply.
    misdirected = RemoteSandbox(sandbox.base_url + "/misdirected", sandbox.api_key)
    with pytest.raises(RuntimeError, match="answered GET /faults with 404: The requested resource or URL"):
        _ = misdirected.faults.faults
    sandbox.faults.html(status=502)
    with pytest.raises(
        RuntimeError, match=r"^the sandbox answered GET /faults with 502: <html>Bad Gateway</html>$"
    ):
        _ = misdirected.faults.faults


SERVE_IN_A_CHILD = textwrap.dedent(
    """
    import sys
    from telnyx_orders.testing import Sandbox

    with Sandbox(api_key="child-key", lifecycle_step=0).serve_in_thread() as sandbox:
        print(sandbox.base_url, flush=True)
        sys.stdin.read()
    """
)


def test_a_sandbox_in_another_process_is_driven_remotely() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", SERVE_IN_A_CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdin is not None
        assert child.stdout is not None
        try:
            remote = RemoteSandbox(child.stdout.readline().strip(), "child-key")
            remote.set_inventory("US", "local", 1)
            with Telnyx(remote.api_key, base_url=remote.base_url) as client:
                created = client.inexplicit_number_orders.create(
                    ordering_groups=[
                        {"country_iso": "US", "phone_number_type": "local", "count_requested": 3}
                    ]
                )
                assert created.data is not None
                assert created.data.id is not None
                order = client.inexplicit_number_orders.wait(created.data.id, timeout=5, poll_interval=0.01)
            assert order.ordering_groups is not None
            assert [group.status for group in order.ordering_groups] == ["partial_success"]
            assert remote.inventory("US", "local") == 0
            assert remote.requests[0].operation == "CreateInexplicitNumberOrder"
        finally:
            child.stdin.close()
        assert child.wait(timeout=10) == 0


def test_a_remote_request_log_reports_its_bounds_and_what_it_dropped() -> None:
    with Sandbox(request_log_limit=2).serve_in_thread() as sandbox:
        remote = RemoteSandbox(sandbox.base_url, sandbox.api_key)
        for _ in range(3):
            assert api_get(sandbox, "/number_orders")[0] == 200
        assert (remote.requests.limit, remote.requests.max_bytes, remote.requests.dropped) == (
            sandbox.requests.limit,
            sandbox.requests.max_bytes,
            1,
        )
        assert len(remote.requests) == 2
