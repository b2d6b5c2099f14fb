"""Annotations read as type checkers read them, for the tests that compare the clients by introspection.

The clients, and the generated twins, import the names their annotations use only for type checkers
(`if TYPE_CHECKING:`), so that a program loads only the resources and models it uses: those names are not
in the modules' globals. They are resolved here by running the module's own `if TYPE_CHECKING:` imports.
"""

from __future__ import annotations

import ast
import functools
import inspect
import typing
from collections.abc import Callable
from types import ModuleType
from typing import Any


@functools.cache
def _imported_for_type_checkers(module: ModuleType) -> dict[str, Any]:
    """The names `module` imports under `if TYPE_CHECKING:`, imported."""
    names: dict[str, Any] = {"__name__": module.__name__, "__package__": module.__package__}
    for statement in ast.parse(inspect.getsource(module)).body:
        if isinstance(statement, ast.If) and ast.unparse(statement.test) == "TYPE_CHECKING":
            imports = ast.Module(body=statement.body, type_ignores=[])
            exec(compile(imports, str(module.__file__), "exec"), names)
    return names


def _names_for(annotated: object) -> dict[str, Any]:
    module = inspect.getmodule(annotated)
    return {} if module is None else _imported_for_type_checkers(module)


def hints(annotated: object) -> dict[str, Any]:
    """`typing.get_type_hints(annotated)`, names imported for type checkers only included."""
    return typing.get_type_hints(annotated, localns=_names_for(annotated))


def signature(function: Callable[..., Any]) -> inspect.Signature:
    """`function`'s signature, its annotations evaluated, names imported for type checkers only included."""
    return inspect.signature(function, locals=_names_for(function), eval_str=True)


def client_resources(client: type) -> dict[str, type]:
    """A client's resources by name, with their classes: its cached properties, each built on first access."""
    return {
        name: hints(member.func)["return"]
        for name, member in vars(client).items()
        if isinstance(member, functools.cached_property)
    }
