from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import OrderStatus, PhoneNumberType, RegulatoryFieldType, RequirementsStatus

__all__ = [
    "NumberOrder",
    "NumberOrderPhoneNumber",
    "NumberOrderWithPhoneNumbers",
    "PhoneNumberRef",
    "RegulatoryRequirement",
    "RegulatoryRequirementWithValue",
]


@attrs.frozen(kw_only=True)
class RegulatoryRequirement:
    """A regulatory requirement the numbers of a sub number order must meet."""

    requirement_id: str | None = None
    field_type: RegulatoryFieldType | None = None
    record_type: str | None = None


@attrs.frozen(kw_only=True)
class RegulatoryRequirementWithValue:
    """A regulatory requirement of one phone number, with the value given for it."""

    requirement_id: str | None = None
    field_type: RegulatoryFieldType | None = None
    field_value: str | None = None
    record_type: str | None = None


@attrs.frozen(kw_only=True)
class NumberOrderPhoneNumber:
    """A phone number bought (or being bought) by a number order."""

    id: str | None = None
    phone_number: str | None = None
    phone_number_type: PhoneNumberType | None = None
    status: OrderStatus | None = None
    bundle_id: str | None = None
    country_code: str | None = None
    country_iso_alpha2: str | None = None
    record_type: str | None = None
    regulatory_requirements: tuple[RegulatoryRequirementWithValue, ...] | None = None
    requirements_met: bool | None = None
    requirements_status: RequirementsStatus | None = None
    order_request_id: str | None = None
    """The number order; shown by `number_order_phone_numbers` (as are the fields below)."""
    sub_number_order_id: str | None = None
    is_block_number: bool | None = None
    locality: str | None = None
    deadline: datetime | None = None


@attrs.frozen(kw_only=True)
class PhoneNumberRef:
    """A phone number of a number order as listings show it: its id and E.164 number."""

    id: str | None = None
    phone_number: str | None = None


@attrs.frozen(kw_only=True)
class NumberOrder:
    """A number order as `number_orders.list` returns it."""

    id: str | None = None
    status: OrderStatus | None = None
    phone_numbers: tuple[PhoneNumberRef, ...] | None = None
    phone_numbers_count: int | None = None
    sub_number_orders_ids: tuple[str, ...] | None = None
    connection_id: str | None = None
    messaging_profile_id: str | None = None
    billing_group_id: str | None = None
    customer_reference: str | None = None
    requirements_met: bool | None = None
    record_type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@attrs.frozen(kw_only=True)
class NumberOrderWithPhoneNumbers:
    """A number order with its phone numbers in full, as `retrieve` and `create` return it."""

    id: str | None = None
    status: OrderStatus | None = None
    phone_numbers: tuple[NumberOrderPhoneNumber, ...] | None = None
    phone_numbers_count: int | None = None
    sub_number_orders_ids: tuple[str, ...] | None = None
    connection_id: str | None = None
    messaging_profile_id: str | None = None
    billing_group_id: str | None = None
    customer_reference: str | None = None
    requirements_met: bool | None = None
    record_type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
