"""Number search: ``GET /available_phone_numbers`` answers numbers for sale, as the catalogue describes them.

Every filter of the spec is read under the key the spec writes (deepObject: ``filter[country_code]``,
``filter[phone_number][starts_with]``...; a key may also end in ``[]``, as in Telnyx's own examples).
``filter[features]`` is a list: the official SDK sends it comma-separated (``filter[features]=sms,voice``,
its ``Querystring(array_format="comma")``); repeated keys are read too. A number has every feature asked.

Telnyx documents "Country code is always required in search requests"
(https://developers.telnyx.com/docs/numbers/phone-numbers/number-search), so a search without
``filter[country_code]`` is a 422 naming it; any other value the spec's types allow is accepted and the
stock decides (a country the sandbox does not sell has no numbers). A search answers no more numbers than
``filter[limit]`` (50 by default) and the pool's stock; with ``filter[best_effort]=true`` numbers that
match all but the pattern fill up the rest, each marked ``best_effort`` and counted in
``meta.best_effort_results``. ``meta`` is sent twice, as ``meta`` and ``metadata``, as the spec declares
and Telnyx's documented answer shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telnyx_orders.testing import _catalogue as catalogue
from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._errors import InvalidParameter, json_response
from telnyx_orders.testing._filters import flag, integer_parameter
from telnyx_orders.testing._resource import Resource, Route

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiohttp import web
    from multidict import MultiMapping

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import SandboxState

KIND = "available_phone_numbers"
PHONE_NUMBER_TYPES = ("local", "toll_free", "mobile", "national", "shared_cost")
"""The ``filter[phone_number_type]`` enum of both searches."""
FEATURES = ("sms", "mms", "voice", "fax", "emergency", "hd_voice", "international_sms", "local_calling")
"""The ``filter[features]`` items enum."""
_PATTERN = "filter[phone_number]"
_PATTERN_KEYS = ("starts_with", "ends_with", "contains")
"""The only keys of ``filter[phone_number]``: the spec declares it ``additionalProperties: false``."""


def flat_query(query: MultiMapping[str]) -> dict[str, list[str]]:
    """Every value of every parameter, a trailing ``[]`` taken off its name."""
    flat: dict[str, list[str]] = {}
    for name, value in query.items():
        flat.setdefault(name.removesuffix("[]"), []).append(value)
    return flat


def last(query: Mapping[str, list[str]]) -> dict[str, str]:
    """The last value of each parameter, as a single-valued filter reads it."""
    return {name: values[-1] for name, values in query.items()}


def phone_number_type(query: Mapping[str, str]) -> str | None:
    """``filter[phone_number_type]``: one of the spec's enum, else a 400."""
    value = query.get("filter[phone_number_type]")
    if value is not None and value not in PHONE_NUMBER_TYPES:
        raise InvalidParameter(
            400,
            f"filter[phone_number_type] must be one of: {', '.join(PHONE_NUMBER_TYPES)}.",
            parameter="filter[phone_number_type]",
        )
    return value


def where(query: Mapping[str, str], country_code: str) -> catalogue.Where:
    """The country, type (``local`` unless given) and region filters of a search."""
    return catalogue.Where(
        country_code=country_code,
        phone_number_type=phone_number_type(query) or "local",
        national_destination_code=query.get("filter[national_destination_code]"),
        locality=query.get("filter[locality]"),
        administrative_area=query.get("filter[administrative_area]"),
        rate_center=query.get("filter[rate_center]"),
    )


def _features(query: Mapping[str, list[str]]) -> frozenset[str]:
    names = {name for value in query.get("filter[features]", []) for name in value.split(",") if name}
    unknown = sorted(names - set(FEATURES))
    if unknown:
        raise InvalidParameter(
            400,
            f"filter[features] items must be among: {', '.join(FEATURES)}; got {', '.join(unknown)}.",
            parameter="filter[features]",
        )
    return frozenset(names)


def _pattern(query: Mapping[str, str]) -> catalogue.Pattern:
    for key, value in query.items():
        empty = key == _PATTERN and not value  # an empty object, as it goes on the wire
        named = key.startswith(_PATTERN + "[") or (key == _PATTERN and not empty)
        if named and key not in {f"{_PATTERN}[{name}]" for name in _PATTERN_KEYS}:
            detail = f"{key} is not a filter: {_PATTERN} takes [starts_with], [ends_with] and [contains]."
            raise InvalidParameter(400, detail, parameter=key)
    return catalogue.Pattern(*(query.get(f"{_PATTERN}[{name}]") for name in _PATTERN_KEYS))


def _limit(query: Mapping[str, str]) -> int:
    raw = integer_parameter(query, "filter[limit]")
    # Any integer is accepted (the spec sets no bounds): none or fewer than one asks for no numbers.
    return catalogue.DEFAULT_LIMIT if raw is None else min(max(int(raw[:20]), 0), 10**6)


def search(state: SandboxState, account: str, multi: Mapping[str, list[str]]) -> JSONDict:
    """The answer to a search with the parameters ``multi``, for ``account``."""
    query = last(multi)
    country_code = query.get("filter[country_code]")
    if country_code is None:
        raise InvalidParameter(
            422,
            "filter[country_code] is required: Telnyx searches one country at a time.",
            parameter="filter[country_code]",
        )
    place = where(query, country_code)
    limit = _limit(query)
    wanted = catalogue.offers(
        place.phone_number_type,
        quickship=flag(query, "filter[quickship]"),
        reservable=flag(query, "filter[reservable]"),
    )
    exact, close = catalogue.for_sale(
        state,
        account,
        place,
        _pattern(query),
        limit=limit if wanted else 0,
        best_effort=flag(query, "filter[best_effort]") is True,
        exclude_held=flag(query, "filter[exclude_held_numbers]") is True,
        features=_features(multi),
    )
    data = [
        catalogue.available_phone_number(number, place.phone_number_type, best_effort=best_effort)
        for numbers, best_effort in ((exact, False), (close, True))
        for number in numbers
    ]
    meta = {
        "total_results": len(data),
        "best_effort_results": sum(1 for number in data if number["best_effort"]),
    }
    return {"data": data, "meta": meta, "metadata": dict(meta)}


async def _list(request: web.Request) -> web.Response:
    context = request.app[CONTEXT]
    multi = flat_query(request.query)
    with context.state.lock:
        context.state.advance()
        return json_response(search(context.state, context.api_key, multi))


def seed(state: SandboxState, **overrides: Any) -> JSONDict:
    """Numbers for sale are not stored: they are whatever the stock holds (``set_inventory``)."""
    raise ValueError(f"{KIND} are not stored: set the stock with set_inventory() instead")


RESOURCE = Resource(
    kind=KIND,
    routes=(Route("GET", "/available_phone_numbers", "ListAvailablePhoneNumbers", _list),),
    seed=seed,
)
