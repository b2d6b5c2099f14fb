"""(f) The sandbox as a server under hostile load, in a process of its own: memory and stalled clients.

`python -m benchmarks.sandbox_hardening` (or as part of `python -m benchmarks`). Each case starts a fresh
sandbox process (`Sandbox().serve_in_thread()`, the default 10 s read timeout) and reads its resident
set from /proc/PID/status:

- 300 unauthenticated POSTs of a 1 MiB body, 16 at a time: each is answered 401 before its body is
  read, so the sandbox should not grow (target: under 64 MB). The same 300 POSTs with the key are
  shown for comparison: their bodies are read, parsed (a 422) and kept in the request log, which
  holds at most 64 MiB of requests.
- 1,000 connections that each send half a request (half of them half the headers, half of them the
  headers and half the body) and stall: a normal request meanwhile must be answered at once, and every
  stalled connection dropped once the read timeout passes (target: within 15 s).

Each table also counts the tracebacks the sandbox wrote to its stderr meanwhile (there should be none).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import io
import re
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import aiohttp

from ._report import Report, Table, Target

SCRIPT = """
import sys
from telnyx_orders.testing import Sandbox
with Sandbox().serve_in_thread() as sandbox:
    print(sandbox.base_url, sandbox.api_key, sandbox.port, flush=True)
    sys.stdin.read()  # serve until the parent closes stdin
"""
MIB = 1024 * 1024
POSTS = 300
CONCURRENCY = 16
STALLED = 1000
READ_TIMEOUT = 10.0  # the sandbox's default
DROP_TARGET = 15.0
RSS_TARGET = 64.0


@dataclass(frozen=True)
class Child:
    process: subprocess.Popen[str]
    base_url: str
    api_key: str
    port: int
    stderr: list[str]
    """The lines the sandbox wrote to stderr (its log) so far."""

    @property
    def tracebacks(self) -> int:
        return sum(line.startswith("Traceback") for line in self.stderr)

    def rss_mb(self, field: str = "VmRSS") -> float:
        """The child's resident set (VmRSS) or its high-water mark (VmHWM), in MB."""
        with open(f"/proc/{self.process.pid}/status") as status:
            found = re.search(rf"{field}:\s+(\d+) kB", status.read())
        assert found is not None
        return int(found[1]) / 1024


@contextlib.contextmanager
def sandbox_process() -> Iterator[Child]:
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    assert process.stderr is not None
    stderr: list[str] = []
    # Read as it is written: a sandbox blocked on a full pipe would stop serving.
    drain = threading.Thread(target=lambda: stderr.extend(process.stderr or ()), daemon=True)
    drain.start()
    try:
        base_url, api_key, port = process.stdout.readline().split()
        yield Child(process, base_url, api_key, int(port), stderr)
    finally:
        process.stdin.close()  # it stops serving
        process.wait(30)
        drain.join(30)


async def _warm_up(child: Child, http: aiohttp.ClientSession) -> None:
    headers = {"Authorization": f"Bearer {child.api_key}"}
    for _ in range(20):
        async with http.get(child.base_url + "/number_orders", headers=headers) as response:
            await response.read()


async def _posts(child: Child, *, authenticated: bool) -> tuple[float, float, float, Counter[str]]:
    """RSS before, after and at its peak (MB) around POSTS 1 MiB POSTs; how each was answered."""
    key = child.api_key if authenticated else "not-the-key"
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    padding = MIB - len(b'{"customer_reference": ""}')
    body = b'{"customer_reference": "' + b"x" * padding + b'"}'  # 1 MiB of JSON: a 422, recorded
    outcomes: Counter[str] = Counter()
    gate = asyncio.Semaphore(CONCURRENCY)

    async def post(http: aiohttp.ClientSession) -> None:
        async with gate:
            try:
                url = child.base_url + "/number_orders"
                async with http.post(url, data=io.BytesIO(body), headers=headers) as response:
                    await response.read()
                    outcomes[str(response.status)] += 1
            except aiohttp.ClientError as exc:
                outcomes[type(exc).__name__] += 1

    async with aiohttp.ClientSession() as http:
        await _warm_up(child, http)
        before = child.rss_mb()
        await asyncio.gather(*(post(http) for _ in range(POSTS)))
        await asyncio.sleep(0.5)  # let the last connections close
        return before, child.rss_mb(), child.rss_mb("VmHWM"), outcomes


def _half_request(child: Child, n: int) -> bytes:
    if n % 2:
        return b"GET /v2/number_orders HTTP/1.1\r\nHost: sandbox\r\nAuthori"
    head = (
        "POST /v2/number_orders HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {child.api_key}\r\nContent-Length: 1000\r\n\r\n"
    )
    return head.encode() + b'{"phone_numbers": [' + b" " * 480


