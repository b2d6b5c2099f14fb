"""The official API tests, from the sdist of the installed ``telnyx``: fetch, extract, make runnable.

Two small transformations make them runnable, each failing loudly when the sdist no longer has what it
expects, so that a new release cannot silently run fewer tests:

* :func:`unskip` removes the ``@pytest.mark.skip(reason="Mock server tests are disabled")`` mark the
  generator puts on every API test (the tests need a server; the sandbox is one), and only that mark;
* :func:`meet_page_minimum` turns the generator's placeholder ``page_number=0`` and ``page_size=0`` into
  ``1``: the spec declares ``minimum: 1`` for both (``numbers_PageConsolidated``), the sandbox answers 0 with
  422 as the spec says, and nothing Telnyx publishes says it accepts 0;
* :func:`name_a_country` gives the number searches that send no filter at all ``filter[country_code]=US``:
  Telnyx's number search guide says "Country code is always required", and the sandbox answers a search
  without one with 422, as that guide has it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path, PurePosixPath

TEST_FILES = (
    "test_number_orders.py",
    "test_sub_number_orders.py",
    "test_number_order_phone_numbers.py",
    "test_sub_number_orders_report.py",
    "test_inexplicit_number_orders.py",
    "test_number_block_orders.py",
    "test_available_phone_numbers.py",
    "test_available_phone_number_blocks.py",
    "test_number_reservations.py",
    "number_reservations/test_actions.py",
)
"""The official API tests run, from the sdist's ``tests/api_resources/``: one line per resource served.
A file in a subfolder (``number_reservations/test_actions.py``) brings its package's ``__init__.py``."""

HELPERS = (
    "pyproject.toml",  # the official tests' pytest settings: asyncio mode, loop scope, warnings as errors
    "tests/__init__.py",
    "tests/conftest.py",
    "tests/utils.py",
    "tests/api_resources/__init__.py",
)
"""What the tests import or are configured by, beside them in the sdist."""

DISABLED = '@pytest.mark.skip(reason="Mock server tests are disabled")'
_DISABLED_LINE = re.compile(r"^[ \t]*" + re.escape(DISABLED) + r"[ \t]*\n", re.MULTILINE)
_TEST_FUNCTION = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+test_\w*\(", re.MULTILINE)
_OTHER_SKIP = re.compile(r"pytest\.mark\.(?:skip|skipif|xfail)\b|pytest\.(?:skip|xfail|importorskip)\(")
_PAGE_ZERO = re.compile(r"\b(page_number|page_size)=0\b")
_COUNTRYLESS_SEARCH = re.compile(
    r"(\.available_phone_numbers(?:\.with_raw_response|\.with_streaming_response)?\.list)\(\)"
)
_API_KEY = re.compile(r'^api_key = "(?P<key>[^"]+)"$', re.MULTILINE)
_STRICT_CLIENT = "_strict_response_validation=strict"


class HarnessError(Exception):
    """The sdist is not what the harness expects: a test file, a mark or a helper went missing."""


def unskip(source: str, name: str) -> str:
    """``source`` without its :data:`DISABLED` marks, which every test function must carry.

    :class:`HarnessError` when there is no test, when the mark count differs from the test count, or when
    another skip or xfail remains: each would let a run pass having run less than the file holds.
    """
    tests = len(_TEST_FUNCTION.findall(source))
    unskipped, removed = _DISABLED_LINE.subn("", source)
    if tests == 0 or removed != tests:
        raise HarnessError(f"{name}: {removed} {DISABLED} marks for {tests} test functions")
    other = _OTHER_SKIP.search(unskipped)
    if other is not None:
        raise HarnessError(f"{name}: another skip or xfail remains: {other.group()}")
    return unskipped


def meet_page_minimum(source: str) -> tuple[str, int]:
    """``source`` asking for page 1 of size 1 where it asks for 0, and how many values it changed."""
    return _PAGE_ZERO.subn(r"\1=1", source)


def name_a_country(source: str) -> tuple[str, int]:
    """``source`` searching the US where a number search names no country, and how many calls it changed."""
    return _COUNTRYLESS_SEARCH.subn(r'\1(filter={"country_code": "US"})', source)


def fetch(version: str, into: Path) -> Path:
    """The sdist of ``telnyx==version`` in ``into``, downloaded with pip unless it is there already."""
    archive = into / f"telnyx-{version}.tar.gz"
    if not archive.is_file():
        command = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps"]
        subprocess.run([*command, f"telnyx=={version}", "--dest", str(into)], check=True)
    if not archive.is_file():
        raise HarnessError(f"pip downloaded no {archive.name} into {into}")
    return archive


def _read(tar: tarfile.TarFile, prefix: str, path: str) -> str:
    try:
        member = tar.getmember(f"{prefix}/{path}")
    except KeyError:
        raise HarnessError(f"the sdist has no {path}") from None
    stream = tar.extractfile(member)
    if stream is None:
        raise HarnessError(f"the sdist's {path} is not a file")
    with stream:
        return stream.read().decode("utf-8")


def extract(
    archive: Path, version: str, into: Path, test_files: tuple[str, ...] = TEST_FILES
) -> tuple[Path, list[str]]:
    """Write :data:`HELPERS` and the ``test_files``, made runnable, into a fresh folder of ``into``.

    Only those files are read from the archive, by name, and written under the folder: nothing else of
    the sdist is extracted. Returns the folder, and one line per test file saying what changed in it.
    """
    root = into / f"telnyx-{version}-api-tests"
    shutil.rmtree(root, ignore_errors=True)
    prefix = f"telnyx-{version}"
    changes: list[str] = []
    with tarfile.open(archive) as tar:
        files = {path: _read(tar, prefix, path) for path in HELPERS}
        for name in test_files:
            path = f"tests/api_resources/{name}"
            for package in PurePosixPath(name).parents[:-1]:  # number_reservations/test_actions.py
                init = f"tests/api_resources/{package}/__init__.py"
                files[init] = _read(tar, prefix, init)
            source = _read(tar, prefix, path)
            runnable, pages = meet_page_minimum(unskip(source, name))
            files[path], searches = name_a_country(runnable)
            tests = len(_TEST_FUNCTION.findall(source))
            changes.append(
                f"{name}: {tests} tests un-skipped, {pages} page values raised from 0 to 1, "
                f"{searches} searches given a country"
            )
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root, changes


def api_key(root: Path) -> str:
    """The key the official tests send, from their conftest; :class:`HarnessError` unless it builds clients
    with strict response validation, which is what proves every response parses."""
    conftest = (root / "tests" / "conftest.py").read_text(encoding="utf-8")
    found = _API_KEY.search(conftest)
    if found is None or _STRICT_CLIENT not in conftest:
        raise HarnessError("the official conftest no longer names its api_key or builds strict clients")
    return found["key"]
