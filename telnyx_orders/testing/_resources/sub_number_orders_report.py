"""Sub number orders reports: a CSV of the sandbox's own sub number orders, built in the background.

A report is ``pending`` when created (``202``) and ``success`` one lifecycle step later, when its CSV
is built from the sub number orders matching its filters at that moment. Downloading it before then is
a 422 (the spec says the report "must have a status of 'success' before it can be downloaded" and
declares 422 "Unprocessable entity"); the CSV has the columns of the spec's example, in its order,
with Python-style booleans and space-separated timestamps as that example shows.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, cast

from aiohttp import web

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._errors import InvalidParameter, json_response
from telnyx_orders.testing._lifecycle import Stage
from telnyx_orders.testing._resource import Resource, Route
from telnyx_orders.testing._resources import sub_number_orders
from telnyx_orders.testing._serving import retrieve, stored
from telnyx_orders.testing._validation import Checker, is_uuid, read_json_object

if TYPE_CHECKING:
    from collections.abc import Mapping

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import SandboxState

KIND = "sub_number_orders_report"
_CSV = "sub_number_orders_report.csv"
"""The table holding ``{"csv": text}`` for each report that is ready, under the report's id."""
COLUMNS = (
    "id",
    "order_request_id",
    "is_block_sub_number_order",
    "status",
    "phone_number_type",
    "requirements_met",
    "phone_numbers_count",
    "country_code",
    "user_id",
    "customer_reference",
    "created_at",
    "updated_at",
)
"""The CSV's header, as the spec's example of the download has it."""
STATUSES = ("pending", "success", "failure")
"""The request's ``status`` filter values (the report's own status has ``failed`` and ``expired`` instead)."""
_TEXT_FILTERS = ("country_code", "customer_reference", "order_request_id", "status")


def parse(body: Mapping[str, object]) -> dict[str, str]:
    """Check a ``CreateSubNumberOrdersReportRequest``: every filter optional, typed as the spec says."""
    checker = Checker()
    filters: dict[str, str] = {}
    for key in (*_TEXT_FILTERS, "created_at_gt", "created_at_lt"):
        value = checker.string(body, key, "")
        if value is None:
            continue
        if key.startswith("created_at") and documents.parse_timestamp(value) is None:
            checker.report(f"/{key}", f"{key} must be an ISO 8601 date-time.")
        elif key == "order_request_id" and not is_uuid(value):
            checker.report("/order_request_id", "order_request_id must be a UUID.")
        elif key == "status" and value not in STATUSES:
            checker.report("/status", f"status must be one of: {', '.join(STATUSES)}.")
        else:
            filters[key] = value
    checker.raise_if_any()
    return filters


def _selected(sub: JSONDict, filters: Mapping[str, str]) -> bool:
    for key in _TEXT_FILTERS:
        if key in filters and sub.get(key) != filters[key]:
            return False
    created = documents.parse_timestamp(str(sub.get("created_at", "")))
    for key, after in (("created_at_gt", True), ("created_at_lt", False)):
        bound = documents.parse_timestamp(filters.get(key, ""))
        if bound is not None and (created is None or (created <= bound if after else created >= bound)):
            return False
    return True


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return str(value)  # the spec's example: False, True
    if isinstance(value, str):
        moment = documents.parse_timestamp(value)
        if moment is not None and "T" in value:
            return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value
    return "" if value is None else str(value)


def build_csv(subs: list[JSONDict]) -> str:
    """The report's CSV: a header, then one row per sub number order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for sub in subs:
        writer.writerow([_cell(sub.get(column)) for column in COLUMNS])
    return out.getvalue()


@dataclasses.dataclass(eq=False)
class _Flight:
    report: JSONDict

    def enter(self, stage: Stage, state: SandboxState, now: str) -> None:
        if stage is Stage.PROCESSING:
            filters = cast("Mapping[str, str]", self.report.get("filters") or {})
            subs = [sub for sub in state.table(sub_number_orders.KIND).values() if _selected(sub, filters)]
            state.table(_CSV)[self.report["id"]] = {"csv": build_csv(subs)}
            self.report.update(status="success", updated_at=now)


def document(*, filters: Mapping[str, str], now: str) -> JSONDict:
    """A ``SubNumberOrdersReport``, ``pending``."""
    return {
        "id": documents.new_id(),
        "created_at": now,
        "filters": dict(filters),
        "order_type": "sub_number_order",
        "status": "pending",
        "updated_at": now,
        "user_id": documents.new_id(),
    }


def seed(state: SandboxState, **overrides: Any) -> JSONDict:
    """Store a ready report over every sub number order stored now; ``overrides`` replace top-level keys."""
    doc = document(filters={}, now=documents.timestamp())
    doc["status"] = "success"
    doc.update(overrides)
    key = documents.check_key(doc)
    state.table(_CSV)[key] = {"csv": build_csv(list(state.table(sub_number_orders.KIND).values()))}
    state.table(KIND)[key] = doc
    return doc


async def _post(request: web.Request) -> web.Response:
    # The body is optional (requestBody.required is false): no body is a report of everything.
    body = await read_json_object(request) if await request.read() else {}
    filters = parse(body)
    state = request.app[CONTEXT].state
    with state.lock:
        state.advance()
        created_at = datetime.now(timezone.utc)
        report = document(filters=filters, now=documents.timestamp(created_at))
        state.table(KIND)[report["id"]] = report
        state.lifecycle.start(_Flight(report), created_at)
        return json_response({"data": report}, status=202)


async def _get(request: web.Request) -> web.Response:
    return retrieve(request, KIND, "report_id")


async def _download(request: web.Request) -> web.Response:
    with stored(request, KIND, "report_id") as (state, key, report):
        ready = state.table(_CSV).get(key)
        if report.get("status") != "success" or ready is None:
            raise InvalidParameter(
                422, f"The report is {report.get('status')!r}; it can be downloaded once it is 'success'."
            )
        return web.Response(text=ready["csv"], content_type="text/csv")


RESOURCE = Resource(
    kind=KIND,
    routes=(
        Route("POST", "/sub_number_orders_report", "CreateSubNumberOrdersReport", _post),
        Route("GET", "/sub_number_orders_report/{report_id}", "GetSubNumberOrdersReport", _get),
        Route(
            "GET",
            "/sub_number_orders_report/{report_id}/download",
            "DownloadSubNumberOrdersReport",
            _download,
        ),
    ),
    seed=seed,
)
