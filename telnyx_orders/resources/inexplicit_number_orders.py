from __future__ import annotations

from collections.abc import Mapping

from .._config import Timeout
from .._http import CallOptions, path_segment
from ..types import Envelope, InexplicitNumberOrder
from ._base import AsyncAPIResource

__all__ = ["AsyncInexplicitNumberOrders"]


class AsyncInexplicitNumberOrders(AsyncAPIResource):
    """Orders for N numbers of a country and type, chosen by Telnyx."""

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
