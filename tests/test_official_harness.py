"""The harness of `nox -s official` (tests/official/): it runs every official test or fails, and seeds truly.

What it does to the official tests is small and must stay exact: remove the one mark that disables them,
raise the placeholder page 0 to the spec's minimum, and refuse an sdist where either finds what it does not
expect. What it seeds must be what the sandbox serves for those ids, valid against the spec.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import textwrap
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from telnyx_orders.testing import Operation, Sandbox
from tests.official import run, sdist, seeding
from tests.test_sandbox_spec import OPERATIONS_IN_SPEC, response_pointer, violations

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

DISABLED = '    @pytest.mark.skip(reason="Mock server tests are disabled")\n'
OFFICIAL_STYLE = textwrap.dedent(
    """\
    class TestNumberOrders:
        @pytest.mark.skip(reason="Mock server tests are disabled")
        @parametrize
        def test_method_list(self, client: Telnyx) -> None:
            client.number_orders.list(page_number=0, page_size=0)

        @pytest.mark.skip(reason="Mock server tests are disabled")
        @parametrize
        async def test_method_retrieve(self, async_client: AsyncTelnyx) -> None:
            await async_client.number_orders.retrieve("number_order_id")
    """
)
"""Two test functions as the sdist writes them: a sync and an async one, each behind the mark."""


# --- un-skipping ------------------------------------------------------------------------------------------


def test_unskip_removes_exactly_the_disabling_mark_and_nothing_else() -> None:
    unskipped = sdist.unskip(OFFICIAL_STYLE, "test_number_orders.py")

    assert unskipped == OFFICIAL_STYLE.replace(DISABLED, "")
    assert "Mock server tests are disabled" not in unskipped
    assert unskipped.count("@parametrize") == 2


@pytest.mark.parametrize(
    ("source", "says"),
    [
        pytest.param(OFFICIAL_STYLE.replace(DISABLED, ""), "0 @pytest.mark.skip", id="no-mark-at-all"),
        pytest.param(OFFICIAL_STYLE.replace(DISABLED, "", 1), "1 @pytest.mark.skip", id="a-test-without-it"),
        pytest.param(OFFICIAL_STYLE.replace("disabled", "off"), "0 @pytest.mark.skip", id="a-mark-reworded"),
        pytest.param("import pytest\n", "for 0 test functions", id="no-test"),
        pytest.param(
            OFFICIAL_STYLE.replace(
                "@parametrize\n    async", '@pytest.mark.skipif(True, reason="x")\n    async'
            ),
            "another skip or xfail remains: pytest.mark.skipif",
            id="another-skip",
        ),
        pytest.param(
            OFFICIAL_STYLE + "        pytest.xfail('not yet')\n",
            "another skip or xfail remains: pytest.xfail(",
            id="an-xfail-call",
        ),
    ],
)
def test_unskip_refuses_a_file_it_would_not_run_in_full(source: str, says: str) -> None:
    with pytest.raises(sdist.HarnessError, match=r"^test_x\.py: ") as raised:
        sdist.unskip(source, "test_x.py")

    assert says in str(raised.value)


def test_only_page_values_of_zero_are_raised_to_the_spec_minimum() -> None:
    source = "list(page_number=0, page_size=0)\nlist(page_number=10, page_size=20, range=0, page_size_x=0)\n"

    raised, count = sdist.meet_page_minimum(source)

    assert count == 2
    assert (
        raised
        == "list(page_number=1, page_size=1)\nlist(page_number=10, page_size=20, range=0, page_size_x=0)\n"
    )


def test_only_number_searches_naming_no_country_are_given_one() -> None:
    source = (
        "client.available_phone_numbers.list()\n"
        "await client.available_phone_numbers.with_raw_response.list()\n"
        "with client.available_phone_numbers.with_streaming_response.list() as response:\n"
        "client.available_phone_numbers.list(filter={'country_code': 'GB'})\n"
        "client.available_phone_number_blocks.list()\n"
        "client.number_orders.list()\n"
    )

    given, count = sdist.name_a_country(source)

    assert count == 3
    assert given.splitlines() == [
        'client.available_phone_numbers.list(filter={"country_code": "US"})',
        'await client.available_phone_numbers.with_raw_response.list(filter={"country_code": "US"})',
        "with client.available_phone_numbers.with_streaming_response"
        '.list(filter={"country_code": "US"}) as response:',
        "client.available_phone_numbers.list(filter={'country_code': 'GB'})",
        "client.available_phone_number_blocks.list()",
        "client.number_orders.list()",
    ]


# --- extracting -------------------------------------------------------------------------------------------

CONFTEST = textwrap.dedent(
    """\
    api_key = "My API Key"

    def client(strict):
        return Telnyx(api_key=api_key, _strict_response_validation=strict)
    """
)


def make_sdist(tmp_path: Path, files: dict[str, str]) -> Path:
    """A ``telnyx-9.9.9.tar.gz`` holding ``files`` under ``telnyx-9.9.9/``, as the sdist lays them out."""
    archive = tmp_path / "telnyx-9.9.9.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for path, text in files.items():
            data = text.encode()
            member = tarfile.TarInfo(f"telnyx-9.9.9/{path}")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return archive


def official_layout(**extra: str) -> dict[str, str]:
    files = {path: f"# {path}\n" for path in sdist.HELPERS}
    files["tests/conftest.py"] = CONFTEST
    files["tests/api_resources/test_number_orders.py"] = OFFICIAL_STYLE
    files["tests/api_resources/test_porting_orders.py"] = OFFICIAL_STYLE  # not asked for
    return {**files, **extra}


def test_extract_writes_the_helpers_and_the_runnable_tests_asked_for_only(tmp_path: Path) -> None:
    archive = make_sdist(tmp_path, official_layout(**{"src/telnyx/__init__.py": "", "README.md": ""}))

    root, changes = sdist.extract(archive, "9.9.9", tmp_path / "work", ("test_number_orders.py",))

    written = sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
    assert written == sorted([*sdist.HELPERS, "tests/api_resources/test_number_orders.py"])
    runnable = (root / "tests/api_resources/test_number_orders.py").read_text()
    assert "Mock server tests are disabled" not in runnable
    assert "page_number=1, page_size=1" in runnable
    assert changes == [
        "test_number_orders.py: 2 tests un-skipped, 2 page values raised from 0 to 1, "
        "0 searches given a country"
    ]
    assert sdist.api_key(root) == "My API Key"


def test_a_test_file_in_a_subfolder_comes_with_its_package(tmp_path: Path) -> None:
    nested = {
        "tests/api_resources/number_reservations/__init__.py": "",
        "tests/api_resources/number_reservations/test_actions.py": OFFICIAL_STYLE,
    }
    archive = make_sdist(tmp_path, official_layout(**nested))

    root, _ = sdist.extract(archive, "9.9.9", tmp_path, ("number_reservations/test_actions.py",))

    assert sorted(path.name for path in (root / "tests/api_resources/number_reservations").iterdir()) == [
        "__init__.py",
        "test_actions.py",
    ]


def test_extract_starts_afresh_each_time(tmp_path: Path) -> None:
    archive = make_sdist(tmp_path, official_layout())
    root, _ = sdist.extract(archive, "9.9.9", tmp_path, ("test_number_orders.py",))
    (root / "tests" / "api_resources" / "test_left_over.py").write_text("def test_stale(): pass\n")

    again, _ = sdist.extract(archive, "9.9.9", tmp_path, ("test_number_orders.py",))

    assert again == root
    assert not (root / "tests" / "api_resources" / "test_left_over.py").exists()


def test_extract_names_a_test_file_the_sdist_lacks(tmp_path: Path) -> None:
    archive = make_sdist(tmp_path, official_layout())

    with pytest.raises(sdist.HarnessError, match=r"^the sdist has no tests/api_resources/test_gone.py$"):
        sdist.extract(archive, "9.9.9", tmp_path, ("test_gone.py",))


def test_the_key_comes_from_a_conftest_that_builds_strict_clients_only(tmp_path: Path) -> None:
    loose = CONFTEST.replace("_strict_response_validation=strict", "_strict_response_validation=False")
    archive = make_sdist(tmp_path, official_layout(**{"tests/conftest.py": loose}))
    root, _ = sdist.extract(archive, "9.9.9", tmp_path, ("test_number_orders.py",))

    with pytest.raises(sdist.HarnessError, match="strict clients"):
        sdist.api_key(root)


def test_a_cached_sdist_is_used_without_asking_pip(tmp_path: Path) -> None:
    archive = make_sdist(tmp_path, official_layout())

    assert sdist.fetch("9.9.9", tmp_path) == archive


# --- seeding ----------------------------------------------------------------------------------------------

RETRIEVED_BY: dict[str, tuple[Operation, str]] = {
    "number_orders": ("RetrieveNumberOrder", "number_order_id"),
    "sub_number_orders": ("GetSubNumberOrder", "sub_number_order_id"),
    "number_order_phone_numbers": ("GetNumberOrderPhoneNumber", "number_order_phone_number_id"),
    "sub_number_orders_report": ("GetSubNumberOrdersReport", "report_id"),
    "inexplicit_number_orders": ("RetrieveInexplicitNumberOrder", "id"),
    "number_block_orders": ("RetrieveNumberBlockOrder", "number_block_order_id"),
    "number_reservations": ("RetrieveNumberReservation", "number_reservation_id"),
}
"""How the spec retrieves a document of each kind the harness seeds: the operation and its path parameter."""


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def answer(http: aiohttp.ClientSession, sandbox: Sandbox, method: str, path: str) -> tuple[int, Any]:
    """The status and JSON body the sandbox answers to ``method path``."""
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    async with http.request(method, sandbox.base_url + path, headers=headers) as response:
        return response.status, await response.json()


@pytest.mark.parametrize("seed", seeding.SEEDS, ids=lambda seed: f"{seed.kind}-{seed.id}")
async def test_every_seeded_id_is_served_with_a_document_the_spec_allows(
    sandbox: Sandbox, http: aiohttp.ClientSession, seed: seeding.Seed
) -> None:
    seeding.seed_all(sandbox)
    operation_id, parameter = RETRIEVED_BY[seed.kind]
    operation = OPERATIONS_IN_SPEC[operation_id]

    status, body = await answer(http, sandbox, "GET", operation.path.format_map({parameter: seed.id}))

    assert status == 200
    assert body["data"]["id"] == seed.id
    # The one departure from the spec: the id is the official test's literal, a uuid only where it is one.
    as_telnyx_names_it = {**body, "data": {**body["data"], "id": str(uuid.uuid4())}}
    assert violations(response_pointer(operation, 200), as_telnyx_names_it) == []


async def test_each_seeding_undoes_what_the_last_test_did(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    cancel = "/sub_number_orders/sub_number_order_id/cancel"
    sandbox.seed("number_orders", id="left-by-the-last-test")

    seeding.seed_all(sandbox)
    first = await answer(http, sandbox, "PATCH", cancel)
    again = await answer(http, sandbox, "PATCH", cancel)
    seeding.seed_all(sandbox)
    after_seeding = await answer(http, sandbox, "PATCH", cancel)

    assert first[0] == after_seeding[0] == 200
    assert first[1]["data"]["status"] == after_seeding[1]["data"]["status"] == "failure"
    assert again[0] == 422  # a cancelled sub number order cannot be cancelled again
    assert "left-by-the-last-test" not in sandbox.documents("number_orders")


# --- the plugin and the sandbox process, as the run uses them ---------------------------------------------

PLUGIN_PROOF = textwrap.dedent(
    """\
    import json, os, urllib.request

    import pytest

    def test_finds_the_seeded_order():
        request = urllib.request.Request(
            os.environ["TEST_API_BASE_URL"] + "/number_orders/number_order_id",
            headers={"Authorization": "Bearer " + os.environ["TELNYX_ORDERS_OFFICIAL_API_KEY"]},
        )
        with urllib.request.urlopen(request) as response:
            assert json.load(response)["data"]["id"] == "number_order_id"

    def test_second():
        pass
    """
)
"""Two tests run with the plugin: the first sees the seeded order through the sandbox's API."""


