"""The generated `_sync/_client.py`: `Telnyx`, the blocking twin of `AsyncTelnyx`.

The constructor, `close()`, the context manager and `__repr__` are shaped here by hand, with the
constructor's and `__exit__`'s parameters taken from `AsyncTelnyx`; every other public member is twinned
like a resource's (`with_options` through its `ReturnRule`). The client's resources are
`@functools.cached_property`s, each importing its module on first access, on both clients: a program
loads only the resources it uses.
"""

from __future__ import annotations

import ast
from string import Template

from ._imports import Imports, annotation_expr
from ._sources import AsyncClass, CodegenError, Origin, Sources, twin_origin
from ._twins import Function, forward, signature, twin_members

__all__ = ["render_client_module"]

_EXPLICIT = ("__init__", "aclose", "__aenter__", "__aexit__", "__repr__")

_OVERRIDES = {
    # Closing a client that never made a call stops no loop, so aclose() never ran to mark it closed.
    "is_closed": "self._async.is_closed or self._runtime.closed",
}

_RESOURCE = Template("""\
    @functools.cached_property
    def $name(self) -> $twin:
        from $module import $twin

        return $twin(self._async.$name, self._runtime)
""")

_MODULE = Template('''\
"""The blocking client: the methods of `AsyncTelnyx`, run on an event loop in a thread the client owns."""

$imports

__all__ = ["Telnyx"]


class Telnyx:
    """Blocking client for Telnyx number ordering: `AsyncTelnyx`'s methods, arguments, models and errors.

    ```python
    with Telnyx() as client:
        order = client.inexplicit_number_orders.retrieve(order_id).data
    ```

    Each call runs the `AsyncTelnyx` method on an event loop in a daemon thread that the client starts on
    first use, and blocks until it returns; any number of threads may share one client. Close the client,
    or use `with`, to close its connections and stop its thread. In async code use `AsyncTelnyx`: a
    blocking call there stalls the event loop.
    """

$init_signature
        self._bind(AsyncTelnyx($init_arguments), LoopThread(), owns_runtime=True)
        # A forked child runs a new loop: drop the parent's aiohttp session there, never close it.
        self._runtime.on_fork(self._async._forget_connections)  # pyright: ignore[reportPrivateUsage]
        # A call from a thread whose event loop serves the base URL (`async with Sandbox()`) would wait
        # for itself until its deadline: it fails at once instead.
        self._runtime.refuse_calls_needing(functools.partial(needs_loop, self._async.base_url))
        # Left unclosed, it still closes its connections: when collected, or at interpreter exit.
        self._runtime.on_close(self._async.aclose)

    def _bind(self, client: AsyncTelnyx, runtime: LoopThread, *, owns_runtime: bool) -> None:
        self._async = client
        self._runtime = runtime
        self._owns_runtime = owns_runtime

    def _copy(self, client: AsyncTelnyx) -> Telnyx:
        copy = object.__new__(Telnyx)
        copy._bind(client, self._runtime, owns_runtime=False)
        return copy

$resources

$members

    def close(self) -> None:
        """Close the connections and stop the loop thread; a `with_options` copy leaves both open."""
        if self._owns_runtime:
            self._runtime.close(self._async.aclose)

    def __enter__(self) -> Telnyx:
        return self

$exit_signature
        self.close()

    def __repr__(self) -> str:
        return f"<Telnyx base_url={self.base_url!r}>"
''')


def render_client_module(sources: Sources, package: str) -> str:
    """The module `_sync/_client.py`."""
    client = sources.client
    imports = Imports(f"{package}._sync._client")
    imports.add(client.name, Origin(client.module.name, client.name))
    imports.add("LoopThread", Origin(f"{package}._sync._runtime", "LoopThread"))
    imports.add("functools", Origin("functools"))
    imports.add("needs_loop", Origin(f"{package}._deadlock", "needs_loop"))
    explicit = _explicit_members(sources)
    init, aexit = explicit["__init__"], explicit["__aexit__"]
    for function in (init, aexit):
        imports.use_parameters(function.args, client.module)
        imports.use(function.returns, client.module, annotation=True)
    resources = _resources(sources)
    twin = twin_members(
        client, sources, imports, package=package, explicit=[*_EXPLICIT, *resources], overrides=_OVERRIDES
    )
    if twin.resources:
        name, _ = twin.resources[0]
        raise CodegenError(
            f"{client.module.path}: {client.name}.{name} is built with the client; make it a "
            "@functools.cached_property, as its other resources are"
        )
    twins = {name: twin_origin(cls, package) for name, cls in resources.items()}
    for name, cls in resources.items():
        # For the annotations: at run time each resource's property imports its own twin.
        imports.add(cls.twin_name, twins[name], run_time=False)
    return _MODULE.substitute(
        imports=imports.render(),
        init_signature=signature("__init__", init, init.returns),
        init_arguments=forward(init.args),
        resources="\n".join(
            _RESOURCE.substitute(name=name, twin=origin.name, module=origin.module)
            for name, origin in twins.items()
        ),
        members="\n\n".join(twin.members),
        exit_signature=signature("__exit__", aexit, aexit.returns),
    )


def _explicit_members(sources: Sources) -> dict[str, Function]:
    client = sources.client
    found = {
        statement.name: statement
        for statement, _ in sources.members(client)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name in _EXPLICIT
    }
    missing = [name for name in _EXPLICIT if name not in found]
    if missing:
        raise CodegenError(
            f"{client.module.path}: the Telnyx template needs {client.name}.{', '.join(missing)}"
        )
    aclose = found["aclose"].args
    if len(aclose.posonlyargs + aclose.args) != 1 or aclose.vararg or aclose.kwonlyargs or aclose.kwarg:
        raise CodegenError(
            f"{client.module.where(found['aclose'])}: the Telnyx template expects aclose(self)"
        )
    return found


def _resources(sources: Sources) -> dict[str, AsyncClass]:
    """The client's resources, by name: its `@functools.cached_property`s that return a resource class."""
    client = sources.client
    resources: dict[str, AsyncClass] = {}
    for statement in client.node.body:
        if not isinstance(statement, ast.FunctionDef):
            continue
        decorators = [ast.unparse(decorator) for decorator in statement.decorator_list]
        if decorators != ["functools.cached_property"]:
            continue
        returns = None if statement.returns is None else annotation_expr(statement.returns)
        resource = sources.resource_class(returns)
        if resource is None:
            raise CodegenError(
                f"{client.module.where(statement)}: no rule for a cached property that gives no resource"
            )
        resources[statement.name] = resource
    return resources
