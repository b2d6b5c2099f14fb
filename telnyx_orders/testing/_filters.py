"""List filters (``filter[...]`` query parameters): a bad value is a 400 naming the parameter."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from telnyx_orders.testing._documents import parse_timestamp
from telnyx_orders.testing._errors import InvalidParameter

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from telnyx_orders.testing._documents import JSONDict

    Predicate = Callable[[JSONDict], bool]

_DIGITS = re.compile(r"[0-9]+")


def flag(query: Mapping[str, str], name: str) -> bool | None:
    """A ``true``/``false`` parameter (any case), ``None`` when absent."""
    raw = query.get(name)
    if raw is None:
        return None
    if raw.lower() not in ("true", "false"):
        raise InvalidParameter(400, f"{name} must be true or false.", parameter=name)
    return raw.lower() == "true"


def _count(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw):
        raise InvalidParameter(400, f"{name} must be a non-negative integer.", parameter=name)
    return int(raw)


def _moment(query: Mapping[str, str], name: str) -> datetime | None:
    raw = query.get(name)
    if raw is None:
        return None
    moment = parse_timestamp(raw)
    if moment is None:
        raise InvalidParameter(
            400, f"{name} must be an ISO 8601 date-time, e.g. 2018-01-01T00:00:00.000000Z.", parameter=name
        )
    return moment


def _created_at(doc: JSONDict) -> datetime | None:
    value = doc.get("created_at")
    return parse_timestamp(value) if isinstance(value, str) else None


def _equal(key: str, wanted: object) -> Predicate:
    # bool is an int: never let a stored True match a requested count of 1, nor the reverse.
    return lambda doc: doc.get(key) == wanted and type(doc.get(key)) is type(wanted)


def _all(predicates: list[Predicate]) -> Predicate:
    return lambda doc: all(predicate(doc) for predicate in predicates)


def _text_filters(query: Mapping[str, str], keys: tuple[str, ...]) -> list[Predicate]:
    return [_equal(key, query[f"filter[{key}]"]) for key in keys if f"filter[{key}]" in query]


def _count_filter(query: Mapping[str, str]) -> list[Predicate]:
    count = _count(query, "filter[phone_numbers_count]")
    return [] if count is None else [_equal("phone_numbers_count", count)]


def number_order_filter(query: Mapping[str, str]) -> Predicate:
    """``ListNumberOrders``: ``status``, ``created_at[gt]``/``[lt]`` (strict), ``phone_numbers_count``,
    ``customer_reference``, ``requirements_met``; all must hold."""
    predicates = _text_filters(query, ("status", "customer_reference")) + _count_filter(query)
    requirements_met = flag(query, "filter[requirements_met]")
    if requirements_met is not None:
        predicates.append(_equal("requirements_met", requirements_met))
    after = _moment(query, "filter[created_at][gt]")
    before = _moment(query, "filter[created_at][lt]")
    if after is not None or before is not None:

        def created_between(doc: JSONDict) -> bool:
            created = _created_at(doc)
            return (
                created is not None
                and (after is None or created > after)
                and (before is None or created < before)
            )

        predicates.append(created_between)
    return _all(predicates)


def sub_number_order_filter(query: Mapping[str, str]) -> Predicate:
    """``ListSubNumberOrders``: ``status``, ``order_request_id``, ``country_code``, ``phone_number_type``,
    ``phone_numbers_count``; all must hold."""
    keys = ("status", "order_request_id", "country_code", "phone_number_type")
    return _all(_text_filters(query, keys) + _count_filter(query))
