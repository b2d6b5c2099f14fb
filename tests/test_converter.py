"""The converter: strict about shapes, lenient about evolution."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cattrs import BaseValidationError, transform_error

from telnyx_orders._converter import backport_iso_format, parse_datetime, structure
from telnyx_orders.types import (
    ErrorDetail,
    OrderingGroup,
    OrderingGroupStatus,
    OrderStatus,
    PaginationMeta,
    SubNumberOrder,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-07T05:31:56Z", datetime(2023, 11, 7, 5, 31, 56, tzinfo=timezone.utc)),
        ("2018-01-01T00:00:00.000000Z", datetime(2018, 1, 1, tzinfo=timezone.utc)),
        ("2018-01-01T00:00:00.1Z", datetime(2018, 1, 1, 0, 0, 0, 100000, tzinfo=timezone.utc)),
        ("2018-01-01T00:00:00.123456789Z", datetime(2018, 1, 1, 0, 0, 0, 123456, tzinfo=timezone.utc)),
        ("2018-01-01T02:00:00+02:00", datetime(2018, 1, 1, 2, tzinfo=timezone(timedelta(hours=2)))),
        ("2018-01-01T00:00:00", datetime(2018, 1, 1, tzinfo=timezone.utc)),
    ],
)
def test_timestamps_become_aware_datetimes(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)

    assert parsed == expected
    assert parsed.tzinfo is not None


def test_a_bad_timestamp_is_a_shape_error() -> None:
    with pytest.raises(BaseValidationError):
        structure({"created_at": "not a date"}, OrderingGroup)


@pytest.mark.parametrize(
    ("document", "bad_field"),
    [
        ({"count_requested": "12"}, "count_requested"),
        ({"count_requested": True}, "count_requested"),
        ({"count_requested": 1.5}, "count_requested"),
        ({"quickship": "true"}, "quickship"),
        ({"quickship": 1}, "quickship"),
        ({"country_iso": 1}, "country_iso"),
        ({"status": 3}, "status"),
        ({"orders": "abc"}, "orders"),
        ({"orders": {"number_order_id": "x"}}, "orders"),
        ({"orders": ["x"]}, "orders"),
        ({"orders": [{"sub_number_order_ids": ["a", 1]}]}, "orders"),
        ({"created_at": 1700000000}, "created_at"),
    ],
)
def test_wrong_types_are_not_coerced(document: dict[str, object], bad_field: str) -> None:
    with pytest.raises(BaseValidationError) as caught:
        structure(document, OrderingGroup)

    (problem,) = transform_error(caught.value, path="$")
    assert f"@ $.{bad_field}" in problem


def test_nulls_mean_absent() -> None:
    assert (
        structure({"status": None, "orders": None, "count_requested": None}, OrderingGroup) == OrderingGroup()
    )


def test_open_enums_keep_unknown_values_and_compare_as_strings() -> None:
    group = structure({"status": "paused"}, OrderingGroup)

    assert group.status == "paused"
    assert str(group.status) == "paused"
    assert isinstance(group.status, OrderingGroupStatus)
    assert {"paused": 1}[group.status] == 1
    assert list(OrderingGroupStatus) == [
        OrderingGroupStatus.PENDING,
        OrderingGroupStatus.PROCESSING,
        OrderingGroupStatus.FAILED,
        OrderingGroupStatus.SUCCESS,
        OrderingGroupStatus.PARTIAL_SUCCESS,
    ]


@pytest.mark.parametrize(
    ("status", "terminal"),
    [
        ("pending", False),
        ("processing", False),
        ("success", True),
        ("failed", True),
        ("partial_success", True),
    ],
)
def test_terminal_group_statuses(status: str, terminal: bool) -> None:
    assert OrderingGroupStatus(status).is_terminal is terminal


def test_known_enum_values_are_the_members_themselves() -> None:
    assert structure({"status": "failure"}, SubNumberOrder).status is OrderStatus.FAILURE
    assert OrderStatus.FAILURE.is_known


@pytest.mark.parametrize(("code", "expected"), [("10005", "10005"), (10005, "10005"), (None, None)])
def test_error_codes_arrive_as_strings_or_ints(code: object, expected: str | None) -> None:
    assert structure({"code": code}, ErrorDetail).code == expected


def test_an_error_code_of_another_type_is_a_shape_error() -> None:
    with pytest.raises(BaseValidationError):
        structure({"code": [1]}, ErrorDetail)


def test_error_detail_reads_well() -> None:
    detail = ErrorDetail(code="10015", title="Invalid value", detail="country_iso must be US or CA")

    assert str(detail) == "Invalid value (code 10015): country_iso must be US or CA"
    assert str(ErrorDetail()) == "Error"


def test_models_are_frozen_and_slotted() -> None:
    meta = structure({"page_number": 1, "total_pages": 3}, PaginationMeta)

    with pytest.raises(AttributeError):
        meta.page_number = 2  # type: ignore[misc]
    assert not hasattr(meta, "__dict__")
    assert meta == PaginationMeta(page_number=1, total_pages=3)


@pytest.mark.parametrize(
    ("text", "rewritten"),
    [
        ("2023-11-07T05:31:56Z", "2023-11-07T05:31:56+00:00"),
        ("2018-01-01T00:00:00.1Z", "2018-01-01T00:00:00.100000+00:00"),
        ("2018-01-01T00:00:00.123456789+02:00", "2018-01-01T00:00:00.123456+02:00"),
        ("2018-01-01T00:00:00", "2018-01-01T00:00:00"),
    ],
)
def test_timestamps_are_rewritten_into_the_subset_python_3_10_parses(text: str, rewritten: str) -> None:
    assert backport_iso_format(text) == rewritten
    assert datetime.fromisoformat(rewritten).tzinfo is not None or "+" not in rewritten
