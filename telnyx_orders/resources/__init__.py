"""The API operations, grouped by resource. Async only: the blocking twins are generated into `_sync`."""

from .inexplicit_number_orders import AsyncInexplicitNumberOrders
from .number_order_phone_numbers import AsyncNumberOrderPhoneNumbers
from .number_orders import AsyncNumberOrders
from .sub_number_orders import AsyncSubNumberOrders
from .sub_number_orders_report import AsyncSubNumberOrdersReports
from .webhooks import AsyncWebhooks

__all__ = [
    "AsyncInexplicitNumberOrders",
    "AsyncNumberOrderPhoneNumbers",
    "AsyncNumberOrders",
    "AsyncSubNumberOrders",
    "AsyncSubNumberOrdersReports",
    "AsyncWebhooks",
]
