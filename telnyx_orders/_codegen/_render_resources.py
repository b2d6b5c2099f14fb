"""The generated `_sync/resources/` modules: one blocking twin per `Async*` resource class."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from string import Template

from ._imports import Imports
from ._sources import AsyncClass, Origin, Sources, twin_module, twin_origin
from ._twins import twin_members

__all__ = [
    "MODULE",
    "dunder_all",
    "render_resource_module",
    "render_resources_init",
    "resource_lines",
]

MODULE = Template('''\
"""$docstring"""

$imports

__all__ = [$names]
$classes''')
"""A generated module of classes: its docstring, imports, `__all__` and classes."""

_CLASS = Template("""

class $name:
$docstring
    def __init__(self, resource: $async_name, runtime: LoopThread) -> None:
        self._async = resource
        self._runtime = runtime
$resources

$members
""")

# Each twin imported on first use, as `Telnyx` builds each resource on first access: from `from
# telnyx_orders import Telnyx` to a first resource, 14 ms less (min of 20 fresh processes, Python 3.11).
_INIT = Template('''\
"""The blocking twins of the classes in `$package.resources`, with the same methods.

Each is imported from its module on first use, so that a program loads only the resources it uses.
"""

from typing import TYPE_CHECKING

from $package._lazy import lazy_exports

if TYPE_CHECKING:
$imports

__all__ = [$names]

_EXPORTS = {
$exports
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
''')


def render_resource_module(module: str, classes: list[AsyncClass], sources: Sources, package: str) -> str:
    """The module `_sync/resources/<module>.py`: a twin of each `Async*` class in `resources/<module>.py`."""
    imports = Imports(twin_module(package, module))
    imports.add("LoopThread", Origin(f"{package}._sync._runtime", "LoopThread"))
    rendered: list[str] = []
    for cls in classes:
        imports.add(cls.name, Origin(cls.module.name, cls.name))
        twin = twin_members(cls, sources, imports, package=package, explicit={"__init__"})
        docstring = cls.docstring()
        rendered.append(
            _CLASS.substitute(
                name=cls.twin_name,
                docstring=f"    {docstring}\n" if docstring else "",
                async_name=cls.name,
                resources=resource_lines(twin.resources, "resource", imports, package),
                members="\n\n".join(twin.members),
            )
        )
    return MODULE.substitute(
        docstring=f"Blocking twins of the operations in `{classes[0].module.path}`.",
        imports=imports.render(),
        names=dunder_all(cls.twin_name for cls in classes),
        classes="".join(rendered),
    )


def render_resources_init(sources: Sources, package: str) -> str:
    """The package `_sync/resources/__init__.py`, exporting every twin, each imported on first use."""
    imports = Imports(f"{package}._sync.resources")
    twins = [cls for classes in sources.resource_modules.values() for cls in classes]
    exports: dict[str, list[str]] = {}
    for cls in twins:
        origin = twin_origin(cls, package)
        imports.add(cls.twin_name, origin)
        exports.setdefault(origin.module, []).append(f'"{cls.twin_name}"')
    return _INIT.substitute(
        package=package,
        imports=textwrap.indent(imports.render(future_annotations=False), "    "),
        names=dunder_all(cls.twin_name for cls in twins),
        exports="\n".join(
            f'    "{module}": ({", ".join(names)},),' for module, names in sorted(exports.items())
        ),
    )


def resource_lines(
    resources: list[tuple[str, AsyncClass]], owner: str, imports: Imports, package: str
) -> str:
    """`self.<name> = <Twin>(<owner>.<name>, runtime)` for each resource attribute, as constructor lines."""
    lines: list[str] = []
    for name, cls in resources:
        imports.add(cls.twin_name, twin_origin(cls, package))
        lines.append(f"        self.{name} = {cls.twin_name}({owner}.{name}, runtime)")
    return "\n".join(lines)


def dunder_all(names: Iterable[str]) -> str:
    """The items of an `__all__` list of `names`, in the order ruff keeps (CONSTANTS, Classes, the rest)."""
    ordered = sorted(names, key=lambda name: (not name.isupper(), not name[:1].isupper(), name))
    return ", ".join(f'"{name}"' for name in ordered)
