"""What a search for numbers for sale answers: each number (or block) with its features, region and cost."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Optional, TypeVar

import attrs

from ._enums import RegionType

__all__ = [
    "AvailablePhoneNumber",
    "AvailablePhoneNumberBlock",
    "AvailablePhoneNumbersMetadata",
    "CostInformation",
    "Feature",
    "RegionInformation",
    "SearchResults",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Feature:
    """A feature of a number: `sms`, `mms`, `voice`, `fax`, `emergency`, ..."""

    name: str | None = None


@attrs.frozen(kw_only=True)
class CostInformation:
    """What a number costs, as decimal strings in `currency` (ISO 4217)."""

    upfront_cost: str | None = None
    monthly_cost: str | None = None
    currency: str | None = None


@attrs.frozen(kw_only=True)
class RegionInformation:
    """One region a number belongs to: its country, rate center, state or location."""

    region_name: str | None = None
    region_type: RegionType | None = None


@attrs.frozen(kw_only=True)
class AvailablePhoneNumber:
    """A number for sale, as `available_phone_numbers.list` finds it."""

    phone_number: str | None = None
    record_type: str | None = None
    vanity_format: str | None = None
    best_effort: bool | None = None
    """False for an exact match of the search; true for a near one (a best-effort result)."""
    quickship: bool | None = None
    """Whether the number takes calls as soon as it is bought."""
    reservable: bool | None = None
    """Whether `number_reservations.create` can hold it before it is bought."""
    region_information: tuple[RegionInformation, ...] | None = None
    cost_information: CostInformation | None = None
    features: tuple[Feature, ...] | None = None


@attrs.frozen(kw_only=True)
class AvailablePhoneNumberBlock:
    """A block of `range` consecutive numbers for sale, from `phone_number` on."""

    phone_number: str | None = None
    range: int | None = None
    record_type: str | None = None
    region_information: tuple[RegionInformation, ...] | None = None
    cost_information: CostInformation | None = None
    features: tuple[Feature, ...] | None = None


@attrs.frozen(kw_only=True)
class AvailablePhoneNumbersMetadata:
    """How many results a search found, and how many of them are best-effort (near) matches."""

    total_results: int | None = None
    best_effort_results: int | None = None


@attrs.frozen(kw_only=True)
class SearchResults(Generic[T]):
    """What a search answers: the results (`data`) and their counts (`meta`). Iterating gives `data`.

    The search is one request, not paged. The spec declares the counts twice for number searches, as
    `meta` and as `metadata`; both are kept as sent.
    """

    # cattrs fills in a type variable inside `typing.Optional`, but not inside `tuple[T, ...] | None`.
    data: Optional[tuple[T, ...]] = None  # noqa: UP045
    meta: AvailablePhoneNumbersMetadata | None = None
    metadata: AvailablePhoneNumbersMetadata | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data or ())
