"""The imports of one generated module: exactly the names it uses, from where its sources got them."""

from __future__ import annotations

import ast
import builtins

from ._sources import CodegenError, Origin, SourceModule

__all__ = ["Imports", "annotation_expr", "annotation_head"]

_BUILTINS = frozenset(dir(builtins))


def annotation_expr(node: ast.expr) -> ast.expr:
    """The expression an annotation stands for, with a quoted (forward reference) annotation parsed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return ast.parse(node.value, mode="eval").body
    return node


def annotation_head(node: ast.expr | None) -> str | None:
    """The name an annotation is headed by: `Envelope` for `Envelope[X]` (or `"Envelope[X]"`), if any."""
    if node is None:
        return None
    node = annotation_expr(node)
    head = node.value if isinstance(node, ast.Subscript) else node
    return head.id if isinstance(head, ast.Name) else None


class Imports:
    """Collects the names a generated module uses and renders the import statements they need.

    A name only annotations use is imported for type checking alone (`if TYPE_CHECKING:`): with
    `from __future__ import annotations` nothing evaluates it, and importing a blocking twin or a raw twin
    then loads no model it only names (8 ms less on the blocking client's first retrieve). The names from
    the module `typing_only`, which imports the generated one, must not be read at run time: importing
    them would be a cycle.
    """

    def __init__(self, module: str, *, typing_only: str | None = None) -> None:
        self._module = module
        self._typing_only = typing_only
        self._origins: dict[str, Origin] = {}
        self._read_at_run_time: set[str] = set()

    def add(self, local: str, origin: Origin, *, run_time: bool = True) -> None:
        """Import `local` from `origin`, unless it is defined in the generated module itself; for type
        checking only unless some use of it is at `run_time`."""
        if origin.module == self._module:
            return
        known = self._origins.setdefault(local, origin)
        if known != origin:
            raise CodegenError(f"{self._module}: {local!r} would come from both {known} and {origin}")
        if run_time:
            self._read_at_run_time.add(local)

    def use(self, node: ast.expr | None, source: SourceModule, *, annotation: bool = False) -> None:
        """Import every name that `node`, an expression copied from `source`, reads."""
        if node is None:
            return
        if annotation:
            node = annotation_expr(node)
        for child in ast.walk(node):
            if not isinstance(child, ast.Name):
                continue
            origin = source.bindings.get(child.id)
            if origin is not None and not annotation and origin.module == self._typing_only:
                raise CodegenError(
                    f"{source.where(child)}: {child.id!r} is read at run time, but {origin.module} "
                    "imports the generated module: define it in another module"
                )
            if origin is not None:
                self.add(child.id, origin, run_time=not annotation)
            elif child.id not in _BUILTINS:
                raise CodegenError(f"{source.where(child)}: cannot tell where {child.id!r} comes from")

    def use_parameters(self, arguments: ast.arguments, source: SourceModule) -> None:
        """Import what the parameters' annotations and defaults read."""
        parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        parameters += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
        for parameter in parameters:
            self.use(parameter.annotation, source, annotation=True)
        for default in [*arguments.defaults, *arguments.kw_defaults]:
            self.use(default, source)

    def render(self, *, future_annotations: bool = True) -> str:
        """The import statements, one per module; ruff sorts them into sections."""
        lines = ["from __future__ import annotations"] if future_annotations else []
        only_annotated = set(self._origins) - self._read_at_run_time if future_annotations else set[str]()
        deferred = {
            local
            for local, origin in self._origins.items()
            if origin.module == self._typing_only or local in only_annotated
        }
        runtime = {local: origin for local, origin in self._origins.items() if local not in deferred}
        if deferred:
            runtime["TYPE_CHECKING"] = Origin("typing", "TYPE_CHECKING")
        lines += _statements(runtime)
        if deferred:
            typing_only = {local: self._origins[local] for local in deferred}
            lines += ["", "if TYPE_CHECKING:", *(f"    {line}" for line in _statements(typing_only))]
        return "\n".join(lines)


def _statements(origins: dict[str, Origin]) -> list[str]:
    """The import statements of `origins`, one per module."""
    lines: list[str] = []
    names: dict[str, list[str]] = {}
    for local, origin in origins.items():
        if origin.name is None:
            lines.append(f"import {origin.module}")
        else:
            name = origin.name if origin.name == local else f"{origin.name} as {local}"
            names.setdefault(origin.module, []).append(name)
    return lines + [f"from {module} import {', '.join(sorted(names[module]))}" for module in sorted(names)]
