"""What handlers share: answering one stored document, a filtered page of them, or a created one.

Every helper works under the state lock and first advances the orders in flight, so each answer shows
the lifecycle as of that request. Lists are in insertion order: oldest stored first.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, TypeVar

from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._errors import Rejection, error_response, json_response
from telnyx_orders.testing._paging import Page, meta, paginate
from telnyx_orders.testing._validation import read_json_object

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import SandboxState

    Shows = Callable[[SandboxState, str, JSONDict], JSONDict]
    """How a stored document (with its id) is shown in an answer."""

_Request = TypeVar("_Request")


def everything(_: JSONDict) -> bool:
    """A filter that keeps every document."""
    return True


def as_stored(_: SandboxState, __: str, doc: JSONDict) -> JSONDict:
    """Show a document exactly as stored."""
    return doc


class _NotFound(Rejection):
    def response(self) -> web.Response:
        return error_response(404)


@contextlib.contextmanager
def stored(
    request: web.Request, kind: str, id_param: str
) -> Generator[tuple[SandboxState, str, JSONDict], None, None]:
    """The state, locked and brought up to now, with the key and the stored document of ``kind`` that
    the path parameter ``id_param`` names; a 404 when there is none."""
    state = request.app[CONTEXT].state
    key = request.match_info[id_param]
    with state.lock:
        state.advance()
        doc = state.table(kind).get(key)
        if doc is None:
            raise _NotFound
        yield state, key, doc


def retrieve(request: web.Request, kind: str, id_param: str, shows: Shows = as_stored) -> web.Response:
    """``{"data": doc}`` for the document whose id is the path parameter ``id_param``, else 404."""
    with stored(request, kind, id_param) as (state, key, doc):
        return json_response({"data": shows(state, key, doc)})


def list_page(
    request: web.Request,
    kind: str,
    page: Page | None,
    selects: Callable[[JSONDict], bool] = everything,
    shows: Shows = as_stored,
) -> web.Response:
    """``{"data": [...], "meta": PaginationMeta}``: the selected documents on ``page``.

    An operation that declares no paging (``page`` is ``None``) answers every match as one page.
    """
    state = request.app[CONTEXT].state
    with state.lock:
        state.advance()
        docs = [(key, doc) for key, doc in state.table(kind).items() if selects(doc)]
        if page is None:
            page = Page(number=1, size=max(len(docs), 1))
        data = [shows(state, key, doc) for key, doc in paginate(docs, page)]
        return json_response({"data": data, "meta": meta(page, len(docs))})


async def create(
    request: web.Request,
    parse: Callable[[JSONDict], _Request],
    store: Callable[[SandboxState, _Request], JSONDict],
) -> web.Response:
    """Parse the JSON body (a 4xx envelope for a bad one), then ``{"data": store(state, parsed)}``."""
    order_request = parse(await read_json_object(request))
    state = request.app[CONTEXT].state
    with state.lock:
        state.advance()
        return json_response({"data": store(state, order_request)})
