"""Reading the async sources: modules, where their names come from, and their `Async*` classes."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = [
    "AsyncClass",
    "CodegenError",
    "Origin",
    "SourceModule",
    "Sources",
    "read_sources",
    "twin_module",
    "twin_origin",
]


class CodegenError(Exception):
    """The async sources contain something the generator has no rule for."""


@dataclass(frozen=True)
class Origin:
    """Where a module-level name comes from: `from module import name`, or `import module` if name is None."""

    module: str
    name: str | None = None


@dataclass(frozen=True)
class SourceModule:
    """One parsed module of the package, with the origin of every name bound at its top level."""

    name: str
    """The dotted module name, e.g. `telnyx_orders.resources.number_orders`."""
    path: PurePosixPath
    """The path shown to people, e.g. `telnyx_orders/resources/number_orders.py`."""
    text: str
    tree: ast.Module
    bindings: dict[str, Origin]

    @classmethod
    def read(cls, package_dir: Path, relative: PurePosixPath) -> SourceModule:
        """Parse the module (not package) `package_dir/relative`."""
        return cls.parse(package_dir.name, relative, (package_dir / relative).read_text(encoding="utf-8"))

    @classmethod
    def parse(cls, package: str, relative: PurePosixPath, text: str) -> SourceModule:
        """Parse `text`, the module `relative` of `package` (one the generator made, say)."""
        name = ".".join([package, *relative.with_suffix("").parts])
        tree = ast.parse(text, filename=str(relative))
        bindings = _bindings(tree.body, name, package=name.rpartition(".")[0])
        return cls(name, PurePosixPath(package, relative), text, tree, bindings)

    def where(self, node: ast.AST) -> str:
        """`path:line` of `node`, for error messages."""
        return f"{self.path}:{getattr(node, 'lineno', '?')}"

    def segment(self, node: ast.AST) -> str:
        """The exact source text of `node`."""
        segment = ast.get_source_segment(self.text, node)
        if segment is None:
            raise CodegenError(f"{self.where(node)}: no source text")
        return segment


@dataclass(frozen=True)
class AsyncClass:
    """A top-level class named `Async*` and the module that defines it."""

    node: ast.ClassDef
    module: SourceModule

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def twin_name(self) -> str:
        """The blocking twin's name: the same without `Async`."""
        return self.name.removeprefix("Async")

    def docstring(self) -> str | None:
        """The class docstring's source text, quotes included."""
        return docstring_segment(self.node, self.module)


@dataclass(frozen=True)
class Sources:
    """The async client, its resource classes by module, and every `Async*` class they may inherit from."""

    client: AsyncClass
    resource_modules: dict[str, list[AsyncClass]]
    """The `Async*` classes of each public module of `resources/`, by module basename."""
    classes: dict[str, AsyncClass]
    """Every `Async*` class of `resources/`, private modules included, by name."""

    def resource_class(self, annotation: ast.expr | None) -> AsyncClass | None:
        """The resource class that `annotation` names, if it names one."""
        return self.classes.get(annotation.id) if isinstance(annotation, ast.Name) else None

    def add(self, module: SourceModule, resource_module: str) -> None:
        """Add the `Async*` classes of `module`, made from `resources/<resource_module>.py` (its raw twins):
        they are twinned in the same blocking module, after its own classes."""
        found = _async_classes(module)
        self.classes.update((cls.name, cls) for cls in found)
        self.resource_modules[resource_module] = [*self.resource_modules[resource_module], *found]

    def members(self, cls: AsyncClass) -> list[tuple[ast.stmt, SourceModule]]:
        """The statements of `cls`'s body, after those of the `Async*` resource classes it inherits from.

        A method defined again replaces the inherited one, which is dropped.
        """
        members: list[tuple[ast.stmt, SourceModule]] = []
        for base in cls.node.bases:
            parent = self.resource_class(base)
            if parent is not None:
                members += self.members(parent)
        members += [(statement, cls.module) for statement in cls.node.body]
        last = {
            name: index for index, (statement, _) in enumerate(members) if (name := _function_name(statement))
        }
        return [
            (statement, module)
            for index, (statement, module) in enumerate(members)
            if last.get(_function_name(statement) or "", index) == index
        ]


def read_sources(package_dir: Path) -> Sources:
    """Parse `_client.py` and every module of `resources/` under `package_dir`."""
    client_module = SourceModule.read(package_dir, PurePosixPath("_client.py"))
    clients = _async_classes(client_module)
    if [cls.name for cls in clients] != ["AsyncTelnyx"]:
        raise CodegenError(f"{client_module.path}: expected one Async* class, AsyncTelnyx")
    resource_modules: dict[str, list[AsyncClass]] = {}
    classes: dict[str, AsyncClass] = {}
    for path in sorted((package_dir / "resources").glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = SourceModule.read(package_dir, PurePosixPath("resources", path.name))
        found = _async_classes(module)
        classes.update((cls.name, cls) for cls in found)
        # Private modules (`_base.py`) hold what resources inherit; they get no twin of their own.
        if not path.name.startswith("_") and found:
            resource_modules[path.stem] = found
    return Sources(clients[0], resource_modules, classes)


def twin_origin(cls: AsyncClass, package: str) -> Origin:
    """Where the twin of the resource class `cls` is generated."""
    module = cls.module.path.stem
    if module.startswith("_"):
        raise CodegenError(f"{cls.module.path}: {cls.name} is in a private module and has no twin")
    return Origin(twin_module(package, module), cls.twin_name)


def twin_module(package: str, module: str) -> str:
    """The dotted name of the generated twin of `resources/<module>.py`."""
    return f"{package}._sync.resources.{module}"


def docstring_segment(
    node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef, module: SourceModule
) -> str | None:
    """The docstring's source text, quotes included; copied to the same depth, it keeps the same value."""
    if ast.get_docstring(node, clean=False) is None:
        return None
    return module.segment(node.body[0])


def _function_name(statement: ast.stmt) -> str | None:
    return statement.name if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _async_classes(module: SourceModule) -> list[AsyncClass]:
    return [
        AsyncClass(node, module)
        for node in module.tree.body
        if isinstance(node, ast.ClassDef) and node.name.startswith("Async")
    ]


def _bindings(body: list[ast.stmt], module: str, package: str) -> dict[str, Origin]:
    bindings: dict[str, Origin] = {}
    for node in body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports
            bindings |= _bindings(node.body + node.orelse, module, package)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node.module or "", node.level, package)
            for alias in node.names:
                bindings[alias.asname or alias.name] = Origin(source, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is not None:
                    raise CodegenError(f"{module}: `import {alias.name} as {alias.asname}` is not supported")
                bindings[alias.name.partition(".")[0]] = Origin(alias.name)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            bindings[node.name] = Origin(module, node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    bindings[target.id] = Origin(module, target.id)
    return bindings


def _absolute(module: str, level: int, package: str) -> str:
    if level == 0:
        return module
    parts = package.split(".")
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)
