"""From what an attempt ended with (a status and body, a body of the wrong shape, a transport exception)
to the error the caller gets, with a message that says everything Telnyx said."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
from collections.abc import Sequence
from types import FrameType, TracebackType
from typing import cast

import aiohttp
import cattrs
from multidict import CIMultiDict, CIMultiDictProxy

from ._converter import structure
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    status_error_class,
)
from ._transport import HTTPRequest, HTTPResponse, request_id_of
from .types._errors import ErrorDetail

__all__ = [
    "MAY_HAVE_TAKEN_EFFECT",
    "closed_during_call",
    "connection_error",
    "invalid_response",
    "redact",
    "shape_problem",
    "status_error",
    "summarize",
]

MAY_HAVE_TAKEN_EFFECT = "the request was sent and may have taken effect, so it was not sent again"
"""What an error says when a request that changes something may have landed; operations that create
things say what may exist instead."""


def connection_error(
    request: HTTPRequest,
    error: BaseException | None,
    *,
    deadline_passed: bool,
    taken_effect: str | None,
    note: str | None = None,
) -> APIConnectionError:
    """The error for an attempt that got no answer; `taken_effect` says what may have happened."""
    if isinstance(error, asyncio.TimeoutError):
        reason = "the call's deadline passed" if deadline_passed else "an attempt timed out"
        message = f"{request.where} timed out: {reason}"
        kind: type[APIConnectionError] = APITimeoutError
    else:
        message, kind = f"{request.where} failed to get a response: {error}", APIConnectionError
    return kind(
        _amended(message, note, taken_effect),
        method=request.method,
        url=str(request.url),
        may_have_taken_effect=taken_effect is not None,
    )


def closed_during_call(error: APIError) -> RuntimeError:
    """The error for a call whose connection failed because the client was closed under it.

    A `RuntimeError`, as for a call made after the client was closed; `error`, its cause, is what the
    attempt ended with, `may_have_taken_effect` included.
    """
    return RuntimeError(f"the client was closed while this call was in flight: {error}")


def status_error(
    request: HTTPRequest,
    response: HTTPResponse,
    *,
    taken_effect: str | None,
    note: str | None = None,
    max_response_bytes: int,
) -> APIStatusError:
    """The error for a 3xx, 4xx or 5xx answer, with Telnyx's `errors[]` parsed out of its body."""
    body = _decode_error_body(response.body)
    errors = _parse_errors(body)
    summary = summarize(errors) or _text_excerpt(body)
    message = f"{request.where} -> {response.status} {response.reason}".rstrip()
    if summary:
        message = f"{message}: {summary}"
    if 300 <= response.status < 400:
        location = response.headers.get("Location")
        target = f" to {location}" if location else ""
        message = f"{message}; the redirect{target} was not followed: it could send the API key elsewhere"
    if not response.complete:
        message = f"{message}; {oversized(response, max_response_bytes)}"
    request_id = request_id_of(response.headers)
    if request_id:
        message = f"{message} (request id {request_id})"
    return status_error_class(response.status)(
        _amended(message, note, taken_effect),
        method=request.method,
        url=str(request.url),
        status_code=response.status,
        headers=response.headers,
        body=body,
        errors=errors,
        request_id=request_id,
        may_have_taken_effect=taken_effect is not None,
    )


SUMMARY_ERRORS = 10
"""How many of Telnyx's `errors[]` an error message lists; `.errors` keeps them all."""
SUMMARY_CHARACTERS = 2000
"""How long the list in an error message may grow before it is cut."""


def summarize(errors: Sequence[ErrorDetail]) -> str:
    """Telnyx's `errors[]` as one bounded text: the first few, cut at a length, and how many more."""
    summary = "; ".join(str(error) for error in errors[:SUMMARY_ERRORS])
    if len(summary) > SUMMARY_CHARACTERS:
        summary = summary[: SUMMARY_CHARACTERS - 1] + "…"
    if len(errors) > SUMMARY_ERRORS:
        summary += f"; and {len(errors) - SUMMARY_ERRORS} more errors (all in .errors)"
    return summary


def invalid_response(
    request: HTTPRequest, response: HTTPResponse, problem: str, body: object, *, taken_effect: str | None
) -> APIResponseValidationError:
    """The error for a 2xx whose body is not the one the API documents."""
    return APIResponseValidationError(
        _amended(f"{request.where} -> {response.status}, but {problem}", None, taken_effect),
        method=request.method,
        url=str(request.url),
        status_code=response.status,
        body=body,
        may_have_taken_effect=taken_effect is not None,
    )


def oversized(response: HTTPResponse, limit: int) -> str:
    return (
        f"the body is over max_response_bytes ({limit} bytes), so it was cut off there "
        f"({len(response.body)} bytes kept); raise the limit with AsyncTelnyx(max_response_bytes=...) "
        "if answers this large are expected"
    )


def shape_problem(error: Exception) -> str:
    """What is wrong with a body that would not structure, each bad value by its path (`body.data.id`)."""
    if isinstance(error, cattrs.BaseValidationError):
        problems = cattrs.transform_error(error, path="body", format_exception=_format_leaf_error)
    else:
        problems = [f"{type(error).__name__}: {error}"]
    return "the body is not the documented shape: " + "; ".join(problems)


def redact(error: BaseException) -> None:
    """Take the API key out of what a transport's `error`, its cause and its context keep.

    aiohttp attaches the request's headers to some errors (a malformed answer's): the key is blanked
    there. And the frames the errors were raised through hold the request in their local variables,
    which error reporters capture (Sentry by default, `traceback` with `capture_locals=True`): those
    frames are cleared, keeping the stack but not the locals.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        link = pending.pop()
        if link is None or id(link) in seen:
            continue
        seen.add(id(link))
        _redact_request_info(link)
        _clear_locals(link.__traceback__)
        pending += [link.__cause__, link.__context__]


_SUSPENDABLE = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
_OWN_STACK = frozenset({"aiohttp", "aiohappyeyeballs", "asyncio", "telnyx_orders"})
"""The packages whose coroutines send a request here: each has returned or raised by the time it fails."""


def _clear_locals(tb: TracebackType | None) -> None:
    """Clear the locals of the frames of `tb` that have finished running.

    A frame still running (the pipeline's, which caught the error) refuses. So would, from Python 3.13,
    a coroutine suspended in another task, one that caught the error and passed it on (a transport of
    the caller's own could); before 3.13, clearing one would close it, so coroutines are cleared only
    in the packages known to send the request.
    """
    while tb is not None:
        frame = tb.tb_frame
        if not frame.f_code.co_flags & _SUSPENDABLE or _package(frame) in _OWN_STACK:
            with contextlib.suppress(RuntimeError):
                frame.clear()
        tb = tb.tb_next


def _package(frame: FrameType) -> str:
    return str(frame.f_globals.get("__name__", "")).partition(".")[0]


def _redact_request_info(error: BaseException) -> None:
    if not isinstance(error, aiohttp.ClientResponseError):
        return
    info = error.request_info
    headers = CIMultiDict(
        (name, "<redacted>" if name.lower() in ("authorization", "proxy-authorization") else value)
        for name, value in info.headers.items()
    )
    error.request_info = aiohttp.RequestInfo(info.url, info.method, CIMultiDictProxy(headers), info.real_url)
    error.args = (error.request_info, error.history)


def _amended(message: str, note: str | None, taken_effect: str | None) -> str:
    for addition in (note, taken_effect):
        if addition:
            message = f"{message}; {addition}"
    return message


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


def _format_leaf_error(exc: BaseException, _: object) -> str:
    return str(exc) or type(exc).__name__
