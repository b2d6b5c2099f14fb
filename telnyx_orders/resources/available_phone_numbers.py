from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._http import CallOptions
from .._pagination import AsyncSearch, search
from .._query import country, flag, listed, text, whole_number
from .._timeouts import Timeout
from ..types import AvailablePhoneNumber, SearchResults
from ._base import AsyncAPIResource
from ._raw.available_phone_numbers import AsyncAvailablePhoneNumbersWithRawResponse

__all__ = ["AsyncAvailablePhoneNumbers", "AsyncAvailablePhoneNumbersWithRawResponse"]


class AsyncAvailablePhoneNumbers(AsyncAPIResource):
    """The search for numbers for sale."""

    @property
    def with_raw_response(self) -> AsyncAvailablePhoneNumbersWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncAvailablePhoneNumbersWithRawResponse(self)

    def list(
        self,
        *,
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
        limit: int | None = None,
        best_effort: bool | None = None,
        quickship: bool | None = None,
        reservable: bool | None = None,
        exclude_held_numbers: bool | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncSearch[AvailablePhoneNumber]:
        """Search the numbers for sale that match every filter given.

        `await` it for the `SearchResults` (`.data`, and `.meta` with `total_results` and
        `best_effort_results`), or `async for` over it for each `AvailablePhoneNumber`. The search is
        one request, not paged: `limit` (1 or more) caps how many numbers it answers.

        `country_code` is two letters (`US`); `phone_number_type` is `local`, `toll_free`, `mobile`,
        `national` or `shared_cost`; `features` lists what every number must have (`["sms", "voice"]`);
        `phone_number_starts_with`/`_ends_with`/`_contains` match digits of the number. `best_effort`
        adds near matches (US and Canada), `quickship` keeps toll-free numbers that work at once,
        `reservable` keeps numbers that can be reserved, and `exclude_held_numbers` leaves out those on
        hold for this account.
        """
        return search(
            self._http,
            "/available_phone_numbers",
            SearchResults[AvailablePhoneNumber],
            CallOptions(timeout, max_retries, extra_headers),
            params={
                "filter[country_code]": country(country_code, "country_code"),
                "filter[phone_number_type]": text(phone_number_type, "phone_number_type"),
                "filter[national_destination_code]": text(
                    national_destination_code, "national_destination_code"
                ),
                "filter[locality]": text(locality, "locality"),
                "filter[administrative_area]": text(administrative_area, "administrative_area"),
                "filter[rate_center]": text(rate_center, "rate_center"),
                "filter[features]": listed(features, "features"),
                "filter[phone_number][starts_with]": text(
                    phone_number_starts_with, "phone_number_starts_with"
                ),
                "filter[phone_number][ends_with]": text(phone_number_ends_with, "phone_number_ends_with"),
                "filter[phone_number][contains]": text(phone_number_contains, "phone_number_contains"),
                "filter[limit]": whole_number(limit, "limit", minimum=1),
                "filter[best_effort]": flag(best_effort, "best_effort"),
                "filter[quickship]": flag(quickship, "quickship"),
                "filter[reservable]": flag(reservable, "reservable"),
                "filter[exclude_held_numbers]": flag(exclude_held_numbers, "exclude_held_numbers"),
            },
        )
