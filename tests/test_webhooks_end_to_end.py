"""End to end on loopback: create -> the sandbox's signed event -> the receiver -> the user's coroutine.

The sandbox (`Sandbox(webhook_url=...)`) signs each `number_order.complete` event with a key of its own and
retries while the receiver fails; the receiver is `telnyx_orders.webhooks` on a real aiohttp server, verifying
with `sandbox.webhook_public_key` given to the async client. Waits are for counted events, bounded in time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from telnyx_orders import AsyncTelnyx
from telnyx_orders.testing import Sandbox, WebhookDelivery
from telnyx_orders.types import NumberOrderWebhookEvent
from telnyx_orders.webhooks import OrderEvents, WebhookRequestHandler, webhook_handler

from .test_webhook_receiver import Events, post
from .test_webhooks import Signer

WAIT = 10.0


class Clock:
    """The receiver's clock: the real time, moved by `offset` seconds."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class Receiving:
    """A loopback port serving `POST /webhooks` with `handler`, set once the sandbox (and its key) exists:
    the sandbox needs the receiver's URL first."""

    def __init__(self) -> None:
        self.handler: WebhookRequestHandler | None = None
        self.url = ""

    async def _handle(self, request: web.Request) -> web.Response:
        assert self.handler is not None
        return await self.handler(request)

    @asynccontextmanager
    async def serve(self) -> AsyncIterator[Receiving]:
        app = web.Application()
        app.router.add_post("/webhooks", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{runner.addresses[0][1]}/webhooks"
        try:
            yield self
        finally:
            await runner.cleanup()


async def deliveries(sandbox: Sandbox, count: int) -> list[WebhookDelivery]:
    return (await asyncio.to_thread(sandbox.webhook_deliveries.wait, count, timeout=WAIT))[:count]


@asynccontextmanager
async def wired(
    on_event: Events | None = None, *, key: str | None = None, clock: Clock | None = None
) -> AsyncIterator[tuple[Sandbox, AsyncTelnyx, OrderEvents, Events]]:
    """A sandbox sending to a receiver that verifies with the sandbox's key (or `key`) and records events."""
    events = on_event or Events()
    receiving = Receiving()
    async with receiving.serve(), Sandbox(webhook_url=receiving.url, lifecycle_step=0.01) as sandbox:
        client = AsyncTelnyx(
            sandbox.api_key, base_url=sandbox.base_url, public_key=key or sandbox.webhook_public_key
        )
        async with client:
            hub = OrderEvents(client)

            async def both(event: NumberOrderWebhookEvent) -> None:
                await events(event)
                await hub.handle(event)

            receiving.handler = webhook_handler(client, both, clock=clock or Clock())
            yield sandbox, client, hub, events


async def test_an_order_s_event_reaches_the_coroutine_and_the_wait_makes_no_poll() -> None:
    async with wired() as (sandbox, client, hub, events):
        created = (await client.number_orders.create(phone_numbers=["+19705550101", "+19705550102"])).data
        assert created is not None
        assert created.id is not None
        assert created.status == "pending"

        final = await hub.wait_for_number_order(created.id, timeout=WAIT, poll_after=WAIT)
        (delivery,) = await deliveries(sandbox, 1)

        assert final.id == created.id
        assert final.status == "success"
        assert sorted(number.phone_number or "" for number in final.phone_numbers or ()) == [
            "+19705550101",
            "+19705550102",
        ]
        assert [request.operation for request in sandbox.requests] == ["CreateNumberOrder"]
        assert sandbox.requests_to("RetrieveNumberOrder") == []
        assert (delivery.status, delivery.attempt) == (200, 1)
        (event,) = events.received
        assert event.data.event_type == "number_order.complete"
        assert event.data.id == delivery.event_id
        assert event.meta.delivered_to == sandbox.webhook_url
        assert event.data.occurred_at.tzinfo is not None


async def test_a_coroutine_that_fails_gets_the_event_again_and_the_attempt_counts() -> None:
    async with wired(Events(failures=2)) as (sandbox, client, hub, events):
        created = (await client.number_orders.create(phone_numbers=["+19705550101"])).data
        assert created is not None
        assert created.id is not None

        final = await hub.wait_for_number_order(created.id, timeout=WAIT, poll_after=WAIT)
        attempts = await deliveries(sandbox, 3)

    assert final.status == "success"
    assert [(attempt.attempt, attempt.status) for attempt in attempts] == [(1, 500), (2, 500), (3, 200)]
    assert [event.meta.attempt for event in events.received] == [1, 2, 3]
    assert len({event.data.id for event in events.received}) == 1
    assert sandbox.requests_to("RetrieveNumberOrder") == []


async def test_when_events_are_lost_the_wait_falls_back_to_polling() -> None:
    # The receiver verifies with another key than the sandbox signs with: every delivery is refused.
    async with wired(key=Signer().public_key) as (sandbox, client, hub, events):
        created = (await client.number_orders.create(phone_numbers=["+19705550101"])).data
        assert created is not None
        assert created.id is not None

        final = await hub.wait_for_number_order(created.id, timeout=WAIT, poll_after=0.05, poll_interval=0.05)
        refused = await deliveries(sandbox, 1)

    assert final.status == "success"
    assert len(sandbox.requests_to("RetrieveNumberOrder")) >= 1
    assert refused[0].status == 401
    assert events.received == []


async def test_a_tampered_delivery_and_a_replay_outside_the_window_are_refused() -> None:
    clock = Clock()
    async with wired(clock=clock) as (sandbox, client, _hub, events):
        created = (await client.number_orders.create(phone_numbers=["+19705550101"])).data
        assert created is not None
        (delivery,) = await deliveries(sandbox, 1)
        url = sandbox.webhook_url
        assert url is not None

        tampered = await post(url, delivery.body.replace(b'"success"', b'"failure"'), delivery.headers)
        clock.offset = 301.0
        replayed = await post(url, delivery.body, delivery.headers)
        clock.offset = 0.0
        redelivered = await post(url, delivery.body, delivery.headers)

    assert tampered[0] == 401
    assert "signature does not match" in tampered[1]
    assert replayed[0] == 401
    assert "more than 300 s" in replayed[1]
    assert redelivered[0] == 200  # inside the window a replay verifies: deduplicate on data.id
    assert [event.data.id for event in events.received] == [delivery.event_id] * 2
