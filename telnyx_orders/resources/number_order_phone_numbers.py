from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._http import CallOptions, path_segment
from .._pagination import AsyncPaginator, paginate
from .._query import text
from .._timeouts import Timeout
from ..types import Envelope, NumberOrderPhoneNumber
from ..types._requirements import (
    NumberOrderPhoneNumberRequirementGroup,
    RegulatoryRequirementDict,
    RegulatoryRequirementParams,
)
from ..types._shared import ListEnvelope
from ._base import AsyncAPIResource
from ._raw.number_order_phone_numbers import AsyncNumberOrderPhoneNumbersWithRawResponse
from ._requirements import group_body, update_body

__all__ = ["AsyncNumberOrderPhoneNumbers", "AsyncNumberOrderPhoneNumbersWithRawResponse"]


class AsyncNumberOrderPhoneNumbers(AsyncAPIResource):
    """Each phone number of the number orders, with its regulatory requirements."""

    @property
    def with_raw_response(self) -> AsyncNumberOrderPhoneNumbersWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncNumberOrderPhoneNumbersWithRawResponse(self)

    def list(
        self,
        *,
        country_code: str | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncPaginator[NumberOrderPhoneNumber]:
        """List the phone numbers of number orders; `country_code` keeps those of one country.

        Telnyx answers this listing on one page (it takes no page parameters).
        """
        return paginate(
            self._http,
            "/number_order_phone_numbers",
            ListEnvelope[NumberOrderPhoneNumber],
            CallOptions(timeout, max_retries, extra_headers),
            params={"filter[country_code]": text(country_code, "country_code")},
        )

    async def retrieve(
        self,
        number_order_phone_number_id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberOrderPhoneNumber]:
        """Get one phone number of a number order, with the requirements it still misses."""
        return await self._http.get(
            f"/number_order_phone_numbers/{path_segment(number_order_phone_number_id, 'id')}",
            Envelope[NumberOrderPhoneNumber],
            CallOptions(timeout, max_retries, extra_headers),
        )

    async def update_requirements(
        self,
        number_order_phone_number_id: str,
        *,
        regulatory_requirements: Sequence[RegulatoryRequirementParams | RegulatoryRequirementDict],
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberOrderPhoneNumber]:
        """Give one phone number values for its regulatory requirements.

        Each value is a `RegulatoryRequirementParams` or a `{"requirement_id", "field_value"}` dict.
        """
        return await self._http.request(
            "PATCH",
            f"/number_order_phone_numbers/{path_segment(number_order_phone_number_id, 'id')}",
            Envelope[NumberOrderPhoneNumber],
            CallOptions(timeout, max_retries, extra_headers),
            body=update_body(regulatory_requirements=regulatory_requirements),
        )

    async def update_requirement_group(
        self,
        id: str,
        *,
        requirement_group_id: str,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberOrderPhoneNumberRequirementGroup]:
        """Meet the requirements of one phone number with a requirement group."""
        return await self._http.request(
            "POST",
            f"/number_order_phone_numbers/{path_segment(id, 'id')}/requirement_group",
            Envelope[NumberOrderPhoneNumberRequirementGroup],
            CallOptions(timeout, max_retries, extra_headers),
            body=group_body(requirement_group_id),
        )
