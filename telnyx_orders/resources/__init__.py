"""The API operations, grouped by resource. Async only: the blocking twins are generated into `_sync`."""

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .available_phone_number_blocks import AsyncAvailablePhoneNumberBlocks
    from .available_phone_numbers import AsyncAvailablePhoneNumbers
    from .inexplicit_number_orders import AsyncInexplicitNumberOrders
    from .number_block_orders import AsyncNumberBlockOrders
    from .number_order_phone_numbers import AsyncNumberOrderPhoneNumbers
    from .number_orders import AsyncNumberOrders
    from .number_reservations import AsyncNumberReservations
    from .sub_number_orders import AsyncSubNumberOrders
    from .sub_number_orders_report import AsyncSubNumberOrdersReports
    from .webhooks import AsyncWebhooks

__all__ = [
    "AsyncAvailablePhoneNumberBlocks",
    "AsyncAvailablePhoneNumbers",
    "AsyncInexplicitNumberOrders",
    "AsyncNumberBlockOrders",
    "AsyncNumberOrderPhoneNumbers",
    "AsyncNumberOrders",
    "AsyncNumberReservations",
    "AsyncSubNumberOrders",
    "AsyncSubNumberOrdersReports",
    "AsyncWebhooks",
]

# Imported on first use, as `AsyncTelnyx` builds each resource on first access (the gain is written there).
_EXPORTS = {
    ".available_phone_number_blocks": ("AsyncAvailablePhoneNumberBlocks",),
    ".available_phone_numbers": ("AsyncAvailablePhoneNumbers",),
    ".inexplicit_number_orders": ("AsyncInexplicitNumberOrders",),
    ".number_block_orders": ("AsyncNumberBlockOrders",),
    ".number_order_phone_numbers": ("AsyncNumberOrderPhoneNumbers",),
    ".number_orders": ("AsyncNumberOrders",),
    ".number_reservations": ("AsyncNumberReservations",),
    ".sub_number_orders": ("AsyncSubNumberOrders",),
    ".sub_number_orders_report": ("AsyncSubNumberOrdersReports",),
    ".webhooks": ("AsyncWebhooks",),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
