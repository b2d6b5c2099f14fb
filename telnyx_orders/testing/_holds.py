"""Numbers on hold: each held by one number reservation, for the account that made it, until it expires.

Telnyx documents the hold time: "The Phone Number Reservations API lets you reserve phone numbers for 30
minutes. [...] After 30 minutes, the number is returned to the available pool", and "To extend your
reservation by another 30 minutes, send a POST .../number_reservations/{id}/actions/extend [...] This request
will update the phone_numbers[].expired_at timestamp to reflect the additional 30 minutes"
(https://developers.telnyx.com/docs/numbers/phone-numbers/number-reservations). An older quickstart on the
same site says "1 day" (https://developers.telnyx.com/docs/numbers/phone-numbers/reservations); the sandbox
follows the newer guide, and ``Sandbox(reservation_hold=...)`` changes it.

A hold lasts until the sandbox's clock passes its end, as orders move: checked whenever a request asks,
never in the background, so a test with a fake clock decides when a hold expires.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from telnyx_orders.testing._documents import JSONDict

RESERVATION_HOLD = 30 * 60.0
"""Seconds a reservation holds its numbers, and what an extension adds: 30 minutes, as Telnyx documents."""


def check_hold(value: object) -> float:
    """``value`` as seconds if it is a finite, non-negative number, else ``ValueError``."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"reservation_hold must be a finite number of seconds >= 0, got {value!r}")
    return float(value)


@dataclasses.dataclass(eq=False)
class Hold:
    """One number held by one reservation."""

    number: str
    reservation_id: str
    account: str | None
    """The API key of the account holding it; ``None`` for the sandbox's own (its ``api_key``)."""
    entry: JSONDict
    """The reservation's ``ReservedPhoneNumber`` for it, whose ``expired_at`` moves with the hold."""
    ends: float
    """The clock when the hold ends."""

    def held_for(self, account: str) -> bool:
        """Whether ``account`` (an API key) is the one holding the number."""
        return self.account is None or self.account == account


class Holds:
    """The numbers on hold, by number; not locked itself: the sandbox state calls it under its lock."""

    def __init__(self, *, duration: float, clock: Callable[[], float]) -> None:
        self.duration = duration
        self.clock = clock
        self._holds: dict[str, Hold] = {}
        self.accounts: dict[str, str | None] = {}
        """The account of each reservation, by id (a reservation stored raw has none: the sandbox's own)."""

    @property
    def duration(self) -> float:
        """Seconds a new hold lasts, and what an extension adds."""
        return self._duration

    @duration.setter
    def duration(self, value: float) -> None:
        self._duration = check_hold(value)

    def holder(self, number: str) -> Hold | None:
        """The hold on ``number`` if one is live now."""
        hold = self._holds.get(number)
        if hold is not None and hold.ends <= self.clock():
            del self._holds[number]  # expired: the number is for sale again
            return None
        return hold

    def held(self, number: str) -> bool:
        """Whether a live hold keeps ``number`` from everyone but its holder."""
        return self.holder(number) is not None

    def held_from(self, number: str, account: str) -> bool:
        """Whether ``number`` is held for an account other than ``account``."""
        hold = self.holder(number)
        return hold is not None and not hold.held_for(account)

    def hold(self, number: str, reservation_id: str, account: str | None, entry: JSONDict) -> float:
        """Hold ``number`` for :attr:`duration` from now; the clock when it ends."""
        ends = self.clock() + self._duration
        self._holds[number] = Hold(number, reservation_id, account, entry, ends)
        return ends

    def of(self, reservation_id: str) -> Iterator[Hold]:
        """The live holds of one reservation."""
        now = self.clock()
        return (
            hold for hold in self._holds.values() if hold.reservation_id == reservation_id and hold.ends > now
        )

    def release(self, number: str) -> None:
        """End the hold on ``number`` (its holder ordered it)."""
        self._holds.pop(number, None)

    def clear(self) -> None:
        """Forget every hold and reservation account."""
        self._holds.clear()
        self.accounts.clear()
