"""Phone-number inventory: how many numbers each (country, type, area code) pool still has."""

from __future__ import annotations

import dataclasses
from typing import Literal

from telnyx_orders.testing._validation import AREA_CODE, COUNTRIES, PHONE_NUMBER_TYPES, Strategy

GroupOutcome = Literal["success", "partial_success", "failed"]

NOT_ENOUGH_INVENTORY = "Not enough phone numbers in inventory to fulfill the request"
"""The ``error_reason`` of a failed ordering group."""


@dataclasses.dataclass(frozen=True)
class PoolKey:
    """Which pool an ordering group draws from: its own area code, or ``None`` when it names none."""

    country_iso: str
    phone_number_type: str
    national_destination_code: str | None = None

    @property
    def stocked(self) -> bool:
        """Whether the sandbox sells numbers from this pool: a country of :data:`COUNTRIES`, a type of
        :data:`PHONE_NUMBER_TYPES` and no area code or a 3-digit one. Orders may name any other pool
        (the spec leaves type and area code free strings); they get no numbers from it."""
        code = self.national_destination_code
        return (
            self.country_iso in COUNTRIES
            and self.phone_number_type in PHONE_NUMBER_TYPES
            and (code is None or AREA_CODE.fullmatch(code) is not None)
        )

    def check(self) -> PoolKey:
        """``self``, or ``ValueError`` for a pool no order could ever draw from (a typo in a test)."""
        # Typed as object: callers are not always type-checked.
        country_iso: object = self.country_iso
        phone_number_type: object = self.phone_number_type
        code: object = self.national_destination_code
        if country_iso not in COUNTRIES:
            raise ValueError(f"country_iso must be one of: {', '.join(COUNTRIES)}; got {country_iso!r}")
        if not isinstance(phone_number_type, str):
            raise TypeError(f"phone_number_type must be a string, got {phone_number_type!r}")
        if phone_number_type not in PHONE_NUMBER_TYPES:
            known = ", ".join(PHONE_NUMBER_TYPES)
            raise ValueError(f"phone_number_type must be one of: {known}; got {phone_number_type!r}")
        if code is not None and not (isinstance(code, str) and AREA_CODE.fullmatch(code)):
            raise ValueError(f"national_destination_code must be a 3-digit area code, got {code!r}")
        return self


@dataclasses.dataclass(frozen=True)
class Allocation:
    """What an ordering group gets, decided when the order is created."""

    count: int
    outcome: GroupOutcome


def check_count(value: object, name: str) -> int:
    """``value`` if it is a non-negative ``int`` (not a ``bool``), else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return value


class Inventory:
    """Pools of numbers; a pool never set holds :attr:`default` when first drawn from.

    Not locked itself: the sandbox state calls it under its lock.
    """

    def __init__(self, default: int = 1000) -> None:
        self.default = default
        self._pools: dict[PoolKey, int] = {}

    @property
    def default(self) -> int:
        """What an untouched pool holds."""
        return self._default

    @default.setter
    def default(self, value: int) -> None:
        self._default = check_count(value, "default_inventory")

    def remaining(self, key: PoolKey) -> int:
        """Numbers left in the pool (:attr:`default` for a pool not used yet, 0 for one not stocked)."""
        if not key.stocked:
            return 0
        return self._pools.get(key, self._default)

    def set(self, key: PoolKey, count: int) -> None:
        """Make the pool hold ``count`` numbers."""
        self._pools[key] = check_count(count, "count")

    def allocate(self, key: PoolKey, requested: int, strategy: Strategy) -> Allocation:
        """Take what an ordering group gets from its pool.

        Enough numbers: all of them, ``success``. Too few: with ``always``, what is left
        (``partial_success``, or ``failed`` when nothing is); with ``never``, nothing (``failed``).
        A group that asks for no numbers gets none, and one that gets none has ``failed``.
        """
        available = self.remaining(key)
        if requested > 0 and available >= requested:
            allocation = Allocation(requested, "success")
        elif requested <= 0 or strategy == "never" or available == 0:
            allocation = Allocation(0, "failed")
        else:
            allocation = Allocation(available, "partial_success")
        if key.stocked:  # a pool that is not stocked stays empty, and unremembered
            self._pools[key] = available - allocation.count
        return allocation

    def clear(self) -> None:
        """Put every pool back to :attr:`default`."""
        self._pools.clear()
