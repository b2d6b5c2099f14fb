"""The commands that finish an order: its regulatory requirements, cancelling, and reports.

`requirements ORDER_ID` shows what a number order's numbers still need; `provide ORDER_ID` gives it
(`--value REQUIREMENT_ID=VALUE`, repeatable, or `--requirement-group ID` for every sub number order);
`cancel SUB_ORDER_ID` cancels a pending sub number order; `report` asks for a CSV of sub number orders,
waits for it and saves it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path

from ..types import NumberOrderWithPhoneNumbers, RegulatoryRequirementParams
from ._commands import _answered, _client, _out  # pyright: ignore[reportPrivateUsage]
from ._render import as_json, table

__all__ = ["REQUIREMENT_COMMANDS", "add_parsers"]

Command = Callable[[argparse.Namespace], Coroutine[None, None, int]]


def add_parsers(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the commands of this module with the command line's `command(name, help)`."""
    command(
        "requirements", "show the regulatory requirements a number order's numbers still need"
    ).add_argument("id", help="the number order id")
    provide = command("provide", "give a number order's numbers values for their regulatory requirements")
    provide.add_argument("id", help="the number order id")
    provide.add_argument(
        "--value",
        action="append",
        default=[],
        type=_requirement_value,
        metavar="REQUIREMENT_ID=VALUE",
        help="a value (an address or document id, or a text) for one requirement; repeatable",
    )
    provide.add_argument(
        "--requirement-group", metavar="ID", help="meet every requirement with this requirement group"
    )
    command("cancel", "cancel a sub number order that is still pending").add_argument(
        "id", help="the sub number order id"
    )
    report = command("report", "ask for a CSV report of sub number orders, wait for it and save it")
    report.add_argument("--country", metavar="ISO", help="only sub number orders of this country")
    report.add_argument("--status", choices=("pending", "success", "failure"), help="only of this status")
    report.add_argument("--customer-reference", metavar="R", help="only those with this customer reference")
    report.add_argument("--order-request-id", metavar="ID", help="only those of this number order")
    report.add_argument(
        "--output", "-o", metavar="FILE", help="where to save the CSV (default: REPORT_ID.csv)"
    )
    report.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS", help="give up after (600)")
    report.add_argument(
        "--poll-interval", type=float, default=1.0, metavar="SECONDS", help="gap between polls (1)"
    )


def _requirement_value(text: str) -> RegulatoryRequirementParams:
    requirement_id, equals, value = text.partition("=")
    if not equals or not requirement_id or not value:
        raise argparse.ArgumentTypeError(f"expected REQUIREMENT_ID=VALUE, not {text!r}")
    return RegulatoryRequirementParams(requirement_id=requirement_id, field_value=value)


def _requirement_rows(order: NumberOrderWithPhoneNumbers) -> list[dict[str, str | None]]:
    return [
        {
            "phone_number_id": number.id,
            "phone_number": number.phone_number,
            "requirement_id": requirement.requirement_id,
            "field_type": None if requirement.field_type is None else str(requirement.field_type.value),
            "field_value": requirement.field_value,
        }
        for number in order.phone_numbers or ()
        for requirement in number.regulatory_requirements or ()
    ]


async def requirements(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        order = _answered((await client.number_orders.retrieve(args.id)).data, "the number order")
    rows = _requirement_rows(order)
    missing = [row for row in rows if row["field_value"] is None]
    if args.json:
        _out(as_json({"requirements_met": order.requirements_met, "requirements": rows}))
        return 0
    if not rows:
        _out(f"number order {order.id} needs no regulatory requirements (status {order.status})")
    elif not missing:
        _out(f"number order {order.id}: every requirement has a value (status {order.status})")
    else:
        _out(f"number order {order.id} waits for {len(missing)} requirement value(s):")
    if rows:
        headers = ("phone_number", "requirement_id", "field_type", "value")
        _out(
            table(
                headers,
                ((r["phone_number"], r["requirement_id"], r["field_type"], r["field_value"]) for r in rows),
            )
        )
    return 0


async def provide(args: argparse.Namespace) -> int:
    if not args.value and args.requirement_group is None:
        raise ValueError("give --value REQUIREMENT_ID=VALUE (repeatable) or --requirement-group ID")
    async with _client(args) as client:
        order = None
        if args.value:
            order = (await client.number_orders.update(args.id, regulatory_requirements=args.value)).data
        if args.requirement_group is not None:
            current = _answered((await client.number_orders.retrieve(args.id)).data, "the number order")
            for sub_id in current.sub_number_orders_ids or ():
                await client.sub_number_orders.update_requirement_group(
                    sub_id, requirement_group_id=args.requirement_group
                )
            order = (await client.number_orders.retrieve(args.id)).data
    order = _answered(order, "the number order")
    if args.json:
        _out(as_json({"data": order}))
    else:
        met = "met" if order.requirements_met else "not all met yet"
        _out(f"number order {order.id}: requirements {met}; status {order.status}")
    return 0


async def cancel(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        sub = _answered((await client.sub_number_orders.cancel(args.id)).data, "the sub number order")
    _out(as_json({"data": sub}) if args.json else f"sub number order {sub.id} cancelled: status {sub.status}")
    return 0


async def report(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        reports = client.sub_number_orders_report
        created = await reports.create(
            country_code=args.country,
            status=args.status,
            customer_reference=args.customer_reference,
            order_request_id=args.order_request_id,
        )
        report_id = _answered(_answered(created.data, "the report").id, "the report id")
        print(f"report {report_id} requested; waiting for it", file=sys.stderr)
        done = await reports.wait(report_id, timeout=args.timeout, poll_interval=args.poll_interval)
        if done.status != "success":
            raise ValueError(f"report {report_id} ended {done.status}; nothing to download")
        content = await reports.download(report_id)
    path = Path(args.output or f"{report_id}.csv")
    await asyncio.to_thread(path.write_bytes, content)
    rows = max(len(content.splitlines()) - 1, 0)
    if args.json:
        _out(as_json({"report_id": report_id, "path": str(path), "rows": rows}))
    else:
        _out(f"saved report {report_id} ({rows} sub number orders) to {path}")
    return 0


REQUIREMENT_COMMANDS: dict[str, Command] = {
    "requirements": requirements,
    "provide": provide,
    "cancel": cancel,
    "report": report,
}
