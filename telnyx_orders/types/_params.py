"""What the create operations take: attrs classes that check their values as they are made.

Each class has a plain-dict twin (a `TypedDict`) for callers who would rather write JSON-like literals;
`check_ordering_groups()` and `check_phone_numbers()` turn either form into the classes, so that a bad
value is refused, with its place in the request named, before anything is sent. Only what cannot
change is checked here (types, required keys, counts, the shape of a country code or an E.164 number);
which countries or number types Telnyx sells is the server's business.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict, TypeVar, cast

import attrs

__all__ = [
    "OrderingGroupDict",
    "OrderingGroupParams",
    "PhoneNumberDict",
    "PhoneNumberParams",
    "PhoneNumberPattern",
    "PhoneNumberPatternDict",
    "ReservedPhoneNumberDict",
    "ReservedPhoneNumberParams",
    "check_e164",
    "check_ordering_groups",
    "check_phone_numbers",
    "check_reserved_numbers",
]

_P = TypeVar("_P")

_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def _text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a str, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{attribute.name} must not be empty")


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(instance, attribute, value)


def _optional_bool(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be a bool, not {type(value).__name__}")


def _country_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _text(instance, attribute, value)
    if not _COUNTRY_CODE.fullmatch(str(value)):
        raise ValueError(
            f"{attribute.name} must be a two-letter ISO 3166-1 country code such as 'US', not {value!r}"
        )


def _positive_count(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{attribute.name} must be an int (it is sent as the string Telnyx asks for), "
            f"not {type(value).__name__}"
        )
    if value < 1:
        raise ValueError(f"{attribute.name} must be 1 or more, not {value}")


def _features(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{attribute.name} must be a list of str, such as ['voice', 'sms'], not {value!r}")
    for feature in value:  # pyright: ignore[reportUnknownVariableType]
        if not isinstance(feature, str) or not feature:
            raise TypeError(f"{attribute.name} must hold non-empty str, not {feature!r}")


def _e164(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _text(instance, attribute, value)
    if not _E164.fullmatch(str(value)):
        raise ValueError(f"{attribute.name} must be an E.164 number such as '+19705555098', not {value!r}")


@attrs.frozen(kw_only=True)
class PhoneNumberPattern:
    """Digits the numbers of an ordering group must start with, end with or contain."""

    starts_with: str | None = attrs.field(default=None, validator=_optional_text)
    ends_with: str | None = attrs.field(default=None, validator=_optional_text)
    contains: str | None = attrs.field(default=None, validator=_optional_text)


def _optional_pattern(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, PhoneNumberPattern):
        raise TypeError(
            f"{attribute.name} must be a PhoneNumberPattern or a dict, not {type(value).__name__}"
        )


@attrs.frozen(kw_only=True)
class OrderingGroupParams:
    """One line of an inexplicit order: `count_requested` numbers of a country and type.

    ```python
    OrderingGroupParams(country_iso="US", phone_number_type="local", count_requested=5,
                        national_destination_code="312", strategy="never")
    ```

    `strategy="never"` orders nothing unless Telnyx can fill the whole count; the default, `"always"`,
    takes what inventory there is.
    """

    country_iso: str = attrs.field(validator=_country_code)
    phone_number_type: str = attrs.field(validator=_text)
    """`local`, `toll_free`, `mobile`, ... (see `PhoneNumberType`)."""
    count_requested: int = attrs.field(validator=_positive_count)
    strategy: str | None = attrs.field(default=None, validator=_optional_text)
    """`always` or `never` (see `OrderingStrategy`)."""
    national_destination_code: str | None = attrs.field(default=None, validator=_optional_text)
    """The area code."""
    administrative_area: str | None = attrs.field(default=None, validator=_optional_text)
    """A state or province."""
    locality: str | None = attrs.field(default=None, validator=_optional_text)
    """A city, region or rate center."""
    phone_number: PhoneNumberPattern | None = attrs.field(default=None, validator=_optional_pattern)
    features: Sequence[str] | None = attrs.field(default=None, validator=_features)
    """Features every number must have, such as `["voice", "sms"]`."""
    quickship: bool | None = attrs.field(default=None, validator=_optional_bool)
    """Only numbers that need no extra time to activate (+1 toll-free numbers)."""
    exclude_held_numbers: bool | None = attrs.field(default=None, validator=_optional_bool)


@attrs.frozen(kw_only=True)
class PhoneNumberParams:
    """One number of a number order, in E.164 form, with what satisfies its regulatory requirements."""

    phone_number: str = attrs.field(validator=_e164)
    bundle_id: str | None = attrs.field(default=None, validator=_optional_text)
    requirement_group_id: str | None = attrs.field(default=None, validator=_optional_text)


@attrs.frozen(kw_only=True)
class ReservedPhoneNumberParams:
    """A number to reserve, in E.164 form."""

    phone_number: str = attrs.field(validator=_e164)


class PhoneNumberPatternDict(TypedDict, total=False):
    """The dict form of `PhoneNumberPattern`."""

    starts_with: str
    ends_with: str
    contains: str


class _RequiredOrderingGroup(TypedDict):
    country_iso: str
    phone_number_type: str
    count_requested: int


class OrderingGroupDict(_RequiredOrderingGroup, total=False):
    """The dict form of `OrderingGroupParams`: `{"country_iso": "US", "phone_number_type": "local", ...}`."""

    strategy: str
    national_destination_code: str
    administrative_area: str
    locality: str
    phone_number: PhoneNumberPatternDict | PhoneNumberPattern
    features: Sequence[str]
    quickship: bool
    exclude_held_numbers: bool


class _RequiredPhoneNumber(TypedDict):
    phone_number: str


class PhoneNumberDict(_RequiredPhoneNumber, total=False):
    """The dict form of `PhoneNumberParams`."""

    bundle_id: str
    requirement_group_id: str


class ReservedPhoneNumberDict(TypedDict):
    """The dict form of `ReservedPhoneNumberParams`: `{"phone_number": "+19705555098"}`."""

    phone_number: str


def check_ordering_groups(
    groups: Sequence[OrderingGroupParams | OrderingGroupDict],
) -> tuple[OrderingGroupParams, ...]:
    """The ordering groups of a create request as `OrderingGroupParams`, each checked."""
    return tuple(
        _at(f"ordering_groups[{index}]", _ordering_group, group)
        for index, group in enumerate(_non_empty(groups, "ordering_groups"))
    )


def check_phone_numbers(
    numbers: Sequence[str | PhoneNumberParams | PhoneNumberDict],
) -> tuple[PhoneNumberParams, ...]:
    """The numbers of a number order as `PhoneNumberParams`; a plain str is the E.164 number alone."""
    return tuple(
        _at(f"phone_numbers[{index}]", _phone_number, number)
        for index, number in enumerate(_non_empty(numbers, "phone_numbers"))
    )


def check_reserved_numbers(
    numbers: Sequence[str | ReservedPhoneNumberParams | ReservedPhoneNumberDict],
) -> tuple[ReservedPhoneNumberParams, ...]:
    """The numbers of a reservation as `ReservedPhoneNumberParams`; a plain str is the E.164 number."""
    return tuple(
        _at(f"phone_numbers[{index}]", _reserved_number, number)
        for index, number in enumerate(_non_empty(numbers, "phone_numbers"))
    )


def check_e164(value: object, name: str) -> str:
    """`value`, if it is an E.164 number (a str such as '+19705555098'); else a TypeError or ValueError."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not _E164.fullmatch(value):
        raise ValueError(f"{name} must be an E.164 number such as '+19705555098', not {value!r}")
    return value


