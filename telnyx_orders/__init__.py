"""telnyx_orders: an asyncio-first SDK for Telnyx number ordering.

```python
from telnyx_orders import AsyncTelnyx, Telnyx

async with AsyncTelnyx() as client:
    order = (await client.inexplicit_number_orders.retrieve(order_id)).data

with Telnyx() as client:  # the same calls, blocking
    order = client.inexplicit_number_orders.retrieve(order_id).data
```
"""

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
