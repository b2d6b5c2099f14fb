"""Public names of a package imported from their submodules on first use (PEP 562).

A package lists its names in `exports` (submodule -> names) and keeps the same imports under
`if TYPE_CHECKING:` for type checkers; tests/test_public_api.py checks that the two and `__all__` agree.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, Sequence[str]]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of `package`, whose public names are defined in submodules.

    `exports` maps a submodule relative to the package (`"._client"`) to the names the package takes
    from it. A name is looked up in its submodule, importing it, on first access, then kept in the
    package's namespace, where later lookups find it without calling `__getattr__`.
    """
    submodule_of = {name: submodule for submodule, names in exports.items() for name in names}
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> object:
        submodule = submodule_of.get(name)
        if submodule is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(submodule, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *submodule_of})

    return __getattr__, __dir__
