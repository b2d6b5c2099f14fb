from __future__ import annotations

from typing import Generic, Optional, TypeVar

import attrs

__all__ = ["Envelope", "ListEnvelope", "PaginationMeta"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Envelope(Generic[T]):
    """The `{"data": ...}` document Telnyx wraps every single resource in."""

    data: T | None = None


@attrs.frozen(kw_only=True)
class PaginationMeta:
    """Where a page sits in a listing."""

    page_number: int | None = None
    page_size: int | None = None
    total_pages: int | None = None
    total_results: int | None = None


@attrs.frozen(kw_only=True)
class ListEnvelope(Generic[T]):
    """The `{"data": [...], "meta": {...}}` document of one page of a listing."""

    # cattrs fills in a type variable inside `typing.Optional`, but not inside `tuple[T, ...] | None`.
    data: Optional[tuple[T, ...]] = None  # noqa: UP045
    meta: PaginationMeta | None = None
