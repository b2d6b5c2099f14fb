"""The `telnyx-orders` command: Telnyx number ordering from the shell.

Exit status: 0 done, 1 Telnyx (or the network) said no, 2 the command line was wrong. Errors are one
line on stderr; `--json` prints machine-readable results on stdout, with the keys Telnyx uses.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from .._errors import TelnyxError
from ._commands import COMMANDS, CommandError
from ._render import describe_error
from ._requirements import REQUIREMENT_COMMANDS, add_parsers

__all__ = ["main"]

PROG = "telnyx-orders"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    args = _parser().parse_args(argv)
    for flag in ("json", "sandbox"):
        # Left unset unless given: a default on these shared options would overwrite them when given
        # before the command (argparse shares the option objects between the parser and subparsers).
        setattr(args, flag, getattr(args, flag, False))
    try:
        return asyncio.run((COMMANDS | REQUIREMENT_COMMANDS)[args.command](args))
    except KeyboardInterrupt:
        if args.command == "sandbox":
            print("sandbox stopped", file=sys.stderr)
            return 0
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except (CommandError, ValueError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except TelnyxError as error:
        print(f"{PROG}: error: {describe_error(error)}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    # --json and --sandbox may come before the command or after it: `telnyx-orders list --json`.
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON, with the keys Telnyx uses"
    )
    shared.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help="run against a sandbox started for this command (no Telnyx account needed)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Telnyx number ordering from the shell. The API key comes from TELNYX_API_KEY and the "
        "base URL from TELNYX_BASE_URL (default https://api.telnyx.com/v2).",
        parents=[shared],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, description=help, parents=[shared])

    command("retrieve", "show an inexplicit number order").add_argument("id")
    listing = command("list", "list inexplicit number orders")
    listing.add_argument("--page-size", type=_page_size, metavar="N", help="orders per page, 1 to 250")
    listing.add_argument("--all", action="store_true", help="every page, not just the first")

    create = command("create", "order numbers by country, type and area code")
    create.add_argument("--country", required=True, metavar="ISO", help="two-letter country code, e.g. US")
    create.add_argument("--type", required=True, help="local, toll_free, mobile, ...")
    create.add_argument("--count", required=True, type=_positive, metavar="N", help="how many numbers")
    create.add_argument("--area-code", help="the national destination code, e.g. 312")
    create.add_argument("--strategy", choices=("always", "never"), help="never: all or nothing")
    create.add_argument("--customer-reference", metavar="R")
    create.add_argument("--wait", action="store_true", help="then wait until every group is done")
    _waiting_options(create)

    wait = command("wait", "wait until every ordering group of an order is done, showing progress")
    wait.add_argument("id")
    _waiting_options(wait)

    command("number-order", "show a number order and its phone numbers").add_argument("id")
    command("sub-number-order", "show a sub number order and its phone numbers").add_argument("id")
    add_parsers(command)

    serve = command("sandbox", "serve the sandbox, a local stand-in for Telnyx, until interrupted")
    serve.add_argument(
        "--host", default="127.0.0.1", help="the loopback address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=0, help="the port to listen on (default: any free one)")
    serve.add_argument(
        "--api-key",
        default="sandbox-api-key",
        metavar="KEY",
        help="the key clients must send as a Bearer token (default sandbox-api-key)",
    )
    serve.add_argument(
        "--lifecycle-step",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="how long each step of an order's lifecycle takes (default 1)",
    )
    demo = command(
        "demo", "create an order on an embedded sandbox, wait for it, and show the numbers it bought"
    )
    _waiting_options(demo)
    demo.set_defaults(poll_interval=0.2)
    return parser


def _waiting_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS", help="give up after (600)")
    parser.add_argument(
        "--poll-interval", type=float, default=1.0, metavar="SECONDS", help="first gap between polls (1)"
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _page_size(text: str) -> int:
    value = _positive(text)
    if value > 250:
        raise argparse.ArgumentTypeError(f"must be 250 at most, not {value}")
    return value
