"""A local, in-memory stand-in for the Telnyx number-ordering API, for tests.

``async with Sandbox() as sandbox:`` serves the API on a free loopback port at ``sandbox.base_url``;
seed it with ``sandbox.seed("number_orders")`` (or ``sandbox.add_number_order()`` and friends),
script failures with ``sandbox.faults`` and inspect what went on the wire with ``sandbox.requests``.
Blocking callers use ``with Sandbox().serve_in_thread() as sandbox:``.

Orders created over HTTP are validated as the spec and Telnyx's documentation say, and then move
from ``pending`` through ``processing`` to their outcome, one ``Sandbox(lifecycle_step=...)`` apart,
drawing numbers from ``sandbox.set_inventory(...)`` pools. The operations served are
:data:`OPERATIONS`, named by :data:`Operation`.

A sandbox served in another process (``telnyx-orders sandbox``) is driven over its control API,
``/_sandbox/...`` beside ``/v2``, by :class:`RemoteSandbox`, which offers the same calls with the same
types (:class:`SandboxControls`): ``RemoteSandbox(base_url, api_key).faults.status(503)``,
``.seed(...)``, ``.requests``, ``.reset()``.

For pytest, installing the package registers the plugin :mod:`telnyx_orders.testing.pytest_plugin`,
whose fixtures ``telnyx_sandbox``, ``telnyx_client`` and ``async_telnyx_client`` give each test a fresh
sandbox and clients bound to it.

With ``Sandbox(webhook_url=...)`` each number order reaching a final status is POSTed there as a
``number_order.complete`` event signed with the key :attr:`Sandbox.webhook_public_key` verifies
(this needs ``pip install 'telnyx-orders[webhooks]'``); :attr:`Sandbox.webhook_deliveries` records
each attempt (:class:`WebhookDelivery`). :class:`WebhookCollector` (the plugin's ``telnyx_webhooks``
fixture) receives and verifies a sandbox's events for a test.

The sandbox speaks JSON over HTTP only: it shares no code with the client it tests.
"""

from __future__ import annotations

from telnyx_orders.testing._collector import WebhookCollector
from telnyx_orders.testing._deliveries import WebhookDelivery, WebhookDeliveryLog
from telnyx_orders.testing._faults import Fault, FaultKind, FaultPlan
from telnyx_orders.testing._log import RecordedRequest, RequestLog
from telnyx_orders.testing._operations import OPERATIONS, Operation
from telnyx_orders.testing._remote import RemoteSandbox
from telnyx_orders.testing._server import Sandbox, ThreadedSandbox
from telnyx_orders.testing._surface import SandboxControls

__all__ = [
    "OPERATIONS",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "Operation",
    "RecordedRequest",
    "RemoteSandbox",
    "RequestLog",
    "Sandbox",
    "SandboxControls",
    "ThreadedSandbox",
    "WebhookCollector",
    "WebhookDelivery",
    "WebhookDeliveryLog",
]
