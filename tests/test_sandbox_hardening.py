"""The sandbox as a server any local process can reach: what a hostile or broken client cannot do to it.

It checks the key before it reads a body, keeps a bounded request log, drops a connection whose request
does not arrive within ``read_timeout``, reads at most 1 MiB of a body, answers hostile JSON and its own
failures in the Telnyx error envelope, and says once, not every second, that it ran out of file
descriptors. Clients here speak raw HTTP where the point is what arrives on the wire and when.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import io
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from telnyx_orders.testing import RecordedRequest, RequestLog, Sandbox, _server

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable

    from aiohttp import web

MIB = 1024 * 1024
WAIT = 10.0
"""Seconds any one wait may take before the test fails rather than hangs: far beyond what it needs."""
STALL = 0.3
"""The ``read_timeout`` of the tests that wait for it to pass."""
ORDER = {"phone_numbers": [{"phone_number": "+19705550100"}]}


async def within(awaitable: Awaitable[Any]) -> Any:
    return await asyncio.wait_for(awaitable, WAIT)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A sandbox whose read deadline never passes during a test: only what a test checks ends a connection."""
    async with Sandbox(read_timeout=60.0) as running:
        yield running


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {sandbox.api_key}"}) as session:
        yield session


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What was logged at level ERROR and above so far (by the sandbox, aiohttp or asyncio)."""
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    """Lower-cased names."""
    body: bytes

    def error(self) -> dict[str, Any]:
        """The one error of a Telnyx error envelope sent as ``application/json``."""
        assert self.headers["content-type"] == "application/json"
        body = json.loads(self.body)
        assert set(body) == {"errors"}
        [error] = body["errors"]
        assert {"code", "title", "detail"} <= set(error)
        return error  # type: ignore[no-any-return]


def request_head(sandbox: Sandbox, method: str, path: str, *headers: str, key: str | None = None) -> bytes:
    """The request line and headers of a request to ``/v2{path}``, with the sandbox's key unless ``key``."""
    lines = [
        f"{method} /v2{path} HTTP/1.1",
        "Host: sandbox",
        f"Authorization: Bearer {sandbox.api_key if key is None else key}",
        *headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def connect(sandbox: Sandbox) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await within(asyncio.open_connection(sandbox.host, sandbox.port))


async def read_answer(reader: asyncio.StreamReader) -> Answer:
    """One HTTP answer (its head and a ``Content-Length`` body) from a raw connection."""
    head: bytes = await within(reader.readuntil(b"\r\n\r\n"))
    status_line, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    body: bytes = await within(reader.readexactly(int(headers["content-length"])))
    return Answer(int(status_line.split(" ")[1]), headers, body)


async def hang_up(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError):  # the sandbox may have reset it first
        await within(writer.wait_closed())


async def post(http: aiohttp.ClientSession, sandbox: Sandbox, path: str, data: Any) -> Answer:
    headers = {"Content-Type": "application/json"}
    if isinstance(data, bytes):
        data = io.BytesIO(data)  # aiohttp sends it with its Content-Length, without a warning for its size
    async with http.post(sandbox.base_url + path, data=data, headers=headers) as response:
        body = await within(response.read())
        return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, body)


# --- authentication comes before the body ------------------------------------------------------------

UNAUTHENTICATED_POST = (
    b"POST /v2/number_orders HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer not-the-key\r\n"
    + f"Content-Type: application/json\r\nContent-Length: {MIB}\r\n\r\n".encode()
)
"""The head of a POST of a 1 MiB body with the wrong key."""


async def test_an_unauthenticated_body_is_refused_before_it_arrives_and_never_recorded(
    sandbox: Sandbox,
) -> None:
    reader, writer = await connect(sandbox)
    writer.write(UNAUTHENTICATED_POST + b"x" * (64 * 1024))  # and the other 960 KiB never come

    answer = await read_answer(reader)
    assert answer.status == 401
    assert answer.error()["code"] == "10009"
    assert answer.headers["connection"] == "close"
    assert "x-request-id" in answer.headers
    # The sandbox ends the connection at once, without waiting for the body (its deadline is a minute).
    assert await within(reader.read()) == b""
    await hang_up(writer)
    assert sandbox.requests == []


