"""Listings: the pages `list()` returns, fetched one at a time, as they are needed.

`list()` checks its arguments and returns an `AsyncPaginator` at once: `await` it for the first
`AsyncPage`, or `async for` over it for every item of every page. A page says whether another follows
(`has_next_page()`) and fetches it (`get_next_page()`). Iterating holds one page at a time, so walking
100,000 orders costs the memory of one page.

A search is not paged: its `list()` returns an `AsyncSearch`, one request, awaited for the whole answer
(`SearchResults`) or iterated for its items, so that it reads like any other listing.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine, Generator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from ._http import CallOptions, HTTPPipeline
from ._query import present, whole_number
from ._response import APIResponse
from .types._shared import ListEnvelope, PaginationMeta

if TYPE_CHECKING:
    # For annotations only: a listing never needs the search models, which cost 2.9 ms at import
    # (measured: min of 20 fresh processes, Python 3.11).
    from .types._search import SearchResults

__all__ = [
    "BRACKETED_PAGE_PARAMETERS",
    "FLAT_PAGE_PARAMETERS",
    "AsyncPage",
    "AsyncPageResponse",
    "AsyncPaginator",
    "AsyncSearch",
    "PageParameters",
    "first_page_response",
    "paginate",
    "search",
]

T = TypeVar("T")

MAX_PAGE_SIZE = 250


@attrs.frozen
class PageParameters:
    """The query parameters a listing takes for the page number and the page size."""

    number: str
    size: str


FLAT_PAGE_PARAMETERS = PageParameters("page_number", "page_size")
BRACKETED_PAGE_PARAMETERS = PageParameters("page[number]", "page[size]")


@attrs.frozen(kw_only=True)
class _Listing(Generic[T]):
    """One listing request, all but the page number: what each of its pages is fetched with."""

    http: HTTPPipeline
    path: str
    envelope: type[ListEnvelope[T]]
    params: Mapping[str, str]
    options: CallOptions
    page_parameters: PageParameters | None
    """`None` for a listing that takes no page parameters, which is always one page."""
    first_page: int
    page_size: int | None

    async def fetch(self, number: int, previous: AsyncPage[T] | None = None) -> AsyncPage[T]:
        check = None if previous is None else functools.partial(_repeat_of, previous)
        envelope = await self.http.get(
            self.path, self.envelope, self.options, params=self.query(number), check=check
        )
        return self.page(number, envelope)

    async def fetch_raw(self, number: int) -> AsyncPageResponse[T]:
        raw = await self.http.request_raw(
            "GET", self.path, self.envelope, self.options, params=self.query(number)
        )
        return AsyncPageResponse(raw, functools.partial(self.page, number))

    def query(self, number: int) -> Mapping[str, str]:
        if self.page_parameters is None:
            return self.params
        return {**self.params, self.page_parameters.number: str(number)}

    def page(self, number: int, envelope: ListEnvelope[T]) -> AsyncPage[T]:
        return AsyncPage(self, number, envelope.data or (), envelope.meta)


def paginate(
    http: HTTPPipeline,
    path: str,
    envelope: type[ListEnvelope[T]],
    options: CallOptions,
    *,
    params: Mapping[str, str | None],
    page_parameters: PageParameters | None = None,
    page_number: int | None = None,
    page_size: int | None = None,
) -> AsyncPaginator[T]:
    """The paginator of a listing, its arguments checked; nothing is fetched until it is awaited."""
    query = present(params)
    if page_parameters is not None:
        whole_number(page_number, "page_number", minimum=1)
        size = whole_number(page_size, "page_size", minimum=1, maximum=MAX_PAGE_SIZE)
        if size is not None:
            query[page_parameters.size] = size
    listing = _Listing(
        http=http,
        path=path,
        envelope=envelope,
        params=query,
        options=options,
        page_parameters=page_parameters,
        first_page=page_number or 1,
        page_size=page_size,
    )
    return AsyncPaginator(listing)


class AsyncPage(Generic[T]):
    """One page of a listing: its items (`data`) and where it sits (`meta`).

    `async for` over a page yields its items, then those of every page after it.
    """

    __slots__ = ("_listing", "data", "meta", "number")

    def __init__(
        self, listing: _Listing[T], number: int, data: tuple[T, ...], meta: PaginationMeta | None
    ) -> None:
        self._listing = listing
        self.number = number
        """The page number this page was fetched as."""
        self.data = data
        self.meta = meta
        """Paging information as the server sent it; `None` when it sent none."""

    def has_next_page(self) -> bool:
        """Whether another page follows: by `meta.total_pages`, else by whether this page was full.

        A page without `meta`, an empty page, or a page of a listing that takes no page parameters
        is the last one.
        """
        if self._listing.page_parameters is None or not self.data or self.meta is None:
            return False
        if self.meta.total_pages is not None:
            return self.number < self.meta.total_pages
        size = self.meta.page_size or self._listing.page_size
        return size is not None and len(self.data) >= size

    async def get_next_page(self) -> AsyncPage[T]:
        """Fetch the page after this one.

        Raises:
            ValueError: this is the last page (`has_next_page()` is false).
            APIResponseValidationError: the server sent this page again, ignoring the page parameter.
        """
        if not self.has_next_page():
            raise ValueError("this is the last page; check has_next_page() before get_next_page()")
        return await self._listing.fetch(self.number + 1, self)

    def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page, then every page after it, each fetched when the one before is done with."""
        return _pages(self._listing, self)

    def __aiter__(self) -> AsyncIterator[T]:
        return _items(self._listing, self)

    def __repr__(self) -> str:
        return f"<AsyncPage {self.number}: {len(self.data)} items, meta={self.meta!r}>"