def _non_empty(items: object, name: str) -> Sequence[object]:
    kind = type(items)
    if not issubclass(kind, Sequence) or issubclass(kind, (str, bytes)):
        raise TypeError(f"{name} must be a list, not {kind.__name__}")
    sequence = cast("Sequence[object]", items)
    if not sequence:
        raise ValueError(f"{name} must not be empty")
    return sequence


def _at(where: str, make: Callable[..., _P], *args: object) -> _P:
    """`make(*args)`, with where the value sits in the request put in front of any complaint."""
    try:
        return make(*args)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{where}: {error}") from None


def _ordering_group(group: object) -> OrderingGroupParams:
    if isinstance(group, OrderingGroupParams):
        return group
    fields = _fields_of(group, OrderingGroupParams)
    pattern = fields.get("phone_number")
    if pattern is not None and not isinstance(pattern, PhoneNumberPattern):
        fields["phone_number"] = _at("phone_number", _from_mapping, pattern, PhoneNumberPattern)
    return OrderingGroupParams(**fields)


def _phone_number(number: object) -> PhoneNumberParams:
    if isinstance(number, PhoneNumberParams):
        return number
    if isinstance(number, str):
        return PhoneNumberParams(phone_number=number)
    return PhoneNumberParams(**_fields_of(number, PhoneNumberParams, also="a str"))


def _reserved_number(number: object) -> ReservedPhoneNumberParams:
    if isinstance(number, ReservedPhoneNumberParams):
        return number
    if isinstance(number, str):
        return ReservedPhoneNumberParams(phone_number=number)
    return ReservedPhoneNumberParams(**_fields_of(number, ReservedPhoneNumberParams, also="a str"))


def _from_mapping(value: object, cls: type[_P]) -> _P:
    return cls(**_fields_of(value, cls))


def _fields_of(value: object, cls: type[Any], *, also: str = "") -> dict[str, Any]:
    """`value`'s items, if it is a mapping with every required key of `cls` and no unknown one."""
    if not isinstance(value, Mapping):
        alternatives = f"{cls.__name__}, {also} or a dict" if also else f"{cls.__name__} or a dict"
        raise TypeError(f"expected {alternatives}, not {type(value).__name__}")
    fields: dict[str, Any] = dict(value)  # pyright: ignore[reportUnknownArgumentType]
    known = attrs.fields_dict(cls)
    unknown = sorted(str(key) for key in fields if key not in known)
    if unknown:
        raise TypeError(f"unknown keys {', '.join(map(repr, unknown))}; known keys: {', '.join(known)}")
    missing = [name for name, field in known.items() if field.default is attrs.NOTHING and name not in fields]
    if missing:
        raise TypeError(f"missing required keys {', '.join(map(repr, missing))}")
    return fields
