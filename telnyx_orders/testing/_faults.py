"""Scripted fault injection: what to break, for which requests, how many times."""

from __future__ import annotations

import dataclasses
import random
import threading
from typing import TYPE_CHECKING, Any, Literal

from telnyx_orders.testing._operations import check_operation
from telnyx_orders.testing._responders import RESPONDERS

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from aiohttp import web

    from telnyx_orders.testing._operations import Operation

FaultKind = Literal[
    "status",
    "rate_limit",
    "latency",
    "drop_before",
    "drop_after",
    "html",
    "malformed",
    "truncated",
    "wrong_shape",
    "respond",
]
"""What a :class:`Fault` does to the request it fires on; each kind is one registered responder."""


@dataclasses.dataclass
class Fault:
    """One scripted misbehaviour of the sandbox.

    A fault fires on a request whose method and operation match (``None`` matches anything), at most
    ``times`` times (``None``: forever), each time with ``probability`` drawn from the plan's seeded
    generator. Kinds and the fields they read:

    - ``status``: ``status`` with a Telnyx error body (``code``/``title``/``detail`` default per status).
    - ``rate_limit``: 429, error ``10011``, ``x-ratelimit-remaining: 0``, ``x-ratelimit-reset: reset``.
    - ``latency``: sleep ``delay`` seconds, then answer normally.
    - ``drop_before``: close the connection without answering; the request has no effect.
    - ``drop_after``: handle the request (its effects apply), then close the connection without answering.
    - ``html``: ``status`` (502) with a ``text/html`` ``body``.
    - ``malformed``: ``status`` (200) with a ``body`` that is not JSON, labelled ``application/json``.
    - ``truncated``: ``status`` (200) declaring a ``Content-Length`` 1024 bytes over ``body``, then closing.
    - ``wrong_shape``: ``status`` (200) with ``json_body`` serialised as JSON.
    - ``respond``: whatever ``handler`` (an async function of the aiohttp request) answers, as
      httpx's ``MockTransport`` does; in the sandbox's own process only.

    ``headers`` are added to (and override) any response the fault sends; ``content_type`` overrides
    the one of ``html``/``malformed``/``truncated``/``wrong_shape``. ``fired`` counts the firings; two
    faults are equal when they script the same misbehaviour, whatever they have fired.
    """

    kind: FaultKind
    _: dataclasses.KW_ONLY
    operation: Operation | None = None
    method: str | None = None
    times: int | None = 1
    probability: float = 1.0
    status: int | None = None
    code: str | None = None
    title: str | None = None
    detail: str | None = None
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict[str, str])
    delay: float = 0.0
    reset: int = 1
    body: bytes | None = None
    json_body: Any = None
    content_type: str | None = None
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]] | None = None
    fired: int = dataclasses.field(default=0, init=False, compare=False)

    def __post_init__(self) -> None:
        responder = RESPONDERS.get(self.kind)
        if responder is None:
            known = ", ".join(sorted(RESPONDERS))
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of: {known}")
        for name in responder.requires:
            if getattr(self, name) is None:
                raise ValueError(f"a {self.kind!r} fault needs {name}=")
        check_operation(self.operation)
        if self.method is not None:
            self.method = self.method.upper()
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1, or None for a fault that never runs out")
        if not 0.0 < self.probability <= 1.0:
            raise ValueError("probability must be in (0, 1]")
        if self.status is None:
            self.status = responder.status
        if self.status is not None and not 200 <= self.status <= 599:
            raise ValueError("status must be in 200..599")
        if self.delay < 0:
            raise ValueError("delay must not be negative")
        if self.body is None:
            self.body = responder.body
        self.headers = dict(self.headers)

    @property
    def exhausted(self) -> bool:
        """Whether the fault has fired ``times`` times and will not fire again."""
        return self.times is not None and self.fired >= self.times

    def matches(self, method: str, operation: str | None) -> bool:
        """Whether the fault applies to a request with this method and operation."""
        return (self.method is None or self.method == method.upper()) and (
            self.operation is None or self.operation == operation
        )


