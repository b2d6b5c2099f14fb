from __future__ import annotations

from enum import Enum

__all__ = [
    "OpenEnum",
    "OrderStatus",
    "OrderingGroupStatus",
    "OrderingStrategy",
    "PhoneNumberType",
    "RegionType",
    "RegulatoryFieldType",
    "RequirementsStatus",
]


class OpenEnum(str, Enum):
    """A `str` enum that keeps values it does not know.

    Telnyx adds statuses and types over time; an SDK that raised on a new value would break working code
    on the day the server changes. An unknown value becomes a member of the enum that is not listed by
    iteration, compares equal to its string and round-trips unchanged.
    """

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """Whether the value is one this SDK version lists."""
        return self._name_ in type(self).__members__


class OrderingGroupStatus(OpenEnum):
    """Status of one ordering group of an inexplicit number order."""

    PENDING = "pending"
    PROCESSING = "processing"
    FAILED = "failed"
    SUCCESS = "success"
    PARTIAL_SUCCESS = "partial_success"

    @property
    def is_terminal(self) -> bool:
        """Whether the group will not change any more (`success`, `failed` or `partial_success`)."""
        return self in _TERMINAL_GROUP_STATUSES


_TERMINAL_GROUP_STATUSES = frozenset(
    {OrderingGroupStatus.SUCCESS, OrderingGroupStatus.FAILED, OrderingGroupStatus.PARTIAL_SUCCESS}
)


class OrderingStrategy(OpenEnum):
    """What Telnyx does when inventory cannot fill the whole request."""

    ALWAYS = "always"
    NEVER = "never"


class OrderStatus(OpenEnum):
    """Status of a number order, a sub number order or one of their phone numbers."""

    PENDING = "pending"
    SUCCESS = "success"
    FAILURE = "failure"


class PhoneNumberType(OpenEnum):
    """Kind of phone number."""

    LOCAL = "local"
    TOLL_FREE = "toll_free"
    MOBILE = "mobile"
    NATIONAL = "national"
    SHARED_COST = "shared_cost"
    LANDLINE = "landline"


class RegulatoryFieldType(OpenEnum):
    """Kind of value a regulatory requirement asks for."""

    TEXTUAL = "textual"
    DATETIME = "datetime"
    ADDRESS = "address"
    DOCUMENT = "document"


class RequirementsStatus(OpenEnum):
    """Status of the document requirements of a phone number."""

    PENDING = "pending"
    APPROVED = "approved"
    CANCELLED = "cancelled"
    DELETED = "deleted"
    REQUIREMENT_INFO_EXCEPTION = "requirement-info-exception"
    REQUIREMENT_INFO_PENDING = "requirement-info-pending"
    REQUIREMENT_INFO_UNDER_REVIEW = "requirement-info-under-review"


class RegionType(OpenEnum):
    """What a region of an available phone number names."""

    COUNTRY_CODE = "country_code"
    RATE_CENTER = "rate_center"
    STATE = "state"
    LOCATION = "location"
