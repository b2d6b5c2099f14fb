"""The generator of the blocking facade, and the facade's likeness to the async client."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import pkgutil
import shutil
import subprocess
import sys
import textwrap
import typing
import zipfile
from pathlib import Path, PurePosixPath

import pytest

import telnyx_orders
from telnyx_orders import AsyncTelnyx, Telnyx, resources
from telnyx_orders._codegen import RETURN_RULES, CodegenError, generate, main
from telnyx_orders._codegen._format import RUFF_VERSION, check_ruff_version

from .hints import client_resources, hints, signature

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(telnyx_orders.__file__).parent


# The facade's likeness to the async client, found by introspection


def twin_pairs() -> list[tuple[type, type]]:
    """(async class, blocking twin): the client, and each `Async*` class of each public resources module
    and of its generated raw twins' module (`resources/_raw/`)."""
    pairs: list[tuple[type, type]] = [(AsyncTelnyx, Telnyx)]
    for module_info in pkgutil.iter_modules(resources.__path__):
        if module_info.name.startswith("_"):
            continue
        twins = importlib.import_module(f"telnyx_orders._sync.resources.{module_info.name}")
        for package in ("telnyx_orders.resources", "telnyx_orders.resources._raw"):
            if importlib.util.find_spec(f"{package}.{module_info.name}") is None:
                continue
            module = importlib.import_module(f"{package}.{module_info.name}")
            for name, cls in vars(module).items():
                if inspect.isclass(cls) and name.startswith("Async") and cls.__module__ == module.__name__:
                    pairs.append((cls, getattr(twins, name.removeprefix("Async"))))
    return pairs


TWINS = twin_pairs()
RENAMED = {"aclose": "close", "__aenter__": "__enter__", "__aexit__": "__exit__"}
BLOCKING_TYPE_NAMES = {
    **{rule.async_type: rule.sync_type for rule in RETURN_RULES},
    **{original.__name__: twin.__name__ for original, twin in TWINS},
}


def blocking(annotation: object) -> object:
    """The twin's annotation for `annotation`, by name: `AsyncPaginator[X]` -> `SyncPage[X]`."""
    origin = typing.get_origin(annotation) or annotation
    name = getattr(origin, "__name__", None)
    return (BLOCKING_TYPE_NAMES.get(name, name) if name else origin, typing.get_args(annotation))


def public_methods(cls: type) -> dict[str, object]:
    return {
        name: member
        for name, member in inspect.getmembers(cls)
        if (not name.startswith("_") or name in RENAMED) and inspect.isfunction(member)
    }


def test_the_twins_cover_the_client_and_every_resource_class() -> None:
    names = {(original.__name__, twin.__name__) for original, twin in TWINS}

    assert names == {
        ("AsyncTelnyx", "Telnyx"),
        ("AsyncInexplicitNumberOrders", "InexplicitNumberOrders"),
        ("AsyncInexplicitNumberOrdersWithRawResponse", "InexplicitNumberOrdersWithRawResponse"),
        ("AsyncNumberOrders", "NumberOrders"),
        ("AsyncNumberOrdersWithRawResponse", "NumberOrdersWithRawResponse"),
        ("AsyncSubNumberOrders", "SubNumberOrders"),
        ("AsyncSubNumberOrdersWithRawResponse", "SubNumberOrdersWithRawResponse"),
        ("AsyncNumberOrderPhoneNumbers", "NumberOrderPhoneNumbers"),
        ("AsyncNumberOrderPhoneNumbersWithRawResponse", "NumberOrderPhoneNumbersWithRawResponse"),
        ("AsyncSubNumberOrdersReports", "SubNumberOrdersReports"),
        ("AsyncSubNumberOrdersReportsWithRawResponse", "SubNumberOrdersReportsWithRawResponse"),
        ("AsyncAvailablePhoneNumbers", "AvailablePhoneNumbers"),
        ("AsyncAvailablePhoneNumbersWithRawResponse", "AvailablePhoneNumbersWithRawResponse"),
        ("AsyncAvailablePhoneNumberBlocks", "AvailablePhoneNumberBlocks"),
        ("AsyncAvailablePhoneNumberBlocksWithRawResponse", "AvailablePhoneNumberBlocksWithRawResponse"),
        ("AsyncNumberReservations", "NumberReservations"),
        ("AsyncNumberReservationsWithRawResponse", "NumberReservationsWithRawResponse"),
        ("AsyncNumberReservationActions", "NumberReservationActions"),
        ("AsyncNumberReservationActionsWithRawResponse", "NumberReservationActionsWithRawResponse"),
        ("AsyncNumberBlockOrders", "NumberBlockOrders"),
        ("AsyncNumberBlockOrdersWithRawResponse", "NumberBlockOrdersWithRawResponse"),
        ("AsyncWebhooks", "Webhooks"),
    }


