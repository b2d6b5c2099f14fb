"""Annotations read as type checkers read them, for the tests that compare the clients by introspection.

The clients import the classes their resources' annotations name only for type checkers (`if
TYPE_CHECKING:`), so that a program loads only the resources and models it uses: those names are not in
the modules' globals, and are resolved here from the packages that export them.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any

from telnyx_orders import resources, types
from telnyx_orders._sync import resources as sync_resources

TYPE_CHECKING_NAMES: dict[str, Any] = {
    name: getattr(package, name) for package in (types, resources, sync_resources) for name in package.__all__
}


def hints(annotated: object) -> dict[str, Any]:
    """`typing.get_type_hints(annotated)`, names imported for type checkers only included."""
    return typing.get_type_hints(annotated, localns=TYPE_CHECKING_NAMES)


def signature(function: Callable[..., Any]) -> inspect.Signature:
    """`function`'s signature, its annotations evaluated, names imported for type checkers only included."""
    return inspect.signature(function, locals=TYPE_CHECKING_NAMES, eval_str=True)


def client_resources(client: type) -> dict[str, type]:
    """A client's resources by name, with their classes: its cached properties, each built on first access."""
    return {
        name: hints(member.func)["return"]
        for name, member in vars(client).items()
        if isinstance(member, functools.cached_property)
    }
