"""The Telnyx error envelope: ``{"errors": [{code, title, detail, source, meta}]}``."""

from __future__ import annotations

import dataclasses
import json
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

_DEFAULTS: dict[int, tuple[str, str, str]] = {
    400: ("10015", "Bad Request", "The request failed because it was not well-formed."),
    401: ("10009", "Authentication failed", "Could not understand the provided credentials."),
    403: (
        "10010",
        "Authorization failed",
        "You do not have permission to perform the requested action on the specified resource or resources.",
    ),
    404: ("10005", "Resource not found", "The requested resource or URL could not be found."),
    408: ("10008", "Request timeout", "The request timed out."),
    409: ("10012", "Duplicate resource", "Resource is a duplicate."),
    413: ("10015", "Request Entity Too Large", "The request body is too large."),  # 3.13 renamed the phrase
    415: ("10014", "Unsupported Media Type", "The server does not support the media type."),
    422: ("10015", "Unprocessable entity", "The request contained an invalid parameter value."),
    429: ("10011", "Too many requests", "You have exceeded the maximum number of allowed requests."),
    500: ("10007", "Unexpected error", "An unexpected error occured."),
}


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def default_error(status: int) -> tuple[str, str, str]:
    """The ``(code, title, detail)`` Telnyx would plausibly send with ``status``."""
    if status in _DEFAULTS:
        return _DEFAULTS[status]
    if status >= 500:
        return ("10007", _reason(status), "An unexpected error occured.")
    return ("10015", _reason(status), "The request failed.")


def error_object(
    code: str,
    title: str,
    detail: str,
    *,
    pointer: str | None = None,
    parameter: str | None = None,
) -> dict[str, Any]:
    """One entry of the ``errors`` list; ``source`` appears only when a pointer or parameter is given."""
    error: dict[str, Any] = {"code": code, "title": title, "detail": detail}
    source = {k: v for k, v in (("pointer", pointer), ("parameter", parameter)) if v is not None}
    if source:
        error["source"] = source
    error["meta"] = {"url": f"https://developers.telnyx.com/docs/overview/errors/{code}"}
    return error


def json_response(
    payload: object, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    """``payload`` as JSON with ``Content-Type: application/json`` (no charset parameter)."""
    return web.Response(
        body=json.dumps(payload).encode(),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def error_response(
    status: int,
    *,
    code: str | None = None,
    title: str | None = None,
    detail: str | None = None,
    pointer: str | None = None,
    parameter: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """A Telnyx error envelope with one error, filling unset fields from the defaults for ``status``."""
    default_code, default_title, default_detail = default_error(status)
    error = error_object(
        default_code if code is None else code,
        default_title if title is None else title,
        default_detail if detail is None else detail,
        pointer=pointer,
        parameter=parameter,
    )
    return json_response({"errors": [error]}, status=status, headers=headers)


class Rejection(Exception):
    """Raised by a handler for a request it refuses; the middleware answers :meth:`response`."""

    def response(self) -> web.Response:
        """The error envelope answering this rejection."""
        raise NotImplementedError


class InvalidParameter(Rejection):
    """Raised by a handler for a request parameter it rejects; answered as a Telnyx error envelope."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        parameter: str | None = None,
        pointer: str | None = None,
        code: str | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.parameter = parameter
        self.pointer = pointer
        self.code = code
        self.title = title

    def response(self) -> web.Response:
        """The error envelope answering this rejection."""
        return error_response(
            self.status,
            code=self.code,
            title=self.title,
            detail=self.detail,
            parameter=self.parameter,
            pointer=self.pointer,
        )


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with a request body, at an RFC 6901 JSON pointer (``""`` is the whole body)."""

    pointer: str
    detail: str


class InvalidBody(Rejection):
    """Raised for a request body with problems: 422 with one error per problem, each with its pointer."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{problem.pointer}: {problem.detail}" for problem in problems))
        self.problems = tuple(problems)

    def response(self) -> web.Response:
        """The 422 envelope listing every problem."""
        code, title, _ = default_error(422)
        errors = [
            error_object(code, title, problem.detail, pointer=problem.pointer) for problem in self.problems
        ]
        return json_response({"errors": errors}, status=422)
