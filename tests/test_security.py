"""Security: the API key stays secret and goes only to the base URL, over TLS that is verified; hostile
input is refused before it reaches the wire, and a hostile answer cannot exhaust memory."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import logging
import ssl
import types
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

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
    RetryPolicy,
    Telnyx,
    UnprocessableEntityError,
)
from telnyx_orders._http import CallOptions, HTTPPipeline
from telnyx_orders.testing import Sandbox

from .conftest import SleepRecorder

SECRET = "KEY-secret-4c0ffee0-0123456789abcdef"

ONE_ORDER = b'{"data": {"id": "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"}}'


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELNYX_API_KEY", raising=False)
    monkeypatch.delenv("TELNYX_BASE_URL", raising=False)


@pytest.fixture
async def secret_sandbox() -> AsyncIterator[Sandbox]:
    """A sandbox whose API key is SECRET, so that any leak of the key is a leak of SECRET."""
    async with Sandbox(api_key=SECRET) as running:
        yield running


@pytest.fixture
async def secret_client(secret_sandbox: Sandbox, sleeps: SleepRecorder) -> AsyncIterator[AsyncTelnyx]:
    retries = RetryPolicy(jitter=None, sleep=sleeps)
    async with AsyncTelnyx(SECRET, base_url=secret_sandbox.base_url, retry_policy=retries) as client:
        yield client


@contextlib.asynccontextmanager
async def serving(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]], *, tls: ssl.SSLContext | None = None
) -> AsyncIterator[str]:
    """A plain aiohttp server on a free loopback port answering every path with `handler`; yields its URL."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls)
        await site.start()
        port = runner.addresses[0][1]
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}/v2"
    finally:
        await runner.cleanup()


def reachable(root: object, *, depth: int = 8) -> Iterator[object]:
    """Every object reachable from `root` through attributes, items, `args` and exception chains.

    Tracebacks, frames, modules, classes and functions are not followed: what an error carries is
    what an error reporter serialises, and that must not hold the key.
    """
    skip = (
        types.TracebackType,
        types.FrameType,
        types.ModuleType,
        type,
        types.FunctionType,
        types.MethodType,
    )
    seen: set[int] = set()
    stack: list[tuple[object, int]] = [(root, 0)]
    while stack:
        item, level = stack.pop()
        if id(item) in seen or isinstance(item, skip) or level > depth:
            continue
        seen.add(id(item))
        yield item
        children: list[object] = []
        if isinstance(item, BaseException):
            children += [item.__cause__, item.__context__, *item.args]
        if isinstance(item, Mapping):
            children += [*item.keys(), *item.values()]  # pyright: ignore[reportUnknownMemberType]
        elif isinstance(item, (list, tuple, set, frozenset)):
            children += list(item)  # pyright: ignore[reportUnknownArgumentType]
        children += list(getattr(item, "__dict__", {}).values())
        for cls in type(item).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if isinstance(slot, str) and not slot.startswith("__"):
                    children.append(getattr(item, slot, None))
        stack += [(child, level + 1) for child in children]


async def call(client: AsyncTelnyx, method: str) -> object:
    """A retrieve (GET) or a create (POST) of a number order, tried once."""
    if method == "GET":
        return await client.number_orders.retrieve("x", max_retries=0)
    return await client.number_orders.create(phone_numbers=["+13125550100"], max_retries=0)


def assert_no_secret_in(error: BaseException) -> None:
    for item in reachable(error):
        assert SECRET not in repr(item), f"the key is in {type(item).__name__}: {item!r}"
        assert SECRET not in str(item), f"the key is in {type(item).__name__}: {item}"


# The key never shows


def test_no_client_repr_or_str_shows_the_key() -> None:
    async_client = AsyncTelnyx(SECRET, base_url="https://example.test/v2")
    with Telnyx(SECRET, base_url="https://example.test/v2") as blocking:
        shown = [
            repr(async_client),
            str(async_client),
            repr(async_client.with_options(timeout=3)),
            repr(async_client._http),
            str(vars(async_client.number_orders)),
            repr(blocking),
            str(blocking),
            repr(blocking.with_options(max_retries=1)),
            str(vars(blocking.inexplicit_number_orders)),
        ]

    assert all(SECRET not in text for text in shown)
    assert async_client._http._headers["Authorization"] == f"Bearer {SECRET}", "the key is there, unshown"


