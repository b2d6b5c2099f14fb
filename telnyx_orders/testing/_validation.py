"""Create-request bodies: read as JSON, checked against the rules the spec states, returned as typed requests.

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

import dataclasses
import json
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


@dataclasses.dataclass(frozen=True)
class OrderingGroupRequest:
    """One valid ``ordering_groups[]`` entry; ``count_requested`` already an integer."""

    country_iso: str
    phone_number_type: str
    count_requested: int
    strategy: Strategy = "always"
    national_destination_code: str | None = None
    administrative_area: str | None = None
    locality: str | None = None
    starts_with: str | None = None
    ends_with: str | None = None
    contains: str | None = None
    features: tuple[str, ...] = ()
    quickship: bool = False
    exclude_held_numbers: bool = False


@dataclasses.dataclass(frozen=True)
class InexplicitNumberOrderRequest:
    """A valid ``CreateInexplicitNumberOrder`` body."""

    ordering_groups: tuple[OrderingGroupRequest, ...]
    shared: dict[str, str | None]
    """The :data:`SHARED_FIELDS`, ``None`` when absent."""


@dataclasses.dataclass(frozen=True)
class NumberRequest:
    """One valid ``phone_numbers[]`` entry of a number order."""

    phone_number: str
    bundle_id: str | None = None
    requirement_group_id: str | None = None


@dataclasses.dataclass(frozen=True)
class NumberOrderRequest:
    """A valid ``CreateNumberOrder`` body."""

    phone_numbers: tuple[NumberRequest, ...]
    shared: dict[str, str | None]
    """The :data:`SHARED_FIELDS`, ``None`` when absent."""


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _object(value: object) -> JSONDict | None:
    """``value`` if it is a JSON object (whose keys are always strings), else ``None``."""
    return cast("JSONDict", value) if isinstance(value, dict) else None


def _array(value: object) -> list[object] | None:
    """``value`` if it is a JSON array, else ``None``."""
    return cast("list[object]", value) if isinstance(value, list) else None


async def read_json_object(request: web.Request) -> JSONDict:
    """The body as a JSON object: 400 when absent, 415 unless ``application/json``, 400 unless JSON
    (hostile nesting included), 422 unless an object.

    The spec declares 400 ("often due to missing a required parameter") and not 415 on these operations,
    so a request without a body is a 400 whatever its content type; a body in another media type is a 415,
    as HTTP says (RFC 9110, 15.5.16), since the spec accepts ``application/json`` only.
    """
    raw = await request.read()
    if not raw:
        raise InvalidParameter(400, "The request body is missing: send a JSON object.")
    if request.content_type != "application/json":
        raise InvalidParameter(415, "The request body must be sent as application/json.")
    try:
        body: object = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise InvalidParameter(400, "The request body is not valid JSON.") from None
    found = _object(body)
    if found is None:
        raise InvalidBody([Problem("", "The request body must be a JSON object.")])
    return found


class _Checker:
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
        items = _array(obj[key])
        if items is None:
            self.report(f"/{key}", f"{key} must be an array.")
            return
        for index, item in enumerate(items):
            member = _object(item)
            if member is None:
                self.report(f"/{key}/{index}", f"{key}[{index}] must be an object.")
            else:
                yield f"/{key}/{index}", member

    def shared(self, body: Mapping[str, object]) -> dict[str, str | None]:
        return {key: self.string(body, key, "") for key in SHARED_FIELDS}


def _features(checker: _Checker, group: Mapping[str, object], at: str) -> tuple[str, ...]:
    if "features" not in group:
        return ()
    items = _array(group["features"])
    if items is None:
        checker.report(f"{at}/features", "features must be an array of strings.")
        return ()
    features: list[str] = []
    for index, feature in enumerate(items):
        if isinstance(feature, str):
            features.append(feature)
        else:
            checker.report(f"{at}/features/{index}", "features must be an array of strings.")
    return tuple(features)


def _search(checker: _Checker, group: Mapping[str, object], at: str) -> dict[str, str | None]:
    """The nested ``phone_number{starts_with, ends_with, contains}`` criteria."""
    if "phone_number" not in group:
        return {}
    criteria = _object(group["phone_number"])
    if criteria is None:
        checker.report(f"{at}/phone_number", "phone_number must be an object.")
        return {}
    return {
        key: checker.string(criteria, key, f"{at}/phone_number")
        for key in ("starts_with", "ends_with", "contains")
    }


def _ordering_group(checker: _Checker, group: Mapping[str, object], at: str) -> OrderingGroupRequest:
    country_iso = checker.string(group, "country_iso", at, required=True)
    if country_iso is not None and country_iso not in COUNTRIES:
        checker.report(f"{at}/country_iso", f"country_iso must be one of: {', '.join(COUNTRIES)}.")
    # A plain string in the spec: a type the sandbox does not stock is a group that fails, not a 422.
    phone_number_type = checker.string(group, "phone_number_type", at, required=True)
    count_requested = checker.string(group, "count_requested", at, required=True)
    strategy = checker.string(group, "strategy", at)
    if strategy is not None and strategy not in STRATEGIES:
        checker.report(f"{at}/strategy", f"strategy must be one of: {', '.join(STRATEGIES)}.")
    search = _search(checker, group, at)
    return OrderingGroupRequest(
        country_iso=country_iso or "",
        phone_number_type=phone_number_type or "",
        count_requested=quantity(count_requested or ""),
        strategy="never" if strategy == "never" else "always",
        # Any string: an area code the sandbox has no numbers for is a group that fails, not a 422.
        national_destination_code=checker.string(group, "national_destination_code", at),
        administrative_area=checker.string(group, "administrative_area", at),
        locality=checker.string(group, "locality", at),
        starts_with=search.get("starts_with"),
        ends_with=search.get("ends_with"),
        contains=search.get("contains"),
        features=_features(checker, group, at),
        quickship=checker.boolean(group, "quickship", at),
        exclude_held_numbers=checker.boolean(group, "exclude_held_numbers", at),
    )


def parse_inexplicit_number_order_request(body: Mapping[str, object]) -> InexplicitNumberOrderRequest:
    """Check a ``CreateInexplicitNumberOrder`` body; :class:`InvalidBody` lists every problem.

    ``ordering_groups`` is required but may be empty (the spec sets no ``minItems``): an order of nothing.
    """
    checker = _Checker()
    groups = tuple(
        _ordering_group(checker, group, at)
        for at, group in checker.objects(body, "ordering_groups", required=True)
    )
    shared = checker.shared(body)
    checker.raise_if_any()
    return InexplicitNumberOrderRequest(ordering_groups=groups, shared=shared)


def parse_number_order_request(body: Mapping[str, object]) -> NumberOrderRequest:
    """Check a ``CreateNumberOrder`` body; :class:`InvalidBody` lists every problem.

    ``phone_numbers`` may be absent or empty (the spec requires neither): an order of no numbers. A number
    named twice is ordered once, with the first entry's ids. A ``bundle_id`` that is not a uuid names no
    bundle (the spec's ``PhoneNumber.bundle_id`` is ``format: uuid``), so the number is ordered without one.
    """
    checker = _Checker()
    numbers: dict[str, NumberRequest] = {}
    for at, item in checker.objects(body, "phone_numbers", required=False):
        number = checker.string(item, "phone_number", at, required=True)
        bundle_id = checker.string(item, "bundle_id", at)
        requirement_group_id = checker.string(item, "requirement_group_id", at)
        # E.164 is no schema keyword but Telnyx documents it: the spec describes the field as
        # "e164_phone_number", as does Telnyx's API reference for "Create a number order"
        # (https://developers.telnyx.com/api/numbers/create-number-order: phone_number, string, required),
        # and Telnyx's error codes include 10016 "Phone number must be in +E.164 format".
        if number is not None and not E164.fullmatch(number):
            checker.report(f"{at}/phone_number", "phone_number must be in E.164 format, e.g. +19705555098.")
        elif number is not None and number not in numbers:
            bundle = bundle_id if bundle_id is not None and is_uuid(bundle_id) else None
            numbers[number] = NumberRequest(number, bundle, requirement_group_id)
    shared = checker.shared(body)
    checker.raise_if_any()
    return NumberOrderRequest(phone_numbers=tuple(numbers.values()), shared=shared)
