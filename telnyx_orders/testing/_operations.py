"""Operation names: the spec's operationIds, which routes, faults and the request log share."""

from __future__ import annotations

from typing import Literal, get_args

Operation = Literal[
    "CancelSubNumberOrder",
    "CreateInexplicitNumberOrder",
    "CreateNumberBlockOrder",
    "CreateNumberOrder",
    "CreateNumberReservation",
    "CreateSubNumberOrdersReport",
    "DownloadSubNumberOrdersReport",
    "ExtendNumberReservationExpiryTime",
    "GetNumberOrderPhoneNumber",
    "GetSubNumberOrder",
    "GetSubNumberOrdersReport",
    "ListAvailablePhoneNumberBlocks",
    "ListAvailablePhoneNumbers",
    "ListInexplicitNumberOrders",
    "ListNumberBlockOrders",
    "ListNumberOrders",
    "ListNumberReservations",
    "ListSubNumberOrders",
    "RetrieveInexplicitNumberOrder",
    "RetrieveNumberBlockOrder",
    "RetrieveNumberOrder",
    "RetrieveNumberReservation",
    "RetrieveOrderPhoneNumbers",
    "UpdateNumberOrder",
    "UpdateNumberOrderPhoneNumber",
    "UpdateSubNumberOrder",
    "updateNumberOrderPhoneNumberRequirementGroup",
    "updateSubNumberOrderRequirementGroup",
]
"""Every operation of the spec fragment, by its operationId (two of them start lower-case there)."""

NOT_YET_SERVED: frozenset[Operation] = frozenset(
    {
        "CreateNumberReservation",
        "ExtendNumberReservationExpiryTime",
        "ListNumberReservations",
        "RetrieveNumberReservation",
    }
)
"""The operations of the spec the sandbox does not serve yet: the one list a new resource module empties."""

OPERATIONS: frozenset[Operation] = frozenset(get_args(Operation)) - NOT_YET_SERVED
"""Every operation the sandbox serves; a route registered for any other fails at start-up."""


def check_operation(operation: str | None) -> None:
    """Raise ``ValueError`` for an operation the sandbox does not serve (a typo in a test, say)."""
    if operation is None or operation in OPERATIONS:
        return
    if operation in NOT_YET_SERVED:
        raise ValueError(f"the sandbox does not serve {operation!r} yet")
    raise ValueError(f"unknown operation {operation!r}; expected one of: {', '.join(sorted(OPERATIONS))}")