async def test_a_request_on_its_way_never_shows_the_key() -> None:
    seen: list[HTTPRequest] = []

    def answer(request: HTTPRequest) -> HTTPResponse:
        seen.append(request)
        return HTTPResponse(200, body=b'{"data": {"id": "x"}}')

    async with AsyncTelnyx(SECRET, transport=MockTransport(answer)) as client:
        await client.inexplicit_number_orders.retrieve("x", extra_headers={"X-Trace": "t"})

    (request,) = seen
    assert request.headers["Authorization"] == f"Bearer {SECRET}", "the key is on its way, unshown"
    assert "X-Trace" not in repr(request), "a request's repr leaves out its headers, the key among them"
    assert SECRET not in repr(request)
    assert SECRET not in str(request)
    assert SECRET not in repr(CallOptions(timeout=1, extra_headers={"X-Trace": "t"}))


STATUS_ERRORS: list[tuple[int, type[APIStatusError]]] = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (418, APIStatusError),
]


@pytest.mark.parametrize(("status", "error_type"), STATUS_ERRORS)
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_status_error_carries_response_headers_only_and_never_the_key(
    secret_sandbox: Sandbox,
    secret_client: AsyncTelnyx,
    status: int,
    error_type: type[APIStatusError],
    method: str,
) -> None:
    secret_sandbox.faults.status(status, times=None)

    with pytest.raises(error_type) as caught:
        await call(secret_client, method)

    error = caught.value
    (request,) = secret_sandbox.requests
    assert request.headers["authorization"] == f"Bearer {SECRET}", "the key did go to the base URL"
    assert error.headers["x-request-id"] == request.request_id
    assert {name.lower() for name in error.headers}.isdisjoint({"authorization", "user-agent", "accept"})
    assert_no_secret_in(error)


async def raise_from_sandbox(sandbox: Sandbox, client: AsyncTelnyx, fault: str) -> APIError:
    """The error a retrieve raises after the sandbox's `fault` (a name of a FaultPlan method)."""
    faults = sandbox.faults
    timeout = 5.0
    if fault == "latency":
        faults.latency(1.0, times=None)
        timeout = 0.1
    elif fault == "wrong_shape":
        faults.wrong_shape({"data": {"id": 7}}, times=None)
    elif fault == "redirect":
        faults.status(302, headers={"Location": f"https://elsewhere.test/?key={SECRET[:4]}"}, times=None)
    else:
        getattr(faults, fault)(times=None)
    with pytest.raises(APIError) as caught:
        await client.inexplicit_number_orders.retrieve("any", max_retries=0, timeout=timeout)
    return caught.value


@pytest.mark.parametrize(
    ("fault", "error_type"),
    [
        ("drop_before", APIConnectionError),
        ("drop_after", APIConnectionError),
        ("truncated", APIConnectionError),
        ("latency", APITimeoutError),
        ("malformed", APIResponseValidationError),
        ("wrong_shape", APIResponseValidationError),
        ("html", InternalServerError),
        ("redirect", APIStatusError),
    ],
)
async def test_no_error_of_any_kind_carries_the_key(
    secret_sandbox: Sandbox, secret_client: AsyncTelnyx, fault: str, error_type: type[APIError]
) -> None:
    error = await raise_from_sandbox(secret_sandbox, secret_client, fault)

    assert type(error) is error_type
    assert_no_secret_in(error)


async def test_an_unparsable_answer_keeps_aiohttps_cause_with_the_key_blanked() -> None:
    # aiohttp attaches the request's headers, Authorization included, to the error a bad answer raises.
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: not-a-number\r\n\r\n{}")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(garbage, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with AsyncTelnyx(SECRET, base_url=f"http://127.0.0.1:{port}/v2", max_retries=0) as client:
            with pytest.raises(APIConnectionError) as caught:
                await client.inexplicit_number_orders.retrieve("any")
    finally:
        server.close()
        await server.wait_closed()

    cause = caught.value.__cause__
    assert isinstance(cause, aiohttp.ClientResponseError)
    assert cause.request_info.headers["Authorization"] == "<redacted>"
    assert cause.request_info.headers["Accept"] == "application/json", "the rest is kept for debugging"
    assert_no_secret_in(caught.value)


