"""`telnyx_orders.webhooks`: the aiohttp receiver (verify, parse, await the user's coroutine, then answer)
and `OrderEvents`, which waits for a number order by its event and polls only when none comes in time.

Every receiver is a real aiohttp server on 127.0.0.1; events are signed by keys made in the test.
"""

from __future__ import annotations

import ast
import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from telnyx_orders import AsyncTelnyx, WaitTimeoutError, WebhookVerificationError
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import NumberOrderWebhookEvent
from telnyx_orders.webhooks import DEFAULT_MAX_BODY_BYTES, OrderEvents, create_webhook_app, webhook_handler

from .test_webhooks import BODY, SIGNED_AT, Signer, event_document

WAIT = 10.0
"""The longest any test waits for something it expects, in seconds."""


class Events:
    """An `on_event` coroutine that keeps what it was given, and fails while `failures` is above zero."""

    def __init__(self, failures: int = 0) -> None:
        self.received: list[NumberOrderWebhookEvent] = []
        self.failures = failures

    async def __call__(self, event: NumberOrderWebhookEvent) -> None:
        self.received.append(event)
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the database is down")


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on a free loopback port; yields its base URL."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def post(url: str, body: bytes | Any, headers: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as response:
        return response.status, await response.text()


@pytest.fixture
def signer() -> Signer:
    return Signer()


def at_signing_time() -> float:
    return SIGNED_AT


class TestTheReceiver:
    async def test_a_signed_event_reaches_the_coroutine_then_is_answered_200(self, signer: Signer) -> None:
        events = Events()
        app = create_webhook_app(signer.public_key, events, clock=at_signing_time)

        async with serving(app) as url:
            status, text = await post(f"{url}/webhooks", BODY, signer.headers(BODY))

        assert (status, text) == (200, "ok\n")
        assert [event.data.id for event in events.received] == ["d578b093-a0e7-4b64-b0d3-6b689a6ff170"]
        assert events.received[0].data.payload.status == "success"

    async def test_the_answer_waits_for_the_coroutine(self, signer: Signer) -> None:
        entered, release = asyncio.Event(), asyncio.Event()

        async def slow(event: NumberOrderWebhookEvent) -> None:
            entered.set()
            await release.wait()

        async with serving(create_webhook_app(signer.public_key, slow, clock=at_signing_time)) as url:
            answer = asyncio.create_task(post(f"{url}/webhooks", BODY, signer.headers(BODY)))
            await asyncio.wait_for(entered.wait(), WAIT)
            answered_before_release = answer.done()
            release.set()
            status, _ = await asyncio.wait_for(answer, WAIT)

        assert not answered_before_release
        assert status == 200

    async def test_a_coroutine_that_raises_is_answered_500_and_logged(
        self, signer: Signer, caplog: pytest.LogCaptureFixture
    ) -> None:
        events = Events(failures=1)
        app = create_webhook_app(signer.public_key, events, clock=at_signing_time)

        async with serving(app) as url:
            with caplog.at_level(logging.ERROR, logger="telnyx_orders.webhooks"):
                first = await post(f"{url}/webhooks", BODY, signer.headers(BODY))
            second = await post(f"{url}/webhooks", BODY, signer.headers(BODY))

        assert first == (500, "the event was not handled; send it again\n")
        assert second == (200, "ok\n")
        assert len(events.received) == 2
        (record,) = caplog.records
        assert "raised on event d578b093-a0e7-4b64-b0d3-6b689a6ff170 (attempt 1)" in record.getMessage()
        assert record.exc_info is not None
        assert "the database is down" not in first[1]  # the traceback stays in the log

    @pytest.mark.parametrize(
        ("case", "answer"),
        [
            ("tampered body", (401, "signature does not match")),
            ("another key", (401, "another key")),
            ("no signature header", (401, "no telnyx-signature-ed25519 header")),
            ("signed, but not an event", (400, "not a number-order event")),
        ],
    )
    async def test_what_fails_verification_never_reaches_the_coroutine(
        self, signer: Signer, case: str, answer: tuple[int, str]
    ) -> None:
        events = Events()
        body, headers = BODY, signer.headers(BODY)
        if case == "tampered body":
            body = BODY.replace(b'"success"', b'"failure"')
        elif case == "another key":
            headers = Signer().headers(BODY)
        elif case == "no signature header":
            del headers["telnyx-signature-ed25519"]
        else:
            body = json.dumps({"data": {"event_type": "number_order.complete"}}).encode()
            headers = signer.headers(body)

        async with serving(create_webhook_app(signer.public_key, events, clock=at_signing_time)) as url:
            status, text = await post(f"{url}/webhooks", body, headers)

        assert status == answer[0]
        assert answer[1] in text
        assert events.received == []

    async def test_the_clock_seam_decides_the_replay_window(self, signer: Signer) -> None:
        now = [SIGNED_AT + 300]
        events = Events()
        app = create_webhook_app(signer.public_key, events, clock=lambda: now[0])

        async with serving(app) as url:
            inside = await post(f"{url}/webhooks", BODY, signer.headers(BODY))
            now[0] = SIGNED_AT + 301
            replayed = await post(f"{url}/webhooks", BODY, signer.headers(BODY))
            now[0] = SIGNED_AT - 301
            early = await post(f"{url}/webhooks", BODY, signer.headers(BODY))

        assert inside[0] == 200
        assert replayed[0] == 401
        assert "signed 301 s ago, more than 300 s" in replayed[1]
        assert early[0] == 401
        assert "in the future" in early[1]
        assert len(events.received) == 1

    async def test_a_body_over_the_cap_is_answered_413_unread(self, signer: Signer) -> None:
        events = Events()
        app = create_webhook_app(
            signer.public_key, events, max_body_bytes=len(BODY) - 1, clock=at_signing_time
        )

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the cap counts what is read
            yield BODY[:100]
            yield BODY[100:]

        async with serving(app) as url:
            declared = await post(f"{url}/webhooks", BODY, signer.headers(BODY))
            streamed = await post(f"{url}/webhooks", chunks(), signer.headers(BODY))

        assert declared == (413, f"the body is over {len(BODY) - 1} bytes\n")
        assert streamed[0] == 413
        assert events.received == []

    async def test_a_body_at_the_cap_is_read(self, signer: Signer) -> None:
        events = Events()
        app = create_webhook_app(signer.public_key, events, max_body_bytes=len(BODY), clock=at_signing_time)

        async with serving(app) as url:
            assert (await post(f"{url}/webhooks", BODY, signer.headers(BODY)))[0] == 200

    async def test_only_post_is_answered(self, signer: Signer) -> None:
        async with (
            serving(create_webhook_app(signer.public_key, Events())) as url,
            aiohttp.ClientSession() as session,
            session.get(f"{url}/webhooks") as response,
        ):
            assert response.status == 405
            assert response.headers["Allow"] == "POST"

    async def test_the_handler_mounts_in_an_app_of_your_own_and_takes_the_clients_key(
        self, signer: Signer
    ) -> None:
        events = Events()
        client = AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2", public_key=signer.public_key)
        app = web.Application()
        app.router.add_post("/telnyx/events", webhook_handler(client, events, clock=at_signing_time))

        async with serving(app) as url:
            assert (await post(f"{url}/telnyx/events", BODY, signer.headers(BODY)))[0] == 200

        assert len(events.received) == 1


