from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from .._http import CallOptions, path_segment
from .._query import present, text, timestamp
from .._timeouts import Timeout, check_seconds
from ..types import Envelope
from ..types._requirements import SubNumberOrdersReport
from ._base import AsyncAPIResource
from ._raw.sub_number_orders_report import AsyncSubNumberOrdersReportsWithRawResponse
from ._waiting import poll_until_done

__all__ = ["AsyncSubNumberOrdersReports", "AsyncSubNumberOrdersReportsWithRawResponse"]

REPORT_STATUSES = ("pending", "success", "failure")
"""The sub number order statuses a report can keep (the report's own status has others)."""
REPORT_MAY_EXIST = "The report may have been created anyway; a second one costs nothing but time."


class AsyncSubNumberOrdersReports(AsyncAPIResource):
    """CSV reports of sub number orders, built by Telnyx in the background."""

    @property
    def with_raw_response(self) -> AsyncSubNumberOrdersReportsWithRawResponse:
        """These calls, each answering with its HTTP response (`APIResponse`): status, headers, request id,
        retries taken and time; `.parse()` gives what the plain call returns."""
        return AsyncSubNumberOrdersReportsWithRawResponse(self)

    async def create(
        self,
        *,
        country_code: str | None = None,
        created_at_gt: datetime | str | None = None,
        created_at_lt: datetime | str | None = None,
        customer_reference: str | None = None,
        order_request_id: str | None = None,
        status: str | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[SubNumberOrdersReport]:
        """Ask for a report of the sub number orders matching every filter given (Telnyx answers 202).

        `status` is `pending`, `success` or `failure`; `created_at_gt`/`created_at_lt` are an aware
        `datetime` or an ISO 8601 string. The report is `pending` at first: `wait()` for it, then
        `download()` it. The request is sent again only if it certainly did not reach Telnyx.
        """
        if status is not None and status not in REPORT_STATUSES:
            raise ValueError(f"status must be one of {', '.join(REPORT_STATUSES)}, not {status!r}")
        body = present(
            {
                "country_code": text(country_code, "country_code"),
                "created_at_gt": timestamp(created_at_gt, "created_at_gt"),
                "created_at_lt": timestamp(created_at_lt, "created_at_lt"),
                "customer_reference": text(customer_reference, "customer_reference"),
                "order_request_id": text(order_request_id, "order_request_id"),
                "status": status,
            }
        )
        return await self._http.post(
            "/sub_number_orders_report",
            Envelope[SubNumberOrdersReport],
            CallOptions(timeout, max_retries, extra_headers),
            body=body,
            may_have_taken_effect=REPORT_MAY_EXIST,
        )

    async def retrieve(
        self,
        report_id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Envelope[SubNumberOrdersReport]:
        """Get a report's status and filters."""
        return await self._http.get(
            f"/sub_number_orders_report/{path_segment(report_id, 'report_id')}",
            Envelope[SubNumberOrdersReport],
            CallOptions(timeout, max_retries, extra_headers),
        )

    async def download(
        self,
        report_id: str,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """The report's CSV, as bytes; Telnyx serves it once the report's status is `success`."""
        return await self._http.get(
            f"/sub_number_orders_report/{path_segment(report_id, 'report_id')}/download",
            bytes,
            CallOptions(timeout, max_retries, extra_headers),
        )

    async def wait(
        self,
        report_id: str,
        *,
        timeout: float = 300.0,
        poll_interval: float = 1.0,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> SubNumberOrdersReport:
        """Retrieve the report every `poll_interval` seconds until it is no longer `pending`.

        Returns the report (check its `status`: `success` can be downloaded). A poll that fails on a
        429, a 5xx, a timeout or the network does not end the wait.

        Raises:
            WaitTimeoutError: it was still pending after `timeout` seconds; `.last_seen` is the newest
                report fetched.
        """
        path_segment(report_id, "report_id")
        poll_interval = check_seconds(poll_interval, "poll_interval")
        return await poll_until_done(
            lambda call_timeout: self.retrieve(
                report_id, timeout=call_timeout, max_retries=max_retries, extra_headers=extra_headers
            ),
            what=f"sub number orders report {report_id}",
            is_done=lambda report: report.status != "pending",
            progress=lambda report: f"last status {report.status}",
            timeout=check_seconds(timeout, "timeout"),
            poll_interval=poll_interval,
            max_poll_interval=poll_interval,
            http=self._http,
        )
