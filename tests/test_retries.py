"""Retries: GETs ride out transient failures; a create is never sent twice unless it surely did not land."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from telnyx_orders import (
    APIConnectionError,
    APITimeoutError,
    AsyncTelnyx,
    ConflictError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    Timeout,
)
from telnyx_orders._http import CallOptions
from telnyx_orders._retry import RetryPolicy, server_delay
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import Envelope, InexplicitNumberOrder

from .conftest import SleepRecorder

RETRIEVE = "RetrieveInexplicitNumberOrder"


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
async def test_a_get_is_retried_on_transient_statuses_then_succeeds(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder, status: int
) -> None:
    order = sandbox.add_inexplicit_number_order()
    # A 429's x-ratelimit-reset would set the wait; a meaningless one leaves the backoff in charge.
    sandbox.faults.status(status, headers={"x-ratelimit-reset": "never"}, times=2)

    response = await client.inexplicit_number_orders.retrieve(order["id"])

    assert response.data is not None
    assert response.data.id == order["id"]
    assert len(sandbox.requests_to(RETRIEVE)) == 3
    assert sleeps.delays == [0.5, 1.0]


async def test_retries_stop_after_max_retries_and_raise_the_last_error(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    sandbox.faults.status(503, times=None)

    with pytest.raises(InternalServerError):
        await client.inexplicit_number_orders.retrieve("any")

    assert len(sandbox.requests) == 3, "one attempt plus the default two retries"
    assert sleeps.delays == [0.5, 1.0]


async def test_max_retries_per_call_overrides_the_client(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    sandbox.faults.status(500, times=None)

    with pytest.raises(InternalServerError):
        await client.inexplicit_number_orders.retrieve("any", max_retries=5)

    assert len(sandbox.requests) == 6
    assert sleeps.delays == [0.5, 1.0, 2.0, 4.0, 8.0]


async def test_the_backoff_is_capped_at_eight_seconds(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    sandbox.faults.status(500, times=None)

    with pytest.raises(InternalServerError):
        await client.inexplicit_number_orders.retrieve("any", max_retries=7, timeout=600)

    assert sleeps.delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


async def test_a_client_with_max_retries_zero_tries_once(sandbox: Sandbox) -> None:
    sandbox.faults.status(503, times=None)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_retries=0) as client:
        with pytest.raises(InternalServerError):
            await client.inexplicit_number_orders.retrieve("any")

    assert len(sandbox.requests) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_client_errors_are_not_retried(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder, status: int
) -> None:
    sandbox.faults.status(status, times=None)

    with pytest.raises(Exception, match=str(status)):
        await client.inexplicit_number_orders.retrieve("any")

    assert len(sandbox.requests) == 1
    assert sleeps.delays == []


async def test_retry_after_seconds_replaces_the_backoff(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    order = sandbox.add_inexplicit_number_order()
    sandbox.faults.status(503, headers={"Retry-After": "3"})

    await client.inexplicit_number_orders.retrieve(order["id"])

    assert sleeps.delays == [3.0]


async def test_a_429s_ratelimit_reset_sets_the_wait(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    order = sandbox.add_inexplicit_number_order()
    sandbox.faults.rate_limit(reset=7)

    await client.inexplicit_number_orders.retrieve(order["id"])

    assert sleeps.delays == [7.0]


async def test_an_insane_retry_after_falls_back_to_the_backoff(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    order = sandbox.add_inexplicit_number_order()
    sandbox.faults.status(503, headers={"Retry-After": "3600"})
    sandbox.faults.status(503, headers={"Retry-After": "soon"})

    await client.inexplicit_number_orders.retrieve(order["id"])

    assert sleeps.delays == [0.5, 1.0]


async def test_no_backoff_sleep_runs_past_the_deadline(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    sandbox.faults.status(503, headers={"Retry-After": "30"}, times=None)

    with pytest.raises(InternalServerError):
        await client.inexplicit_number_orders.retrieve("any", timeout=10)

    assert sleeps.delays == [], "a 30 s wait cannot fit a 10 s deadline, so the error comes now"
    assert len(sandbox.requests) == 1


async def test_an_attempt_that_times_out_is_retried_within_the_deadline(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    order = sandbox.add_inexplicit_number_order()
    sandbox.faults.latency(1.0)

    response = await client.inexplicit_number_orders.retrieve(
        order["id"], timeout=Timeout(total=10, read=0.1)
    )

    assert response.data is not None
    assert sleeps.delays == [0.5]


async def test_the_deadline_bounds_the_whole_call_including_retries(sandbox: Sandbox) -> None:
    sandbox.faults.latency(0.15, times=None)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_retries=50) as client:
        client._http.retry = RetryPolicy(initial_delay=0.01, max_delay=0.01, jitter=None)
        with pytest.raises(APITimeoutError, match="deadline"):
            await client.inexplicit_number_orders.retrieve("any", timeout=Timeout(total=0.5, read=0.1))

    assert 2 <= len(sandbox.requests) <= 6


async def test_a_get_is_retried_after_a_dropped_connection(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    order = sandbox.add_inexplicit_number_order()
    # aiohttp itself re-sends an idempotent request once on a dropped keep-alive connection,
    # so two drops are needed before the SDK's own retry shows.
    sandbox.faults.drop_before(times=2)

    response = await client.inexplicit_number_orders.retrieve(order["id"])

    assert response.data is not None
    assert sleeps.delays == [0.5]


async def test_a_conflict_on_a_get_is_retried(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    sandbox.faults.status(409, times=None)

    with pytest.raises(ConflictError):
        await client.inexplicit_number_orders.retrieve("any", max_retries=1)

    assert len(sandbox.requests) == 2


async def _post(client: AsyncTelnyx) -> Envelope[InexplicitNumberOrder]:
    # The create endpoint arrives with the ordering workflow; the policy it relies on is the pipeline's.
    return await client._http.post(
        "/inexplicit_number_orders",
        Envelope[InexplicitNumberOrder],
        CallOptions(),
        body={
            "ordering_groups": [{"country_iso": "US", "phone_number_type": "local", "count_requested": "1"}]
        },
    )


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408, 409])
async def test_a_post_is_never_resent_after_an_ambiguous_status(
    sandbox: Sandbox, client: AsyncTelnyx, status: int
) -> None:
    sandbox.faults.status(status, method="POST", times=None)

    with pytest.raises(Exception, match=str(status)) as caught:
        await _post(client)

    assert len(sandbox.requests) == 1
    if status >= 500:
        assert caught.value.may_have_taken_effect is True  # type: ignore[attr-defined]
        assert "the order may exist" in str(caught.value)


async def test_a_post_is_never_resent_after_the_connection_drops_once_sent(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    sandbox.faults.drop_after(method="POST", times=None)

    with pytest.raises(APIConnectionError) as caught:
        await _post(client)

    assert len(sandbox.requests) == 1
    assert caught.value.may_have_taken_effect is True
    assert "the order may exist" in str(caught.value)


async def test_a_post_that_timed_out_is_not_resent(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    sandbox.faults.latency(1.0, method="POST", times=None)

    with pytest.raises(APITimeoutError) as caught:
        await client._http.post(
            "/inexplicit_number_orders", Envelope[InexplicitNumberOrder], CallOptions(timeout=0.2), body={}
        )

    assert len(sandbox.requests) == 1
    assert caught.value.may_have_taken_effect is True


async def test_a_post_is_resent_after_a_429(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    sandbox.faults.rate_limit(method="POST", reset=2, times=2)
    sandbox.faults.status(503, method="POST")

    with pytest.raises(InternalServerError):
        await _post(client)

    assert len(sandbox.requests) == 3
    assert sleeps.delays == [2.0, 2.0]


async def test_a_post_is_resent_when_the_connection_was_never_made(sleeps: SleepRecorder) -> None:
    async with Sandbox() as stopped:
        base_url = stopped.base_url
    async with AsyncTelnyx("key", base_url=base_url) as client:
        client._http.retry = RetryPolicy(jitter=None, sleep=sleeps)
        with pytest.raises(APIConnectionError) as caught:
            await _post(client)

    assert sleeps.delays == [0.5, 1.0]
    assert caught.value.may_have_taken_effect is False
    assert "may exist" not in str(caught.value)


async def test_a_rate_limited_post_says_nothing_about_a_possible_order(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    sandbox.faults.rate_limit(method="POST", times=None)

    with pytest.raises(RateLimitError) as caught:
        await _post(client)

    assert caught.value.may_have_taken_effect is False


async def test_every_attempt_is_logged_at_debug_without_the_key(
    sandbox: Sandbox, client: AsyncTelnyx, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.faults.status(503, times=None)

    with caplog.at_level(logging.DEBUG, logger="telnyx_orders"), pytest.raises(InternalServerError):
        await client.inexplicit_number_orders.retrieve("abc", max_retries=1)

    messages = [record.getMessage() for record in caplog.records if record.name == "telnyx_orders"]
    assert messages == [
        "GET /v2/inexplicit_number_orders/abc -> 503 (attempt 1); retrying in 0.500 s",
        "GET /v2/inexplicit_number_orders/abc -> 503 (attempt 2)",
    ]
    assert sandbox.api_key not in caplog.text


async def test_a_not_found_is_logged_once(
    sandbox: Sandbox, client: AsyncTelnyx, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="telnyx_orders"), pytest.raises(NotFoundError):
        await client.inexplicit_number_orders.retrieve("nope")

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
            ({"Retry-After": "60"}, 60.0),
            ({"Retry-After": "61"}, None),
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
        assert server_delay(429, headers, limit=60) == expected

    def test_ratelimit_reset_is_not_a_wait_on_other_statuses(self) -> None:
        assert server_delay(503, {"x-ratelimit-reset": "4"}, limit=60) is None
        assert server_delay(503, {"Retry-After": "4"}, limit=60) == 4.0

    def test_an_http_date(self) -> None:
        moment = datetime.now(timezone.utc) + timedelta(seconds=30)

        delay = server_delay(429, {"Retry-After": format_datetime(moment, usegmt=True)}, limit=60)

        assert delay is not None
        assert 28 <= delay <= 30

    def test_an_http_date_in_the_past_is_ignored(self) -> None:
        moment = datetime.now(timezone.utc) - timedelta(seconds=30)

        assert server_delay(429, {"Retry-After": format_datetime(moment, usegmt=True)}, limit=60) is None

    def test_an_http_date_without_zone_is_ignored(self) -> None:
        assert server_delay(429, {"Retry-After": "Wed, 21 Oct 2065 07:28:00 -0000"}, limit=60) is None


def test_the_default_schedule_is_jittered_exponential_from_half_a_second_to_eight() -> None:
    delays = RetryPolicy().delays()
    drawn = [next(delays) for _ in range(8)]

    ceilings = [0.5, 1, 2, 4, 8, 8, 8, 8]
    assert all(0 <= value <= ceiling for value, ceiling in zip(drawn, ceilings, strict=True))
    assert drawn != ceilings, "full jitter draws below the ceiling"
