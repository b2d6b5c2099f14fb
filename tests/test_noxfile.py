"""The README's test command, honestly: it runs on the Pythons it finds, and says which it skipped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Two Pythons of the noxfile's that are not this one: nox would find this one, as it runs on it.
OTHERS = [
    version
    for version in ("3.10", "3.11", "3.12", "3.13")
    if version != f"{sys.version_info.major}.{sys.version_info.minor}"
][:2]


def run_nox(*sessions: str, tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run the project's noxfile with no Python on `PATH` but this one, so every other is missing."""
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    noxfile, envs = str(ROOT / "noxfile.py"), str(tmp_path / "envs")
    return subprocess.run(
        [sys.executable, "-m", "nox", "--noxfile", noxfile, "--envdir", envs, "--sessions", *sessions],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": str(empty), "HOME": str(tmp_path), "NO_COLOR": "1", **environment},
        timeout=120,
        check=False,
    )


def test_a_run_that_skips_pythons_says_so_in_its_last_line(tmp_path: Path) -> None:
    first, second = OTHERS
    result = run_nox(f"tests-{first}", f"tests-{second}", tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        f"nox > 2 session(s) skipped, Python {first}, {second} not found: tests-{first}, tests-{second}. "
        f"This run did not test on Python {first}, {second}; make every Python visible to nox (with pyenv: "
        "PYENV_VERSION=3.11.7:3.10.13:3.12.1:3.13.0 python -m nox) or set CI=true to fail instead."
    )


def test_with_ci_set_a_missing_python_fails_the_run(tmp_path: Path) -> None:
    missing = OTHERS[0]
    result = run_nox(f"tests-{missing}", tmp_path=tmp_path, CI="true")

    assert result.returncode == 1
    assert f"Session tests-{missing} failed: Python interpreter {missing} not found" in result.stderr
    assert "skipped" not in result.stderr.strip().splitlines()[-1]


@pytest.mark.skipif(not os.access(ROOT / ".ci" / "run", os.R_OK), reason="no .ci/run in this copy")
def test_the_readme_ci_and_the_noxfile_make_the_same_pythons_visible() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")

    found = re.search(r"export (PYENV_VERSION=\S+)", ci)
    assert found is not None
    assert f"`{found[1]} python -m nox`" in readme
    assert f'"{found[1]} python -m nox"' in noxfile
    assert "python -m pip install nox && python -m nox" in ci, "CI runs the README's command"
    assert "python -m pip install nox && python -m nox\n" in readme