class TestTheReceiverRefusesABadSetupAtOnce:
    def test_a_client_without_a_key(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("TELNYX_PUBLIC_KEY", raising=False)
        client = AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2")

        with pytest.raises(WebhookVerificationError, match="no key to verify webhooks with"):
            create_webhook_app(client, Events())

    def test_a_client_whose_environment_key_is_no_key(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TELNYX_PUBLIC_KEY", "nonsense")
        client = AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2")

        with pytest.raises(WebhookVerificationError, match="TELNYX_PUBLIC_KEY environment variable must"):
            webhook_handler(client, Events())

    @pytest.mark.parametrize(
        ("arguments", "error", "problem"),
        [
            ({"verifier": 42}, TypeError, "verifier must be an AsyncTelnyx or a public key"),
            ({"verifier": "c2hvcnQ="}, WebhookVerificationError, "not of 5 bytes"),
            ({"on_event": None}, TypeError, "on_event must be a coroutine function"),
            ({"max_body_bytes": 0}, ValueError, "max_body_bytes must be a positive number of bytes"),
            ({"max_body_bytes": "1"}, TypeError, "max_body_bytes must be an int"),
            ({"clock": 5}, TypeError, "clock must be a function"),
            ({"path": "webhooks"}, ValueError, "path must be an absolute URL path"),
        ],
    )
    def test_arguments_of_the_wrong_kind(
        self, signer: Signer, arguments: dict[str, Any], error: type[Exception], problem: str
    ) -> None:
        given: dict[str, Any] = {"verifier": signer.public_key, "on_event": Events(), **arguments}
        verifier, on_event = given.pop("verifier"), given.pop("on_event")

        with pytest.raises(error, match=problem):
            create_webhook_app(verifier, on_event, **given)

    def test_the_default_cap_is_a_mebibyte(self) -> None:
        assert DEFAULT_MAX_BODY_BYTES == 1024 * 1024


# OrderEvents: waiting by events, polling only as the fallback.


def completed(order: dict[str, Any], status: str = "success") -> NumberOrderWebhookEvent:
    """The event a number order's completion sends, as the receiver hands it over."""
    document = event_document(payload={**order, "status": status})
    return AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2").webhooks.unsafe_unwrap(json.dumps(document))


@pytest.fixture
async def pending_sandbox() -> AsyncIterator[Sandbox]:
    """A sandbox whose orders stay pending (no lifecycle step comes due during a test)."""
    async with Sandbox(lifecycle_step=3600) as running:
        yield running


@pytest.fixture
async def client_of(pending_sandbox: Sandbox) -> AsyncIterator[AsyncTelnyx]:
    async with AsyncTelnyx(pending_sandbox.api_key, base_url=pending_sandbox.base_url) as client:
        yield client


def polls(sandbox: Sandbox) -> int:
    return len(sandbox.requests_to("RetrieveNumberOrder"))


async def create_order(client: AsyncTelnyx) -> dict[str, Any]:
    order = (await client.number_orders.create(phone_numbers=["+19705550101"])).data
    assert order is not None
    assert order.id is not None
    return {"id": order.id, "phone_numbers": [{"phone_number": "+19705550101", "status": "success"}]}


class TestOrderEvents:
    async def test_an_event_ends_the_wait_with_no_poll(
        self, client_of: AsyncTelnyx, pending_sandbox: Sandbox
    ) -> None:
        events = OrderEvents(client_of)
        order = await create_order(client_of)

        waiting = asyncio.create_task(
            events.wait_for_number_order(order["id"], timeout=WAIT, poll_after=WAIT)
        )
        await events.handle(completed(order))
        final = await asyncio.wait_for(waiting, WAIT)

        assert (final.id, final.status) == (order["id"], "success")
        assert polls(pending_sandbox) == 0

    async def test_an_event_before_the_wait_ends_it_at_once(
        self, client_of: AsyncTelnyx, pending_sandbox: Sandbox
    ) -> None:
        events = OrderEvents(client_of)
        order = await create_order(client_of)
        await events.handle(completed(order, "failure"))

        final = await events.wait_for_number_order(order["id"], timeout=WAIT, poll_after=WAIT)

        assert final.status == "failure"
        assert events.finished_number_order(order["id"]) == final
        assert polls(pending_sandbox) == 0

    async def test_without_an_event_it_polls_after_poll_after_until_final(
        self, client_of: AsyncTelnyx, pending_sandbox: Sandbox
    ) -> None:
        events = OrderEvents(client_of)
        order = await create_order(client_of)
        pending_sandbox.lifecycle_step = 0.01  # the order now finishes; no event will tell

        final = await events.wait_for_number_order(
            order["id"], timeout=WAIT, poll_after=0.01, poll_interval=0.01
        )

        assert (final.id, final.status) == (order["id"], "success")
        assert polls(pending_sandbox) >= 1

    async def test_an_event_that_comes_while_polling_ends_the_wait(self, pending_sandbox: Sandbox) -> None:
        polled = asyncio.Event()

        async def on_request_end(*_: object) -> None:
            if polls(pending_sandbox):
                polled.set()

        trace = aiohttp.TraceConfig()
        trace.on_request_end.append(on_request_end)
        async with AsyncTelnyx(
            pending_sandbox.api_key, base_url=pending_sandbox.base_url, trace_configs=[trace]
        ) as client:
            events = OrderEvents(client)
            order = await create_order(client)
            waiting = asyncio.create_task(
                events.wait_for_number_order(order["id"], timeout=WAIT, poll_after=0.01, poll_interval=WAIT)
            )
            await asyncio.wait_for(polled.wait(), WAIT)
            await events.handle(completed(order))
            final = await asyncio.wait_for(waiting, WAIT)

        assert final.status == "success"  # the sandbox still says pending: the event ended the wait
        assert polls(pending_sandbox) == 1

    async def test_an_event_that_comes_during_a_poll_wins_over_its_answer(
        self, pending_sandbox: Sandbox
    ) -> None:
        deliver: list[NumberOrderWebhookEvent] = []

        async def on_request_end(*_: object) -> None:
            while deliver:  # the poll's answer (pending) has arrived, not yet been read: the event first
                await hub.handle(deliver.pop())

        trace = aiohttp.TraceConfig()
        trace.on_request_end.append(on_request_end)
        async with AsyncTelnyx(
            pending_sandbox.api_key, base_url=pending_sandbox.base_url, trace_configs=[trace]
        ) as client:
            hub = OrderEvents(client)
            order = await create_order(client)
            deliver.append(completed(order))
            final = await hub.wait_for_number_order(
                order["id"], timeout=WAIT, poll_after=0.01, poll_interval=WAIT
            )

        assert final.status == "success"
        assert polls(pending_sandbox) == 1

    async def test_a_poll_cut_short_by_the_deadline_is_a_wait_timeout(
        self, client_of: AsyncTelnyx, pending_sandbox: Sandbox
    ) -> None:
        events = OrderEvents(client_of)
        order = await create_order(client_of)
        pending_sandbox.faults.latency(WAIT, operation="RetrieveNumberOrder")

        with pytest.raises(WaitTimeoutError, match="no event came, and no poll answered") as caught:
            await events.wait_for_number_order(order["id"], timeout=0.3, poll_after=0.05)

        assert type(caught.value.__cause__).__name__ == "APITimeoutError"

    async def test_past_the_timeout_it_says_what_it_saw(self, client_of: AsyncTelnyx) -> None:
        events = OrderEvents(client_of)
        order = await create_order(client_of)

        with pytest.raises(
            WaitTimeoutError, match=r"not final after 0\.2 s: no event came, and the last poll said pending"
        ):
            await events.wait_for_number_order(order["id"], timeout=0.2, poll_after=0.05, poll_interval=0.05)

    async def test_a_timeout_before_any_poll_says_so(
        self, client_of: AsyncTelnyx, pending_sandbox: Sandbox
    ) -> None:
        events = OrderEvents(client_of)

        with pytest.raises(WaitTimeoutError, match="no event came, and no poll answered"):
            await events.wait_for_number_order("an-order", timeout=0.05, poll_after=1.0)

        assert polls(pending_sandbox) == 0

    async def test_an_event_that_is_not_final_does_not_end_the_wait(self, client_of: AsyncTelnyx) -> None:
        events = OrderEvents(client_of)
        await events.handle(completed({"id": "an-order"}, "pending"))

        assert events.finished_number_order("an-order") is None

    async def test_two_waits_for_one_order_both_end_with_its_event(self, client_of: AsyncTelnyx) -> None:
        events = OrderEvents(client_of)
        waits = [
            asyncio.create_task(events.wait_for_number_order("an-order", timeout=WAIT, poll_after=WAIT))
            for _ in range(2)
        ]
        await events.handle(completed({"id": "an-order"}))

        assert [order.id for order in await asyncio.wait_for(asyncio.gather(*waits), WAIT)] == [
            "an-order"
        ] * 2

    async def test_it_remembers_the_newest_orders_only(self, client_of: AsyncTelnyx) -> None:
        events = OrderEvents(client_of, remember=2)
        for number in range(3):
            await events.handle(completed({"id": f"order-{number}"}))

        assert events.finished_number_order("order-0") is None
        assert events.finished_number_order("order-2") is not None

    @pytest.mark.parametrize(
        ("arguments", "error"),
        [
            ({"number_order_id": ""}, ValueError),
            ({"number_order_id": 5}, TypeError),
            ({"timeout": 0}, ValueError),
            ({"poll_after": -1}, ValueError),
            ({"poll_interval": float("inf")}, ValueError),
        ],
    )
    async def test_bad_arguments_fail_before_any_request(
        self,
        client_of: AsyncTelnyx,
        pending_sandbox: Sandbox,
        arguments: dict[str, Any],
        error: type[Exception],
    ) -> None:
        given: dict[str, Any] = {"number_order_id": "an-order", **arguments}

        with pytest.raises(error):
            await OrderEvents(client_of).wait_for_number_order(given.pop("number_order_id"), **given)

        assert polls(pending_sandbox) == 0

    def test_it_takes_an_async_client_and_a_positive_memory(self) -> None:
        with pytest.raises(TypeError, match="client must be an AsyncTelnyx"):
            OrderEvents("client")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="remember must be a positive int"):
            OrderEvents(AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2"), remember=0)


def test_the_readmes_fastapi_snippet_is_python_that_unwraps_the_raw_body() -> None:
    # Shown, not run (FastAPI is no test dependency): it must at least be Python, and do what the text says.
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    webhooks = readme[readme.index("\n## Webhooks\n") : readme.index("\n## Going live\n")]
    (snippet,) = re.findall(r"```py\n(.*?)```", webhooks, flags=re.DOTALL)

    ast.parse(snippet)
    assert "body = await request.body()" in snippet
    assert "client.webhooks.unwrap(body, headers=request.headers)" in snippet
    assert "status_code=401" in snippet
