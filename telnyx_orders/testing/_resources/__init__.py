"""The resources the sandbox serves: one module each, registered here.

A module declares a :class:`~telnyx_orders.testing._resource.Resource`: its routes (each named by
its operationId), its document builders, filters and handlers, and how to seed a document. Adding a
resource is one new module and its line below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telnyx_orders.testing._resources import (
    available_phone_number_blocks,
    available_phone_numbers,
    inexplicit_number_orders,
    number_block_orders,
    number_order_phone_numbers,
    number_orders,
    number_reservations,
    sub_number_orders,
    sub_number_orders_report,
)

if TYPE_CHECKING:
    from telnyx_orders.testing._resource import Resource

RESOURCES: tuple[Resource, ...] = (
    inexplicit_number_orders.RESOURCE,
    number_orders.RESOURCE,
    sub_number_orders.RESOURCE,
    number_block_orders.RESOURCE,
    number_order_phone_numbers.RESOURCE,
    sub_number_orders_report.RESOURCE,
    available_phone_numbers.RESOURCE,
    available_phone_number_blocks.RESOURCE,
    number_reservations.RESOURCE,
)
"""Every resource the sandbox serves, in the order its routes are registered."""

_BY_KIND = {resource.kind: resource for resource in RESOURCES}


def resource_of(kind: str) -> Resource:
    """The resource serving ``kind``; ``ValueError`` naming the known kinds for any other."""
    resource = _BY_KIND.get(kind)
    if resource is None:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of: {', '.join(_BY_KIND)}")
    return resource
