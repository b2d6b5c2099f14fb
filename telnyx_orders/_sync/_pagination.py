"""The blocking client's pages: an `AsyncPage` whose fetches run on the client's loop thread."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Generic, TypeVar

from telnyx_orders._pagination import AsyncPage, AsyncPageResponse
from telnyx_orders._response import APIResponse
from telnyx_orders._sync._runtime import LoopThread
from telnyx_orders.types import PaginationMeta

__all__ = ["SyncPage", "SyncPageResponse"]

T = TypeVar("T")


class SyncPage(Generic[T]):
    """One page of a listing, as the blocking client's `list()` returns it.

    `for item in page` yields its items, then those of every later page, fetching each page when the
    one before is done with; stopping early (`break`) closes the iteration on the loop thread.
    """

    __slots__ = ("_page", "_runtime")

    def __init__(self, runtime: LoopThread, page: AsyncPage[T]) -> None:
        self._runtime = runtime
        self._page = page

    @property
    def data(self) -> tuple[T, ...]:
        return self._page.data

    @property
    def meta(self) -> PaginationMeta | None:
        """Paging information as the server sent it; `None` when it sent none."""
        return self._page.meta

    @property
    def number(self) -> int:
        """The page number this page was fetched as."""
        return self._page.number

    def has_next_page(self) -> bool:
        """Whether another page follows (see `AsyncPage.has_next_page`)."""
        return self._page.has_next_page()

    def get_next_page(self) -> SyncPage[T]:
        """Fetch the page after this one (see `AsyncPage.get_next_page`)."""
        return SyncPage(self._runtime, self._runtime.call(self._page.get_next_page))

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """This page, then every page after it."""
        with contextlib.closing(self._runtime.iterate(self._page.iter_pages())) as pages:
            for page in pages:
                yield SyncPage(self._runtime, page)

    def __iter__(self) -> Iterator[T]:
        return self._runtime.iterate(aiter(self._page))

    def __repr__(self) -> str:
        return f"<SyncPage {self.number}: {len(self.data)} items, meta={self.meta!r}>"


class SyncPageResponse(APIResponse[SyncPage[T]]):
    """What the blocking `with_raw_response.list()` returns: the first page's HTTP answer; `parse()` is
    that page, as the blocking `list()` returns it."""

    __slots__ = ()

    def __init__(self, runtime: LoopThread, raw: AsyncPageResponse[T]) -> None:
        super().__init__(
            raw._response,
            retries_taken=raw.retries_taken,
            elapsed=raw.elapsed,
            parse=lambda: SyncPage(runtime, raw.parse()),
        )
