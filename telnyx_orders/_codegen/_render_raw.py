"""The generated `resources/_raw/` modules: the `with_raw_response` twins of the async resources.

A resource class whose `with_raw_response` property returns `Async<Name>WithRawResponse` (one line:
`return AsyncNumberOrdersWithRawResponse(self)`) gets that class generated here. It has a twin of each
public method of the resource that answers with one response, with the same parameters; the method's
return annotation decides (`RAW_RULES` in `_tables.py`): an `Envelope` gives its `APIResponse`, a paginator
its first page's, a search its one response. A workflow named in `WITHOUT_RAW_TWIN` (many requests), and a
method returning a type of `NOT_A_DOCUMENT` (`bytes`, `None`...), has none; any other return type is an
error, so that no new operation goes without its twin unnoticed. Properties and private methods have none.

The twin imports its resource class only for type checking, so that the resource module can import it; the
blocking facade then twins these classes like the hand-written ones.
"""

from __future__ import annotations

import ast
import textwrap
from string import Template

from ._imports import Imports, annotation_expr, annotation_head
from ._render_resources import MODULE, dunder_all
from ._sources import AsyncClass, CodegenError, Origin, SourceModule, Sources
from ._tables import NOT_A_DOCUMENT, RAW_RULES, WITHOUT_RAW_TWIN, RawRule
from ._twins import Function, forward

__all__ = ["render_raw_init", "render_raw_modules"]

_CLASS = Template("""

class $name:
$docstring

    def __init__(self, resource: $resource) -> None:
        self._plain = resource
        self._raw = raw_view(resource)

$members
""")

_INIT = '''\
"""The raw twins (`with_raw_response`) of the async resources, generated from them."""
'''


def render_raw_modules(sources: Sources, package: str) -> tuple[dict[str, str], list[str]]:
    """The text of `resources/_raw/<module>.py`, by module, for each resource module with a raw twin, and
    the methods that no rule twins, described.

    Those are reported after the blocking facade is rendered, whose rules find the errors that they share
    with these (a name that comes from nowhere, say) and tell them better.
    """
    modules: dict[str, str] = {}
    problems: list[str] = []
    for module, classes in sources.resource_modules.items():
        raw = [cls for cls in classes if _has_raw_twin(cls, sources)]
        if not raw:
            continue
        imports = Imports(f"{package}.resources._raw.{module}", typing_only=raw[0].module.name)
        imports.add("raw_view", Origin(f"{package}.resources._base", "raw_view"))
        rendered = "".join(_render_class(cls, sources, imports, package, problems) for cls in raw)
        modules[module] = MODULE.substitute(
            docstring=f"The raw twins (`with_raw_response`) of `{raw[0].module.path}`.",
            imports=imports.render(),
            names=dunder_all(_raw_name(cls) for cls in raw),
            classes=rendered,
        )
    return modules, problems


def render_raw_init() -> str:
    """The package `resources/_raw/__init__.py`: it imports nothing, so each resource loads only its own."""
    return _INIT


def _raw_name(cls: AsyncClass) -> str:
    return f"{cls.name}WithRawResponse"


def _has_raw_twin(cls: AsyncClass, sources: Sources) -> bool:
    """Whether `cls` has a `with_raw_response` property that gives the raw twin generated here."""
    return any(
        isinstance(statement, ast.FunctionDef)
        and statement.name == "with_raw_response"
        and annotation_head(statement.returns) == _raw_name(cls)
        for statement, _ in sources.members(cls)
    )


def _render_class(
    cls: AsyncClass, sources: Sources, imports: Imports, package: str, problems: list[str]
) -> str:
    imports.add(cls.name, Origin(cls.module.name, cls.name))
    members: list[str] = []
    without: list[str] = []
    for statement, source in sources.members(cls):
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        # Properties (`with_raw_response`, sub-resources such as `actions`) and private helpers: no twin.
        if statement.name.startswith("_") or statement.decorator_list:
            continue
        returns = "nothing" if statement.returns is None else ast.unparse(annotation_expr(statement.returns))
        head = annotation_head(statement.returns)
        rule = next((rule for rule in RAW_RULES if rule.async_type == head), None)
        where = f"{source.where(statement)}: {cls.name}.{statement.name} returns {returns}"
        if rule is not None and statement.name not in WITHOUT_RAW_TWIN:
            members.append(_render_method(statement, source, rule, imports, package))
        elif rule is not None:
            problems.append(f"{where}, which has a raw twin, but WITHOUT_RAW_TWIN says it has none")
        elif statement.name in WITHOUT_RAW_TWIN:
            without.append(f"`{statement.name}` ({WITHOUT_RAW_TWIN[statement.name]})")
        elif returns in NOT_A_DOCUMENT:
            without.append(f"`{statement.name}` (it answers with {returns}, no document to decode)")
        else:
            problems.append(
                f"{where}, which no raw-twin rule knows: return one of "
                f"{', '.join(rule.async_type for rule in RAW_RULES)} (RAW_RULES), or name the method in "
                "WITHOUT_RAW_TWIN (telnyx_orders/_codegen/_tables.py)"
            )
    return _CLASS.substitute(
        name=_raw_name(cls),
        docstring=_class_docstring(without),
        resource=cls.name,
        members="\n\n".join(members),
    )


def _render_method(
    function: Function, source: SourceModule, rule: RawRule, imports: Imports, package: str
) -> str:
    returns = annotation_expr(function.returns) if function.returns is not None else None
    item = returns.slice if isinstance(returns, ast.Subscript) else None
    if returns is None or ("{item}" in rule.returns and item is None):
        raise CodegenError(f"{source.where(function)}: the rule for {rule.async_type} needs its item type")
    imports.use_parameters(function.args, source)
    imports.use(returns if "{returns}" in rule.returns else item, source, annotation=True)
    for name, module in rule.names:
        imports.add(name, Origin(f"{package}.{module}", name))
    item_text = "" if item is None else ast.unparse(item)
    annotation = rule.returns.format(returns=ast.unparse(returns), item=item_text)
    call = f"{function.name}({forward(function.args)})"
    return "\n".join(
        [
            f"    async def {function.name}({ast.unparse(function.args)}) -> {annotation}:",
            f'        """{rule.doc.format(name=function.name)}"""',
            f"        return {rule.body.format(call=call)}",
        ]
    )


def _class_docstring(without: list[str]) -> str:
    text = (
        "The calls that make one request, each answering with its HTTP response (an `APIResponse`, whose "
        "`.parse()` is what the plain call returns)."
    )
    if without:
        text += f" No raw twin: {'; '.join(without)}."
    return '    """' + "\n    ".join(textwrap.wrap(text, width=100)) + '"""'
