"""The cattrs converter: decoded JSON into models, and request params (or models) into JSON.

Structuring is strict about shapes (a string where a number belongs is a bad response, not something to
coerce) and lenient about evolution (unknown keys are ignored, unknown enum values are kept).
Unstructuring writes a request as the wire wants it (fields left as `None` are not sent) and a model
back as the JSON it came from. Hooks are generated once per type, on first use, and cached by cattrs.

Every response goes through `structure`, so its hooks are built for speed: models get the functions of
`_fast_structure`, with no per-field bookkeeping of where a value came from. Only when a body fails to
structure is it structured again by a twin converter, cattrs' own functions with detailed validation
built from the same hooks, to say where the body went wrong.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar, cast, get_args, get_origin

import attrs
from cattrs import Converter
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._fast_structure import EXACT_TYPES, make_structure_fn, optional_of, tuple_item
from .types._enums import OpenEnum
from .types._errors import ErrorDetail
from .types._fields import WIRE_NAME

__all__ = ["build_converter", "converter", "parse_datetime", "structure", "unstructure"]

T = TypeVar("T")

Hook = Callable[[Any, Any], Any]

_FRACTION = re.compile(r"\.(\d+)")


def backport_iso_format(value: str) -> str:
    # 3.10's fromisoformat knows neither a "Z" suffix nor fractions other than 3 or 6 digits.
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    return _FRACTION.sub(lambda match: "." + match.group(1)[:6].ljust(6, "0"), value, count=1)


if sys.version_info >= (3, 11):
    _fromisoformat = datetime.fromisoformat
else:  # pragma: no cover - taken on 3.10 only

    def _fromisoformat(value: str) -> datetime:
        return datetime.fromisoformat(backport_iso_format(value))


def parse_datetime(value: str) -> datetime:
    """Parse an ISO 8601 timestamp into an aware datetime; a timestamp without offset is UTC."""
    parsed = _fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def _expect(kind: type[Any], name: str) -> Hook:
    def structure_exact(value: Any, _: Any) -> Any:
        # bool is an int subclass; an `int` field given `true` is a malformed response.
        if type(value) is not kind:
            raise TypeError(f"expected {name}, got {type(value).__name__}")
        return value

    return structure_exact


def _structure_datetime(value: Any, _: Any) -> datetime:
    if type(value) is not str:
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    return parse_datetime(value)


def _structure_enum(value: Any, enum_type: type[OpenEnum]) -> OpenEnum:
    if type(value) is not str:
        raise TypeError(f"expected a string, got {type(value).__name__}")
    # The enum's own lookup table, without the call machinery around it; unknown values are made.
    member = enum_type._value2member_map_.get(value)
    return enum_type(value) if member is None else member  # type: ignore[return-value]


def _make_optional_hook(converter: Converter, type_: Any) -> Hook:
    inner = optional_of(type_)
    if inner in EXACT_TYPES:
        # Most fields are `str | None` or the like: one check, no call to another hook.
        kind, name = inner, f"{EXACT_TYPES[inner]} or null"

        def structure_exact_or_none(value: Any, _: Any) -> Any:
            if value is None or type(value) is kind:
                return value
            raise TypeError(f"expected {name}, got {type(value).__name__}")

        return structure_exact_or_none
    structure_inner = converter.get_structure_hook(inner)

    def structure_or_none(value: Any, _: Any) -> Any:
        return None if value is None else structure_inner(value, inner)

    return structure_or_none


def _is_homogeneous_tuple(type_: Any) -> bool:
    return tuple_item(type_) is not None


def _make_tuple_hook(converter: Converter, type_: Any, *, detailed: bool) -> Hook:
    item_type = get_args(type_)[0]
    structure_item = converter.get_structure_hook(item_type)
    of_scalars = item_type in EXACT_TYPES

    def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
        # cattrs would happily turn "abc" into ("a", "b", "c"); only a JSON array is a tuple here.
        items = _json_array(value)
        if of_scalars and all(type(item) is item_type for item in items):
            return tuple(items)  # an array of ids: nothing to build, only to check
        if not detailed:
            return tuple([structure_item(item, item_type) for item in items])
        try:
            return tuple([structure_item(item, item_type) for item in items])
        except Exception:
            raise _locate_item_errors(items, item_type, structure_item, type_) from None

    return structure_tuple


def _json_array(value: Any) -> list[Any]:
    if type(value) is not list:
        raise TypeError(f"expected an array, got {type(value).__name__}")
    return value  # pyright: ignore[reportUnknownVariableType]


def _locate_item_errors(
    items: list[Any], item_type: Any, structure_item: Hook, type_: Any
) -> IterableValidationError:
    # The loop above keeps no bookkeeping; on failure, redo the work to say which items were bad.
    errors: list[Exception] = []
    for index, item in enumerate(items):
        try:
            structure_item(item, item_type)
        except Exception as exc:
            note = IterableValidationNote(f"@ index {index}", index, item_type)
            setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010 - unknown to 3.10
            errors.append(exc)
    return IterableValidationError(f"While structuring {type_!r}", errors, type_)


def _structure_error_code(value: Any, _: Any) -> str | None:
    # Telnyx documents the code as a string, yet some endpoints send it as a number.
    if value is None or type(value) is str:
        return value
    if type(value) is int:
        return str(value)
    raise TypeError(f"expected a string or an integer, got {type(value).__name__}")


def _renames(model: type[Any]) -> dict[str, Any]:
    """The fields whose JSON key is not their name (`phone_number[starts_with]`)."""
    return {
        field.name: override(rename=field.metadata[WIRE_NAME])
        for field in attrs.fields(model)
        if WIRE_NAME in field.metadata
    }


# The JSON a well-formed response has for these types, and what reads it; any other value goes to the hook.
_READERS: dict[Any, tuple[type[Any], Callable[[Any], Any]]] = {datetime: (str, parse_datetime)}
_FIELD_HOOKS: dict[type[Any], dict[str, Hook]] = {ErrorDetail: {"code": _structure_error_code}}


def _make_model_hook(converter: Converter, type_: Any, *, detailed: bool, generated: bool) -> Hook:
    model = get_origin(type_) or type_
    field_hooks = _FIELD_HOOKS.get(model, {})
    if generated and not detailed:
        fast = make_structure_fn(type_, converter.get_structure_hook, field_hooks, _READERS)
        if fast is not None:
            return fast
    overrides = _renames(model)
    overrides.update({name: override(struct_hook=hook) for name, hook in field_hooks.items()})
    structure_fields = make_dict_structure_fn(
        type_, converter, _cattrs_detailed_validation=detailed, **overrides
    )

    def structure_model(value: Any, _: Any) -> Any:
        # With every field optional, cattrs would read a list or a string as an object with no keys.
        if type(value) is not dict:
            raise TypeError(f"expected an object, got {type(value).__name__}")
        return structure_fields(cast("dict[str, Any]", value), type_)

    return structure_model


def _is_model(type_: Any) -> bool:
    return attrs.has(get_origin(type_) or type_)


@functools.cache
def _request_fields() -> dict[type[Any], dict[str, Any]]:
    """The request params classes, each with how its fields are written where that is not as they are."""
    # Imported on the first request written, not with the converter: a program that only reads never
    # loads the params, which cost 3 ms at import (measured: min of 25 fresh processes, Python 3.11).
    from .types._params import (
        OrderingGroupParams,
        PhoneNumberParams,
        PhoneNumberPattern,
        ReservedPhoneNumberParams,
    )

    return {
        OrderingGroupParams: {
            "country_iso": override(unstruct_hook=str.upper),
            # The spec's one string-typed count: responses say count_requested as an integer.
            "count_requested": override(unstruct_hook=str),
            "features": override(unstruct_hook=list),
        },
        PhoneNumberPattern: {},
        PhoneNumberParams: {},
        ReservedPhoneNumberParams: {},
    }


def _is_request(type_: Any) -> bool:
    return type_ in _request_fields()


def build_converter(*, detailed: bool, generated: bool = True) -> Converter:
    """A converter with detailed validation or without; `generated=False` keeps cattrs' own functions
    for models (the benchmarks compare the two)."""
    built = Converter(detailed_validation=detailed)
    for kind, name in EXACT_TYPES.items():
        # By class: cattrs' own hooks for these coerce (1 -> "1"), and a predicate hook ranks below them.
        # An enum, a str subclass, still gets the OpenEnum hook below, the more specific class.
        built.register_structure_hook(kind, _expect(kind, name))
    built.register_structure_hook(datetime, _structure_datetime)
    # By class, so that it takes precedence over cattrs' own hook for enums, which is by class too.
    built.register_structure_hook(OpenEnum, _structure_enum)

    def optional_hook(type_: Any) -> Hook:
        return _make_optional_hook(built, type_)

    def tuple_hook(type_: Any) -> Hook:
        return _make_tuple_hook(built, type_, detailed=detailed)

    def model_hook(type_: Any) -> Hook:
        return _make_model_hook(built, type_, detailed=detailed, generated=generated)

    def model_json_hook(type_: Any) -> Callable[[Any], dict[str, Any]]:
        return make_dict_unstructure_fn(type_, built, **_renames(get_origin(type_) or type_))

    def request_hook(type_: Any) -> Callable[[Any], dict[str, Any]]:
        return make_dict_unstructure_fn(
            type_, built, _cattrs_omit_if_default=True, **_request_fields()[type_]
        )

    built.register_structure_hook_factory(_is_optional, optional_hook)
    built.register_structure_hook_factory(_is_homogeneous_tuple, tuple_hook)
    built.register_structure_hook_factory(_is_model, model_hook)
    built.register_unstructure_hook(datetime, datetime.isoformat)
    built.register_unstructure_hook_factory(_is_model, model_json_hook)
    # Registered last, so that it wins for request params, which are attrs classes too.
    built.register_unstructure_hook_factory(_is_request, request_hook)
    return built


def _is_optional(type_: Any) -> bool:
    return optional_of(type_) is not None


converter = build_converter(detailed=False)
_diagnosing_converter = build_converter(detailed=True)


def structure(document: Any, type_: type[T]) -> T:
    """Build `type_` from decoded JSON, raising a cattrs error that says where if the shape is wrong."""
    try:
        return converter.structure(document, type_)
    except Exception:
        # Raises the same complaint, now with the path to every bad value.
        return _diagnosing_converter.structure(document, type_)


def unstructure(value: object) -> Any:
    """`value` as JSON-ready data: request params as Telnyx expects them (fields left as `None` not
    sent), models with their wire keys (`phone_number[starts_with]`) and ISO 8601 datetimes."""
    return converter.unstructure(value)