async def test_debug_logs_of_failing_and_succeeding_calls_never_show_the_key(
    secret_sandbox: Sandbox, secret_client: AsyncTelnyx, caplog: pytest.LogCaptureFixture
) -> None:
    order = secret_sandbox.add_inexplicit_number_order()
    secret_sandbox.faults.status(503, times=2)
    groups = [{"country_iso": "US", "phone_number_type": "local", "count_requested": 1}]

    with caplog.at_level(logging.DEBUG):  # the root logger: telnyx_orders, aiohttp.* and asyncio alike
        await secret_client.inexplicit_number_orders.retrieve(order["id"])
        await secret_client.inexplicit_number_orders.create(ordering_groups=groups)  # type: ignore[list-item]
        with pytest.raises(NotFoundError):
            await secret_client.number_orders.retrieve("missing")
        secret_sandbox.faults.drop_after(method="POST")
        with pytest.raises(APIConnectionError):
            await secret_client.inexplicit_number_orders.create(ordering_groups=groups)  # type: ignore[list-item]

    assert {record.name for record in caplog.records} >= {"telnyx_orders"}
    assert len([record for record in caplog.records if record.name == "telnyx_orders"]) == 6
    assert SECRET not in caplog.text
    assert all(SECRET not in repr(record.__dict__) for record in caplog.records)


# The key goes only to the base URL


class Elsewhere:
    """Another origin that records the Authorization headers it receives."""

    def __init__(self) -> None:
        self.authorizations: list[str | None] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.authorizations.append(request.headers.get("Authorization"))
        return web.Response(body=ONE_ORDER, content_type="application/json")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_redirect_to_another_origin_is_not_followed_so_the_key_stays_home(
    status: int, method: str
) -> None:
    elsewhere = Elsewhere()
    asked: list[str] = []

    async with serving(elsewhere.handle) as elsewhere_url:

        async def redirect(request: web.Request) -> web.StreamResponse:
            asked.append(request.method)
            return web.Response(status=status, headers={"Location": f"{elsewhere_url}/number_orders/x"})

        async with serving(redirect) as base_url, AsyncTelnyx(SECRET, base_url=base_url) as client:
            with pytest.raises(APIStatusError) as caught:
                await call(client, method)

    assert elsewhere.authorizations == [], "the other origin saw no request at all"
    assert asked == [method], "a redirect is an answer, not a transient failure: not retried"
    assert type(caught.value) is APIStatusError
    assert caught.value.status_code == status
    assert f"the redirect to {elsewhere_url}/number_orders/x was not followed" in str(caught.value)
    assert caught.value.may_have_taken_effect is False


# Plain http only to this machine


@pytest.mark.parametrize(
    "base_url",
    [
        "http://api.telnyx.com/v2",
        "http://10.1.2.3:8080/v2",
        "http://[2001:db8::1]/v2",
        "http://[::ffff:10.0.0.1]/v2",
        "http://127.0.0.1.nip.io/v2",
        "http://localhost.example.test/v2",
        "http://2130706433/v2",
    ],
)
def test_plain_http_to_another_machine_is_refused_unless_allowed(
    base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match="clear text"):
        AsyncTelnyx("key", base_url=base_url)
    with pytest.raises(ValueError, match="allow_insecure_http=True"):
        Telnyx("key", base_url=base_url)
    monkeypatch.setenv("TELNYX_BASE_URL", base_url)
    with pytest.raises(ValueError, match="clear text"):
        AsyncTelnyx("key")

    assert AsyncTelnyx("key", allow_insecure_http=True).base_url == base_url
    with Telnyx("key", base_url=base_url, allow_insecure_http=True) as blocking:
        assert blocking.base_url == base_url


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:9/v2",
        "http://127.10.20.30/v2",
        "http://[::1]:9/v2",
        "http://[::ffff:127.0.0.1]:9/v2",
        "http://localhost:9/v2",
        "http://LocalHost/v2",
    ],
)
def test_plain_http_to_this_machine_is_allowed_for_the_sandbox(base_url: str) -> None:
    assert AsyncTelnyx("key", base_url=base_url).base_url == base_url


