from __future__ import annotations

from typing import Any, TypeVar, cast

from .._http import HTTPPipeline
from .._query import present, text
from .._response import APIResponse

T = TypeVar("T")
R = TypeVar("R", bound="AsyncAPIResource")


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


class RawPipeline(HTTPPipeline):
    """The pipeline a `with_raw_response` resource runs the plain methods on: each request answers with
    its `APIResponse` (`HTTPPipeline.request_raw`) instead of the decoded body.

    So a raw method is its plain twin's own code (argument checks, path, body) and can never drift from
    it, and the plain methods, bound to the client's pipeline, never make a raw response. Their
    annotations still name the body, which `as_raw` corrects.
    """

    @classmethod
    def of(cls, http: HTTPPipeline) -> RawPipeline:
        """A view of `http` (its settings, connections and lifecycle) whose requests answer raw."""
        raw = cls.__new__(cls)
        vars(raw).update(vars(http))
        return raw

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        return await self.request_raw(*args, **kwargs)


def raw_view(resource: R) -> R:
    """A copy of `resource` on a `RawPipeline` of its pipeline: the `with_raw_response` twins' `_raw`."""
    return type(resource)(RawPipeline.of(resource._http))  # pyright: ignore[reportPrivateUsage]


def as_raw(answer: T) -> APIResponse[T]:
    """What a plain method returned on a `RawPipeline`: the `APIResponse` whose `parse()` is an `answer`.

    Only for a method that returns its request's decoded body as it is (`retrieve`, `create`).
    """
    return cast("APIResponse[T]", answer)
