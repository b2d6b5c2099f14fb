"""Regulatory requirements: which countries ask for them, and how a number order waits for them.

Which countries, and where their rules come from:

* ``DE`` local numbers need a local address and an executed registration form. Telnyx's own
  quickstart queries exactly this case and shows both requirement types, with these ids
  (https://developers.telnyx.com/docs/numbers/phone-numbers/international-number-search,
  "Step 1: Query requirement": ``GET /v2/requirements?filter[country_code]=DE``).
* ``GB`` numbers need an address. Telnyx's support article "International numbers: required documents"
  (https://support.telnyx.com/en/articles/5469551-international-numbers-required-documents) lists the
  United Kingdom among the countries whose numbers need an address before activation; the requirement id
  is the sandbox's own (the article names no id).

Every other country needs nothing, as before. The sandbox keeps the rule small: a number's requirement is
met once it has any ``field_value`` (Telnyx reviews the value; the sandbox accepts it). A requirement group
meets every requirement of the numbers it is given to (the sandbox has no requirement groups to look into).

A number order whose numbers miss requirements stays ``pending`` with ``requirements_met: false`` when its
lifecycle ends; it completes as soon as the last requirement is given (:func:`settle`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from telnyx_orders.testing._documents import timestamp
from telnyx_orders.testing._errors import json_response
from telnyx_orders.testing._serving import stored
from telnyx_orders.testing._validation import Checker, is_uuid, read_json_object

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import SandboxState

RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "DE": (
        ("0e84f7f9-d195-4d02-9873-9ac4b99c276d", "address"),
        ("9e02e20d-167b-49f8-9b57-41495b538660", "document"),
    ),
    "GB": (("5b3f0a4c-3c43-4b8e-9d39-6f0d7c2f1e01", "address"),),
}
"""``country_code -> ((requirement_id, field_type), ...)``: the requirements a number there needs."""

GROUP_NUMBER_KEYS = (
    "country_code",
    "id",
    "phone_number",
    "phone_number_type",
    "record_type",
    "requirements_met",
    "requirements_status",
    "status",
)
"""The plain keys a requirement-group response shows of a phone number."""

_Parsed = TypeVar("_Parsed")

RECORD_TYPE = "phone_number_regulatory_requirement"
_OPEN = "requirements.open"
"""The table of number orders not final yet, under the order's id: ``{"order": OpenOrder}``."""


def needed(country_code: str) -> list[JSONDict]:
    """The ``regulatory_requirements`` of a number in ``country_code``, none given yet."""
    return [
        {"field_type": field_type, "record_type": RECORD_TYPE, "requirement_id": requirement_id}
        for requirement_id, field_type in RULES.get(country_code, ())
    ]


def items_of(number: JSONDict) -> list[JSONDict]:
    """The requirement objects of a phone number object (none when a seeded one has odd ones)."""
    items: object = number.get("regulatory_requirements")
    if not isinstance(items, list):
        return []
    return [cast("JSONDict", item) for item in cast("list[object]", items) if isinstance(item, dict)]


def number_met(number: JSONDict) -> bool:
    """Whether every requirement of a phone number object has a value."""
    return all("field_value" in item for item in items_of(number))


def refresh_number(number: JSONDict) -> None:
    """Set ``requirements_met`` and ``requirements_status`` of a phone number object from its values."""
    met = number_met(number)
    number["requirements_met"] = met
    number["requirements_status"] = "approved" if met else "requirement-info-pending"


def prepare(number: JSONDict) -> None:
    """Give a freshly ordered phone number object the requirements of its country."""
    country_code = number.get("country_code")
    number["regulatory_requirements"] = needed(country_code if isinstance(country_code, str) else "")
    refresh_number(number)


def fill(numbers: Iterable[JSONDict], values: Mapping[str, str]) -> None:
    """Give ``values`` (``requirement_id -> field_value``) to the numbers that need those requirements.

    A requirement id a number does not need is ignored, as the data decides (the spec states no rule).
    """
    for number in numbers:
        for item in items_of(number):
            requirement_id = item.get("requirement_id")
            if isinstance(requirement_id, str) and requirement_id in values:
                item["field_value"] = values[requirement_id]
        refresh_number(number)


def fill_all(numbers: Iterable[JSONDict], value: str) -> None:
    """Meet every requirement of ``numbers`` with ``value`` (a requirement group's id)."""
    for number in numbers:
        for item in items_of(number):
            item["field_value"] = value
        refresh_number(number)


def as_sub_order_requirements(numbers: Iterable[JSONDict]) -> list[JSONDict]:
    """A sub number order's ``regulatory_requirements``: each distinct requirement of its numbers."""
    seen: dict[str, JSONDict] = {}
    for number in numbers:
        for item in items_of(number):
            requirement_id = item.get("requirement_id")
            if isinstance(requirement_id, str):
                seen.setdefault(
                    requirement_id,
                    {
                        "field_type": item.get("field_type", "textual"),
                        "record_type": RECORD_TYPE,
                        "requirement_id": requirement_id,
                    },
                )
    return list(seen.values())


class OpenOrder(Protocol):
    """A number order not final yet: it brings its documents up to date with its numbers' requirements."""

    def refresh(self, now: str) -> bool:
        """Update the documents; ``True`` once the order is final."""
        ...


def track(state: SandboxState, key: str, order: OpenOrder) -> None:
    """Keep ``order`` up to date with its requirements until it is final."""
    state.table(_OPEN)[key] = {"order": order}


def settle(state: SandboxState, now: str) -> None:
    """Bring every open number order up to date: after requirements are given, or a lifecycle step."""
    table = state.table(_OPEN)
    for key, held in list(table.items()):
        order: OpenOrder = held["order"]
        if order.refresh(now):
            del table[key]


def parse_values(body: Mapping[str, object]) -> dict[str, str]:
    """The ``regulatory_requirements[]`` of an update body as ``requirement_id -> field_value``.

    The spec requires neither key of an ``UpdateRegulatoryRequirement``: an item lacking one gives nothing.
    :class:`InvalidBody` lists every problem of type.
    """
    checker = Checker()
    values: dict[str, str] = {}
    for at, item in checker.objects(body, "regulatory_requirements", required=False):
        requirement_id = checker.string(item, "requirement_id", at)
        field_value = checker.string(item, "field_value", at)
        if requirement_id is not None and field_value is not None:
            values[requirement_id] = field_value
    checker.raise_if_any()
    return values


def parse_group(body: Mapping[str, object]) -> str:
    """The required ``requirement_group_id`` (a uuid, as the spec's format says) of a group body."""
    checker = Checker()
    group_id = checker.string(body, "requirement_group_id", "", required=True)
    if group_id is not None and not is_uuid(group_id):
        checker.report("/requirement_group_id", "requirement_group_id must be a UUID.")
    checker.raise_if_any()
    return group_id or ""


async def change(
    request: web.Request,
    kind: str,
    id_param: str,
    parse: Callable[[JSONDict], _Parsed],
    apply: Callable[[SandboxState, JSONDict, _Parsed, str], JSONDict],
) -> web.Response:
    """Parse the body, then apply it to the stored document (404 when there is none) and settle the orders.

    ``apply`` answers the document to send as ``data``; it may raise :class:`InvalidParameter`.
    """
    parsed = parse(await read_json_object(request))
    with stored(request, kind, id_param) as (state, _, doc):
        now = timestamp()
        shown = apply(state, doc, parsed, now)
        settle(state, now)
        return json_response({"data": shown})
