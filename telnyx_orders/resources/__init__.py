"""The API operations, grouped by resource. Async only: the blocking twins are generated into `_sync`."""

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
