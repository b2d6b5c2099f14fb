"""The `telnyx-orders` command."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

from ._client import AsyncTelnyx
from .testing import Sandbox
from .types import InexplicitNumberOrder, NumberOrderWithPhoneNumbers

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = argparse.ArgumentParser(
        prog="telnyx-orders", description="Telnyx number ordering from the shell."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "demo", help="retrieve an inexplicit number order from an embedded sandbox (no Telnyx account needed)"
    )
    parser.parse_args(argv)
    asyncio.run(_demo())
    return 0


async def _demo() -> None:
    async with Sandbox() as sandbox:
        seeded = sandbox.add_inexplicit_number_order(customer_reference="demo")
        print(f"sandbox serving the Telnyx API at {sandbox.base_url}")
        async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
            order = (await client.inexplicit_number_orders.retrieve(seeded["id"])).data
            if order is None:
                return
            number_order_ids = [
                link.number_order_id
                for group in order.ordering_groups or ()
                for link in group.orders or ()
                if link.number_order_id
            ]
            number_orders = await asyncio.gather(
                *(client.number_orders.retrieve(number_order_id) for number_order_id in number_order_ids)
            )
        print(_describe(order, [response.data for response in number_orders if response.data]))


def _describe(order: InexplicitNumberOrder, number_orders: Sequence[NumberOrderWithPhoneNumbers]) -> str:
    lines = [f"inexplicit number order {order.id} (customer reference {order.customer_reference})"]
    for group in order.ordering_groups or ():
        lines.append(
            f"  {group.country_iso} {group.phone_number_type}: {group.count_allocated} of "
            f"{group.count_requested} numbers, {group.status}"
        )
    for number_order in number_orders:
        lines.append(f"  number order {number_order.id}: {number_order.status}")
        lines.extend(f"    {number.phone_number}" for number in number_order.phone_numbers or ())
    return "\n".join(lines)
