"""The pytest plugin, as a user's test suite meets it: each case runs a small test file through pytester.

The inner runs turn every warning into an error, as this project's own configuration does, so a client
left open (an unclosed aiohttp session) or a thread left running fails them.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import threading
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

pytest_plugins = ["pytester"]

INI = """
[pytest]
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""


@pytest.fixture
def run(pytester: pytest.Pytester) -> Iterator[pytest.Pytester]:
    """pytester with the inner configuration written, checked to leave no thread behind."""
    pytester.makeini(INI)
    before = set(threading.enumerate())
    yield pytester
    assert set(threading.enumerate()) <= before


def test_installing_the_package_registers_the_plugin_with_pytest() -> None:
    [entry_point] = entry_points(group="pytest11", name="telnyx_orders")
    assert entry_point.value == "telnyx_orders.testing.pytest_plugin"
    assert entry_point.load() is importlib.import_module("telnyx_orders.testing.pytest_plugin")


def test_a_blocking_test_orders_numbers_with_telnyx_client(run: pytest.Pytester) -> None:
    run.makepyfile(
        """
        from telnyx_orders import Telnyx
        from telnyx_orders.testing import Sandbox

        def test_order(telnyx_sandbox, telnyx_client):
            assert isinstance(telnyx_sandbox, Sandbox) and isinstance(telnyx_client, Telnyx)
            assert telnyx_client.base_url == telnyx_sandbox.base_url
            telnyx_sandbox.lifecycle_step = 0
            created = telnyx_client.inexplicit_number_orders.create(
                ordering_groups=[{"country_iso": "US", "phone_number_type": "local", "count_requested": 2}]
            )
            orders = telnyx_client.inexplicit_number_orders
            order = orders.wait(created.data.id, timeout=5, poll_interval=0.01)
            assert [group.status for group in order.ordering_groups] == ["success"]
            assert telnyx_sandbox.requests[0].operation == "CreateInexplicitNumberOrder"
        """
    )
    run.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("mode", "marker"),
    [("strict", "@pytest.mark.asyncio"), ("auto", "")],
)
def test_an_async_test_uses_async_telnyx_client(run: pytest.Pytester, mode: str, marker: str) -> None:
    run.makepyfile(
        f"""
        import pytest
        from telnyx_orders import AsyncTelnyx

        {marker}
        async def test_retrieve(telnyx_sandbox, async_telnyx_client):
            assert isinstance(async_telnyx_client, AsyncTelnyx)
            order_id = telnyx_sandbox.add_inexplicit_number_order()["id"]
            response = await async_telnyx_client.inexplicit_number_orders.retrieve(order_id)
            assert response.data.id == order_id
            pytest.client = async_telnyx_client

        def test_the_client_was_closed_after_the_test():
            assert pytest.client.is_closed
        """
    )
    run.runpytest("-o", f"asyncio_mode={mode}").assert_outcomes(passed=2)


def test_each_test_sees_a_fresh_sandbox_on_the_same_server(run: pytest.Pytester) -> None:
    run.makepyfile(
        """
        import pytest

        def test_first_leaves_a_mess(telnyx_sandbox, telnyx_client):
            telnyx_sandbox.add_number_order()
            telnyx_sandbox.set_inventory("US", "local", 3)
            telnyx_sandbox.lifecycle_step, telnyx_sandbox.default_inventory = 9.0, 7
            telnyx_sandbox.faults.latency(0.01, times=None)
            assert len(telnyx_client.number_orders.list().data) == 1
            pytest.first_port = telnyx_sandbox.port

        def test_second_finds_none_of_it(telnyx_sandbox, telnyx_client):
            assert telnyx_sandbox.port == pytest.first_port
            assert (telnyx_sandbox.lifecycle_step, telnyx_sandbox.default_inventory) == (0.05, 1000)
            assert telnyx_sandbox.inventory("US", "local") == 1000
            assert telnyx_sandbox.faults.faults == [] and telnyx_sandbox.requests == []
            assert telnyx_client.number_orders.list().data == ()
            [request] = telnyx_sandbox.requests
            assert request.fault is None
        """
    )
    run.runpytest().assert_outcomes(passed=2)


def test_faults_are_scripted_through_the_fixture(run: pytest.Pytester) -> None:
    run.makepyfile(
        """
        import pytest
        from telnyx_orders import InternalServerError, NotFoundError, RateLimitError

        def test_a_blocking_call_meets_a_fault(telnyx_sandbox, telnyx_client):
            telnyx_sandbox.faults.status(503, times=None, operation="ListNumberOrders")
            with pytest.raises(InternalServerError) as caught:
                telnyx_client.with_options(max_retries=0).number_orders.list()
            assert caught.value.status_code == 503
            assert [r.fault.kind for r in telnyx_sandbox.requests] == ["status"]

        async def test_an_async_call_meets_a_fault(telnyx_sandbox, async_telnyx_client):
            order_id = telnyx_sandbox.add_sub_number_order()["id"]
            telnyx_sandbox.faults.status(404, operation="GetSubNumberOrder")
            with pytest.raises(NotFoundError):
                await async_telnyx_client.sub_number_orders.retrieve(order_id)
            telnyx_sandbox.faults.rate_limit(reset=0)
            with pytest.raises(RateLimitError):
                await async_telnyx_client.with_options(max_retries=0).sub_number_orders.retrieve(order_id)
            assert (await async_telnyx_client.sub_number_orders.retrieve(order_id)).data.id == order_id
        """
    )
    run.runpytest("-o", "asyncio_mode=auto").assert_outcomes(passed=2)


