"""Phone numbers: inventing unique North American ones, and telling where a given one belongs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

NATIONAL_LENGTH = 10
"""Digits after ``+1`` in a North American (NANP) number: area code, exchange, line."""

DEFAULT_AREA_CODES = {"US": "970", "CA": "416"}
"""The area code of numbers invented for a country when nothing names one."""
TOLL_FREE_AREA_CODES = ("888", "800", "833", "844", "855", "866", "877")
"""The North American toll-free area codes; the first is the one used when nothing names one."""
_CANADIAN_AREA_CODE_TABLE = (
    "204 226 236 249 250 263 289 306 343 354 365 367 368 382 403 416 418 428 431 437 438 450 468 474 506 "
    "514 519 548 579 581 584 587 604 613 639 647 672 683 705 709 742 753 778 780 782 807 819 825 867 873 "
    "879 902 905"
)
_CANADIAN_AREA_CODES = frozenset(_CANADIAN_AREA_CODE_TABLE.split())
_CALLING_CODES = {
    "1": "US",
    "7": "RU",
    "27": "ZA",
    "31": "NL",
    "32": "BE",
    "33": "FR",
    "34": "ES",
    "39": "IT",
    "41": "CH",
    "44": "GB",
    "46": "SE",
    "48": "PL",
    "49": "DE",
    "52": "MX",
    "55": "BR",
    "61": "AU",
    "64": "NZ",
    "65": "SG",
    "81": "JP",
    "86": "CN",
    "91": "IN",
    "353": "IE",
    "358": "FI",
}
UNKNOWN_COUNTRY = "ZZ"
"""The country of a number whose calling code the sandbox does not know (CLDR's "unknown region")."""
_FILLER = "5550000000"
"""Free digits count up from here, so invented numbers look like the familiar fictional 555 ones."""
_SEARCH_DIGITS = re.compile(r"[0-9]{1,10}")


def classify(number: str) -> tuple[str, str]:
    """The ``(country_code, phone_number_type)`` of an E.164 number, as a sub number order groups it.

    ``+1`` numbers are Canadian by area code, toll-free by area code, otherwise US local; other
    numbers are ``local`` in the country of their calling code (``ZZ`` when unknown).
    """
    digits = number.removeprefix("+")
    if digits.startswith("1"):
        area_code = digits[1:4]
        if area_code in TOLL_FREE_AREA_CODES:
            return "US", "toll_free"
        return ("CA" if area_code in _CANADIAN_AREA_CODES else "US"), "local"
    for length in (3, 2, 1):
        country = _CALLING_CODES.get(digits[:length])
        if country is not None:
            return country, "local"
    return UNKNOWN_COUNTRY, "local"


def search_digits(value: str | None, *, national: bool = False) -> str:
    """The digits of a search criterion, or ``""`` when it is not a plain run of digits."""
    if value is None:
        return ""
    if national:
        value = value.removeprefix("+").removeprefix("1")  # a national number never starts with 1
    return value if _SEARCH_DIGITS.fullmatch(value) else ""


def _layouts(
    area_code: str | None, fallback: str, starts_with: str, ends_with: str, contains: str
) -> list[tuple[str, str]]:
    """``(prefix, suffix)`` layouts to try, most faithful to the criteria first, area code alone last."""
    if area_code is None:
        lead = starts_with or fallback
    elif starts_with.startswith(area_code) or area_code.startswith(starts_with):
        lead = max(area_code, starts_with, key=len)  # starts_with repeats the area code
    else:
        lead = area_code + starts_with  # starts_with counts from after the area code, as Telnyx does
    layouts: list[tuple[str, str]] = []
    if contains and contains not in lead + ends_with:
        layouts.append((lead + contains, ends_with))
    layouts += [(lead, ends_with), (lead, ""), (area_code or fallback, "")]
    return [(prefix, suffix) for prefix, suffix in layouts if len(prefix) + len(suffix) <= NATIONAL_LENGTH]


class NumberGenerator:
    """Invents ``+1`` numbers never issued before by this generator, and remembers claimed ones.

    ``held`` says whether a number is on hold for a reservation: an invented number never is.
    """

    def __init__(self, held: Callable[[str], bool] = lambda _: False) -> None:
        self._issued: set[str] = set()
        self._next: dict[tuple[str, str], int] = {}
        self._held = held

    def taken(self, number: str) -> bool:
        """Whether ``number`` was issued or claimed already."""
        return number in self._issued

    def claim(self, number: str) -> None:
        """Mark ``number`` as taken (ordered explicitly), so it is never invented."""
        self._issued.add(number)

    def clear(self) -> None:
        """Forget every number issued or claimed."""
        self._issued.clear()
        self._next.clear()

    def generate(
        self,
        country_iso: str,
        phone_number_type: str,
        *,
        national_destination_code: str | None = None,
        starts_with: str | None = None,
        ends_with: str | None = None,
        contains: str | None = None,
    ) -> str:
        """A fresh ``+1`` number in the area code, or starting with ``starts_with`` when there is none.

        The search criteria are honoured while they fit and numbers matching them remain: ``contains``
        is dropped first, then ``ends_with``, then ``starts_with``; the area code always holds (without
        one, numbers fall back to an area code typical of the country and type).
        """
        fallback = "888" if phone_number_type == "toll_free" else DEFAULT_AREA_CODES.get(country_iso, "970")
        area_code = national_destination_code or None
        layouts = _layouts(
            area_code,
            fallback,
            search_digits(starts_with, national=True),
            search_digits(ends_with),
            search_digits(contains),
        )
        for prefix, suffix in layouts:
            number = self._next_free(prefix, suffix)
            if number is not None:
                self._issued.add(number)
                return number
        raise RuntimeError(f"every number in area code {area_code or fallback} is taken")  # pragma: no cover

    def unsold(self, prefix: str, suffix: str) -> Iterator[str]:
        """Every ``+1`` number of national digits ``prefix...suffix`` not issued nor claimed, in the order
        :meth:`generate` invents them (from the fictional 555 ones on), without issuing any."""
        free = NATIONAL_LENGTH - len(prefix) - len(suffix)
        if free < 0:
            return
        start = int(_FILLER[:free] or "0")
        for serial in range(10**free):
            middle = f"{(start + serial) % 10**free:0{free}d}" if free else ""
            number = f"+1{prefix}{middle}{suffix}"
            if number not in self._issued:
                yield number

    def _next_free(self, prefix: str, suffix: str) -> str | None:
        free = NATIONAL_LENGTH - len(prefix) - len(suffix)
        start = int(_FILLER[:free] or "0")
        serial = self._next.get((prefix, suffix), 0)
        while serial < 10**free:
            middle = f"{(start + serial) % 10**free:0{free}d}" if free else ""
            number = f"+1{prefix}{middle}{suffix}"
            serial += 1
            if number not in self._issued and not self._held(number):
                self._next[(prefix, suffix)] = serial
                return number
        self._next[(prefix, suffix)] = serial
        return None
