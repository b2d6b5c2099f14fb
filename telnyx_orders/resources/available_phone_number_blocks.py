from __future__ import annotations

from collections.abc import Mapping

from .._http import CallOptions
from .._pagination import AsyncSearch, search
from .._query import country, text
from .._timeouts import Timeout
from ..types import AvailablePhoneNumberBlock, SearchResults
from ._base import AsyncAPIResource
from ._raw.available_phone_number_blocks import AsyncAvailablePhoneNumberBlocksWithRawResponse

__all__ = ["AsyncAvailablePhoneNumberBlocks", "AsyncAvailablePhoneNumberBlocksWithRawResponse"]


class AsyncAvailablePhoneNumberBlocks(AsyncAPIResource):
    """The search for blocks of consecutive numbers for sale."""

    @property
    def with_raw_response(self) -> AsyncAvailablePhoneNumberBlocksWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncAvailablePhoneNumberBlocksWithRawResponse(self)

    def list(
        self,
        *,
        country_code: str | None = None,
        phone_number_type: str | None = None,
        national_destination_code: str | None = None,
        locality: str | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncSearch[AvailablePhoneNumberBlock]:
        """Search the number blocks for sale that match every filter given.

        `await` it for the `SearchResults` (`.data`, `.meta`), or `async for` over it for each
        `AvailablePhoneNumberBlock`; one request, not paged. Order a block found with
        `number_block_orders.create(starting_number=block.phone_number, range=block.range)`.
        """
        return search(
            self._http,
            "/available_phone_number_blocks",
            SearchResults[AvailablePhoneNumberBlock],
            CallOptions(timeout, max_retries, extra_headers),
            params={
                "filter[country_code]": country(country_code, "country_code"),
                "filter[phone_number_type]": text(phone_number_type, "phone_number_type"),
                "filter[national_destination_code]": text(
                    national_destination_code, "national_destination_code"
                ),
                "filter[locality]": text(locality, "locality"),
            },
        )
