"""Buying numbers in one call: search, reserve what was found, order what is held, follow the order.

Every step that creates something is sent once: a reservation or an order whose request may have
landed is never sent again, so no number is bought twice. Telnyx has no call to release a
reservation, so on any failure the numbers held are left to expire at their `expired_at`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .._errors import APIError, PurchaseError, WaitTimeoutError
from .._http import HTTPPipeline
from .._timeouts import Deadline
from ..types import Envelope, NumberOrderWithPhoneNumbers, NumberReservation, Purchase
from ._waiting import poll_until_done
from .available_phone_numbers import AsyncAvailablePhoneNumbers
from .number_reservations import AsyncNumberReservations

if TYPE_CHECKING:
    from .number_orders import AsyncNumberOrders

__all__ = ["buy_numbers", "check_wait"]

T = TypeVar("T")

_LEFT_TO_EXPIRE = "the numbers it holds are left to expire (Telnyx has no call to release them)"


def check_wait(timeout: float, poll_interval: float) -> None:
    """Refuse a `timeout` or `poll_interval` that is not a positive number of seconds."""
    for name, value in (("timeout", timeout), ("poll_interval", poll_interval)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
        if not (value > 0 and math.isfinite(value)):
            raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")


async def buy_numbers(
    http: HTTPPipeline,
    orders: AsyncNumberOrders,
    *,
    count: int,
    filters: Mapping[str, Any],
    settings: Mapping[str, Any],
    timeout: float,
    poll_interval: float,
    max_retries: int | None,
    extra_headers: Mapping[str, str] | None,
) -> Purchase:
    """Search `count` reservable numbers matching `filters`, reserve them, order them with `settings`,
    and poll the order until Telnyx is done with it (or it waits for regulatory requirements)."""
    options: dict[str, Any] = {"max_retries": max_retries, "extra_headers": extra_headers}
    deadline = Deadline.start(http.timeout, timeout)
    search = AsyncAvailablePhoneNumbers(http).list(
        **filters,
        limit=count,
        reservable=True,
        exclude_held_numbers=True,
        timeout=deadline.next_limits(),
        **options,
    )  # checks every filter before anything is sent
    found = [number.phone_number for number in await search if number.phone_number]
    if len(found) < count:
        raise PurchaseError(f"the search found {len(found)} reservable numbers of the {count} asked for")

    reservations = AsyncNumberReservations(http)
    try:
        created = await reservations.create(
            phone_numbers=found[:count],
            customer_reference=settings.get("customer_reference"),
            timeout=deadline.next_limits(),
            **options,
        )
    except APIError as error:
        kept = (
            "the numbers may be held: it was not sent again"
            if error.may_have_taken_effect
            else "nothing is held"
        )
        raise PurchaseError(
            f"reserving the {count} numbers found failed ({error}); {kept}; nothing was ordered"
        ) from error
    reservation = _data(created, "reservation")
    if _pending(reservation):
        try:
            reservation = await poll_until_done(
                lambda limits: reservations.retrieve(reservation.id or "", timeout=limits, **options),
                what=f"reservation {reservation.id}",
                is_done=lambda polled: not _pending(polled),
                progress=lambda polled: f"status {polled.status}",
                timeout=deadline.remaining(),
                poll_interval=poll_interval,
                max_poll_interval=poll_interval,
                http=http,
            )
        except (APIError, WaitTimeoutError) as error:
            raise PurchaseError(
                f"following reservation {reservation.id} stopped ({error}); nothing was ordered, and "
                f"{_LEFT_TO_EXPIRE}",
                reservation=reservation,
            ) from error
    held = _held(reservation)
    if len(held) < count:
        refused = "; ".join(
            f"{number.phone_number}: {number.errors or number.status}"
            for number in reservation.phone_numbers or ()
            if number.phone_number not in held
        )
        raise PurchaseError(
            f"reservation {reservation.id} held {len(held)} of the {count} numbers ({refused}); nothing was "
            f"ordered, and {_LEFT_TO_EXPIRE}",
            reservation=reservation,
        )

    try:
        order = _data(
            await orders.create(phone_numbers=held, timeout=deadline.next_limits(), **settings, **options),
            "number order",
        )
    except APIError as error:
        if error.may_have_taken_effect:
            said = (
                "the order may exist: it was not sent again, so that the numbers are not bought twice; "
                "list recent number orders before trying again"
            )
        else:
            said = "nothing was ordered"
        raise PurchaseError(
            f"ordering the {count} numbers of reservation {reservation.id} failed ({error}); {said}, and "
            f"{_LEFT_TO_EXPIRE}",
            reservation=reservation,
            may_have_ordered=error.may_have_taken_effect,
        ) from error

    if order.status == "pending" and order.requirements_met is not False:
        placed = order
        try:
            order = await poll_until_done(
                lambda limits: orders.retrieve(placed.id or "", timeout=limits, **options),
                what=f"number order {placed.id}",
                # Waiting for regulatory requirements, it would not finish by itself: the purchase is done.
                is_done=lambda polled: polled.status != "pending" or polled.requirements_met is False,
                progress=lambda polled: f"status {polled.status}",
                timeout=deadline.remaining(),
                poll_interval=poll_interval,
                max_poll_interval=poll_interval,
                http=http,
            )
        except (APIError, WaitTimeoutError) as error:
            last_seen = error.last_seen if isinstance(error, WaitTimeoutError) else None
            raise PurchaseError(
                f"number order {placed.id} was placed, and following it stopped ({error}); retrieve it "
                "with number_orders.retrieve() to see how it ends",
                reservation=reservation,
                order=last_seen if isinstance(last_seen, NumberOrderWithPhoneNumbers) else placed,
            ) from error
    return Purchase(reservation=reservation, order=order)


def _data(envelope: Envelope[T], what: str) -> T:
    if envelope.data is None or not getattr(envelope.data, "id", None):
        raise PurchaseError(f"Telnyx answered the {what} without its id; see the request log")
    return envelope.data


def _pending(reservation: NumberReservation) -> bool:
    return any(number.status == "pending" for number in reservation.phone_numbers or ())


def _held(reservation: NumberReservation) -> list[str]:
    return [
        number.phone_number
        for number in reservation.phone_numbers or ()
        if number.phone_number and number.status == "success"
    ]
