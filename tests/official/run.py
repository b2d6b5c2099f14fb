"""The run: the official API tests of the installed ``telnyx``, with pytest, against a sandbox process.

``python -m tests.official --work-dir DIR [PYTEST_ARGS...]``: the sdist is kept in ``DIR`` between runs;
the exit status is pytest's, failed also when a collected test did not run and pass (see
:mod:`tests.official.seeding`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tests.official import sdist, seeding

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

HERE = Path(__file__).resolve().parent
STARTUP_TIMEOUT = 30.0
"""Seconds the sandbox process may take to say where it listens."""
STOP_TIMEOUT = 10.0
_SERVING = re.compile(r"sandbox serving the Telnyx API at (?P<url>http://\S+)")


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The first line ``process`` prints, or ``RuntimeError`` if none comes within ``timeout`` seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise RuntimeError(f"the sandbox said nothing in {timeout:g} s")
    return process.stdout.readline()


@contextlib.contextmanager
def sandbox_process(api_key: str) -> Iterator[str]:
    """Serve the sandbox from a process of its own (as ``telnyx-orders sandbox`` does); its base URL.

    A process of its own, as the mock server the tests were written for: the tests' clients and the
    sandbox share no event loop, no thread and no interpreter lock.
    """
    command = [sys.executable, "-m", "telnyx_orders", "sandbox", "--port", "0", "--api-key", api_key]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        line = _first_line(process, STARTUP_TIMEOUT)
        serving = _SERVING.search(line)
        if serving is None:
            raise RuntimeError(f"the sandbox did not say where it serves: {line!r}")
        yield serving["url"]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def pytest_command(root: Path, test_files: Sequence[str], extra: Sequence[str]) -> list[str]:
    """The pytest command line for the extracted tests under ``root``."""
    return [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "seeding",  # tests/official/seeding.py, on PYTHONPATH: seeds before each test, counts outcomes
        "-p",
        "no:telnyx_orders",  # this package's own plugin has nothing to do with the official tests
        "-p",
        "no:cacheprovider",
        # The sdist's settings add `-n auto` (pytest-xdist): the tests share one sandbox, reset before
        # each, so they run one at a time.
        "-o",
        "addopts=",
        f"--rootdir={root}",
        *(f"tests/api_resources/{name}" for name in test_files),
        *extra,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Fetch, extract and run the official API tests against a fresh sandbox; pytest's exit status."""
    parser = argparse.ArgumentParser(prog="python -m tests.official", description=__doc__)
    parser.add_argument("--work-dir", type=Path, required=True, help="where the sdist and its tests go")
    parser.add_argument("pytest_args", nargs="*", help="more arguments for pytest (after --)")
    args = parser.parse_args(argv)
    work_dir: Path = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)

    version = importlib.metadata.version("telnyx")
    try:
        root, changes = sdist.extract(sdist.fetch(version, work_dir), version, work_dir)
        api_key = sdist.api_key(root)
    except sdist.HarnessError as error:
        print(f"cannot run telnyx {version}'s API tests: {error}", file=sys.stderr)
        return 2
    print(f"telnyx {version}'s API tests, made runnable:", *changes, sep="\n  ")
    started = time.monotonic()
    with sandbox_process(api_key) as base_url:
        python_path = os.pathsep.join(filter(None, (str(HERE), os.environ.get("PYTHONPATH"))))
        environment = {
            **os.environ,
            seeding.URL_VARIABLE: base_url,
            seeding.API_KEY_VARIABLE: api_key,
            "PYTHONPATH": python_path,
        }
        command = pytest_command(root, sdist.TEST_FILES, args.pytest_args)
        status = subprocess.run(command, cwd=root, env=environment, check=False).returncode
    print(f"telnyx {version}'s API tests against the sandbox: {time.monotonic() - started:.1f} s")
    return status
