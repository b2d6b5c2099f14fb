from __future__ import annotations

import attrs

from ._inexplicit_number_orders import InexplicitNumberOrder
from ._number_orders import NumberOrderPhoneNumber, NumberOrderWithPhoneNumbers
from ._sub_number_orders import SubNumberOrder

__all__ = ["Fulfillment", "MissingRequirement"]


@attrs.frozen(kw_only=True)
class MissingRequirement:
    """A regulatory requirement a phone number still needs a value for."""

    sub_number_order_id: str | None
    phone_number_id: str | None
    phone_number: str | None
    requirement_id: str | None
    field_type: str | None


@attrs.frozen(kw_only=True)
class Fulfillment:
    """What an inexplicit number order produced: the orders it placed, and the numbers they bought.

    Made by `inexplicit_number_orders.retrieve_fulfillment()`; both tuples follow the order's
    `ordering_groups[].orders[]` links, in order.
    """

    order: InexplicitNumberOrder
    number_orders: tuple[NumberOrderWithPhoneNumbers, ...] = ()
    sub_number_orders: tuple[SubNumberOrder, ...] = ()

    @property
    def phone_numbers(self) -> tuple[NumberOrderPhoneNumber, ...]:
        """Every phone number of every number order, whatever its status (see `.status`)."""
        return tuple(number for order in self.number_orders for number in order.phone_numbers or ())

    @property
    def waiting_for_requirements(self) -> tuple[SubNumberOrder, ...]:
        """The sub number orders still pending because their numbers miss regulatory requirements."""
        return tuple(
            sub for sub in self.sub_number_orders if sub.status == "pending" and sub.requirements_met is False
        )

    @property
    def missing_requirements(self) -> tuple[MissingRequirement, ...]:
        """Each requirement each number of a waiting sub number order still needs a value for."""
        return tuple(
            MissingRequirement(
                sub_number_order_id=sub.id,
                phone_number_id=number.id,
                phone_number=number.phone_number,
                requirement_id=requirement.requirement_id,
                field_type=None if requirement.field_type is None else str(requirement.field_type.value),
            )
            for sub in self.waiting_for_requirements
            for number in sub.phone_numbers or ()
            for requirement in number.regulatory_requirements or ()
            if requirement.field_value is None
        )
