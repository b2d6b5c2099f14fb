"""What a running sandbox app shares with its middlewares and handlers."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from aiohttp import web

from telnyx_orders.testing._deliveries import WebhookDeliveryLog

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Callable

    from telnyx_orders.testing._faults import FaultPlan
    from telnyx_orders.testing._log import RequestLog
    from telnyx_orders.testing._ratelimit import RateLimitWindow
    from telnyx_orders.testing._state import SandboxState
    from telnyx_orders.testing._webhooks import WebhookSender


@dataclasses.dataclass(frozen=True)
class AppContext:
    """The sandbox's state, faults and request log, as the app sees them."""

    api_key: str
    state: SandboxState
    faults: FaultPlan
    requests: RequestLog
    rate_limit: RateLimitWindow
    closing: asyncio.Event
    """Set when the sandbox closes, to cut latency faults short."""
    reset: Callable[[], None]
    """Forget everything, as :meth:`Sandbox.reset` does (the control API's ``POST /_sandbox/reset``)."""
    webhook_url: str | None = None
    """Where number-order events go, if anywhere."""
    webhook_public_key: str | None = None
    """The base64 key that verifies them."""
    webhook_deliveries: WebhookDeliveryLog = dataclasses.field(default_factory=WebhookDeliveryLog)
    """Every attempt to deliver them."""
    webhook_sender: WebhookSender | None = None
    """What delivers them, when there is a webhook URL."""


CONTEXT = web.AppKey("telnyx_orders.testing.context", AppContext)
