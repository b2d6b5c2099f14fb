from __future__ import annotations

from datetime import datetime

import attrs

from ._number_orders import NumberOrderWithPhoneNumbers

__all__ = ["NumberOrderWebhookEvent", "NumberOrderWebhookEventData", "WebhookMeta"]

# Unlike the responses, the spec's webhook schema requires these fields (NumberOrderWebhookEvent:
# data{event_type, id, occurred_at, payload, record_type}, meta{attempt, delivered_to}), so they are not
# optional here: an event without them is not the documented shape and fails `unwrap()`.


@attrs.frozen(kw_only=True)
class NumberOrderWebhookEventData:
    """What happened: the event's type and id, when it occurred, and the number order it is about."""

    event_type: str
    """`number_order.complete` when a number order reached its final status (the spec lists no enum)."""
    id: str
    """The event's id: the same on every delivery attempt of one event, so it can deduplicate them."""
    occurred_at: datetime
    payload: NumberOrderWithPhoneNumbers
    """The number order, with its phone numbers in full, as `number_orders.retrieve` shows it."""
    record_type: str
    """`event`."""


@attrs.frozen(kw_only=True)
class WebhookMeta:
    """This delivery: which attempt it is (1 first, more after the receiver failed) and where it went."""

    attempt: int
    delivered_to: str


@attrs.frozen(kw_only=True)
class NumberOrderWebhookEvent:
    """A number-order event Telnyx POSTs to a webhook URL, as `webhooks.unwrap()` returns it."""

    data: NumberOrderWebhookEventData
    meta: WebhookMeta
