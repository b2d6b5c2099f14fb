"""Formatting the generated code with ruff, configured as the project configures it.

The output is compared byte for byte by `--check`, so it is formatted by one ruff release only,
`RUFF_VERSION`, which pyproject.toml pins in the `codegen` dependency group (and so every nox session
that generates or checks): a new ruff release cannot turn a current facade stale.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from ._sources import CodegenError

__all__ = ["RUFF_VERSION", "check_ruff_version", "ruff_format"]

RUFF_VERSION = "0.17.6"
_INSTALL = f"`pip install ruff=={RUFF_VERSION}`, or run `nox -s generate`"


def ruff_format(text: str, path: Path) -> str:
    """`text` with its imports sorted and formatted by ruff, with the settings that apply to `path`."""
    ruff = _ruff_command()
    text = _run([*ruff, "check", "--select", "I", "--fix-only", "--stdin-filename", str(path), "-"], text)
    return _run([*ruff, "format", "--stdin-filename", str(path), "-"], text)


def check_ruff_version(version_output: str) -> None:
    """Refuse to format with a ruff other than the pinned one: its output could differ."""
    found = version_output.rsplit(maxsplit=1)[-1] if version_output.split() else "unknown"
    if found != RUFF_VERSION:
        raise CodegenError(
            f"the facade is formatted with ruff {RUFF_VERSION} (pinned in pyproject.toml), not {found}: "
            + _INSTALL
        )


@functools.cache
def _ruff_command() -> list[str]:
    if importlib.util.find_spec("ruff") is not None:
        command = [sys.executable, "-m", "ruff"]
    else:
        executable = shutil.which("ruff")
        if executable is None:
            raise CodegenError(f"ruff formats the generated code: {_INSTALL}")
        command = [executable]
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False)
    check_ruff_version(version.stdout)
    return command


def _run(command: list[str], text: str) -> str:
    result = subprocess.run(
        command, input=text, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        raise CodegenError(
            f"`ruff {' '.join(command[command.index('--stdin-filename') - 1 :])}`: {result.stderr}"
        )
    return result.stdout
