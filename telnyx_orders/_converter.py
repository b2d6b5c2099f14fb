"""The one cattrs converter: decoded JSON into models, and request params into JSON.

Structuring is strict about shapes (a string where a number belongs is a bad response, not something to
coerce) and lenient about evolution (unknown keys are ignored, unknown enum values are kept).
Unstructuring writes a request as the wire wants it: fields left as `None` are not sent. Hooks are
generated once per type, on first use, and cached by cattrs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar, get_args, get_origin

import attrs
from cattrs import Converter
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .types._enums import OpenEnum
from .types._errors import ErrorDetail
from .types._fields import WIRE_NAME
from .types._params import OrderingGroupParams, PhoneNumberParams, PhoneNumberPattern

__all__ = ["converter", "parse_datetime", "structure", "unstructure"]

T = TypeVar("T")

_FRACTION = re.compile(r"\.(\d+)")


def parse_datetime(value: str) -> datetime:
    """Parse an ISO 8601 timestamp into an aware datetime; a timestamp without offset is UTC."""
    if sys.version_info < (3, 11):  # pragma: no cover - the branch is taken on 3.10 only
        value = backport_iso_format(value)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def backport_iso_format(value: str) -> str:
    # 3.10's fromisoformat knows neither a "Z" suffix nor fractions other than 3 or 6 digits.
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    return _FRACTION.sub(lambda match: "." + match.group(1)[:6].ljust(6, "0"), value, count=1)


def _expect(kind: type[Any], name: str) -> Callable[[Any, Any], Any]:
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
    return enum_type(value)


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_json_array(value: Any) -> bool:
    return type(value) is list


def _is_json_object(value: Any) -> bool:
    return type(value) is dict


def _make_tuple_hook(converter: Converter, type_: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    item_type = get_args(type_)[0]
    structure_item = converter.get_structure_hook(item_type)

    def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
        # cattrs would happily turn "abc" into ("a", "b", "c"); only a JSON array is a tuple here.
        if not _is_json_array(value):
            raise TypeError(f"expected an array, got {type(value).__name__}")
        try:
            return tuple([structure_item(item, item_type) for item in value])
        except Exception:
            raise _locate_item_errors(value, item_type, structure_item, type_) from None

    return structure_tuple


def _locate_item_errors(
    items: list[Any], item_type: Any, structure_item: Callable[[Any, Any], Any], type_: Any
) -> IterableValidationError:
    # The fast path above keeps no bookkeeping; on failure, redo the work to say which items were bad.
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


def _make_model_hook(converter: Converter, type_: Any) -> Callable[[Any, Any], Any]:
    model = get_origin(type_) or type_
    overrides: dict[str, Any] = {
        field.name: override(rename=field.metadata[WIRE_NAME])
        for field in attrs.fields(model)
        if WIRE_NAME in field.metadata
    }
    if model is ErrorDetail:
        overrides["code"] = override(struct_hook=_structure_error_code)
    structure_fields = make_dict_structure_fn(type_, converter, **overrides)

    def structure_model(value: Any, _: Any) -> Any:
        # With every field optional, cattrs would read a list or a string as an object with no keys.
        if not _is_json_object(value):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        return structure_fields(value, type_)

    return structure_model


def _is_model(type_: Any) -> bool:
    return attrs.has(get_origin(type_) or type_)


_REQUEST_FIELDS: dict[type[Any], dict[str, Any]] = {
    OrderingGroupParams: {
        "country_iso": override(unstruct_hook=str.upper),
        # The spec's one string-typed count: responses say count_requested as an integer.
        "count_requested": override(unstruct_hook=str),
        "features": override(unstruct_hook=list),
    },
    PhoneNumberPattern: {},
    PhoneNumberParams: {},
}


def _is_request(type_: Any) -> bool:
    return type_ in _REQUEST_FIELDS


def _make_request_hook(converter: Converter, type_: Any) -> Callable[[Any], dict[str, Any]]:
    return make_dict_unstructure_fn(type_, converter, _cattrs_omit_if_default=True, **_REQUEST_FIELDS[type_])


def _build() -> Converter:
    built = Converter()
    built.register_structure_hook(str, _expect(str, "a string"))
    built.register_structure_hook(int, _expect(int, "an integer"))
    built.register_structure_hook(bool, _expect(bool, "a boolean"))
    built.register_structure_hook(datetime, _structure_datetime)
    built.register_structure_hook(OpenEnum, _structure_enum)

    def tuple_hook(type_: Any) -> Callable[[Any, Any], Any]:
        return _make_tuple_hook(built, type_)

    def model_hook(type_: Any) -> Callable[[Any, Any], Any]:
        return _make_model_hook(built, type_)

    def request_hook(type_: Any) -> Callable[[Any], dict[str, Any]]:
        return _make_request_hook(built, type_)

    built.register_structure_hook_factory(_is_homogeneous_tuple, tuple_hook)
    built.register_structure_hook_factory(_is_model, model_hook)
    built.register_unstructure_hook_factory(_is_request, request_hook)
    return built


converter = _build()


def structure(document: Any, type_: type[T]) -> T:
    """Build `type_` from decoded JSON, raising a cattrs error if the document has another shape."""
    return converter.structure(document, type_)


def unstructure(params: object) -> Any:
    """Request params as the JSON Telnyx expects, without the fields left as `None`."""
    return converter.unstructure(params)
