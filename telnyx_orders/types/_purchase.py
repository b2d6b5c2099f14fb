from __future__ import annotations

import attrs

from ._number_orders import NumberOrderPhoneNumber, NumberOrderWithPhoneNumbers
from ._number_reservations import NumberReservation

__all__ = ["Purchase"]


@attrs.frozen(kw_only=True)
class Purchase:
    """What `number_orders.buy()` did: the reservation that held the numbers and the order that bought them.

    The order is as last retrieved: `success` or `failure` once Telnyx is done, or still `pending` when
    its numbers wait for regulatory requirements (`order.requirements_met` is then false).
    """

    reservation: NumberReservation
    order: NumberOrderWithPhoneNumbers

    @property
    def phone_numbers(self) -> tuple[NumberOrderPhoneNumber, ...]:
        """The numbers of the order, each with its own status."""
        return self.order.phone_numbers or ()
