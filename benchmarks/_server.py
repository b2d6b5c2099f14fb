"""The server every scenario talks to: the sandbox's documents, served fast, from a process of its own.

`python -m benchmarks._server` prints its base URL and serves until its stdin closes. It answers
`GET /v2/inexplicit_number_orders/{id}` with one order and `GET /v2/inexplicit_number_orders?page_number=N`
with page N of a listing of 400 pages of 250 orders (each page's ids distinct), from documents built by
the sandbox's own seeding code and encoded once. It is a bare asyncio protocol rather than the sandbox's
aiohttp.web app so that the server, on its own core, is never what limits a client's throughput.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from telnyx_orders.testing import Sandbox

API_KEY = "bench-key"
LIST_PAGES = 400
PAGE_SIZE = 250
_PAGE_MARK = "PAGE-MARK"


@dataclass(frozen=True)
class Documents:
    """What the server serves, as the bytes of each body."""

    order_id: str
    retrieve: bytes
    """`{"data": order}`: one inexplicit order with an ordering group and its links."""
    page_template: bytes
    """A listing page of PAGE_SIZE orders; `PAGE-MARK` stands for the page number in ids and meta."""

    def page(self, number: int) -> bytes:
        return self.page_template.replace(_PAGE_MARK.encode(), str(number).encode())


def documents() -> Documents:
    sandbox = Sandbox()  # only its seeding: documents are built without serving them
    order = sandbox.add_inexplicit_number_order()
    orders = []
    for index in range(PAGE_SIZE):
        listed = sandbox.add_inexplicit_number_order()
        listed["id"] = f"{_PAGE_MARK}-{index:04d}-{listed['id'][14:]}"
        orders.append(listed)
    meta = {"page_number": _PAGE_MARK, "page_size": PAGE_SIZE, "total_pages": LIST_PAGES}
    page = json.dumps({"data": orders, "meta": {**meta, "total_results": LIST_PAGES * PAGE_SIZE}})
    page = page.replace(f'"{_PAGE_MARK}"', _PAGE_MARK)  # the page number is a JSON integer
    return Documents(order["id"], json.dumps({"data": order}).encode(), page.encode())


SEARCH_RESULTS = 1_000


def search_body(count: int = SEARCH_RESULTS) -> bytes:
    """`GET /available_phone_numbers` answering `count` numbers, each shaped as the spec's example
    (features, region and cost information), with numbers, features and costs that vary."""
    features = (["sms", "voice"], ["voice"], ["sms", "mms", "voice", "fax"], ["voice", "emergency"])
    numbers = [
        {
            "record_type": "available_phone_number",
            "phone_number": f"+1970555{index:04d}",
            "vanity_format": "",
            "best_effort": index % 10 == 0,
            "quickship": index % 2 == 0,
            "reservable": index % 3 != 0,
            "region_information": [
                {"region_name": "US", "region_type": "country_code"},
                {"region_name": "CO", "region_type": "state"},
                {"region_name": "FORT COLLINS", "region_type": "rate_center"},
            ],
            "cost_information": {
                "upfront_cost": f"{index % 7}.00",
                "monthly_cost": f"1.{index % 100:02d}",
                "currency": "USD",
            },
            "features": [{"name": name} for name in features[index % len(features)]],
        }
        for index in range(count)
    ]
    meta = {"total_results": count, "best_effort_results": count // 10}
    return json.dumps({"data": numbers, "meta": meta, "metadata": meta}).encode()


def _response(status: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


class _Protocol(asyncio.Protocol):
    def __init__(self, docs: Documents, retrieve: bytes) -> None:
        self._docs = docs
        self._retrieve = retrieve
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while b"\r\n\r\n" in self._buffer:  # requests are GETs: a head and no body
            head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
            target = head.split(b" ", 2)[1].decode()
            assert self._transport is not None
            self._transport.write(self._answer(target))

    def _answer(self, target: str) -> bytes:
        parts = urlsplit(target)
        if parts.path == "/v2/inexplicit_number_orders":
            number = int(parse_qs(parts.query).get("page_number", ["1"])[0])
            return _response("200 OK", self._docs.page(number))
        if parts.path.startswith("/v2/inexplicit_number_orders/"):
            return self._retrieve
        return _response("404 Not Found", b'{"errors": [{"code": "10005", "title": "Resource not found"}]}')


async def _serve() -> None:
    docs = documents()
    retrieve = _response("200 OK", docs.retrieve)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Protocol(docs, retrieve), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}/v2 {docs.order_id}", flush=True)
    async with server:
        await loop.run_in_executor(None, sys.stdin.read)  # serve until the parent closes stdin


@dataclass(frozen=True)
class Server:
    base_url: str
    order_id: str
    api_key: str = API_KEY


@contextlib.contextmanager
def running_server() -> Iterator[Server]:
    """Start the server in a new process; stop it on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks._server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        base_url, order_id = process.stdout.readline().split()
        yield Server(base_url, order_id)
    finally:
        process.stdin.close()
        process.wait(10)


if __name__ == "__main__":
    asyncio.run(_serve())
