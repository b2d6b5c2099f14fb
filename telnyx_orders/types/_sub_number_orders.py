from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import OrderStatus, PhoneNumberType
from ._number_orders import NumberOrderPhoneNumber, RegulatoryRequirement

__all__ = ["SubNumberOrder"]


@attrs.frozen(kw_only=True)
class SubNumberOrder:
    """The part of a number order that covers one country and number type."""

    id: str | None = None
    order_request_id: str | None = None
    status: OrderStatus | None = None
    country_code: str | None = None
    phone_number_type: PhoneNumberType | None = None
    phone_numbers_count: int | None = None
    phone_numbers: tuple[NumberOrderPhoneNumber, ...] | None = None
    """The first 50 numbers; present only when asked for with `include_phone_numbers=True`."""
    is_block_sub_number_order: bool | None = None
    regulatory_requirements: tuple[RegulatoryRequirement, ...] | None = None
    requirements_met: bool | None = None
    customer_reference: str | None = None
    user_id: str | None = None
    record_type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
