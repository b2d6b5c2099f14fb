"""What every resource's documents share: ids, timestamps, phone number objects, and how fields are set.

The spec declares no field nullable and every field optional, so a field without a value is left out
of a document rather than sent as ``null``.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

JSONDict = dict[str, Any]

CONNECTION_ID = "346789098765567"
CUSTOMER_REFERENCE = "MY REF 001"


def new_id() -> str:
    """A fresh uuid4 as a string."""
    return str(uuid.uuid4())


def timestamp(moment: datetime | None = None) -> str:
    """ISO 8601 UTC with microseconds and a ``Z`` suffix, e.g. ``2026-11-28T02:54:20.123456Z``."""
    moment = datetime.now(timezone.utc) if moment is None else moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_ISO_8601 = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[Tt ](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:[.,](?P<fraction>[0-9]{1,9}))?)?)?"
    r"(?P<zone>[Zz]|(?P<sign>[+-])(?P<zone_hour>[0-9]{2})(?::?(?P<zone_minute>[0-9]{2}))?)?"
)


def parse_timestamp(text: str) -> datetime | None:
    """An ISO 8601 date or date-time as an aware ``datetime`` (UTC unless an offset says otherwise).

    ``None`` when ``text`` is not one; the same on every Python version, unlike ``fromisoformat``.
    """
    match = _ISO_8601.fullmatch(text)
    if match is None:
        return None
    part = match.groupdict()
    zone = timezone.utc
    if part["sign"] is not None:
        offset = timedelta(hours=int(part["zone_hour"]), minutes=int(part["zone_minute"] or 0))
        if offset >= timedelta(hours=24):
            return None
        zone = timezone(-offset if part["sign"] == "-" else offset)
    try:
        return datetime.fromisoformat(part["date"]).replace(
            hour=int(part["hour"] or 0),
            minute=int(part["minute"] or 0),
            second=int(part["second"] or 0),
            microsecond=int((part["fraction"] or "0")[:6].ljust(6, "0")),
            tzinfo=zone,
        )
    except ValueError:
        return None


def put(doc: JSONDict, fields: Mapping[str, object]) -> JSONDict:
    """Set ``fields`` on ``doc`` and return it; a field whose value is ``None`` is removed instead."""
    for key, value in fields.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def phone_number(
    number: str, *, country_code: str, phone_number_type: str, status: str, bundle_id: str | None = None
) -> JSONDict:
    """A ``PhoneNumber`` object as a number order or sub number order lists it."""
    doc: JSONDict = {
        "id": new_id(),
        "record_type": "number_order_phone_number",
        "phone_number": number,
        "country_code": country_code,
        "country_iso_alpha2": country_code,
        "phone_number_type": phone_number_type,
        "regulatory_requirements": [],
        "requirements_met": True,
        "requirements_status": "approved",
        "status": status,
    }
    return put(doc, {"bundle_id": bundle_id})


def check_key(doc: JSONDict) -> str:
    """``doc["id"]``, or ``ValueError`` when a document to store has no string id."""
    key = doc.get("id")
    if not isinstance(key, str):
        raise ValueError(f"a stored document needs a string 'id' (got {key!r}); pass id= to seed_raw")
    return key
