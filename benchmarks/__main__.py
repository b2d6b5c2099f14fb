"""`python -m benchmarks [--quick] [--no-readme]`: every scenario, one table, targets met or missed.

Run it through `nox -s bench`, which installs the official `telnyx` package (pinned) beside this one in
the bench session only. The table is printed and written to benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
from pathlib import Path

from . import cold_start, decoding, memory, sandbox_hardening, sequential, throughput
from ._report import Report
from ._server import running_server

README = Path(__file__).with_name("README.md")
README_HEAD = """# Benchmarks

`nox -s bench` runs every scenario against one server process (the sandbox's documents, served by a bare
asyncio protocol so that the server is never the bottleneck) and prints the table below; this file holds
the latest run. See each module's docstring for what it measures and how.

```text
"""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer, shorter rounds: a smoke test, not figures"
    )
    parser.add_argument("--no-readme", action="store_true", help=f"do not write {README.name}")
    args = parser.parse_args()
    report = Report()
    with running_server() as server:
        for scenario in (throughput, sequential, cold_start, memory):
            report.add(*scenario.run(server, quick=args.quick))
        report.add(*decoding.run(quick=args.quick))
        report.add(*sandbox_hardening.run(quick=args.quick))
    peers = f"telnyx {importlib.metadata.version('telnyx')}, aiohttp {importlib.metadata.version('aiohttp')}"
    text = report.render(peers)
    print(text)
    if not args.no_readme:
        day = datetime.date.today().isoformat()
        README.write_text(f"{README_HEAD}{text}\n```\n\nRun on {day}.\n", encoding="utf-8")


if __name__ == "__main__":
    main()