def test_the_sandbox_serves_async_tests_on_a_wider_loop(run: pytest.Pytester) -> None:
    run.makepyfile(
        """
        import pytest
        from telnyx_orders import AsyncTelnyx

        @pytest.mark.asyncio(loop_scope="module")
        async def test_on_the_module_loop(telnyx_sandbox):
            order_id = telnyx_sandbox.add_number_order()["id"]
            async with AsyncTelnyx(telnyx_sandbox.api_key, base_url=telnyx_sandbox.base_url) as client:
                assert (await client.number_orders.retrieve(order_id)).data.id == order_id
        """
    )
    run.runpytest("-o", "asyncio_mode=strict").assert_outcomes(passed=1)


@pytest.mark.parametrize("installed", [True, False], ids=["disabled", "not-installed"])
def test_without_pytest_asyncio_the_async_client_says_what_to_install(
    run: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, installed: bool
) -> None:
    if not installed:
        monkeypatch.setitem(sys.modules, "pytest_asyncio.plugin", None)  # import fails, as if absent
    run.makepyfile(
        """
        def test_wants_the_async_client(async_telnyx_client):
            raise AssertionError("never reached")

        def test_the_blocking_fixtures_still_work(telnyx_client):
            assert telnyx_client.sub_number_orders.list().data == ()
        """
    )
    run.makeini("[pytest]\nfilterwarnings = error\n")  # without the asyncio options, unknown now
    result = run.runpytest("-p", "no:asyncio")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*async_telnyx_client needs pytest-asyncio*pip install pytest-asyncio*"])
    result.stdout.no_fnmatch_line("*never reached*")


def test_the_plugin_can_be_switched_off(run: pytest.Pytester) -> None:
    run.makepyfile(
        """
        def test_wants_the_sandbox(telnyx_sandbox):
            pass
        """
    )
    result = run.runpytest("-p", "no:telnyx_orders")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'telnyx_sandbox' not found*"])


@pytest.mark.parametrize("mode", ["strict", "auto"])
def test_the_examples_in_the_plugin_docstring_pass(run: pytest.Pytester, mode: str) -> None:
    docstring = importlib.import_module("telnyx_orders.testing.pytest_plugin").__doc__
    assert docstring is not None
    example = textwrap.dedent(docstring.partition("these very tests)::\n")[2])
    assert "def test_" in example
    run.makepyfile(example)
    run.runpytest("-o", f"asyncio_mode={mode}").assert_outcomes(passed=example.count("def test_"))


def test_a_fresh_interpreter_loads_the_plugin_from_its_entry_point(run: pytest.Pytester) -> None:
    run.makepyfile(
        """
        def test_blocking(telnyx_client):
            assert telnyx_client.number_orders.list().data == ()

        async def test_async(async_telnyx_client):
            assert (await async_telnyx_client.number_orders.list()).data == ()
        """
    )
    run.runpytest_subprocess("-o", "asyncio_mode=auto", "-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_the_webhooks_fixture_gives_each_test_a_sandbox_whose_events_are_verified(
    run: pytest.Pytester,
) -> None:
    run.makepyfile(
        """
        import asyncio

        from telnyx_orders import AsyncTelnyx
        from telnyx_orders.testing import WebhookCollector

        first_keys = []

        async def test_events_of_an_async_service(telnyx_webhooks, telnyx_sandbox):
            assert isinstance(telnyx_webhooks, WebhookCollector)
            sandbox = telnyx_webhooks.sandbox
            assert sandbox is not telnyx_sandbox and telnyx_sandbox.webhook_url is None
            async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
                await client.number_orders.create(phone_numbers=["+19705550112"])
                group = {"country_iso": "US", "phone_number_type": "local", "count_requested": 3}
                await client.inexplicit_number_orders.create(ordering_groups=[group])
            events = await asyncio.to_thread(telnyx_webhooks.wait, 2)
            assert sorted(event.data.payload.phone_numbers_count for event in events) == [1, 3]
            assert telnyx_webhooks.rejected == []
            deliveries = await asyncio.to_thread(sandbox.webhook_deliveries.wait, 2)
            assert [(d.attempt, d.status) for d in deliveries] == [(1, 200), (1, 200)]
            first_keys.append(sandbox.webhook_public_key)

        def test_the_next_test_has_a_sandbox_and_a_key_of_its_own(telnyx_webhooks):
            assert telnyx_webhooks.events == [] and telnyx_webhooks.sandbox.documents("number_orders") == {}
            assert telnyx_webhooks.sandbox.webhook_public_key not in first_keys
        """
    )
    run.runpytest("-o", "asyncio_mode=auto").assert_outcomes(passed=2)


def test_without_cryptography_the_webhooks_fixture_says_what_to_install(run: pytest.Pytester) -> None:
    run.makeconftest("import sys\nsys.modules['cryptography'] = None  # as if it were not installed\n")
    run.makepyfile(
        """
        def test_wants_webhooks(telnyx_webhooks):
            pass

        def test_the_sandbox_needs_no_cryptography(telnyx_client):
            assert telnyx_client.number_orders.list().data == ()
        """
    )
    result = run.runpytest_subprocess("-p", "no:cacheprovider")  # a fresh interpreter: none imported yet
    result.assert_outcomes(passed=1, errors=1)
    message = "a sandbox with a webhook_url signs its events with the cryptography package"
    result.stdout.fnmatch_lines(
        ["*ERROR at setup of test_wants_webhooks*", f"{message}: pip install 'telnyx-orders?webhooks?'"]
    )
    assert "During handling" not in result.stdout.str()
