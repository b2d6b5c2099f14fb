"""The record of every request the sandbox received."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telnyx_orders.testing._faults import Fault


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """One request as it arrived on the wire, recorded before any fault or authentication."""

    method: str
    path: str
    """The decoded path, ``/v2`` prefix included."""
    query: list[tuple[str, str]]
    """Query parameters as ``(name, value)`` pairs, in order, repeats kept."""
    headers: dict[str, str]
    """Request headers with lower-cased names."""
    body: bytes
    operation: str | None
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
