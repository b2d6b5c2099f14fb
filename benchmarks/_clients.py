"""The clients compared: telnyx_orders, the official `telnyx` package (two transports), raw aiohttp.

Each async client is a `retrieve()` coroutine function bound to an open client, so that a scenario
measures calls and nothing else; `open_async_clients` opens them all on the running loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import aiohttp

from telnyx_orders import AsyncTelnyx, Telnyx

from ._server import Server

Call = Callable[[], Awaitable[object]]

OURS = "telnyx_orders"
RAW = "raw aiohttp"
OFFICIAL = "telnyx (httpx)"
OFFICIAL_AIOHTTP = "telnyx (aiohttp)"


@contextlib.asynccontextmanager
async def open_async_clients(server: Server) -> AsyncIterator[dict[str, Call]]:
    import telnyx

    url = f"{server.base_url}/inexplicit_number_orders/{server.order_id}"
    headers = {"Authorization": f"Bearer {server.api_key}", "Accept": "application/json"}
    async with (
        AsyncTelnyx(server.api_key, base_url=server.base_url) as ours,
        aiohttp.ClientSession() as session,
        telnyx.AsyncTelnyx(api_key=server.api_key, base_url=server.base_url) as official,
        telnyx.AsyncTelnyx(
            api_key=server.api_key, base_url=server.base_url, http_client=telnyx.DefaultAioHttpClient()
        ) as official_aiohttp,
    ):

        async def raw() -> object:
            async with session.get(url, headers=headers) as response:
                return await response.json()

        yield {
            OURS: lambda: ours.inexplicit_number_orders.retrieve(server.order_id),
            RAW: raw,
            OFFICIAL: lambda: official.inexplicit_number_orders.retrieve(server.order_id),
            OFFICIAL_AIOHTTP: lambda: official_aiohttp.inexplicit_number_orders.retrieve(server.order_id),
        }


@contextlib.contextmanager
def open_blocking_clients(server: Server) -> Iterator[dict[str, Callable[[], object]]]:
    import telnyx

    with (
        Telnyx(server.api_key, base_url=server.base_url) as ours,
        telnyx.Telnyx(api_key=server.api_key, base_url=server.base_url) as official,
    ):
        yield {
            OURS: lambda: ours.inexplicit_number_orders.retrieve(server.order_id),
            OFFICIAL: lambda: official.inexplicit_number_orders.retrieve(server.order_id),
        }
