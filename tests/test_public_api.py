"""The public surface: curated, sorted, and complete."""

from __future__ import annotations

import importlib
import inspect

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
