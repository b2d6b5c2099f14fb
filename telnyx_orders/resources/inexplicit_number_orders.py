from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from .._converter import unstructure
from .._errors import RequirementsPendingError
from .._http import CallOptions, path_segment
from .._pagination import (
    FLAT_PAGE_PARAMETERS,
    AsyncPaginator,
    paginate,
)
from .._timeouts import Timeout, check_seconds
from ..types import Envelope, InexplicitNumberOrder
from ..types._shared import ListEnvelope
from ._base import ORDER_MAY_EXIST, AsyncAPIResource, order_settings
from ._fulfillment import retrieve_fulfillment, waiting_for_requirements
from ._raw.inexplicit_number_orders import AsyncInexplicitNumberOrdersWithRawResponse
from ._waiting import poll_until_done

if TYPE_CHECKING:
    from ..types import Fulfillment  # built by `_fulfillment` on first use, where the gain is written
    from ..types._params import OrderingGroupDict, OrderingGroupParams

__all__ = ["AsyncInexplicitNumberOrders", "AsyncInexplicitNumberOrdersWithRawResponse"]


class AsyncInexplicitNumberOrders(AsyncAPIResource):
    """Orders for N numbers of a country and type, chosen by Telnyx."""

    @property
    def with_raw_response(self) -> AsyncInexplicitNumberOrdersWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncInexplicitNumberOrdersWithRawResponse(self)

    async def create(
        self,
        *,
        ordering_groups: Sequence[OrderingGroupParams | OrderingGroupDict],
        connection_id: str | None = None,
        messaging_profile_id: str | None = None,
        billing_group_id: str | None = None,
        customer_reference: str | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[InexplicitNumberOrder]:
        """Order numbers by country, type and area code, without naming them; Telnyx picks them.

        Each ordering group is an `OrderingGroupParams` or a dict of the same keys. Everything that can
        be checked here is checked before anything is sent. The request is sent again only if it
        certainly did not reach Telnyx (the connection failed, or Telnyx answered 429); after any other
        failure the error has `may_have_taken_effect` set, since the order may exist.
        """
        from ..types._params import check_ordering_groups  # when used, as `_converter` imports the params

        body = {
            "ordering_groups": unstructure(check_ordering_groups(ordering_groups)),
            **order_settings(
                connection_id=connection_id,
                messaging_profile_id=messaging_profile_id,
                billing_group_id=billing_group_id,
                customer_reference=customer_reference,
            ),
        }
        return await self._http.post(
            "/inexplicit_number_orders",
            Envelope[InexplicitNumberOrder],
            CallOptions(timeout, max_retries, extra_headers),
            body=body,
            may_have_taken_effect=ORDER_MAY_EXIST,
        )

    def list(
        self,
        *,
        page_number: int | None = None,
        page_size: int | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncPaginator[InexplicitNumberOrder]:
        """List inexplicit number orders: the first page, and through it every order of every page.

        `page_number` is the page to start from; `page_size` is 1 to 250 (Telnyx's default is 20).
        """
        return paginate(
            self._http,
            "/inexplicit_number_orders",
            ListEnvelope[InexplicitNumberOrder],
            CallOptions(timeout, max_retries, extra_headers),
            params={},
            page_parameters=FLAT_PAGE_PARAMETERS,
            page_number=page_number,
            page_size=page_size,
        )

    async def retrieve(
        self,
        id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[InexplicitNumberOrder]:
        """Get an existing inexplicit number order by ID."""
        return await self._http.get(
            f"/inexplicit_number_orders/{path_segment(id, 'id')}",
            Envelope[InexplicitNumberOrder],
            CallOptions(timeout, max_retries, extra_headers),
        )

    async def wait(
        self,
        id: str,
        *,
        timeout: float = 600.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        on_progress: Callable[[InexplicitNumberOrder], object] | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> InexplicitNumberOrder:
        """Poll the order until every ordering group is done, and return it.

        A group is done once `success`, `failed` or `partial_success`. Polls start `poll_interval`
        seconds apart and the gap grows 1.5 times a poll, up to `max_poll_interval`; after a 429 the
        next poll waits at least as long as Telnyx asks. A poll that fails on a 429, a 5xx, a timeout
        or the network does not end the wait. `on_progress(order)` is called with every order fetched
        (on the blocking client, from its loop thread).

        An order whose placed numbers wait for regulatory requirements would never finish by itself: when
        a linked number order is still pending with `requirements_met` false, the wait stops.

        Raises:
            WaitTimeoutError: `timeout` seconds passed first; `.last_seen` is the newest order fetched.
            RequirementsPendingError: the order waits for regulatory requirements; `.waiting` names the
                number orders (see `retrieve_fulfillment()` for the requirements they miss).
        """
        path_segment(id, "id")
        options = CallOptions(None, max_retries, extra_headers)

        async def stuck(order: InexplicitNumberOrder) -> RequirementsPendingError | None:
            waiting = await waiting_for_requirements(self._http, order, options)
            if not waiting:
                return None
            return RequirementsPendingError(
                f"inexplicit number order {id} waits for regulatory requirements of number order(s) "
                f"{', '.join(waiting)}; give them (see retrieve_fulfillment()), then wait again",
                order=order,
                waiting=waiting,
            )

        return await poll_until_done(
            lambda call_timeout: self.retrieve(
                id, timeout=call_timeout, max_retries=max_retries, extra_headers=extra_headers
            ),
            what=f"inexplicit number order {id}",
            is_done=lambda order: order.is_complete,
            progress=_progress,
            timeout=check_seconds(timeout, "timeout"),
            poll_interval=check_seconds(poll_interval, "poll_interval"),
            max_poll_interval=check_seconds(max_poll_interval, "max_poll_interval"),
            http=self._http,
            on_progress=on_progress,
            stuck=stuck,
        )

    async def retrieve_fulfillment(
        self,
        order: InexplicitNumberOrder | str,
        *,
        max_concurrency: int = 8,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Fulfillment:
        """What an order (or the order of that id) produced: its number orders and sub number orders.

        Fetches every order linked from `ordering_groups[].orders[]`, at most `max_concurrency` at a
        time, with their phone numbers: `fulfillment.phone_numbers` are the numbers bought. `timeout`
        is the deadline of all the requests together. Call it once `wait()` has returned.
        """
        return await retrieve_fulfillment(
            self._http,
            order,
            lambda id, call_timeout: self.retrieve(
                id, timeout=call_timeout, max_retries=max_retries, extra_headers=extra_headers
            ),
            max_concurrency=max_concurrency,
            options=CallOptions(timeout, max_retries, extra_headers),
        )


def _progress(order: InexplicitNumberOrder) -> str:
    return "ordering groups: " + ", ".join(str(group.status) for group in order.ordering_groups or ())
