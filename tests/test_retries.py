"""Retries: GETs ride out transient failures; a create is never sent twice unless it surely did not land.

Every test here runs in memory: a `MockTransport` answers from a script, and the retry policy records
its waits instead of sleeping them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import aiohttp
import pytest

from telnyx_orders import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncTelnyx,
    ConflictError,
    HTTPRequest,
    HTTPResponse,
    InternalServerError,
    MockTransport,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
)
from telnyx_orders._retry import Outcome, server_delay

from .conftest import Connect, Script, SleepRecorder, status

ORDER = HTTPResponse(200, "OK", {}, b'{"data": {"id": "order-1"}}')
GROUPS: list[Any] = [{"country_iso": "US", "phone_number_type": "local", "count_requested": 1}]


@pytest.mark.parametrize("code", [408, 409, 429, 500, 502, 503, 504])
async def test_a_get_is_retried_on_transient_statuses_then_succeeds(
    connect: Connect, sleeps: SleepRecorder, code: int
) -> None:
    # A 429's x-ratelimit-reset would set the wait; a meaningless one leaves the backoff in charge.
    script = Script(status(code, **{"x-ratelimit-reset": "never"}), status(code), ORDER)

    response = await connect(script).inexplicit_number_orders.retrieve("order-1")

    assert response.data is not None
    assert response.data.id == "order-1"
    assert len(script.requests) == 3
    assert sleeps.delays == [0.5, 1.0]


async def test_retries_stop_after_max_retries_and_raise_the_last_error(
    connect: Connect, sleeps: SleepRecorder
) -> None:
    script = Script(status(503))

    with pytest.raises(InternalServerError):
        await connect(script).inexplicit_number_orders.retrieve("any")

    assert len(script.requests) == 3, "one attempt plus the default two retries"
    assert sleeps.delays == [0.5, 1.0]


async def test_max_retries_per_call_overrides_the_client(connect: Connect, sleeps: SleepRecorder) -> None:
    script = Script(status(500))

    with pytest.raises(InternalServerError):
        await connect(script).inexplicit_number_orders.retrieve("any", max_retries=5)

    assert len(script.requests) == 6
    assert sleeps.delays == [0.5, 1.0, 2.0, 4.0, 8.0]


async def test_the_backoff_is_capped_at_eight_seconds(connect: Connect, sleeps: SleepRecorder) -> None:
    with pytest.raises(InternalServerError):
        await connect(Script(status(500))).inexplicit_number_orders.retrieve(
            "any", max_retries=7, timeout=600
        )

    assert sleeps.delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


async def test_a_client_with_max_retries_zero_tries_once(connect: Connect) -> None:
    script = Script(status(503))

    with pytest.raises(InternalServerError):
        await connect(script, max_retries=0).inexplicit_number_orders.retrieve("any")

    assert len(script.requests) == 1


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422])
async def test_client_errors_are_not_retried(connect: Connect, sleeps: SleepRecorder, code: int) -> None:
    script = Script(status(code))

    with pytest.raises(Exception, match=str(code)):
        await connect(script).inexplicit_number_orders.retrieve("any")

    assert len(script.requests) == 1
    assert sleeps.delays == []


async def test_retry_after_seconds_replaces_the_backoff(connect: Connect, sleeps: SleepRecorder) -> None:
    await connect(Script(status(503, **{"Retry-After": "3"}), ORDER)).inexplicit_number_orders.retrieve("x")

    assert sleeps.delays == [3.0]


async def test_a_429s_ratelimit_reset_sets_the_wait(connect: Connect, sleeps: SleepRecorder) -> None:
    await connect(Script(status(429, **{"x-ratelimit-reset": "7"}), ORDER)).inexplicit_number_orders.retrieve(
        "x"
    )

    assert sleeps.delays == [7.0]


@pytest.mark.parametrize("header", ["Retry-After", "x-ratelimit-reset"])
async def test_a_wait_longer_than_the_cap_is_not_cut_short_the_call_raises_saying_it(
    connect: Connect, sleeps: SleepRecorder, header: str
) -> None:
    script = Script(status(429, **{header: "3600"}), ORDER)

    with pytest.raises(RateLimitError, match="Telnyx asked to wait 3600 s") as caught:
        await connect(script).inexplicit_number_orders.retrieve("x")

    assert "longer than the 60 s this client waits" in str(caught.value)
    assert sleeps.delays == []
    assert len(script.requests) == 1


async def test_a_retry_after_that_is_no_wait_leaves_the_backoff_in_charge(
    connect: Connect, sleeps: SleepRecorder
) -> None:
    script = Script(status(503, **{"Retry-After": "soon"}), status(503, **{"Retry-After": "-1"}), ORDER)

    await connect(script).inexplicit_number_orders.retrieve("x")

    assert sleeps.delays == [0.5, 1.0]


async def test_a_wait_past_the_deadline_raises_at_once_saying_how_long_telnyx_asked(
    connect: Connect, sleeps: SleepRecorder
) -> None:
    script = Script(status(503, **{"Retry-After": "30"}))

    with pytest.raises(InternalServerError, match="Telnyx asked to wait 30 s") as caught:
        await connect(script).inexplicit_number_orders.retrieve("any", timeout=10)

    assert "past the call's deadline" in str(caught.value)
    assert sleeps.delays == [], "a 30 s wait cannot fit a 10 s deadline, so the error comes now"
    assert len(script.requests) == 1


async def test_an_attempt_that_timed_out_is_retried_within_the_deadline(
    connect: Connect, sleeps: SleepRecorder
) -> None:
    response = await connect(Script(asyncio.TimeoutError(), ORDER)).inexplicit_number_orders.retrieve("x")

    assert response.data is not None
    assert sleeps.delays == [0.5]


async def test_a_call_that_gets_no_answer_ends_at_its_deadline(connect: Connect) -> None:
    requests: list[HTTPRequest] = []

    async def never_answer(request: HTTPRequest) -> HTTPResponse:
        requests.append(request)
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    client = AsyncTelnyx("key", transport=MockTransport(never_answer), max_retries=50)
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with client:
        with pytest.raises(APITimeoutError, match="the call's deadline passed"):
            await client.inexplicit_number_orders.retrieve("any", timeout=0.2)

    assert loop.time() - started >= 0.2
    assert len(requests) == 1, "no retry is started once the deadline has passed"


async def test_a_get_is_retried_after_a_dropped_connection(connect: Connect, sleeps: SleepRecorder) -> None:
    script = Script(aiohttp.ServerDisconnectedError(), ORDER)

    response = await connect(script).inexplicit_number_orders.retrieve("x")

    assert response.data is not None
    assert sleeps.delays == [0.5]


async def test_a_conflict_on_a_get_is_retried(connect: Connect) -> None:
    script = Script(status(409))

    with pytest.raises(ConflictError):
        await connect(script).inexplicit_number_orders.retrieve("any", max_retries=1)

    assert len(script.requests) == 2


async def _create(client: AsyncTelnyx, **options: Any) -> object:
    return await client.inexplicit_number_orders.create(ordering_groups=GROUPS, **options)


@pytest.mark.parametrize("code", [500, 502, 503, 504, 408, 409])
async def test_a_create_is_never_resent_after_an_ambiguous_status(connect: Connect, code: int) -> None:
    script = Script(status(code))

    with pytest.raises(Exception, match=str(code)) as caught:
        await _create(connect(script))

    assert len(script.requests) == 1
    may_exist = code >= 500
    assert caught.value.may_have_taken_effect is may_exist  # type: ignore[attr-defined]
    assert ("the order may exist" in str(caught.value)) is may_exist


@pytest.mark.parametrize(
    "failure", [aiohttp.ServerDisconnectedError(), aiohttp.ClientPayloadError("cut"), asyncio.TimeoutError()]
)
async def test_a_create_is_never_resent_once_it_may_have_been_sent(
    connect: Connect, failure: BaseException
) -> None:
    script = Script(failure)

    with pytest.raises(APIConnectionError) as caught:
        await _create(connect(script))

    assert len(script.requests) == 1
    assert caught.value.may_have_taken_effect is True
    assert "the order may exist" in str(caught.value)
    assert caught.value.__cause__ is failure


async def test_a_create_is_resent_after_a_429(connect: Connect, sleeps: SleepRecorder) -> None:
    script = Script(
        status(429, **{"x-ratelimit-reset": "2"}), status(429, **{"x-ratelimit-reset": "2"}), status(503)
    )

    with pytest.raises(InternalServerError):
        await _create(connect(script))

    assert len(script.requests) == 3
    assert sleeps.delays == [2.0, 2.0]


async def test_a_create_is_resent_when_the_connection_was_never_made(
    connect: Connect, sleeps: SleepRecorder
) -> None:
    with pytest.raises(APIConnectionError) as caught:
        await _create(connect(Script(aiohttp.ConnectionTimeoutError())))

    assert sleeps.delays == [0.5, 1.0]
    assert caught.value.may_have_taken_effect is False
    assert "may" not in str(caught.value)


async def test_a_rate_limited_create_says_nothing_about_a_possible_order(connect: Connect) -> None:
    with pytest.raises(RateLimitError) as caught:
        await _create(connect(Script(status(429))))

    assert caught.value.may_have_taken_effect is False
    assert "may" not in str(caught.value)


async def test_a_create_answered_with_an_unreadable_body_says_the_order_may_exist(connect: Connect) -> None:
    script = Script(HTTPResponse(201, "Created", {}, b"<<not json>>"))

    with pytest.raises(Exception, match="the order may exist") as caught:
        await _create(connect(script))

    assert caught.value.may_have_taken_effect is True  # type: ignore[attr-defined]
    assert len(script.requests) == 1


async def test_every_attempt_is_logged_at_debug_without_the_key(
    connect: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="telnyx_orders"), pytest.raises(InternalServerError):
        await connect(Script(status(503))).inexplicit_number_orders.retrieve("abc", max_retries=1)

    messages = [record.getMessage() for record in caplog.records if record.name == "telnyx_orders"]
    assert messages == [
        "GET /v2/inexplicit_number_orders/abc -> 503 (attempt 1); retrying in 0.500 s",
        "GET /v2/inexplicit_number_orders/abc -> 503 (attempt 2)",
    ]
    assert "Bearer key" not in caplog.text


async def test_a_not_found_is_logged_once(connect: Connect, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="telnyx_orders"), pytest.raises(NotFoundError):
        await connect(Script(status(404))).inexplicit_number_orders.retrieve("nope")

    assert [record.getMessage() for record in caplog.records if record.name == "telnyx_orders"] == [
        "GET /v2/inexplicit_number_orders/nope -> 404 (attempt 1)"
    ]


class TestServerDelay:
    """Parsing the server's own idea of when to come back."""

    @pytest.mark.parametrize(
        ("headers", "expected"),
        [
            ({"Retry-After": "2"}, 2.0),
            ({"Retry-After": " 1.5 "}, 1.5),
            ({"Retry-After": "0"}, 0.0),
            ({"Retry-After": "3600"}, 3600.0),
            ({"Retry-After": "-1"}, None),
            ({"Retry-After": "nan"}, None),
            ({"Retry-After": "inf"}, None),
            ({"Retry-After": "tomorrow"}, None),
            ({"x-ratelimit-reset": "4"}, 4.0),
            ({"Retry-After": "bogus", "x-ratelimit-reset": "4"}, 4.0),
            ({"Retry-After": "1", "x-ratelimit-reset": "4"}, 1.0),
            ({}, None),
        ],
    )
    def test_on_a_429(self, headers: dict[str, str], expected: float | None) -> None:
        assert server_delay(429, headers) == expected

    def test_ratelimit_reset_is_not_a_wait_on_other_statuses(self) -> None:
        assert server_delay(503, {"x-ratelimit-reset": "4"}) is None
        assert server_delay(503, {"Retry-After": "4"}) == 4.0

    def test_an_http_date(self) -> None:
        moment = datetime.now(timezone.utc) + timedelta(seconds=30)

        delay = server_delay(429, {"Retry-After": format_datetime(moment, usegmt=True)})

        assert delay is not None
        assert 28 <= delay <= 30

    def test_an_http_date_in_the_past_is_ignored(self) -> None:
        moment = datetime.now(timezone.utc) - timedelta(seconds=30)

        assert server_delay(429, {"Retry-After": format_datetime(moment, usegmt=True)}) is None

    def test_an_http_date_without_zone_is_ignored(self) -> None:
        assert server_delay(429, {"Retry-After": "Wed, 21 Oct 2065 07:28:00 -0000"}) is None


