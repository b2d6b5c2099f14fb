"""How failures reach the caller: one typed error per kind, with everything Telnyx said.

Most run in memory, a scripted transport answering; the sandbox and real sockets are used where the
network itself is the point (a refused connection, aiohttp's read limit, a redirect, Telnyx's envelope).
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from telnyx_orders import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncTelnyx,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    HTTPRequest,
    HTTPResponse,
    InternalServerError,
    MockTransport,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    TelnyxError,
    Timeout,
    UnprocessableEntityError,
)
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import ErrorDetail, ErrorMeta, ErrorSource

from .conftest import Connect, Script


def answer(code: int, document: object = None, **headers: str) -> HTTPResponse:
    """An answer with `document` as its JSON body; by default, a Telnyx error envelope."""
    if document is None:
        document = {"errors": [{"code": "10007", "title": "Failure", "detail": f"status {code}"}]}
    return HTTPResponse(
        code, "", {"Content-Type": "application/json", **headers}, json.dumps(document).encode()
    )


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, BadRequestError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (418, APIStatusError),
    ],
)
async def test_each_status_maps_to_its_error_type(
    connect: Connect, status: int, error_type: type[APIStatusError]
) -> None:
    with pytest.raises(error_type) as caught:
        await connect(Script(answer(status))).inexplicit_number_orders.retrieve("any", max_retries=0)

    assert type(caught.value) is error_type
    assert caught.value.status_code == status
    assert caught.value.errors
    assert caught.value.errors[0].code
    assert isinstance(caught.value, APIError)
    assert isinstance(caught.value, TelnyxError)


async def test_a_wrong_key_is_an_authentication_error_with_the_telnyx_envelope(sandbox: Sandbox) -> None:
    async with AsyncTelnyx("not-the-key", base_url=sandbox.base_url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.inexplicit_number_orders.retrieve("any")

    error = caught.value
    assert error.status_code == 401
    assert error.errors == (
        ErrorDetail(
            code="10009",
            title="Authentication failed",
            detail="Could not understand the provided credentials.",
            meta=ErrorMeta(url="https://developers.telnyx.com/docs/overview/errors/10009"),
        ),
    )
    assert "Authentication failed (code 10009)" in str(error)
    assert error.request_id is not None, "the sandbox names even a refused request"
    assert sandbox.requests == [], "the sandbox records nothing it has not authenticated"


async def test_a_401_is_not_retried(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    sandbox.faults.status(401, times=None)

    with pytest.raises(AuthenticationError):
        await client.inexplicit_number_orders.retrieve("any")

    assert len(sandbox.requests) == 1


async def test_not_found_carries_request_id_headers_and_body(connect: Connect) -> None:
    not_found = answer(404, {"errors": [{"code": "10005", "title": "Not found"}]}, **{"x-request-id": "r-1"})

    with pytest.raises(NotFoundError) as caught:
        await connect(Script(not_found)).inexplicit_number_orders.retrieve("missing")

    error = caught.value
    assert error.request_id == "r-1"
    assert error.headers["x-request-id"] == "r-1"
    assert isinstance(error.body, dict)
    assert error.body["errors"][0]["code"] == "10005"
    assert error.method == "GET"
    assert error.url.endswith("/v2/inexplicit_number_orders/missing")
    assert "(request id r-1)" in str(error)


async def test_a_404_from_a_base_url_without_v2_says_so(sandbox: Sandbox) -> None:
    root = sandbox.base_url.removesuffix("/v2")
    async with AsyncTelnyx(sandbox.api_key, base_url=root) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.inexplicit_number_orders.retrieve(sandbox.add_inexplicit_number_order()["id"])

    assert str(caught.value).endswith(
        f"; the base URL {root} does not end in /v2, where the Telnyx API is (https://api.telnyx.com/v2): "
        f"did you mean {root}/v2?"
    )


@pytest.mark.parametrize(
    ("base_url", "note"),
    [
        ("https://api.telnyx.com/v1", "the base URL https://api.telnyx.com/v1 does not end in /v2"),
        ("https://proxy.example/telnyx/v2/", None),
        ("https://api.telnyx.com/v2", None),
    ],
)
async def test_only_a_404_from_a_base_url_without_v2_gets_the_note(
    connect: Connect, base_url: str, note: str | None
) -> None:
    client = connect(Script(answer(404, {"errors": []}), answer(400, {"errors": []})), base_url=base_url)

    with pytest.raises(NotFoundError) as not_found:
        await client.number_orders.retrieve("x")
    with pytest.raises(BadRequestError) as bad_request:
        await client.number_orders.retrieve("x")

    assert ("does not end in /v2" in str(not_found.value)) == (note is not None)
    assert note is None or note in str(not_found.value)
    assert "/v2" not in str(bad_request.value).partition(" -> ")[2], "a 400 is not about the path"


async def test_an_integer_error_code_and_a_source_pointer_are_parsed(connect: Connect) -> None:
    envelope = {
        "errors": [
            {
                "code": 10015,
                "title": "Invalid value",
                "source": {"pointer": "/ordering_groups/0/country_iso"},
            },
            {"code": "10016", "detail": "second problem", "source": {"parameter": "page_size"}},
            "not an object",
        ]
    }
    with pytest.raises(UnprocessableEntityError) as caught:
        await connect(Script(answer(422, envelope))).inexplicit_number_orders.retrieve("any")

    first, second = caught.value.errors
    assert first.code == "10015"
    assert first.source == ErrorSource(pointer="/ordering_groups/0/country_iso")
    assert second.code == "10016"
    assert second.source == ErrorSource(parameter="page_size")
    assert "[at /ordering_groups/0/country_iso]" in str(caught.value)
    assert "second problem" in str(caught.value)


async def test_an_html_error_page_still_maps_by_status(connect: Connect) -> None:
    bad_gateway = HTTPResponse(502, "Bad Gateway", {"Content-Type": "text/html"}, b"<html>Bad Gateway</html>")

    with pytest.raises(InternalServerError) as caught:
        await connect(Script(bad_gateway)).inexplicit_number_orders.retrieve("any", max_retries=0)

    assert caught.value.status_code == 502
    assert caught.value.errors == ()
    assert caught.value.body == "<html>Bad Gateway</html>"
    assert "Bad Gateway" in str(caught.value)


async def test_a_2xx_body_that_is_not_json_is_a_validation_error(connect: Connect) -> None:
    script = Script(HTTPResponse(200, body=b"<<not json>>"))

    with pytest.raises(APIResponseValidationError, match="not JSON") as caught:
        await connect(script).inexplicit_number_orders.retrieve("any")

    assert caught.value.status_code == 200
    assert caught.value.body == b"<<not json>>"
    assert isinstance(caught.value.__cause__, json.JSONDecodeError)
    assert len(script.requests) == 1, "a bad body is not retried"


async def test_a_2xx_body_of_the_wrong_shape_names_every_bad_field(connect: Connect) -> None:
    script = Script(
        answer(200, {"data": {"id": 7, "ordering_groups": [{"count_requested": "12"}, {"orders": "abc"}]}})
    )

    with pytest.raises(APIResponseValidationError, match="not the documented shape") as caught:
        await connect(script).inexplicit_number_orders.retrieve("any")

    message = str(caught.value)
    assert "body.data.id" in message
    assert "body.data.ordering_groups[0].count_requested" in message
    assert "body.data.ordering_groups[1].orders" in message
    assert caught.value.body == {
        "data": {"id": 7, "ordering_groups": [{"count_requested": "12"}, {"orders": "abc"}]}
    }


@pytest.mark.parametrize(
    "document", [[1, 2], "text", 3, {"data": [1, 2]}, {"data": {"created_at": "yesterday"}}]
)
async def test_any_undocumented_2xx_document_is_a_validation_error(
    connect: Connect, document: object
) -> None:
    with pytest.raises(APIResponseValidationError):
        await connect(Script(answer(200, document))).inexplicit_number_orders.retrieve("any")


async def test_a_truncated_body_is_a_connection_error_keeping_the_aiohttp_cause(sandbox: Sandbox) -> None:
    sandbox.faults.truncated(times=None)

    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.inexplicit_number_orders.retrieve("any")

    assert not isinstance(caught.value, APITimeoutError)
    assert isinstance(caught.value.__cause__, aiohttp.ClientPayloadError)


async def test_a_dropped_connection_is_a_connection_error(connect: Connect) -> None:
    dropped = aiohttp.ServerDisconnectedError()

    with pytest.raises(APIConnectionError) as caught:
        await connect(Script(dropped)).inexplicit_number_orders.retrieve("any", max_retries=0)

    assert caught.value.__cause__ is dropped
    assert "failed to get a response: Server disconnected" in str(caught.value)
    assert caught.value.may_have_taken_effect is False


async def test_nothing_listening_is_a_connection_error() -> None:
    async with Sandbox() as stopped:
        base_url = stopped.base_url
    async with AsyncTelnyx("key", base_url=base_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.inexplicit_number_orders.retrieve("any")

    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)


async def test_a_slow_answer_past_the_deadline_is_a_timeout() -> None:
    async def slow(request: HTTPRequest) -> HTTPResponse:
        await asyncio.sleep(1.0)
        return HTTPResponse(200, body=b"{}")

    async with AsyncTelnyx("key", transport=MockTransport(slow)) as client:
        with pytest.raises(APITimeoutError, match="deadline") as caught:
            await client.inexplicit_number_orders.retrieve("any", timeout=0.2)

    assert isinstance(caught.value, APIConnectionError)
    assert isinstance(caught.value.__cause__, asyncio.TimeoutError)


async def test_a_slow_read_past_the_attempt_limit_is_a_timeout(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    sandbox.faults.latency(1.0, times=None)

    with pytest.raises(APITimeoutError, match="attempt timed out"):
        await client.inexplicit_number_orders.retrieve(
            "any", timeout=Timeout(total=30, read=0.1), max_retries=0
        )


async def test_a_redirect_is_not_followed_so_the_key_stays_home(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    async with Sandbox() as elsewhere:
        sandbox.faults.status(302, headers={"Location": f"{elsewhere.base_url}/inexplicit_number_orders/x"})

        with pytest.raises(APIStatusError) as caught:
            await client.inexplicit_number_orders.retrieve("x")

        assert elsewhere.requests == []
    assert caught.value.status_code == 302
    assert type(caught.value) is APIStatusError


def test_an_api_error_says_what_it_is_told_and_no_more() -> None:
    # What may exist after a failed request is for the operation to say (a create: the order).
    error = APIError("POST /v2/things -> 503", method="POST", url="u", may_have_taken_effect=True)

    assert str(error) == "POST /v2/things -> 503"
    assert error.may_have_taken_effect is True
