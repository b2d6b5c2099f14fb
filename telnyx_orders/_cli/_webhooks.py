"""`telnyx-orders webhooks listen`: print each verified webhook event as it arrives, for trying by hand."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable, Coroutine

from aiohttp import web

from .._converter import unstructure
from .._webhooks import PUBLIC_KEY_ENV
from ..types import NumberOrderWebhookEvent
from ..webhooks import DEFAULT_PATH, create_webhook_app
from ._commands import CommandError
from ._untrusted import escape

__all__ = ["WEBHOOK_COMMANDS", "add_parser"]

SHUTDOWN_TIMEOUT = 2.0
"""Seconds the last event's answer may take to go out once `--max-events` is reached."""


def add_parser(
    command: Callable[[str, str], argparse.ArgumentParser], json_option: argparse.ArgumentParser
) -> None:
    """Add `webhooks listen` to the command line (`command` makes a subcommand's parser)."""
    webhooks = command("webhooks", "receive Telnyx webhooks")
    actions = webhooks.add_subparsers(dest="webhooks_command", required=True, metavar="ACTION")
    description = (
        "listen for Telnyx webhooks and print each event whose signature verifies, as it arrives; refused "
        "webhooks are reported on stderr"
    )
    listen = actions.add_parser("listen", help=description, description=description, parents=[json_option])
    listen.add_argument("--port", type=_port, required=True, metavar="N", help="the port to listen on")
    listen.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this machine only; put a tunnel in front of it)",
    )
    listen.add_argument("--path", default=DEFAULT_PATH, help=f"the URL path (default {DEFAULT_PATH})")
    listen.add_argument(
        "--public-key",
        metavar="KEY",
        help=f"the base64 Ed25519 public key that verifies the signatures (default ${PUBLIC_KEY_ENV})",
    )
    listen.add_argument(
        "--max-events", type=_positive, metavar="N", help="stop after printing N events (default: never)"
    )


async def webhooks(args: argparse.Namespace) -> int:
    """Run the `webhooks` action asked for."""
    return await listen(args)


async def listen(args: argparse.Namespace) -> int:
    key = args.public_key or os.environ.get(PUBLIC_KEY_ENV)
    if not key:
        raise CommandError(
            f"no key to verify webhooks with: pass --public-key or set {PUBLIC_KEY_ENV} (the public key in "
            "Mission Control, or the one `telnyx-orders sandbox --webhook-url` prints)"
        )
    enough = asyncio.Event()
    printed = 0

    async def show(event: NumberOrderWebhookEvent) -> None:
        nonlocal printed
        text = json.dumps(unstructure(event)) if args.json else _event_line(event)
        print(text, file=sys.stdout, flush=True)
        printed += 1
        if args.max_events is not None and printed >= args.max_events:
            enough.set()

    app = create_webhook_app(key, show, path=args.path)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
    logger = logging.getLogger("telnyx_orders.webhooks")
    refusals = _report_refusals(logger)
    try:
        await runner.setup()
        try:
            await web.TCPSite(runner, args.host, args.port).start()
        except OSError as error:
            reason = os.strerror(error.errno) if error.errno else str(error)
            raise CommandError(f"cannot listen on {args.host} port {args.port}: {reason}") from None
        port = runner.addresses[0][1]
        print(
            f"listening for Telnyx webhooks at http://{args.host}:{port}{args.path}",
            file=sys.stderr,
            flush=True,
        )
        await enough.wait()
    finally:
        logger.removeHandler(refusals)
        await runner.cleanup()
    return 0


def _event_line(event: NumberOrderWebhookEvent) -> str:
    """One line for an event: when, what, which number order, its status and numbers."""
    order = event.data.payload
    numbers = ", ".join(escape(number.phone_number or "?") for number in order.phone_numbers or ())
    status = "-" if order.status is None else escape(str(order.status))
    return (
        f"{event.data.occurred_at.isoformat()}  {escape(event.data.event_type)}  number order "
        f"{escape(order.id or '?')}  {status}  [{numbers}]  (event {escape(event.data.id)}, "
        f"attempt {event.meta.attempt})"
    )


def _report_refusals(logger: logging.Logger) -> logging.Handler:
    """Say on stderr why a webhook was refused: what the receiver logs as a warning."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("telnyx-orders: %(message)s"))
    logger.addHandler(handler)
    return handler


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a port number, not {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 0 to 65535, not {value}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text!r}")
    return value


WEBHOOK_COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[None, None, int]]] = {
    "webhooks": webhooks,
}