class TestDecisions:
    """The policy's answers, which the pipeline and wait() both act on."""

    policy = RetryPolicy(jitter=None)

    def test_a_get_is_retried_after_the_backoff_while_retries_and_time_remain(self) -> None:
        decision = self.policy.decide(Outcome("GET", 503), retries_taken=2, max_retries=3, time_left=10)

        assert (decision.retry, decision.delay, decision.may_have_taken_effect) == (True, 2.0, False)

    def test_no_retry_once_retries_are_spent_or_the_backoff_would_pass_the_deadline(self) -> None:
        assert not self.policy.decide(Outcome("GET", 503), retries_taken=2, max_retries=2).retry
        assert not self.policy.decide(
            Outcome("GET", 503), retries_taken=3, max_retries=9, time_left=3.9
        ).retry

    def test_a_create_answered_5xx_or_2xx_may_have_taken_effect_a_4xx_did_not(self) -> None:
        assert self.policy.decide(Outcome("POST", 502)).may_have_taken_effect
        assert self.policy.decide(Outcome("POST", 201)).may_have_taken_effect
        assert not self.policy.decide(Outcome("POST", 422)).may_have_taken_effect
        assert not self.policy.decide(Outcome("GET", 502)).may_have_taken_effect

    def test_the_wait_telnyx_asks_for_is_kept_even_when_the_backoff_is_shorter(self) -> None:
        decision = self.policy.decide(Outcome("GET", 429, {"Retry-After": "20"}), time_left=30)

        assert (decision.retry, decision.delay, decision.asked) == (True, 20.0, 20.0)

    def test_the_default_schedule_is_jittered_exponential_from_half_a_second_to_eight(self) -> None:
        drawn = [RetryPolicy().backoff(retries) for retries in range(8)]

        ceilings = [0.5, 1, 2, 4, 8, 8, 8, 8]
        assert all(0 <= value <= ceiling for value, ceiling in zip(drawn, ceilings, strict=True))
        assert drawn != ceilings, "full jitter draws below the ceiling"

    def test_an_error_tells_the_outcome_it_reports(self) -> None:
        unreadable = APIResponseValidationError(
            "unreadable", method="POST", url="u", status_code=201, body=b"", may_have_taken_effect=True
        )
        lost = APIConnectionError("lost", method="GET", url="u")
        refused = RateLimitError(
            "slow down", method="GET", url="u", status_code=429, headers={"Retry-After": "2"}, body=None
        )

        assert Outcome.of(unreadable) == Outcome("POST", 201)
        assert self.policy.decide(Outcome.of(unreadable)).may_have_taken_effect
        assert self.policy.decide(Outcome.of(lost)).retry, "no cause given: a connection that broke"
        assert self.policy.decide(Outcome.of(refused)).delay == 2.0
