"""What the command prints: readable tables, or JSON with the keys Telnyx uses.

The text renderers print what the server sent through `printable`: no control character in it reaches
the terminal. (JSON escapes them itself.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from .._converter import unstructure
from .._error_mapping import summarize
from .._errors import APIStatusError, TelnyxError
from ..types import (
    InexplicitNumberOrder,
    NumberOrderPhoneNumber,
    NumberOrderWithPhoneNumbers,
    OrderingGroup,
    SubNumberOrder,
)
from ._untrusted import escape, printable

__all__ = [
    "as_json",
    "describe_error",
    "group_progress",
    "inexplicit_order_text",
    "inexplicit_orders_table",
    "number_order_text",
    "phone_numbers_table",
    "sub_number_order_text",
]


def as_json(value: object) -> str:
    """`value` (models, tuples and dicts of them) as indented JSON, keys as Telnyx spells them."""
    return json.dumps(unstructure(value), indent=2)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Left-aligned columns, two spaces apart; `None` shows as `-`."""
    cells = [list(headers), *([_cell(value) for value in row] for row in rows)]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    )


def inexplicit_order_text(order: InexplicitNumberOrder) -> str:
    order = printable(order)
    lines = [f"inexplicit number order {order.id}"]
    details = [
        ("customer reference", order.customer_reference),
        ("created", _moment(order.created_at)),
        ("updated", _moment(order.updated_at)),
    ]
    lines += [f"  {label}: {value}" for label, value in details if value]
    groups = order.ordering_groups or ()
    lines.append(
        table(
            ("COUNTRY", "TYPE", "REQUESTED", "ALLOCATED", "STATUS", "AREA CODE", "STRATEGY", "NUMBER ORDERS"),
            (
                (
                    group.country_iso,
                    group.phone_number_type,
                    group.count_requested,
                    group.count_allocated,
                    group.status if not group.error_reason else f"{group.status} ({group.error_reason})",
                    group.national_destination_code,
                    group.strategy,
                    ", ".join(link.number_order_id or "?" for link in group.orders or ()) or None,
                )
                for group in groups
            ),
        )
    )
    return "\n".join(lines)


def inexplicit_orders_table(orders: Iterable[InexplicitNumberOrder]) -> str:
    orders = printable(tuple(orders))
    return table(
        ("ID", "CREATED", "CUSTOMER REFERENCE", "ORDERING GROUPS"),
        (
            (
                order.id,
                _moment(order.created_at),
                order.customer_reference,
                group_progress(order.ordering_groups),
            )
            for order in orders
        ),
    )


def number_order_text(order: NumberOrderWithPhoneNumbers) -> str:
    order = printable(order)
    header = f"number order {order.id}: {order.status}, {order.phone_numbers_count} numbers"
    if order.customer_reference:
        header += f" (customer reference {order.customer_reference})"
    return f"{header}\n{phone_numbers_table(order.phone_numbers or ())}"


def sub_number_order_text(order: SubNumberOrder) -> str:
    order = printable(order)
    header = (
        f"sub number order {order.id} of number order {order.order_request_id}: {order.status}, "
        f"{order.country_code} {order.phone_number_type}, {order.phone_numbers_count} numbers"
    )
    return f"{header}\n{phone_numbers_table(order.phone_numbers or ())}"


def phone_numbers_table(numbers: Iterable[NumberOrderPhoneNumber]) -> str:
    numbers = printable(tuple(numbers))
    return table(
        ("PHONE NUMBER", "TYPE", "STATUS"),
        ((number.phone_number, number.phone_number_type, number.status) for number in numbers),
    )


def group_progress(groups: Iterable[OrderingGroup] | None) -> str:
    """`US local 3/3 success, CA toll_free 0/2 processing`: each group's kind, fill and status."""
    groups = printable(tuple(groups or ()))
    return ", ".join(
        f"{_cell(group.country_iso)} {_cell(group.phone_number_type)} "
        f"{group.count_allocated or 0}/{_cell(group.count_requested)} {_cell(group.status)}"
        for group in groups
    )


def describe_error(error: TelnyxError) -> str:
    """One line: the status, then each Telnyx error with its code and detail, then the request id."""
    if not isinstance(error, APIStatusError) or not error.errors:
        return escape(str(error))
    line = escape(f"{error.status_code} {summarize(error.errors)}")
    if error.request_id:
        line += f" (request id {escape(error.request_id)})"
    if error.may_have_taken_effect:
        line += "; the order may exist: list recent orders before trying again"
    return line


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def _moment(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
