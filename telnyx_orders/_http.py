"""The one request pipeline: URL, auth and headers; send through the transport; retry as the policy
decides; map failures to errors; decode the body into models."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import platform
import re
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar, cast
from urllib.parse import quote

import aiohttp
import attrs
from yarl import URL

from ._config import CLIENT_CLOSED, check_headers, check_max_retries, has_control_characters, not_found_note
from ._converter import structure
from ._error_mapping import (
    MAY_HAVE_TAKEN_EFFECT,
    closed_during_call,
    connection_error,
    invalid_response,
    oversized,
    redact,
    shape_problem,
    status_error,
)
from ._errors import APIError
from ._response import APIResponse
from ._retry import Outcome, RetryPolicy
from ._timeouts import Deadline, Timeout, to_timeout
from ._transport import AsyncTransport, HTTPRequest, HTTPResponse, request_id_of
from ._version import __version__

__all__ = ["CallOptions", "HTTPPipeline", "merge_headers", "path_segment"]

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


@attrs.define
class Lifecycle:
    """Whether the transport a client and its `with_options` copies share has been closed."""

    closed: bool = False


class HTTPPipeline:
    """Sends requests for one client configuration; `with_options` copies share its transport."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        timeout: Timeout,
        max_retries: int,
        default_headers: Mapping[str, str],
        pool: AsyncTransport,
        retry: RetryPolicy,
        max_response_bytes: int,
        lifecycle: Lifecycle | None = None,
    ) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self.default_headers = dict(default_headers)
        self.pool = pool
        """The transport: the aiohttp connection pool, unless the client was given another."""
        self.retry = retry
        self.max_response_bytes = max_response_bytes
        self.lifecycle = lifecycle or Lifecycle()
        self._api_key = api_key
        self._not_found_note = not_found_note(base_url)
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
            "lifecycle": self.lifecycle,
        }
        settings.update(changes)
        return HTTPPipeline(**settings)

    async def aclose(self) -> None:
        self.lifecycle.closed = True
        await self.pool.aclose()

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
        self, path: str, cast_to: type[T], options: CallOptions, *, body: object, may_have_taken_effect: str
    ) -> Coroutine[Any, Any, T]:
        """POST `body`; `may_have_taken_effect` is what an error says when the request may have landed."""
        return self.request("POST", path, cast_to, options, body=body, taken_effect=may_have_taken_effect)

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
        taken_effect: str = MAY_HAVE_TAKEN_EFFECT,
    ) -> T:
        """Send the request, retrying as the policy allows, and return the body as `cast_to`.

        `check` may look at the decoded model and return what is wrong with it (say, a page that repeats
        the one before): that too is a response that is not the documented one.
        """
        request = self._prepare(method, path, options, params, body)
        response = await self._send_with_retries(request, options, taken_effect)
        return self._decode(request, response, cast_to, check, taken_effect)

    async def request_raw(
        self,
        method: str,
        path: str,
        cast_to: type[T],
        options: CallOptions,
        *,
        params: Mapping[str, str] | None = None,
        body: object = None,
        check: Callable[[T], str | None] | None = None,
        taken_effect: str = MAY_HAVE_TAKEN_EFFECT,
    ) -> APIResponse[T]:
        """`request`, answered with the response it ended with; `parse()` decodes it as `request` would.

        Only a raw call comes here: the plain path (`request`) neither times nor counts its attempts.
        """
        request = self._prepare(method, path, options, params, body)
        attempts = _Attempts()
        started = time.perf_counter()
        response = await self._send_with_retries(request, options, taken_effect, attempts)
        return APIResponse(
            response,
            retries_taken=attempts.made - 1,
            elapsed=time.perf_counter() - started,
            parse=functools.partial(self._decode, request, response, cast_to, check, taken_effect),
        )

    def _prepare(
        self,
        method: str,
        path: str,
        options: CallOptions,
        params: Mapping[str, str] | None,
        body: object,
    ) -> HTTPRequest:
        """The request to send: the client's URL and headers, the call's extra headers, the JSON body."""
        if self.lifecycle.closed:
            raise RuntimeError(CLIENT_CLOSED)
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        url = URL(self.base_url + path, encoded=True)
        # The headers (the key among them) go straight into the request, whose repr leaves them out: as
        # a local variable they would show wherever a traceback is printed with its frames' locals.
        return HTTPRequest(method, url, params, self._request_headers(options, data), data)

    def _request_headers(self, options: CallOptions, data: bytes | None) -> dict[str, str]:
        extra = check_headers(options.extra_headers)  # before the key is in a local, should this raise
        headers = self._headers
        if extra:
            headers = merge_headers(headers, extra)
        if data is not None:
            headers = merge_headers(headers, {"Content-Type": "application/json"})
        return headers

    async def _send_with_retries(
        self, request: HTTPRequest, options: CallOptions, taken_effect: str, attempts: _Attempts | None = None
    ) -> HTTPResponse:
        timeout = self.timeout if options.timeout is None else to_timeout(options.timeout)
        max_retries = (
            self.max_retries if options.max_retries is None else check_max_retries(options.max_retries)
        )
        deadline = Deadline.start(timeout)
        attempt = 0
        while True:
            attempt += 1
            answer: HTTPResponse | None = None
            try:
                answer = await self.pool.send(request, timeout if attempt == 1 else deadline.next_limits())
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                redact(exc)
                outcome = Outcome(request.method, error=exc)
                status: str | HTTPResponse = type(exc).__name__
            else:
                if 200 <= answer.status < 300:
                    _log(request, answer, attempt)
                    if attempts is not None:
                        attempts.made = attempt
                    return answer
                outcome = Outcome(request.method, answer.status, answer.headers)
                status = answer
            decision = self.retry.decide(
                outcome, retries_taken=attempt - 1, max_retries=max_retries, time_left=deadline.remaining()
            )
            if decision.retry and not self.lifecycle.closed:
                _log(request, status, attempt, decision.delay)
                await self.retry.sleep(decision.delay)
                continue
            _log(request, status, attempt)
            effect = taken_effect if decision.may_have_taken_effect else None
            error: APIError
            if answer is None:
                error = connection_error(
                    request,
                    outcome.error,
                    deadline_passed=deadline.passed(),
                    taken_effect=effect,
                    note=decision.note,
                )
            else:
                error = status_error(
                    request,
                    answer,
                    taken_effect=effect,
                    note=decision.note or (self._not_found_note if answer.status == 404 else None),
                    max_response_bytes=self.max_response_bytes,
                )
            if answer is None and self.lifecycle.closed:
                raise closed_during_call(error) from error  # by another task or thread
            raise error from outcome.error

    def _decode(
        self,
        request: HTTPRequest,
        response: HTTPResponse,
        cast_to: type[T],
        check: Callable[[T], str | None] | None,
        taken_effect: str,
    ) -> T:
        if not response.complete:
            problem = oversized(response, self.max_response_bytes)
            raise self._invalid(request, response, problem, response.body, taken_effect)
        if cast_to is bytes:  # a download (the sub number orders report's CSV): the body as sent
            return cast("T", response.body)
        try:
            document = json.loads(response.body)
        except (ValueError, RecursionError) as exc:
            problem = f"the body is not JSON: {exc}"
            raise self._invalid(request, response, problem, response.body, taken_effect) from exc
        try:
            model = structure(document, cast_to)
        except Exception as exc:
            raise self._invalid(request, response, shape_problem(exc), document, taken_effect) from exc
        wrong = None if check is None else check(model)
        if wrong is not None:
            raise self._invalid(request, response, wrong, document, taken_effect)
        return model

    def _invalid(
        self, request: HTTPRequest, response: HTTPResponse, problem: str, body: object, taken_effect: str
    ) -> APIError:
        # A 2xx to a create says the order was placed, whatever became of the body.
        landed = self.retry.decide(Outcome(request.method, response.status)).may_have_taken_effect
        return invalid_response(
            request, response, problem, body, taken_effect=taken_effect if landed else None
        )


def merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """`base` with `extra` on top, names compared case-insensitively; `Authorization` stays `base`'s.

    The API key is the client's one credential: a header from `default_headers` or `extra_headers`
    never replaces it, nor rides along beside it under another spelling.
    """
    extra = {name: value for name, value in extra.items() if name.lower() != "authorization"}
    replaced = {name.lower() for name in extra}
    return {**{name: value for name, value in base.items() if name.lower() not in replaced}, **extra}


@attrs.define
class _Attempts:
    """How many attempts a raw call's request took, for its `APIResponse.retries_taken`."""

    made: int = 0


def _log(request: HTTPRequest, outcome: str | HTTPResponse, attempt: int, delay: float | None = None) -> None:
    """One DEBUG line per attempt: what was asked, the status (or the error) and Telnyx's request id."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    status: str | int = outcome if isinstance(outcome, str) else outcome.status
    request_id = None if isinstance(outcome, str) else request_id_of(outcome.headers)
    answered = "" if request_id is None else f", request id {request_id}"
    if delay is None:
        logger.debug("%s -> %s (attempt %d%s)", request.where, status, attempt, answered)
    else:
        logger.debug(
            "%s -> %s (attempt %d%s); retrying in %.3f s", request.where, status, attempt, answered, delay
        )
