"""The record of the requests a sandbox received: each one as it arrived, the newest few thousand."""

from __future__ import annotations

import collections
import dataclasses
import itertools
import json
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from collections.abc import Iterator

    from telnyx_orders.testing._faults import Fault
    from telnyx_orders.testing._operations import Operation

T = TypeVar("T")

DEFAULT_LIMIT = 10_000
"""How many requests a log keeps by default before it drops the oldest."""
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""How many bytes of requests (bodies, headers, paths and queries) a log keeps by default before it drops
the oldest: a client sending 1 MiB bodies, with the sandbox's well-known key, cannot fill memory."""


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """One authenticated request as it arrived on the wire, recorded before any fault fired."""

    method: str
    path: str
    """The decoded path, ``/v2`` prefix included."""
    query: list[tuple[str, str]]
    """Query parameters as ``(name, value)`` pairs, in order, repeats kept."""
    headers: dict[str, str]
    """Request headers with lower-cased names."""
    body: bytes
    operation: Operation | None
    """The operationId of the matched route, ``None`` for an unknown route."""
    request_id: str
    """The ``x-request-id`` sent back (unused when a fault drops the connection)."""
    fault: Fault | None = None
    """The fault that fired on this request, if any."""
    raw_path: str = ""
    """The path exactly as sent, percent-encoding intact."""

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


def _size(request: RecordedRequest) -> int:
    """About how many bytes ``request`` holds: its body, headers, paths and query."""
    pairs = [*request.headers.items(), *request.query]
    return (
        len(request.body) + len(request.path) + len(request.raw_path) + sum(map(len, itertools.chain(*pairs)))
    )


class LiveView(Sequence[T]):
    """A sequence read through `snapshot()`, which a subclass takes under its lock: what a thread iterates,
    indexes or compares is a list of its own, whatever the server records meanwhile."""

    def snapshot(self) -> list[T]:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.snapshot())

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        return self.snapshot()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self.snapshot())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (str, bytes)) or not isinstance(other, Sequence):
            return NotImplemented
        return self.snapshot() == list(other)  # pyright: ignore[reportUnknownArgumentType]

    __hash__ = None  # type: ignore[assignment]


class RequestLog(LiveView[RecordedRequest]):
    """The requests a sandbox received, oldest first: at most :attr:`limit` of them holding at most
    :attr:`max_bytes` (the newest one is always kept), the oldest dropped first.

    A live, thread-safe view: ``len(sandbox.requests)``, ``sandbox.requests[-1]`` and iteration see
    the requests recorded so far (iteration goes over a copy taken when it starts). It compares equal
    to any sequence of the same requests, so ``sandbox.requests == []`` holds for a fresh sandbox.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"the request log limit must be a positive integer, got {limit!r}")
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError(f"the request log's max_bytes must be a positive integer, got {max_bytes!r}")
        self._limit = limit
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: collections.deque[tuple[RecordedRequest, int]] = collections.deque()
        self._bytes = 0
        self._dropped = 0

    @property
    def limit(self) -> int:
        """How many requests the log keeps."""
        return self._limit

    @property
    def max_bytes(self) -> int:
        """About how many bytes of requests the log keeps."""
        return self._max_bytes

    @property
    def dropped(self) -> int:
        """How many of the oldest requests were dropped to keep within :attr:`limit` and :attr:`max_bytes`
        since the last clear."""
        return self._dropped

    def record(self, request: RecordedRequest) -> None:
        """Append ``request``, dropping the oldest while the log is full (the sandbox calls this)."""
        size = _size(request)
        with self._lock:
            self._entries.append((request, size))
            self._bytes += size
            while len(self._entries) > self._limit or (
                self._bytes > self._max_bytes and len(self._entries) > 1
            ):
                _, dropped_size = self._entries.popleft()
                self._bytes -= dropped_size
                self._dropped += 1

    def snapshot(self) -> list[RecordedRequest]:
        """The requests recorded so far, oldest first, as a list of their own."""
        with self._lock:
            return [request for request, _ in self._entries]

    def to(self, operation: Operation) -> list[RecordedRequest]:
        """The recorded requests routed to ``operation``, oldest first."""
        return [request for request in self.snapshot() if request.operation == operation]

    def clear(self) -> None:
        """Forget every recorded request."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._dropped = 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)} requests, limit {self._limit}>"
