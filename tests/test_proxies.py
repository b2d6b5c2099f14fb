"""Proxies: `proxy=` on the client, else the standard environment variables as httpx reads them, with
NO_PROXY. A forward proxy on loopback, written here, counts what it forwards."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ssl
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from yarl import URL

from telnyx_orders import AsyncTelnyx, Telnyx
from telnyx_orders.testing import Sandbox

from .test_security import https_server

SECRET = "KEY-secret-4c0ffee0-0123456789abcdef"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
DEAD = "http://127.0.0.1:9"
"""A proxy that is not there: a request sent to it fails."""


class ForwardProxy:
    """An HTTP forward proxy on 127.0.0.1: it forwards absolute-form requests one per connection and
    tunnels CONNECTs, and keeps, in order, what it was asked and every byte it carried."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        """`GET http://host:port/path` or `CONNECT host:port`, one per request forwarded."""
        self.proxy_authorizations: list[str | None] = []
        self.carried = bytearray()
        self.url = ""

    async def handle(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(client.readuntil(b"\r\n\r\n"), 5)
            request_line, *lines = head.decode("latin-1").split("\r\n")
            method, target, _ = request_line.split(" ")
            headers = dict(line.split(": ", 1) for line in lines if line)
            self.asked.append(f"{method} {target}")
            self.proxy_authorizations.append(headers.pop("Proxy-Authorization", None))
            if method == "CONNECT":
                host, port = target.rsplit(":", 1)
                upstream, to_upstream = await asyncio.open_connection(host, int(port))
                to_client.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                url = URL(target)
                upstream, to_upstream = await asyncio.open_connection(url.host, url.port)
                headers["Connection"] = "close"  # one request per connection: each is counted
                forwarded = [
                    f"{method} {url.raw_path_qs} HTTP/1.1",
                    *(f"{k}: {v}" for k, v in headers.items()),
                ]
                to_upstream.write(("\r\n".join(forwarded) + "\r\n\r\n").encode("latin-1"))
            await asyncio.wait_for(
                asyncio.gather(self.pipe(client, to_upstream), self.pipe(upstream, to_client)), 10
            )
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            pass
        finally:
            to_client.close()

    async def pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while chunk := await source.read(65536):
                self.carried += chunk
                sink.write(chunk)
                await sink.drain()
        finally:
            sink.close()


@pytest.fixture
async def forward_proxy() -> AsyncIterator[ForwardProxy]:
    proxy = ForwardProxy()
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    proxy.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    async with server:
        yield proxy
        server.close()


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Each test starts with no proxy variable, in either case, and sets its own."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(api_key=SECRET) as running:
        yield running


async def retrieve(sandbox: Sandbox, **settings: object) -> str | None:
    order_id = sandbox.add_number_order()["id"]
    async with AsyncTelnyx(SECRET, base_url=sandbox.base_url, max_retries=0, **settings) as client:  # type: ignore[arg-type]
        return (await client.number_orders.retrieve(order_id)).data.id  # type: ignore[union-attr]


def path_asked(sandbox: Sandbox) -> str:
    (request,) = sandbox.requests
    return f"GET {sandbox.base_url.removesuffix('/v2')}{request.raw_path or request.path}"


# proxy=


async def test_proxy_sends_each_request_through_the_proxy(
    sandbox: Sandbox, forward_proxy: ForwardProxy
) -> None:
    assert await retrieve(sandbox, proxy=forward_proxy.url)

    assert forward_proxy.asked == [path_asked(sandbox)]
    assert forward_proxy.proxy_authorizations == [None]


async def test_proxy_credentials_go_to_the_proxy_alone(sandbox: Sandbox, forward_proxy: ForwardProxy) -> None:
    with_credentials = forward_proxy.url.replace("http://", "http://ops:p%40ss@")

    assert await retrieve(sandbox, proxy=with_credentials)

    assert forward_proxy.proxy_authorizations == ["Basic " + base64.b64encode(b"ops:p@ss").decode()]
    (request,) = sandbox.requests
    assert "proxy-authorization" not in request.headers
    assert request.headers["authorization"] == f"Bearer {SECRET}"


async def test_proxy_wins_over_the_environment(
    sandbox: Sandbox, forward_proxy: ForwardProxy, no_proxy_settings: pytest.MonkeyPatch
) -> None:
    no_proxy_settings.setenv("HTTP_PROXY", DEAD)

    assert await retrieve(sandbox, proxy=forward_proxy.url)
    assert len(forward_proxy.asked) == 1


@contextlib.contextmanager
def proxy_in_a_thread() -> Iterator[ForwardProxy]:
    """A `ForwardProxy` on a loop of its own, for a blocking client to call."""
    proxy, loop = ForwardProxy(), asyncio.new_event_loop()
    server = loop.run_until_complete(asyncio.start_server(proxy.handle, "127.0.0.1", 0))
    proxy.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    thread = threading.Thread(target=loop.run_forever)
    thread.start()
    try:
        yield proxy
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()


def test_the_blocking_client_takes_a_proxy_too() -> None:
    with (
        Sandbox(api_key=SECRET).serve_in_thread() as sandbox,
        proxy_in_a_thread() as proxy,
        Telnyx(SECRET, base_url=sandbox.base_url, proxy=proxy.url) as client,
    ):
        order_id = sandbox.add_number_order()["id"]
        assert client.number_orders.retrieve(order_id).data.id == order_id  # type: ignore[union-attr]

    assert len(proxy.asked) == 1


@pytest.mark.parametrize(
    "proxy", ["socks5://127.0.0.1:1080", "ftp://proxy", "http://", "http://proxy\r\n:3128"]
)
def test_a_proxy_that_is_not_an_http_one_is_refused_at_construction(proxy: str) -> None:
    with pytest.raises(ValueError, match="proxy") as refused:
        AsyncTelnyx("key", proxy=proxy)
    assert "proxy\r\n" not in str(refused.value)


def test_a_proxy_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="proxy must be a str URL"):
        AsyncTelnyx("key", proxy=3128)  # type: ignore[arg-type]


def test_a_proxys_password_shows_in_no_repr() -> None:
    client = AsyncTelnyx("key", proxy="http://ops:hunter2@proxy.internal:3128")

    assert "hunter2" not in repr(client)
    assert "hunter2" not in repr(client._http.pool)
    assert "hunter2" not in repr(client._http.pool._proxies.route(URL("https://api.telnyx.com/v2")))  # type: ignore[attr-defined]


# The environment


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
async def test_the_environments_proxy_for_http_is_used(
    sandbox: Sandbox, forward_proxy: ForwardProxy, no_proxy_settings: pytest.MonkeyPatch, variable: str
) -> None:
    no_proxy_settings.setenv(variable, forward_proxy.url)

    assert await retrieve(sandbox)
    assert forward_proxy.asked == [path_asked(sandbox)]


async def test_the_lower_case_spelling_wins(
    sandbox: Sandbox, forward_proxy: ForwardProxy, no_proxy_settings: pytest.MonkeyPatch
) -> None:
    no_proxy_settings.setenv("HTTP_PROXY", DEAD)
    no_proxy_settings.setenv("http_proxy", forward_proxy.url)

    assert await retrieve(sandbox)
    assert len(forward_proxy.asked) == 1


async def test_http_proxy_beats_all_proxy_for_http(
    sandbox: Sandbox, forward_proxy: ForwardProxy, no_proxy_settings: pytest.MonkeyPatch
) -> None:
    no_proxy_settings.setenv("ALL_PROXY", DEAD)
    no_proxy_settings.setenv("HTTP_PROXY", forward_proxy.url.removeprefix("http://"))  # no scheme: http

    assert await retrieve(sandbox)
    assert len(forward_proxy.asked) == 1


@pytest.mark.parametrize(
    "no_proxy",
    ["127.0.0.1", "localhost,127.0.0.1", "*", "example.com, 127.0.0.1", ".0.0.1", "127.0.0.1:{port}"],
)
async def test_no_proxy_sends_the_hosts_it_lists_directly(
    sandbox: Sandbox, forward_proxy: ForwardProxy, no_proxy_settings: pytest.MonkeyPatch, no_proxy: str
) -> None:
    no_proxy_settings.setenv("HTTP_PROXY", forward_proxy.url)
    no_proxy_settings.setenv("NO_PROXY", no_proxy.format(port=URL(sandbox.base_url).port))

    assert await retrieve(sandbox)
    assert forward_proxy.asked == []
    assert len(sandbox.requests) == 1


@pytest.mark.parametrize("no_proxy", ["example.com", "127.0.0.2", "27.0.0.1", "127.0.0.1:1"])
async def test_no_proxy_leaves_other_hosts_to_the_proxy(
    sandbox: Sandbox, forward_proxy: ForwardProxy, no_proxy_settings: pytest.MonkeyPatch, no_proxy: str
) -> None:
    no_proxy_settings.setenv("HTTP_PROXY", forward_proxy.url)
    no_proxy_settings.setenv("no_proxy", no_proxy)

    assert await retrieve(sandbox)
    assert len(forward_proxy.asked) == 1


async def test_an_https_base_url_is_tunnelled_through_https_proxy_and_the_proxy_sees_no_key(
    forward_proxy: ForwardProxy, no_proxy_settings: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    no_proxy_settings.setenv("HTTP_PROXY", DEAD)  # for http only: not this one
    no_proxy_settings.setenv("HTTPS_PROXY", forward_proxy.url.replace("http://", "http://ops:pw@"))
    answered: list[str] = []
    trusting = ssl.create_default_context(cafile=str(certificate[0]))

    async with (
        https_server(certificate, answered) as base_url,
        AsyncTelnyx(SECRET, base_url=base_url, ssl_context=trusting, max_retries=0) as client,
    ):
        await client.number_orders.retrieve("x")

    assert forward_proxy.asked == [f"CONNECT {URL(base_url).host}:{URL(base_url).port}"]
    assert forward_proxy.proxy_authorizations == ["Basic " + base64.b64encode(b"ops:pw").decode()]
    assert answered == ["/v2/number_orders/x"]
    assert SECRET.encode() not in forward_proxy.carried, "the key crossed the proxy inside TLS"


async def test_the_environment_is_read_when_the_client_is_made(
    sandbox: Sandbox, forward_proxy: ForwardProxy, no_proxy_settings: pytest.MonkeyPatch
) -> None:
    order_id = sandbox.add_number_order()["id"]
    async with AsyncTelnyx(SECRET, base_url=sandbox.base_url) as client:
        no_proxy_settings.setenv("HTTP_PROXY", forward_proxy.url)
        await client.number_orders.retrieve(order_id)

    assert forward_proxy.asked == []


async def test_an_environment_proxy_that_is_not_an_http_one_is_refused_before_sending(
    sandbox: Sandbox, no_proxy_settings: pytest.MonkeyPatch
) -> None:
    no_proxy_settings.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")

    with pytest.raises(ValueError, match="the ALL_PROXY environment variable must be an http:// or https://"):
        await retrieve(sandbox)
    assert sandbox.requests == []
