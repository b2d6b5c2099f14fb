"""The sandbox's in-memory documents and the helpers that seed them."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, Literal

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing._inventory import Inventory, PoolKey
from telnyx_orders.testing._lifecycle import Lifecycle
from telnyx_orders.testing._numbers import NumberGenerator

if TYPE_CHECKING:
    from collections.abc import Callable

    from telnyx_orders.testing._documents import JSONDict

ResourceKind = Literal["inexplicit_number_orders", "number_orders", "sub_number_orders"]
"""A table of :class:`SandboxState`, named like the URL collection it serves."""

_PHONE_NUMBER_STATUSES = frozenset({"pending", "success", "failure"})


def _count(value: object) -> int:
    # An odd override (a string, a negative number) is stored verbatim but must not drive generation.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return 1


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) else default


class SandboxState:
    """Documents the sandbox serves, keyed by id, in insertion order, and the orders in flight.

    Documents are plain JSON dicts, stored and served as they are: a test may mutate a stored
    document (say, flip a ``status``) and the next response shows it (an order still in flight
    rewrites the fields its lifecycle owns at each step). Seeding is thread-safe, so a test may seed
    a sandbox running in another thread; hold :attr:`lock` to mutate documents in place while such a
    server runs.

    Orders created over HTTP move through their lifecycle as :attr:`lifecycle_step` seconds of
    ``clock`` pass; the server calls :meth:`advance` before answering each request. Seeded
    documents are stored as they are and never move.
    """

    def __init__(
        self,
        *,
        lifecycle_step: float = 0.05,
        default_inventory: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lock = threading.RLock()
        self.inexplicit_number_orders: dict[str, JSONDict] = {}
        self.number_orders: dict[str, JSONDict] = {}
        self.sub_number_orders: dict[str, JSONDict] = {}
        self.sub_number_order_phone_numbers: dict[str, list[JSONDict]] = {}
        """Phone number objects of each sub number order, served with ``filter[include_phone_numbers]``."""
        self.numbers = NumberGenerator()
        """Every phone number issued, so none is invented twice."""
        self.inventory_pools = Inventory(default_inventory)
        self.lifecycle = Lifecycle(step=lifecycle_step, clock=clock)

    @property
    def lifecycle_step(self) -> float:
        """Seconds from pending to processing, and again from processing to terminal (0: at once)."""
        return self.lifecycle.step

    @lifecycle_step.setter
    def lifecycle_step(self, seconds: float) -> None:
        with self.lock:
            self.lifecycle.step = seconds

    @property
    def default_inventory(self) -> int:
        """How many numbers a pool holds when an order first draws from it."""
        return self.inventory_pools.default

    @default_inventory.setter
    def default_inventory(self, count: int) -> None:
        with self.lock:
            self.inventory_pools.default = count

    def set_inventory(
        self,
        country_iso: str,
        phone_number_type: str,
        count: int,
        *,
        national_destination_code: str | None = None,
    ) -> None:
        """Make the pool of this country, number type and area code (``None``: none) hold ``count``."""
        key = PoolKey(country_iso, phone_number_type, national_destination_code).check()
        with self.lock:
            self.inventory_pools.set(key, count)

    def inventory(
        self, country_iso: str, phone_number_type: str, *, national_destination_code: str | None = None
    ) -> int:
        """Numbers left in a pool; :attr:`default_inventory` for a pool no order has drawn from yet."""
        key = PoolKey(country_iso, phone_number_type, national_destination_code).check()
        with self.lock:
            return self.inventory_pools.remaining(key)

    def advance(self) -> None:
        """Bring every order in flight up to date with the clock (the server does before each request)."""
        with self.lock:
            self.lifecycle.advance(self)

    def table(self, kind: ResourceKind) -> dict[str, JSONDict]:
        """The documents of one kind, keyed by id."""
        tables: dict[str, dict[str, JSONDict]] = {
            "inexplicit_number_orders": self.inexplicit_number_orders,
            "number_orders": self.number_orders,
            "sub_number_orders": self.sub_number_orders,
        }
        try:
            return tables[kind]
        except KeyError:
            raise ValueError(
                f"unknown resource kind {kind!r}; expected one of: {', '.join(tables)}"
            ) from None

    def clear(self) -> None:
        """Forget every document, order in flight, issued number and inventory level (knobs stay)."""
        with self.lock:
            self.inexplicit_number_orders.clear()
            self.number_orders.clear()
            self.sub_number_orders.clear()
            self.sub_number_order_phone_numbers.clear()
            self.lifecycle.clear()
            self.numbers.clear()
            self.inventory_pools.clear()

    def seed_raw(self, kind: ResourceKind, doc: JSONDict, *, id: str | None = None) -> JSONDict:
        """Store ``doc`` exactly as given under ``id`` (default: ``doc["id"]``) and return it."""
        key = self._key(doc) if id is None else id
        with self.lock:
            self.table(kind)[key] = doc
        return doc

    def add_sub_number_order(self, **overrides: Any) -> JSONDict:
        """Store a sub number order with ``phone_numbers_count`` (default 1) phone numbers.

        ``overrides`` replace top-level keys verbatim. The order is not linked to a number order
        unless ``order_request_id`` says so.
        """
        with self.lock:
            count = _count(overrides.get("phone_numbers_count", 1))
            doc = documents.sub_number_order(
                order_request_id=documents.new_id(), phone_numbers_count=count, now=documents.timestamp()
            )
            doc.update(overrides)
            key = self._key(doc)
            self.sub_number_orders[key] = doc
            self.sub_number_order_phone_numbers[key] = [self._phone_number(doc) for _ in range(count)]
            return doc

    def add_number_order(self, **overrides: Any) -> JSONDict:
        """Store a number order with one linked sub number order holding its phone numbers.

        ``overrides`` replace top-level keys verbatim. Overriding ``sub_number_orders_ids`` skips
        creating the sub number order; overriding ``phone_numbers`` keeps the given list.
        """
        with self.lock:
            count = _count(overrides.get("phone_numbers_count", 1))
            doc = documents.number_order(phone_numbers_count=count, now=documents.timestamp())
            doc.update(overrides)
            key = self._key(doc)
            if "sub_number_orders_ids" in overrides:
                numbers = [self._phone_number(doc) for _ in range(count)]
            else:
                sub = self.add_sub_number_order(
                    order_request_id=key,
                    phone_numbers_count=count,
                    **{k: doc[k] for k in ("customer_reference", "requirements_met", "status", "created_at")},
                    updated_at=doc["created_at"],
                )
                doc["sub_number_orders_ids"] = [sub["id"]]
                numbers = list(self.sub_number_order_phone_numbers[sub["id"]])
            if "phone_numbers" not in overrides:
                doc["phone_numbers"] = numbers
            self.number_orders[key] = doc
            return doc

    def add_inexplicit_number_order(self, **overrides: Any) -> JSONDict:
        """Store a fulfilled inexplicit number order with one ordering group.

        The group's ``orders`` link to a number order and a sub number order created with it.
        ``overrides`` replace top-level keys verbatim; overriding ``ordering_groups`` skips creating
        the linked orders.
        """
        with self.lock:
            now = documents.timestamp()
            doc = documents.inexplicit_number_order(now=now)
            doc.update(overrides)
            key = self._key(doc)
            if "ordering_groups" not in overrides:
                shared = ("connection_id", "messaging_profile_id", "billing_group_id", "customer_reference")
                number_order = self.add_number_order(
                    phone_numbers_count=1, created_at=now, updated_at=now, **{k: doc[k] for k in shared}
                )
                link = {
                    "number_order_id": number_order["id"],
                    "sub_number_order_ids": list(number_order["sub_number_orders_ids"]),
                }
                doc["ordering_groups"] = [documents.ordering_group(count=1, orders=[link], now=now)]
            self.inexplicit_number_orders[key] = doc
            return doc

    def _key(self, doc: JSONDict) -> str:
        key = doc.get("id")
        if not isinstance(key, str):
            raise ValueError(f"a stored document needs a string 'id' (got {key!r}); pass id= to seed_raw")
        return key

    def _phone_number(self, order: JSONDict) -> JSONDict:
        status = order.get("status")
        country_code = _text(order.get("country_code"), "US")
        phone_number_type = _text(order.get("phone_number_type"), "local")
        return documents.phone_number(
            self.numbers.generate(country_code, phone_number_type),
            country_code=country_code,
            phone_number_type=phone_number_type,
            status=status if isinstance(status, str) and status in _PHONE_NUMBER_STATUSES else "success",
        )
