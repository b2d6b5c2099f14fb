"""The public surface: curated, sorted, and complete."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

import telnyx_orders
from telnyx_orders import types


@pytest.mark.parametrize("module", [telnyx_orders, types, importlib.import_module("telnyx_orders.testing")])
def test_all_is_sorted_and_every_name_resolves(module: object) -> None:
    names = module.__all__  # type: ignore[attr-defined]

    # The order ruff keeps (RUF022): CONSTANTS, then Classes, then the rest, each alphabetical.
    assert names == sorted(names, key=lambda name: (not name.isupper(), not name[:1].isupper(), name))
    assert len(names) == len(set(names))
    assert all(hasattr(module, name) for name in names)


def test_every_exception_class_is_public() -> None:
    errors_module = importlib.import_module("telnyx_orders._errors")
    defined = {
        name
        for name, value in vars(errors_module).items()
        if inspect.isclass(value)
        and issubclass(value, Exception)
        and value.__module__ == errors_module.__name__
    }

    assert defined <= set(telnyx_orders.__all__)


def test_the_error_hierarchy_matches_the_design() -> None:
    assert issubclass(telnyx_orders.WaitTimeoutError, TimeoutError)
    assert issubclass(telnyx_orders.WaitTimeoutError, telnyx_orders.TelnyxError)
    assert issubclass(telnyx_orders.APITimeoutError, telnyx_orders.APIConnectionError)
    assert issubclass(telnyx_orders.APIConnectionError, telnyx_orders.APIError)
    assert issubclass(telnyx_orders.APIResponseValidationError, telnyx_orders.APIError)
    assert issubclass(telnyx_orders.RateLimitError, telnyx_orders.APIStatusError)
    assert issubclass(telnyx_orders.InternalServerError, telnyx_orders.APIStatusError)
    assert issubclass(telnyx_orders.APIError, telnyx_orders.TelnyxError)


def test_the_package_ships_type_information() -> None:
    assert (inspect.getfile(telnyx_orders).rsplit("/", 1)[0] + "/py.typed").endswith("py.typed")
    from importlib.resources import files

    assert files("telnyx_orders").joinpath("py.typed").is_file()


def test_the_version_is_exposed() -> None:
    assert telnyx_orders.__version__.count(".") == 2


def test_a_wait_timeout_keeps_the_last_order_seen() -> None:
    last = telnyx_orders.types.InexplicitNumberOrder(id="x")

    error = telnyx_orders.WaitTimeoutError("order x not done after 60 s", last_seen=last)

    assert error.last_seen is last
    assert str(error) == "order x not done after 60 s"


def test_the_blocking_clients_warning_and_deadlock_error_are_public() -> None:
    from telnyx_orders._sync import _runtime

    assert telnyx_orders.BlockingCallInEventLoopWarning is _runtime.BlockingCallInEventLoopWarning
    assert telnyx_orders.DeadlockError is _runtime.DeadlockError
    assert issubclass(telnyx_orders.BlockingCallInEventLoopWarning, RuntimeWarning)
    assert issubclass(telnyx_orders.DeadlockError, RuntimeError)


def open_enums() -> list[type[types.OpenEnum]]:
    return [
        value
        for value in vars(importlib.import_module("telnyx_orders.types._enums")).values()
        if inspect.isclass(value) and issubclass(value, types.OpenEnum) and value is not types.OpenEnum
    ]


@pytest.mark.parametrize("enum", open_enums(), ids=lambda enum: enum.__name__)
def test_enums_print_their_value(enum: type[types.OpenEnum]) -> None:
    members = [*enum, enum("a_value_telnyx_added_later")]

    assert len(members) > 1
    for member in members:
        assert str(member) == f"{member}" == "%s" % member == member.value  # noqa: UP031 - each way of printing
    assert str(types.OrderingGroupStatus.SUCCESS) == "success"


async def test_both_clients_say_closed_in_the_same_words() -> None:
    from telnyx_orders._config import CLIENT_CLOSED

    async_client = telnyx_orders.AsyncTelnyx("key", base_url="http://127.0.0.1:9/v2")
    await async_client.aclose()
    with pytest.raises(RuntimeError) as async_closed:
        await async_client.number_orders.retrieve("x")

    client = telnyx_orders.Telnyx("key", base_url="http://127.0.0.1:9/v2")
    client.close()
    with pytest.raises(RuntimeError) as closed:
        client.number_orders.retrieve("x")

    assert (
        str(async_closed.value)
        == str(closed.value)
        == CLIENT_CLOSED
        == "this client is closed; create a new one"
    )


def test_the_project_urls_point_at_its_home_issues_and_changelog() -> None:
    from importlib.metadata import metadata

    urls = dict(entry.split(", ", 1) for entry in metadata("telnyx-orders").get_all("Project-URL") or [])

    assert set(urls) == {"Homepage", "Documentation", "Source", "Issues", "Changelog"}
    assert all(url.startswith("https://github.com/telnyx-orders/telnyx-orders") for url in urls.values())
    assert urls["Issues"].endswith("/issues")
    assert urls["Changelog"].endswith("/CHANGELOG.md")


def test_the_changelog_keeps_a_changelog_with_what_is_unreleased() -> None:
    changelog = (Path(__file__).resolve().parents[1] / "CHANGELOG.md").read_text(encoding="utf-8")

    assert changelog.startswith("# Changelog\n")
    assert "[Keep a Changelog](https://keepachangelog.com/" in changelog
    sections = re.findall(r"^## (.+)$", changelog, flags=re.M)
    assert sections[0] == "[Unreleased]"
    kinds = re.findall(r"^### (.+)$", changelog, flags=re.M)
    assert kinds, "changes are grouped by kind"
    assert set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    for landed in ("with_raw_response", "The sandbox, rebuilt", "The core, simplified"):
        assert landed in changelog


SEARCH_AND_HOLD = {
    # DESIGN.md, "Search and hold": each method's own parameters, in order (names are part of the contract).
    "available_phone_numbers.list": [
        "country_code",
        "phone_number_type",
        "national_destination_code",
        "locality",
        "administrative_area",
        "rate_center",
        "features",
        "phone_number_starts_with",
        "phone_number_ends_with",
        "phone_number_contains",
        "limit",
        "best_effort",
        "quickship",
        "reservable",
        "exclude_held_numbers",
    ],
    "available_phone_number_blocks.list": [
        "country_code",
        "phone_number_type",
        "national_destination_code",
        "locality",
    ],
    "number_reservations.create": ["phone_numbers", "customer_reference"],
    "number_reservations.list": [
        "status",
        "created_at_gt",
        "created_at_lt",
        "phone_number",
        "customer_reference",
        "page_number",
        "page_size",
    ],
    "number_reservations.retrieve": ["number_reservation_id"],
    "number_reservations.actions.extend": ["number_reservation_id"],
    "number_block_orders.create": [
        "starting_number",
        "range",
        "connection_id",
        "messaging_profile_id",
        "customer_reference",
    ],
    "number_block_orders.list": [
        "status",
        "created_at_gt",
        "created_at_lt",
        "starting_number",
        "page_number",
        "page_size",
    ],
    "number_block_orders.retrieve": ["number_block_order_id"],
}


@pytest.mark.parametrize("client_class", [telnyx_orders.AsyncTelnyx, telnyx_orders.Telnyx])
@pytest.mark.parametrize("path", sorted(SEARCH_AND_HOLD))
def test_search_and_hold_have_the_designs_names_on_both_clients(client_class: type, path: str) -> None:
    client = client_class("key", base_url="http://127.0.0.1:9/v2")
    try:
        *resources, method = path.split(".")
        owner = client
        for resource in resources:
            owner = getattr(owner, resource)
        parameters = inspect.signature(getattr(owner, method)).parameters
    finally:
        close = getattr(client, "close", None)
        if close is not None:
            close()
    names = list(parameters)

    assert names == [*SEARCH_AND_HOLD[path], "timeout", "max_retries", "extra_headers"]
    positional = [name for name, p in parameters.items() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    path_ids = {"number_reservation_id", "number_block_order_id"}
    assert positional == [name for name in names if name in path_ids], "only path ids are positional"


def test_the_new_models_and_params_are_public() -> None:
    for name in (
        "AvailablePhoneNumber",
        "AvailablePhoneNumberBlock",
        "AvailablePhoneNumbersMetadata",
        "NumberBlockOrder",
        "NumberReservation",
        "Purchase",
        "ReservedPhoneNumber",
        "ReservedPhoneNumberParams",
        "SearchResults",
    ):
        assert name in types.__all__
    assert {"AsyncSearch", "PurchaseError"} <= set(telnyx_orders.__all__)
    assert issubclass(telnyx_orders.PurchaseError, telnyx_orders.TelnyxError)
