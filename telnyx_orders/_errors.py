"""The exceptions a client call can raise.

```
TelnyxError
 ├── WaitTimeoutError            (also a builtin TimeoutError)
 ├── RequirementsPendingError    (a wait() that would not end: regulatory requirements are missing)
 ├── PurchaseError               (number_orders.buy() stopped; says at which step)
 ├── WebhookVerificationError    (also a builtin ValueError)
 │    └── WebhookPayloadError    (signed by the key, but not the documented event)
 └── APIError
      ├── APIConnectionError
      │    └── APITimeoutError
      ├── APIResponseValidationError
      └── APIStatusError
           ├── BadRequestError              400
           ├── AuthenticationError          401
           ├── PermissionDeniedError        403
           ├── NotFoundError                404
           ├── ConflictError                409
           ├── UnprocessableEntityError     422
           ├── RateLimitError               429
           └── InternalServerError          >= 500
```

Besides these, a call raises only `ValueError`/`TypeError` for arguments that are wrong before anything
is sent, `RuntimeError` for a client used after it was closed (or closed while the call was in flight),
and `asyncio.CancelledError` or `KeyboardInterrupt`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .types._errors import ErrorDetail

if TYPE_CHECKING:
    from .types._inexplicit_number_orders import InexplicitNumberOrder
    from .types._number_orders import NumberOrderWithPhoneNumbers
    from .types._number_reservations import NumberReservation
    from .types._requirements import SubNumberOrdersReport

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "PurchaseError",
    "RateLimitError",
    "TelnyxError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "WebhookPayloadError",
    "WebhookVerificationError",
]


class TelnyxError(Exception):
    """Base class of every error telnyx_orders raises on its own account."""


class APIError(TelnyxError):
    """A call to the Telnyx API failed.

    `may_have_taken_effect` is true when a request that creates something was sent but no answer came
    back (or one that could not be read): what it creates may exist, and the call was deliberately not
    retried. The message then says what to check before trying again.
    """

    def __init__(self, message: str, *, method: str, url: str, may_have_taken_effect: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.may_have_taken_effect = may_have_taken_effect


class APIConnectionError(APIError):
    """No HTTP response arrived: the connection could not be made, or broke."""


class APITimeoutError(APIConnectionError):
    """The call's deadline, or an attempt's connect or read limit, passed without an answer."""


class APIResponseValidationError(APIError):
    """A successful response whose body is not JSON, not the shape the API documents, or too large.

    After a create, the 2xx says the order was placed even though its body could not be read, so
    `may_have_taken_effect` is set.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        body: object,
        may_have_taken_effect: bool = False,
    ) -> None:
        super().__init__(message, method=method, url=url, may_have_taken_effect=may_have_taken_effect)
        self.status_code = status_code
        self.body = body


class APIStatusError(APIError):
    """Telnyx answered with a 4xx or 5xx status.

    `errors` holds the parsed Telnyx `errors[]` envelope (empty when the body was not one, such as an HTML
    page from a proxy); `body` holds the decoded JSON, or the text when it was not JSON.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        headers: Mapping[str, str],
        body: object,
        errors: tuple[ErrorDetail, ...] = (),
        request_id: str | None = None,
        may_have_taken_effect: bool = False,
    ) -> None:
        super().__init__(message, method=method, url=url, may_have_taken_effect=may_have_taken_effect)
        self.status_code = status_code
        self.headers = headers
        self.body = body
        self.errors = errors
        self.request_id = request_id


class BadRequestError(APIStatusError):
    """400: the request was malformed."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but refused; `errors[].source.pointer` says where."""


class RateLimitError(APIStatusError):
    """429: too many requests; retried while retries and the deadline allow."""


class InternalServerError(APIStatusError):
    """5xx: Telnyx, or a proxy in front of it, failed."""


class WaitTimeoutError(TelnyxError, TimeoutError):
    """`wait()` ran out of time before the order (or report) finished; `last_seen` is the newest one
    fetched, of the type that `wait()` returns, or None if no poll succeeded."""

    def __init__(
        self,
        message: str,
        *,
        last_seen: InexplicitNumberOrder
        | NumberOrderWithPhoneNumbers
        | NumberReservation
        | SubNumberOrdersReport
        | None,
    ) -> None:
        super().__init__(message)
        self.last_seen = last_seen


class WebhookVerificationError(TelnyxError, ValueError):
    """A webhook did not pass `webhooks.unwrap()`: a header missing or malformed, a signature that does not
    match the payload and key, a timestamp outside the 300 s window, no usable key, or no `cryptography`
    (`pip install 'telnyx-orders[webhooks]'`). Nothing of the payload was parsed; answer it with a 4xx.
    """


class WebhookPayloadError(WebhookVerificationError):
    """A webhook whose signature is good but whose body is not the documented event (not JSON, or not
    the `NumberOrderWebhookEvent` shape); `body` holds the decoded JSON, or the text when it was not JSON.

    Like `APIResponseValidationError` for a response, it says where the body went wrong (`body.data.id`);
    it is a `WebhookVerificationError` because the event still cannot be trusted as one.
    """

    def __init__(self, message: str, *, body: object) -> None:
        super().__init__(message)
        self.body = body


class RequirementsPendingError(TelnyxError):
    """`wait()` stopped: the order's numbers wait for regulatory requirements, so polling would not end.

    `order` is the order as last fetched (what that `wait()` returns); `waiting` the ids of the number
    orders that wait (an inexplicit order's `retrieve_fulfillment()` shows which requirements they miss).
    Give the requirements with `number_orders.update()`, `sub_number_orders.update()` or
    `number_order_phone_numbers.update_requirements()`, then wait again.
    """

    def __init__(
        self,
        message: str,
        *,
        order: InexplicitNumberOrder | NumberOrderWithPhoneNumbers,
        waiting: tuple[str, ...],
    ) -> None:
        super().__init__(message)
        self.order = order
        self.waiting = waiting


class PurchaseError(TelnyxError):
    """`number_orders.buy()` stopped before the numbers were bought; the message says at which step.

    `reservation` is the reservation made, if one was (its numbers are left to expire: Telnyx has no
    call to release them); `order` the number order placed, if one was known to be. `may_have_ordered`
    is true when an order may exist although none was seen (its request was sent, the answer lost):
    it was not sent again, so the numbers are never bought twice. The error that stopped it, if any,
    is the `__cause__`.
    """

    def __init__(
        self,
        message: str,
        *,
        reservation: NumberReservation | None = None,
        order: NumberOrderWithPhoneNumbers | None = None,
        may_have_ordered: bool = False,
    ) -> None:
        super().__init__(message)
        self.reservation = reservation
        self.order = order
        self.may_have_ordered = may_have_ordered


_STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The most specific `APIStatusError` subclass for an HTTP status."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)
