"""Text that came from the server, made safe to print on a terminal.

A customer reference, an error's detail or an unknown status is whatever the server (or whoever sits
between it and us) sent. Printed as it is, an ESC starts an escape sequence that retitles the terminal,
rewrites what is on screen or worse, and a line break forges a line of output. So before the command
prints server text, each control character in it is written as its Python escape (`\\x1b`, `\\n`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs

if TYPE_CHECKING:
    from attrs import AttrsInstance

__all__ = ["escape", "printable"]

T = TypeVar("T")

# C0 and C1 controls and DEL (ESC, CSI, line breaks...), the Unicode line and paragraph separators, and
# the bidirectional controls that make a terminal show text in another order than it reads.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """`text` with each control character written as its Python escape, so that it prints as one line."""
    return _UNPRINTABLE.sub(_escaped, text)


def printable(value: T) -> T:
    """`value` (a model, a tuple of them, a string) with `escape` applied to every string in it."""
    if isinstance(value, str):
        # A plain str, even for an enum member (an unknown status): the model only gets printed.
        return cast("T", escape(value)) if _UNPRINTABLE.search(value) else value
    if isinstance(value, tuple):
        return cast("T", tuple(printable(item) for item in cast("tuple[object, ...]", value)))
    if attrs.has(type(value)):
        model: Any = value
        fields = attrs.fields(cast("type[AttrsInstance]", type(model)))
        return cast(
            "T",
            attrs.evolve(model, **{field.name: printable(getattr(model, field.name)) for field in fields}),
        )
    return value


def _escaped(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]
