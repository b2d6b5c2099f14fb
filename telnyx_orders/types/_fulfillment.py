from __future__ import annotations

import attrs

from ._inexplicit_number_orders import InexplicitNumberOrder
from ._number_orders import NumberOrderPhoneNumber, NumberOrderWithPhoneNumbers
from ._sub_number_orders import SubNumberOrder

__all__ = ["Fulfillment"]


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