def test_with_options_checks_plain_http_the_same_way() -> None:
    secure = AsyncTelnyx("key")
    with pytest.raises(ValueError, match="clear text"):
        secure.with_options(base_url="http://proxy.internal/v2")
    insecure = secure.with_options(base_url="http://proxy.internal/v2", allow_insecure_http=True)

    assert insecure.base_url == "http://proxy.internal/v2"
    assert insecure.with_options(timeout=2).base_url == "http://proxy.internal/v2", "a copy keeps the choice"
    with pytest.raises(ValueError, match="clear text"):
        insecure.with_options(allow_insecure_http=False)
    with pytest.raises(TypeError, match="allow_insecure_http"):
        AsyncTelnyx("key", allow_insecure_http="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="absolute"):
        secure.with_options(base_url="")


def test_credentials_in_the_base_url_are_refused() -> None:
    with pytest.raises(ValueError, match="credentials"):
        AsyncTelnyx("key", base_url="https://user:password@api.telnyx.com/v2")


# TLS is verified


@contextlib.asynccontextmanager
async def https_server(certificate: tuple[Path, Path], answered: list[str]) -> AsyncIterator[str]:
    cert, key = certificate
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)

    async def order(request: web.Request) -> web.StreamResponse:
        answered.append(request.path)
        return web.Response(body=ONE_ORDER, content_type="application/json")

    async with serving(order, tls=tls) as base_url:
        yield base_url


async def test_tls_is_verified_by_default_and_a_bad_certificate_is_not_retried(
    certificate: tuple[Path, Path], sleeps: SleepRecorder
) -> None:
    answered: list[str] = []
    async with (
        https_server(certificate, answered) as base_url,
        AsyncTelnyx(SECRET, base_url=base_url, retry_policy=RetryPolicy(jitter=None, sleep=sleeps)) as client,
    ):
        with pytest.raises(APIConnectionError) as caught:
            await client.inexplicit_number_orders.retrieve("x")

    assert isinstance(caught.value.__cause__, aiohttp.ClientSSLError)
    assert "certificate" in str(caught.value).lower()
    assert sleeps.delays == [], "a certificate does not get better by asking again"
    assert answered == []
    assert_no_secret_in(caught.value)


async def test_an_ssl_context_that_trusts_the_certificate_is_used(certificate: tuple[Path, Path]) -> None:
    answered: list[str] = []
    trusting = ssl.create_default_context(cafile=str(certificate[0]))
    async with (
        https_server(certificate, answered) as base_url,
        AsyncTelnyx(SECRET, base_url=base_url, ssl_context=trusting) as client,
    ):
        response = await client.inexplicit_number_orders.retrieve("x")

    assert response.data is not None
    assert response.data.id == "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"
    assert answered == ["/v2/inexplicit_number_orders/x"]


def test_the_blocking_client_takes_an_ssl_context_too(certificate: tuple[Path, Path]) -> None:
    answered: list[str] = []
    trusting = ssl.create_default_context(cafile=str(certificate[0]))

    async def serve_and_call() -> None:
        async with https_server(certificate, answered) as base_url:
            with Telnyx(SECRET, base_url=base_url, ssl_context=trusting) as client:
                # The blocking client runs on its own loop thread; this loop only serves.
                data = (await asyncio.to_thread(client.inexplicit_number_orders.retrieve, "x")).data
            assert data is not None

    asyncio.run(serve_and_call())

    assert answered == ["/v2/inexplicit_number_orders/x"]


def test_an_ssl_context_must_be_one() -> None:
    with pytest.raises(TypeError, match="ssl_context"):
        AsyncTelnyx("key", ssl_context=False)  # type: ignore[arg-type]


# Line breaks and other hostile text are refused before anything is sent


HOSTILE_HEADERS: list[dict[str, str]] = [
    {"X-Evil": "a\r\nInjected: 1"},
    {"X-Evil": "a\nb"},
    {"X-Evil": "next\x85line"},  # NEL, a line break to some parsers
    {"X-Evil": "nul\x00byte"},
    {"X-Evil": "lone \ud800 surrogate"},
    {"X-Evil\r\nInjected": "1"},
    {"X-Evil: 1\r\nInjected": "1"},
    {"X-Evil: 1": "1"},
    {"X Evil": "1"},
    {"": "empty name"},
    {"Ünïcode": "1"},
]


@pytest.mark.parametrize("headers", HOSTILE_HEADERS)
async def test_hostile_headers_are_refused_at_construction_and_per_call(
    sandbox: Sandbox, client: AsyncTelnyx, headers: dict[str, str]
) -> None:
    with pytest.raises(ValueError, match="header"):
        AsyncTelnyx("key", default_headers=headers)
    with pytest.raises(ValueError, match="header"):
        client.with_options(default_headers=headers)
    with pytest.raises(ValueError, match="header"):
        await client.inexplicit_number_orders.retrieve("x", extra_headers=headers)
    with pytest.raises(ValueError, match="header"):
        client.number_orders.list(extra_headers=headers)

    assert sandbox.requests == []


