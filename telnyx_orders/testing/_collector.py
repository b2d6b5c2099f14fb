"""A webhook receiver for tests: a sandbox whose events it verifies with the client and keeps.

Unlike the sandbox, which shares no code with the client it tests, the collector stands where a user's
webhook handler stands: it verifies each delivery with ``client.webhooks.unwrap``, as a handler should.
"""

from __future__ import annotations

import http.server
import threading
from typing import TYPE_CHECKING, cast

from telnyx_orders import Telnyx, WebhookVerificationError
from telnyx_orders.testing._server import Sandbox, ThreadedSandbox

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from telnyx_orders.types import NumberOrderWebhookEvent

MAX_BODY_BYTES = 1024 * 1024
"""The largest delivery the collector reads; the sandbox's own events are far smaller."""


class _Receiver(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, receive: Callable[[bytes, dict[str, str]], bool]) -> None:
        self.receive = receive
        """Keeps a delivery's body and headers; whether it was accepted."""
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 <= length <= MAX_BODY_BYTES:
            self._answer(413)
            return
        body = self.rfile.read(length)
        accepted = cast("_Receiver", self.server).receive(body, dict(self.headers.items()))
        self._answer(200 if accepted else 400)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the collector keeps what arrived, a test reads it there."""


class WebhookCollector:
    """A running :class:`Sandbox` whose webhook events are received on 127.0.0.1, verified, and kept.

    ``with WebhookCollector() as collector:`` starts a receiver in a thread of its own and a sandbox
    (served from another thread) whose ``webhook_url`` is that receiver; the pytest plugin's
    ``telnyx_webhooks`` fixture gives one to a test. Point a client at ``collector.sandbox`` (the
    sandbox sending its events here, running between :meth:`start` and :meth:`stop`), order numbers,
    then :meth:`wait` for the events. Each delivery is verified with ``client.webhooks.unwrap`` and the
    sandbox's :attr:`Sandbox.webhook_public_key`: a verified one is answered 200 and kept in
    :attr:`events`, any other answered 400 and its error kept in :attr:`rejected` (the sandbox then
    retries it). Needs ``pip install 'telnyx-orders[webhooks]'``.
    """

    def __init__(self, *, lifecycle_step: float = 0.05) -> None:
        self._receiver = _Receiver(self._receive)
        port = self._receiver.server_address[1]
        try:
            self.sandbox = Sandbox(
                webhook_url=f"http://127.0.0.1:{port}/webhooks", lifecycle_step=lifecycle_step
            )
        except BaseException:  # no cryptography: ImportError naming the extra
            self._receiver.server_close()
            raise
        self._arrived = threading.Condition()
        self._events: list[NumberOrderWebhookEvent] = []
        self._rejected: list[WebhookVerificationError] = []
        self._client: Telnyx | None = None
        self._serving: threading.Thread | None = None
        self._threaded: ThreadedSandbox | None = None

    def start(self) -> WebhookCollector:
        """Start receiving, then serving the sandbox; returns the collector."""
        if self._serving is not None:
            raise RuntimeError("the webhook collector is already running")
        serving = threading.Thread(
            target=self._receiver.serve_forever, name="telnyx-webhook-collector", daemon=True
        )
        serving.start()
        self._serving = serving
        try:
            self._threaded = self.sandbox.serve_in_thread()
            self._client = Telnyx(
                self.sandbox.api_key,
                base_url=self.sandbox.base_url,
                public_key=self.sandbox.webhook_public_key,
            )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the sandbox (its pending deliveries are cancelled), then the receiver, for good."""
        threaded, serving, client = self._threaded, self._serving, self._client
        self._threaded, self._serving, self._client = None, None, None
        if threaded is not None:
            threaded.stop()
        if client is not None:
            client.close()
        if serving is not None:
            self._receiver.shutdown()
            serving.join()
        self._receiver.server_close()

    def __enter__(self) -> WebhookCollector:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Where the sandbox POSTs its events."""
        url = self.sandbox.webhook_url
        assert url is not None  # set in __init__
        return url

    @property
    def events(self) -> list[NumberOrderWebhookEvent]:
        """The verified events received so far, oldest first, retries of one event included."""
        with self._arrived:
            return list(self._events)

    @property
    def rejected(self) -> list[WebhookVerificationError]:
        """Why each delivery that failed verification failed, oldest first (none, for the sandbox's own)."""
        with self._arrived:
            return list(self._rejected)

    def wait(self, count: int = 1, *, timeout: float = 10.0) -> list[NumberOrderWebhookEvent]:
        """Block until ``count`` verified events have arrived, and return :attr:`events` then.

        ``TimeoutError`` if fewer have after ``timeout`` seconds. From a coroutine:
        ``await asyncio.to_thread(collector.wait, 2)``.
        """
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._events) >= count, timeout):
                raise TimeoutError(
                    f"{len(self._events)} webhook events arrived in {timeout} s, not {count}"
                    + (f"; {len(self._rejected)} failed verification" if self._rejected else "")
                )
            return list(self._events)

    def _receive(self, body: bytes, headers: dict[str, str]) -> bool:
        client = self._client
        if client is None:  # stopping: the delivery is not kept, and the sandbox will not retry it
            return False
        try:
            event = client.webhooks.unwrap(body, headers=headers)
        except WebhookVerificationError as error:
            with self._arrived:
                self._rejected.append(error)
            return False
        with self._arrived:
            self._events.append(event)
            self._arrived.notify_all()
        return True