class FaultPlan:
    """The sandbox's scripted faults, consumed in FIFO order before normal handling.

    Thread-safe. Every convenience method builds a :class:`Fault`, adds it and returns it; they all
    take the matching arguments ``operation``, ``method``, ``times`` and ``probability``.
    """

    def __init__(self, *, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._rng = random.Random(seed)

    def add(self, fault: Fault) -> Fault:
        """Queue ``fault`` behind the faults already added and return it."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, operation: str | None) -> Fault | None:
        """Fire and return the first pending fault matching the request, if any."""
        with self._lock:
            for fault in self._faults:
                if fault.exhausted or not fault.matches(method, operation):
                    continue
                # Certain faults draw nothing, so adding one never shifts a seeded soak run.
                if fault.probability < 1.0 and self._rng.random() >= fault.probability:
                    continue
                fault.fired += 1
                return fault
            return None

    @property
    def faults(self) -> list[Fault]:
        """Every fault added, exhausted ones included, in order."""
        with self._lock:
            return list(self._faults)

    @property
    def pending(self) -> list[Fault]:
        """The faults that can still fire, in order."""
        return [fault for fault in self.faults if not fault.exhausted]

    def clear(self) -> None:
        """Forget every fault."""
        with self._lock:
            self._faults.clear()

    def reseed(self, seed: int) -> None:
        """Restart the generator behind ``probability`` from ``seed``."""
        with self._lock:
            self._rng.seed(seed)

    def status(
        self,
        status: int,
        *,
        code: str | None = None,
        title: str | None = None,
        detail: str | None = None,
        headers: Mapping[str, str] | None = None,
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Answer ``status`` with a Telnyx error body, e.g. ``status(503, headers={"Retry-After": "2"})``."""
        return self.add(
            Fault(
                "status",
                status=status,
                code=code,
                title=title,
                detail=detail,
                headers=headers or {},
                operation=operation,
                method=method,
                times=times,
                probability=probability,
            )
        )

    def rate_limit(
        self,
        *,
        reset: int = 1,
        headers: Mapping[str, str] | None = None,
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Answer 429 ``Too many requests`` with ``x-ratelimit-reset: reset``."""
        return self.add(
            Fault(
                "rate_limit",
                reset=reset,
                headers=headers or {},
                operation=operation,
                method=method,
                times=times,
                probability=probability,
            )
        )

    def latency(
        self,
        delay: float,
        *,
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Sleep ``delay`` seconds, then answer normally."""
        return self.add(
            Fault(
                "latency",
                delay=delay,
                operation=operation,
                method=method,
                times=times,
                probability=probability,
            )
        )

    def drop_before(
        self,
        *,
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Close the connection without answering and without handling the request."""
        return self.add(
            Fault("drop_before", operation=operation, method=method, times=times, probability=probability)
        )

    def drop_after(
        self,
        *,
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Handle the request (its effects apply), then close the connection without answering."""
        return self.add(
            Fault("drop_after", operation=operation, method=method, times=times, probability=probability)
        )

    def html(
        self,
        *,
        status: int = 502,
        body: bytes = b"<html>Bad Gateway</html>",
        headers: Mapping[str, str] | None = None,
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Answer ``status`` with a ``text/html`` body, as a proxy in front of Telnyx would."""
        return self.add(
            Fault(
                "html",
                status=status,
                body=body,
                headers=headers or {},
                operation=operation,
                method=method,
                times=times,
                probability=probability,
            )
        )

    def malformed(
        self,
        *,
        body: bytes = b"<<this is not json>>",
        status: int = 200,
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Answer ``status`` with ``body``, which is not JSON, labelled ``application/json``."""
        return self.add(
            Fault(
                "malformed",
                status=status,
                body=body,
                operation=operation,
                method=method,
                times=times,
                probability=probability,
            )
        )

    def truncated(
        self,
        *,
        body: bytes = b'{"data": {"id": "',
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Answer 200 declaring more bytes than ``body``, send ``body``, then close the connection."""
        return self.add(
            Fault(
                "truncated",
                body=body,
                operation=operation,
                method=method,
                times=times,
                probability=probability,
            )
        )

    def wrong_shape(
        self,
        json_body: Any,
        *,
        status: int = 200,
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Answer ``status`` with ``json_body`` as JSON, e.g. ``wrong_shape({"data": [1, 2]})``."""
        return self.add(
            Fault(
                "wrong_shape",
                status=status,
                json_body=json_body,
                operation=operation,
                method=method,
                times=times,
                probability=probability,
            )
        )

    def respond(
        self,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
        *,
        operation: Operation | None = None,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        """Answer with whatever ``handler`` answers the request, for a case no other kind covers.

        ``handler`` is an async function of the ``aiohttp.web.Request``; it runs in the sandbox's own
        process, so a :class:`RemoteSandbox` refuses it.
        """
        return self.add(
            Fault(
                "respond",
                handler=handler,
                operation=operation,
                method=method,
                times=times,
                probability=probability,
            )
        )
