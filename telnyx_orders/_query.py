"""Query parameters as Telnyx spells them, each checked before any request is sent."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

__all__ = ["country", "e164", "flag", "listed", "present", "text", "timestamp", "whole_number"]

_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


def present(params: Mapping[str, str | None]) -> dict[str, str]:
    """The parameters that were given: `None` means "not asked for" and is left off the wire."""
    return {name: value for name, value in params.items() if value is not None}


def text(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty; leave it out (None) to not filter on it")
    return value


def flag(value: bool | None, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
    return "true" if value else "false"


def whole_number(value: int | None, name: str, *, minimum: int, maximum: int | None = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
        raise ValueError(f"{name} must be {bounds}, not {value}")
    return str(value)


def timestamp(value: datetime | str | None, name: str) -> str | None:
    """An ISO 8601 timestamp; a `datetime` must say its time zone, or "later than" would be a guess."""
    if value is None or isinstance(value, str):
        return text(value, name)
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime or an ISO 8601 str, not {type(value).__name__}")
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, e.g. datetime(..., tzinfo=timezone.utc)")
    return value.isoformat()


def country(value: str | None, name: str) -> str | None:
    """A two-letter ISO 3166-1 country code, upper-cased as Telnyx writes them."""
    checked = text(value, name)
    if checked is None:
        return None
    if not _COUNTRY_CODE.fullmatch(checked):
        raise ValueError(f"{name} must be a two-letter ISO 3166-1 country code such as 'US', not {value!r}")
    return checked.upper()


def e164(value: str | None, name: str) -> str | None:
    from .types._params import check_e164  # when used, as `_converter` imports the params (3 ms)

    return None if value is None else check_e164(value, name)


def listed(values: Sequence[str] | None, name: str) -> str | None:
    """A list of words as one comma-separated value (`sms,voice`), the way the official `telnyx` SDK
    encodes a list in a query (its client's `Querystring(array_format="comma")`)."""
    if values is None:
        return None
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a list of str, such as ['sms', 'voice'], not {values!r}")
    if not values:
        raise ValueError(f"{name} must not be empty; leave it out (None) to not filter on it")
    for value in values:
        if not isinstance(value, str):
            raise TypeError(f"{name} must hold str, not {type(value).__name__}")
        if not value or "," in value:
            raise ValueError(f"{name} must hold non-empty words without commas, not {value!r}")
    return ",".join(values)
