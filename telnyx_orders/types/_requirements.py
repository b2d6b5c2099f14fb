"""What the requirement and report operations take and return.

`RegulatoryRequirementParams` (or its dict form) is one value given for a regulatory requirement:
`{"requirement_id": ..., "field_value": ...}`, the id of an address or document, or a text. The
requirement-group answers differ from the other requirement schemas (each requirement has a `status`,
`bundle_id` may be `null`, types are plain strings), so they have models of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypedDict

import attrs

from ._number_orders import RegulatoryRequirement
from ._params import _at, _fields_of, _non_empty, _text  # pyright: ignore[reportPrivateUsage]

__all__ = [
    "NumberOrderPhoneNumberRequirementGroup",
    "RegulatoryRequirementDict",
    "RegulatoryRequirementParams",
    "RequirementGroupPhoneNumber",
    "RequirementGroupRequirement",
    "SubNumberOrderRequirementGroup",
    "SubNumberOrdersReport",
    "SubNumberOrdersReportFilters",
    "check_requirement_group_id",
    "check_requirements",
]


@attrs.frozen(kw_only=True)
class RegulatoryRequirementParams:
    """A value for one regulatory requirement: the id of an address or document, or a text."""

    requirement_id: str = attrs.field(validator=_text)
    field_value: str = attrs.field(validator=_text)


class RegulatoryRequirementDict(TypedDict):
    """The dict form of `RegulatoryRequirementParams`."""

    requirement_id: str
    field_value: str


def check_requirements(
    values: Sequence[RegulatoryRequirementParams | RegulatoryRequirementDict],
) -> tuple[RegulatoryRequirementParams, ...]:
    """The `regulatory_requirements` of an update as `RegulatoryRequirementParams`, each checked."""
    return tuple(
        _at(f"regulatory_requirements[{index}]", _requirement, value)
        for index, value in enumerate(_non_empty(values, "regulatory_requirements"))
    )


def _requirement(value: object) -> RegulatoryRequirementParams:
    if isinstance(value, RegulatoryRequirementParams):
        return value
    return RegulatoryRequirementParams(**_fields_of(value, RegulatoryRequirementParams))


def check_requirement_group_id(value: object) -> str:
    """`value` if it is a non-empty str (Telnyx's requirement group ids are uuids)."""
    if not isinstance(value, str):
        raise TypeError(f"requirement_group_id must be a str, not {type(value).__name__}")
    if not value:
        raise ValueError("requirement_group_id must not be empty")
    return value


@attrs.frozen(kw_only=True)
class RequirementGroupRequirement:
    """A requirement of a phone number as a requirement-group answer shows it, with its review `status`."""

    requirement_id: str | None = None
    field_type: str | None = None
    field_value: str | None = None
    status: str | None = None


@attrs.frozen(kw_only=True)
class RequirementGroupPhoneNumber:
    """A phone number of a sub number order, as the sub order's requirement-group answer shows it."""

    id: str | None = None
    phone_number: str | None = None
    phone_number_type: str | None = None
    country_code: str | None = None
    bundle_id: str | None = None
    """`None` when the number has no bundle (the spec types it nullable here)."""
    regulatory_requirements: tuple[RequirementGroupRequirement, ...] | None = None
    requirements_met: bool | None = None
    requirements_status: str | None = None
    status: str | None = None
    record_type: str | None = None


@attrs.frozen(kw_only=True)
class NumberOrderPhoneNumberRequirementGroup(RequirementGroupPhoneNumber):
    """A number order phone number after a requirement group was given to it, with its orders' ids."""

    order_request_id: str | None = None
    sub_number_order_id: str | None = None
    is_block_number: bool | None = None
    locality: str | None = None
    deadline: datetime | None = None


@attrs.frozen(kw_only=True)
class SubNumberOrderRequirementGroup:
    """A sub number order after a requirement group was given to it, with its phone numbers."""

    id: str | None = None
    order_request_id: str | None = None
    status: str | None = None
    country_code: str | None = None
    phone_number_type: str | None = None
    phone_numbers_count: int | None = None
    phone_numbers: tuple[RequirementGroupPhoneNumber, ...] | None = None
    is_block_sub_number_order: bool | None = None
    regulatory_requirements: tuple[RegulatoryRequirement, ...] | None = None
    requirements_met: bool | None = None
    customer_reference: str | None = None
    record_type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@attrs.frozen(kw_only=True)
class SubNumberOrdersReportFilters:
    """The filters a sub number orders report was made with."""

    country_code: str | None = None
    created_at_gt: datetime | None = None
    created_at_lt: datetime | None = None
    customer_reference: str | None = None
    order_request_id: str | None = None
    status: str | None = None


@attrs.frozen(kw_only=True)
class SubNumberOrdersReport:
    """A CSV report of sub number orders; it can be downloaded once `status` is `success`."""

    id: str | None = None
    status: str | None = None
    """`pending`, `success`, `failed` or `expired`."""
    filters: SubNumberOrdersReportFilters | None = None
    order_type: str | None = None
    user_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
