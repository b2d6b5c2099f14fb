"""Developer sessions. `nox` runs tests, lint and typecheck; see README.md."""

from __future__ import annotations

import atexit
import logging
import re

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "conformance", "official", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
# The peer the benchmarks compare against, pinned: 4.87.1 and 4.87.2 were malicious releases.
OFFICIAL_SDK = "telnyx[aiohttp]==4.189.0"
PYPROJECT = nox.project.load_toml("pyproject.toml")
ALL_PYTHONS_VISIBLE = "PYENV_VERSION=3.11.7:3.10.13:3.12.1:3.13.0 python -m nox"
"""The README's way to make every supported Python visible to nox, as `.ci/run` does."""


class SkippedPythons(logging.Handler):
    """Notes the sessions nox skips because their Python is missing, to say so again at the very end.

    Without `CI` set, nox skips a session whose interpreter it cannot find and reports it among the
    sessions' results, easy to miss above a long run's output; a run that tested fewer Pythons than it
    should ends by saying which. (With `CI` set, nox fails such a session instead.)
    """

    SKIPPED = re.compile(r"Session (?P<session>\S+) skipped: Python interpreter (?P<python>\S+) not found")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.skipped: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        found = self.SKIPPED.match(record.getMessage())
        if found:
            self.skipped[found["session"]] = found["python"]

    def summary(self) -> str | None:
        if not self.skipped:
            return None
        pythons = ", ".join(sorted(set(self.skipped.values())))
        return (
            f"{len(self.skipped)} session(s) skipped, Python {pythons} not found: "
            f"{', '.join(self.skipped)}. This run did not test on Python {pythons}; make every Python "
            f"visible to nox (with pyenv: {ALL_PYTHONS_VISIBLE}) or set CI=true to fail instead."
        )

    def report(self) -> None:
        summary = self.summary()
        if summary is not None:
            logging.getLogger("nox").warning(summary)


_skipped_pythons = SkippedPythons()
logging.getLogger("nox").addHandler(_skipped_pythons)
atexit.register(_skipped_pythons.report)  # after nox's own summary: the run's last line


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite with branch coverage enforced."""
    # Editable: the package's pytest plugin imports it as pytest starts, before the tests put this
    # checkout on the path, and coverage must see that import come from the files it measures.
    # With the webhooks extra: tests/test_webhooks.py verifies real signatures.
    session.install("-e", ".[webhooks]", *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run(
        "pytest",
        "--cov=telnyx_orders",
        "--cov-branch",
        "--cov-report=term-missing:skip-covered",
        "--cov-fail-under=95",
        # Run by the conformance session, which installs schemathesis.
        "--ignore=tests/test_sandbox_conformance.py",
        *session.posargs,
    )


@nox.session(python="3.11")
def conformance(session: nox.Session) -> None:
    """Schemathesis against the sandbox: every served operation of the spec, with every check.

    A session of its own because schemathesis is heavy and needs Python 3.11+; the tests sessions skip
    tests/test_sandbox_conformance.py.
    """
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "conformance"))
    session.run("pytest", "tests/test_sandbox_conformance.py", *session.posargs)


@nox.session(python="3.11")
def official(session: nox.Session) -> None:
    """The official telnyx package's own API tests, from its sdist, against the sandbox; every one must pass.

    tests/official/ fetches the sdist of the pinned release, removes the marks that disable its API tests,
    and runs those of the resources the sandbox serves; `nox -s official -- -x` passes pytest arguments.
    """
    session.install("-e", ".", OFFICIAL_SDK, "-r", "tests/official/requirements.txt")
    session.run("python", "-m", "tests.official", "--work-dir", session.create_tmp(), "--", *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """Check style, formatting and that the generated blocking facade is current."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("python", "-m", "telnyx_orders._codegen", "--check")


@nox.session(python="3.11")
def typecheck(session: nox.Session) -> None:
    """mypy --strict and pyright strict over the package and the typing tests."""
    session.install(".[webhooks]", *nox.project.dependency_groups(PYPROJECT, "typecheck"))
    session.run("mypy", "--strict", "telnyx_orders")
    session.run("pyright", "telnyx_orders")
    # The blocking client's assert_type checks; typing.assert_type arrived in 3.11.
    session.run("mypy", "--strict", "--python-version", "3.11", "tests/typing")
    session.run("pyright", "--pythonversion", "3.11", "tests/typing")


@nox.session(python="3.11")
def generate(session: nox.Session) -> None:
    """Regenerate the blocking facade in telnyx_orders/_sync/ from AsyncTelnyx and the async resources."""
    # The codegen group pins the ruff release the generator formats with; lint and tests install it too.
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "codegen"))
    session.run("python", "-m", "telnyx_orders._codegen", *session.posargs)


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Benchmark against the official telnyx package and raw aiohttp; print and save the table.

    `nox -s bench -- --quick` is a fast smoke run whose figures mean nothing.
    """
    session.install(".", OFFICIAL_SDK)
    session.run("python", "-m", "benchmarks", *session.posargs)
