"""What the official API tests find in the sandbox, and the pytest plugin that puts it there before each test.

The official tests name literal ids (``"number_order_id"``, a uuid for the requirement-group calls, ...)
and expect a document behind each, as the mock server they were written for would answer; :data:`SEEDS`
stores one realistic document per id with the sandbox's own seeding (``SandboxControls.seed``), so the
sandbox answers what the spec says for it, but for one thing: each document's ``id`` is the test's literal,
a uuid where the test gives one, and elsewhere (``"number_order_id"``) not the ``format: uuid`` the spec
declares and Telnyx's ids have (the official models type it ``str``). Before every test the plugin resets
the sandbox and seeds them again: a test that changes a document (a cancelled sub number order stays
cancelled) must not decide the next.

The run loads this module by name (``pytest -p seeding``, with this folder on ``PYTHONPATH``) next to the
official ``tests`` package, whose name ours would shadow: it imports nothing from ``tests``. The plugin also
counts the outcomes and fails the run unless every collected test ran and passed.
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Any

import pytest

from telnyx_orders.testing import RemoteSandbox

if TYPE_CHECKING:
    from telnyx_orders.testing import SandboxControls

URL_VARIABLE = "TEST_API_BASE_URL"
"""Where the official tests find their server (their conftest's default is a mock server on port 4010)."""
API_KEY_VARIABLE = "TELNYX_ORDERS_OFFICIAL_API_KEY"
"""The sandbox's key, which the run sets to the one the official tests' conftest sends."""

REQUIREMENT_GROUP_TARGET = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"
"""The uuid the official tests give as ``id`` to both ``update_requirement_group`` calls and to
``inexplicit_number_orders.retrieve``."""


@dataclasses.dataclass(frozen=True)
class Seed:
    """One document the official tests expect: ``kind`` stored under ``id``, ``overrides`` applied."""

    kind: str
    id: str
    overrides: dict[str, Any] = dataclasses.field(default_factory=dict[str, Any])

    def plant(self, sandbox: SandboxControls) -> dict[str, Any]:
        """Store the document in ``sandbox`` and return it."""
        return sandbox.seed(self.kind, id=self.id, **self.overrides)


SEEDS = (
    Seed("number_orders", "number_order_id"),
    # Pending: test_sub_number_orders.py cancels it, which Telnyx allows in pending only.
    Seed("sub_number_orders", "sub_number_order_id", {"status": "pending"}),
    Seed("sub_number_orders", REQUIREMENT_GROUP_TARGET),
    Seed("number_order_phone_numbers", "number_order_phone_number_id"),
    Seed("number_order_phone_numbers", REQUIREMENT_GROUP_TARGET),
    Seed("sub_number_orders_report", "12ade33a-21c0-473b-b055-b3c836e1c293"),
    Seed("inexplicit_number_orders", REQUIREMENT_GROUP_TARGET),
    Seed("number_block_orders", "number_block_order_id"),
    Seed("number_reservations", "number_reservation_id"),
)
"""Every document an official test retrieves, changes or cancels by id, by the id it uses."""


def seed_all(sandbox: SandboxControls) -> list[dict[str, Any]]:
    """Forget everything ``sandbox`` holds, then store :data:`SEEDS`; the documents stored."""
    sandbox.reset()
    return [seed.plant(sandbox) for seed in SEEDS]


# --- the pytest plugin of the official run ------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    """What became of the collected tests; :attr:`problems` says why the run must fail, if it must."""

    collected: int = 0
    deselected: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    xfailed: int = 0

    def record(self, report: pytest.TestReport) -> None:
        """Count one phase's report: a test passes once its call passes."""
        if hasattr(report, "wasxfail"):
            self.xfailed += 1
        elif report.skipped:
            self.skipped += 1
        elif report.failed:
            self.failed += 1
        elif report.when == "call":
            self.passed += 1

    def problems(self) -> list[str]:
        """Why this run proves less than it should: empty when every collected test ran and passed."""
        found = [
            f"{count} {what}"
            for what, count in (
                ("deselected", self.deselected),
                ("skipped", self.skipped),
                ("xfailed or xpassed", self.xfailed),
                ("failed", self.failed),
            )
            if count
        ]
        if self.collected == 0:
            found.append("no test collected")
        if self.passed != self.collected:
            found.append(f"{self.passed} passed of {self.collected} collected")
        return found


_TALLY = Tally()


def _sandbox() -> RemoteSandbox:
    return RemoteSandbox(os.environ[URL_VARIABLE], os.environ[API_KEY_VARIABLE])


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note how many tests will run."""
    _TALLY.collected = len(session.items)


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Note the tests left out by ``-k`` or ``-m``: the run must not pass with fewer."""
    _TALLY.deselected += len(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Give each test a sandbox holding exactly :data:`SEEDS`, before its fixtures are set up."""
    seed_all(_sandbox())


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count the outcome of each phase."""
    _TALLY.record(report)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run unless every collected test ran and passed."""
    problems = _TALLY.problems()
    if problems:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say what the official tests proved, or why the run fails although pytest may not."""
    problems = _TALLY.problems()
    if problems:
        terminalreporter.write_line(f"official API tests: the run fails: {'; '.join(problems)}", red=True)
    else:
        terminalreporter.write_line(
            f"official API tests: all {_TALLY.passed} collected passed against the sandbox", green=True
        )
