"""The attrs models that telnyx_orders returns, and the params its create operations take.

Every model is frozen and slotted, every field may be `None` (Telnyx omits what it does not know), and
enums keep values this version does not list (see `OpenEnum`). Params (`OrderingGroupParams`,
`PhoneNumberParams`) check their values when made; each has a `...Dict` form for dict literals.
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
from ._fulfillment import Fulfillment, MissingRequirement
from ._inexplicit_number_orders import InexplicitNumberOrder, OrderingGroup, OrderLink
from ._number_orders import (
    NumberOrder,
    NumberOrderPhoneNumber,
    NumberOrderWithPhoneNumbers,
    PhoneNumberRef,
    RegulatoryRequirement,
    RegulatoryRequirementWithValue,
)
from ._params import (
    OrderingGroupDict,
    OrderingGroupParams,
    PhoneNumberDict,
    PhoneNumberParams,
    PhoneNumberPattern,
    PhoneNumberPatternDict,
)
from ._requirements import (
    NumberOrderPhoneNumberRequirementGroup,
    RegulatoryRequirementDict,
    RegulatoryRequirementParams,
    RequirementGroupPhoneNumber,
    RequirementGroupRequirement,
    SubNumberOrderRequirementGroup,
    SubNumberOrdersReport,
    SubNumberOrdersReportFilters,
)
from ._shared import Envelope, PaginationMeta
from ._sub_number_orders import SubNumberOrder
from ._webhooks import NumberOrderWebhookEvent, NumberOrderWebhookEventData, WebhookMeta

__all__ = [
    "Envelope",
    "ErrorDetail",
    "ErrorMeta",
    "ErrorSource",
    "Fulfillment",
    "InexplicitNumberOrder",
    "MissingRequirement",
    "NumberOrder",
    "NumberOrderPhoneNumber",
    "NumberOrderPhoneNumberRequirementGroup",
    "NumberOrderWebhookEvent",
    "NumberOrderWebhookEventData",
    "NumberOrderWithPhoneNumbers",
    "OpenEnum",
    "OrderLink",
    "OrderStatus",
    "OrderingGroup",
    "OrderingGroupDict",
    "OrderingGroupParams",
    "OrderingGroupStatus",
    "OrderingStrategy",
    "PaginationMeta",
    "PhoneNumberDict",
    "PhoneNumberParams",
    "PhoneNumberPattern",
    "PhoneNumberPatternDict",
    "PhoneNumberRef",
    "PhoneNumberType",
    "RegulatoryFieldType",
    "RegulatoryRequirement",
    "RegulatoryRequirementDict",
    "RegulatoryRequirementParams",
    "RegulatoryRequirementWithValue",
    "RequirementGroupPhoneNumber",
    "RequirementGroupRequirement",
    "RequirementsStatus",
    "SubNumberOrder",
    "SubNumberOrderRequirementGroup",
    "SubNumberOrdersReport",
    "SubNumberOrdersReportFilters",
    "WebhookMeta",
]
