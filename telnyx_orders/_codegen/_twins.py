"""The blocking twins of an async class's members, as class-body source text."""

from __future__ import annotations

import ast
import copy
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from ._imports import Imports, annotation_expr, annotation_head
from ._sources import AsyncClass, CodegenError, Origin, SourceModule, Sources, docstring_segment, twin_origin
from ._tables import RETURN_RULES, ReturnRule

__all__ = ["ClassTwin", "Function", "forward", "signature", "twin_members"]

Function = ast.FunctionDef | ast.AsyncFunctionDef

_INDENT = "    "


@dataclass
class ClassTwin:
    """What a twin class holds besides its hand-shaped constructor."""

    members: list[str] = field(default_factory=list[str])
    """Methods and properties, in source order, each as source text indented for a class body."""
    resources: list[tuple[str, AsyncClass]] = field(default_factory=list[tuple[str, AsyncClass]])
    """Attributes holding a resource (`number_orders: AsyncNumberOrders`), by name, in source order."""


def twin_members(
    cls: AsyncClass,
    sources: Sources,
    imports: Imports,
    *,
    package: str,
    explicit: Collection[str],
    overrides: Mapping[str, str] | None = None,
) -> ClassTwin:
    """Twin every member of `cls` (and of the resource classes it inherits from) that is not `explicit`.

    A property named in `overrides` returns that expression instead of the async property's value.

    Private members are implementation and stay behind; a member the generator has no rule for
    (another dunder, a decorator other than `@property`, a public attribute that is not a resource)
    is an error, so that nothing new on the async side is silently left without a twin.
    """
    twin = ClassTwin()
    for statement, source in sources.members(cls):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = statement.name
            if name in explicit or (name.startswith("_") and not name.startswith("__")):
                continue
            if name.startswith("__"):
                raise CodegenError(f"{source.where(statement)}: no rule for {cls.name}.{name}")
            override = (overrides or {}).get(name)
            twin.members.append(_member(statement, source, sources, imports, package, override))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            name = statement.target.id
            resource = sources.resource_class(annotation_expr(statement.annotation))
            if resource is not None:
                twin.resources.append((name, resource))
            elif not name.startswith("_"):
                raise CodegenError(f"{source.where(statement)}: no rule for the attribute {cls.name}.{name}")
        elif not _is_inert(statement):
            raise CodegenError(f"{source.where(statement)}: no rule for this statement in {cls.name}")
    return twin


def forward(arguments: ast.arguments) -> str:
    """Call arguments passing on every parameter but `self`: positional by position, keyword-only by name."""
    positional = [*arguments.posonlyargs, *arguments.args][1:]
    parts = [parameter.arg for parameter in positional]
    if arguments.vararg is not None:
        parts.append(f"*{arguments.vararg.arg}")
    parts += [f"{parameter.arg}={parameter.arg}" for parameter in arguments.kwonlyargs]
    if arguments.kwarg is not None:
        parts.append(f"**{arguments.kwarg.arg}")
    return ", ".join(parts)


def signature(name: str, function: Function, returns: ast.expr | None) -> str:
    """`def name(<function's parameters>) -> returns:`, indented for a class body."""
    arrow = "" if returns is None else f" -> {ast.unparse(returns)}"
    return f"{_INDENT}def {name}({ast.unparse(function.args)}){arrow}:"


def _body(function: Function, source: SourceModule, *statements: str) -> list[str]:
    """The function's docstring, if any, then `statements`, indented as a method body."""
    docstring = docstring_segment(function, source)
    return [_INDENT * 2 + line for line in ([docstring] if docstring else []) + list(statements)]


def _member(
    function: Function,
    source: SourceModule,
    sources: Sources,
    imports: Imports,
    package: str,
    override: str | None,
) -> str:
    decorators = [ast.unparse(decorator) for decorator in function.decorator_list]
    if decorators not in ([], ["property"]):
        raise CodegenError(f"{source.where(function)}: no rule for a method decorated with {decorators}")
    if not function.args.posonlyargs + function.args.args:
        raise CodegenError(f"{source.where(function)}: {function.name} takes no self")
    if decorators:
        value = override or f"self._async.{function.name}"
        resource = sources.resource_class(function.returns)
        if resource is not None and override is None:
            # A property giving another group of operations (`with_raw_response`): its twin, on this loop.
            imports.add(resource.twin_name, twin_origin(resource, package))
            value = f"{resource.twin_name}({value}, self._runtime)"
            function = copy.deepcopy(function)
            function.returns = ast.Name(resource.twin_name, ast.Load())
            return _property(function, source, imports, value, typed=False)
        return _property(function, source, imports, value)
    if override is not None:
        raise CodegenError(f"{source.where(function)}: only a property's value can be overridden")
    return _method(function, source, imports, package)


def _property(
    function: Function, source: SourceModule, imports: Imports, value: str, *, typed: bool = True
) -> str:
    if isinstance(function, ast.AsyncFunctionDef):
        raise CodegenError(f"{source.where(function)}: an async property has no blocking twin")
    imports.use_parameters(function.args, source)
    if typed:
        imports.use(function.returns, source, annotation=True)
    lines = [
        f"{_INDENT}@property",
        signature(function.name, function, function.returns),
        *_body(function, source, f"return {value}"),
    ]
    return "\n".join(lines)


def _method(function: Function, source: SourceModule, imports: Imports, package: str) -> str:
    name, arguments = function.name, forward(function.args)
    call = f"self._runtime.call(self._async.{name}{', ' if arguments else ''}{arguments})"
    direct = f"self._async.{name}({arguments})"
    is_async = isinstance(function, ast.AsyncFunctionDef)
    returns = function.returns
    imports.use_parameters(function.args, source)
    rule = _rule_for(returns)
    if rule is None:
        imports.use(returns, source, annotation=True)
        # A plain method (`webhooks.unwrap`) does no I/O: its twin calls it in place, off the loop thread.
        result = call if is_async else direct
    else:
        if is_async and "{direct}" in rule.body:
            raise CodegenError(
                f"{source.where(function)}: the rule for {rule.async_type} needs a plain method"
            )
        returns = _rename_head(annotation_expr(returns), rule.sync_type) if returns is not None else None
        imports.use(_head_arguments(returns), source)
        imports.add(rule.sync_type, Origin(f"{package}.{rule.sync_module}", rule.sync_type))
        result = rule.body.format(call=call, direct=direct)
    return "\n".join([signature(name, function, returns), *_body(function, source, f"return {result}")])


def _rule_for(returns: ast.expr | None) -> ReturnRule | None:
    head = annotation_head(returns)
    return next((rule for rule in RETURN_RULES if rule.async_type == head), None)


def _rename_head(returns: ast.expr, sync_type: str) -> ast.expr:
    if isinstance(returns, ast.Subscript):
        renamed = copy.deepcopy(returns)
        renamed.value = ast.Name(sync_type, ast.Load())
        return renamed
    return ast.Name(sync_type, ast.Load())


def _head_arguments(returns: ast.expr | None) -> ast.expr | None:
    return returns.slice if isinstance(returns, ast.Subscript) else None


def _is_inert(statement: ast.stmt) -> bool:
    """A docstring, `...` or `pass`."""
    is_constant = isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    return is_constant or isinstance(statement, ast.Pass)
