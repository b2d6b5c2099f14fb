"""Number reservations: numbers held for the account that reserved them, until the hold ends.

Telnyx documents the flow (https://developers.telnyx.com/docs/numbers/phone-numbers/number-reservations):
each number of a reservation "will be individually attempted for reservation. Some phone numbers may fail
to be reserved (i.e., already purchased or reserved)", with ``phone_numbers[].status`` failed, and
``phone_numbers[].expired_at`` says when each hold ends (30 minutes on, :mod:`~telnyx_orders.testing._holds`).
The spec's enums have ``success`` and ``failure`` (no ``failed`` nor ``partial_success``), so a number held
answers ``success`` with its ``expired_at``, a number refused ``failure`` with ``errors`` saying why (the
spec's example: "Number is already on hold"), and the reservation ``success`` when it holds any number,
else ``failure``. Nothing in the body is required (the spec requires nothing), so any body of the right
types is a reservation, perhaps of nothing.

While a number is held, searches of other accounts leave it out, their orders for it fail, and so do their
reservations; the holder's own number order takes it and ends the hold. ``actions/extend`` adds the hold
time again to every number still held (422 when none is: the reservation expired or was ordered).
Reservations of other accounts (seeded with ``account=``) are not listed nor found for this one.
``GET /number_reservations`` pages with ``page[number]``/``page[size]``.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, cast

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing._catalogue import Pattern, Where, for_sale
from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._errors import InvalidParameter, error_response, json_response
from telnyx_orders.testing._filters import all_of, created_between, text_filters
from telnyx_orders.testing._paging import parse_page
from telnyx_orders.testing._resource import Resource, Route
from telnyx_orders.testing._serving import list_page, stored
from telnyx_orders.testing._validation import E164, Checker, json_object, read_json_object

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._filters import Predicate
    from telnyx_orders.testing._state import SandboxState

KIND = "number_reservations"
ALREADY_HELD = "Number is already on hold"
"""Why a number held by a reservation cannot be reserved: the spec's example of ``errors``."""
NOT_AVAILABLE = "Number is not available"
"""Why a number sold, or one the sandbox does not sell (not ``+1``), cannot be reserved."""


@dataclasses.dataclass(frozen=True)
class ReservationRequest:
    """A valid ``CreateNumberReservation`` body: the numbers asked for, in order, each once."""

    phone_numbers: tuple[str | None, ...]
    customer_reference: str | None


def parse(body: Mapping[str, object]) -> ReservationRequest:
    """Check a ``CreateNumberReservation`` body; :class:`InvalidBody` lists every problem."""
    checker = Checker()
    numbers: list[str | None] = []
    for at, item in checker.objects(body, "phone_numbers", required=False):
        number = checker.string(item, "phone_number", at)
        if number is None or number not in numbers:
            numbers.append(number)
    customer_reference = checker.string(body, "customer_reference", "")
    checker.raise_if_any()
    return ReservationRequest(tuple(numbers), customer_reference)


def _refusal(state: SandboxState, number: str | None) -> str | None:
    """Why ``number`` cannot be reserved now, or ``None`` when it can."""
    if number is None or not E164.fullmatch(number) or not number.startswith("+1") or len(number) != 12:
        return NOT_AVAILABLE
    if state.holds.held(number):
        return ALREADY_HELD
    if state.numbers.taken(number):
        return NOT_AVAILABLE
    return None


def _reserve(
    state: SandboxState,
    reservation: JSONDict,
    numbers: tuple[str | None, ...] | list[str],
    account: str | None,
    now: datetime,
    *,
    checked: bool = True,
) -> None:
    """Fill ``reservation`` with one entry per number, holding each it can for ``account`` (every one
    unless ``checked``)."""
    stamp = documents.timestamp(now)
    entries: list[JSONDict] = []
    for number in numbers:
        entry: JSONDict = {"id": documents.new_id(), "record_type": "reserved_phone_number"}
        documents.put(entry, {"phone_number": number, "created_at": stamp, "updated_at": stamp})
        problem = _refusal(state, number) if checked else None
        if problem is None and number is not None:
            state.holds.hold(number, reservation["id"], account, entry)
            ends = now + timedelta(seconds=state.holds.duration)
            entry.update(status="success", expired_at=documents.timestamp(ends))
        else:
            entry.update(status="failure", errors=problem or NOT_AVAILABLE)
        entries.append(entry)
    reservation["phone_numbers"] = entries
    held = any(entry["status"] == "success" for entry in entries)
    reservation["status"] = "success" if held else "failure"
    state.holds.accounts[reservation["id"]] = account


def document(*, now: str) -> JSONDict:
    """A ``NumberReservation`` holding nothing yet."""
    return {
        "id": documents.new_id(),
        "record_type": "number_reservation",
        "phone_numbers": [],
        "status": "failure",
        "customer_reference": documents.CUSTOMER_REFERENCE,
        "created_at": now,
        "updated_at": now,
    }