@pytest.mark.parametrize(("original", "twin"), TWINS, ids=[original.__name__ for original, _ in TWINS])
def test_every_public_method_has_a_blocking_twin_with_the_same_signature(original: type, twin: type) -> None:
    methods = public_methods(original)
    assert methods, "nothing to compare"
    for name, method in methods.items():
        twin_method = getattr(twin, RENAMED.get(name, name), None)
        assert inspect.isfunction(twin_method), f"{twin.__name__} has no twin of {original.__name__}.{name}"
        assert not inspect.iscoroutinefunction(twin_method)
        expected = signature(method)
        actual = signature(twin_method)
        assert list(actual.parameters.values()) == list(expected.parameters.values()), name
        assert blocking(actual.return_annotation) == blocking(expected.return_annotation), name
        if name not in RENAMED:
            assert inspect.getdoc(twin_method) == inspect.getdoc(method), name


@pytest.mark.parametrize(("original", "twin"), TWINS, ids=[original.__name__ for original, _ in TWINS])
def test_properties_and_resource_attributes_are_twinned(original: type, twin: type) -> None:
    properties = {name for name, value in vars(original).items() if isinstance(value, property)}

    assert {name for name, value in vars(twin).items() if isinstance(value, property)} == properties
    for name in properties:
        expected = signature(getattr(original, name).fget)
        actual = signature(getattr(twin, name).fget)
        assert actual.parameters == expected.parameters, name
        assert blocking(actual.return_annotation) == blocking(expected.return_annotation), name
    assert {name: blocking(hint) for name, hint in hints(twin).items()} == {
        name: blocking(hint) for name, hint in hints(original).items()
    }
    assert {name: blocking(hint) for name, hint in client_resources(twin).items()} == {
        name: blocking(hint) for name, hint in client_resources(original).items()
    }


def test_the_client_has_the_async_clients_constructor_properties_and_resources() -> None:
    assert inspect.signature(Telnyx.__init__) == inspect.signature(AsyncTelnyx.__init__)
    assert {"base_url", "timeout", "max_retries", "is_closed"} <= set(vars(Telnyx))
    assert set(client_resources(Telnyx)) == {
        "inexplicit_number_orders",
        "number_orders",
        "sub_number_orders",
        "number_order_phone_numbers",
        "sub_number_orders_report",
        "available_phone_numbers",
        "available_phone_number_blocks",
        "number_reservations",
        "number_block_orders",
        "webhooks",
    }


# The generator's command line


def test_the_generated_facade_in_the_repository_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "telnyx_orders._codegen", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def unformatted(text: str, path: Path) -> str:
    """Generate without ruff: these tests compare the generator with itself, not with ruff."""
    return text


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """The generated `_sync/` and `resources/_raw/`, written by the command line, with the hand-written
    files beside them."""
    output = tmp_path / "telnyx_orders"
    assert main(["--output", str(output)], formatter=unformatted) == 0
    for name in ("_sync/__init__.py", "_sync/_runtime.py"):
        shutil.copy(PACKAGE / name, output / name)
    return output


