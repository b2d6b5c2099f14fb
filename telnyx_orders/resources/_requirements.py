"""What the requirement operations of several resources share: building and checking their bodies."""

from __future__ import annotations

from collections.abc import Sequence

from .._query import text
from ..types._requirements import (
    RegulatoryRequirementDict,
    RegulatoryRequirementParams,
    check_requirement_group_id,
    check_requirements,
)

__all__ = ["group_body", "update_body"]


def update_body(
    *,
    regulatory_requirements: Sequence[RegulatoryRequirementParams | RegulatoryRequirementDict] | None,
    customer_reference: str | None = None,
) -> dict[str, object]:
    """The body of an update: the values checked, absent arguments left out."""
    body: dict[str, object] = {}
    reference = text(customer_reference, "customer_reference")
    if reference is not None:
        body["customer_reference"] = reference
    if regulatory_requirements is not None:
        body["regulatory_requirements"] = [
            {"requirement_id": value.requirement_id, "field_value": value.field_value}
            for value in check_requirements(regulatory_requirements)
        ]
    return body


def group_body(requirement_group_id: str) -> dict[str, object]:
    """The body naming a requirement group, checked."""
    return {"requirement_group_id": check_requirement_group_id(requirement_group_id)}
