"""The attrs models that telnyx_orders returns.

Every model is frozen and slotted, every field may be `None` (Telnyx omits what it does not know), and
enums keep values this version does not list (see `OpenEnum`).
"""

from ._enums import (
    OpenEnum,
    OrderingGroupStatus,
    OrderingStrategy,
    OrderStatus,
    PhoneNumberType,
    RegulatoryFieldType,
    RequirementsStatus,
)
from ._errors import ErrorDetail, ErrorMeta, ErrorSource
from ._inexplicit_number_orders import InexplicitNumberOrder, OrderingGroup, OrderLink
from ._number_orders import (
    NumberOrder,
    NumberOrderPhoneNumber,
    NumberOrderWithPhoneNumbers,
    PhoneNumberRef,
    RegulatoryRequirement,
    RegulatoryRequirementWithValue,
)
from ._shared import Envelope, PaginationMeta
from ._sub_number_orders import SubNumberOrder

__all__ = [
    "Envelope",
    "ErrorDetail",
    "ErrorMeta",
    "ErrorSource",
    "InexplicitNumberOrder",
    "NumberOrder",
    "NumberOrderPhoneNumber",
    "NumberOrderWithPhoneNumbers",
    "OpenEnum",
    "OrderLink",
    "OrderStatus",
    "OrderingGroup",
    "OrderingGroupStatus",
    "OrderingStrategy",
    "PaginationMeta",
    "PhoneNumberRef",
    "PhoneNumberType",
    "RegulatoryFieldType",
    "RegulatoryRequirement",
    "RegulatoryRequirementWithValue",
    "RequirementsStatus",
    "SubNumberOrder",
]
