"""List filters (``filter[...]`` query parameters).

A value of the type the spec declares is accepted, and the data decides what it matches; a value of
another type, or a key the spec closes (``filter[created_at]`` takes only ``[gt]`` and ``[lt]``), is a
400 naming the parameter.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from telnyx_orders.testing._documents import parse_timestamp
from telnyx_orders.testing._errors import InvalidParameter
from telnyx_orders.testing._validation import MAX_COUNT, is_uuid, whole_number

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from telnyx_orders.testing._documents import JSONDict

    Predicate = Callable[[JSONDict], bool]

_INTEGER = re.compile(r"-?[0-9]+")
CREATED_AT = "filter[created_at]"
CREATED_AT_BOUNDS = ("gt", "lt")
"""The only keys of ``filter[created_at]``: the spec declares it ``additionalProperties: false``."""


def flag(query: Mapping[str, str], name: str) -> bool | None:
    """A ``true``/``false`` parameter (any case), ``None`` when absent; the spec types these boolean."""
    raw = query.get(name)
    if raw is None:
        return None
    if raw.lower() not in ("true", "false"):
        raise InvalidParameter(400, f"{name} must be true or false.", parameter=name)
    return raw.lower() == "true"


def integer_parameter(query: Mapping[str, str], name: str) -> str | None:
    """A parameter the spec types ``integer`` (sign allowed), ``None`` when absent."""
    raw = query.get(name)
    if raw is not None and not _INTEGER.fullmatch(raw):
        raise InvalidParameter(400, f"{name} must be an integer.", parameter=name)
    return raw


def uuid_parameter(query: Mapping[str, str], name: str) -> None:
    """Refuse a parameter the spec declares ``format: uuid`` unless it is one."""
    raw = query.get(name)
    if raw is not None and not is_uuid(raw):
        raise InvalidParameter(400, f"{name} must be a UUID.", parameter=name)


def _created_at(doc: JSONDict) -> datetime | None:
    value = doc.get("created_at")
    return parse_timestamp(value) if isinstance(value, str) else None


def equal(key: str, wanted: object) -> Predicate:
    """Keep a document whose ``key`` holds ``wanted``, of the same JSON type."""
    # bool is an int: never let a stored True match a requested count of 1, nor the reverse.
    return lambda doc: doc.get(key) == wanted and type(doc.get(key)) is type(wanted)


def nothing(_: JSONDict) -> bool:
    """A filter that keeps no document: a filter value that can match nothing."""
    return False


def all_of(predicates: list[Predicate]) -> Predicate:
    """Keep a document every predicate keeps."""
    return lambda doc: all(predicate(doc) for predicate in predicates)


def text_filters(query: Mapping[str, str], keys: tuple[str, ...]) -> list[Predicate]:
    """``filter[key]=text`` for each of ``keys`` given: the document's ``key`` is that text."""
    return [equal(key, query[f"filter[{key}]"]) for key in keys if f"filter[{key}]" in query]


def count_filter(raw: str | None) -> list[Predicate]:
    """``phone_numbers_count``: text that is not a whole number is a count no order has."""
    if raw is None:
        return []
    count = whole_number(raw, cap=MAX_COUNT)
    return [nothing if count is None else equal("phone_numbers_count", count)]


def created_between(query: Mapping[str, str]) -> list[Predicate]:
    """``filter[created_at][gt]``/``[lt]``, strict: strings in the spec, so any text is accepted, and
    text that names no moment (ISO 8601, e.g. ``2018-01-01T00:00:00.000000Z``) matches no order."""
    bounds = {f"{CREATED_AT}[{bound}]" for bound in CREATED_AT_BOUNDS}
    for key, value in query.items():
        # A bare, empty filter[created_at]= is how an empty object goes on the wire: no bound.
        empty = key == CREATED_AT and not value
        if key.startswith(CREATED_AT) and key not in bounds and not empty:
            raise InvalidParameter(
                400, f"{key} is not a filter: {CREATED_AT} takes [gt] and [lt].", parameter=key
            )
    raw_after, raw_before = (query.get(f"{CREATED_AT}[{bound}]") for bound in CREATED_AT_BOUNDS)
    if raw_after is None and raw_before is None:
        return []
    after = None if raw_after is None else parse_timestamp(raw_after)
    before = None if raw_before is None else parse_timestamp(raw_before)
    if (raw_after is not None and after is None) or (raw_before is not None and before is None):
        return [nothing]

    def created_between(doc: JSONDict) -> bool:
        created = _created_at(doc)
        return (
            created is not None
            and (after is None or created > after)
            and (before is None or created < before)
        )

    return [created_between]
