"""(d) Cold start: a fresh process that imports a client, makes one, and retrieves one order.

Wall time is from spawning the process to reaping it. Peak RSS is the child's own high-water mark
(`VmHWM`, which, unlike `ru_maxrss`, leaves out the parent's memory the child was forked from). The
floor is a process that imports the four runtime dependencies of telnyx_orders (aiohttp, attrs,
cattrs, backoff) and makes one raw aiohttp GET: what no client built on them can beat. Each round runs
every process once, in turn; the figures are medians over the rounds.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from ._clients import OFFICIAL, OURS
from ._report import Table, Target
from ._server import Server

FLOOR = "floor (imports + raw aiohttp GET)"

SCRIPTS = {
    OURS: """
import asyncio, sys
from telnyx_orders import AsyncTelnyx

async def main(base_url, key, order_id):
    async with AsyncTelnyx(key, base_url=base_url) as client:
        await client.inexplicit_number_orders.retrieve(order_id)

asyncio.run(main(*sys.argv[1:]))
""",
    OFFICIAL: """
import asyncio, sys
import telnyx

async def main(base_url, key, order_id):
    async with telnyx.AsyncTelnyx(api_key=key, base_url=base_url) as client:
        await client.inexplicit_number_orders.retrieve(order_id)

asyncio.run(main(*sys.argv[1:]))
""",
    FLOOR: """
import asyncio, sys
import aiohttp, attrs, cattrs, backoff

async def main(base_url, key, order_id):
    async with aiohttp.ClientSession() as session:
        url = f"{base_url}/inexplicit_number_orders/{order_id}"
        async with session.get(url, headers={"Authorization": f"Bearer {key}"}) as response:
            await response.json()

asyncio.run(main(*sys.argv[1:]))
""",
}


PEAK_RSS = """
import re
with open("/proc/self/status") as status:
    print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read())[1]) / 1024)
"""


def _once(script: str, server: Server) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one fresh process running `script`."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script + PEAK_RSS, server.base_url, server.api_key, server.order_id],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    return wall, float(result.stdout.split()[-1])


def run(server: Server, *, quick: bool = False) -> tuple[list[Table], list[Target]]:
    rounds = 1 if quick else 7
    walls: dict[str, list[float]] = {name: [] for name in SCRIPTS}
    peaks: dict[str, list[float]] = {name: [] for name in SCRIPTS}
    for script in SCRIPTS.values():
        _once(script, server)  # warms the file system cache for every contender alike
    for _ in range(rounds):
        for name, script in SCRIPTS.items():
            wall, peak = _once(script, server)
            walls[name].append(wall)
            peaks[name].append(peak)
    wall = {name: statistics.median(values) for name, values in walls.items()}
    peak = {name: statistics.median(values) for name, values in peaks.items()}
    table = Table(
        f"(d) cold start: import + client + first retrieve in a fresh process (median of {rounds})",
        ["process", "wall ms", "peak RSS MB", "wall / floor"],
        [[name, wall[name] * 1000, peak[name], f"{wall[name] / wall[FLOOR]:.2f}x"] for name in SCRIPTS],
    )
    targets = [
        Target(f"(d) cold start wall: {OURS} / floor", wall[OURS] / wall[FLOOR], 1.2, at_most=True),
        Target(f"(d) cold start wall: {OFFICIAL} / {OURS}", wall[OFFICIAL] / wall[OURS], 5.0),
        Target(f"(d) cold start peak RSS of {OURS}", peak[OURS], 45.0, unit=" MB", at_most=True),
    ]
    return [table], targets
