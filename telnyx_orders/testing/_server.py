"""Running the sandbox: on the caller's event loop, or on its own loop in a thread."""

from __future__ import annotations

import asyncio
import concurrent.futures
import errno
import ipaddress
import logging
import os
import socket
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

from aiohttp import web

from telnyx_orders.testing._app import PREFIX, build_app
from telnyx_orders.testing._context import AppContext
from telnyx_orders.testing._deadline import READ_TIMEOUT, ReadDeadlines
from telnyx_orders.testing._deliveries import WebhookDeliveryLog
from telnyx_orders.testing._documents import check_key
from telnyx_orders.testing._errors import error_response
from telnyx_orders.testing._faults import FaultPlan
from telnyx_orders.testing._holds import RESERVATION_HOLD
from telnyx_orders.testing._inventory import PoolKey
from telnyx_orders.testing._log import DEFAULT_LIMIT, RequestLog
from telnyx_orders.testing._operations import check_operation
from telnyx_orders.testing._pacer import Pacer
from telnyx_orders.testing._ratelimit import RateLimitWindow
from telnyx_orders.testing._resources import resource_of
from telnyx_orders.testing._state import SandboxState
from telnyx_orders.testing._surface import SandboxControls
from telnyx_orders.testing._webhooks import WebhookSender, check_webhook_url, new_signer

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from telnyx_orders.testing._log import RecordedRequest
    from telnyx_orders.testing._operations import Operation

SHUTDOWN_TIMEOUT = 1.0
"""Seconds ``close()`` waits for requests in flight before cancelling them."""
BACKLOG = 1024
"""Connections the listening socket queues before accepting them: a burst of clients is not refused."""
DEFAULT_API_KEY = "sandbox-api-key"
OUT_OF_DESCRIPTORS_EVERY = 60.0
"""Seconds between two warnings that accept() finds no free file descriptor."""
KEEPALIVE_TIMEOUT = 75.0
"""Seconds an idle connection stays open: aiohttp's default until 3.14 (which waits an hour). It also
bounds the one request the read deadline cannot see, one pipelined behind another in the same chunk."""
ACCEPT_RETRY_DELAY = 1.0
"""Seconds the listener waits before it accepts again, after accept() failed for want of a descriptor."""
ACCEPTS_PER_WAKE = 128
"""Connections accepted at most each time the listening socket is ready, so that accepting takes turns."""
_OUT_OF_DESCRIPTORS = (errno.EMFILE, errno.ENFILE)

logger = logging.getLogger("telnyx_orders.testing")


