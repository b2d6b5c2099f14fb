"""The API operations, grouped by resource. Async only: the blocking twins are generated into `_sync`."""

from .inexplicit_number_orders import AsyncInexplicitNumberOrders
from .number_orders import AsyncNumberOrders
from .sub_number_orders import AsyncSubNumberOrders

__all__ = ["AsyncInexplicitNumberOrders", "AsyncNumberOrders", "AsyncSubNumberOrders"]
