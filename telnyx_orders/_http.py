"""The one request pipeline: URL, auth and headers; send; retry; map errors; decode into models."""

from __future__ import annotations

import asyncio
import json
import logging
import platform
import re
import ssl
from collections.abc import Callable, Coroutine, Iterator, Mapping
from typing import Any, TypeVar, cast
from urllib.parse import quote

import aiohttp
import attrs
import cattrs
from aiohttp import hdrs
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from ._config import check_headers, check_max_retries, has_control_characters
from ._converter import structure
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    status_error_class,
)
from ._retry import RetryPolicy
from ._timeouts import NO_ROUNDING, Deadline, Timeout, client_timeout, to_timeout
from ._version import __version__
from .types._errors import ErrorDetail

__all__ = ["CallOptions", "ConnectionPool", "HTTPPipeline", "path_segment"]

T = TypeVar("T")

logger = logging.getLogger("telnyx_orders")

USER_AGENT = f"telnyx-orders/{__version__} Python/{platform.python_version()} aiohttp/{aiohttp.__version__}"


# RFC 3986 unreserved characters, not leading with a dot: a segment that needs no check nor encoding.
_UNRESERVED_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def path_segment(value: str, name: str) -> str:
    """`value` as one percent-encoded path segment; an id can never leave its segment."""
    if type(value) is str and _UNRESERVED_SEGMENT.fullmatch(value):
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    if value in (".", ".."):
        raise ValueError(f"{name} must not be a relative path segment, got {value!r}")
    if has_control_characters(value):  # a regex: per character in Python, this cost 17 us a call
        raise ValueError(f"{name} must not contain control characters, got {value!r}")
    try:
        return quote(value, safe="")
    except UnicodeEncodeError:
        raise ValueError(
            f"{name} must be valid Unicode text, without unpaired surrogates: {value!r}"
        ) from None


@attrs.frozen
class CallOptions:
    """Per-call overrides of the client's settings; `None` keeps the client's. Checked when made."""

    timeout: float | Timeout | None = None
    max_retries: int | None = None
    extra_headers: Mapping[str, str] | None = None

    def __attrs_post_init__(self) -> None:
        # Checked here so that list(), which sends nothing until awaited, refuses them at once.
        if self.timeout is not None:
            to_timeout(self.timeout)
        if self.max_retries is not None:
            check_max_retries(self.max_retries)
        check_headers(self.extra_headers)

    @classmethod
    def of(
        cls, timeout: float | Timeout | None, max_retries: int | None, extra_headers: Mapping[str, str] | None
    ) -> CallOptions:
        """The options of one call; a call that overrides nothing shares one instance, checked once."""
        if timeout is None and max_retries is None and extra_headers is None:
            return _NO_OVERRIDES
        return cls(timeout, max_retries, extra_headers)


_NO_OVERRIDES = CallOptions()


