"""Cold start: a program loads only the parts of telnyx_orders it uses.

The packages (`telnyx_orders`, `types`, `resources`, the blocking twins) import each public name from its
module on first use, and both clients build each resource on first access. What a fresh process loads
is read from its `sys.modules`: counted, never timed (`benchmarks/cold_start.py` times it).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from telnyx_orders import AsyncTelnyx, HTTPRequest, HTTPResponse, MockTransport, Telnyx
from telnyx_orders.testing import Sandbox

LAZY_PACKAGES = [
    "telnyx_orders",
    "telnyx_orders.types",
    "telnyx_orders.resources",
    "telnyx_orders._sync.resources",
]

RETRIEVE_ASYNC = """
import asyncio
from telnyx_orders import AsyncTelnyx

async def main(base_url, key, order_id):
    async with AsyncTelnyx(key, base_url=base_url) as client:
        await client.inexplicit_number_orders.retrieve(order_id)

asyncio.run(main(*sys.argv[1:]))
"""

RETRIEVE_BLOCKING = """
from telnyx_orders import Telnyx

base_url, key, order_id = sys.argv[1:]
with Telnyx(key, base_url=base_url) as client:
    client.inexplicit_number_orders.retrieve(order_id)
"""

# What retrieving one inexplicit order needs, and no more.
RETRIEVE_RESOURCES = {
    "telnyx_orders.resources",
    "telnyx_orders.resources._base",
    "telnyx_orders.resources._fulfillment",
    # The generated raw twins, which the resource module names as its `with_raw_response`: 0.2 ms.
    "telnyx_orders.resources._raw",
    "telnyx_orders.resources._raw.inexplicit_number_orders",
    "telnyx_orders.resources._waiting",
    "telnyx_orders.resources.inexplicit_number_orders",
}
RETRIEVE_TYPES = {
    "telnyx_orders.types",
    "telnyx_orders.types._enums",
    "telnyx_orders.types._errors",
    "telnyx_orders.types._fields",
    "telnyx_orders.types._inexplicit_number_orders",
    "telnyx_orders.types._shared",
}


def loaded_by(script: str, *args: str) -> set[str]:
    """The modules a fresh Python process has loaded after running `script` (which may read sys.argv)."""
    report = "\nimport json\nprint(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", "import sys\n" + script + report, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def under(modules: set[str], package: str) -> set[str]:
    return {name for name in modules if name == package or name.startswith(package + ".")}


# What a fresh process loads


def test_importing_the_package_loads_no_client_facade_models_or_cryptography() -> None:
    loaded = loaded_by("import telnyx_orders")

    assert under(loaded, "telnyx_orders") == {"telnyx_orders", "telnyx_orders._lazy", "telnyx_orders.types"}
    assert not under(loaded, "cryptography")


def test_retrieving_an_order_loads_its_resource_and_models_and_not_the_blocking_facade(
    served_sandbox: Sandbox,
) -> None:
    order = served_sandbox.add_inexplicit_number_order()

    loaded = loaded_by(RETRIEVE_ASYNC, served_sandbox.base_url, served_sandbox.api_key, order["id"])

    assert under(loaded, "telnyx_orders.resources") == RETRIEVE_RESOURCES
    assert under(loaded, "telnyx_orders.types") == RETRIEVE_TYPES
    assert not under(loaded, "telnyx_orders._sync")
    assert not under(loaded, "cryptography")


def test_the_blocking_client_loads_only_the_twin_of_the_resource_it_uses(served_sandbox: Sandbox) -> None:
    order = served_sandbox.add_inexplicit_number_order()

    loaded = loaded_by(RETRIEVE_BLOCKING, served_sandbox.base_url, served_sandbox.api_key, order["id"])

    assert under(loaded, "telnyx_orders._sync.resources") == {
        "telnyx_orders._sync.resources",
        "telnyx_orders._sync.resources.inexplicit_number_orders",
    }
    assert under(loaded, "telnyx_orders.resources") == RETRIEVE_RESOURCES
    # The generated twin imports the names its annotations use for type checkers only.
    assert under(loaded, "telnyx_orders.types") == RETRIEVE_TYPES


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_public_name_resolves_in_a_fresh_process(package: str) -> None:
    script = f"from {package} import *\nfrom {package} import __all__ as names\nprint(sorted(names))\n"
    result = subprocess.run(
        [sys.executable, "-c", script + "print(sorted(name for name in names if name in globals()))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    declared, bound = result.stdout.splitlines()

    assert bound == declared
    assert len(declared) > 2


def test_the_blocking_client_resolves_in_a_fresh_process() -> None:
    loaded = loaded_by("from telnyx_orders import Telnyx\nTelnyx('key').close()")

    assert "telnyx_orders._sync._client" in loaded


# The lazy packages' three lists of names agree


def type_checking_imports(module: ModuleType) -> set[tuple[str, str]]:
    """(absolute module, name) of each `from module import name` under the package's `if TYPE_CHECKING:`."""
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    (block,) = [
        node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    return {
        (importlib.util.resolve_name("." * node.level + (node.module or ""), module.__name__), alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def lazy_table(module: ModuleType) -> set[tuple[str, str]]:
    """(absolute module, name) of each name the package imports on first use."""
    exports: dict[str, tuple[str, ...]] = vars(module)["_EXPORTS"]
    return {
        (importlib.util.resolve_name(submodule, module.__name__), name)
        for submodule, names in exports.items()
        for name in names
    }


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_the_type_checking_imports_the_lazy_table_and_all_name_the_same_things(package: str) -> None:
    module = importlib.import_module(package)
    table = lazy_table(module)

    assert type_checking_imports(module) == table
    assert sorted(name for _, name in table) == sorted(module.__all__)
    for submodule, name in table:
        assert getattr(module, name) is getattr(importlib.import_module(submodule), name), name
    assert set(module.__all__) <= set(dir(module))


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_an_unknown_name_is_an_attribute_error(package: str) -> None:
    module = importlib.import_module(package)

    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'NoSuchName'"):
        module.NoSuchName  # noqa: B018 - the lookup is the test
    assert not hasattr(module, "NoSuchName")


# Resources built on first access


def recording_transport(seen: list[HTTPRequest]) -> MockTransport:
    def answer(request: HTTPRequest) -> HTTPResponse:
        seen.append(request)
        return HTTPResponse(200, headers={"content-type": "application/json"}, body=b'{"data": {"id": "o"}}')

    return MockTransport(answer)


def copy_header(request: HTTPRequest) -> str | None:
    return {name.lower(): value for name, value in request.headers.items()}.get("x-copy")


async def test_a_resource_is_built_once_and_each_copy_builds_its_own_with_its_settings() -> None:
    seen: list[HTTPRequest] = []
    client = AsyncTelnyx("key", base_url="http://127.0.0.1:9/v2", transport=recording_transport(seen))
    orders = client.inexplicit_number_orders
    copy = client.with_options(default_headers={"X-Copy": "yes"})

    await client.inexplicit_number_orders.retrieve("o")
    await copy.inexplicit_number_orders.retrieve("o")

    assert client.inexplicit_number_orders is orders
    assert copy.inexplicit_number_orders is not orders
    assert copy.inexplicit_number_orders is copy.inexplicit_number_orders
    assert [copy_header(request) for request in seen] == [None, "yes"], "one transport, two settings"
    await client.aclose()


def test_a_blocking_resource_is_built_once_and_each_copy_builds_its_own_with_its_settings() -> None:
    seen: list[HTTPRequest] = []
    with Telnyx("key", base_url="http://127.0.0.1:9/v2", transport=recording_transport(seen)) as client:
        orders = client.number_orders
        copy = client.with_options(default_headers={"X-Copy": "yes"})

        client.number_orders.retrieve("o")
        copy.number_orders.retrieve("o")

        assert client.number_orders is orders
        assert copy.number_orders is not orders
        assert copy.number_orders is copy.number_orders
        assert [copy_header(request) for request in seen] == [None, "yes"]