@pytest.mark.parametrize(
    "name",
    ["Content-Length", "transfer-encoding", "Host", "Connection", "Upgrade", "TE", "Trailer", "Keep-Alive"],
)
async def test_headers_that_frame_or_route_the_request_cannot_be_given(
    sandbox: Sandbox, client: AsyncTelnyx, name: str
) -> None:
    # A Content-Length of 0 on a create would make the server read its JSON body as the next request.
    with pytest.raises(ValueError, match="set by the HTTP layer"):
        AsyncTelnyx("key", default_headers={name: "0"})
    with pytest.raises(ValueError, match="set by the HTTP layer"):
        await client.inexplicit_number_orders.create(
            ordering_groups=[{"country_iso": "US", "phone_number_type": "local", "count_requested": 1}],
            extra_headers={name: "0"},
        )

    assert sandbox.requests == []


@pytest.mark.parametrize("api_key", ["key\r\nX-Injected: 1", "key\n", "key\x85", "key\x7f", "key\udc80"])
def test_a_hostile_api_key_is_refused_at_construction(api_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="api_key"):
        AsyncTelnyx(api_key)
    with pytest.raises(ValueError, match="api_key"):
        AsyncTelnyx("key").with_options(api_key=api_key)
    monkeypatch.setenv("TELNYX_API_KEY", api_key)
    with pytest.raises(ValueError, match="api_key"):
        AsyncTelnyx()


async def test_no_header_spelling_replaces_or_doubles_the_key() -> None:
    received: list[list[str]] = []

    async def record(request: web.Request) -> web.StreamResponse:
        received.append(request.headers.getall("Authorization"))
        return web.Response(body=ONE_ORDER, content_type="application/json")

    forged = {"authorization": "Bearer forged", "AUTHORIZATION": "Bearer forged", "x-team": "a"}
    async with (
        serving(record) as base_url,
        AsyncTelnyx(SECRET, base_url=base_url, default_headers=forged) as client,
    ):
        await client.inexplicit_number_orders.retrieve("x")
        await client.inexplicit_number_orders.retrieve("x", extra_headers={"Authorization": "Bearer other"})
        await client.inexplicit_number_orders.retrieve("x", extra_headers={"X-TEAM": "b"})

    assert received == [[f"Bearer {SECRET}"]] * 3


# A huge answer cannot exhaust memory


@pytest.mark.parametrize(
    ("value", "error"),
    [(0, ValueError), (-1, ValueError), (True, TypeError), (1.5, TypeError), ("16", TypeError)],
)
def test_max_response_bytes_is_a_positive_int(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="max_response_bytes"):
        AsyncTelnyx("key", max_response_bytes=value)  # type: ignore[arg-type]


def test_max_response_bytes_defaults_to_16_mib() -> None:
    assert AsyncTelnyx("key")._http.max_response_bytes == 16 * 1024 * 1024
    assert Telnyx("key", max_response_bytes=10)._async._http.max_response_bytes == 10


async def test_a_2xx_body_declared_over_the_cap_is_not_read(sandbox: Sandbox) -> None:
    sandbox.faults.wrong_shape({"data": {"id": "x" * 10_000}}, times=None)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_response_bytes=4096) as client:
        with pytest.raises(
            APIResponseValidationError, match=r"over max_response_bytes \(4096 bytes\)"
        ) as caught:
            await client.inexplicit_number_orders.retrieve("x")

    assert "AsyncTelnyx(max_response_bytes=...)" in str(caught.value)
    assert caught.value.status_code == 200
    assert caught.value.body == b"", "Content-Length alone told: nothing was read"
    assert len(sandbox.requests) == 1, "a body that is too large is not retried"


async def test_an_error_body_over_the_cap_keeps_the_status_error(sandbox: Sandbox) -> None:
    sandbox.faults.wrong_shape({"errors": [{"code": "1", "detail": "x" * 10_000}]}, status=503, times=None)
    async with AsyncTelnyx(
        sandbox.api_key, base_url=sandbox.base_url, max_response_bytes=4096, max_retries=0
    ) as client:
        with pytest.raises(InternalServerError, match=r"over max_response_bytes \(4096 bytes\)") as caught:
            await client.inexplicit_number_orders.retrieve("x")

    assert caught.value.status_code == 503
    assert caught.value.errors == ()


