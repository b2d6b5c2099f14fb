"""The generated structuring functions: as strict as cattrs' own, only faster.

Every response is structured by the fast converter; a body it refuses is structured again by the
diagnosing converter (cattrs' detailed validation) to say where it went wrong. The two must agree on
every document, or a body would be refused without a reason, or accepted by one path and not the other.
"""

from __future__ import annotations

import types
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from telnyx_orders._converter import _diagnosing_converter, converter, structure
from telnyx_orders._fast_structure import field_types, make_structure_fn
from telnyx_orders.types import (
    AvailablePhoneNumber,
    AvailablePhoneNumberBlock,
    Envelope,
    ErrorDetail,
    InexplicitNumberOrder,
    NumberBlockOrder,
    NumberOrder,
    NumberOrderWithPhoneNumbers,
    NumberReservation,
    OrderingGroup,
    SearchResults,
    SubNumberOrder,
)
from telnyx_orders.types._fields import WIRE_NAME
from telnyx_orders.types._shared import ListEnvelope

RESPONSE_TYPES = [
    Envelope[InexplicitNumberOrder],
    ListEnvelope[InexplicitNumberOrder],
    Envelope[NumberOrderWithPhoneNumbers],
    ListEnvelope[NumberOrder],
    Envelope[SubNumberOrder],
    ListEnvelope[SubNumberOrder],
    ErrorDetail,
    SearchResults[AvailablePhoneNumber],
    SearchResults[AvailablePhoneNumberBlock],
    Envelope[NumberReservation],
    ListEnvelope[NumberReservation],
    Envelope[NumberBlockOrder],
    ListEnvelope[NumberBlockOrder],
]

# The values a field of another type is most easily mistaken for, and a few nested ones.
strangers = st.recursive(
    st.sampled_from([None, True, False, 0, 1, 1.0, "", "1", "true", "success", "2026-01-02T03:04:05Z"]),
    lambda children: st.lists(children, max_size=2) | st.dictionaries(st.sampled_from(["id", "x"]), children),
    max_leaves=4,
)


def well_formed(type_: Any) -> st.SearchStrategy[Any]:
    """JSON of the documented shape for `type_`, keys present or not, values of the right kind."""
    origin, args = get_origin(type_), get_args(type_)
    if origin in (Union, types.UnionType):
        return st.one_of([well_formed(arg) for arg in args])
    if type_ is type(None):
        return st.none()
    if origin is tuple:
        return st.lists(well_formed(args[0]), max_size=2)
    if type_ is datetime:
        return st.datetimes(timezones=st.just(timezone.utc)).map(datetime.isoformat)
    if isinstance(type_, type) and issubclass(type_, Enum):
        return st.sampled_from([member.value for member in type_]) | st.text(max_size=4)
    if type_ in (str, int, bool):
        return st.from_type(type_)
    types_ = field_types(type_)
    return st.fixed_dictionaries(
        {},
        optional={
            field.metadata.get(WIRE_NAME, field.name): well_formed(types_[field.name])
            for field in attrs.fields(origin or type_)
        },
    )


def _paths(document: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    children = (
        document.items()
        if isinstance(document, dict)
        else enumerate(document)
        if isinstance(document, list)
        else ()
    )
    return [at] + [path for key, value in children for path in _paths(value, (*at, key))]


@st.composite
def documents_for(draw: st.DrawFn, type_: Any) -> Any:
    """A well-formed document for `type_`, most often with one value somewhere swapped for a stranger."""
    document = draw(well_formed(type_))
    if draw(st.integers(0, 4)) == 0:
        return document
    path = draw(st.sampled_from(_paths(document)))
    if not path:
        return draw(strangers)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = draw(strangers)
    return document


def _outcome(converter_: Any, document: Any, type_: Any) -> str:
    try:
        # By repr: an enum member equals its plain string, yet only the member is a right answer.
        return repr(converter_.structure(document, type_))
    except Exception:
        return "refused"


@pytest.mark.parametrize("type_", RESPONSE_TYPES, ids=repr)
def test_the_fast_and_the_diagnosing_converters_agree_on_any_document(type_: Any) -> None:
    @settings(
        max_examples=250,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(document=documents_for(type_))
    def agree(document: Any) -> None:
        assert _outcome(converter, document, type_) == _outcome(_diagnosing_converter, document, type_)

    agree()


STRANGERS = [
    None,
    True,
    False,
    0,
    1,
    1.5,
    "",
    "1",
    "success",
    "2026-01-02T03:04:05Z",
    [],
    ["x"],
    [1],
    [{}],
    {},
]


def _models(type_: Any) -> set[type[Any]]:
    """The model classes `type_` is made of, itself included."""
    model = get_origin(type_) or type_
    if attrs.has(model):
        return {model}.union(*(_models(t) for t in field_types(type_).values()))
    return set().union(*(_models(arg) for arg in get_args(type_)))


def test_the_converters_agree_on_every_field_given_any_stranger() -> None:
    disagreements = [
        (model.__name__, key, stranger)
        for model in set().union(*(_models(t) for t in RESPONSE_TYPES))
        for key in (field.metadata.get(WIRE_NAME, field.name) for field in attrs.fields(model))
        for stranger in STRANGERS
        if _outcome(converter, {key: stranger}, model)
        != _outcome(_diagnosing_converter, {key: stranger}, model)
    ]

    assert disagreements == []


def test_a_well_formed_order_is_structured_field_by_field() -> None:
    document = {
        "id": "order-1",
        "ordering_groups": [
            {
                "count_requested": 2,
                "status": "success",
                "phone_number[starts_with]": "970",
                "quickship": False,
                "orders": [{"number_order_id": "no-1", "sub_number_order_ids": ["sno-1", "sno-2"]}],
                "created_at": "2026-01-02T03:04:05Z",
            }
        ],
    }

    order = structure(document, InexplicitNumberOrder)

    (group,) = order.ordering_groups or ()
    assert group == OrderingGroup(
        count_requested=2,
        status="success",  # type: ignore[arg-type]  # an OpenEnum equals its value
        phone_number_starts_with="970",
        quickship=False,
        orders=group.orders,
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
    )
    assert group.orders is not None
    assert group.orders[0].sub_number_order_ids == ("sno-1", "sno-2")
    assert order.id == "order-1"
    assert order.customer_reference is None


def test_a_model_whose_init_validates_is_left_to_cattrs_so_the_validator_runs() -> None:
    @attrs.frozen(kw_only=True)
    class Positive:
        amount: int | None = attrs.field(
            default=None, validator=attrs.validators.optional(attrs.validators.ge(0))
        )

    assert make_structure_fn(Positive, converter.get_structure_hook, {}, {}) is None
    with pytest.raises(Exception, match="amount"):
        converter.structure({"amount": -1}, Positive)


@pytest.mark.parametrize(
    "model",
    [
        attrs.make_class("Required", {"name": attrs.field(type=str | None)}, frozen=True),
        attrs.make_class("NotOptional", {"name": attrs.field(type=str, default=None)}, frozen=True),
        attrs.make_class("NotSlotted", {"name": attrs.field(type=str | None, default=None)}, slots=False),
        attrs.make_class(
            "CachedHash",
            {"name": attrs.field(type=str | None, default=None)},
            frozen=True,
            cache_hash=True,
        ),
    ],
    ids=lambda model: model.__name__,
)
def test_models_the_generated_functions_cannot_mirror_get_none(model: type[Any]) -> None:
    assert make_structure_fn(model, converter.get_structure_hook, {}, {}) is None
