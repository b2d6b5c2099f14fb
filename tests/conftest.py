from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from telnyx_orders import AsyncTelnyx, RetryPolicy
from telnyx_orders.testing import Sandbox


class SleepRecorder:
    """Stands in for asyncio.sleep so retry tests see the delays without waiting them out."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as running:
        yield running


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def client(sandbox: Sandbox, sleeps: SleepRecorder) -> AsyncIterator[AsyncTelnyx]:
    """A client of the sandbox whose retries wait the unjittered schedule, recorded instead of slept."""
    retries = RetryPolicy(jitter=None, sleep=sleeps)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=retries) as bound:
        yield bound
