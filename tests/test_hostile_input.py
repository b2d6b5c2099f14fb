"""A hostile server and hostile arguments: each case pins the behaviour the client has today, so that
it stays. Answers that inflate, drip, flood or lie get a bounded, documented error; nothing is followed
elsewhere; an id or a parameter cannot leave its place in the URL."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import quote

import pytest
from aiohttp import web

from telnyx_orders import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncTelnyx,
    InternalServerError,
    NotFoundError,
    Timeout,
)
from telnyx_orders.testing import Sandbox

from .test_security import call, serving

CAP = 64 * 1024
BOMB = b'{"data": {"id": "' + b" " * (32 * 1024 * 1024) + b'"}}'
"""32 MiB of JSON that compresses to a few dozen kilobytes."""
ENCODERS: dict[str, Callable[[bytes], bytes]] = {"gzip": gzip.compress, "deflate": zlib.compress}

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class RawServer:
    """A TCP server on loopback answering each request with raw bytes: what no HTTP server would send."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.sent = 0
        """Bytes dripped so far, over every connection."""
        self.hung_up = 0
        """Drips cut short because the client closed the connection."""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        with contextlib.suppress(OSError, asyncio.IncompleteReadError, asyncio.CancelledError):
            await reader.readuntil(b"\r\n\r\n")
            await self.answer(reader, writer)
        writer.close()

    async def drip(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes, *, every: float = 0.02
    ) -> None:
        """Send `data` a byte at a time until done or until the client hangs up."""
        try:
            for byte in data:
                if reader.at_eof() or writer.is_closing():  # closed, or reset (below)
                    raise ConnectionResetError
                writer.write(bytes([byte]))
                await writer.drain()
                self.sent += 1
                await asyncio.sleep(every)
        except ConnectionError:
            self.hung_up += 1


@contextlib.asynccontextmanager
async def raw_server(answer: Answer) -> AsyncIterator[tuple[RawServer, str]]:
    server = RawServer(answer)
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    try:
        yield server, f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}/v2"
    finally:
        listening.close()
        await listening.wait_closed()


# Decompression bombs: the cap counts the bytes after inflating


@pytest.mark.parametrize("encoding", ENCODERS)
@pytest.mark.parametrize("status", [200, 503])
async def test_a_compressed_bomb_is_read_no_further_than_the_cap(encoding: str, status: int) -> None:
    compressed = ENCODERS[encoding](BOMB)

    async def bomb(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, body=compressed, headers={"Content-Encoding": encoding})

    async with (
        serving(bomb) as base_url,
        AsyncTelnyx("key", base_url=base_url, max_response_bytes=CAP, max_retries=0) as client,
    ):
        with pytest.raises(
            (APIResponseValidationError, InternalServerError), match="over max_response_bytes"
        ):
            await client.number_orders.retrieve("x")

    assert len(compressed) < CAP < len(BOMB)


# Dripping answers: the call's deadline bounds them, whatever the server keeps sending


@pytest.mark.parametrize(
    "head",
    [
        b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 500,  # headers that never end
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 600\r\n\r\n" + b" " * 500,
    ],
    ids=["dripping headers", "dripping body"],
)
async def test_a_dripping_answer_ends_at_the_calls_deadline(head: bytes) -> None:
    async def drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await server.drip(reader, writer, head)

    async with raw_server(drip) as (server, base_url):
        async with AsyncTelnyx("key", base_url=base_url, timeout=0.5, max_retries=0) as client:
            with pytest.raises(APITimeoutError, match="the call's deadline passed"):
                await client.number_orders.retrieve("x")
        for _ in range(250):  # the server notices the hang-up before its next byte
            if server.hung_up:
                break
            await asyncio.sleep(0.02)

    assert server.hung_up == 1
    assert 0 < server.sent < len(head), "the client hung up long before the answer was done"


async def test_a_read_limit_retries_a_dripping_get_until_the_deadline() -> None:
    async def drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await server.drip(reader, writer, b"HTTP/1.1 200 OK\r\n", every=0.5)

    async with raw_server(drip) as (server, base_url):
        limits = Timeout(total=1.0, read=0.2)
        async with AsyncTelnyx("key", base_url=base_url, timeout=limits, max_retries=50) as client:
            with pytest.raises(APITimeoutError):
                await client.number_orders.retrieve("x")

    assert 2 <= server.connections <= 6, "each attempt stopped at its read limit, the last at the deadline"


# Floods and lies


