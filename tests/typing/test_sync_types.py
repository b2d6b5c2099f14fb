"""The blocking client's static types, for mypy and pyright: nothing here is called.

Checked with `--python-version 3.11` (the first with `typing.assert_type`), by the typecheck session and by
`tests/test_codegen.py` when the checkers are installed. A `# type: ignore[...]` marks a call that must
be rejected: mypy's strict mode and pyright (told to below) both fail on an ignore that is not needed.
"""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

import sys

from telnyx_orders import AsyncTelnyx, Telnyx, Timeout
from telnyx_orders._sync.resources import InexplicitNumberOrders, NumberOrders, SubNumberOrders
from telnyx_orders.types import Envelope, InexplicitNumberOrder, NumberOrderWithPhoneNumbers, SubNumberOrder

if sys.version_info >= (3, 11):
    from typing import assert_type


def retrieve_returns_the_envelopes_async_telnyx_awaits(client: Telnyx) -> None:
    assert_type(Telnyx(api_key="k").inexplicit_number_orders.retrieve("x"), Envelope[InexplicitNumberOrder])
    assert_type(client.number_orders.retrieve("x", timeout=5), Envelope[NumberOrderWithPhoneNumbers])
    assert_type(client.sub_number_orders.retrieve("x", include_phone_numbers=True), Envelope[SubNumberOrder])


async def the_async_client_agrees(client: AsyncTelnyx) -> None:
    assert_type(await client.inexplicit_number_orders.retrieve("x"), Envelope[InexplicitNumberOrder])


def the_client_and_its_copies_are_blocking_clients(client: Telnyx) -> None:
    assert_type(client.with_options(timeout=Timeout(total=5)), Telnyx)
    with Telnyx(api_key="k", base_url="http://127.0.0.1:8080/v2") as entered:
        assert_type(entered, Telnyx)
    assert_type(client.inexplicit_number_orders, InexplicitNumberOrders)
    assert_type(client.number_orders, NumberOrders)
    assert_type(client.sub_number_orders, SubNumberOrders)
    assert_type(client.timeout, Timeout)
    assert_type(client.max_retries, int)
    assert_type(client.is_closed, bool)
    assert_type(client.close(), None)


def wrong_arguments_are_rejected(client: Telnyx) -> None:
    client.number_orders.retrieve(42)  # type: ignore[arg-type]
    client.number_orders.retrieve("x", 5)  # type: ignore[call-arg]
    client.sub_number_orders.retrieve("x", include_phone_numbers="yes")  # type: ignore[arg-type]
    Telnyx("k", "http://127.0.0.1/v2")  # type: ignore[call-arg]
    client.with_options(max_connections=1)  # type: ignore[call-arg]
