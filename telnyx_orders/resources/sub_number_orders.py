from __future__ import annotations

from collections.abc import Mapping

from .._config import Timeout
from .._http import CallOptions, path_segment, query_bool
from ..types import Envelope, SubNumberOrder
from ._base import AsyncAPIResource

__all__ = ["AsyncSubNumberOrders"]


class AsyncSubNumberOrders(AsyncAPIResource):
    """The per-country, per-type parts of a number order."""

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
        params: dict[str, str] = {}
        if include_phone_numbers is not None:
            params["filter[include_phone_numbers]"] = query_bool(
                include_phone_numbers, "include_phone_numbers"
            )
        return await self._http.get(
            f"/sub_number_orders/{path_segment(sub_number_order_id, 'sub_number_order_id')}",
            Envelope[SubNumberOrder],
            CallOptions(timeout, max_retries, extra_headers),
            params=params,
        )
