"""Formatting the generated code with ruff, configured as the project configures it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from ._sources import CodegenError

__all__ = ["ruff_format"]


def ruff_format(text: str, path: Path) -> str:
    """`text` with its imports sorted and formatted by ruff, with the settings that apply to `path`."""
    ruff = _ruff_command()
    text = _run([*ruff, "check", "--select", "I", "--fix-only", "--stdin-filename", str(path), "-"], text)
    return _run([*ruff, "format", "--stdin-filename", str(path), "-"], text)


def _ruff_command() -> list[str]:
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    executable = shutil.which("ruff")
    if executable is None:
        raise CodegenError("ruff formats the generated code: `pip install ruff`, or run `nox -s generate`")
    return [executable]


def _run(command: list[str], text: str) -> str:
    result = subprocess.run(
        command, input=text, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        raise CodegenError(
            f"`ruff {' '.join(command[command.index('--stdin-filename') - 1 :])}`: {result.stderr}"
        )
    return result.stdout
