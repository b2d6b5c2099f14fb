"""The generator of the blocking facade, and the facade's likeness to the async client."""

from __future__ import annotations

import ast
import importlib
import inspect
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
    """(async class, blocking twin): the client, and each `Async*` class of each public resources module."""
    pairs: list[tuple[type, type]] = [(AsyncTelnyx, Telnyx)]
    for module_info in pkgutil.iter_modules(resources.__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"telnyx_orders.resources.{module_info.name}")
        twins = importlib.import_module(f"telnyx_orders._sync.resources.{module_info.name}")
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
    """A generated `_sync/`, written by the command line, with the hand-written files beside it."""
    output = tmp_path / "_sync"
    assert main(["--output", str(output)], formatter=unformatted) == 0
    for name in ("__init__.py", "_runtime.py"):
        shutil.copy(PACKAGE / "_sync" / name, output / name)
    return output


def test_check_passes_on_a_fresh_generation_and_write_leaves_it_alone(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--check", "--output", str(output)], formatter=unformatted) == 0
    assert main(["--output", str(output)], formatter=unformatted) == 0
    assert capsys.readouterr() == ("", "")
    assert sorted(path.relative_to(output).as_posix() for path in output.rglob("*.py")) == [
        "__init__.py",
        "_client.py",
        "_runtime.py",
        "resources/__init__.py",
        "resources/available_phone_number_blocks.py",
        "resources/available_phone_numbers.py",
        "resources/inexplicit_number_orders.py",
        "resources/number_block_orders.py",
        "resources/number_order_phone_numbers.py",
        "resources/number_orders.py",
        "resources/number_reservations.py",
        "resources/sub_number_orders.py",
        "resources/sub_number_orders_report.py",
        "resources/webhooks.py",
    ]


def test_check_fails_with_a_diff_when_a_generated_file_is_edited(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = output / "resources" / "number_orders.py"
    path.write_text(path.read_text().replace("def retrieve(", "def fetch("))
    capsys.readouterr()

    assert main(["--check", "--output", str(output)], formatter=unformatted) == 1
    stdout, stderr = capsys.readouterr()
    assert f"stale: {path}" in stdout
    assert "\n-    def fetch(self, " in stdout
    assert "\n+    def retrieve(self, " in stdout
    assert "out of date" in stderr


def test_check_fails_when_a_generated_file_is_missing(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = output / "_client.py"
    path.unlink()
    capsys.readouterr()

    assert main(["--check", "--output", str(output)], formatter=unformatted) == 1
    assert f"missing: {path}" in capsys.readouterr().out


@pytest.mark.parametrize("extra", ["resources/orders.py", "_helpers.py", "resources/notes.txt"])
def test_check_fails_when_an_extra_file_is_in_the_facade(
    output: Path, capsys: pytest.CaptureFixture[str], extra: str
) -> None:
    (output / extra).write_text("x = 1\n")
    (output / "resources" / "__pycache__").mkdir()
    (output / "resources" / "__pycache__" / "number_orders.cpython-311.pyc").write_bytes(b"")
    capsys.readouterr()

    assert main(["--check", "--output", str(output)], formatter=unformatted) == 1
    assert capsys.readouterr().out == f"extra: {output / extra} is neither generated nor hand-written\n"


def test_writing_deletes_stale_generated_files_but_not_hand_made_ones(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = output / "resources" / "orders.py"
    stale.write_text("# Generated by python -m telnyx_orders._codegen. Do not edit.\n# Source: gone.py\n")
    hand_made = output / "resources" / "notes.py"
    hand_made.write_text("x = 1\n")
    edited = output / "_client.py"
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

    text = generate(sources, formatter=unformatted)[PurePosixPath("resources", "inexplicit_number_orders.py")]

    assert "from telnyx_orders._sync._pagination import SyncPage, SyncPageResponse\n" in text
    assert "from telnyx_orders.types import Envelope, Fulfillment, InexplicitNumberOrder, OrderLink\n" in text
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
            in files[PurePosixPath("resources", module)]
        )
    number_orders = files[PurePosixPath("resources", "number_orders.py")]
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

    text = generate(sources, formatter=unformatted)[PurePosixPath("resources", "number_orders.py")]

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

    text = generate(sources, formatter=unformatted)[PurePosixPath("resources", "number_orders.py")]

    assert "        self.actions = NumberOrderActions(resource.actions, runtime)\n" in text
    assert (
        "    @property\n"
        "    def with_raw_response(self) -> NumberOrderActions:\n"
        '        """The same operations, answering with the raw response."""\n'
        "        return NumberOrderActions(self._async.with_raw_response, self._runtime)\n"
    ) in text
    assert "class NumberOrderActions:\n" in text
    assert "        return self._runtime.call(self._async.extend, number_order_id)\n" in text


def test_the_clients_resources_are_built_on_first_access() -> None:
    text = generate(PACKAGE, formatter=unformatted)[PurePosixPath("_client.py")]
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
    text = generate(sources)[PurePosixPath("resources", "sub_number_orders.py")]

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
    assert not [name for name in names if "_codegen" in name]
