"""Create-request bodies: read as JSON, checked the way Telnyx checks them, returned as typed requests.

Every problem found is reported (422, one error each, with an RFC 6901 ``source.pointer``), not just
the first. Unknown keys are ignored, and ``null`` counts as absent for an optional field.
"""

from __future__ import annotations

import dataclasses
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
"""The ``country_iso`` values an inexplicit number order accepts (the spec's enum)."""
PHONE_NUMBER_TYPES = ("local", "mobile", "national", "shared_cost", "toll_free")
"""The ``phone_number_type`` values an ordering group accepts: those the spec's ``PhoneNumber`` can have."""
STRATEGIES = ("always", "never")
SHARED_FIELDS = ("connection_id", "messaging_profile_id", "billing_group_id", "customer_reference")
"""Top-level request strings that created orders (and the number orders they spawn) carry over."""

E164 = re.compile(r"\+[1-9][0-9]{1,14}")
AREA_CODE = re.compile(r"[0-9]{3}")
_DIGITS = re.compile(r"[0-9]+")

Strategy = Literal["always", "never"]


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


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400: JSON's grammar allows it, but it would be sent back as Infinity
        raise ValueError(f"{text} is too large for a number")
    return value


async def read_json_object(request: web.Request) -> JSONDict:
    """The body as a JSON object: 415 unless ``application/json``, 400 unless JSON, 422 unless an object.

    Hostile JSON is a 400 too: invalid UTF-8, ``NaN`` or a number too large for a float, an integer
    of more than 4300 digits (Python's limit), nesting deeper than Python's recursion limit.
    """
    if request.content_type != "application/json":
        raise InvalidParameter(415, "The request body must be sent as application/json.")
    try:
        body: object = json.loads(
            await request.read(), parse_constant=_reject_constant, parse_float=_finite_float
        )
    except RecursionError:
        raise InvalidParameter(400, "The request body is nested too deeply.") from None
    except ValueError:
        raise InvalidParameter(400, "The request body is not valid JSON.") from None
    found = _object(body)
    if found is None:
        raise InvalidBody([Problem("", "The request body must be a JSON object.")])
    return found


class _Checker:
    """Collects the problems of one body while reading its fields."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def report(self, pointer: str, detail: str) -> None:
        self.problems.append(Problem(pointer, detail))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidBody(self.problems)

    def string(self, obj: Mapping[str, object], key: str, at: str, *, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.report(f"{at}/{key}", f"{key} is required.")
            return None
        if isinstance(value, str):
            return value
        self.report(f"{at}/{key}", f"{key} must be a string.")
        return None

    def boolean(self, obj: Mapping[str, object], key: str, at: str) -> bool:
        value = obj.get(key)
        if value is None or isinstance(value, bool):
            return bool(value)
        self.report(f"{at}/{key}", f"{key} must be a boolean.")
        return False

    def objects(self, obj: Mapping[str, object], key: str) -> Iterator[tuple[str, Mapping[str, object]]]:
        """The objects of the non-empty array ``obj[key]`` with their pointers, reporting the rest."""
        value = obj.get(key)
        if value is None:
            self.report(f"/{key}", f"{key} is required.")
            return
        items = _array(value)
        if not items:
            self.report(f"/{key}", f"{key} must be a non-empty array.")
            return
        for index, item in enumerate(items):
            member = _object(item)
            if member is None:
                self.report(f"/{key}/{index}", f"{key}[{index}] must be an object.")
            else:
                yield f"/{key}/{index}", member

    def shared(self, body: Mapping[str, object]) -> dict[str, str | None]:
        return {key: self.string(body, key, "") for key in SHARED_FIELDS}


def _count_requested(checker: _Checker, group: Mapping[str, object], at: str) -> int:
    value = group.get("count_requested")
    if value is None:
        checker.report(f"{at}/count_requested", "count_requested is required.")
        return 0
    if isinstance(value, str) and _DIGITS.fullmatch(value) and int(value) >= 1:
        return int(value)
    checker.report(
        f"{at}/count_requested", "count_requested must be a string of decimal digits, at least 1 (e.g. '5')."
    )
    return 0


def _features(checker: _Checker, group: Mapping[str, object], at: str) -> tuple[str, ...]:
    value = group.get("features")
    if value is None:
        return ()
    items = _array(value)
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
    value = group.get("phone_number")
    if value is None:
        return {}
    criteria = _object(value)
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
    phone_number_type = checker.string(group, "phone_number_type", at, required=True)
    if phone_number_type is not None and phone_number_type not in PHONE_NUMBER_TYPES:
        checker.report(
            f"{at}/phone_number_type", f"phone_number_type must be one of: {', '.join(PHONE_NUMBER_TYPES)}."
        )
    count_requested = _count_requested(checker, group, at)
    strategy = group.get("strategy")
    if strategy is not None and strategy not in STRATEGIES:
        checker.report(f"{at}/strategy", f"strategy must be one of: {', '.join(STRATEGIES)}.")
    area_code = checker.string(group, "national_destination_code", at)
    if area_code is not None and not AREA_CODE.fullmatch(area_code):
        checker.report(
            f"{at}/national_destination_code", "national_destination_code must be a 3-digit area code."
        )
    search = _search(checker, group, at)
    return OrderingGroupRequest(
        country_iso=country_iso or "",
        phone_number_type=phone_number_type or "",
        count_requested=count_requested,
        strategy="never" if strategy == "never" else "always",
        national_destination_code=area_code,
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
    """Check a ``CreateInexplicitNumberOrder`` body; :class:`InvalidBody` lists every problem."""
    checker = _Checker()
    groups = tuple(
        _ordering_group(checker, group, at) for at, group in checker.objects(body, "ordering_groups")
    )
    shared = checker.shared(body)
    checker.raise_if_any()
    return InexplicitNumberOrderRequest(ordering_groups=groups, shared=shared)


def parse_number_order_request(body: Mapping[str, object]) -> NumberOrderRequest:
    """Check a ``CreateNumberOrder`` body; :class:`InvalidBody` lists every problem."""
    checker = _Checker()
    numbers: list[NumberRequest] = []
    first_seen: dict[str, str] = {}
    for at, item in checker.objects(body, "phone_numbers"):
        number = checker.string(item, "phone_number", at, required=True)
        bundle_id = checker.string(item, "bundle_id", at)
        requirement_group_id = checker.string(item, "requirement_group_id", at)
        if number is None:
            continue
        if not E164.fullmatch(number):
            checker.report(f"{at}/phone_number", "phone_number must be in E.164 format, e.g. +19705555098.")
        elif number in first_seen:
            checker.report(f"{at}/phone_number", f"phone_number repeats {first_seen[number]}.")
        else:
            first_seen[number] = f"{at}/phone_number"
            numbers.append(NumberRequest(number, bundle_id, requirement_group_id))
    shared = checker.shared(body)
    checker.raise_if_any()
    return NumberOrderRequest(phone_numbers=tuple(numbers), shared=shared)