def run_with_plugin(
    tmp_path: Path, base_url: str, api_key: str, source: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """pytest with the run's plugin (``-p seeding``) over ``source``, against the sandbox at ``base_url``."""
    (tmp_path / "test_proof.py").write_text(source)
    environment = {
        **os.environ,
        seeding.URL_VARIABLE: base_url,
        seeding.API_KEY_VARIABLE: api_key,
        "PYTHONPATH": str(run.HERE),
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "seeding",
        "-p",
        "no:telnyx_orders",
        "-p",
        "no:cacheprovider",
    ]
    command += ["-c", os.devnull]
    return subprocess.run(
        [*command, "--rootdir", str(tmp_path), "test_proof.py", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_run_passes_when_every_test_ran_and_passed_on_seeded_documents(tmp_path: Path) -> None:
    with run.sandbox_process("a key") as base_url:
        result = run_with_plugin(tmp_path, base_url, "a key", PLUGIN_PROOF)

    assert result.returncode == 0, result.stdout
    assert "official API tests: all 2 collected passed against the sandbox" in result.stdout
    with pytest.raises(urllib.error.URLError):  # the sandbox process ended with the run
        urllib.request.urlopen(base_url + "/number_orders", timeout=5)


FALLING_SHORT = textwrap.dedent(
    """\
    @pytest.mark.skip
    def test_off(): pass

    @pytest.mark.xfail
    def test_expected_to_fail(): assert False

    def test_broken(): assert False
    """
)


def test_the_run_fails_and_says_why_unless_every_collected_test_ran_and_passed(
    tmp_path: Path, served_sandbox: Sandbox
) -> None:
    source = PLUGIN_PROOF + FALLING_SHORT
    api_key = served_sandbox.api_key

    result = run_with_plugin(tmp_path, served_sandbox.base_url, api_key, source, "-k", "not second")

    assert result.returncode == 1, result.stdout
    assert (
        "official API tests: the run fails: 1 deselected; 1 skipped; 1 xfailed or xpassed; 1 failed; "
        "1 passed of 4 collected"
    ) in result.stdout


def test_tally_counts_what_pytest_reports() -> None:
    tally = seeding.Tally(collected=3, deselected=1, passed=2, skipped=1)

    assert tally.problems() == ["1 deselected", "1 skipped", "2 passed of 3 collected"]
    assert seeding.Tally(collected=2, passed=2).problems() == []
    assert seeding.Tally().problems() == ["no test collected"]
