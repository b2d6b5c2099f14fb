"""(a) Async `retrieve` throughput at concurrency 1, 8, 64 and 256.

Every client is opened on one event loop and warmed up; then, round after round, each client in turn
runs `concurrency` workers calling `retrieve` back to back for `seconds`. The figure is the median of
the rounds' requests per second; interleaving the clients within each round keeps a drifting machine
from favouring one of them.
"""

from __future__ import annotations

import asyncio
import statistics

from ._clients import OFFICIAL, OFFICIAL_AIOHTTP, OURS, RAW, Call, open_async_clients
from ._report import Table, Target
from ._server import Server

CONCURRENCY = (1, 8, 64, 256)
CLIENTS = (OURS, RAW, OFFICIAL, OFFICIAL_AIOHTTP)


async def requests_per_second(call: Call, concurrency: int, seconds: float) -> float:
    loop = asyncio.get_running_loop()
    done = 0
    started = loop.time()
    stop_at = started + seconds

    async def worker() -> None:
        nonlocal done
        while loop.time() < stop_at:
            await call()
            done += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (loop.time() - started)


async def _measure(server: Server, rounds: int, seconds: float) -> dict[tuple[str, int], float]:
    medians: dict[tuple[str, int], float] = {}
    async with open_async_clients(server) as calls:
        for name in CLIENTS:
            await requests_per_second(calls[name], 8, seconds / 2)
        for concurrency in CONCURRENCY:
            samples: dict[str, list[float]] = {name: [] for name in CLIENTS}
            for _ in range(rounds):
                for name in CLIENTS:
                    samples[name].append(await requests_per_second(calls[name], concurrency, seconds))
            medians |= {(name, concurrency): statistics.median(samples[name]) for name in CLIENTS}
    return medians


def run(server: Server, *, quick: bool = False) -> tuple[list[Table], list[Target]]:
    rounds, seconds = (1, 0.3) if quick else (5, 1.0)
    medians = asyncio.run(_measure(server, rounds, seconds))
    table = Table(
        f"(a) async retrieve, requests/s (median of {rounds} rounds of {seconds:g} s)",
        ["concurrency", *CLIENTS, f"{OURS} / {RAW}", f"{OURS} / {OFFICIAL}"],
        [
            [
                concurrency,
                *(medians[name, concurrency] for name in CLIENTS),
                f"{medians[OURS, concurrency] / medians[RAW, concurrency]:.2f}x",
                f"{medians[OURS, concurrency] / medians[OFFICIAL, concurrency]:.1f}x",
            ]
            for concurrency in CONCURRENCY
        ],
    )
    targets = [
        Target(f"(a) concurrency 64: {OURS} / {RAW}", medians[OURS, 64] / medians[RAW, 64], 0.80),
        Target(f"(a) concurrency 64: {OURS} / {OFFICIAL}", medians[OURS, 64] / medians[OFFICIAL, 64], 5.0),
    ]
    return [table], targets
