"""The `telnyx-orders` command: Telnyx number ordering from the shell.

Exit status: 0 done, 1 Telnyx (or the network) said no, 2 the command line was wrong. Errors are one
line on stderr; `--json` prints machine-readable results on stdout, with the keys Telnyx uses.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
from collections.abc import Sequence
from typing import NoReturn

from .._errors import TelnyxError
from ._commands import COMMANDS, CommandError, interrupted
from ._render import describe_error
from ._requirements import REQUIREMENT_COMMANDS, add_parsers
from ._search import SEARCH_COMMANDS
from ._search import add_parsers as add_search_parsers
from ._webhooks import WEBHOOK_COMMANDS
from ._webhooks import add_parser as add_webhooks_parser

__all__ = ["main"]

PROG = "telnyx-orders"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    _refuse_shared_options_that_do_not_apply(parser, args)
    for flag in ("json", "sandbox"):
        # Left unset unless given: a subcommand's default for these would overwrite the value given
        # before the command (argparse fills in the subcommand's defaults last).
        setattr(args, flag, getattr(args, flag, False))
    try:
        return asyncio.run(
            (COMMANDS | REQUIREMENT_COMMANDS | SEARCH_COMMANDS | WEBHOOK_COMMANDS)[args.command](args)
        )
    except KeyboardInterrupt:
        if args.command == "sandbox":
            print("sandbox stopped", file=sys.stderr)
            return 0
        if args.command == "webhooks":
            print("stopped listening", file=sys.stderr)
            return 0
        print(f"{PROG}: {interrupted(args)}", file=sys.stderr)
        return 130
    except (CommandError, ValueError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except TelnyxError as error:
        print(f"{PROG}: error: {describe_error(error)}", file=sys.stderr)
        return 1


class _Parser(argparse.ArgumentParser):
    """A parser whose usage errors are one line, like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {message} (see {self.prog} --help)\n")


_JSON = "print JSON, with the keys Telnyx uses"
_SANDBOX = (
    "run against a sandbox started for this command alone, and stopped after it (no Telnyx account "
    "needed; each command gets a fresh, empty one)"
)
_TAKES = {
    # Which of the shared options each command takes: `sandbox` serves one and prints no data, and
    # `demo` always runs on one of its own.
    "retrieve": ("json", "sandbox"),
    "list": ("json", "sandbox"),
    "create": ("json", "sandbox"),
    "wait": ("json", "sandbox"),
    "number-order": ("json", "sandbox"),
    "sub-number-order": ("json", "sandbox"),
    "sandbox": (),
    "demo": ("json",),
    "requirements": ("json", "sandbox"),
    "provide": ("json", "sandbox"),
    "cancel": ("json", "sandbox"),
    "report": ("sandbox",),
    "search": ("json", "sandbox"),
    "reserve": ("json", "sandbox"),
    "order-numbers": ("json", "sandbox"),
    "webhooks": ("json",),
}


def _shared(*flags: str) -> _Parser:
    """A parent parser with the shared options `flags`, left unset unless given."""
    shared = _Parser(add_help=False)
    helps = {"json": _JSON, "sandbox": _SANDBOX}
    for flag in flags:
        shared.add_argument(f"--{flag}", action="store_true", default=argparse.SUPPRESS, help=helps[flag])
    return shared


def _refuse_shared_options_that_do_not_apply(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> None:
    """Refuse `--json` or `--sandbox` given before a command that does not take it."""
    for flag in ("json", "sandbox"):
        if hasattr(args, flag) and flag not in _TAKES[args.command]:
            parser.error(f"the {args.command} command takes no --{flag}")


def _parser() -> argparse.ArgumentParser:
    # --json and --sandbox may come before the command or after it: `telnyx-orders list --json`.
    parser = _Parser(
        prog=PROG,
        description="Telnyx number ordering from the shell. The API key comes from TELNYX_API_KEY and the "
        "base URL from TELNYX_BASE_URL (default https://api.telnyx.com/v2).",
        parents=[_shared("json", "sandbox")],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, description=help, parents=[_shared(*_TAKES[name])])

    command("retrieve", "show an inexplicit number order").add_argument(
        "id", help="the id of the inexplicit number order"
    )
    listing = command("list", "list inexplicit number orders")
    listing.add_argument("--page-size", type=_page_size, metavar="N", help="orders per page, 1 to 250")
    listing.add_argument("--all", action="store_true", help="every page, not just the first")

    create = command("create", "order numbers by country, type and area code")
    create.add_argument("--country", required=True, metavar="ISO", help="two-letter country code, e.g. US")
    create.add_argument("--type", required=True, help="local, toll_free, mobile, national or shared_cost")
    create.add_argument("--count", required=True, type=_positive, metavar="N", help="how many numbers")
    create.add_argument("--area-code", help="the national destination code, e.g. 312")
    create.add_argument(
        "--strategy", choices=("always", "never"), help="never: buy nothing unless all N are available"
    )
    create.add_argument(
        "--customer-reference", metavar="R", help="your reference for the order, to find it by later"
    )
    create.add_argument(
        "--wait", action="store_true", help="then wait until every group is done and show the numbers bought"
    )
    _waiting_options(create)

    wait = command(
        "wait", "wait until every ordering group of an order is done, then show the numbers bought"
    )
    wait.add_argument("id", help="the id of the inexplicit number order")
    _waiting_options(wait)

    command("number-order", "show a number order and its phone numbers").add_argument(
        "id", help="the id of the number order"
    )
    command("sub-number-order", "show a sub number order and its phone numbers").add_argument(
        "id", help="the id of the sub number order"
    )
    add_parsers(command)
    add_search_parsers(command)
    add_webhooks_parser(command, _shared("json"))

    serve = command("sandbox", "serve the sandbox, a local stand-in for Telnyx, until interrupted")
    serve.add_argument(
        "--host", default="127.0.0.1", help="the loopback address to listen on (default 127.0.0.1)"
    )
    serve.add_argument(
        "--port",
        type=_whole_number,
        default=0,
        metavar="N",
        help="the port to listen on (default: any free one)",
    )
    serve.add_argument(
        "--api-key",
        default="sandbox-api-key",
        metavar="KEY",
        help="the key clients must send as a Bearer token (default sandbox-api-key)",
    )
    serve.add_argument(
        "--webhook-url",
        metavar="URL",
        help="POST a signed number_order.complete event there as each number order finishes (a loopback "
        "URL; needs the webhooks extra)",
    )
    serve.add_argument(
        "--lifecycle-step",
        type=_seconds,
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
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=600.0,
        metavar="SECONDS",
        help="give up waiting after (default 600)",
    )
    parser.add_argument(
        "--poll-interval",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="the first gap between polls; each gap is 1.5 times the last (default %(default)s)",
    )


def _positive(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _page_size(text: str) -> int:
    value = _positive(text)
    if value > 250:
        raise argparse.ArgumentTypeError(f"must be 250 at most, not {value}")
    return value


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"must be a number of seconds, not {text!r}")
    return value
