"""Query parameters as Telnyx spells them, each checked before any request is sent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

__all__ = ["flag", "present", "text", "timestamp", "whole_number"]


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