def test_check_passes_on_a_fresh_generation_and_write_leaves_it_alone(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--check", "--output", str(output)], formatter=unformatted) == 0
    assert main(["--output", str(output)], formatter=unformatted) == 0
    assert capsys.readouterr() == ("", "")
    assert sorted(path.relative_to(output).as_posix() for path in output.rglob("*.py")) == [
        "_sync/__init__.py",
        "_sync/_client.py",
        "_sync/_runtime.py",
        "_sync/resources/__init__.py",
        "_sync/resources/available_phone_number_blocks.py",
        "_sync/resources/available_phone_numbers.py",
        "_sync/resources/inexplicit_number_orders.py",
        "_sync/resources/number_block_orders.py",
        "_sync/resources/number_order_phone_numbers.py",
        "_sync/resources/number_orders.py",
        "_sync/resources/number_reservations.py",
        "_sync/resources/sub_number_orders.py",
        "_sync/resources/sub_number_orders_report.py",
        "_sync/resources/webhooks.py",
        "resources/_raw/__init__.py",
        "resources/_raw/available_phone_number_blocks.py",
        "resources/_raw/available_phone_numbers.py",
        "resources/_raw/inexplicit_number_orders.py",
        "resources/_raw/number_block_orders.py",
        "resources/_raw/number_order_phone_numbers.py",
        "resources/_raw/number_orders.py",
        "resources/_raw/number_reservations.py",
        "resources/_raw/sub_number_orders.py",
        "resources/_raw/sub_number_orders_report.py",
    ]


@pytest.mark.parametrize(
    ("generated", "define"),
    [("_sync/resources/number_orders.py", "def"), ("resources/_raw/number_orders.py", "async def")],
)
def test_check_fails_with_a_diff_when_a_generated_file_is_edited(
    output: Path, capsys: pytest.CaptureFixture[str], generated: str, define: str
) -> None:
    path = output / generated
    path.write_text(path.read_text().replace("def retrieve(", "def fetch("))
    capsys.readouterr()

    assert main(["--check", "--output", str(output)], formatter=unformatted) == 1
    stdout, stderr = capsys.readouterr()
    assert f"stale: {path}" in stdout
    assert f"\n-    {define} fetch(self, " in stdout
    assert f"\n+    {define} retrieve(self, " in stdout
    assert "out of date" in stderr


@pytest.mark.parametrize("generated", ["_sync/_client.py", "resources/_raw/number_orders.py"])
def test_check_fails_when_a_generated_file_is_missing(
    output: Path, capsys: pytest.CaptureFixture[str], generated: str
) -> None:
    path = output / generated
    path.unlink()
    capsys.readouterr()

    assert main(["--check", "--output", str(output)], formatter=unformatted) == 1
    assert f"missing: {path}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra",
    ["_sync/resources/orders.py", "_sync/_helpers.py", "_sync/resources/notes.txt", "resources/_raw/x.py"],
)
def test_check_fails_when_an_extra_file_is_in_the_facade(
    output: Path, capsys: pytest.CaptureFixture[str], extra: str
) -> None:
    (output / extra).write_text("x = 1\n")
    (output / "_sync" / "resources" / "__pycache__").mkdir()
    (output / "_sync" / "resources" / "__pycache__" / "number_orders.cpython-311.pyc").write_bytes(b"")
    capsys.readouterr()

    assert main(["--check", "--output", str(output)], formatter=unformatted) == 1
    assert capsys.readouterr().out == f"extra: {output / extra} is neither generated nor hand-written\n"