async def test_a_client_that_sent_its_whole_body_still_reads_the_401_rather_than_a_reset(
    sandbox: Sandbox,
) -> None:
    # Closing a socket with unread bytes in it resets the connection, and a reset can destroy an answer
    # the client has not read yet: the sandbox drains (and discards) what is arriving instead.
    for _ in range(3):
        reader, writer = await connect(sandbox)
        writer.write(UNAUTHENTICATED_POST + b"x" * MIB)
        await within(writer.drain())
        assert (await read_answer(reader)).status == 401
        await hang_up(writer)
    assert sandbox.requests == []


async def test_an_unauthenticated_request_without_a_body_keeps_its_connection(sandbox: Sandbox) -> None:
    reader, writer = await connect(sandbox)
    for key in ("wrong", None):
        writer.write(request_head(sandbox, "GET", "/number_orders", key=key))
        answer = await read_answer(reader)
        assert answer.status == (401 if key else 200)
    await hang_up(writer)
    assert [request.path for request in sandbox.requests] == ["/v2/number_orders"]


# --- the request log is bounded ------------------------------------------------------------------------


async def test_the_request_log_keeps_the_newest_requests_and_counts_those_it_dropped() -> None:
    async with Sandbox(request_log_limit=3) as sandbox, aiohttp.ClientSession() as http:
        for n in range(5):
            headers = {"Authorization": f"Bearer {sandbox.api_key}"}
            async with http.get(f"{sandbox.base_url}/number_orders?n={n}", headers=headers) as response:
                assert response.status == 200
        assert [request.query for request in sandbox.requests] == [[("n", "2")], [("n", "3")], [("n", "4")]]
        assert (sandbox.requests.limit, sandbox.requests.dropped) == (3, 2)
        sandbox.reset()
        assert (len(sandbox.requests), sandbox.requests.dropped) == (0, 0)


@pytest.mark.parametrize("limit", [0, -1, 2.5, True, "3", None])
def test_a_request_log_limit_must_be_a_positive_integer(limit: Any) -> None:
    with pytest.raises(ValueError, match="request log limit"):
        Sandbox(request_log_limit=limit)


def recorded(n: int, body: bytes) -> RecordedRequest:
    return RecordedRequest("POST", "/v2/number_orders", [], {}, body, "CreateNumberOrder", str(n))


def test_the_request_log_keeps_at_most_max_bytes_of_requests_but_always_the_newest() -> None:
    assert Sandbox().requests.max_bytes == 64 * MIB  # 64 bodies of 1 MiB, whatever request_log_limit says
    log = RequestLog(100, max_bytes=2500)
    for n in range(4):
        log.record(recorded(n, b"x" * 1000))
    assert [request.request_id for request in log] == ["2", "3"]
    log.record(recorded(4, b"x" * 5000))
    assert ([request.request_id for request in log], log.dropped) == (["4"], 4)


@pytest.mark.parametrize("max_bytes", [0, 1.5, True])
def test_a_request_log_max_bytes_must_be_a_positive_integer(max_bytes: Any) -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        RequestLog(max_bytes=max_bytes)


