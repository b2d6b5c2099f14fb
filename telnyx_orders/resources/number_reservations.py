from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from .._converter import unstructure
from .._http import CallOptions, path_segment
from .._pagination import (
    BRACKETED_PAGE_PARAMETERS,
    AsyncPaginator,
    paginate,
)
from .._query import e164, present, text, timestamp
from .._timeouts import Timeout
from ..types import Envelope, NumberReservation
from ..types._params import ReservedPhoneNumberDict, ReservedPhoneNumberParams, check_reserved_numbers
from ..types._shared import ListEnvelope
from ._base import AsyncAPIResource
from ._raw.number_reservations import (
    AsyncNumberReservationActionsWithRawResponse,
    AsyncNumberReservationsWithRawResponse,
)

__all__ = [
    "AsyncNumberReservationActions",
    "AsyncNumberReservationActionsWithRawResponse",
    "AsyncNumberReservations",
    "AsyncNumberReservationsWithRawResponse",
]

RESERVATION_MAY_EXIST = (
    "the request was sent and may have taken effect: the numbers may be held. It was not retried; list "
    "reservations (for example by phone_number or customer_reference) before trying again"
)
EXTENSION_MAY_EXIST = (
    "the request was sent and may have taken effect: the reservation may be extended already"
)


class AsyncNumberReservations(AsyncAPIResource):
    """Reservations: numbers held for this account, so that no one else buys them before it does."""

    @property
    def with_raw_response(self) -> AsyncNumberReservationsWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncNumberReservationsWithRawResponse(self)

    @property
    def actions(self) -> AsyncNumberReservationActions:
        """What can be done to a reservation: `extend` it."""
        return AsyncNumberReservationActions(self._http)

    async def create(
        self,
        *,
        phone_numbers: Sequence[str | ReservedPhoneNumberParams | ReservedPhoneNumberDict],
        customer_reference: str | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberReservation]:
        """Hold the given numbers for this account until each number's `expired_at`.

        Each number is an E.164 str, a `ReservedPhoneNumberParams` or a `{"phone_number": ...}` dict.
        A number that cannot be held (on hold for someone else) has status `failure` and says why in
        `errors`. The request is sent again only if it certainly did not reach Telnyx; after any other
        failure the error has `may_have_taken_effect` set.
        """
        body = {
            "phone_numbers": unstructure(check_reserved_numbers(phone_numbers)),
            **present({"customer_reference": text(customer_reference, "customer_reference")}),
        }
        return await self._http.post(
            "/number_reservations",
            Envelope[NumberReservation],
            CallOptions(timeout, max_retries, extra_headers),
            body=body,
            may_have_taken_effect=RESERVATION_MAY_EXIST,
        )

    def list(
        self,
        *,
        status: str | None = None,
        created_at_gt: datetime | str | None = None,
        created_at_lt: datetime | str | None = None,
        phone_number: str | None = None,
        customer_reference: str | None = None,
        page_number: int | None = None,
        page_size: int | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncPaginator[NumberReservation]:
        """List reservations: the first page, and through it every reservation of every page.

        `phone_number` (E.164) keeps the reservations holding that number; `created_at_gt`/`_lt` keep
        those made after/before a moment (an aware `datetime` or an ISO 8601 string). `page_number` is
        the page to start from; `page_size` is 1 to 250.
        """
        return paginate(
            self._http,
            "/number_reservations",
            ListEnvelope[NumberReservation],
            CallOptions(timeout, max_retries, extra_headers),
            params={
                "filter[status]": text(status, "status"),
                "filter[created_at][gt]": timestamp(created_at_gt, "created_at_gt"),
                "filter[created_at][lt]": timestamp(created_at_lt, "created_at_lt"),
                "filter[phone_numbers.phone_number]": e164(phone_number, "phone_number"),
                "filter[customer_reference]": text(customer_reference, "customer_reference"),
            },
            page_parameters=BRACKETED_PAGE_PARAMETERS,
            page_number=page_number,
            page_size=page_size,
        )

    async def retrieve(
        self,
        number_reservation_id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberReservation]:
        """Get a reservation, with each of its numbers and when its hold ends."""
        return await self._http.get(
            f"/number_reservations/{path_segment(number_reservation_id, 'number_reservation_id')}",
            Envelope[NumberReservation],
            CallOptions(timeout, max_retries, extra_headers),
        )


class AsyncNumberReservationActions(AsyncAPIResource):
    """The actions on a number reservation."""

    @property
    def with_raw_response(self) -> AsyncNumberReservationActionsWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`)."""
        return AsyncNumberReservationActionsWithRawResponse(self)

    async def extend(
        self,
        number_reservation_id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[NumberReservation]:
        """Push back the expiry of every number of the reservation; answers the reservation as extended."""
        return await self._http.post(
            f"/number_reservations/{path_segment(number_reservation_id, 'number_reservation_id')}"
            "/actions/extend",
            Envelope[NumberReservation],
            CallOptions(timeout, max_retries, extra_headers),
            body=None,
            may_have_taken_effect=EXTENSION_MAY_EXIST,
        )
