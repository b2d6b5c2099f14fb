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

OPERATIONS: frozenset[Operation] = frozenset(get_args(Operation))
"""Every operation the sandbox serves: all of the spec fragment's."""


def check_operation(operation: str | None) -> None:
    """Raise ``ValueError`` for a name that is no operation of the spec (a typo in a test, say)."""
    if operation is None or operation in OPERATIONS:
        return
    raise ValueError(f"unknown operation {operation!r}; expected one of: {', '.join(sorted(OPERATIONS))}")
