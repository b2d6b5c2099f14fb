from __future__ import annotations

from typing import Any

import attrs

WIRE_NAME = "telnyx_orders.wire_name"


def renamed(wire_name: str) -> Any:
    """An optional field whose JSON key is not a Python identifier (`phone_number[starts_with]`)."""
    return attrs.field(default=None, metadata={WIRE_NAME: wire_name})