# --- read deadlines ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param(b"", id="nothing"),
        pytest.param(b"GET /v2/number_orders HTTP/1.1\r\nHost: sandbox\r\n", id="half the headers"),
        pytest.param(
            b"POST /v2/number_orders HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\nAuthorization: Bearer KEY\r\n\r\n" + b'{"phone_numbers": ',
            id="the headers and half the body",
        ),
    ],
)
async def test_a_client_that_stalls_mid_request_is_disconnected_after_the_read_timeout(
    sent: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    async with Sandbox(read_timeout=STALL) as sandbox:
        reader, writer = await connect(sandbox)
        writer.write(sent.replace(b"KEY", sandbox.api_key.encode()))
        assert await within(reader.read()) == b""
        await hang_up(writer)
        assert sandbox.requests == []
    assert errors_logged(caplog) == []  # a body that never came is not the sandbox failing


async def test_a_keep_alive_client_idle_between_requests_is_not_disconnected() -> None:
    async with Sandbox(read_timeout=STALL) as sandbox:
        reader, writer = await connect(sandbox)
        writer.write(request_head(sandbox, "GET", "/number_orders"))
        assert (await read_answer(reader)).status == 200
        await asyncio.sleep(2 * STALL)  # idle: the deadline runs only while a request is arriving
        writer.write(request_head(sandbox, "GET", "/number_orders"))
        assert (await read_answer(reader)).status == 200
        await hang_up(writer)
        assert len(sandbox.requests) == 2


async def test_stalled_connections_do_not_stop_the_sandbox_answering_others(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    stalled = [await connect(sandbox) for _ in range(200)]
    for n, (_, writer) in enumerate(stalled):
        writer.write(request_head(sandbox, "GET", "/number_orders")[: 10 + n % 40])

    async with http.get(sandbox.base_url + "/number_orders") as response:
        assert response.status == 200
    assert not any(reader.at_eof() for reader, _ in stalled)  # all still open: the deadline is a minute
    for _, writer in stalled:
        await hang_up(writer)


async def test_every_stalled_connection_is_dropped_once_the_read_timeout_passes() -> None:
    async with Sandbox(read_timeout=STALL) as sandbox:
        stalled = [await connect(sandbox) for _ in range(100)]
        for n, (_, writer) in enumerate(stalled):
            writer.write(request_head(sandbox, "GET", "/number_orders")[: n % 40])
        ends = await within(asyncio.gather(*(reader.read() for reader, _ in stalled)))
        assert ends == [b""] * 100
        for _, writer in stalled:
            await hang_up(writer)


# --- the 1 MiB body cap --------------------------------------------------------------------------------


async def _chunks(total: int) -> AsyncIterator[bytes]:
    for start in range(0, total, 64 * 1024):
        yield b"x" * min(64 * 1024, total - start)


@pytest.mark.parametrize("framing", ["Content-Length", "chunked"])
async def test_a_body_over_1_mib_is_a_413_envelope_and_is_not_recorded(
    sandbox: Sandbox, http: aiohttp.ClientSession, framing: str
) -> None:
    data = b"x" * (MIB + 1) if framing == "Content-Length" else _chunks(MIB + 1)
    answer = await post(http, sandbox, "/number_orders", data)
    assert answer.status == 413
    error = answer.error()
    assert (error["title"], error["detail"]) == (
        "Request Entity Too Large",
        "The request body must be at most 1048576 bytes.",
    )
    assert answer.headers["connection"] == "close"
    assert sandbox.requests == []


async def test_a_declared_length_over_1_mib_is_refused_before_any_of_the_body_arrives(
    sandbox: Sandbox,
) -> None:
    reader, writer = await connect(sandbox)
    writer.write(request_head(sandbox, "POST", "/number_orders", f"Content-Length: {MIB + 1}"))
    assert (await read_answer(reader)).status == 413
    assert await within(reader.read()) == b""  # not waiting for the body (the read deadline is a minute)
    await hang_up(writer)
    assert sandbox.requests == []


async def test_a_body_of_exactly_1_mib_is_read_and_answered_as_usual(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    answer = await post(http, sandbox, "/number_orders", b"x" * MIB)
    assert answer.status == 400
    assert answer.error()["detail"] == "The request body is not valid JSON."
    [request] = sandbox.requests
    assert len(request.body) == MIB


# --- hostile JSON and the sandbox's own failures --------------------------------------------------------

HOSTILE = {
    "arrays 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "unclosed arrays 100,000 deep": b"[" * 100_000,
    "objects 50,000 deep": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "deep inside a field": b'{"phone_numbers": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "a 5,000-digit integer": b'{"phone_numbers": ' + b"9" * 5_000 + b"}",
    "a number too large for a float": b'{"phone_numbers": [{"phone_number": 1e400}]}',
    "NaN": b'{"phone_numbers": NaN}',
    "Infinity": b'{"phone_numbers": [Infinity]}',
    "-Infinity": b'{"customer_reference": -Infinity}',
    "invalid UTF-8": b'{"customer_reference": "\xff\xfe\xfd"}',
    "nothing": b"",
}


@pytest.mark.parametrize("path", ["/number_orders", "/inexplicit_number_orders"])
@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
async def test_hostile_json_is_a_400_envelope_and_the_sandbox_keeps_serving(
    sandbox: Sandbox, http: aiohttp.ClientSession, path: str, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    answer = await post(http, sandbox, path, body)
    assert answer.status == 400
    assert answer.error()["detail"] in {
        "The request body is not valid JSON.",
        "The request body is nested too deeply.",
        "The request body is missing: send a JSON object.",
    }
    assert (await post(http, sandbox, "/number_orders", json.dumps(ORDER))).status == 200
    assert errors_logged(caplog) == []


UNREADABLE = {
    "not HTTP": b"GARBAGE\r\n\r\n",
    "a header over 8 KiB": b"GET /v2/number_orders HTTP/1.1\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n",
    "200 headers": b"GET /v2/number_orders HTTP/1.1\r\n"
    + b"".join(b"X-%d: 1\r\n" % n for n in range(200))
    + b"\r\n",
    "a bad Content-Length": b"POST /v2/number_orders HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
    "a bad chunk": b"POST /v2/number_orders HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
}


@pytest.mark.parametrize("sent", UNREADABLE.values(), ids=UNREADABLE.keys())
async def test_a_request_aiohttp_cannot_parse_is_a_400_envelope_without_a_traceback(
    sandbox: Sandbox, sent: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    reader, writer = await connect(sandbox)
    writer.write(sent)
    answer = await read_answer(reader)
    assert (answer.status, answer.error()["code"]) == (400, "10015")
    assert await within(reader.read()) == b""
    await hang_up(writer)
    assert sandbox.requests == []
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []


async def test_an_exception_in_a_handler_is_a_500_envelope_and_is_logged(
    sandbox: Sandbox, http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(request: web.Request) -> web.StreamResponse:
        raise RuntimeError("a bug in a handler")

    sandbox.faults.respond(broken, operation="CreateNumberOrder")
    with caplog.at_level(logging.ERROR, logger="telnyx_orders.testing"):
        answer = await post(http, sandbox, "/number_orders", json.dumps(ORDER))
    assert answer.status == 500
    assert answer.error()["code"] == "10007"
    assert answer.headers["x-request-id"] == sandbox.requests[-1].request_id
    [record] = [record for record in caplog.records if record.name == "telnyx_orders.testing"]
    assert record.getMessage() == "the sandbox failed to answer POST /v2/number_orders"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert (await post(http, sandbox, "/number_orders", json.dumps(ORDER))).status == 200


# --- listening -----------------------------------------------------------------------------------------


async def test_a_port_in_use_raises_the_oserror_asyncios_create_server_raises() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match="address already in use") as asyncio_says:
            await asyncio.get_running_loop().create_server(asyncio.Protocol, "127.0.0.1", port)
        with pytest.raises(OSError, match="address already in use") as sandbox_says:
            await Sandbox(port=port).start()
    assert sandbox_says.value.errno == asyncio_says.value.errno == errno.EADDRINUSE
    # asyncio's words, which since Python 3.13 repeat the errno
    said = f"error while attempting to bind on address {('127.0.0.1', port)!r}: "
    assert str(sandbox_says.value) == f"[Errno {errno.EADDRINUSE}] {said}address already in use"
    assert str(asyncio_says.value).startswith(f"[Errno {errno.EADDRINUSE}] {said}")


# --- out of file descriptors ---------------------------------------------------------------------------

FD_LIMIT = 40
"""The child's RLIMIT_NOFILE: room for the interpreter, the loop and a few connections."""
SERVE_WITH_FEW_DESCRIPTORS = textwrap.dedent(f"""
    import resource, sys
    from telnyx_orders.testing import Sandbox
    sandbox = Sandbox()
    with sandbox.serve_in_thread():
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, ({FD_LIMIT}, hard))
        print(sandbox.base_url, sandbox.api_key, flush=True)
        sys.stdin.read()
""")


def test_running_out_of_file_descriptors_is_one_warning_and_the_sandbox_recovers() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", SERVE_WITH_FEW_DESCRIPTORS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    held: list[socket.socket] = []
    try:
        assert child.stdout is not None
        base_url, api_key = child.stdout.readline().split()
        port = int(base_url.rsplit(":", 1)[1].split("/")[0])
        # More connections than the child has descriptors: the kernel queues them, the child's accept()
        # fails with EMFILE, and the sandbox tries again every second while they stay open.
        held.extend(socket.create_connection(("127.0.0.1", port), timeout=WAIT) for _ in range(2 * FD_LIMIT))
        time.sleep(2.5)
        for connection in held:
            connection.close()
        held.clear()
        request = urllib.request.Request(
            base_url + "/number_orders", headers={"Authorization": f"Bearer {api_key}"}
        )
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            assert response.status == 200
        _, stderr = child.communicate("", timeout=WAIT)  # its stdin closes: it stops serving and exits
    finally:
        for connection in held:
            connection.close()
        child.kill()
        child.communicate(timeout=WAIT)
    assert child.returncode == 0, stderr
    assert "Traceback" not in stderr
    warnings = [line for line in stderr.splitlines() if "file descriptors" in line]
    assert warnings == ["the sandbox is out of file descriptors; new connections wait for some to close"]


class Exhausted(socket.socket):
    """A listening socket whose accept() fails with ``error`` while it is set, as the kernel's does when
    the process has no descriptor free; ``failed`` is set at each failure."""

    error: int | None = None
    failed: asyncio.Event

    def accept(self) -> tuple[socket.socket, Any]:
        if self.error is not None:
            self.failed.set()
            raise OSError(self.error, os.strerror(self.error))
        return super().accept()

    async def failures(self, count: int) -> None:
        for _ in range(count):
            self.failed.clear()
            await within(self.failed.wait())


class Hello(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(b"hello")
        transport.close()


@pytest.mark.parametrize(
    ("error", "warning"),
    [
        (errno.EMFILE, "the sandbox is out of file descriptors; new connections wait for some to close"),
        (
            errno.ENOBUFS,
            f"the sandbox cannot accept connections ({OSError(errno.ENOBUFS, os.strerror(errno.ENOBUFS))}); "
            "they wait until it can",
        ),
    ],
)
async def test_the_listener_retries_accept_while_it_fails_warns_once_and_closes_quietly(
    error: int, warning: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_server, "ACCEPT_RETRY_DELAY", 0.02)
    with Exhausted(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        sock.failed, sock.error = asyncio.Event(), error
        listener = _server._Listener(sock, Hello)
        reader, writer = await within(asyncio.open_connection(*sock.getsockname()))
        await sock.failures(5)  # it retries, once each time
        sock.error = None
        assert await within(reader.read()) == b"hello"  # accepted once it can be
        await hang_up(writer)

        sock.error = error
        _, writer = await within(asyncio.open_connection(*sock.getsockname()))
        await sock.failures(1)
        listener.close()  # while a retry is pending, which must not find the socket closed
        await asyncio.sleep(5 * _server.ACCEPT_RETRY_DELAY)
        await hang_up(writer)
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [("WARNING", warning)]
