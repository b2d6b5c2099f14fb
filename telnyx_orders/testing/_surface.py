"""What a test can do to a sandbox, in this process or in another one."""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telnyx_orders.testing._deliveries import WebhookDeliveryLog
    from telnyx_orders.testing._faults import FaultPlan
    from telnyx_orders.testing._log import RecordedRequest, RequestLog
    from telnyx_orders.testing._operations import Operation


class SandboxControls(abc.ABC):
    """Seeding, faults, the request log and webhook deliveries of a sandbox: :class:`Sandbox` in this
    process and :class:`RemoteSandbox` for one in another, with the same calls and the same types.

    A helper that prepares a sandbox can take either: ``def given_an_order(sandbox: SandboxControls)``.
    """

    api_key: str
    """The key the sandbox expects as ``Authorization: Bearer <key>``."""
    faults: FaultPlan
    """The scripted faults, fired in order on the requests they match."""
    requests: RequestLog
    """The requests received, oldest first (a live view)."""
    webhook_deliveries: WebhookDeliveryLog
    """Every attempt to deliver a webhook event, oldest first (a live view; empty without a webhook URL)."""

    @property
    @abc.abstractmethod
    def base_url(self) -> str:
        """The API base URL to give a client: ``http://HOST:PORT/v2``."""

    @abc.abstractmethod
    def seed(self, kind: str, **overrides: Any) -> dict[str, Any]:
        """Store a realistic document of ``kind`` (``"number_orders"``, say) and return it.

        ``overrides`` replace its top-level keys verbatim; each kind documents what else it links
        (an inexplicit order comes with its number order and sub number order). ``ValueError`` for
        an unknown kind.
        """

    @abc.abstractmethod
    def seed_raw(self, kind: str, doc: dict[str, Any], *, id: str | None = None) -> dict[str, Any]:
        """Store ``doc`` exactly as given under ``id`` (default ``doc["id"]``), replacing any document
        stored there, and return it."""

    @abc.abstractmethod
    def documents(self, kind: str) -> dict[str, dict[str, Any]]:
        """Every stored document of ``kind`` by id, oldest first, as of now (orders in flight moved on)."""

    def add_inexplicit_number_order(self, **overrides: Any) -> dict[str, Any]:
        """``seed("inexplicit_number_orders", **overrides)``: a fulfilled order with one ordering group
        linked to a number order and a sub number order; overriding ``ordering_groups`` skips them."""
        return self.seed("inexplicit_number_orders", **overrides)

    def add_number_order(self, **overrides: Any) -> dict[str, Any]:
        """``seed("number_orders", **overrides)``: a number order with a linked sub number order holding
        its ``phone_numbers_count`` (1) numbers; overriding ``sub_number_orders_ids`` skips it."""
        return self.seed("number_orders", **overrides)

    def add_sub_number_order(self, **overrides: Any) -> dict[str, Any]:
        """``seed("sub_number_orders", **overrides)``: a sub number order with ``phone_numbers_count``
        (1) phone numbers, linked to no number order unless ``order_request_id`` says so."""
        return self.seed("sub_number_orders", **overrides)

    def add_number_reservation(self, **overrides: Any) -> dict[str, Any]:
        """``seed("number_reservations", **overrides)``: a reservation holding its ``phone_numbers`` (E.164
        strings, or objects with a ``phone_number``; by default the first number a search answers) for
        :attr:`reservation_hold` seconds from now. ``account="another-api-key"`` makes it another
        account's: this sandbox's searches leave its numbers out, its orders for them fail, and it is not
        listed. The other overrides replace top-level keys verbatim."""
        return self.seed("number_reservations", **overrides)

    @property
    @abc.abstractmethod
    def reservation_hold(self) -> float:
        """Seconds a reservation holds its numbers, and what an extension adds (>= 0): 1,800 (the 30
        minutes Telnyx documents) by default. A change applies to holds made from then on; 0 makes every
        new hold end at once."""

    @reservation_hold.setter
    @abc.abstractmethod
    def reservation_hold(self, seconds: float) -> None: ...

    @property
    @abc.abstractmethod
    def lifecycle_step(self) -> float:
        """Seconds an order spends pending, then processing, before its terminal status (>= 0).

        With 0 the create response still says ``pending`` and the next request sees the end. A change
        applies to orders already in flight.
        """

    @lifecycle_step.setter
    @abc.abstractmethod
    def lifecycle_step(self, seconds: float) -> None: ...

    @property
    @abc.abstractmethod
    def default_inventory(self) -> int:
        """How many numbers a pool never set holds when an order first draws from it (>= 0)."""

    @default_inventory.setter
    @abc.abstractmethod
    def default_inventory(self, count: int) -> None: ...

    @abc.abstractmethod
    def set_inventory(
        self,
        country_iso: str,
        phone_number_type: str,
        count: int,
        *,
        national_destination_code: str | None = None,
    ) -> None:
        """Make a pool hold ``count`` numbers.

        Pools are per country, number type and area code: an ordering group draws from the pool of
        its own ``national_destination_code``, or from the pool without one (``None``) when it names
        none. ``ValueError`` for a pool no order could use (a country the sandbox does not sell).
        """

    @abc.abstractmethod
    def inventory(
        self, country_iso: str, phone_number_type: str, *, national_destination_code: str | None = None
    ) -> int:
        """Numbers left in a pool; :attr:`default_inventory` for one no order has drawn from yet."""

    @property
    @abc.abstractmethod
    def webhook_public_key(self) -> str | None:
        """The base64 of the raw 32-byte Ed25519 public key that verifies the sandbox's webhook events
        (made for this sandbox); ``None`` for a sandbox without a ``webhook_url``."""

    @abc.abstractmethod
    def requests_to(self, operation: Operation) -> list[RecordedRequest]:
        """The recorded requests routed to ``operation`` (an operationId), oldest first."""

    @abc.abstractmethod
    def reset(self) -> None:
        """Forget every document, order in flight, hold, inventory level, fault and recorded request, and
        start a new rate-limit window. The knobs (:attr:`lifecycle_step`, :attr:`default_inventory`,
        :attr:`reservation_hold`) stay as they are."""
