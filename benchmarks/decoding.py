"""(c) Decode + structure, per document: the bytes of a response body to the client's models.

Three documents: the retrieve body (one order), a listing page of 250 orders, and a search answering
1,000 numbers (each with its features, region and cost). telnyx_orders runs what
its pipeline runs on every response (`json.loads`, then the cattrs converter); the official package is
timed on `model_validate_json` (pydantic's validating path) and on its default path, `json.loads` then
`construct_type`, which is what its clients do with a response. Medians of several timeit repeats.

`json.loads` alone is timed too: it is part of telnyx_orders' figure, and it is the floor of any
pure-Python decoder, against which pydantic parses and validates in one pass in Rust.

A second table times structuring alone (the document already parsed) with the generated functions of
`_fast_structure` and with cattrs' own non-detailed functions: the generated ones stay only while they
are at least 1.3x faster on both documents.
"""

from __future__ import annotations

import json
import statistics
import timeit
from collections.abc import Callable

from telnyx_orders._converter import build_converter, structure
from telnyx_orders.types import AvailablePhoneNumber, Envelope, InexplicitNumberOrder, SearchResults
from telnyx_orders.types._shared import ListEnvelope

from ._clients import OURS
from ._report import Table, Target
from ._server import SEARCH_RESULTS, documents, search_body

VALIDATE = "telnyx model_validate_json"
CONSTRUCT = "telnyx default (construct_type)"


def _microseconds(decode: Callable[[], object], repeat: int) -> float:
    decode()  # builds any cached hooks or validators before timing
    timer = timeit.Timer(decode)
    number, _ = timer.autorange()
    return statistics.median(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def run(*, quick: bool = False) -> tuple[list[Table], list[Target]]:
    repeat = 3 if quick else 7
    from telnyx._models import construct_type
    from telnyx.pagination import AsyncDefaultFlatPaginationForInexplicitNumberOrders
    from telnyx.types import (
        AvailablePhoneNumberListResponse,
        InexplicitNumberOrderResponse,
        InexplicitNumberOrderRetrieveResponse,
    )

    docs = documents()
    official_page = AsyncDefaultFlatPaginationForInexplicitNumberOrders[InexplicitNumberOrderResponse]
    cases = {
        "retrieve body (1 order)": (
            docs.retrieve,
            Envelope[InexplicitNumberOrder],
            InexplicitNumberOrderRetrieveResponse,
        ),
        "list page (250 orders)": (docs.page(1), ListEnvelope[InexplicitNumberOrder], official_page),
        f"search ({SEARCH_RESULTS:,} numbers)": (
            search_body(),
            SearchResults[AvailablePhoneNumber],
            AvailablePhoneNumberListResponse,
        ),
    }
    rows: list[list[object]] = []
    targets: list[Target] = []
    structuring_rows: list[list[object]] = []
    generated, cattrs_only = build_converter(detailed=False), build_converter(detailed=False, generated=False)
    for label, (body, ours_type, official_type) in cases.items():
        ours = _microseconds(lambda body=body, t=ours_type: structure(json.loads(body), t), repeat)
        parse_only = _microseconds(lambda body=body: json.loads(body), repeat)
        validate = _microseconds(lambda body=body, t=official_type: t.model_validate_json(body), repeat)
        construct = _microseconds(
            lambda body=body, t=official_type: construct_type(type_=t, value=json.loads(body)), repeat
        )
        rows.append(
            [
                label,
                ours,
                parse_only,
                validate,
                construct,
                f"{validate / ours:.2f}x",
                f"{construct / ours:.2f}x",
            ]
        )
        document = json.loads(body)
        fast = _microseconds(lambda d=document, t=ours_type: generated.structure(d, t), repeat)
        plain = _microseconds(lambda d=document, t=ours_type: cattrs_only.structure(d, t), repeat)
        structuring_rows.append([label, fast, plain, f"{plain / fast:.2f}x"])
        targets += [
            Target(f"(c) {label}: cattrs functions / generated functions, structuring", plain / fast, 1.3),
            Target(f"(c) {label}: {VALIDATE} time / {OURS} time", validate / ours, 1.0),
            Target(f"(c) {label}: {CONSTRUCT} time / {OURS} time", construct / ours, 2.0),
        ]
    table = Table(
        f"(c) decode + structure, microseconds per document (median of {repeat} repeats)",
        ["document", OURS, "of it, json.loads", VALIDATE, CONSTRUCT, "validate / ours", "construct / ours"],
        rows,
    )
    structuring = Table(
        f"(c) structure only, microseconds per parsed document (median of {repeat} repeats)",
        ["document", "generated functions", "cattrs functions (non-detailed)", "cattrs / generated"],
        structuring_rows,
    )
    return [table, structuring], targets
