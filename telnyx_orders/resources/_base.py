from __future__ import annotations

from typing import TYPE_CHECKING

from .._query import present, text

if TYPE_CHECKING:
    from .._http import HTTPPipeline


ORDER_MAY_EXIST = (
    "the request was sent and may have taken effect: the order may exist. It was not retried, to avoid "
    "a duplicate order; list recent orders (for example by customer_reference) before trying again"
)
"""What a create's error says when the order may have been placed."""


def order_settings(
    *,
    connection_id: str | None,
    messaging_profile_id: str | None,
    billing_group_id: str | None,
    customer_reference: str | None,
) -> dict[str, str]:
    """The settings an order gives the numbers it buys, as a create request's body spells them."""
    return present(
        {
            "connection_id": text(connection_id, "connection_id"),
            "messaging_profile_id": text(messaging_profile_id, "messaging_profile_id"),
            "billing_group_id": text(billing_group_id, "billing_group_id"),
            "customer_reference": text(customer_reference, "customer_reference"),
        }
    )


class AsyncAPIResource:
    """A group of API operations sharing its client's request pipeline."""

    def __init__(self, http: HTTPPipeline) -> None:
        self._http = http