class _Listener:
    """The listening socket: it accepts each connection for aiohttp, and waits while it cannot.

    It stands in for ``loop.create_server()``, whose accept loop, while accept() finds no free file
    descriptor, logs a traceback up to ``backlog`` times a second, and logs as many again if the server
    closes within that second (the retries it scheduled find the socket gone). This one logs a warning
    line at most once a minute, tries again each second until descriptors are free, and closes cleanly.
    Connections wait in the kernel's queue meanwhile. It needs a loop with ``add_reader``.
    """

    def __init__(self, sock: socket.socket, protocol_factory: Callable[[], asyncio.Protocol]) -> None:
        self._loop = asyncio.get_running_loop()
        sock.setblocking(False)
        self._sock = sock
        self._fd = sock.fileno()
        self._protocol_factory = protocol_factory
        self._retry: asyncio.TimerHandle | None = None
        self._last_warning: float | None = None
        self._connecting: set[asyncio.Task[None]] = set()
        self._loop.add_reader(self._fd, self._accept)  # NotImplementedError on a proactor loop

    def _accept(self) -> None:
        for _ in range(ACCEPTS_PER_WAKE):
            try:
                connection, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as exc:
                self._wait(exc)
                return
            task = self._loop.create_task(self._connect(connection))
            self._connecting.add(task)
            task.add_done_callback(self._connecting.discard)

    async def _connect(self, connection: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(self._protocol_factory, connection)
        except OSError:  # the client left before its transport was made
            connection.close()
        except BaseException:
            connection.close()
            raise

    def _wait(self, exc: OSError) -> None:
        """Stop accepting for a while (the socket stays ready, so accepting on would spin), say why."""
        self._loop.remove_reader(self._fd)
        self._retry = self._loop.call_later(ACCEPT_RETRY_DELAY, self._resume)
        now = self._loop.time()
        if self._last_warning is None or now - self._last_warning >= OUT_OF_DESCRIPTORS_EVERY:
            self._last_warning = now
            if exc.errno in _OUT_OF_DESCRIPTORS:
                logger.warning(
                    "the sandbox is out of file descriptors; new connections wait for some to close"
                )
            else:
                logger.warning("the sandbox cannot accept connections (%s); they wait until it can", exc)

    def _resume(self) -> None:
        self._retry = None
        self._loop.add_reader(self._fd, self._accept)

    def close(self) -> None:
        """Stop listening; connections being set up are closed, those already made are aiohttp's."""
        if self._retry is None:
            self._loop.remove_reader(self._fd)
        else:
            self._retry.cancel()
            self._retry = None
        for task in self._connecting:
            task.cancel()
        self._sock.close()


class _Protocol(web.RequestHandler):
    """aiohttp's protocol for one connection, answering a request it cannot parse (a bad request line,
    a header over 8 KiB, too many headers, a bad ``Content-Length``) in the Telnyx error envelope
    rather than plain text, and logging it at debug level rather than as a traceback."""

    __slots__ = ()

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if request.writer.output_size > 0:  # an answer has begun: aiohttp's handling ends the connection
            return super().handle_error(request, status, exc, message)
        logger.debug("the sandbox answered %s to a request it could not read: %s", status, message or exc)
        response = error_response(status, headers={"x-request-id": str(uuid.uuid4())})
        response.force_close()
        return response


def _bind(host: str, port: int, version: int) -> socket.socket:
    """A socket listening on ``host:port``; one that cannot bind raises what loop.create_server() does."""
    address = (host, port)
    family = socket.AF_INET6 if version == 6 else socket.AF_INET
    try:
        return socket.create_server(address, family=family, backlog=BACKLOG)
    except OSError as exc:
        if exc.errno is None:
            raise
        reason = os.strerror(exc.errno).lower()
        raise OSError(exc.errno, f"error while attempting to bind on address {address!r}: {reason}") from None


async def _listen(
    sock: socket.socket, protocol_factory: Callable[[], asyncio.Protocol]
) -> _Listener | asyncio.Server:
    """Serve connections to ``sock`` with a :class:`_Listener`, or asyncio's server where it cannot."""
    try:
        return _Listener(sock, protocol_factory)
    except NotImplementedError:  # pragma: no cover - a loop without add_reader: Windows' proactor
        try:
            return await asyncio.get_running_loop().create_server(
                protocol_factory, sock=sock, backlog=BACKLOG
            )
        except BaseException:
            sock.close()
            raise


def _loopback(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"host must be a literal loopback address such as 127.0.0.1, got {host!r}") from None
    if not address.is_loopback:
        raise ValueError(f"the sandbox only binds loopback addresses, got {host!r}")
    return address


class Sandbox(SandboxControls):
    """A stateful, in-memory stand-in for the Telnyx number-ordering API, served over real HTTP.

    ``async with Sandbox() as sandbox:`` listens on a free loopback port; point a client at
    :attr:`base_url` with :attr:`api_key`. Seed documents with :meth:`seed` (or the ``add_*``
    shorthands) and :meth:`seed_raw`, script failures with :attr:`faults` and inspect
    :attr:`requests`. :class:`RemoteSandbox` offers the same calls for a sandbox in another process.

    Orders created over HTTP follow the Telnyx lifecycle: every ordering group is ``pending`` in the
    create response, ``processing`` once :attr:`lifecycle_step` seconds of ``clock`` have passed
    (its linked number order appears then), and ``success``, ``partial_success`` or ``failed`` one
    step later, as decided by the inventory (:meth:`set_inventory`) and the group's ``strategy``.
    Searches, reservations and orders draw on that one stock; a reservation holds its numbers for
    ``reservation_hold`` seconds of ``clock`` (30 minutes, as Telnyx documents).
    The state moves only when a request arrives (and, with a ``webhook_url``, as each step comes
    due); ``clock`` (a monotonic clock in seconds) is what it reads, so a test may pass a fake one and
    move it by hand. Lists
    answer oldest first (insertion order), filtered by the spec's ``filter[...]`` parameters.

    As a server it checks the key before it reads a body, reads at most 1 MiB of one, closes a
    connection whose request has not arrived in full within ``read_timeout`` seconds, and keeps the
    newest ``request_log_limit`` requests (as many as fit in 64 MiB). Out of file descriptors, it
    logs one warning a minute and accepts again as they free up.

    With a ``webhook_url`` (an http(s) URL to a loopback address), each number order created over HTTP
    (directly or by an inexplicit order) is POSTed there as a signed ``number_order.complete`` event
    when it reaches a final status, in the background, retried while the receiver fails; orders then
    move as their steps come due, with no request needed. :attr:`webhook_public_key` verifies the
    signatures and :attr:`webhook_deliveries` records every attempt. It needs the ``cryptography``
    package: ``pip install 'telnyx-orders[webhooks]'`` (``ImportError`` without it).
    """

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        host: str = "127.0.0.1",
        port: int = 0,
        lifecycle_step: float = 0.05,
        default_inventory: int = 1000,
        reservation_hold: float = RESERVATION_HOLD,
        clock: Callable[[], float] = time.monotonic,
        request_log_limit: int = DEFAULT_LIMIT,
        read_timeout: float = READ_TIMEOUT,
        webhook_url: str | None = None,
    ) -> None:
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("api_key must be a non-empty string")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port must be an integer from 0 to 65535 (0: any free port), got {port!r}")
        self._address = _loopback(host)
        if webhook_url is not None:
            webhook_url = check_webhook_url(webhook_url)
        self.api_key = api_key
        self.host = host
        self._requested_port = port
        self._state = SandboxState(
            lifecycle_step=lifecycle_step,
            default_inventory=default_inventory,
            reservation_hold=reservation_hold,
            clock=clock,
        )
        self._deadlines = ReadDeadlines(read_timeout)
        self.faults = FaultPlan()
        self.requests = RequestLog(request_log_limit)
        self._rate_limit = RateLimitWindow()
        self.webhook_url = webhook_url
        """Where number-order events are POSTed; ``None``: nowhere."""
        self.webhook_deliveries = WebhookDeliveryLog()
        self._webhooks: WebhookSender | None = None
        self._pacer: Pacer | None = None
        if webhook_url is not None:
            self._webhooks = WebhookSender(webhook_url, new_signer(), self.webhook_deliveries)
            self._state.number_order_final = self._webhooks.announce
        self._runner: web.AppRunner | None = None
        self._listener: _Listener | asyncio.Server | None = None
        self._closing: asyncio.Event | None = None
        self._port: int | None = None

    def __repr__(self) -> str:
        where = f"at {self.base_url}" if self.running else "not running"
        return f"<Sandbox {where}>"

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
        """Start listening; ``RuntimeError`` if already running, ``OSError`` if the port is taken."""
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        closing = asyncio.Event()
        context = AppContext(
            self.api_key,
            self._state,
            self.faults,
            self.requests,
            self._rate_limit,
            closing,
            self.reset,
            self.webhook_url,
            self.webhook_public_key,
            self.webhook_deliveries,
            self._webhooks,
        )
        runner = web.AppRunner(
            build_app(context, self._deadlines), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        server = runner.server
        assert server is not None  # set by setup()
        loop = asyncio.get_running_loop()

        def protocol() -> asyncio.Protocol:  # what server() makes, but for the errors it answers
            return _Protocol(
                server,
                loop=loop,
                access_log=None,  # type: ignore[arg-type]  # as the runner's
                keepalive_timeout=KEEPALIVE_TIMEOUT,
            )

        try:
            sock = _bind(self.host, self._requested_port, self._address.version)
            listener = await _listen(sock, self._deadlines.wrap(protocol))
        except BaseException:
            await runner.cleanup()
            raise
        address: tuple[Any, ...] = sock.getsockname()
        self._runner, self._listener, self._closing = runner, listener, closing
        self._port = int(address[1])
        if self._webhooks is not None:
            await self._webhooks.start()
            self._pacer = Pacer(self._state)
            self._pacer.start()

    async def close(self) -> None:
        """Stop listening and close every connection; documents, faults and the request log stay."""
        runner, listener, closing = self._runner, self._listener, self._closing
        if runner is None or listener is None or closing is None:
            return
        self._runner, self._listener, self._closing, self._port = None, None, None, None
        pacer, self._pacer = self._pacer, None
        closing.set()
        listener.close()
        if pacer is not None:
            await pacer.close()
        await runner.cleanup()
        if self._webhooks is not None:
            await self._webhooks.close()

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

    def seed(self, kind: str, **overrides: Any) -> dict[str, Any]:
        resource = resource_of(kind)
        return resource.seed_with(self._state, overrides)

    def seed_raw(self, kind: str, doc: dict[str, Any], *, id: str | None = None) -> dict[str, Any]:
        resource = resource_of(kind)
        key = check_key(doc) if id is None else id
        with self._state.lock:
            self._state.table(resource.kind)[key] = doc
        return doc

    def documents(self, kind: str) -> dict[str, dict[str, Any]]:
        resource = resource_of(kind)
        with self._state.lock:
            self._state.advance()
            return dict(self._state.table(resource.kind))

    @property
    def lifecycle_step(self) -> float:
        return self._state.lifecycle_step

    @lifecycle_step.setter
    def lifecycle_step(self, seconds: float) -> None:
        self._state.lifecycle_step = seconds

    @property
    def reservation_hold(self) -> float:
        return self._state.reservation_hold

    @reservation_hold.setter
    def reservation_hold(self, seconds: float) -> None:
        self._state.reservation_hold = seconds

    @property
    def default_inventory(self) -> int:
        return self._state.default_inventory

    @default_inventory.setter
    def default_inventory(self, count: int) -> None:
        self._state.default_inventory = count

    def set_inventory(
        self,
        country_iso: str,
        phone_number_type: str,
        count: int,
        *,
        national_destination_code: str | None = None,
    ) -> None:
        self._state.set_inventory(PoolKey(country_iso, phone_number_type, national_destination_code), count)

    def inventory(
        self, country_iso: str, phone_number_type: str, *, national_destination_code: str | None = None
    ) -> int:
        return self._state.inventory(PoolKey(country_iso, phone_number_type, national_destination_code))

    def requests_to(self, operation: Operation) -> list[RecordedRequest]:
        check_operation(operation)
        return self.requests.to(operation)

    @property
    def webhook_public_key(self) -> str | None:
        return None if self._webhooks is None else self._webhooks.signer.public_key

    def reset(self) -> None:
        self._state.clear()
        self.faults.clear()
        self.requests.clear()
        if self._webhooks is not None:
            self._webhooks.forget()
        self.webhook_deliveries.clear()
        self._rate_limit.restart()


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
