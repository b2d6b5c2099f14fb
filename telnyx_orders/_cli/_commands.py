"""What each subcommand does, on `AsyncTelnyx`: the command line is a client like any other."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncGenerator, Callable, Coroutine
from typing import TypeVar

from .._client import AsyncTelnyx
from .._errors import TelnyxError
from ..types import InexplicitNumberOrder, NumberOrderPhoneNumber, OrderingGroupDict
from ._progress import ProgressLine
from ._render import (
    as_json,
    inexplicit_order_text,
    inexplicit_orders_table,
    number_order_text,
    phone_numbers_table,
    sub_number_order_text,
)
from ._untrusted import escape

__all__ = ["COMMANDS", "CommandError", "interrupted"]

T = TypeVar("T")

DEMO_LIFECYCLE_STEP = 0.4
"""Seconds each step of an order's lifecycle takes in the demo's sandbox: slow enough to watch."""


class CommandError(Exception):
    """A usage problem found once the arguments were parsed: exit status 2."""


def _out(text: str) -> None:
    print(text, file=sys.stdout)


@contextlib.asynccontextmanager
async def _client(
    args: argparse.Namespace, *, lifecycle_step: float = 0.05
) -> AsyncGenerator[AsyncTelnyx, None]:
    """A client of Telnyx (key and URL from the environment), or of a sandbox started for the command."""
    if not args.sandbox:
        try:
            client = AsyncTelnyx()
        except TelnyxError as error:
            raise CommandError(f"{error}; or add --sandbox to run against an embedded sandbox") from None
        async with client:
            yield client
        return
    from ..testing import Sandbox  # imported only when asked for: it brings in aiohttp's server

    async with (
        Sandbox(lifecycle_step=lifecycle_step) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        print(
            f"sandbox serving the Telnyx API at {sandbox.base_url} (no Telnyx account needed)",
            file=sys.stderr,
        )
        yield client


async def _wait(client: AsyncTelnyx, order_id: str, args: argparse.Namespace) -> InexplicitNumberOrder:
    progress = ProgressLine(sys.stderr)
    try:
        return await client.inexplicit_number_orders.wait(
            order_id, timeout=args.timeout, poll_interval=args.poll_interval, on_progress=progress
        )
    finally:
        progress.finish()


def _answered(value: T | None, what: str) -> T:
    """`value`, which Telnyx may leave out (every field is optional), or an error saying it did."""
    if value is None:
        raise TelnyxError(f"Telnyx answered without {what}")
    return value


def _show_order(order: InexplicitNumberOrder | None, args: argparse.Namespace) -> None:
    order = _answered(order, "the order")
    _out(as_json({"data": order}) if args.json else inexplicit_order_text(order))


async def _show_finished(client: AsyncTelnyx, order: InexplicitNumberOrder, args: argparse.Namespace) -> None:
    """A finished order, and the numbers it bought."""
    numbers = (await client.inexplicit_number_orders.retrieve_fulfillment(order)).phone_numbers
    if args.json:
        _out(as_json({"data": order, "phone_numbers": numbers}))
    else:
        _out(inexplicit_order_text(order))
        _out(_bought(numbers))


def _bought(numbers: tuple[NumberOrderPhoneNumber, ...]) -> str:
    return f"it bought {len(numbers)} numbers:\n{phone_numbers_table(numbers)}"


async def retrieve(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        _show_order((await client.inexplicit_number_orders.retrieve(args.id)).data, args)
    return 0


async def list_orders(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        listing = client.inexplicit_number_orders.list(page_size=args.page_size)
        if args.all:
            orders = tuple([order async for order in listing])
            _out(as_json({"data": orders}) if args.json else inexplicit_orders_table(orders))
        else:
            page = await listing
            document = {"data": page.data, "meta": page.meta}
            _out(as_json(document) if args.json else inexplicit_orders_table(page.data))
    return 0


async def create(args: argparse.Namespace) -> int:
    group: OrderingGroupDict = {
        "country_iso": args.country,
        "phone_number_type": args.type,
        "count_requested": args.count,
    }
    if args.area_code is not None:
        group["national_destination_code"] = args.area_code
    if args.strategy is not None:
        group["strategy"] = args.strategy
    async with _client(args) as client:
        created = await client.inexplicit_number_orders.create(
            ordering_groups=[group], customer_reference=args.customer_reference
        )
        order = created.data
        args.placed = order.id if order is not None else None  # for `interrupted`, should Ctrl-C come
        if args.wait and order is not None and order.id is not None:
            await _show_finished(client, await _wait(client, order.id, args), args)
        else:
            _show_order(order, args)
    return 0


def interrupted(args: argparse.Namespace) -> str:
    """What to say when Ctrl-C stops a command: for a create, whether the order may exist and how to check."""
    if args.command != "create":
        return "interrupted"
    placed = getattr(args, "placed", None)
    if placed is not None:
        order_id = escape(placed)
        return (
            f"interrupted while waiting: order {order_id} was placed; "
            f"`telnyx-orders wait {order_id}` waits for it again"
        )
    wanted = (
        f"an order with customer reference {args.customer_reference!r}" if args.customer_reference else "it"
    )
    return (
        "interrupted before Telnyx answered: the order may have been placed all the same; "
        f"look for {wanted} with `telnyx-orders list` before creating it again"
    )


async def wait(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        await _show_finished(client, await _wait(client, args.id, args), args)
    return 0


async def number_order(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        order = (await client.number_orders.retrieve(args.id)).data
    order = _answered(order, "the number order")
    _out(as_json({"data": order}) if args.json else number_order_text(order))
    return 0


async def sub_number_order(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        order = (await client.sub_number_orders.retrieve(args.id, include_phone_numbers=True)).data
    order = _answered(order, "the sub number order")
    _out(as_json({"data": order}) if args.json else sub_number_order_text(order))
    return 0


async def sandbox(args: argparse.Namespace) -> int:
    from ..testing import Sandbox

    try:
        running = Sandbox(
            host=args.host,
            port=args.port,
            api_key=args.api_key,
            lifecycle_step=args.lifecycle_step,
            webhook_url=args.webhook_url,
        )
    except ImportError as error:  # a webhook URL without the webhooks extra
        raise CommandError(str(error)) from None
    try:
        await running.start()
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise CommandError(f"cannot listen on {args.host} port {args.port}: {reason}") from None
    try:
        print(f"sandbox serving the Telnyx API at {running.base_url}", file=sys.stdout)
        print(
            f"  export TELNYX_BASE_URL={running.base_url} TELNYX_API_KEY={running.api_key}", file=sys.stdout
        )
        if running.webhook_url is not None:
            print(f"  webhooks go to {running.webhook_url}, signed with the key:", file=sys.stdout)
            print(f"  export TELNYX_PUBLIC_KEY={running.webhook_public_key}", file=sys.stdout)
        print("  press Ctrl-C to stop", file=sys.stdout, flush=True)
        await asyncio.Event().wait()
    finally:
        await running.close()
    return 0  # pragma: no cover - the wait above ends only by cancellation


async def demo(args: argparse.Namespace) -> int:
    """The whole journey on an embedded sandbox: create, wait with progress, retrieve by id, the numbers."""
    args.sandbox = True
    async with _client(args, lifecycle_step=DEMO_LIFECYCLE_STEP) as client:
        group: OrderingGroupDict = {
            "country_iso": "US",
            "phone_number_type": "local",
            "count_requested": 3,
            "national_destination_code": "312",
        }
        created = await client.inexplicit_number_orders.create(
            ordering_groups=[group], customer_reference="demo"
        )
        order_id = _answered(_answered(created.data, "the order").id, "the order's id")
        if not args.json:
            _out(f"created inexplicit number order {order_id}: 3 US local numbers in area code 312")
        await _wait(client, order_id, args)
        order = _answered((await client.inexplicit_number_orders.retrieve(order_id)).data, "the order")
        fulfillment = await client.inexplicit_number_orders.retrieve_fulfillment(order)
    if args.json:
        _out(as_json({"order": order, "phone_numbers": fulfillment.phone_numbers}))
    else:
        _out(f"retrieved it by id:\n{inexplicit_order_text(order)}")
        _out(_bought(fulfillment.phone_numbers))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[None, None, int]]] = {
    "retrieve": retrieve,
    "list": list_orders,
    "create": create,
    "wait": wait,
    "number-order": number_order,
    "sub-number-order": sub_number_order,
    "sandbox": sandbox,
    "demo": demo,
}