def _create(state: SandboxState, request: ReservationRequest) -> JSONDict:
    now = datetime.now(timezone.utc)
    reservation = documents.put(
        document(now=documents.timestamp(now)), {"customer_reference": request.customer_reference}
    )
    _reserve(state, reservation, request.phone_numbers, None, now)
    state.table(KIND)[reservation["id"]] = reservation
    return reservation


def seed(state: SandboxState, *, account: str | None = None, **overrides: Any) -> JSONDict:
    """Store a successful reservation holding its ``phone_numbers`` (E.164 strings, or objects with a
    ``phone_number``; by default the first number a search would answer) for ``account``: the API key of
    the account that made it, ``None`` (the default) for the sandbox's own.

    The other ``overrides`` replace top-level keys verbatim; the hold runs from now.
    """
    if account is not None and not isinstance(account, str):
        raise ValueError(f"account must be an API key (a string) or None, got {account!r}")
    given: object = overrides.pop("phone_numbers", None)
    if given is None:
        exact, _ = for_sale(state, "", Where("US", "local"), Pattern(), limit=1, exclude_held=True)
        given = exact
    if not isinstance(given, list):
        raise ValueError(f"phone_numbers must be a list of numbers, got {given!r}")
    numbers: list[str] = []
    for item in cast("list[object]", given):
        found = json_object(item)
        number: object = item if found is None else found.get("phone_number")
        if not isinstance(number, str):
            raise ValueError(f"each of phone_numbers must be a number or hold a phone_number, got {item!r}")
        numbers.append(number)
    now = datetime.now(timezone.utc)
    reservation = document(now=documents.timestamp(now))
    reservation["id"] = overrides.get("id", reservation["id"])
    key = documents.check_key(reservation)
    _reserve(state, reservation, numbers, account, now, checked=False)
    reservation.update(overrides)
    state.table(KIND)[key] = reservation
    return reservation


def _own(state: SandboxState, account: str, key: str) -> bool:
    holder = state.holds.accounts.get(key)
    return holder is None or holder == account


def _filter(query: Mapping[str, str]) -> Predicate:
    """``ListNumberReservations``: ``status``, ``customer_reference``, ``created_at[gt]``/``[lt]``
    (strict) and ``phone_numbers.phone_number`` (a number the reservation names); all must hold."""
    predicates = text_filters(query, ("status", "customer_reference"))
    number = query.get("filter[phone_numbers.phone_number]")
    if number is not None:
        predicates.append(
            lambda doc: any(
                isinstance(entry, dict) and cast("JSONDict", entry).get("phone_number") == number
                for entry in cast("list[object]", doc.get("phone_numbers") or [])
            )
        )
    return all_of(predicates + created_between(query))


async def _list(request: web.Request) -> web.Response:
    context = request.app[CONTEXT]
    page = parse_page(request.query, number_param="page[number]", size_param="page[size]")
    matches = _filter(request.query)

    def selects(doc: JSONDict) -> bool:
        key = doc.get("id")
        return isinstance(key, str) and _own(context.state, context.api_key, key) and matches(doc)

    return list_page(request, KIND, page, selects)


async def _retrieve(request: web.Request) -> web.Response:
    account = request.app[CONTEXT].api_key
    with stored(request, KIND, "number_reservation_id") as (state, key, doc):
        if not _own(state, account, key):
            return error_response(404)
        return json_response({"data": doc})


async def _post(request: web.Request) -> web.Response:
    reservation_request = parse(await read_json_object(request))
    state = request.app[CONTEXT].state
    with state.lock:
        state.advance()
        return json_response({"data": _create(state, reservation_request)})


async def _extend(request: web.Request) -> web.Response:
    account = request.app[CONTEXT].api_key
    with stored(request, KIND, "number_reservation_id") as (state, key, doc):
        if not _own(state, account, key):
            return error_response(404)
        holds = list(state.holds.of(key))
        if not holds:
            raise InvalidParameter(
                422, "This reservation holds no number any more: its hold ended, or its numbers were ordered."
            )
        now = documents.timestamp()
        extra = timedelta(seconds=state.holds.duration)
        for hold in holds:
            hold.ends += state.holds.duration
            previous = documents.parse_timestamp(str(hold.entry.get("expired_at", "")))
            expired_at = (previous or datetime.now(timezone.utc)) + extra
            hold.entry.update(expired_at=documents.timestamp(expired_at), updated_at=now)
        doc["updated_at"] = now
        return json_response({"data": doc})


RESOURCE = Resource(
    kind=KIND,
    routes=(
        Route("GET", "/number_reservations", "ListNumberReservations", _list),
        Route("POST", "/number_reservations", "CreateNumberReservation", _post),
        Route("GET", "/number_reservations/{number_reservation_id}", "RetrieveNumberReservation", _retrieve),
        Route(
            "POST",
            "/number_reservations/{number_reservation_id}/actions/extend",
            "ExtendNumberReservationExpiryTime",
            _extend,
        ),
    ),
    seed=seed,
)
