"""What the sandbox sells, as a search shows it: the numbers for sale and their features, region and cost.

Numbers are ``+1`` numbers of a (country, type, area code) pool, the same pools inexplicit orders draw on
(:mod:`~telnyx_orders.testing._inventory`): a search answers at most as many numbers as the pool still
holds, never a number sold (ordered by anyone) nor one held by another account's reservation. What a
number offers follows from its type and digits, so the same number always looks the same:

- features: ``local`` numbers have voice, sms, mms, emergency and hd_voice, and fax when their last digit
  is even; ``toll_free`` voice, sms, mms and hd_voice; ``mobile`` voice, sms and mms; ``national`` voice
  and sms; ``shared_cost`` voice.
- ``quickship`` is true for toll-free numbers only (the spec: "Only applicable for +1 toll_free numbers").
- ``reservable`` is true for local and toll-free numbers: Telnyx documents that "Not all phone numbers
  are reservable" (https://developers.telnyx.com/docs/numbers/phone-numbers/number-reservations).
- region: the country, and for the area codes of :data:`AREA_CODES` the state or province and the rate
  center (which ``filter[locality]`` and ``filter[rate_center]`` match, in any case).
- cost: the figures of :data:`COSTS`, in USD; the sandbox bills nothing.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import TYPE_CHECKING

from telnyx_orders.testing._inventory import PoolKey
from telnyx_orders.testing._numbers import DEFAULT_AREA_CODES, TOLL_FREE_AREA_CODES, classify, search_digits

if TYPE_CHECKING:
    from collections.abc import Iterator

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import SandboxState

AREA_CODES: dict[str, tuple[str, str]] = {
    "970": ("CO", "FORT COLLINS"),
    "303": ("CO", "DENVER"),
    "720": ("CO", "DENVER"),
    "312": ("IL", "CHICAGO"),
    "872": ("IL", "CHICAGO"),
    "212": ("NY", "NEW YORK"),
    "646": ("NY", "NEW YORK"),
    "415": ("CA", "SAN FRANCISCO"),
    "213": ("CA", "LOS ANGELES"),
    "512": ("TX", "AUSTIN"),
    "206": ("WA", "SEATTLE"),
    "305": ("FL", "MIAMI"),
    "617": ("MA", "BOSTON"),
    "416": ("ON", "TORONTO"),
    "647": ("ON", "TORONTO"),
    "613": ("ON", "OTTAWA"),
    "514": ("QC", "MONTREAL"),
    "604": ("BC", "VANCOUVER"),
    "403": ("AB", "CALGARY"),
}
"""``area code -> (state or province, rate center)`` of the geographic area codes the sandbox knows; it
sells numbers of any other 3-digit area code too, with the country as their only region."""

_FEATURES = {
    "local": ("voice", "sms", "mms", "emergency", "hd_voice"),
    "toll_free": ("voice", "sms", "mms", "hd_voice"),
    "mobile": ("voice", "sms", "mms"),
    "national": ("voice", "sms"),
    "shared_cost": ("voice",),
}
_EVEN_ONLY = {"local": "fax"}
"""A feature only the numbers of a type whose last digit is even have."""
RESERVABLE_TYPES = frozenset({"local", "toll_free"})
COSTS = {
    "local": ("1.00000", "1.00000"),
    "toll_free": ("1.00000", "0.50000"),
    "mobile": ("2.00000", "1.00000"),
    "national": ("1.50000", "1.00000"),
    "shared_cost": ("1.50000", "1.00000"),
}
"""``type -> (monthly_cost, upfront_cost)`` per number, in USD."""
BEST_EFFORT_SCAN = 20_000
"""Numbers of an area code looked at for best-effort results, at most: a bound on a search's work."""
DEFAULT_LIMIT = 50
"""Numbers a search answers without ``filter[limit]``: the sandbox's choice, as the spec states no default."""


def features_of(number: str, phone_number_type: str) -> list[str]:
    """The features ``number`` offers."""
    features = list(_FEATURES.get(phone_number_type, ()))
    extra = _EVEN_ONLY.get(phone_number_type)
    if extra is not None and int(number[-1]) % 2 == 0:
        features.append(extra)
    return features


def possible_features(phone_number_type: str) -> frozenset[str]:
    """Every feature some number of the type offers."""
    extra = _EVEN_ONLY.get(phone_number_type)
    return frozenset((*_FEATURES.get(phone_number_type, ()), *((extra,) if extra else ())))


