from __future__ import annotations

from collections.abc import Mapping

from .._config import Timeout
from .._http import CallOptions, path_segment
from ..types import Envelope, NumberOrderWithPhoneNumbers
from ._base import AsyncAPIResource

__all__ = ["AsyncNumberOrders"]


class AsyncNumberOrders(AsyncAPIResource):
    """Orders for named phone numbers, including those an inexplicit order placed."""

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
