from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._http import CallOptions, path_segment
from .._pagination import AsyncPaginator, paginate
from .._query import flag, present, text, whole_number
from .._timeouts import Timeout
from ..types import Envelope, SubNumberOrder
from ..types._requirements import (
    RegulatoryRequirementDict,
    RegulatoryRequirementParams,
    SubNumberOrderRequirementGroup,
)
from ..types._shared import ListEnvelope
from ._base import AsyncAPIResource
from ._raw.sub_number_orders import AsyncSubNumberOrdersWithRawResponse
from ._requirements import group_body, update_body

__all__ = ["AsyncSubNumberOrders", "AsyncSubNumberOrdersWithRawResponse"]


class AsyncSubNumberOrders(AsyncAPIResource):
    """The per-country, per-type parts of a number order."""

    @property
    def with_raw_response(self) -> AsyncSubNumberOrdersWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncSubNumberOrdersWithRawResponse(self)

    def list(
        self,
        *,
        status: str | None = None,
        order_request_id: str | None = None,
        country_code: str | None = None,
        phone_number_type: str | None = None,
        phone_numbers_count: int | None = None,
        include_phone_numbers: bool | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncPaginator[SubNumberOrder]:
        """List sub number orders; `order_request_id` keeps those of one number order.

        Telnyx answers this listing on one page (it takes no page parameters). With
        `include_phone_numbers=True` each sub number order carries its first 50 numbers.
        """
        return paginate(
            self._http,
            "/sub_number_orders",
            ListEnvelope[SubNumberOrder],
            CallOptions(timeout, max_retries, extra_headers),
            params={
                "filter[status]": text(status, "status"),
                "filter[order_request_id]": text(order_request_id, "order_request_id"),
                "filter[country_code]": text(country_code, "country_code"),
                "filter[phone_number_type]": text(phone_number_type, "phone_number_type"),
                "filter[phone_numbers_count]": whole_number(
                    phone_numbers_count, "phone_numbers_count", minimum=0
                ),
                "filter[include_phone_numbers]": flag(include_phone_numbers, "include_phone_numbers"),
            },
        )

    async def retrieve(
        self,
        sub_number_order_id: str,
        *,
        include_phone_numbers: bool | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[SubNumberOrder]:
        """Get an existing sub number order; `include_phone_numbers=True` adds its first 50 numbers."""
        return await self._http.get(
            f"/sub_number_orders/{path_segment(sub_number_order_id, 'sub_number_order_id')}",
            Envelope[SubNumberOrder],
            CallOptions(timeout, max_retries, extra_headers),
            params=present(
                {"filter[include_phone_numbers]": flag(include_phone_numbers, "include_phone_numbers")}
            ),
        )

    async def update(
        self,
        sub_number_order_id: str,
        *,
        regulatory_requirements: Sequence[RegulatoryRequirementParams | RegulatoryRequirementDict]
        | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[SubNumberOrder]:
        """Give the numbers of a sub number order values for their regulatory requirements.

        Each value is a `RegulatoryRequirementParams` or a `{"requirement_id", "field_value"}` dict;
        `regulatory_requirements` on the sub number order lists the requirement ids to fill.
        """
        return await self._http.request(
            "PATCH",
            f"/sub_number_orders/{path_segment(sub_number_order_id, 'sub_number_order_id')}",
            Envelope[SubNumberOrder],
            CallOptions(timeout, max_retries, extra_headers),
            body=update_body(regulatory_requirements=regulatory_requirements),
        )

    async def cancel(
        self,
        sub_number_order_id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[SubNumberOrder]:
        """Cancel a sub number order; Telnyx cancels only one still `pending` (any other is an error)."""
        return await self._http.request(
            "PATCH",
            f"/sub_number_orders/{path_segment(sub_number_order_id, 'sub_number_order_id')}/cancel",
            Envelope[SubNumberOrder],
            CallOptions(timeout, max_retries, extra_headers),
        )

    async def update_requirement_group(
        self,
        id: str,
        *,
        requirement_group_id: str,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[SubNumberOrderRequirementGroup]:
        """Meet the requirements of a sub number order's numbers with a requirement group.

        Returns the sub number order with its phone numbers and their requirements.
        """
        return await self._http.request(
            "POST",
            f"/sub_number_orders/{path_segment(id, 'id')}/requirement_group",
            Envelope[SubNumberOrderRequirementGroup],
            CallOptions(timeout, max_retries, extra_headers),
            body=group_body(requirement_group_id),
        )
