"""Fetching everything an inexplicit number order produced, a bounded number of requests at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .._http import CallOptions, HTTPPipeline
from .._timeouts import Deadline, Timeout, to_timeout
from ..types._inexplicit_number_orders import InexplicitNumberOrder
from ..types._shared import Envelope

if TYPE_CHECKING:
    from ..types._fulfillment import Fulfillment
    from ..types._number_orders import NumberOrderWithPhoneNumbers
    from ..types._sub_number_orders import SubNumberOrder

__all__ = ["linked_order_ids", "retrieve_fulfillment", "waiting_for_requirements"]

T = TypeVar("T")

RetrieveOrder = Callable[[str, Timeout], Awaitable[Envelope[InexplicitNumberOrder]]]


async def retrieve_fulfillment(
    http: HTTPPipeline,
    order: InexplicitNumberOrder | str,
    retrieve_order: RetrieveOrder,
    *,
    max_concurrency: int,
    options: CallOptions,
) -> Fulfillment:
    """Fetch `order` if given its id, then every order it links to; `options.timeout` bounds them all."""
    if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
        raise TypeError(f"max_concurrency must be an int, not {type(max_concurrency).__name__}")
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be 1 or more, not {max_concurrency}")
    if not isinstance(order, (InexplicitNumberOrder, str)):
        raise TypeError(f"order must be an InexplicitNumberOrder or its id, not {type(order).__name__}")
    deadline = Deadline.start(http.timeout if options.timeout is None else to_timeout(options.timeout))
    if isinstance(order, str):
        # A body without `data` says nothing of the order: then it links to nothing either.
        order = (await retrieve_order(order, deadline.next_limits())).data or InexplicitNumberOrder(id=order)

    # Imported when used: retrieving an order never needs the number order and sub number order
    # resources and models, which cost 15 ms at import (measured: min of 20 fresh processes, Python 3.11).
    from ..types._fulfillment import Fulfillment
    from .number_orders import AsyncNumberOrders
    from .sub_number_orders import AsyncSubNumberOrders

    slots = asyncio.Semaphore(max_concurrency)
    number_orders, sub_number_orders = AsyncNumberOrders(http), AsyncSubNumberOrders(http)

    async def number_order(id: str) -> NumberOrderWithPhoneNumbers | None:
        async with slots:
            response = await number_orders.retrieve(
                id,
                timeout=deadline.next_limits(),
                max_retries=options.max_retries,
                extra_headers=options.extra_headers,
            )
            return response.data

    async def sub_number_order(id: str) -> SubNumberOrder | None:
        async with slots:
            response = await sub_number_orders.retrieve(
                id,
                include_phone_numbers=True,
                timeout=deadline.next_limits(),
                max_retries=options.max_retries,
                extra_headers=options.extra_headers,
            )
            return response.data

    number_order_ids, sub_number_order_ids = linked_order_ids(order)
    fetching_number_orders = [asyncio.ensure_future(number_order(id)) for id in number_order_ids]
    fetching_sub_number_orders = [asyncio.ensure_future(sub_number_order(id)) for id in sub_number_order_ids]
    await _all_or_none([*fetching_number_orders, *fetching_sub_number_orders])
    return Fulfillment(
        order=order,
        number_orders=_results(fetching_number_orders),
        sub_number_orders=_results(fetching_sub_number_orders),
    )


def linked_order_ids(order: InexplicitNumberOrder) -> tuple[list[str], list[str]]:
    """The number order ids and the sub number order ids `order` links to, each once, in order."""
    number_order_ids: dict[str, None] = {}
    sub_number_order_ids: dict[str, None] = {}
    for group in order.ordering_groups or ():
        for link in group.orders or ():
            if link.number_order_id:
                number_order_ids[link.number_order_id] = None
            sub_number_order_ids.update(dict.fromkeys(id for id in link.sub_number_order_ids or () if id))
    return list(number_order_ids), list(sub_number_order_ids)


async def _all_or_none(tasks: Sequence[asyncio.Future[Any]]) -> None:
    """Wait for every task; on the first failure cancel the others, let them finish, and raise it."""
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _results(tasks: Sequence[asyncio.Future[T | None]]) -> tuple[T, ...]:
    return tuple(result for task in tasks if (result := task.result()) is not None)


async def waiting_for_requirements(
    http: HTTPPipeline, order: InexplicitNumberOrder, options: CallOptions
) -> tuple[str, ...]:
    """The ids of the number orders `order` placed that are pending with `requirements_met` false.

    Asks only about groups Telnyx is working on (`processing`) that link to number orders.
    """
    processing = InexplicitNumberOrder(
        ordering_groups=tuple(
            group
            for group in order.ordering_groups or ()
            if group.status is not None and not group.status.is_terminal
        )
    )
    number_order_ids, _ = linked_order_ids(processing)
    from .number_orders import AsyncNumberOrders  # when used, as in `retrieve_fulfillment`

    number_orders = AsyncNumberOrders(http)
    waiting: list[str] = []
    for id in number_order_ids:
        linked = (
            await number_orders.retrieve(
                id, max_retries=options.max_retries, extra_headers=options.extra_headers
            )
        ).data
        if linked is not None and linked.status == "pending" and linked.requirements_met is False:
            waiting.append(id)
    return tuple(waiting)
