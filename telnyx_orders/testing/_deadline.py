"""A deadline on reading each request, so a client that sends half a request and stalls is dropped.

aiohttp bounds idle keep-alive connections but not a request that arrives slowly: its headers, or a
body its handler is waiting for. :class:`ReadDeadline` wraps aiohttp's protocol; the deadline starts
with a connection and with the first bytes of each request, and the app stops it once it has read the
whole request (:meth:`ReadDeadlines.request_read`). When it passes, the connection is closed.

A request pipelined behind another and stalled escapes it when its first bytes arrive before the other
is read (the wrapper cannot tell them apart without parsing HTTP); aiohttp's keep-alive timeout bounds it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

READ_TIMEOUT = 10.0
"""Seconds a request may take to arrive, headers and body, before its connection is closed."""


class ReadDeadlines:
    """The deadline of each open connection, found by its transport."""

    def __init__(self, timeout: float = READ_TIMEOUT) -> None:
        if not timeout > 0:
            raise ValueError(f"read_timeout must be a positive number of seconds, got {timeout!r}")
        self.timeout = timeout
        self._open: dict[asyncio.BaseTransport, ReadDeadline] = {}

    def wrap(self, protocol_factory: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        """A protocol factory whose connections each read under a deadline."""
        return lambda: ReadDeadline(protocol_factory(), self)

    def request_read(self, transport: asyncio.BaseTransport | None) -> None:
        """Stop the deadline of ``transport``'s connection: its request has arrived in full."""
        deadline = self._open.get(transport) if transport is not None else None
        if deadline is not None:
            deadline.stop()

    def track(self, transport: asyncio.BaseTransport, deadline: ReadDeadline | None) -> None:
        """Note the deadline of a connection just made, or (``None``) forget one just lost."""
        if deadline is None:
            self._open.pop(transport, None)
        else:
            self._open[transport] = deadline


class ReadDeadline(asyncio.Protocol):
    """aiohttp's protocol for one connection, behind a read deadline."""

    def __init__(self, inner: asyncio.Protocol, deadlines: ReadDeadlines) -> None:
        self._inner = inner
        self._deadlines = deadlines
        self._transport: asyncio.BaseTransport | None = None
        self._timer: asyncio.TimerHandle | None = None

    def _start(self) -> None:
        if self._timer is None and self._transport is not None:
            self._timer = asyncio.get_running_loop().call_later(self._deadlines.timeout, self._expire)

    def stop(self) -> None:
        """Stop the deadline until the next request's first bytes."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self) -> None:
        self._timer = None
        if self._transport is not None:
            self._transport.close()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport
        self._deadlines.track(transport, self)
        self._start()
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        self._start()
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self.stop()
        if self._transport is not None:
            self._deadlines.track(self._transport, None)
        self._transport = None
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()