@dataclass(frozen=True)
class Stalled:
    opened: int
    open_after_request: int
    status: int
    answer_ms: float
    rss_mb: float
    first_drop_s: float
    last_drop_s: float
    dropped_in_time: int


async def _stalled(child: Child) -> Stalled:
    async def stall(n: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection("127.0.0.1", child.port)
        writer.write(_half_request(child, n))
        return reader, writer

    connections: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    for start in range(0, STALLED, 100):
        connections += await asyncio.gather(*(stall(n) for n in range(start, start + 100)))
    stalled_at = time.monotonic()
    drops: list[float] = []

    async def until_dropped(reader: asyncio.StreamReader) -> None:
        if await reader.read() == b"":
            drops.append(time.monotonic() - stalled_at)

    waiting = [asyncio.create_task(until_dropped(reader)) for reader, _ in connections]
    async with aiohttp.ClientSession() as http:
        started = time.perf_counter()
        headers = {"Authorization": f"Bearer {child.api_key}"}
        async with http.get(child.base_url + "/number_orders", headers=headers) as response:
            await response.read()
        answer_ms = (time.perf_counter() - started) * 1000
    open_after_request = STALLED - len(drops)
    rss = child.rss_mb()
    await asyncio.wait(waiting, timeout=DROP_TARGET + 5)
    for task in waiting:
        task.cancel()
    for _, writer in connections:
        writer.close()
    return Stalled(
        opened=len(connections),
        open_after_request=open_after_request,
        status=response.status,
        answer_ms=answer_ms,
        rss_mb=rss,
        first_drop_s=min(drops, default=float("nan")),
        last_drop_s=max(drops, default=float("nan")),
        dropped_in_time=sum(drop <= DROP_TARGET for drop in drops),
    )


def _descriptors_for(stalled: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = stalled + 200
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            raise SystemExit(f"ulimit -n is {soft} (hard {hard}); {needed} descriptors are needed")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))  # the child inherits it too


def run(*, quick: bool = False) -> tuple[list[Table], list[Target]]:
    del quick  # one pass is the measurement
    _descriptors_for(STALLED)
    rows: list[list[object]] = []
    growth: dict[bool, float] = {}
    for authenticated in (False, True):
        with sandbox_process() as child:
            before, after, peak, outcomes = asyncio.run(_posts(child, authenticated=authenticated))
        growth[authenticated] = after - before
        answers = ", ".join(f"{count} x {outcome}" for outcome, count in sorted(outcomes.items()))
        label = "with the key" if authenticated else "without the key"
        rows.append([label, before, after, after - before, peak - before, answers, child.tracebacks])
    with sandbox_process() as child:
        stalled = asyncio.run(_stalled(child))
    tables = [
        Table(
            f"(f) sandbox process RSS around {POSTS} POSTs of a 1 MiB body, {CONCURRENCY} at a time",
            [
                "POSTs",
                "before, MB",
                "after, MB",
                "growth, MB",
                "peak growth, MB",
                "answers",
                "tracebacks logged",
            ],
            rows,
        ),
        Table(
            f"(f) {stalled.opened:,} stalled connections (half a request each), "
            f"read timeout {READ_TIMEOUT:g} s",
            [
                "normal request",
                "answered in, ms",
                "stalled still open then",
                "sandbox RSS, MB",
                "first dropped, s",
                "last dropped, s",
                f"dropped within {DROP_TARGET:g} s",
                "tracebacks logged",
            ],
            [
                [
                    stalled.status,
                    stalled.answer_ms,
                    stalled.open_after_request,
                    stalled.rss_mb,
                    stalled.first_drop_s,
                    stalled.last_drop_s,
                    stalled.dropped_in_time,
                    child.tracebacks,
                ]
            ],
        ),
    ]
    targets = [
        Target(
            f"(f) RSS growth under {POSTS} unauthenticated 1 MiB POSTs",
            growth[False],
            RSS_TARGET,
            " MB",
            True,
        ),
        Target(
            f"(f) stalled connections dropped within {DROP_TARGET:g} s, of {stalled.opened}",
            stalled.dropped_in_time,
            stalled.opened,
            "",
        ),
        Target(
            f"(f) a normal request answered while {stalled.open_after_request} stalled are open, ms",
            stalled.answer_ms if stalled.status == 200 else float("inf"),
            1000.0,
            " ms",
            True,
        ),
    ]
    return tables, targets


def main() -> None:
    description = __doc__.splitlines()[0]
    argparse.ArgumentParser(
        prog="python -m benchmarks.sandbox_hardening", description=description
    ).parse_args()
    report = Report()
    report.add(*run())
    print(report.render(f"aiohttp {importlib.metadata.version('aiohttp')}"))


if __name__ == "__main__":
    main()
