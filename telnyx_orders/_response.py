"""Raw responses: what `client.<resource>.with_raw_response.<method>(...)` returns.

An `APIResponse` is the HTTP answer a call ended with (after its retries), read in full: its status, its
headers and Telnyx's request id, how many retries it took and how long, and `parse()`, which decodes the
body into what the plain method returns. The plain methods never make one: only a `with_raw_response`
call pays for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Generic, TypeVar, cast

from multidict import CIMultiDict, CIMultiDictProxy

from ._transport import HTTPResponse, request_id_of

__all__ = ["APIResponse"]

R = TypeVar("R")

_UNPARSED: object = object()


class APIResponse(Generic[R]):
    """The HTTP answer of one call, and the result the plain method returns, decoded on demand.

    ```python
    response = await client.number_orders.with_raw_response.retrieve(order_id)
    print(response.status_code, response.request_id, response.retries_taken, response.elapsed)
    order = response.parse().data  # what `await client.number_orders.retrieve(order_id)` returns
    ```

    A call that ends in an error status raises, as the plain method does (`APIStatusError.request_id`
    then names the request). A 2xx whose body is not the documented one still gives an `APIResponse`,
    its request id included; `parse()` raises `APIResponseValidationError` for it.
    """

    __slots__ = ("_parse", "_parsed", "_response", "elapsed", "headers", "retries_taken")

    def __init__(
        self, response: HTTPResponse, *, retries_taken: int, elapsed: float, parse: Callable[[], R]
    ) -> None:
        self._response = response
        self._parse = parse
        self._parsed: object = _UNPARSED
        headers = response.headers
        self.headers: Mapping[str, str] = (
            headers if isinstance(headers, CIMultiDictProxy) else CIMultiDictProxy(CIMultiDict(headers))
        )
        """The response headers; names are compared case-insensitively."""
        self.retries_taken = retries_taken
        """How many times the request was sent again before this answer: 0 if the first attempt did."""
        self.elapsed = elapsed
        """Seconds from sending the first attempt to reading this answer, retries and waits included."""

    @property
    def status_code(self) -> int:
        """The HTTP status: a 2xx, since any other ends the call with an `APIStatusError`."""
        return self._response.status

    @property
    def request_id(self) -> str | None:
        """Telnyx's id of this request (the `x-request-id` header), or None: quote it to Telnyx support."""
        return request_id_of(self.headers)

    def parse(self) -> R:
        """The body decoded as the plain method returns it (the same object on every call).

        Raises:
            APIResponseValidationError: the body is not JSON, or not the shape the API documents.
        """
        if self._parsed is _UNPARSED:
            self._parsed = self._parse()
        return cast("R", self._parsed)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.status_code} request_id={self.request_id!r} "
            f"retries_taken={self.retries_taken} elapsed={self.elapsed:.3f}>"
        )
