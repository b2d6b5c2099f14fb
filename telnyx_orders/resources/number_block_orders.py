from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from .._http import CallOptions, path_segment
from .._pagination import (
    BRACKETED_PAGE_PARAMETERS,
    AsyncPaginator,
    paginate,
)
from .._query import e164, text, timestamp
from .._timeouts import Timeout
from ..types import Envelope, NumberBlockOrder
from ..types._params import check_e164
from ..types._shared import ListEnvelope
from ._base import ORDER_MAY_EXIST, AsyncAPIResource, order_settings
from ._raw.number_block_orders import AsyncNumberBlockOrdersWithRawResponse

__all__ = ["AsyncNumberBlockOrders", "AsyncNumberBlockOrdersWithRawResponse"]


class AsyncNumberBlockOrders(AsyncAPIResource):
    """Orders for a block of consecutive numbers, named by its first number and its size."""

    @property
    def with_raw_response(self) -> AsyncNumberBlockOrdersWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncNumberBlockOrdersWithRawResponse(self)

    async def create(
        self,
        *,
        starting_number: str,
        range: int,
        connection_id: str | None = None,
        messaging_profile_id: str | None = None,
        customer_reference: str | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberBlockOrder]:
        """Order the `range` numbers from `starting_number` (E.164) on, as one block.

        The order is `pending` at first and ends `success` or `failure`; `retrieve` it to follow it. The
        request is sent again only if it certainly did not reach Telnyx; after any other failure the
        error has `may_have_taken_effect` set.
        """
        body = {
            "starting_number": check_e164(starting_number, "starting_number"),
            "range": _block_range(range),
            **order_settings(
                connection_id=connection_id,
                messaging_profile_id=messaging_profile_id,
                billing_group_id=None,
                customer_reference=customer_reference,
            ),
        }
        return await self._http.post(
            "/number_block_orders",
            Envelope[NumberBlockOrder],
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
        starting_number: str | None = None,
        page_number: int | None = None,
        page_size: int | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncPaginator[NumberBlockOrder]:
        """List block orders: the first page, and through it every order of every page.

        `starting_number` (E.164) keeps the orders of the block starting there; `created_at_gt`/`_lt`
        keep those made after/before a moment (an aware `datetime` or an ISO 8601 string).
        `page_number` is the page to start from; `page_size` is 1 to 250.
        """
        return paginate(
            self._http,
            "/number_block_orders",
            ListEnvelope[NumberBlockOrder],
            CallOptions(timeout, max_retries, extra_headers),
            params={
                "filter[status]": text(status, "status"),
                "filter[created_at][gt]": timestamp(created_at_gt, "created_at_gt"),
                "filter[created_at][lt]": timestamp(created_at_lt, "created_at_lt"),
                "filter[phone_numbers.starting_number]": e164(starting_number, "starting_number"),
            },
            page_parameters=BRACKETED_PAGE_PARAMETERS,
            page_number=page_number,
            page_size=page_size,
        )

    async def retrieve(
        self,
        number_block_order_id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberBlockOrder]:
        """Get a block order."""
        return await self._http.get(
            f"/number_block_orders/{path_segment(number_block_order_id, 'number_block_order_id')}",
            Envelope[NumberBlockOrder],
            CallOptions(timeout, max_retries, extra_headers),
        )


def _block_range(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"range must be an int, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"range must be 1 or more, not {value}")
    return value
