"""Operation names (the spec's operationIds) that routes, faults and the request log share."""

from __future__ import annotations

RETRIEVE_INEXPLICIT_NUMBER_ORDER = "RetrieveInexplicitNumberOrder"
LIST_INEXPLICIT_NUMBER_ORDERS = "ListInexplicitNumberOrders"
CREATE_INEXPLICIT_NUMBER_ORDER = "CreateInexplicitNumberOrder"
RETRIEVE_NUMBER_ORDER = "RetrieveNumberOrder"
LIST_NUMBER_ORDERS = "ListNumberOrders"
CREATE_NUMBER_ORDER = "CreateNumberOrder"
GET_SUB_NUMBER_ORDER = "GetSubNumberOrder"
LIST_SUB_NUMBER_ORDERS = "ListSubNumberOrders"

OPERATIONS: frozenset[str] = frozenset(
    {
        RETRIEVE_INEXPLICIT_NUMBER_ORDER,
        LIST_INEXPLICIT_NUMBER_ORDERS,
        CREATE_INEXPLICIT_NUMBER_ORDER,
        RETRIEVE_NUMBER_ORDER,
        LIST_NUMBER_ORDERS,
        CREATE_NUMBER_ORDER,
        GET_SUB_NUMBER_ORDER,
        LIST_SUB_NUMBER_ORDERS,
    }
)
"""Every operation name the sandbox serves (the spec's operationIds)."""


def check_operation(operation: str | None) -> None:
    """Raise ``ValueError`` for an operation name the sandbox does not know (a typo in a test)."""
    if operation is not None and operation not in OPERATIONS:
        known = ", ".join(sorted(OPERATIONS))
        raise ValueError(f"unknown operation {operation!r}; expected one of: {known}")
