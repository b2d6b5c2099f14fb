"""A sandbox with a ``webhook_url`` POSTs a signed ``number_order.complete`` event as each number order ends.

Every test runs a real aiohttp receiver on 127.0.0.1 and counts what reaches it; nothing sleeps to let
deliveries settle: each wait is for a number of events, bounded in time.
"""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import logging
import subprocess
import sys
import urllib.parse
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from jsonschema import Draft202012Validator

from telnyx_orders import AsyncTelnyx, WebhookVerificationError
from telnyx_orders.testing import (
    RemoteSandbox,
    Sandbox,
    WebhookCollector,
    WebhookDelivery,
    WebhookDeliveryLog,
)

from .test_sandbox_spec import FORMATS, REGISTRY, SPEC, SPEC_URI

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

ROOT = Path(__file__).resolve().parents[1]
WAIT = 10.0
"""The longest any test waits for the events it expects, in seconds."""
EVENT_SCHEMA = SPEC["webhooks"]["numberOrderStatusUpdate"]["post"]["requestBody"]["content"][
    "application/json"
]["schema"]["$ref"]
EVENT = Draft202012Validator({"$ref": f"{SPEC_URI}{EVENT_SCHEMA}"}, registry=REGISTRY, format_checker=FORMATS)
"""The spec's webhook body, every object closed to undeclared keys, as tests/test_sandbox_spec.py reads it."""


class Receiver:
    """A webhook receiver on 127.0.0.1: answers each POST with the next scripted status (then 200), or
    never answers while ``hang`` is set, and keeps every request it got."""

    def __init__(self, statuses: list[int] | None = None, *, hang: bool = False) -> None:
        self.statuses = list(statuses or [])
        self.hang = hang
        self.received: list[tuple[dict[str, str], bytes]] = []
        self._arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/webhooks", self._receive)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/webhooks"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        async with self._arrived:
            self.received.append(({name.lower(): value for name, value in request.headers.items()}, body))
            self._arrived.notify_all()
        if self.hang:
            await asyncio.Event().wait()
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def wait_for(self, count: int) -> list[dict[str, Any]]:
        """The bodies of the first ``count`` requests, once that many arrived (``TimeoutError`` past WAIT)."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.received) >= count), WAIT)
        return [json.loads(body) for _, body in self.received[:count]]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with Receiver() as running:
        yield running


def verify(public_key: str, headers: dict[str, str], body: bytes) -> None:
    """Check a delivery's signature as Telnyx documents it; ``InvalidSignature`` if it does not hold."""
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    signed = headers["telnyx-timestamp"].encode() + b"|" + body
    key.verify(base64.b64decode(headers["telnyx-signature-ed25519"]), signed)


async def wait_for_deliveries(sandbox: Sandbox, count: int) -> list[WebhookDelivery]:
    """The first ``count`` recorded attempts, waiting for the ones still under way (bounded)."""
    recorded = await asyncio.to_thread(sandbox.webhook_deliveries.wait, count, timeout=WAIT)
    return recorded[:count]


