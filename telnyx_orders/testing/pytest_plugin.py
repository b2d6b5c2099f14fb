"""pytest fixtures for testing code that uses telnyx_orders, against the sandbox.

Installing telnyx-orders registers this plugin with pytest (the ``pytest11`` entry point
``telnyx_orders``), so the fixtures below are there in every test without an import. ``-p
no:telnyx_orders`` turns it off; with plugin autoloading disabled, ``-p telnyx_orders`` (or
``pytest_plugins = ["telnyx_orders.testing.pytest_plugin"]`` in the root ``conftest.py``) loads it.

Fixtures:

``telnyx_sandbox``
    A running :class:`~telnyx_orders.testing.Sandbox`, served from a thread of its own, so sync tests
    and async tests on any event loop can call it. One server runs for the whole session, but each
    test sees it fresh: after every test it is reset (documents, orders in flight, inventory, faults,
    the request log and the rate-limit window) and ``lifecycle_step`` and ``default_inventory`` are put
    back to their defaults, so a test may change them freely.
``telnyx_client``
    A blocking :class:`telnyx_orders.Telnyx` bound to ``telnyx_sandbox``, closed after the test.
``async_telnyx_client``
    A :class:`telnyx_orders.AsyncTelnyx` bound to ``telnyx_sandbox``, closed after the test on the
    test's event loop. It needs pytest-asyncio (strict or auto mode) to run; without it, a test asking
    for it errors and says so. It runs on the loop of pytest-asyncio's
    ``asyncio_default_fixture_loop_scope`` (the test's own loop unless that option says otherwise).
``telnyx_webhooks``
    A :class:`~telnyx_orders.testing.WebhookCollector`: a sandbox of the test's own
    (``telnyx_webhooks.sandbox``) whose ``number_order.complete`` events are received on 127.0.0.1,
    each verified with ``client.webhooks.unwrap`` and the sandbox's key, and kept in order;
    ``telnyx_webhooks.wait(count)`` blocks until that many have arrived (bounded by ``timeout``).
    Stopped after the test, pending deliveries cancelled. It needs the webhooks extra
    (``pip install 'telnyx-orders[webhooks]'``); without it the test errors and says so.

The clients keep the SDK's defaults, retries included: a fault that fires once on a ``GET`` is
retried away. To see each fault, use ``telnyx_client.with_options(max_retries=0)``, or a fault with
``times=None``. For example (``tests/test_pytest_plugin.py`` runs these very tests)::

    import pytest

    from telnyx_orders import InternalServerError, NotFoundError, Telnyx


    def test_a_missing_order_is_reported(telnyx_sandbox, telnyx_client):
        order_id = telnyx_sandbox.add_number_order()["id"]
        telnyx_sandbox.faults.status(404, operation="RetrieveNumberOrder")  # 404 is never retried

        with pytest.raises(NotFoundError):
            telnyx_client.number_orders.retrieve(order_id)
        assert [r.operation for r in telnyx_sandbox.requests] == ["RetrieveNumberOrder"]


    def test_an_outage_outlasts_the_retries(telnyx_sandbox, telnyx_client):
        telnyx_sandbox.faults.status(503, times=None)

        with pytest.raises(InternalServerError):
            telnyx_client.with_options(max_retries=0).number_orders.list()


    @pytest.mark.asyncio  # needed in pytest-asyncio's strict mode, harmless in auto mode
    async def test_the_async_client(telnyx_sandbox, async_telnyx_client):
        order_id = telnyx_sandbox.add_inexplicit_number_order()["id"]
        order = (await async_telnyx_client.inexplicit_number_orders.retrieve(order_id)).data
        assert order.id == order_id


    def test_a_finished_order_sends_one_verified_event(telnyx_webhooks):
        sandbox = telnyx_webhooks.sandbox
        with Telnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
            order = client.number_orders.create(phone_numbers=["+19705550111"]).data
        [event] = telnyx_webhooks.wait(1)
        assert (event.data.event_type, event.data.payload.id) == ("number_order.complete", order.id)
        assert (event.data.payload.status, event.meta.attempt) == ("success", 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import pytest

from telnyx_orders import Telnyx
from telnyx_orders.testing._collector import WebhookCollector
from telnyx_orders.testing._server import Sandbox

if TYPE_CHECKING:
    from collections.abc import Iterator

NO_ASYNC_RUNNER = (
    "async_telnyx_client needs pytest-asyncio to run its event loop, and it is not installed or not "
    "enabled: pip install pytest-asyncio (and do not pass -p no:asyncio)"
)


@pytest.fixture(scope="session")
def _telnyx_sandbox_server() -> Iterator[Sandbox]:
    """The one sandbox server of the session, stopped (and its thread joined) at the end."""
    with Sandbox().serve_in_thread() as sandbox:
        yield sandbox


@pytest.fixture
def telnyx_sandbox(_telnyx_sandbox_server: Sandbox) -> Iterator[Sandbox]:
    """A running sandbox, fresh for this test; see the module docstring."""
    sandbox = _telnyx_sandbox_server
    defaults = (sandbox.lifecycle_step, sandbox.default_inventory)
    try:
        yield sandbox
    finally:
        sandbox.reset()
        sandbox.faults.reseed(0)
        sandbox.lifecycle_step, sandbox.default_inventory = defaults


@pytest.fixture
def telnyx_webhooks() -> Iterator[WebhookCollector]:
    """A sandbox of this test's own whose webhook events are verified and collected; see the module
    docstring."""
    try:
        collector = WebhookCollector()
    except ImportError as error:  # no cryptography: one line naming the extra, not a traceback
        missing = str(error)
    else:
        with collector:
            yield collector
        return
    pytest.fail(missing, pytrace=False)


@pytest.fixture
def telnyx_client(telnyx_sandbox: Sandbox) -> Iterator[Telnyx]:
    """A blocking ``Telnyx`` client of ``telnyx_sandbox``, closed after the test."""
    with Telnyx(telnyx_sandbox.api_key, base_url=telnyx_sandbox.base_url) as client:
        yield client


class _WithoutAsyncRunner:
    """Stands in for the pytest-asyncio fixtures when pytest-asyncio is missing or disabled."""

    @pytest.fixture
    def async_telnyx_client(self) -> NoReturn:
        """Needs pytest-asyncio; errors with a message saying so."""
        pytest.fail(NO_ASYNC_RUNNER, pytrace=False)


def _async_fixtures(config: pytest.Config) -> object:
    """The plugin holding ``async_telnyx_client``: the pytest-asyncio one if that plugin is active."""
    try:
        import pytest_asyncio.plugin
    except ImportError:
        return _WithoutAsyncRunner()
    if not config.pluginmanager.is_registered(pytest_asyncio.plugin):
        return _WithoutAsyncRunner()
    from telnyx_orders.testing import _pytest_async

    return _pytest_async


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``async_telnyx_client`` that suits the async test runner of this session."""
    config.pluginmanager.register(_async_fixtures(config), "telnyx_orders.async_fixtures")