def chunked(
    chunk: bytes, *, status: int = 200, limit: int = 256 * 1024 * 1024
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """A handler streaming `chunk` over and over without a Content-Length, until the client hangs up."""

    async def stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=status, headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        sent = 0
        with contextlib.suppress(ConnectionError):
            while sent < limit:
                await response.write(chunk)
                sent += len(chunk)
        return response

    return stream


async def test_an_endless_chunked_2xx_body_is_cut_at_the_cap() -> None:
    cap = 64 * 1024
    async with (
        serving(chunked(b"[" * 16384)) as base_url,
        AsyncTelnyx("key", base_url=base_url, max_response_bytes=cap) as client,
    ):
        with pytest.raises(APIResponseValidationError, match="over max_response_bytes") as caught:
            await client.inexplicit_number_orders.retrieve("x")
        connector = client._http.pool.session().connector
        assert connector is not None
        assert connector._acquired == set(), "the connection was closed, not left half read"  # type: ignore[attr-defined]

    assert caught.value.body == b"[" * cap


async def test_an_endless_chunked_error_body_is_cut_at_the_cap() -> None:
    cap = 64 * 1024
    async with (
        serving(chunked(b"<html>" * 4096, status=502)) as base_url,
        AsyncTelnyx("key", base_url=base_url, max_response_bytes=cap, max_retries=0) as client,
    ):
        with pytest.raises(InternalServerError, match="over max_response_bytes") as caught:
            await client.inexplicit_number_orders.retrieve("x")

    assert isinstance(caught.value.body, str)
    assert len(caught.value.body) == cap


async def test_a_compressed_body_is_capped_at_its_inflated_size() -> None:
    # A few kilobytes of gzip can inflate to gigabytes: the cap counts what is read after inflating.
    bomb = gzip.compress(b'{"data": {"id": "' + b" " * (8 * 1024 * 1024) + b'"}}')

    async def compressed(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}
        )

    async with (
        serving(compressed) as base_url,
        AsyncTelnyx("key", base_url=base_url, max_response_bytes=64 * 1024) as client,
    ):
        with pytest.raises(APIResponseValidationError, match="over max_response_bytes") as caught:
            await client.inexplicit_number_orders.retrieve("x")

    assert len(bomb) < 64 * 1024, "the declared length alone was under the cap"
    assert isinstance(caught.value.body, bytes)
    assert len(caught.value.body) == 64 * 1024


async def test_a_compressed_body_under_the_cap_is_read() -> None:
    async def compressed(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=gzip.compress(ONE_ORDER),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )

    async with serving(compressed) as base_url, AsyncTelnyx("key", base_url=base_url) as client:
        response = await client.inexplicit_number_orders.retrieve("x")

    assert response.data is not None
    assert response.data.id == "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_body_of_exactly_the_cap_is_read_and_one_byte_more_is_not(declared: bool) -> None:
    cap = len(ONE_ORDER) + 10
    body = ONE_ORDER + b" " * 10

    async def exact(request: web.Request) -> web.StreamResponse:
        answer = body + (b" " if request.path.endswith("/over") else b"")
        if declared:
            return web.Response(body=answer, content_type="application/json")
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(answer), 7):
            await response.write(answer[start : start + 7])
        await response.write_eof()
        return response

    async with (
        serving(exact) as base_url,
        AsyncTelnyx("key", base_url=base_url, max_response_bytes=cap) as client,
    ):
        response = await client.inexplicit_number_orders.retrieve("exact")
        with pytest.raises(APIResponseValidationError, match="over max_response_bytes"):
            await client.inexplicit_number_orders.retrieve("over")

    assert response.data is not None
    assert response.data.id == "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"


async def test_the_cap_is_shared_by_with_options_copies(sandbox: Sandbox) -> None:
    order = sandbox.add_inexplicit_number_order()
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_response_bytes=100) as client:
        copy = client.with_options(timeout=5)
        with pytest.raises(APIResponseValidationError, match=r"max_response_bytes \(100 bytes\)"):
            await copy.inexplicit_number_orders.retrieve(order["id"])


def test_the_pipeline_is_configured_once_at_construction() -> None:
    pipeline = AsyncTelnyx("key", max_response_bytes=123, default_headers={"X-A": "1"})._http

    assert isinstance(pipeline, HTTPPipeline)
    assert pipeline.copy(max_retries=1).max_response_bytes == 123
    assert pipeline._headers == {
        "Accept": "application/json",
        "User-Agent": pipeline._headers["User-Agent"],
        "X-A": "1",
        "Authorization": "Bearer key",
    }
