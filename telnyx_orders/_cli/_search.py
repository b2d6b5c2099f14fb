"""The commands that choose numbers before buying them: search, reserve, and order exactly those.

`search` prints the numbers for sale that match its filters, with their features and cost; `reserve
NUMBER...` holds numbers for this account until the hold expires; `order-numbers NUMBER...` orders
exactly the numbers named.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime

from ..types import AvailablePhoneNumber, NumberReservation
from ._commands import _answered, _client, _out  # pyright: ignore[reportPrivateUsage]
from ._render import as_json, number_order_text, table
from ._untrusted import printable

__all__ = ["SEARCH_COMMANDS", "add_parsers"]

Command = Callable[[argparse.Namespace], Coroutine[None, None, int]]


def add_parsers(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the commands of this module with the command line's `command(name, help)`."""
    search = command("search", "search the numbers for sale, with their features and cost")
    search.add_argument("--country", metavar="ISO", help="two-letter country code, e.g. US")
    search.add_argument("--type", help="local, toll_free, mobile, national or shared_cost")
    search.add_argument("--area-code", help="the national destination code, e.g. 312")
    search.add_argument("--locality", metavar="CITY", help="a city")
    search.add_argument("--state", metavar="STATE", help="a US state or Canadian province, e.g. IL")
    search.add_argument("--starts-with", metavar="DIGITS", help="numbers starting with these digits")
    search.add_argument("--ends-with", metavar="DIGITS", help="numbers ending with these digits")
    search.add_argument("--contains", metavar="DIGITS", help="numbers containing these digits")
    search.add_argument(
        "--feature",
        action="append",
        metavar="NAME",
        help="a feature every number must have (sms, mms, voice, fax, ...); repeatable",
    )
    search.add_argument("--limit", type=_positive, metavar="N", help="at most N numbers")
    search.add_argument("--reservable", action="store_true", help="only numbers that can be reserved")

    reserve = command("reserve", "hold numbers for this account until the hold expires")
    reserve.add_argument("numbers", nargs="+", metavar="NUMBER", help="E.164 numbers, e.g. +13125550100")
    reserve.add_argument("--customer-reference", metavar="R", help="your reference for the reservation")

    order = command("order-numbers", "order exactly the numbers named")
    order.add_argument("numbers", nargs="+", metavar="NUMBER", help="E.164 numbers, e.g. +13125550100")
    order.add_argument("--customer-reference", metavar="R", help="your reference for the order")
    order.add_argument("--connection-id", metavar="ID", help="the connection to give the numbers")
    order.add_argument("--messaging-profile-id", metavar="ID", help="the messaging profile to give them")
    order.add_argument("--wait", action="store_true", help="then wait until the order is final and show it")
    order.add_argument(
        "--timeout", type=float, default=600.0, metavar="SECONDS", help="with --wait: give up after (600)"
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def numbers_table(numbers: Iterable[AvailablePhoneNumber]) -> str:
    """Each number with its features, region and cost."""
    numbers = printable(tuple(numbers))
    cost = [number.cost_information for number in numbers]
    return table(
        ("PHONE NUMBER", "FEATURES", "REGION", "UPFRONT", "MONTHLY", "CURRENCY"),
        (
            (
                number.phone_number,
                ",".join(feature.name or "?" for feature in number.features or ()) or None,
                ", ".join(region.region_name or "?" for region in number.region_information or ()) or None,
                price and price.upfront_cost,
                price and price.monthly_cost,
                price and price.currency,
            )
            for number, price in zip(numbers, cost, strict=True)
        ),
    )


def reservation_text(reservation: NumberReservation) -> str:
    """The reservation, and each number with its status and when its hold ends."""
    reservation = printable(reservation)
    header = f"number reservation {reservation.id}: {reservation.status}"
    if reservation.customer_reference:
        header += f" (customer reference {reservation.customer_reference})"
    rows = (
        (number.phone_number, number.status, _moment(number.expired_at), number.errors)
        for number in reservation.phone_numbers or ()
    )
    return f"{header}\n{table(('PHONE NUMBER', 'STATUS', 'HELD UNTIL', 'ERRORS'), rows)}"


def _moment(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


async def search(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        found = await client.available_phone_numbers.list(
            country_code=args.country,
            phone_number_type=args.type,
            national_destination_code=args.area_code,
            locality=args.locality,
            administrative_area=args.state,
            phone_number_starts_with=args.starts_with,
            phone_number_ends_with=args.ends_with,
            phone_number_contains=args.contains,
            features=args.feature,
            limit=args.limit,
            reservable=args.reservable or None,
        )
    if args.json:
        _out(as_json({"data": found.data or (), "meta": found.meta}))
        return 0
    numbers = found.data or ()
    total = found.meta.total_results if found.meta and found.meta.total_results is not None else len(numbers)
    _out(f"{len(numbers)} numbers for sale (of {total} found)")
    if numbers:
        _out(numbers_table(numbers))
    return 0


async def reserve(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        created = await client.number_reservations.create(
            phone_numbers=args.numbers, customer_reference=args.customer_reference
        )
    reservation = _answered(created.data, "the reservation")
    _out(as_json({"data": reservation}) if args.json else reservation_text(reservation))
    refused = [number for number in reservation.phone_numbers or () if number.status == "failure"]
    return 1 if refused or reservation.status == "failure" else 0


async def order_numbers(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        created = await client.number_orders.create(
            phone_numbers=args.numbers,
            customer_reference=args.customer_reference,
            connection_id=args.connection_id,
            messaging_profile_id=args.messaging_profile_id,
        )
        order = _answered(created.data, "the number order")
        if args.wait and order.id is not None:
            order = await client.number_orders.wait(order.id, timeout=args.timeout)
    _out(as_json({"data": order}) if args.json else number_order_text(order))
    return 0


SEARCH_COMMANDS: dict[str, Command] = {
    "search": search,
    "reserve": reserve,
    "order-numbers": order_numbers,
}
