"""Number reservations: numbers held for the account that reserved them, until the hold expires."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import OrderStatus

__all__ = ["NumberReservation", "ReservedPhoneNumber"]


@attrs.frozen(kw_only=True)
class ReservedPhoneNumber:
    """One number of a reservation, with when its hold ends (`expired_at`)."""

    id: str | None = None
    phone_number: str | None = None
    status: OrderStatus | None = None
    """`pending`, `success` (held) or `failure` (see `errors`)."""
    errors: str | None = None
    """Why the number could not be held, such as "Number is already on hold"."""
    expired_at: datetime | None = None
    record_type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@attrs.frozen(kw_only=True)
class NumberReservation:
    """A reservation of one or more numbers."""

    id: str | None = None
    status: OrderStatus | None = None
    """The status of the whole reservation: `pending`, `success` or `failure`."""
    phone_numbers: tuple[ReservedPhoneNumber, ...] | None = None
    customer_reference: str | None = None
    errors: str | None = None
    record_type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