def test_writing_deletes_stale_generated_files_but_not_hand_made_ones(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = output / "_sync" / "resources" / "orders.py"
    stale.write_text("# Generated by python -m telnyx_orders._codegen. Do not edit.\n# Source: gone.py\n")
    hand_made = output / "_sync" / "resources" / "notes.py"
    hand_made.write_text("x = 1\n")
    edited = output / "_sync" / "_client.py"
    edited.write_text("")
    capsys.readouterr()

    assert main(["--output", str(output)], formatter=unformatted) == 1
    stdout, stderr = capsys.readouterr()
    assert stdout == f"wrote {edited}\ndeleted {stale}\n"
    assert f"error: {hand_made} is not generated" in stderr
    assert not stale.exists()
    assert hand_made.exists()


# The generator on other sources


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A copy of the package to change, with the project's settings for ruff."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    root = tmp_path / "telnyx_orders"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def add_to(path: Path, code: str, *, imports: str = "") -> None:
    """Add `code` to the end of the body of the module's first class, and `imports` after its imports."""
    text = path.read_text()
    tree = ast.parse(text)
    last_import = max(node.end_lineno or 0 for node in tree.body if isinstance(node, ast.ImportFrom))
    first_class = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    lines = text.splitlines(keepends=True)
    pieces = [lines[:last_import], [imports], lines[last_import : first_class.end_lineno]]
    pieces += [[textwrap.indent(textwrap.dedent(code), "    ")], lines[first_class.end_lineno :]]
    path.write_text("".join("".join(piece) for piece in pieces))


def test_new_methods_are_twinned_and_paginators_map_through_the_return_rules(sources: Path) -> None:
    add_to(
        sources / "resources" / "inexplicit_number_orders.py",
        '''
        def search(self, *, page_size: int = 20) -> AsyncPaginator[InexplicitNumberOrder]:
            """Every inexplicit number order, page by page."""
            return AsyncPaginator()

        async def cancel(self, id: str, /, *reasons: str, **labels: str) -> "Envelope[OrderLink]":
            """Cancel an order."""
        ''',
        imports="\nfrom ..types import OrderLink\n",
    )

    text = generate(sources, formatter=unformatted)[
        PurePosixPath("_sync", "resources", "inexplicit_number_orders.py")
    ]

    module_top, _ = text.split("\nclass ", 1)
    run_time, type_checking = module_top.split("\nif TYPE_CHECKING:\n")
    # Names only annotations use are imported for type checkers alone.
    assert "from telnyx_orders._sync._pagination import SyncPage, SyncPageResponse\n" in run_time
    assert "from telnyx_orders.types import InexplicitNumberOrder\n" in run_time  # the pages' item type
    assert "    from telnyx_orders.types import Envelope, Fulfillment, OrderLink\n" in type_checking
    assert "AsyncPaginator" not in text
    assert (
        "    def search(self, *, page_size: int=20) -> SyncPage[InexplicitNumberOrder]:\n"
        '        """Every inexplicit number order, page by page."""\n'
        "        return SyncPage(self._runtime, self._runtime.call("
        "self._async.search, page_size=page_size))\n"
    ) in text
    assert (
        "    def cancel(self, id: str, /, *reasons: str, **labels: str) -> 'Envelope[OrderLink]':\n"
        '        """Cancel an order."""\n'
        "        return self._runtime.call(self._async.cancel, id, *reasons, **labels)\n"
    ) in text


def test_inherited_methods_are_twinned_and_overrides_win(sources: Path) -> None:
    add_to(
        sources / "resources" / "_base.py",
        '''
        async def ping(self) -> bool:
            """Whether the API answers."""
            return True

        async def describe(self) -> str:
            """Inherited."""
            return ""
        ''',
    )
    add_to(
        sources / "resources" / "number_orders.py",
        '''
        async def describe(self) -> str:
            """Overridden."""
            return ""
        ''',
    )

    files = generate(sources, formatter=unformatted)

    for module in ("inexplicit_number_orders.py", "number_orders.py", "sub_number_orders.py"):
        assert (
            "        return self._runtime.call(self._async.ping)\n"
            in files[PurePosixPath("_sync", "resources", module)]
        )
    number_orders = files[PurePosixPath("_sync", "resources", "number_orders.py")]
    assert number_orders.count("def describe(") == 1
    assert '"""Overridden."""' in number_orders
    assert "_base" not in "".join(str(path) for path in files)


def test_a_plain_method_is_twinned_as_a_call_in_place(sources: Path) -> None:
    # Such as `webhooks.unwrap`: it does no I/O, so it needs no loop thread.
    add_to(
        sources / "resources" / "number_orders.py",
        '''
        def label(self, id: str, *, short: bool = False) -> str:
            """A label for an order."""
            return id
        ''',
    )

    text = generate(sources, formatter=unformatted)[PurePosixPath("_sync", "resources", "number_orders.py")]

    assert (
        "    def label(self, id: str, *, short: bool=False) -> str:\n"
        '        """A label for an order."""\n'
        "        return self._async.label(id, short=short)\n"
    ) in text


def test_sub_resources_and_properties_that_give_a_resource_get_their_twins(sources: Path) -> None:
    # Such as `number_reservations.actions` and `with_raw_response`.
    path = sources / "resources" / "number_orders.py"
    path.write_text(
        path.read_text()
        + textwrap.dedent(
            '''

            class AsyncNumberOrderActions(AsyncAPIResource):
                """Actions on a number order."""

                async def extend(self, number_order_id: str) -> bool:
                    """Extend it."""
                    return True
            '''
        )
    )
    add_to(
        path,
        '''
        actions: AsyncNumberOrderActions

        @property
        def with_raw_response(self) -> AsyncNumberOrderActions:
            """The same operations, answering with the raw response."""
            return self.actions
        ''',
    )

    text = generate(sources, formatter=unformatted)[PurePosixPath("_sync", "resources", "number_orders.py")]

    assert "        self.actions = NumberOrderActions(resource.actions, runtime)\n" in text
    assert (
        "    @property\n"
        "    def with_raw_response(self) -> NumberOrderActions:\n"
        '        """The same operations, answering with the raw response."""\n'
        "        return NumberOrderActions(self._async.with_raw_response, self._runtime)\n"
    ) in text
    assert "class NumberOrderActions:\n" in text
    assert "        return self._runtime.call(self._async.extend, number_order_id)\n" in text


NEW_OPERATIONS = '''
async def fetch(
    self, number_block_order_id: str, *, timeout: float | Timeout | None = None
) -> Envelope[NumberBlockOrder]:
    """Get a block order, by a new name."""
    return await self._http.get(
        f"/number_block_orders/{path_segment(number_block_order_id, 'number_block_order_id')}",
        Envelope[NumberBlockOrder],
        CallOptions(timeout, None, None),
    )

def list_newest(self, *, page_size: int | None = None) -> AsyncPaginator[NumberBlockOrder]:
    """The block orders, newest first."""
    return self.list(page_size=page_size)

async def export(self) -> bytes:
    """Every block order, as CSV."""
    return b""
'''

# Runs in a copy of the package: both clients call the new operations' raw twins against a sandbox.
CALL_THE_NEW_TWINS = """
import asyncio, json, sys
import telnyx_orders
from telnyx_orders import AsyncTelnyx, Telnyx
from telnyx_orders.testing import Sandbox

with Sandbox().serve_in_thread() as sandbox:
    block_id = sandbox.seed("number_block_orders")["id"]

    async def call_async():
        async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
            raw = client.number_block_orders.with_raw_response
            return [await raw.fetch(block_id), await raw.list_newest(page_size=1)]

    answers = asyncio.run(call_async())
    with Telnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        raw = client.number_block_orders.with_raw_response
        answers += [raw.fetch(block_id), raw.list_newest(page_size=1)]
        plain = client.number_block_orders.fetch(block_id).data.id
print(json.dumps({
    "package": telnyx_orders.__file__,
    "answers": [[type(a).__name__, a.status_code, a.parse().data] for a in answers[0::2]],
    "pages": [[type(a).__name__, a.status_code, [o.id for o in a.parse().data]] for a in answers[1::2]],
    "plain": plain,
    "block": block_id,
}, default=lambda order: order.id))
"""


def test_a_new_operation_gets_its_raw_and_blocking_twins_by_regeneration_alone(sources: Path) -> None:
    add_to(sources / "resources" / "number_block_orders.py", NEW_OPERATIONS)

    assert main(["--root", str(sources), "--output", str(sources)], formatter=unformatted) == 0

    raw = (sources / "resources" / "_raw" / "number_block_orders.py").read_text()
    assert (
        "    async def fetch(self, number_block_order_id: str, *, timeout: float | Timeout | None=None) "
        "-> APIResponse[Envelope[NumberBlockOrder]]:\n"
        '        """`fetch`, answering with its HTTP response; `.parse()` is what it returns."""\n'
        "        return as_raw(await self._raw.fetch(number_block_order_id, timeout=timeout))\n"
    ) in raw
    assert "        return await first_page_response(self._plain.list_newest(page_size=page_size))\n" in raw
    assert "def export" not in raw
    assert "No raw twin: `export` (it answers with bytes, no document to decode)." in " ".join(raw.split())
    blocking = (sources / "_sync" / "resources" / "number_block_orders.py").read_text()
    blocking_fetch = "self._runtime.call(self._async.fetch, number_block_order_id, timeout=timeout)\n"
    assert blocking.count(blocking_fetch) == 2, "the plain method's twin and the raw one's"
    assert blocking.count("def list_newest(") == 2, "the plain method's twin and the raw one's"
    assert blocking.count("def export(") == 1

    result = subprocess.run(
        [sys.executable, "-c", CALL_THE_NEW_TWINS],
        capture_output=True,
        text=True,
        cwd=sources.parent,
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    answered = json.loads(result.stdout)
    block = answered["block"]
    assert Path(answered["package"]).parent == sources, "the regenerated copy, not the installed package"
    assert answered["answers"] == [["APIResponse", 200, block], ["APIResponse", 200, block]]
    assert answered["pages"] == [["AsyncPageResponse", 200, [block]], ["SyncPageResponse", 200, [block]]]
    assert answered["plain"] == block


def test_the_clients_resources_are_built_on_first_access() -> None:
    text = generate(PACKAGE, formatter=unformatted)[PurePosixPath("_sync/_client.py")]
    module_top, _ = text.split("\nclass Telnyx:")
    _, type_checking = module_top.split("\nif TYPE_CHECKING:\n")

    assert "    from telnyx_orders._sync.resources.number_orders import NumberOrders\n" in type_checking
    assert "\nfrom telnyx_orders._sync.resources" not in module_top, "no twin is imported with the client"
    assert (
        "    @functools.cached_property\n"
        "    def number_orders(self) -> NumberOrders:\n"
        "        from telnyx_orders._sync.resources.number_orders import NumberOrders\n"
        "\n"
        "        return NumberOrders(self._async.number_orders, self._runtime)\n"
    ) in text
    assert "self.number_orders" not in text


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "async def peek(self, id: str) -> NumberBlockOrder: ...",
            r"AsyncNumberBlockOrders.peek returns NumberBlockOrder, which no raw-twin rule knows: return "
            r"one of Envelope, AsyncPaginator, AsyncSearch \(RAW_RULES\), or name the method in "
            r"WITHOUT_RAW_TWIN",
        ),
        (
            "async def wait(self, id: str) -> Envelope[NumberBlockOrder]: ...",
            r"AsyncNumberBlockOrders.wait returns Envelope\[NumberBlockOrder\], which has a raw twin, but "
            r"WITHOUT_RAW_TWIN says it has none",
        ),
        (
            "async def touch(self, id: str): ...",
            r"AsyncNumberBlockOrders.touch returns nothing, which no raw-twin rule knows",
        ),
        (
            "def everything(self) -> AsyncPaginator: ...",
            r"number_block_orders.py:\d+: the rule for AsyncPaginator needs its item type",
        ),
        (
            "def newest(self, *, reverse: bool = NEWEST_FIRST) -> AsyncPaginator[NumberBlockOrder]: ...",
            r"number_block_orders.py:\d+: 'NEWEST_FIRST' is read at run time, but "
            r"telnyx_orders.resources.number_block_orders imports the generated module",
        ),
    ],
)
def test_a_method_that_no_raw_rule_decides_stops_the_generator(
    sources: Path, capsys: pytest.CaptureFixture[str], code: str, message: str
) -> None:
    add_to(sources / "resources" / "number_block_orders.py", code, imports="\nNEWEST_FIRST = True\n")

    with pytest.raises(CodegenError, match=message):
        generate(sources, formatter=unformatted)
    assert main(["--root", str(sources), "--check"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "extra_orders: AsyncNumberOrders",
            r"AsyncTelnyx.extra_orders is built with the client; make it a @functools.cached_property",
        ),
        (
            "@functools.cached_property\ndef region(self) -> str:\n    return ''",
            r"no rule for a cached property that gives no resource",
        ),
    ],
)
def test_a_client_resource_must_be_built_on_first_access(sources: Path, code: str, message: str) -> None:
    add_to(sources / "_client.py", code)

    with pytest.raises(CodegenError, match=message):
        generate(sources, formatter=unformatted)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "@staticmethod\nasync def make() -> None: ...",
            r"no rule for a method decorated with \['staticmethod'\]",
        ),
        ("async def __call__(self) -> None: ...", r"no rule for AsyncNumberOrders.__call__"),
        ("region: str", r"no rule for the attribute AsyncNumberOrders.region"),
        ("async def get(self, x: Unknown) -> None: ...", r"cannot tell where 'Unknown' comes from"),
        ("async def f(self) -> AsyncTelnyx: ...", r"the rule for AsyncTelnyx needs a plain method"),
        ("@property\nasync def p(self) -> int: ...", r"an async property has no blocking twin"),
        ("limit = 5", r"no rule for this statement in AsyncNumberOrders"),
    ],
)
def test_members_without_a_rule_stop_the_generator(
    sources: Path, capsys: pytest.CaptureFixture[str], code: str, message: str
) -> None:
    add_to(sources / "resources" / "number_orders.py", code, imports="\nfrom .._client import AsyncTelnyx\n")

    with pytest.raises(CodegenError, match=message):
        generate(sources, formatter=unformatted)
    assert main(["--root", str(sources), "--check"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_the_client_template_needs_the_members_it_mirrors(sources: Path) -> None:
    client = sources / "_client.py"
    client.write_text(client.read_text().replace("def __repr__(", "def describe("))

    with pytest.raises(CodegenError, match=r"the Telnyx template needs AsyncTelnyx.__repr__"):
        generate(sources, formatter=unformatted)


def test_ruff_formats_with_the_projects_settings(sources: Path) -> None:
    text = generate(sources)[PurePosixPath("_sync", "resources", "sub_number_orders.py")]

    assert text == (PACKAGE / "_sync" / "resources" / "sub_number_orders.py").read_text()


# Static types: tests/typing/test_sync_types.py is checked by mypy and pyright in the typecheck session.


# Formatting and packaging


def test_the_generator_formats_with_the_ruff_release_the_project_pins() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()

    assert f'codegen = ["ruff=={RUFF_VERSION}"]' in pyproject
    assert 'lint = [{ include-group = "codegen" }]' in pyproject
    check_ruff_version(f"ruff {RUFF_VERSION}\n")
    with pytest.raises(CodegenError, match=rf"formatted with ruff {RUFF_VERSION} .*not 99.0.0"):
        check_ruff_version("ruff 99.0.0\n")


def test_the_wheel_ships_the_generated_facade_but_not_its_generator(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()

    assert "telnyx_orders/_sync/_client.py" in names
    assert "telnyx_orders/_sync/resources/number_orders.py" in names
    assert "telnyx_orders/resources/_raw/number_orders.py" in names
    assert not [name for name in names if "_codegen" in name]
