"""telnyx_orders: an asyncio-first SDK for Telnyx number ordering.

```python
from telnyx_orders import AsyncTelnyx, Telnyx

async with AsyncTelnyx() as client:
    order = (await client.inexplicit_number_orders.retrieve(order_id)).data

with Telnyx() as client:  # the same calls, blocking
    order = client.inexplicit_number_orders.retrieve(order_id).data
```
"""

from typing import TYPE_CHECKING

from . import types as types  # `telnyx_orders.types.X` after `import telnyx_orders`, as ever: it is lazy too
from ._lazy import lazy_exports

if TYPE_CHECKING:
    from ._client import AsyncTelnyx
    from ._errors import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConflictError,
        InternalServerError,
        NotFoundError,
        PermissionDeniedError,
        PurchaseError,
        RateLimitError,
        RequirementsPendingError,
        TelnyxError,
        UnprocessableEntityError,
        WaitTimeoutError,
        WebhookPayloadError,
        WebhookVerificationError,
    )
    from ._pagination import AsyncPage, AsyncPaginator, AsyncSearch
    from ._response import APIResponse
    from ._retry import RetryPolicy
    from ._sync import SyncPage, Telnyx
    from ._sync._runtime import BlockingCallInEventLoopWarning, DeadlockError
    from ._timeouts import Timeout
    from ._transport import AsyncTransport, HTTPRequest, HTTPResponse, MockTransport
    from ._version import __version__

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncSearch",
    "AsyncTelnyx",
    "AsyncTransport",
    "AuthenticationError",
    "BadRequestError",
    "BlockingCallInEventLoopWarning",
    "ConflictError",
    "DeadlockError",
    "HTTPRequest",
    "HTTPResponse",
    "InternalServerError",
    "MockTransport",
    "NotFoundError",
    "PermissionDeniedError",
    "PurchaseError",
    "RateLimitError",
    "RequirementsPendingError",
    "RetryPolicy",
    "SyncPage",
    "Telnyx",
    "TelnyxError",
    "Timeout",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "__version__",
]

# Imported on first use. Measured (min of 20 fresh processes, Python 3.11): `import telnyx_orders.types`
# (or `.webhooks`, `.testing`) takes 17-18 ms less, loading no client; an async program never loads the
# blocking facade (1 ms).
_EXPORTS = {
    "._client": ("AsyncTelnyx",),
    "._errors": (
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
        "RequirementsPendingError",
        "TelnyxError",
        "UnprocessableEntityError",
        "WaitTimeoutError",
        "WebhookPayloadError",
        "WebhookVerificationError",
    ),
    "._pagination": ("AsyncPage", "AsyncPaginator", "AsyncSearch"),
    "._response": ("APIResponse",),
    "._retry": ("RetryPolicy",),
    "._sync": ("SyncPage", "Telnyx"),
    "._sync._runtime": ("BlockingCallInEventLoopWarning", "DeadlockError"),
    "._timeouts": ("Timeout",),
    "._transport": ("AsyncTransport", "HTTPRequest", "HTTPResponse", "MockTransport"),
    "._version": ("__version__",),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
