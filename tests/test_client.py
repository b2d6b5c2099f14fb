"""Configuring AsyncTelnyx: arguments, environment, copies and the connection pool's life."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from telnyx_orders import (
    AsyncTelnyx,
    AuthenticationError,
    HTTPRequest,
    HTTPResponse,
    MockTransport,
    NotFoundError,
    RetryPolicy,
    Telnyx,
    TelnyxError,
    Timeout,
)
from telnyx_orders.testing import Sandbox

SECRET = "KEY-super-secret-0123456789"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELNYX_API_KEY", raising=False)
    monkeypatch.delenv("TELNYX_BASE_URL", raising=False)


def test_defaults_follow_the_design() -> None:
    client = AsyncTelnyx("key")

    assert client.base_url == "https://api.telnyx.com/v2"
    assert client.timeout == Timeout(total=60.0, connect=5.0, read=None)
    assert client.max_retries == 2
    assert not client.is_closed


def test_the_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELNYX_API_KEY", "from-env")
    monkeypatch.setenv("TELNYX_BASE_URL", "http://127.0.0.1:9/v2/")

    client = AsyncTelnyx()

    assert client.base_url == "http://127.0.0.1:9/v2"
    assert client._http._headers["Authorization"] == "Bearer from-env"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELNYX_API_KEY", "from-env")
    monkeypatch.setenv("TELNYX_BASE_URL", "http://127.0.0.1:9/v2")

    client = AsyncTelnyx("from-argument", base_url="https://example.test/v2")

    assert client.base_url == "https://example.test/v2"
    assert client._http._headers["Authorization"] == "Bearer from-argument"


@pytest.mark.parametrize("api_key", [None, ""])
def test_no_key_at_all_names_both_ways_to_give_one(api_key: str | None) -> None:
    with pytest.raises(TelnyxError, match=r"api_key=.*TELNYX_API_KEY"):
        AsyncTelnyx(api_key)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"api_key": "a\nb"}, ValueError, "control characters"),
        ({"base_url": "ftp://example.test"}, ValueError, "http"),
        ({"base_url": "api.telnyx.com/v2"}, ValueError, "absolute"),
        ({"base_url": "https://example.test/v2?x=1"}, ValueError, "query"),
        ({"timeout": 0}, ValueError, "positive"),
        ({"timeout": -1.0}, ValueError, "positive"),
        ({"timeout": float("nan")}, ValueError, "positive"),
        ({"timeout": "30"}, TypeError, "timeout"),
        ({"timeout": True}, TypeError, "timeout"),
        ({"max_retries": -1}, ValueError, "max_retries"),
        ({"max_retries": 1.5}, TypeError, "max_retries"),
        ({"default_headers": {"X-A": "1\r\n"}}, ValueError, "control characters"),
        ({"default_headers": [("X-A", "1")]}, TypeError, "mapping"),
        ({"max_connections": 0}, ValueError, "max_connections"),
        ({"max_connections_per_host": -1}, ValueError, "max_connections_per_host"),
    ],
)
def test_bad_settings_are_refused_at_construction(
    arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    settings: dict[str, object] = {"api_key": "key", **arguments}
    with pytest.raises(error, match=message):
        AsyncTelnyx(**settings)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (30, Timeout(total=30.0, connect=5.0)),
        (2.5, Timeout(total=2.5, connect=2.5)),
        (Timeout(total=None, connect=1, read=3), Timeout(total=None, connect=1, read=3)),
    ],
)
def test_a_float_timeout_is_the_whole_calls_deadline(timeout: float | Timeout, expected: Timeout) -> None:
    assert AsyncTelnyx("key", timeout=timeout).timeout == expected


def test_a_timeout_object_checks_its_limits() -> None:
    with pytest.raises(ValueError, match=r"Timeout\.read"):
        Timeout(read=0)
    with pytest.raises(TypeError, match=r"Timeout\.connect"):
        Timeout(connect="5")  # type: ignore[arg-type]


def test_repr_never_shows_the_key() -> None:
    client = AsyncTelnyx(SECRET, base_url="https://example.test/v2")

    assert repr(client) == "<AsyncTelnyx base_url='https://example.test/v2'>"
    assert SECRET not in repr(client._http)
    assert SECRET not in repr(client.with_options(timeout=3))
    assert SECRET not in str(vars(client.inexplicit_number_orders))


async def test_the_key_appears_in_no_error_and_no_log(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    async with AsyncTelnyx(SECRET, base_url=sandbox.base_url) as client:
        with caplog.at_level("DEBUG"), pytest.raises(AuthenticationError) as caught:
            await client.inexplicit_number_orders.retrieve("any")

    error = caught.value
    rendered = [
        str(error),
        repr(error),
        str(error.body),
        str(dict(error.headers)),
        error.url,
        str(error.errors),
    ]
    assert all(SECRET not in text for text in rendered)
    assert SECRET not in caplog.text


async def test_default_headers_are_sent_but_cannot_replace_the_auth_header(sandbox: Sandbox) -> None:
    headers = {"X-Team": "ordering", "Authorization": "Bearer forged"}
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, default_headers=headers) as client:
        with pytest.raises(NotFoundError):
            await client.inexplicit_number_orders.retrieve("any")

    (request,) = sandbox.requests
    assert request.headers["x-team"] == "ordering"
    assert request.headers["authorization"] == f"Bearer {sandbox.api_key}"


async def test_with_options_makes_a_configured_copy_sharing_the_pool(sandbox: Sandbox) -> None:
    order = sandbox.add_inexplicit_number_order()
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        copy = client.with_options(timeout=7, max_retries=0, default_headers={"X-Copy": "yes"})
        await client.inexplicit_number_orders.retrieve(order["id"])
        await copy.inexplicit_number_orders.retrieve(order["id"])

        assert copy.timeout == Timeout(total=7.0, connect=5.0)
        assert copy.max_retries == 0
        assert client.max_retries == 2
        assert copy._http.pool is client._http.pool
        await copy.aclose()
        assert not client.is_closed, "closing a copy leaves the shared pool open"
        await client.inexplicit_number_orders.retrieve(order["id"])

    first, second, third = sandbox.requests
    assert "x-copy" not in first.headers
    assert second.headers["x-copy"] == "yes"
    assert "x-copy" not in third.headers
    assert copy.is_closed, "closing the client closes the pool its copies share"


async def test_with_options_can_switch_key_and_base_url(sandbox: Sandbox) -> None:
    async with AsyncTelnyx("wrong-key", base_url="https://example.test/v2") as client:
        fixed = client.with_options(api_key=sandbox.api_key, base_url=sandbox.base_url)
        with pytest.raises(NotFoundError):
            await fixed.inexplicit_number_orders.retrieve("any")

    assert sandbox.requests[0].headers["authorization"] == f"Bearer {sandbox.api_key}"


async def test_with_options_checks_its_arguments() -> None:
    client = AsyncTelnyx("key")
    with pytest.raises(ValueError, match="max_retries"):
        client.with_options(max_retries=-2)
    with pytest.raises(ValueError, match="base_url"):
        client.with_options(base_url="nope")


async def test_a_closed_client_says_so(sandbox: Sandbox) -> None:
    client = AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url)
    await client.aclose()
    await client.aclose()

    with pytest.raises(RuntimeError, match="closed"):
        await client.inexplicit_number_orders.retrieve("any")
    assert client.is_closed


def test_the_session_is_created_lazily_and_bound_to_one_loop() -> None:
    with Sandbox().serve_in_thread() as sandbox:
        client = AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url)
        assert client._http.pool._session is None, "constructing a client opens nothing"

        async def retrieve() -> None:
            with pytest.raises(NotFoundError):
                await client.inexplicit_number_orders.retrieve("any")

        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(retrieve())
            with pytest.raises(RuntimeError, match="another event loop"):
                asyncio.run(retrieve())
        finally:
            loop.run_until_complete(client.aclose())
            loop.close()


@pytest.fixture
def no_new_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    assert set(threading.enumerate()) <= before


async def test_many_concurrent_calls_share_one_client(sandbox: Sandbox, no_new_threads: None) -> None:
    orders = [sandbox.add_inexplicit_number_order() for _ in range(20)]
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_connections=4) as client:
        responses = await asyncio.gather(
            *(client.inexplicit_number_orders.retrieve(order["id"]) for order in orders * 5)
        )

    assert [response.data.id for response in responses if response.data] == [
        order["id"] for order in orders * 5
    ]


def test_the_blocking_client_takes_a_transport_and_a_retry_policy_too() -> None:
    answers = iter([HTTPResponse(503), HTTPResponse(200, body=b'{"data": {"id": "order-1"}}')])
    sent: list[HTTPRequest] = []

    def answer(request: HTTPRequest) -> HTTPResponse:
        sent.append(request)
        return next(answers)

    policy = RetryPolicy(initial_delay=0.001, jitter=None)
    with Telnyx("key", transport=MockTransport(answer), retry_policy=policy) as client:
        order = client.inexplicit_number_orders.retrieve("order-1").data

    assert order is not None
    assert order.id == "order-1"
    assert [request.where for request in sent] == ["GET /v2/inexplicit_number_orders/order-1"] * 2


async def test_closing_the_client_closes_the_transport_it_was_given() -> None:
    closed: list[bool] = []

    class Transport(MockTransport):
        async def aclose(self) -> None:
            closed.append(True)

    client = AsyncTelnyx("key", transport=Transport(lambda request: HTTPResponse(200, body=b"{}")))
    await client.with_options(timeout=1).aclose()
    assert closed == [], "a with_options copy leaves the transport to the client it came from"

    await client.aclose()

    assert closed == [True]
    assert client.is_closed
    with pytest.raises(RuntimeError, match="closed"):
        await client.inexplicit_number_orders.retrieve("x")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"transport": object()}, "transport must have send"),
        ({"retry_policy": {"max_delay": 1}}, "retry_policy must be a RetryPolicy"),
    ],
)
def test_a_seam_given_the_wrong_thing_is_refused(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        AsyncTelnyx("key", **arguments)  # type: ignore[arg-type]
