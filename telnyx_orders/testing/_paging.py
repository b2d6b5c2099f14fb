"""Page parameters and ``PaginationMeta``."""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any, TypeVar

from telnyx_orders.testing._errors import InvalidParameter
from telnyx_orders.testing._validation import whole_number

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

_T = TypeVar("_T")

MAX_PAGE_SIZE = 250
DEFAULT_PAGE_SIZE = 20
PAGE_CAP = 10**18
"""Page numbers are read up to here (far past any last page): a larger one is the same empty page."""


@dataclasses.dataclass(frozen=True)
class Page:
    """A requested page: 1-based ``number`` and ``size``."""

    number: int = 1
    size: int = DEFAULT_PAGE_SIZE


def _parse_int(query: Mapping[str, str], name: str, default: int, maximum: int | None) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    value = whole_number(raw, cap=PAGE_CAP)
    if value is None:  # "-1" included: answered as before, 400 rather than 422
        raise InvalidParameter(400, f"{name} must be a positive integer.", parameter=name)
    if value < 1 or (maximum is not None and value > maximum):
        bounds = f"between 1 and {maximum}" if maximum is not None else "at least 1"
        raise InvalidParameter(422, f"{name} must be {bounds}.", parameter=name)
    return value


def parse_page(query: Mapping[str, str], *, number_param: str, size_param: str) -> Page:
    """Read and validate a page: 400 for a non-integer, 422 for one out of the spec's range (``minimum: 1``,
    and ``maximum: 250`` for the size)."""
    return Page(
        number=_parse_int(query, number_param, 1, None),
        size=_parse_int(query, size_param, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    )


def meta(page: Page, total: int) -> dict[str, Any]:
    """``PaginationMeta`` for ``page`` of ``total`` results."""
    return {
        "page_number": page.number,
        "page_size": page.size,
        "total_pages": math.ceil(total / page.size),
        "total_results": total,
    }


def paginate(items: Sequence[_T], page: Page) -> list[_T]:
    """The items on ``page`` (empty past the last page)."""
    start = (page.number - 1) * page.size
    return list(items[start : start + page.size])