def offers(phone_number_type: str, *, quickship: bool | None, reservable: bool | None) -> bool:
    """Whether numbers of the type answer ``filter[quickship]`` and ``filter[reservable]`` (``None``: any)."""
    return (quickship is None or quickship == (phone_number_type == "toll_free")) and (
        reservable is None or reservable == (phone_number_type in RESERVABLE_TYPES)
    )


def region_information(area_code: str, country_code: str) -> list[JSONDict]:
    """The spec's ``RegionInformation`` list of a number of ``area_code``."""
    regions: list[JSONDict] = []
    known = AREA_CODES.get(area_code)
    if known is not None:
        state, rate_center = known
        regions += [
            {"region_name": state, "region_type": "state"},
            {"region_name": rate_center, "region_type": "rate_center"},
            {"region_name": f"{rate_center} ({state})", "region_type": "location"},
        ]
    return [*regions, {"region_name": country_code, "region_type": "country_code"}]


def cost_information(phone_number_type: str, count: int = 1) -> JSONDict:
    """The spec's ``CostInformation`` of ``count`` numbers of the type."""
    monthly, upfront = COSTS.get(phone_number_type, COSTS["local"])
    return {
        "currency": "USD",
        "monthly_cost": f"{float(monthly) * count:.5f}",
        "upfront_cost": f"{float(upfront) * count:.5f}",
    }


def available_phone_number(number: str, phone_number_type: str, *, best_effort: bool) -> JSONDict:
    """The spec's ``AvailablePhoneNumber`` for ``number``."""
    country_code, _ = classify(number)
    return {
        "record_type": "available_phone_number",
        "phone_number": number,
        "vanity_format": "",
        "best_effort": best_effort,
        "quickship": phone_number_type == "toll_free",
        "reservable": phone_number_type in RESERVABLE_TYPES,
        "features": [{"name": name} for name in features_of(number, phone_number_type)],
        "region_information": region_information(number[2:5], country_code),
        "cost_information": cost_information(phone_number_type),
    }


@dataclasses.dataclass(frozen=True)
class Where:
    """Where numbers are searched for: a country, a type, and the region filters."""

    country_code: str
    phone_number_type: str
    national_destination_code: str | None = None
    locality: str | None = None
    administrative_area: str | None = None
    rate_center: str | None = None

    @property
    def pool(self) -> PoolKey:
        """The pool the numbers come from, as an inexplicit order with these filters draws on it."""
        return PoolKey(self.country_code, self.phone_number_type, self.national_destination_code)

    def _in_region(self, area_code: str) -> bool:
        known = AREA_CODES.get(area_code)
        wanted = (self.administrative_area, self.locality, self.rate_center)
        if known is None:
            return all(value is None for value in wanted)
        state, rate_center = known
        return (
            (self.administrative_area is None or self.administrative_area.upper() == state)
            and (self.locality is None or self.locality.upper() == rate_center)
            and (self.rate_center is None or self.rate_center.upper() == rate_center)
        )

    def _sells(self, area_code: str) -> bool:
        country_code, kind = classify(f"+1{area_code}5550000")
        toll_free = self.phone_number_type == "toll_free"
        return (kind == "toll_free") == toll_free and (toll_free or country_code == self.country_code)

    def area_codes(self, starts_with: str = "") -> list[str]:
        """The area codes to search, most likely first: the one asked for; else those whose first digits
        ``starts_with`` gives, in the region asked for; else the country's usual one."""
        if not self.pool.stocked or self.country_code not in DEFAULT_AREA_CODES:
            return []  # the sandbox invents +1 numbers only
        if self.national_destination_code is not None:
            candidates = [self.national_destination_code]
        else:
            known = TOLL_FREE_AREA_CODES if self.phone_number_type == "toll_free" else tuple(AREA_CODES)
            lead = starts_with[:3]
            candidates = [code for code in known if code.startswith(lead)]
            if len(lead) == 3 and lead not in candidates:
                candidates.append(lead)
            default = (
                "888" if self.phone_number_type == "toll_free" else DEFAULT_AREA_CODES[self.country_code]
            )
            if default in candidates:  # the usual area code first, as inexplicit orders use it
                candidates.insert(0, candidates.pop(candidates.index(default)))
        return [code for code in candidates if self._sells(code) and self._in_region(code)]


