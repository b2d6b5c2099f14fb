from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import OrderingGroupStatus, OrderingStrategy, PhoneNumberType
from ._fields import renamed

__all__ = ["InexplicitNumberOrder", "OrderLink", "OrderingGroup"]


@attrs.frozen(kw_only=True)
class OrderLink:
    """A number order, and its sub number orders, placed to fill an ordering group."""

    number_order_id: str | None = None
    sub_number_order_ids: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class OrderingGroup:
    """One line of an inexplicit order: how many numbers of which kind, and how far it got."""

    country_iso: str | None = None
    phone_number_type: PhoneNumberType | None = None
    count_requested: int | None = None
    count_allocated: int | None = None
    status: OrderingGroupStatus | None = None
    national_destination_code: str | None = None
    phone_number_starts_with: str | None = renamed("phone_number[starts_with]")
    phone_number_ends_with: str | None = renamed("phone_number[ends_with]")
    phone_number_contains: str | None = renamed("phone_number[contains]")
    administrative_area: str | None = None
    strategy: OrderingStrategy | None = None
    quickship: bool | None = None
    exclude_held_numbers: bool | None = None
    error_reason: str | None = None
    orders: tuple[OrderLink, ...] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@attrs.frozen(kw_only=True)
class InexplicitNumberOrder:
    """An order for numbers chosen by Telnyx from a country, type and optional area filters."""

    id: str | None = None
    connection_id: str | None = None
    messaging_profile_id: str | None = None
    customer_reference: str | None = None
    billing_group_id: str | None = None
    ordering_groups: tuple[OrderingGroup, ...] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def is_complete(self) -> bool:
        """Whether every ordering group is done (`success`, `failed` or `partial_success`); true with none."""
        return all(
            group.status is not None and group.status.is_terminal for group in self.ordering_groups or ()
        )
