"""Request bodies: read as JSON and checked against the rules the spec states, by each resource's parser.

The spec's schema is the rule book: a required field, a JSON type, an enum, a ``format`` it declares. A
rule the spec does not state is enforced only where Telnyx documents it, and the rule says which document
(today only the E.164 form of a number order's ``phone_number``). Anything else the spec accepts is
accepted, and the data decides what it gets: an area code, number type or quantity the sandbox has no
numbers for is an ordering group that fails for lack of inventory, not a 422.

Every problem found is reported (422, one error each, with an RFC 6901 ``source.pointer``), not just
the first. Unknown keys are ignored (the schemas allow additional properties). ``null`` is refused where
the spec says ``string``, ``boolean``, ``array`` or ``object``: JSON Schema's ``type`` excludes it.
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Literal, cast

from telnyx_orders.testing._errors import InvalidBody, InvalidParameter, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict

COUNTRIES = ("US", "CA")
"""The ``country_iso`` values an inexplicit number order accepts (the spec's enum), both stocked."""
PHONE_NUMBER_TYPES = ("local", "mobile", "national", "shared_cost", "toll_free")
"""The number types the sandbox stocks: those the spec's ``PhoneNumber`` can describe. The request's
``phone_number_type`` is a plain string in the spec; an ordering group of another type gets no numbers."""
STRATEGIES = ("always", "never")
SHARED_FIELDS = ("connection_id", "messaging_profile_id", "billing_group_id", "customer_reference")
"""Top-level request strings that created orders (and the number orders they spawn) carry over."""

E164 = re.compile(r"\+[1-9][0-9]{1,14}")
AREA_CODE = re.compile(r"[0-9]{3}")
"""An area code the sandbox stocks numbers for: three digits, as in the North American numbering plan."""
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
"""The hyphenated form that JSON Schema's ``format: uuid`` (RFC 4122) names."""
_DIGITS = re.compile(r"[0-9]+")
MAX_COUNT = 10**15
"""The largest ``count_requested`` read: more numbers than E.164 has (its numbers have at most 15 digits)."""

Strategy = Literal["always", "never"]


def is_uuid(text: str) -> bool:
    """Whether ``text`` is a uuid in the hyphenated form ``format: uuid`` names."""
    return UUID.fullmatch(text) is not None


def whole_number(text: str, *, cap: int) -> int | None:
    """``text`` as a non-negative integer if it is ASCII digits (``cap`` when larger), else ``None``.

    The cap keeps absurdly long numbers within what ``int`` converts and what JSON answers may echo.
    """
    if not _DIGITS.fullmatch(text):
        return None
    digits = text.lstrip("0")
    return cap if len(digits) > len(str(cap)) else min(int(digits or "0"), cap)


def quantity(count_requested: str) -> int:
    """How many numbers an ordering group asks for.

    The spec types ``count_requested`` a plain string ("Quantity of phone numbers to order") and states
    no pattern, so any string is accepted: a whole number asks for that many (at most :data:`MAX_COUNT`),
    anything else (``"five"``, ``"-1"``, ``""``) asks for none, and a group that gets no numbers fails.
    """
    count = whole_number(count_requested, cap=MAX_COUNT)
    return 0 if count is None else count


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def json_object(value: object) -> JSONDict | None:
    """``value`` if it is a JSON object (whose keys are always strings), else ``None``."""
    return cast("JSONDict", value) if isinstance(value, dict) else None


def json_array(value: object) -> list[object] | None:
    """``value`` if it is a JSON array, else ``None``."""
    return cast("list[object]", value) if isinstance(value, list) else None


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400: JSON's grammar allows it, but it would be sent back as Infinity
        raise ValueError(f"{text} is too large for a number")
    return value


async def read_json_object(request: web.Request) -> JSONDict:
    """The body as a JSON object: 400 when absent, 415 unless ``application/json``, 400 unless JSON,
    422 unless an object.

    The spec declares 400 ("often due to missing a required parameter") and not 415 on these operations,
    so a request without a body is a 400 whatever its content type; a body in another media type is a 415,
    as HTTP says (RFC 9110, 15.5.16), since the spec accepts ``application/json`` only. Hostile JSON is a
    400 too: invalid UTF-8, ``NaN`` or a number too large for a float, an integer of more than 4300
    digits (Python's limit), nesting deeper than Python's recursion limit.
    """
    raw = await request.read()
    if not raw:
        raise InvalidParameter(400, "The request body is missing: send a JSON object.")
    if request.content_type != "application/json":
        raise InvalidParameter(415, "The request body must be sent as application/json.")
    try:
        body: object = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError:
        raise InvalidParameter(400, "The request body is nested too deeply.") from None
    except ValueError:
        raise InvalidParameter(400, "The request body is not valid JSON.") from None
    found = json_object(body)
    if found is None:
        raise InvalidBody([Problem("", "The request body must be a JSON object.")])
    return found


class Checker:
    """Collects the problems of one body while reading its fields.

    A key that is absent is absent; a key present with the wrong JSON type (``null`` included) is a problem.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def report(self, pointer: str, detail: str) -> None:
        self.problems.append(Problem(pointer, detail))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidBody(self.problems)

    def string(self, obj: Mapping[str, object], key: str, at: str, *, required: bool = False) -> str | None:
        if key not in obj:
            if required:
                self.report(f"{at}/{key}", f"{key} is required.")
            return None
        value = obj[key]
        if isinstance(value, str):
            return value
        self.report(f"{at}/{key}", f"{key} must be a string.")
        return None

    def boolean(self, obj: Mapping[str, object], key: str, at: str) -> bool:
        value = obj.get(key, False)
        if isinstance(value, bool):
            return value
        self.report(f"{at}/{key}", f"{key} must be a boolean.")
        return False

    def objects(
        self, obj: Mapping[str, object], key: str, *, required: bool
    ) -> Iterator[tuple[str, Mapping[str, object]]]:
        """The objects of the array ``obj[key]`` with their pointers, reporting the rest."""
        if key not in obj:
            if required:
                self.report(f"/{key}", f"{key} is required.")
            return
        items = json_array(obj[key])
        if items is None:
            self.report(f"/{key}", f"{key} must be an array.")
            return
        for index, item in enumerate(items):
            member = json_object(item)
            if member is None:
                self.report(f"/{key}/{index}", f"{key}[{index}] must be an object.")
            else:
                yield f"/{key}/{index}", member

    def shared(self, body: Mapping[str, object]) -> dict[str, str | None]:
        return {key: self.string(body, key, "") for key in SHARED_FIELDS}
