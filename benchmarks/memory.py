"""(e) Memory while listing: `async for` over 100,000 orders (400 pages of 250) in a fresh process.

The child records its peak RSS once the first page's items are being iterated and again after the
last; since pages are fetched one at a time and dropped once iterated, the peak should barely move.
"""

from __future__ import annotations

import json
import subprocess
import sys

from ._clients import OURS
from ._report import Table, Target
from ._server import LIST_PAGES, PAGE_SIZE, Server

SCRIPT = """
import asyncio, json, re, sys
from telnyx_orders import AsyncTelnyx

def peak_mb():  # the high-water mark of this process's resident set
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read())[1]) / 1024

async def main(base_url, key, page_size):
    orders, after_first_page = 0, None
    async with AsyncTelnyx(key, base_url=base_url) as client:
        async for _ in client.inexplicit_number_orders.list(page_size=int(page_size)):
            orders += 1
            if orders == int(page_size):
                after_first_page = peak_mb()
    print(json.dumps({"orders": orders, "after_first_page": after_first_page, "after_all": peak_mb()}))

asyncio.run(main(*sys.argv[1:]))
"""


def run(server: Server, *, quick: bool = False) -> tuple[list[Table], list[Target]]:
    del quick  # one pass is the measurement
    output = subprocess.run(
        [sys.executable, "-c", SCRIPT, server.base_url, server.api_key, str(PAGE_SIZE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(output)
    if result["orders"] != LIST_PAGES * PAGE_SIZE:
        raise RuntimeError(f"listed {result['orders']} orders, not {LIST_PAGES * PAGE_SIZE}")
    growth = result["after_all"] - result["after_first_page"]
    table = Table(
        f"(e) {OURS}: peak RSS while iterating {result['orders']:,} orders "
        f"({LIST_PAGES} pages of {PAGE_SIZE})",
        ["after page 1, MB", f"after page {LIST_PAGES}, MB", "growth, MB"],
        [[result["after_first_page"], result["after_all"], growth]],
    )
    return [table], [
        Target(f"(e) peak RSS growth from page 1 to page {LIST_PAGES}", growth, 10.0, " MB", True)
    ]
