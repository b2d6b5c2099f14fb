"""``async_telnyx_client`` run by pytest-asyncio; registered by the pytest plugin only when that is active."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest_asyncio

from telnyx_orders import AsyncTelnyx

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from telnyx_orders.testing._server import Sandbox


@pytest_asyncio.fixture
async def async_telnyx_client(telnyx_sandbox: Sandbox) -> AsyncIterator[AsyncTelnyx]:
    """An ``AsyncTelnyx`` client of ``telnyx_sandbox``, closed after the test on the test's loop."""
    async with AsyncTelnyx(telnyx_sandbox.api_key, base_url=telnyx_sandbox.base_url) as client:
        yield client
