from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import OrderStatus

__all__ = ["NumberBlockOrder"]


@attrs.frozen(kw_only=True)
class NumberBlockOrder:
    """An order for a block of `range` consecutive numbers, from `starting_number` on."""

    id: str | None = None
    status: OrderStatus | None = None
    starting_number: str | None = None
    range: int | None = None
    phone_numbers_count: int | None = None
    connection_id: str | None = None
    messaging_profile_id: str | None = None
    customer_reference: str | None = None
    requirements_met: bool | None = None
    record_type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
