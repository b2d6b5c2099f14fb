from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from .._converter import unstructure
from .._errors import RequirementsPendingError
from .._http import CallOptions, path_segment
from .._pagination import (
    BRACKETED_PAGE_PARAMETERS,
    AsyncPaginator,
    paginate,
)
from .._query import flag, text, timestamp, whole_number
from .._timeouts import Timeout, check_seconds
from ..types import Envelope, NumberOrder, NumberOrderWithPhoneNumbers, Purchase
from ..types._params import PhoneNumberDict, PhoneNumberParams, check_phone_numbers
from ..types._requirements import RegulatoryRequirementDict, RegulatoryRequirementParams
from ..types._shared import ListEnvelope
from ._base import ORDER_MAY_EXIST, AsyncAPIResource, order_settings
from ._buying import buy_numbers, check_wait
from ._raw.number_orders import AsyncNumberOrdersWithRawResponse
from ._requirements import update_body
from ._waiting import poll_until_done

__all__ = ["AsyncNumberOrders", "AsyncNumberOrdersWithRawResponse"]


class AsyncNumberOrders(AsyncAPIResource):
    """Orders for named phone numbers, including those an inexplicit order placed."""

    @property
    def with_raw_response(self) -> AsyncNumberOrdersWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncNumberOrdersWithRawResponse(self)

    async def create(
        self,
        *,
        phone_numbers: Sequence[str | PhoneNumberParams | PhoneNumberDict],
        connection_id: str | None = None,
        messaging_profile_id: str | None = None,
        billing_group_id: str | None = None,
        customer_reference: str | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberOrderWithPhoneNumbers]:
        """Order the given phone numbers.

        Each number is an E.164 str, a `PhoneNumberParams` (adding `bundle_id` or
        `requirement_group_id`) or a dict of the same keys. The request is sent again only if it
        certainly did not reach Telnyx; after any other failure the error has `may_have_taken_effect` set.
        """
        body = {
            "phone_numbers": unstructure(check_phone_numbers(phone_numbers)),
            **order_settings(
                connection_id=connection_id,
                messaging_profile_id=messaging_profile_id,
                billing_group_id=billing_group_id,
                customer_reference=customer_reference,
            ),
        }
        return await self._http.post(
            "/number_orders",
            Envelope[NumberOrderWithPhoneNumbers],
            CallOptions(timeout, max_retries, extra_headers),
            body=body,
            may_have_taken_effect=ORDER_MAY_EXIST,
        )

    def list(
        self,
        *,
        status: str | None = None,
        created_at_gt: datetime | str | None = None,
        created_at_lt: datetime | str | None = None,
        phone_numbers_count: int | None = None,
        customer_reference: str | None = None,
        requirements_met: bool | None = None,
        page_number: int | None = None,
        page_size: int | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncPaginator[NumberOrder]:
        """List number orders: the first page, and through it every order of every page.

        `created_at_gt`/`created_at_lt` keep orders created after/before a moment (an aware `datetime`
        or an ISO 8601 string). `page_number` is the page to start from; `page_size` is 1 to 250.
        """
        return paginate(
            self._http,
            "/number_orders",
            ListEnvelope[NumberOrder],
            CallOptions(timeout, max_retries, extra_headers),
            params={
                "filter[status]": text(status, "status"),
                "filter[created_at][gt]": timestamp(created_at_gt, "created_at_gt"),
                "filter[created_at][lt]": timestamp(created_at_lt, "created_at_lt"),
                "filter[phone_numbers_count]": whole_number(
                    phone_numbers_count, "phone_numbers_count", minimum=0
                ),
                "filter[customer_reference]": text(customer_reference, "customer_reference"),
                "filter[requirements_met]": flag(requirements_met, "requirements_met"),
            },
            page_parameters=BRACKETED_PAGE_PARAMETERS,
            page_number=page_number,
            page_size=page_size,
        )

    async def retrieve(
        self,
        number_order_id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberOrderWithPhoneNumbers]:
        """Get an existing phone number order."""
        return await self._http.get(
            f"/number_orders/{path_segment(number_order_id, 'number_order_id')}",
            Envelope[NumberOrderWithPhoneNumbers],
            CallOptions(timeout, max_retries, extra_headers),
        )

    async def update(
        self,
        number_order_id: str,
        *,
        customer_reference: str | None = None,
        regulatory_requirements: Sequence[RegulatoryRequirementParams | RegulatoryRequirementDict]
        | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberOrderWithPhoneNumbers]:
        """Rename a number order, or give its numbers values for their regulatory requirements.

        Each value is a `RegulatoryRequirementParams` or a `{"requirement_id", "field_value"}` dict; it
        goes to every number of the order that needs that requirement. An order waiting for requirements
        completes once they are all met.
        """
        return await self._http.request(
            "PATCH",
            f"/number_orders/{path_segment(number_order_id, 'number_order_id')}",
            Envelope[NumberOrderWithPhoneNumbers],
            CallOptions(timeout, max_retries, extra_headers),
            body=update_body(
                customer_reference=customer_reference, regulatory_requirements=regulatory_requirements
            ),
        )

    async def wait(
        self,
        number_order_id: str,
        *,
        timeout: float = 600.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        on_progress: Callable[[NumberOrderWithPhoneNumbers], object] | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> NumberOrderWithPhoneNumbers:
        """Poll the order until it is no longer `pending`, and return it (check its `status`).

        Polls start `poll_interval` seconds apart and the gap grows 1.5 times a poll, up to
        `max_poll_interval`; after a 429 the next poll waits at least as long as Telnyx asks. A poll that
        fails on a 429, a 5xx, a timeout or the network does not end the wait. `on_progress(order)` is
        called with every order fetched (on the blocking client, from its loop thread).

        An order that waits for regulatory requirements (`requirements_met` false) would never finish by
        itself: the wait stops, so that its caller can give them with `update()` and wait again.

        Raises:
            WaitTimeoutError: `timeout` seconds passed first; `.last_seen` is the newest order fetched.
            RequirementsPendingError: the order waits for regulatory requirements.
        """
        path_segment(number_order_id, "number_order_id")
        return await poll_until_done(
            lambda call_timeout: self.retrieve(
                number_order_id, timeout=call_timeout, max_retries=max_retries, extra_headers=extra_headers
            ),
            what=f"number order {number_order_id}",
            is_done=lambda order: order.status is not None and order.status != "pending",
            progress=lambda order: f"status {order.status}",
            timeout=check_seconds(timeout, "timeout"),
            poll_interval=check_seconds(poll_interval, "poll_interval"),
            max_poll_interval=check_seconds(max_poll_interval, "max_poll_interval"),
            http=self._http,
            on_progress=on_progress,
            stuck=_waiting_for_requirements,
        )

    async def buy(
        self,
        *,
        count: int = 1,
        country_code: str | None = None,
        phone_number_type: str | None = None,
        national_destination_code: str | None = None,
        locality: str | None = None,
        administrative_area: str | None = None,
        rate_center: str | None = None,
        features: Sequence[str] | None = None,
        phone_number_starts_with: str | None = None,
        phone_number_ends_with: str | None = None,
        phone_number_contains: str | None = None,
        connection_id: str | None = None,
        messaging_profile_id: str | None = None,
        billing_group_id: str | None = None,
        customer_reference: str | None = None,
        timeout: float = 600.0,
        poll_interval: float = 1.0,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Purchase:
        """Buy `count` numbers matching the search filters, in one call: search, reserve, order, wait.

        1. `available_phone_numbers.list(...)` with the filters given (as that method takes them),
           for `count` numbers that can be reserved and are not on hold for this account;
        2. `number_reservations.create(...)` holds them, so that no one else buys them meanwhile;
        3. `create(...)` orders exactly the numbers held, with the connection, messaging profile,
           billing group and customer reference given (the reference names the reservation too);
        4. the order is retrieved every `poll_interval` seconds until it is no longer `pending`, or
           waits for regulatory requirements (`requirements_met` false: give them with `update()`).

        Returns a `Purchase`: the reservation and the order as last retrieved (check `order.status`).
        `timeout` is the deadline of the whole purchase, in seconds.

        Nothing is bought twice: a reservation or an order whose request may have landed is never sent
        again. Telnyx has no call to release a reservation: when a step fails, the numbers already held
        are left to expire at their `expired_at`.

        Raises:
            APIError: the search itself failed (nothing was reserved or ordered).
            PurchaseError: the search found too few numbers, the reservation failed or held too few,
                the order failed (`may_have_ordered` says whether it may exist though), or following the
                order failed or ran out of time (`order` is the order placed). `reservation` is the
                reservation made, if any; the error that stopped the purchase is the `__cause__`.
        """
        check_wait(timeout, poll_interval)
        whole_number(count, "count", minimum=1)
        # The filters are checked by the search, which buy_numbers makes before anything is sent.
        return await buy_numbers(
            self._http,
            self,
            count=count,
            filters={
                "country_code": country_code,
                "phone_number_type": phone_number_type,
                "national_destination_code": national_destination_code,
                "locality": locality,
                "administrative_area": administrative_area,
                "rate_center": rate_center,
                "features": features,
                "phone_number_starts_with": phone_number_starts_with,
                "phone_number_ends_with": phone_number_ends_with,
                "phone_number_contains": phone_number_contains,
            },
            settings=order_settings(
                connection_id=connection_id,
                messaging_profile_id=messaging_profile_id,
                billing_group_id=billing_group_id,
                customer_reference=customer_reference,
            ),
            timeout=timeout,
            poll_interval=poll_interval,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )


async def _waiting_for_requirements(order: NumberOrderWithPhoneNumbers) -> RequirementsPendingError | None:
    if order.requirements_met is not False or order.id is None:
        return None
    return RequirementsPendingError(
        f"number order {order.id} waits for regulatory requirements; each phone number's "
        "regulatory_requirements says which, give them with update(regulatory_requirements=...) and "
        "wait again",
        order=order,
        waiting=(order.id,),
    )
