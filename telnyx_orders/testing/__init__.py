"""A local, in-memory stand-in for the Telnyx number-ordering API, for tests.

``async with Sandbox() as sandbox:`` serves the API on a free loopback port at ``sandbox.base_url``;
seed it with ``sandbox.add_inexplicit_number_order()`` and friends, script failures with
``sandbox.faults`` and inspect what went on the wire with ``sandbox.requests``. Blocking callers use
``with Sandbox().serve_in_thread() as sandbox:``.

Orders created over HTTP (``POST /inexplicit_number_orders``, ``POST /number_orders``) are validated
as Telnyx validates them and then move from ``pending`` through ``processing`` to their outcome, one
``Sandbox(lifecycle_step=...)`` apart, drawing numbers from ``sandbox.set_inventory(...)`` pools.

A sandbox served in another process (``telnyx-orders sandbox``) is driven over its control API,
``/_sandbox/...`` beside ``/v2``, with the blocking :class:`RemoteSandbox`:
``RemoteSandbox(base_url, api_key).add_fault("status", status=503)``, ``.seed(...)``, ``.requests()``,
``.reset()`` and the rest mirror the in-process calls.

For pytest, installing the package registers the plugin :mod:`telnyx_orders.testing.pytest_plugin`,
whose fixtures ``telnyx_sandbox``, ``telnyx_client`` and ``async_telnyx_client`` give each test a fresh
sandbox and clients bound to it.

The sandbox speaks JSON over HTTP only: it shares no code with the client it tests.
"""

from __future__ import annotations

from telnyx_orders.testing._faults import Fault, FaultKind, FaultPlan
from telnyx_orders.testing._log import RecordedRequest
from telnyx_orders.testing._operations import OPERATIONS
from telnyx_orders.testing._ratelimit import RateLimitWindow
from telnyx_orders.testing._remote import RemoteSandbox
from telnyx_orders.testing._server import Sandbox, ThreadedSandbox
from telnyx_orders.testing._state import ResourceKind, SandboxState

__all__ = [
    "OPERATIONS",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "RateLimitWindow",
    "RecordedRequest",
    "RemoteSandbox",
    "ResourceKind",
    "Sandbox",
    "SandboxState",
    "ThreadedSandbox",
]