async def test_each_number_order_that_ends_is_posted_once_as_the_spec_s_signed_event(
    receiver: Receiver,
) -> None:
    async with (
        Sandbox(webhook_url=receiver.url, lifecycle_step=0.01) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        first = (await client.number_orders.create(phone_numbers=["+19705550101"])).data
        second = (await client.number_orders.create(phone_numbers=["+19705550102", "+19705550103"])).data
        events = await receiver.wait_for(2)
        key = sandbox.webhook_public_key
        # The orders finished without another request to see them.
        assert [request.operation for request in sandbox.requests] == ["CreateNumberOrder"] * 2

    assert key is not None
    assert len(base64.b64decode(key)) == 32
    assert sorted(event["data"]["payload"]["id"] for event in events) == sorted([first.id, second.id])
    for event, (headers, body) in zip(events, receiver.received, strict=True):
        assert list(EVENT.iter_errors(event)) == []
        data = event["data"]
        assert (data["event_type"], data["record_type"]) == ("number_order.complete", "event")
        assert event["meta"] == {"attempt": 1, "delivered_to": receiver.url}
        assert data["payload"]["status"] == "success"
        assert data["occurred_at"] == data["payload"]["updated_at"]
        assert {number["status"] for number in data["payload"]["phone_numbers"]} == {"success"}
        assert headers["content-type"] == "application/json"
        verify(key, headers, body)
    numbers = {event["data"]["payload"]["id"]: event["data"]["payload"]["phone_numbers"] for event in events}
    assert [number["phone_number"] for number in numbers[second.id]] == ["+19705550102", "+19705550103"]
    assert len({event["data"]["id"] for event in events}) == 2


async def test_the_signature_covers_the_body_and_the_timestamp(receiver: Receiver) -> None:
    async with (
        Sandbox(webhook_url=receiver.url, lifecycle_step=0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        await client.number_orders.create(phone_numbers=["+19705550104"])
        await receiver.wait_for(1)
        key = sandbox.webhook_public_key
        other_key = Sandbox(webhook_url=receiver.url).webhook_public_key

    assert key is not None
    assert other_key is not None
    [(headers, body)] = receiver.received
    verify(key, headers, body)
    with pytest.raises(InvalidSignature):
        verify(key, headers, body.replace(b'"attempt": 1', b'"attempt": 2'))
    with pytest.raises(InvalidSignature):
        verify(key, {**headers, "telnyx-timestamp": str(int(headers["telnyx-timestamp"]) + 1)}, body)
    with pytest.raises(InvalidSignature):
        verify(other_key, headers, body)  # every sandbox makes a key pair of its own


async def test_an_inexplicit_order_sends_the_event_of_the_number_order_it_placed(receiver: Receiver) -> None:
    async with (
        Sandbox(webhook_url=receiver.url, lifecycle_step=0.01) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        order = (
            await client.inexplicit_number_orders.create(
                ordering_groups=[{"country_iso": "US", "phone_number_type": "local", "count_requested": 2}]
            )
        ).data
        [event] = await receiver.wait_for(1)
        [group] = (await client.inexplicit_number_orders.retrieve(order.id)).data.ordering_groups or []

    [link] = group.orders or []
    payload = event["data"]["payload"]
    assert payload["id"] == link.number_order_id
    assert (payload["status"], payload["phone_numbers_count"]) == ("success", 2)
    assert len(payload["phone_numbers"]) == 2


async def test_an_order_waiting_for_requirements_sends_its_event_once_they_are_given(
    receiver: Receiver,
) -> None:
    async with (
        Sandbox(webhook_url=receiver.url, lifecycle_step=0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        created = (await client.number_orders.create(phone_numbers=["+4930901850"])).data
        waiting = (await client.number_orders.retrieve(created.id)).data  # its lifecycle is over by now
        assert (waiting.status, waiting.requirements_met) == ("pending", False)
        values = [
            {"requirement_id": item.requirement_id, "field_value": "Alexanderplatz 1, Berlin"}
            for item in (waiting.phone_numbers or [])[0].regulatory_requirements or []
        ]
        done = (await client.number_orders.update(created.id, regulatory_requirements=values)).data
        [event] = await receiver.wait_for(1)

    payload = event["data"]["payload"]
    assert (payload["id"], payload["status"], payload["requirements_met"]) == (created.id, "success", True)
    assert done.updated_at is not None
    assert event["data"]["occurred_at"] == payload["updated_at"]


async def test_an_order_whose_every_sub_order_was_cancelled_sends_a_failure(receiver: Receiver) -> None:
    async with (
        Sandbox(webhook_url=receiver.url, lifecycle_step=0.05) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        created = (await client.number_orders.create(phone_numbers=["+4930901851"])).data
        [sub_id] = created.sub_number_orders_ids or []
        await client.sub_number_orders.cancel(sub_id)
        [event] = await receiver.wait_for(1)

    payload = event["data"]["payload"]
    assert (payload["id"], payload["status"]) == (created.id, "failure")
    assert list(EVENT.iter_errors(event)) == []


async def test_a_failing_receiver_gets_the_same_event_again_with_the_attempt_counted() -> None:
    async with (
        Receiver([500, 503]) as receiver,
        Sandbox(webhook_url=receiver.url, lifecycle_step=0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        await client.number_orders.create(phone_numbers=["+19705550105"])
        events = await receiver.wait_for(3)
        deliveries = await wait_for_deliveries(sandbox, 3)
        key = sandbox.webhook_public_key

    assert [event["meta"]["attempt"] for event in events] == [1, 2, 3]
    assert len({event["data"]["id"] for event in events}) == 1
    assert [event["data"] for event in events] == [events[0]["data"]] * 3
    assert [(d.attempt, d.status, d.delivered, d.will_retry) for d in deliveries] == [
        (1, 500, False, True),
        (2, 503, False, True),
        (3, 200, True, False),
    ]
    assert {d.event_id for d in deliveries} == {events[0]["data"]["id"]}
    assert [d.json() for d in deliveries] == events
    assert key is not None
    for headers, body in receiver.received:  # each attempt is signed anew, over its own body
        verify(key, headers, body)


async def test_a_receiver_that_always_fails_gets_five_attempts_then_none() -> None:
    async with (
        Receiver([500] * 10) as receiver,
        Sandbox(webhook_url=receiver.url, lifecycle_step=0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        await client.number_orders.create(phone_numbers=["+19705550106"])
        deliveries = await wait_for_deliveries(sandbox, 5)

    assert [(d.attempt, d.status, d.will_retry) for d in deliveries] == [
        (1, 500, True),
        (2, 500, True),
        (3, 500, True),
        (4, 500, True),
        (5, 500, False),
    ]
    assert len(receiver.received) == len(sandbox.webhook_deliveries) == 5


async def test_a_receiver_that_is_not_listening_is_retried_as_a_connection_error() -> None:
    async with Receiver() as gone:
        url = gone.url  # nothing listens there once it has stopped
    async with (
        Sandbox(webhook_url=url, lifecycle_step=0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        await client.number_orders.create(phone_numbers=["+19705550107"])
        first, second = await wait_for_deliveries(sandbox, 2)

    assert (first.attempt, first.status, first.will_retry, second.attempt) == (1, None, True, 2)
    assert first.error


@pytest.mark.parametrize("receiver_kind", ["hangs", "fails"])
async def test_closing_the_sandbox_cancels_pending_deliveries_cleanly(
    receiver_kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="asyncio")
    async with Receiver([500] * 10, hang=receiver_kind == "hangs") as receiver:
        sandbox = Sandbox(webhook_url=receiver.url, lifecycle_step=0)
        async with sandbox, AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
            await client.number_orders.create(phone_numbers=["+19705550108"])
            await receiver.wait_for(1)
        received = len(receiver.received)
        recorded = len(sandbox.webhook_deliveries)

    assert received == 1  # closed in the middle: never the five attempts
    assert recorded == (0 if receiver_kind == "hangs" else 1)
    assert [record.getMessage() for record in caplog.records if record.name == "asyncio"] == []


async def test_reset_forgets_the_deliveries_and_cancels_those_pending() -> None:
    async with (
        Receiver([500] * 10) as receiver,
        Sandbox(webhook_url=receiver.url, lifecycle_step=0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        await client.number_orders.create(phone_numbers=["+19705550109"])
        await wait_for_deliveries(sandbox, 1)
        sandbox.reset()
        assert sandbox.webhook_deliveries == []
        receiver.statuses.clear()  # the receiver works again: only a new order's event reaches it
        order = (await client.number_orders.create(phone_numbers=["+19705550110"])).data
        [delivery] = await wait_for_deliveries(sandbox, 1)

    assert (delivery.json()["data"]["payload"]["id"], delivery.attempt, delivery.status) == (order.id, 1, 200)


async def test_a_remote_sandbox_gives_the_same_public_key(receiver: Receiver) -> None:
    async with Sandbox(webhook_url=receiver.url) as sandbox, Sandbox() as without:
        remote = await asyncio.to_thread(RemoteSandbox, sandbox.base_url, sandbox.api_key)
        key = await asyncio.to_thread(lambda: remote.webhook_public_key)
        none = await asyncio.to_thread(lambda: RemoteSandbox(without.base_url).webhook_public_key)

    assert key == sandbox.webhook_public_key
    assert (none, without.webhook_public_key, without.webhook_url) == (None, None, None)
    assert without.webhook_deliveries == []


async def test_a_remote_sandbox_waits_for_and_reads_the_same_deliveries() -> None:
    async with (
        Receiver([502]) as receiver,
        Sandbox(webhook_url=receiver.url, lifecycle_step=0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        remote = RemoteSandbox(sandbox.base_url, sandbox.api_key)
        await client.number_orders.create(phone_numbers=["+19705550111"])
        waited = await asyncio.to_thread(remote.webhook_deliveries.wait, 2, timeout=WAIT)
        read = await asyncio.to_thread(remote.webhook_deliveries.snapshot)
        recorded = await asyncio.to_thread(lambda: remote.webhook_deliveries.recorded)
        local = sandbox.webhook_deliveries.snapshot()
        with pytest.raises(TimeoutError, match=r"^2 webhook delivery attempts recorded in 0.05 s, not 3$"):
            await asyncio.to_thread(remote.webhook_deliveries.wait, 3, timeout=0.05)
        await asyncio.to_thread(remote.webhook_deliveries.clear)
        local_after_clear = sandbox.webhook_deliveries.snapshot()

    assert waited == read == local != []
    assert [(d.attempt, d.status) for d in read] == [(1, 502), (2, 200)]
    assert read[0].body == receiver.received[0][1]
    assert recorded == 2
    assert local_after_clear == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://10.0.0.8/webhooks", "the sandbox only sends webhooks to loopback addresses, got "),
        ("http://[2001:db8::1]:8080/", "the sandbox only sends webhooks to loopback addresses, got "),
        ("http://example.com/webhooks", "webhook_url must name a literal loopback address such as "),
        ("http://localhost:8080/webhooks", "webhook_url must name a literal loopback address such as "),
        ("ftp://127.0.0.1/webhooks", "webhook_url must be an http(s) URL such as "),
        ("127.0.0.1:8080", "webhook_url must be an http(s) URL such as "),
        ("http://127.0.0.1:99999/", "webhook_url must be an http(s) URL such as "),
        (b"http://127.0.0.1/", "webhook_url must be a URL string such as "),
    ],
)
def test_a_webhook_url_off_this_machine_is_refused(url: Any, message: str) -> None:
    with pytest.raises(ValueError, match=r"^" + message.replace("(", r"\(").replace(")", r"\)")):
        Sandbox(webhook_url=url)


async def test_ipv6_loopback_and_https_urls_are_accepted() -> None:
    assert Sandbox(webhook_url="http://[::1]:8080/webhooks").webhook_url == "http://[::1]:8080/webhooks"
    assert Sandbox(webhook_url="https://127.0.0.2/x").webhook_public_key is not None


WITHOUT_CRYPTOGRAPHY = "import sys; sys.modules['cryptography'] = None\n"
"""Run first in a child Python: every import of cryptography then fails, as if it were not installed."""


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_CRYPTOGRAPHY + code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )


def test_without_cryptography_a_webhook_url_names_the_extra_to_install() -> None:
    result = _python(
        "from telnyx_orders.testing import Sandbox\n"
        "assert Sandbox().webhook_public_key is None  # a sandbox without webhooks needs no cryptography\n"
        "try:\n"
        "    Sandbox(webhook_url='http://127.0.0.1:8080/webhooks')\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "a sandbox with a webhook_url signs its events with the cryptography package: "
        "pip install 'telnyx-orders[webhooks]'\n"
    )


def test_waiting_for_deliveries_is_bounded_and_says_how_many_came() -> None:
    log = WebhookDeliveryLog()
    with pytest.raises(TimeoutError, match=r"^0 webhook delivery attempts recorded in 0.01 s, not 1$"):
        log.wait(1, timeout=0.01)
    assert log.wait(0, timeout=0.01) == []


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("count=two", "count must be an integer and timeout a number of seconds."),
        ("count=1&timeout=61", "count must be >= 0 and timeout from 0 to 60 seconds."),
        ("count=-1", "count must be >= 0 and timeout from 0 to 60 seconds."),
        ("timeout=1", "timeout is given only with count."),
        ("limit=1", "unknown parameter 'limit'; expected one of: count, timeout."),
    ],
)
async def test_the_control_api_refuses_a_wait_it_cannot_bound(query: str, detail: str) -> None:
    async with Sandbox() as sandbox, aiohttp.ClientSession() as http:
        root = sandbox.base_url.removesuffix("/v2")
        headers = {"Authorization": f"Bearer {sandbox.api_key}"}
        async with http.get(f"{root}/_sandbox/webhooks/deliveries?{query}", headers=headers) as response:
            status, body = response.status, await response.json()

    assert (status, body["errors"][0]["detail"]) == (400, detail)


async def test_with_a_fake_clock_the_event_is_sent_when_the_test_moves_the_clock(receiver: Receiver) -> None:
    now = [0.0]
    async with (
        Sandbox(webhook_url=receiver.url, lifecycle_step=1.0, clock=lambda: now[0]) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        created = (await client.number_orders.create(phone_numbers=["+19705550113"])).data
        now[0] = 2.0  # two steps: the order is final as of the next look at the clock
        seen = (await client.number_orders.retrieve(created.id)).data
        [event] = await receiver.wait_for(1)

    assert seen.status == "success"
    assert created.created_at is not None
    occurred_at = datetime.fromisoformat(event["data"]["occurred_at"].replace("Z", "+00:00"))
    assert occurred_at == created.created_at + timedelta(seconds=2)


def test_the_delivery_log_keeps_the_newest_attempts_and_finds_those_of_one_event() -> None:
    log = WebhookDeliveryLog(limit=2)
    attempts = [
        WebhookDelivery(event_id, attempt, 500, None, {}, b"{}", will_retry=True)
        for event_id, attempt in [("a", 1), ("b", 1), ("a", 2)]
    ]
    for delivery in attempts:
        log.record(delivery)

    assert (log.limit, log.recorded, len(log)) == (2, 3, 2)
    assert log == attempts[1:]
    assert log.of("a") == [attempts[2]]
    assert log[-1] is attempts[2]
    assert log != "not a sequence of deliveries"
    assert repr(log) == "<WebhookDeliveryLog of 2 attempts, limit 2>"
    log.clear()
    assert (log.recorded, log.snapshot()) == (0, [])
    with pytest.raises(ValueError, match=r"^the delivery log limit must be a positive integer, got 0$"):
        WebhookDeliveryLog(limit=0)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=WAIT)
    try:
        connection.request("POST", parts.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_the_collector_answers_400_to_what_fails_verification_and_keeps_why() -> None:
    with WebhookCollector() as collector:
        assert collector.url == collector.sandbox.webhook_url
        with pytest.raises(RuntimeError, match=r"^the webhook collector is already running$"):
            collector.start()
        forged = {"telnyx-timestamp": "1", "telnyx-signature-ed25519": "bm90IGEgc2lnbmF0dXJl"}
        assert _post(collector.url, b'{"data": {}}', forged) == 400
        assert _post(collector.url, b"", {"Content-Length": str(2 * 1024 * 1024)}) == 413
        with pytest.raises(
            TimeoutError, match=r"^0 webhook events arrived in 0.05 s, not 1; 1 failed verification$"
        ):
            collector.wait(1, timeout=0.05)
        [rejected] = collector.rejected

    assert isinstance(rejected, WebhookVerificationError)
    assert collector.events == []