class AsyncPaginator(Generic[T]):
    """What `list()` returns: `await` it for the first page, or `async for` over every item of every page.

    ```python
    page = await client.number_orders.list(page_size=50)   # the first AsyncPage
    async for order in client.number_orders.list(status="pending"):
        ...
    ```
    """

    __slots__ = ("_listing",)

    def __init__(self, listing: _Listing[T]) -> None:
        self._listing = listing

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._listing.fetch(self._listing.first_page).__await__()

    def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """Every page, each fetched when the one before is done with."""
        return _pages(self._listing, None)

    def __aiter__(self) -> AsyncIterator[T]:
        return _items(self._listing, None)


class AsyncSearch(Generic[T]):
    """What a search's `list()` returns: `await` it for the `SearchResults` (`.data`, `.meta`), or
    `async for` over it for every result. The search is one request, sent when awaited or iterated.

    ```python
    found = await client.available_phone_numbers.list(country_code="US", limit=10)
    async for number in client.available_phone_numbers.list(national_destination_code="312"):
        ...
    ```
    """

    __slots__ = ("_fetch",)

    def __init__(self, fetch: Callable[[], Coroutine[Any, Any, SearchResults[T]]]) -> None:
        self._fetch = fetch

    def __await__(self) -> Generator[Any, None, SearchResults[T]]:
        return self._fetch().__await__()

    def __aiter__(self) -> AsyncIterator[T]:
        return _results(self._fetch)


def search(
    http: HTTPPipeline,
    path: str,
    envelope: type[SearchResults[T]],
    options: CallOptions,
    *,
    params: Mapping[str, str | None],
) -> AsyncSearch[T]:
    """The search of `path` with `params` (`None` left off the wire); nothing is sent until it is awaited."""
    return AsyncSearch(functools.partial(http.get, path, envelope, options, params=present(params)))


async def _results(fetch: Callable[[], Coroutine[Any, Any, SearchResults[T]]]) -> AsyncIterator[T]:
    for item in await fetch():
        yield item


class AsyncPageResponse(APIResponse[AsyncPage[T]]):
    """What `with_raw_response.list()` returns: the first page's HTTP answer; `parse()` is that page.

    The page pages on as the one `await client.<resource>.list()` gives does.
    """

    __slots__ = ()

    def __init__(
        self, raw: APIResponse[ListEnvelope[T]], page: Callable[[ListEnvelope[T]], AsyncPage[T]]
    ) -> None:
        super().__init__(
            raw._response,
            retries_taken=raw.retries_taken,
            elapsed=raw.elapsed,
            parse=lambda: page(raw.parse()),
        )


def first_page_response(paginator: AsyncPaginator[T]) -> Coroutine[Any, Any, AsyncPageResponse[T]]:
    """Fetch the first page of `paginator`'s listing, as a raw response (`with_raw_response.list()`)."""
    listing = paginator._listing  # pyright: ignore[reportPrivateUsage]  # this module made it
    return listing.fetch_raw(listing.first_page)


async def _pages(listing: _Listing[T], page: AsyncPage[T] | None) -> AsyncGenerator[AsyncPage[T], None]:
    if page is None:
        page = await listing.fetch(listing.first_page)
    while True:
        yield page
        if not page.has_next_page():
            return
        page = await page.get_next_page()


async def _items(listing: _Listing[T], page: AsyncPage[T] | None) -> AsyncIterator[T]:
    async with contextlib.aclosing(_pages(listing, page)) as pages:
        async for current in pages:
            for item in current.data:
                yield item


def _repeat_of(previous: AsyncPage[T], envelope: ListEnvelope[T]) -> str | None:
    """What shows that the server answered the page after `previous` with `previous` again, if anything.

    A server that ignores the page parameter would otherwise be paged through forever.
    """
    number = previous.number + 1
    served = None if envelope.meta is None else envelope.meta.page_number
    if served is not None and served != number:
        return f"page {number} was asked for and meta.page_number says {served}; stopped paging"
    if envelope.data and envelope.data == previous.data:
        return (
            f"page {number} holds the same items as page {previous.number}: the server seems to "
            "ignore the page parameter; stopped paging"
        )
    return None
