from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from .._converter import unstructure
from .._http import CallOptions, HTTPPipeline, path_segment
from .._pagination import (
    BRACKETED_PAGE_PARAMETERS,
    AsyncPageResponse,
    AsyncPaginator,
    first_page_response,
    paginate,
)
from .._query import flag, text, timestamp, whole_number
from .._response import APIResponse
from .._timeouts import Timeout
from ..types import Envelope, NumberOrder, NumberOrderWithPhoneNumbers
from ..types._params import PhoneNumberDict, PhoneNumberParams, check_phone_numbers
from ..types._requirements import RegulatoryRequirementDict, RegulatoryRequirementParams
from ..types._shared import ListEnvelope
from ._base import ORDER_MAY_EXIST, AsyncAPIResource, RawPipeline, as_raw, order_settings
from ._requirements import update_body

__all__ = ["AsyncNumberOrders", "AsyncNumberOrdersWithRawResponse"]


class AsyncNumberOrders(AsyncAPIResource):
    """Orders for named phone numbers, including those an inexplicit order placed."""

    @property
    def with_raw_response(self) -> AsyncNumberOrdersWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncNumberOrdersWithRawResponse(self._http)

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


class AsyncNumberOrdersWithRawResponse:
    """The calls of `number_orders`, each answering with its HTTP response (`APIResponse`)."""

    def __init__(self, http: HTTPPipeline) -> None:
        self._pages = AsyncNumberOrders(http)
        self._raw = AsyncNumberOrders(RawPipeline.of(http))

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
    ) -> APIResponse[Envelope[NumberOrderWithPhoneNumbers]]:
        """`create`, answering with its HTTP response; `.parse()` is the envelope `create` returns."""
        return as_raw(
            await self._raw.create(
                phone_numbers=phone_numbers,
                connection_id=connection_id,
                messaging_profile_id=messaging_profile_id,
                billing_group_id=billing_group_id,
                customer_reference=customer_reference,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )
        )

    async def list(
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
    ) -> AsyncPageResponse[NumberOrder]:
        """The first page of `list`, answering with its HTTP response; `.parse()` is that page."""
        return await first_page_response(
            self._pages.list(
                status=status,
                created_at_gt=created_at_gt,
                created_at_lt=created_at_lt,
                phone_numbers_count=phone_numbers_count,
                customer_reference=customer_reference,
                requirements_met=requirements_met,
                page_number=page_number,
                page_size=page_size,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )
        )

    async def retrieve(
        self,
        number_order_id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[Envelope[NumberOrderWithPhoneNumbers]]:
        """`retrieve`, answering with its HTTP response; `.parse()` is the envelope `retrieve` returns."""
        return as_raw(
            await self._raw.retrieve(
                number_order_id, timeout=timeout, max_retries=max_retries, extra_headers=extra_headers
            )
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
    ) -> APIResponse[Envelope[NumberOrderWithPhoneNumbers]]:
        """`update`, answering with its HTTP response; `.parse()` is what it returns."""
        return as_raw(
            await self._raw.update(
                number_order_id,
                customer_reference=customer_reference,
                regulatory_requirements=regulatory_requirements,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )
        )
