"""Whether a blocking call needs the event loop of the thread that makes it: then it would wait forever.

The blocking `Telnyx` client runs each call on a loop thread of its own and parks the calling thread
until the answer comes. If the calling thread runs an event loop that serves the client's base URL (a
`Sandbox` started with `async with` in the same program), that loop cannot answer while its thread is
parked, and the call would hang until its deadline. This is told by looking at what the loop listens
on: possible for asyncio's selector event loops (the default on Linux and macOS), where the sockets it
watches are at hand; elsewhere (a proactor loop, uvloop) it cannot be told, and the call is only warned
about.
"""

from __future__ import annotations

import asyncio
import ipaddress
import selectors
import socket
from urllib.parse import urlsplit

from ._config import is_loopback

__all__ = ["needs_loop"]

_SO_ACCEPTCONN: int | None = getattr(socket, "SO_ACCEPTCONN", None)


def needs_loop(base_url: str, loop: asyncio.AbstractEventLoop) -> str | None:
    """Why a call to `base_url` needs `loop` to run, if it does: `loop` serves that address."""
    parts = urlsplit(base_url)
    if parts.hostname is None or not is_loopback(parts.hostname):
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    # asyncio's selector loops keep their selector here; its map holds every socket the loop watches,
    # a server's listening sockets included. Read from the loop's own thread, the only caller.
    selector = getattr(loop, "_selector", None)
    if not isinstance(selector, selectors.BaseSelector):
        return None
    for key in list(selector.get_map().values()):
        if _listens_on(key.fd, port):
            return f"serves its base URL, {base_url}"
    return None


def _listens_on(fd: int, port: int) -> bool:
    """Whether `fd` is a TCP socket listening on `port` on a loopback or every address."""
    if _SO_ACCEPTCONN is None:
        return False
    try:
        sock = socket.socket(fileno=fd)  # the loop's own socket: borrowed, and never closed here
    except OSError:
        return False  # not a socket (a pipe, an eventfd)
    try:
        if sock.type != socket.SOCK_STREAM or not sock.getsockopt(socket.SOL_SOCKET, _SO_ACCEPTCONN):
            return False
        host, bound_port = sock.getsockname()[:2]
        address = ipaddress.ip_address(host)
        return bound_port == port and (address.is_loopback or address.is_unspecified)
    except (OSError, ValueError, TypeError):
        return False  # a Unix socket's name is a path, not (host, port)
    finally:
        sock.detach()
