"""Structuring functions for response models, generated once per model, for speed.

cattrs' generated function tests each key, calls a hook per field (a `str | None` included), gathers
the values in a dict and calls the class with `**kwargs`: for a response of thirty-odd optional fields,
that bookkeeping is most of the cost. These read every key with `dict.get`, check JSON scalars in line,
and store each field in its slot, past the frozen class's `__init__` when it would do nothing more.

They apply to models whose fields are all optional and default to `None` (Telnyx's responses), where a
missing key and a `null` mean the same. They raise bare errors: `structure` rebuilds the complaint with
cattrs' detailed validation, whose functions accept exactly what these do (a property test holds them
to it).

Kept because measured (`nox -s bench`, table "(c) structure only"): cattrs' own non-detailed functions
take 1.57x as long on the retrieve body and 1.98x on a 250-order page; the bar is 1.3x on both.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, Union, get_args, get_origin

import attrs

from .types._fields import WIRE_NAME

__all__ = ["EXACT_TYPES", "make_structure_fn", "optional_of", "tuple_item"]

Hook = Callable[[Any, Any], Any]

EXACT_TYPES = {str: "a string", int: "an integer", bool: "a boolean"}
"""JSON scalars, matched by exact type: `True` is no integer here."""


def optional_of(type_: Any) -> Any:
    """`X` for `X | None` (or `Optional[X]`), else `None`."""
    if get_origin(type_) not in (Union, types.UnionType):
        return None
    others = [arg for arg in get_args(type_) if arg is not type(None)]
    return others[0] if len(others) == 1 and len(get_args(type_)) == 2 else None


def field_types(type_: Any) -> dict[str, Any]:
    """Each field's type, with the type arguments of a generic alias (`Envelope[Order]`) filled in."""
    model = get_origin(type_) or type_
    hints = typing.get_type_hints(model)
    arguments = dict(zip(model.__parameters__, get_args(type_), strict=True)) if get_args(type_) else {}
    resolved: dict[str, Any] = {}
    for field in attrs.fields(model):
        hint = hints[field.name]
        parameters = getattr(hint, "__parameters__", ())
        resolved[field.name] = hint[tuple(arguments[p] for p in parameters)] if parameters else hint
    return resolved


def make_structure_fn(
    type_: Any,
    structure_hook: Callable[[Any], Hook],
    overrides: Mapping[str, Hook],
    readers: Mapping[Any, tuple[type[Any], Callable[[Any], Any]]],
) -> Hook | None:
    """A function structuring a JSON object into `type_`, or `None` if it would not be a faithful one:
    a field that is required or not optional, or an `__init__` that does more than store the fields.

    `structure_hook(X)` gives the hook for a field of type `X | None`; `overrides` replaces it by
    field name. `readers[X]` is `(kind, read)`: a value of JSON type `kind` for a field of type `X` is
    `read(value)`, with no call to the hook, which still has every other value.
    """
    model = get_origin(type_) or type_
    fields = attrs.fields(model)
    hints = field_types(type_)
    if not all(field.default is None and field.init and optional_of(hints[field.name]) for field in fields):
        return None
    slots = [getattr(model, field.name, None) for field in fields]
    if not all(isinstance(slot, types.MemberDescriptorType) for slot in slots) or _init_does_more(model):
        return None
    name = f"structure_{model.__name__}"
    namespace: dict[str, Any] = {"__model": model, "__not_object": _not_object, "__mismatch": _mismatch}
    lines = [
        f"def {name}(o, _):",
        # With every field optional, a list or a string would otherwise read as an object with no keys.
        "    if type(o) is not dict:",
        "        raise __not_object(o)",
        "    get = o.get",
    ]
    for index, field in enumerate(fields):
        value = f"v{index}"
        inner = optional_of(hints[field.name])
        lines.append(f"    {value} = get({field.metadata.get(WIRE_NAME, field.name)!r})")
        if field.name in overrides:
            namespace[f"__hook{index}"] = overrides[field.name]
            namespace[f"__type{index}"] = inner
            lines += [
                f"    if {value} is not None:",
                f"        {value} = __hook{index}({value}, __type{index})",
            ]
        elif inner in EXACT_TYPES:
            namespace[f"__kind{index}"] = inner
            lines += [
                f"    if {value} is not None and type({value}) is not __kind{index}:",
                f"        raise __mismatch({value}, {EXACT_TYPES[inner] + ' or null'!r})",
            ]
        else:
            expression = _read(index, inner, structure_hook, readers, namespace)
            lines += [f"    if {value} is not None:", f"        {value} = {expression}"]
    # A frozen attrs __init__ stores each field through object.__setattr__; the slot's own descriptor
    # makes the same store for less, and _init_does_more says when __init__ has nothing else to do.
    namespace["__new"] = object.__new__
    lines.append("    instance = __new(__model)")
    for index, slot in enumerate(slots):
        namespace[f"__set{index}"] = slot.__set__  # type: ignore[union-attr]
        lines.append(f"    __set{index}(instance, v{index})")
    lines.append("    return instance")
    code = compile("\n".join(lines), f"<telnyx_orders structure {model.__qualname__}>", "exec")
    exec(code, namespace)  # our own source, built above from the model's fields
    function: Hook = namespace[name]
    return function


def _read(
    index: int,
    type_: Any,
    structure_hook: Callable[[Any], Hook],
    readers: Mapping[Any, tuple[type[Any], Callable[[Any], Any]]],
    namespace: dict[str, Any],
) -> str:
    """The expression reading field `index`'s value `v{index}`, not null, as a `type_`.

    Each shortcut covers the values a well-formed response has, and leaves the rest to the hook, which
    gives every value what cattrs would: the shortcuts never decide what is accepted.
    """
    value, hook = f"v{index}", f"__hook{index}"
    namespace[hook], namespace[f"__type{index}"] = structure_hook(type_), type_
    call = f"{hook}({value}, __type{index})"
    if type_ in readers:
        namespace[f"__kind{index}"], namespace[f"__read{index}"] = readers[type_]
        return f"__read{index}({value}) if type({value}) is __kind{index} else {call}"
    if isinstance(type_, type) and issubclass(type_, Enum):
        # The right of `or` still sees the original value: it is evaluated before the assignment. (An
        # unhashable value fails the lookup itself, which the hook would refuse all the same.)
        namespace[f"__members{index}"] = type_._value2member_map_
        return f"__members{index}.get({value}) or {call}"
    item_type = tuple_item(type_)
    if item_type is not None and item_type not in EXACT_TYPES:
        namespace[f"__item{index}"], namespace[f"__item_type{index}"] = structure_hook(item_type), item_type
        items = f"tuple([__item{index}(item, __item_type{index}) for item in {value}])"
        return f"{items} if type({value}) is list else {call}"
    return call


def tuple_item(type_: Any) -> Any:
    """`X` for `tuple[X, ...]`, else `None`."""
    args = get_args(type_)
    return args[0] if get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis else None


def _init_does_more(model: type[Any]) -> bool:
    """Whether the model's __init__ does more than store its arguments: validate, convert, run a hook,
    or reset a cached hash."""
    hooks = ("__attrs_pre_init__", "__attrs_post_init__", "_attrs_cached_hash")
    return any(hasattr(model, hook) for hook in hooks) or any(
        field.validator is not None or field.converter is not None for field in attrs.fields(model)
    )


def _not_object(value: Any) -> TypeError:
    return TypeError(f"expected an object, got {type(value).__name__}")


def _mismatch(value: Any, expected: str) -> TypeError:
    return TypeError(f"expected {expected}, got {type(value).__name__}")