class ConnectionPool:
    """The aiohttp session a client and its `with_options` copies share.

    The session is created on first use inside the running loop, because aiohttp binds it to that loop.
    TLS certificates are verified against the system's CAs, or against `ssl_context` when given.
    """

    def __init__(
        self,
        *,
        max_connections: int,
        max_connections_per_host: int,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._limits = (max_connections, max_connections_per_host)
        self._ssl: ssl.SSLContext | bool = True if ssl_context is None else ssl_context
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("this client is closed; create a new one")
        loop = asyncio.get_running_loop()
        if self._session is None:
            limit, limit_per_host = self._limits
            connector = aiohttp.TCPConnector(
                limit=limit,
                limit_per_host=limit_per_host,
                ttl_dns_cache=300,
                ssl=self._ssl,
                timeout_ceil_threshold=NO_ROUNDING,  # the read limit's timer; the others are per attempt
            )
            self._session = aiohttp.ClientSession(connector=connector, raise_for_status=False)
            self._loop = loop
        elif self._loop is not loop:
            raise RuntimeError(
                "this client's connections belong to another event loop; create one AsyncTelnyx per loop "
                "(or use the blocking Telnyx client, which runs its own loop)"
            )
        return self._session

    async def aclose(self) -> None:
        self._closed = True
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    def forget(self) -> None:
        """Drop the session without closing it (in a forked child, its sockets are the parent's)."""
        self._session = None
        self._loop = None


# Not frozen, though never changed: a frozen attrs class costs three times as much to make, and each
# request makes one of these and one _Reply.
@attrs.define
class _Request:
    method: str
    url: URL
    params: Mapping[str, str] | None
    headers: Mapping[str, str] = attrs.field(repr=False)  # the API key is among them
    data: bytes | None

    @property
    def where(self) -> str:
        return f"{self.method} {self.url.path}"


@attrs.define
class _Reply:
    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes
    complete: bool = True
    """False when the body was longer than `max_response_bytes`: `body` is then what was read of it."""


class HTTPPipeline:
    """Sends requests for one client configuration; `with_options` copies share its pool."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        timeout: Timeout,
        max_retries: int,
        default_headers: Mapping[str, str],
        pool: ConnectionPool,
        retry: RetryPolicy,
        max_response_bytes: int,
    ) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self.default_headers = dict(default_headers)
        self.pool = pool
        self.retry = retry
        self.max_response_bytes = max_response_bytes
        self._api_key = api_key
        self._headers = {
            **merge_headers({"Accept": "application/json", "User-Agent": USER_AGENT}, self.default_headers),
            "Authorization": f"Bearer {api_key}",
        }

    def copy(self, **changes: Any) -> HTTPPipeline:
        settings: dict[str, Any] = {
            "base_url": self.base_url,
            "api_key": self._api_key,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": self.default_headers,
            "pool": self.pool,
            "retry": self.retry,
            "max_response_bytes": self.max_response_bytes,
        }
        settings.update(changes)
        return HTTPPipeline(**settings)

    def __repr__(self) -> str:
        return f"<HTTPPipeline base_url={self.base_url!r}>"

    # Not coroutines themselves: the request's coroutine is handed on, one frame fewer on every resume.
    def get(
        self,
        path: str,
        cast_to: type[T],
        options: CallOptions,
        *,
        params: Mapping[str, str] | None = None,
        check: Callable[[T], str | None] | None = None,
    ) -> Coroutine[Any, Any, T]:
        return self.request("GET", path, cast_to, options, params=params, check=check)

    def post(
        self, path: str, cast_to: type[T], options: CallOptions, *, body: object
    ) -> Coroutine[Any, Any, T]:
        return self.request("POST", path, cast_to, options, body=body)

    async def request(
        self,
        method: str,
        path: str,
        cast_to: type[T],
        options: CallOptions,
        *,
        params: Mapping[str, str] | None = None,
        body: object = None,
        check: Callable[[T], str | None] | None = None,
    ) -> T:
        """Send the request, retrying as the policy allows, and return the body as `cast_to`.

        `check` may look at the decoded model and return what is wrong with it (say, a page that repeats
        the one before): that too is a response that is not the documented one.
        """
        timeout = self.timeout if options.timeout is None else to_timeout(options.timeout)
        max_retries = (
            self.max_retries if options.max_retries is None else check_max_retries(options.max_retries)
        )
        headers = self._headers
        if options.extra_headers:
            headers = merge_headers(headers, check_headers(options.extra_headers))
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers = merge_headers(headers, {"Content-Type": "application/json"})
        request = _Request(method, URL(self.base_url + path, encoded=True), params, headers, data)
        reply = await self._send_with_retries(request, timeout, max_retries)
        return self._decode(request, reply, cast_to, check)

    async def _send_with_retries(self, request: _Request, timeout: Timeout, max_retries: int) -> _Reply:
        deadline = Deadline.start(timeout)
        delays: Iterator[float] | None = None  # made on the first failure: most calls never need it
        attempt = 0
        while True:
            attempt += 1
            limits = timeout if attempt == 1 else deadline.next_limits()
            try:
                reply = await self._send(request, client_timeout(limits))
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                _redact_request_headers(exc)
                retryable = self.retry.retries_error(request.method, exc)
                error: APIError = self._connection_error(request, exc, deadline, retryable)
                delay: float | None = None
                cause: BaseException | None = exc
                status = type(exc).__name__
            else:
                if 200 <= reply.status < 300:
                    _log(request, reply.status, attempt)
                    return reply
                retryable = self.retry.retries_status(request.method, reply.status)
                error = self._status_error(request, reply, retryable)
                delay = self.retry.server_delay(reply.status, reply.headers)
                cause = None
                status = str(reply.status)
            if delay is None:
                delays = delays or self.retry.delays()
                delay = next(delays)
            if not retryable or attempt > max_retries or not deadline.allows(delay):
                _log(request, status, attempt)
                raise error from cause
            _log(request, status, attempt, delay)
            await self.retry.sleep(delay)

    async def _send(self, request: _Request, attempt_timeout: aiohttp.ClientTimeout) -> _Reply:
        session = self.pool.session()
        # Telnyx does not redirect; following one would send the key elsewhere or turn a POST into a GET.
        async with session.request(
            request.method,
            request.url,
            params=request.params,
            headers=request.headers,
            data=request.data,
            timeout=attempt_timeout,
            allow_redirects=False,
        ) as response:
            body, complete = await _read_body(response, self.max_response_bytes)
            return _Reply(response.status, response.reason or "", response.headers, body, complete)

    def _connection_error(
        self, request: _Request, exc: BaseException, deadline: Deadline, retryable: bool
    ) -> APIError:
        may_have_taken_effect = request.method == "POST" and not retryable and self.retry.was_sent(exc)
        where = request.where
        if isinstance(exc, asyncio.TimeoutError):
            reason = "the call's deadline passed" if deadline.passed() else "an attempt timed out"
            return APITimeoutError(
                f"{where} timed out: {reason}",
                method=request.method,
                url=str(request.url),
                may_have_taken_effect=may_have_taken_effect,
            )
        return APIConnectionError(
            f"{where} failed to get a response: {exc}",
            method=request.method,
            url=str(request.url),
            may_have_taken_effect=may_have_taken_effect,
        )

    def _status_error(self, request: _Request, reply: _Reply, retryable: bool) -> APIStatusError:
        body = _decode_error_body(reply.body)
        errors = _parse_errors(body)
        summary = "; ".join(str(error) for error in errors) or _text_excerpt(body)
        message = f"{request.where} -> {reply.status} {reply.reason}".rstrip()
        if summary:
            message = f"{message}: {summary}"
        if 300 <= reply.status < 400:
            location = reply.headers.get("Location")
            target = f" to {location}" if location else ""
            message = f"{message}; the redirect{target} was not followed: it could send the API key elsewhere"
        if not reply.complete:
            message = f"{message}; {self._oversized(reply)}"
        request_id = reply.headers.get("x-request-id") or reply.headers.get("request-id")
        if request_id:
            message = f"{message} (request id {request_id})"
        return status_error_class(reply.status)(
            message,
            method=request.method,
            url=str(request.url),
            status_code=reply.status,
            headers=reply.headers,
            body=body,
            errors=errors,
            request_id=request_id,
            may_have_taken_effect=request.method == "POST" and not retryable and reply.status >= 500,
        )

    def _oversized(self, reply: _Reply) -> str:
        return (
            f"the body is over max_response_bytes ({self.max_response_bytes} bytes), so it was cut off there "
            f"({len(reply.body)} bytes kept); raise the limit with AsyncTelnyx(max_response_bytes=...) "
            "if answers this large are expected"
        )

    def _decode(
        self, request: _Request, reply: _Reply, cast_to: type[T], check: Callable[[T], str | None] | None
    ) -> T:
        if not reply.complete:
            raise self._invalid(request, reply, self._oversized(reply), reply.body)
        try:
            document = json.loads(reply.body)
        except (ValueError, RecursionError) as exc:
            raise self._invalid(request, reply, f"the body is not JSON: {exc}", reply.body) from exc
        try:
            model = structure(document, cast_to)
        except Exception as exc:
            shape = "the body is not the documented shape: " + "; ".join(_describe_shape_error(exc))
            raise self._invalid(request, reply, shape, document) from exc
        problem = None if check is None else check(model)
        if problem is not None:
            raise self._invalid(request, reply, problem, document)
        return model

    def _invalid(
        self, request: _Request, reply: _Reply, problem: str, body: object
    ) -> APIResponseValidationError:
        return APIResponseValidationError(
            f"{request.where} -> {reply.status}, but {problem}",
            method=request.method,
            url=str(request.url),
            status_code=reply.status,
            body=body,
            # A 2xx to a create says the order was placed, whatever became of the body.
            may_have_taken_effect=request.method == "POST",
        )


def merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """`base` with `extra` on top, names compared case-insensitively; `Authorization` stays `base`'s.

    The API key is the client's one credential: a header from `default_headers` or `extra_headers`
    never replaces it, nor rides along beside it under another spelling.
    """
    extra = {name: value for name, value in extra.items() if name.lower() != "authorization"}
    replaced = {name.lower() for name in extra}
    return {**{name: value for name, value in base.items() if name.lower() not in replaced}, **extra}


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


def _redact_request_headers(error: BaseException) -> None:
    """Blank the API key in the request headers aiohttp keeps on some errors (a malformed answer's)."""
    if not isinstance(error, aiohttp.ClientResponseError):
        return
    info = error.request_info
    headers = CIMultiDict(
        (name, "<redacted>" if name.lower() == "authorization" else value)
        for name, value in info.headers.items()
    )
    error.request_info = aiohttp.RequestInfo(info.url, info.method, CIMultiDictProxy(headers), info.real_url)
    error.args = (error.request_info, error.history)


def _log(request: _Request, status: str | int, attempt: int, delay: float | None = None) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    if delay is None:
        logger.debug("%s -> %s (attempt %d)", request.where, status, attempt)
    else:
        logger.debug("%s -> %s (attempt %d); retrying in %.3f s", request.where, status, attempt, delay)


def _decode_error_body(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return body.decode("utf-8", errors="replace")


def _parse_errors(body: object) -> tuple[ErrorDetail, ...]:
    if not isinstance(body, dict):
        return ()
    items = cast("dict[str, object]", body).get("errors")
    if not isinstance(items, list):
        return ()
    details: list[ErrorDetail] = []
    for item in cast("list[object]", items):
        try:
            details.append(structure(item, ErrorDetail))
        except Exception:
            continue  # one odd entry must not hide the HTTP error itself
    return tuple(details)


def _text_excerpt(body: object, limit: int = 200) -> str:
    text = body if isinstance(body, str) else ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe_shape_error(exc: Exception) -> list[str]:
    if isinstance(exc, cattrs.BaseValidationError):
        return cattrs.transform_error(exc, path="body", format_exception=_format_leaf_error)
    return [f"{type(exc).__name__}: {exc}"]


def _format_leaf_error(exc: BaseException, _: object) -> str:
    return str(exc) or type(exc).__name__
