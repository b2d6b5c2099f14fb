"""(b) Sequential blocking `retrieve`: the blocking clients, and raw aiohttp awaited one call at a time.

Each round gives each client `seconds` of back-to-back calls, in turn; the figure is the median of the
rounds' calls per second.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable

import aiohttp

from ._clients import OFFICIAL, OURS, RAW, open_blocking_clients
from ._report import Table, Target
from ._server import Server

CLIENTS = (OURS, OFFICIAL, RAW)


def calls_per_second(call: Callable[[], object], seconds: float) -> float:
    done = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        call()
        done += 1
    return done / (time.perf_counter() - started)


class RawSequential:
    """Raw aiohttp awaited one call at a time, on an event loop of its own."""

    def __init__(self, server: Server) -> None:
        self._loop = asyncio.new_event_loop()
        self._session = self._loop.run_until_complete(_session())
        self._url = f"{server.base_url}/inexplicit_number_orders/{server.order_id}"
        self._headers = {"Authorization": f"Bearer {server.api_key}"}

    def calls_per_second(self, seconds: float) -> float:
        return self._loop.run_until_complete(self._run(seconds))

    def close(self) -> None:
        self._loop.run_until_complete(self._session.close())
        self._loop.close()

    async def _run(self, seconds: float) -> float:
        done = 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            async with self._session.get(self._url, headers=self._headers) as response:
                await response.json()
            done += 1
        return done / (time.perf_counter() - started)


async def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()  # made inside a running loop, as aiohttp wants


def run(server: Server, *, quick: bool = False) -> tuple[list[Table], list[Target]]:
    rounds, seconds = (1, 0.3) if quick else (5, 1.0)
    samples: dict[str, list[float]] = {name: [] for name in CLIENTS}
    raw = RawSequential(server)
    try:
        with open_blocking_clients(server) as calls:
            for call in calls.values():
                calls_per_second(call, seconds / 2)
            raw.calls_per_second(seconds / 2)
            for _ in range(rounds):
                for name, call in calls.items():
                    samples[name].append(calls_per_second(call, seconds))
                samples[RAW].append(raw.calls_per_second(seconds))
    finally:
        raw.close()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    table = Table(
        f"(b) sequential blocking retrieve, calls/s (median of {rounds} rounds of {seconds:g} s)",
        [*CLIENTS, f"{OURS} / {OFFICIAL}", f"{OURS} / {RAW}"],
        [
            [
                *(medians[name] for name in CLIENTS),
                f"{medians[OURS] / medians[OFFICIAL]:.2f}x",
                f"{medians[OURS] / medians[RAW]:.2f}x",
            ]
        ],
    )
    return [table], [
        Target(f"(b) sequential: {OURS} Telnyx / {OFFICIAL} Telnyx", medians[OURS] / medians[OFFICIAL], 1.5)
    ]
