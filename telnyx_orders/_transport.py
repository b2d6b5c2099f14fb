"""Transports: what sends one HTTP request and reads its answer, for the request pipeline.

The pipeline builds the request, decides about retries and maps failures to errors; a transport only
sends. `AsyncTelnyx` uses `AiohttpTransport` unless given another through `transport=`, such as a
`MockTransport` that answers in memory, in the spirit of `httpx.MockTransport`.

A transport reports a failure to get an answer by raising what aiohttp raises, which the retry policy
reads: `aiohttp.ClientConnectorError` or `aiohttp.ConnectionTimeoutError` when the request was never
sent; any other `aiohttp.ClientError`, or `asyncio.TimeoutError`, when it may have been.
"""

from __future__ import annotations

import asyncio
import inspect
import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Protocol

import aiohttp
import attrs
from aiohttp import hdrs
from yarl import URL

from ._proxy import DIRECT, Proxies
from ._timeouts import NO_ROUNDING, Timeout, client_timeout

__all__ = [
    "AiohttpTransport",
    "AsyncTransport",
    "HTTPRequest",
    "HTTPResponse",
    "MockTransport",
    "request_id_of",
]


# Not frozen, though never changed: a frozen attrs class costs three times as much to make, and each
# request makes one of these and one HTTPResponse.
@attrs.define
class HTTPRequest:
    """One request as the pipeline sends it: the URL is complete and encoded, the headers final."""

    method: str
    url: URL
    params: Mapping[str, str] | None
    headers: Mapping[str, str] = attrs.field(repr=False)  # the API key is among them
    data: bytes | None

    @property
    def where(self) -> str:
        return f"{self.method} {self.url.path}"


@attrs.define
class HTTPResponse:
    """One answer: its status, headers and body."""

    status: int
    reason: str = ""
    headers: Mapping[str, str] = attrs.field(factory=dict[str, str])
    body: bytes = b""
    complete: bool = True
    """False when the body was longer than the client's `max_response_bytes`: `body` is what was read."""


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """Telnyx's id of a request, from the headers of its answer (`x-request-id`, or `request-id`)."""
    return headers.get("x-request-id") or headers.get("request-id")


class AsyncTransport(Protocol):
    """Sends one request within `limits` (a `Timeout` of that attempt) and returns the answer."""

    async def send(self, request: HTTPRequest, limits: Timeout) -> HTTPResponse: ...

    async def aclose(self) -> None: ...


class MockTransport:
    """Answers every request with `handler(request)`, in memory; the handler may be async.

    ```python
    def handler(request: HTTPRequest) -> HTTPResponse:
        return HTTPResponse(200, body=b'{"data": {"id": "1"}}')

    client = AsyncTelnyx("KEY", transport=MockTransport(handler))
    ```

    The handler may raise as a transport does (`aiohttp.ServerDisconnectedError()`,
    `aiohttp.ConnectionTimeoutError()`, `asyncio.TimeoutError()`, ...). An async handler is given the
    attempt's `total` limit, as a network would.
    """

    def __init__(self, handler: Callable[[HTTPRequest], HTTPResponse | Awaitable[HTTPResponse]]) -> None:
        self.handler = handler

    async def send(self, request: HTTPRequest, limits: Timeout) -> HTTPResponse:
        answer = self.handler(request)
        if inspect.isawaitable(answer):
            return await asyncio.wait_for(answer, limits.total)
        return answer

    async def aclose(self) -> None:
        pass


class AiohttpTransport:
    """Sends over one aiohttp session, shared by a client and its `with_options` copies.

    The session is created on first use inside the running loop, because aiohttp binds it to that loop.
    TLS certificates are verified against the system's CAs, or against `ssl_context` when given. Requests
    go through `proxy` if given, else through the proxy the environment names for them (see `_proxy`).
    No more than `max_response_bytes` of a body is ever read. The session gets `trace_configs`, so aiohttp
    tracing sees each attempt.
    """

    def __init__(
        self,
        *,
        max_connections: int,
        max_connections_per_host: int,
        max_response_bytes: int,
        ssl_context: ssl.SSLContext | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
        proxy: str | None = None,
    ) -> None:
        self._limits = (max_connections, max_connections_per_host)
        self._trace_configs = list(trace_configs)
        self._max_response_bytes = max_response_bytes
        self._ssl: ssl.SSLContext | bool = True if ssl_context is None else ssl_context
        proxies = Proxies(proxy)
        self._proxies = proxies if proxies.used else None
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    def session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None:
            if self._closed:  # a call that was retrying when another task or thread closed the client
                raise RuntimeError("the client was closed while this call was in flight")
            limit, limit_per_host = self._limits
            connector = aiohttp.TCPConnector(
                limit=limit,
                limit_per_host=limit_per_host,
                ttl_dns_cache=300,
                ssl=self._ssl,
                timeout_ceil_threshold=NO_ROUNDING,  # the read limit's timer; the others are per attempt
            )
            self._session = aiohttp.ClientSession(
                connector=connector, raise_for_status=False, trace_configs=self._trace_configs or None
            )
            self._loop = loop
        elif self._loop is not loop:
            raise RuntimeError(
                "this client's connections belong to another event loop; create one AsyncTelnyx per loop "
                "(or use the blocking Telnyx client, which runs its own loop)"
            )
        return self._session

    async def send(self, request: HTTPRequest, limits: Timeout) -> HTTPResponse:
        route = DIRECT if self._proxies is None else self._proxies.route(request.url)
        headers = request.headers
        if route.headers and request.url.scheme == "http":
            headers = {**headers, **route.headers}  # aiohttp sends proxy_headers with a CONNECT only
        # Telnyx does not redirect; following one would send the key elsewhere or turn a POST into a GET.
        async with self.session().request(
            request.method,
            request.url,
            params=request.params,
            headers=headers,
            data=request.data,
            timeout=client_timeout(limits),
            allow_redirects=False,
            proxy=route.proxy,
            proxy_headers=route.headers,
        ) as response:
            body, complete = await _read_body(response, self._max_response_bytes)
            return HTTPResponse(response.status, response.reason or "", response.headers, body, complete)

    async def aclose(self) -> None:
        self._closed = True
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    def forget(self) -> None:
        """Drop the session without closing it (in a forked child, its sockets are the parent's)."""
        self._session = None
        self._loop = None


async def _read_body(response: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    """The body and whether it is whole: no more than `limit` bytes are ever held.

    A body declared longer is not read at all; one that turns out longer is cut at `limit`. Either
    way the connection is closed rather than drained.
    """
    declared = response.content_length
    if declared is not None and declared > limit:
        response.close()
        return b"", False
    if declared is not None and hdrs.CONTENT_ENCODING not in response.headers:
        # The usual answer: aiohttp reads exactly the declared length, no more. (A compressed body's
        # length says nothing of what it inflates to, so that one is read by the measure below.)
        return await response.read(), True
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = await response.content.read(limit + 1 - size)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    response.close()
    return b"".join(chunks)[:limit], False