@dataclasses.dataclass(frozen=True)
class Pattern:
    """``filter[phone_number][starts_with|ends_with|contains]``, as given (``None`` when absent)."""

    starts_with: str | None = None
    ends_with: str | None = None
    contains: str | None = None

    @property
    def given(self) -> bool:
        return any(value is not None for value in (self.starts_with, self.ends_with, self.contains))

    def _digits(self) -> tuple[str, str, str] | None:
        """``(starts_with, ends_with, contains)`` as digits (``""`` when absent), or ``None`` when one is
        not digits: Telnyx says a wildcard "will yield 0 results"
        (https://developers.telnyx.com/docs/numbers/phone-numbers/number-search)."""
        digits = (
            search_digits(self.starts_with, national=True),
            search_digits(self.ends_with),
            search_digits(self.contains),
        )
        given = (self.starts_with, self.ends_with, self.contains)
        if any(value is not None and not found for value, found in zip(given, digits, strict=True)):
            return None
        return digits

    def _lead(self, area_code: str, starts_with: str, *, named: bool) -> str | None:
        """The first national digits of a match: ``starts_with`` counts from after the area code when the
        search names one (``named``), as the spec says ("excludes NDC if used with
        national_destination_code"), unless it repeats the area code."""
        if starts_with.startswith(area_code) or area_code.startswith(starts_with):
            return max(area_code, starts_with, key=len)
        return area_code + starts_with if named else None

    def layout(self, area_code: str, *, named: bool) -> tuple[str, str] | None:
        """The ``(prefix, suffix)`` national digits of numbers of ``area_code`` that match every criterion,
        or ``None`` when none can."""
        digits = self._digits()
        if digits is None:
            return None
        starts_with, ends_with, contains = digits
        lead = self._lead(area_code, starts_with, named=named)
        if lead is None:
            return None
        prefix = lead if not contains or contains in lead[3:] else lead + contains
        return (prefix, ends_with) if len(prefix) + len(ends_with) <= 10 else None

    def matches(self, number: str, *, named: bool) -> bool:
        """Whether ``number`` (``+1`` and ten digits) matches every criterion."""
        digits = self._digits()
        national = number[2:]
        if digits is None:
            return False
        starts_with, ends_with, contains = digits
        lead = self._lead(national[:3], starts_with, named=named)
        return (
            lead is not None
            and national.startswith(lead)
            and national.endswith(ends_with)
            and contains in national[3:]
        )


def for_sale(
    state: SandboxState,
    account: str,
    where: Where,
    pattern: Pattern,
    *,
    limit: int,
    best_effort: bool = False,
    exclude_held: bool = False,
    features: frozenset[str] = frozenset(),
) -> tuple[list[str], list[str]]:
    """``(exact, best_effort)``: numbers matching the search, then (with ``best_effort``) numbers of the
    same area codes that match all but the pattern, at most ``limit`` and the pool's stock together.

    Numbers held for ``account`` are for sale to it, unless ``exclude_held`` leaves them out.
    """
    budget = min(limit, state.inventory_pools.remaining(where.pool))
    if budget <= 0 or not features <= possible_features(where.phone_number_type):
        return [], []
    wanted = features - set(_FEATURES.get(where.phone_number_type, ()))

    def offered(number: str) -> bool:
        if not state.for_sale_to(number, account) or (exclude_held and state.holds.held(number)):
            return False
        return not wanted or wanted <= set(features_of(number, where.phone_number_type))

    starts_with = search_digits(pattern.starts_with, national=True)
    area_codes = where.area_codes(starts_with)
    named = where.national_destination_code is not None
    layouts = [pattern.layout(code, named=named) for code in area_codes]
    exact: list[str] = []
    for layout in layouts:
        if layout is not None and len(exact) < budget:
            exact += itertools.islice(
                (number for number in state.numbers.unsold(*layout) if offered(number)), budget - len(exact)
            )
    close: list[str] = []
    if best_effort and pattern.given:
        chosen = set(exact)
        for code in area_codes:
            if len(exact) + len(close) < budget:
                others = (
                    number
                    for number in itertools.islice(state.numbers.unsold(code, ""), BEST_EFFORT_SCAN)
                    if number not in chosen and not pattern.matches(number, named=named) and offered(number)
                )
                close += itertools.islice(others, budget - len(exact) - len(close))
    return exact, close


def blocks_for_sale(state: SandboxState, where: Where, *, size: int, count: int) -> Iterator[str]:
    """The first numbers of up to ``count`` blocks of ``size`` consecutive numbers, each free whole
    (nobody bought any, no reservation holds any), within the pool's stock."""
    budget = min(count, state.inventory_pools.remaining(where.pool) // size)
    found = 0
    for code in where.area_codes():
        for first in state.numbers.unsold(code, "0" * len(str(size - 1))):
            if found >= budget:
                return
            start = int(first[1:])
            block = [f"+{start + offset}" for offset in range(size)]
            if all(not state.numbers.taken(n) and not state.holds.held(n) for n in block):
                found += 1
                yield first