async def test_a_hundred_thousand_headers_are_refused() -> None:
    async def flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        headers = b"".join(b"X-Flood-%d: v\r\n" % n for n in range(100_000))
        writer.write(b"HTTP/1.1 200 OK\r\n" + headers + b"Content-Length: 2\r\n\r\n{}")
        await writer.drain()

    async with raw_server(flood) as (server, base_url), AsyncTelnyx("key", base_url=base_url) as client:
        with pytest.raises(APIConnectionError, match="Too many headers"):
            await client.number_orders.create(phone_numbers=["+13125550100"])

    assert server.connections == 1, "a create is not sent again after an answer that could not be read"


async def test_a_body_shorter_than_its_content_length_is_a_connection_error() -> None:
    async def short(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b'{"data": {}}')
        await writer.drain()

    async with (
        raw_server(short) as (server, base_url),
        AsyncTelnyx("key", base_url=base_url, max_retries=1, timeout=5) as client,
    ):
        with pytest.raises(APIConnectionError, match="Not enough data to satisfy content length"):
            await client.number_orders.retrieve("x")

    assert server.connections == 2, "a GET whose answer broke off is retried"


async def test_bytes_past_the_content_length_are_never_read_as_the_next_answer() -> None:
    smuggled = b'HTTP/1.1 200 OK\r\nContent-Length: 28\r\n\r\n{"data": {"id": "smuggled"}}'

    async def long(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n{"data": {}}' + smuggled)
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")

    async with raw_server(long) as (server, base_url), AsyncTelnyx("key", base_url=base_url) as client:
        answers = [(await client.number_orders.retrieve(f"x{n}")).data for n in range(3)]

    assert [answer.id if answer else None for answer in answers] == [None, None, None]
    assert server.connections == 3, "a connection whose answer ran long is not used again"


# Redirects are answers, never followed


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_redirect_within_the_same_origin_is_not_followed_either(status: int, method: str) -> None:
    asked: list[str] = []

    async def redirect(request: web.Request) -> web.StreamResponse:
        asked.append(f"{request.method} {request.path}")
        return web.Response(status=status, headers={"Location": "/v2/number_orders/elsewhere"})

    async with serving(redirect) as base_url, AsyncTelnyx("key", base_url=base_url) as client:
        with pytest.raises(APIStatusError) as caught:
            await call(client, method)

    assert asked == [f"{method} /v2/number_orders" + ("/x" if method == "GET" else "")]
    assert caught.value.status_code == status
    assert "was not followed" in str(caught.value)


# Ids and parameters cannot leave their place


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as running:
        yield running


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[AsyncTelnyx]:
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_retries=0) as bound:
        yield bound


@pytest.mark.parametrize(
    "order_id",
    [
        *("\x00", "a\r\nHost: evil", "a\nb", "\x1b[2J", "tab\there", "nel\x85", "del\x7f"),
        *(".", "..", " ", "\ud800", "a\udc80"),
    ],
    ids=repr,
)
async def test_an_id_with_control_characters_or_a_relative_segment_is_refused_unsent(
    sandbox: Sandbox, client: AsyncTelnyx, order_id: str
) -> None:
    with pytest.raises(ValueError, match="id"):
        await client.number_orders.retrieve(order_id)

    assert sandbox.requests == []


@pytest.mark.parametrize(
    "order_id",
    [
        *("../sub_number_orders/x", "../../users", "a/../../b", "a/b", "%2e%2e", "..%2f", "a%2Fb"),
        *("?filter=x#y", "a?b=c#d", "ñandú", "日本語", "🙂", "\u202eevil", "a b"),
    ],
    ids=repr,
)
async def test_any_other_id_is_one_percent_encoded_path_segment(
    sandbox: Sandbox, client: AsyncTelnyx, order_id: str
) -> None:
    with pytest.raises(NotFoundError):
        await client.number_orders.retrieve(order_id)

    (request,) = sandbox.requests
    assert request.operation == "RetrieveNumberOrder", "the id stayed in its segment"
    assert request.raw_path == f"/v2/number_orders/{quote(order_id, safe='')}"
    assert request.path == f"/v2/number_orders/{order_id}"
    assert request.query == []


@pytest.mark.parametrize(
    "reference",
    ["a\r\nX-Injected: 1", "a&filter[status]=success", "x#fragment", "..", "日本\u202e", "\x00\x1b"],
)
async def test_a_parameter_arrives_as_exactly_one_value(
    sandbox: Sandbox, client: AsyncTelnyx, reference: str
) -> None:
    await client.number_orders.list(customer_reference=reference)

    (request,) = sandbox.requests
    assert [pair for pair in request.query if pair[0].startswith("filter")] == [
        ("filter[customer_reference]", reference)
    ]
    assert "x-injected" not in request.headers
