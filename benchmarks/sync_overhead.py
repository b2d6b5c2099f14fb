"""What the blocking facade costs per call: sequential `Telnyx` against `AsyncTelnyx` retrieves.

    python benchmarks/sync_overhead.py [--rounds 30] [--calls 100] [--latency 0]

The sandbox runs in a separate process, so that serving requests does not compete with the clients for
this process's GIL. Both clients stay open for the whole run, so every measured call reuses a warm
connection. Each round times `--calls` sequential retrieves with each client, one call at a time,
alternating which client goes first; the first round only warms up. Small interleaved rounds and
medians of the single calls keep a noisy machine from favouring either client. The figure is the ratio
of the two median call times. Target: the facade adds at most 15 % per call.

The sandbox answers at once, so the figure is the facade's worst case; `--latency` makes it wait that
many milliseconds before each answer, as a real network would.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time

from telnyx_orders import AsyncTelnyx, Telnyx

TARGET = 1.15

SANDBOX = """
import asyncio, sys
from telnyx_orders.testing import Sandbox

async def serve() -> None:
    async with Sandbox() as sandbox:
        if float(sys.argv[1]):
            sandbox.faults.latency(float(sys.argv[1]) / 1000, times=None)
        order = sandbox.add_number_order()
        print(sandbox.base_url, sandbox.api_key, order["id"], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # serve until stdin closes

asyncio.run(serve())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds after one warm-up (default 30)")
    parser.add_argument("--calls", type=int, default=100, help="calls per client per round (default 100)")
    parser.add_argument("--latency", type=float, default=0.0, help="milliseconds the sandbox waits to answer")
    args = parser.parse_args()
    rounds, calls = args.rounds, args.calls

    sandbox = subprocess.Popen(
        [sys.executable, "-c", SANDBOX, str(args.latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sandbox.stdin is not None
    assert sandbox.stdout is not None
    base_url, api_key, order_id = sandbox.stdout.readline().split()
    loop = asyncio.new_event_loop()
    async_client = AsyncTelnyx(api_key, base_url=base_url, max_retries=0)
    sync_client = Telnyx(api_key, base_url=base_url, max_retries=0)

    async def async_round() -> list[float]:
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            await async_client.number_orders.retrieve(order_id)
            times.append(time.perf_counter() - started)
        return times

    def sync_round() -> list[float]:
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            sync_client.number_orders.retrieve(order_id)
            times.append(time.perf_counter() - started)
        return times

    timings: dict[str, list[float]] = {"AsyncTelnyx": [], "Telnyx": []}
    try:
        for round_number in range(rounds + 1):
            first_async = round_number % 2 == 0
            for name in ("AsyncTelnyx", "Telnyx") if first_async else ("Telnyx", "AsyncTelnyx"):
                times = loop.run_until_complete(async_round()) if name == "AsyncTelnyx" else sync_round()
                if round_number:
                    timings[name] += times
    finally:
        sync_client.close()
        loop.run_until_complete(async_client.aclose())
        loop.close()
        sandbox.stdin.close()
        sandbox.wait(10)

    async_median = statistics.median(timings["AsyncTelnyx"])
    sync_median = statistics.median(timings["Telnyx"])
    ratio = sync_median / async_median
    print(
        f"sandbox in another process, answering after {args.latency:g} ms; "
        f"{rounds} x {calls} sequential retrieves per client; median call"
    )
    print(f"AsyncTelnyx  {async_median * 1e6:8.1f} us")
    print(f"Telnyx       {sync_median * 1e6:8.1f} us")
    verdict = "within" if ratio <= TARGET else "OVER"
    print(
        f"overhead     {(sync_median - async_median) * 1e6:+8.1f} us per call, ratio {ratio:.3f} "
        f"({(ratio - 1) * 100:+.1f} %), {verdict} the {(TARGET - 1) * 100:.0f} % target"
    )


if __name__ == "__main__":
    main()
