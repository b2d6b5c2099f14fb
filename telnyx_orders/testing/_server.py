"""Running the sandbox: on the caller's event loop, or on its own loop in a thread."""

from __future__ import annotations

import asyncio
import concurrent.futures
import ipaddress
import threading
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from telnyx_orders.testing._app import PREFIX, build_app
from telnyx_orders.testing._context import AppContext
from telnyx_orders.testing._faults import FaultPlan
from telnyx_orders.testing._operations import check_operation
from telnyx_orders.testing._ratelimit import RateLimitWindow
from telnyx_orders.testing._state import ResourceKind, SandboxState

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._log import RecordedRequest

SHUTDOWN_TIMEOUT = 1.0
"""Seconds ``close()`` waits for requests in flight before cancelling them."""


def _loopback(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"host must be a literal loopback address such as 127.0.0.1, got {host!r}") from None
    if not address.is_loopback:
        raise ValueError(f"the sandbox only binds loopback addresses, got {host!r}")
    return address


class Sandbox:
    """A stateful, in-memory stand-in for the Telnyx number-ordering API, served over real HTTP.

    ``async with Sandbox() as sandbox:`` listens on a free loopback port; point a client at
    :attr:`base_url` with :attr:`api_key`. Seed documents with the ``add_*`` helpers or
    :meth:`seed_raw`, script failures with :attr:`faults` and inspect :attr:`requests`.

    Orders created over HTTP follow the Telnyx lifecycle: every ordering group is ``pending`` in the
    create response, ``processing`` once :attr:`lifecycle_step` seconds of ``clock`` have passed
    (its linked number order appears then), and ``success``, ``partial_success`` or ``failed`` one
    step later, as decided by the inventory (:meth:`set_inventory`) and the group's ``strategy``.
    The state moves only when a request arrives, never in the background; ``clock`` (a monotonic
    clock in seconds) is what it reads, so a test may pass a fake one and move it by hand. Lists
    answer oldest first (insertion order), filtered by the spec's ``filter[...]`` parameters.
    """

    def __init__(
        self,
        *,
        api_key: str = "sandbox-api-key",
        host: str = "127.0.0.1",
        port: int = 0,
        lifecycle_step: float = 0.05,
        default_inventory: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        self._address = _loopback(host)
        self.api_key = api_key
        self.host = host
        self._requested_port = port
        self.state = SandboxState(
            lifecycle_step=lifecycle_step, default_inventory=default_inventory, clock=clock
        )
        self.faults = FaultPlan()
        self.requests: list[RecordedRequest] = []
        """Every request received, in arrival order."""
        self.rate_limit = RateLimitWindow()
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        self._port: int | None = None

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._runner is not None

    @property
    def port(self) -> int:
        """The bound port; ``RuntimeError`` unless running."""
        if self._port is None:
            raise RuntimeError("the sandbox is not running; use 'async with Sandbox()' or start()")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT/v2``, the client's base URL; ``RuntimeError`` unless running."""
        host = f"[{self._address}]" if self._address.version == 6 else str(self._address)
        return f"http://{host}:{self.port}{PREFIX}"

    async def start(self) -> None:
        """Start listening; ``RuntimeError`` if already running."""
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        closing = asyncio.Event()
        context = AppContext(
            self.api_key, self.state, self.faults, self.requests, self.rate_limit, closing, self.reset
        )
        runner = web.AppRunner(build_app(context), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self._requested_port).start()
        except BaseException:
            await runner.cleanup()
            raise
        address: tuple[Any, ...] = runner.addresses[0]
        self._runner, self._closing, self._port = runner, closing, int(address[1])

    async def close(self) -> None:
        """Stop listening and close every connection; state, faults and the request log stay."""
        runner, closing = self._runner, self._closing
        if runner is None or closing is None:
            return
        self._runner, self._closing, self._port = None, None, None
        closing.set()
        await runner.cleanup()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    def serve_in_thread(self, *, timeout: float = 10.0) -> ThreadedSandbox:
        """Start serving on a new event loop in a daemon thread; returns once listening.

        ``with Sandbox().serve_in_thread() as sandbox:`` stops the server and joins the thread on exit.
        """
        threaded = ThreadedSandbox(self, timeout=timeout)
        threaded.start()
        return threaded

    def add_inexplicit_number_order(self, **overrides: Any) -> JSONDict:
        """Store a fulfilled inexplicit number order with linked orders; see :class:`SandboxState`."""
        return self.state.add_inexplicit_number_order(**overrides)

    def add_number_order(self, **overrides: Any) -> JSONDict:
        """Store a number order with a linked sub number order; see :class:`SandboxState`."""
        return self.state.add_number_order(**overrides)

    def add_sub_number_order(self, **overrides: Any) -> JSONDict:
        """Store a sub number order with its phone numbers; see :class:`SandboxState`."""
        return self.state.add_sub_number_order(**overrides)

    def seed_raw(self, kind: ResourceKind, doc: JSONDict, *, id: str | None = None) -> JSONDict:
        """Store ``doc`` exactly as given under ``id`` (default ``doc["id"]``)."""
        return self.state.seed_raw(kind, doc, id=id)

    @property
    def lifecycle_step(self) -> float:
        """Seconds an order spends pending, then processing, before its terminal status (>= 0).

        With 0 the create response still says ``pending`` and the next request sees the end. A change
        applies to orders already in flight.
        """
        return self.state.lifecycle_step

    @lifecycle_step.setter
    def lifecycle_step(self, seconds: float) -> None:
        self.state.lifecycle_step = seconds

    @property
    def default_inventory(self) -> int:
        """How many numbers a pool never set holds when an order first draws from it (>= 0)."""
        return self.state.default_inventory

    @default_inventory.setter
    def default_inventory(self, count: int) -> None:
        self.state.default_inventory = count

    def set_inventory(
        self,
        country_iso: str,
        phone_number_type: str,
        count: int,
        *,
        national_destination_code: str | None = None,
    ) -> None:
        """Make a pool hold ``count`` numbers.

        Pools are per country, number type and area code: an ordering group draws from the pool of
        its own ``national_destination_code``, or from the pool without one (``None``) when it names
        none. ``ValueError`` for a pool no order could use (a country other than US/CA, say).
        """
        self.state.set_inventory(
            country_iso, phone_number_type, count, national_destination_code=national_destination_code
        )

    def inventory(
        self, country_iso: str, phone_number_type: str, *, national_destination_code: str | None = None
    ) -> int:
        """Numbers left in a pool; :attr:`default_inventory` for one no order has drawn from yet."""
        return self.state.inventory(
            country_iso, phone_number_type, national_destination_code=national_destination_code
        )

    def requests_to(self, operation: str) -> list[RecordedRequest]:
        """The recorded requests routed to ``operation`` (an operationId), in order."""
        check_operation(operation)
        return [request for request in list(self.requests) if request.operation == operation]

    def reset(self) -> None:
        """Forget every document, order in flight, inventory level, fault and recorded request, and
        start a new rate-limit window.

        The knobs (:attr:`lifecycle_step`, :attr:`default_inventory`) stay as they are.
        """
        self.state.clear()
        self.faults.clear()
        self.requests.clear()
        self.rate_limit.restart()


class ThreadedSandbox:
    """A :class:`Sandbox` served by its own event loop in a daemon thread, for blocking callers.

    Usually made by :meth:`Sandbox.serve_in_thread`. Seeding, faults and the request log are
    thread-safe to use from the caller's thread while it runs.
    """

    def __init__(self, sandbox: Sandbox, *, timeout: float = 10.0) -> None:
        self.sandbox = sandbox
        self.timeout = timeout
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    def start(self) -> Sandbox:
        """Start the thread and block until the server listens; returns the sandbox."""
        if self._thread is not None:
            raise RuntimeError("the threaded sandbox is already running")
        started: concurrent.futures.Future[None] = concurrent.futures.Future()
        thread = threading.Thread(target=self._run, args=(started,), name="telnyx-sandbox", daemon=True)
        thread.start()
        try:
            started.result(self.timeout)
        except concurrent.futures.TimeoutError:
            raise RuntimeError(f"the sandbox did not start within {self.timeout} s") from None
        except BaseException:
            thread.join(self.timeout)
            raise
        self._thread = thread
        return self.sandbox

    def _run(self, started: concurrent.futures.Future[None]) -> None:
        asyncio.run(self._serve(started))

    async def _serve(self, started: concurrent.futures.Future[None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            await self.sandbox.start()
        except BaseException as exc:
            started.set_exception(exc)
            return
        started.set_result(None)
        try:
            await self._stop.wait()
        finally:
            await self.sandbox.close()

    def stop(self) -> None:
        """Close the server and join its thread; a no-op unless running."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None or loop is None or stop is None:
            return
        self._thread = None
        loop.call_soon_threadsafe(stop.set)
        thread.join(self.timeout)
        if thread.is_alive():
            raise RuntimeError(f"the sandbox thread did not stop within {self.timeout} s")

    def __enter__(self) -> Sandbox:
        return self.sandbox if self._thread is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
