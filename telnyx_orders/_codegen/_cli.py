"""`python -m telnyx_orders._codegen [--check] [--root DIR] [--output DIR]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ._files import Formatter, compare, generate, write
from ._sources import CodegenError
from ._tables import GENERATED_DIRS

__all__ = ["main"]

PACKAGE_DIR = Path(__file__).resolve().parents[1]

_REGENERATE = "run `python -m telnyx_orders._codegen` (or `nox -s generate`) to regenerate it"
_OWNED = " and ".join(f"{directory}/" for directory in GENERATED_DIRS)


def main(argv: Sequence[str] | None = None, *, formatter: Formatter | None = None) -> int:
    """Run the generator; return the exit status: 0 done or current, 1 out of date, 2 cannot generate.

    `formatter` replaces ruff (tests that compare the generator with itself need no formatting).
    """
    parser = argparse.ArgumentParser(
        prog="python -m telnyx_orders._codegen",
        description="Generate the blocking Telnyx client in _sync/ from AsyncTelnyx and the async resources, "
        "and the resources' raw twins in resources/_raw/.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1, showing a diff, if a generated file is stale, missing or extra",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=PACKAGE_DIR,
        help="the telnyx_orders package directory to read (default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"the package directory to generate into, in its {_OWNED} (default: ROOT)",
    )
    args = parser.parse_args(argv)
    root: Path = args.root
    output: Path = args.output or root
    try:
        files = generate(root, formatter=formatter)
    except CodegenError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.check:
        problems = compare(output, files)
        for problem in problems:
            print(problem)
        if problems:
            print(f"the generated code in {output} ({_OWNED}) is out of date; {_REGENERATE}", file=sys.stderr)
            return 1
        return 0
    report = write(output, files)
    for path in report.written:
        print(f"wrote {path}")
    for path in report.deleted:
        print(f"deleted {path}")
    for path in report.foreign:
        print(
            f"error: {path} is not generated; move it out of {path.parent} or list it in HAND_WRITTEN",
            file=sys.stderr,
        )
    return 1 if report.foreign else 0
