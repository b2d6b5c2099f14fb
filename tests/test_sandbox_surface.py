"""The shape of the sandbox's public surface: small, named on purpose, the same in and out of process."""

from __future__ import annotations

import collections.abc
import inspect
import types
import typing
from pathlib import Path
from typing import Any, get_args

import aiohttp
import aiohttp.typedefs
import pytest
import yaml
from aiohttp import web

import telnyx_orders.testing
from telnyx_orders.testing import (
    OPERATIONS,
    Fault,
    FaultKind,
    FaultPlan,
    Operation,
    RemoteSandbox,
    RequestLog,
    Sandbox,
    SandboxControls,
    ThreadedSandbox,
    WebhookDelivery,
    WebhookDeliveryLog,
)

SPEC = Path(__file__).parent / "data" / "telnyx-number-ordering.openapi.yaml"
NAMESPACE: dict[str, Any] = {
    **vars(typing),
    **vars(collections.abc),
    **vars(telnyx_orders.testing),
    "web": web,
    "Handler": aiohttp.typedefs.Handler,
    "TracebackType": types.TracebackType,
}
"""What the public annotations may name: the standard library, aiohttp and the public testing names.

An annotation naming a private type of the package fails to resolve here, and so fails the test."""

SHARED_CALLS = sorted(name for name in dir(SandboxControls) if not name.startswith("_"))
SHARED_ATTRIBUTES = sorted(SandboxControls.__annotations__)


def _hints(function: Any) -> dict[str, Any]:
    return typing.get_type_hints(function, globalns=NAMESPACE)


@pytest.mark.parametrize("name", SHARED_CALLS)
def test_a_remote_sandbox_offers_every_call_of_a_sandbox_with_the_same_types(name: str) -> None:
    base, local, remote = (
        inspect.getattr_static(cls, name) for cls in (SandboxControls, Sandbox, RemoteSandbox)
    )
    if isinstance(base, property):
        assert isinstance(local, property)
        assert isinstance(remote, property)
        for accessor in ("fget", "fset"):
            functions = [getattr(each, accessor) for each in (base, local, remote)]
            assert [None if f is None else _hints(f) for f in functions[1:]] == [
                None if functions[0] is None else _hints(functions[0])
            ] * 2
    else:
        assert inspect.signature(local) == inspect.signature(base) == inspect.signature(remote)
        assert _hints(local) == _hints(base) == _hints(remote)


def test_the_shared_surface_is_what_a_test_needs_and_nothing_is_left_abstract() -> None:
    assert SHARED_ATTRIBUTES == ["api_key", "faults", "requests", "webhook_deliveries"]
    assert SHARED_CALLS == [
        "add_inexplicit_number_order",
        "add_number_order",
        "add_number_reservation",
        "add_sub_number_order",
        "base_url",
        "default_inventory",
        "documents",
        "inventory",
        "lifecycle_step",
        "requests_to",
        "reservation_hold",
        "reset",
        "seed",
        "seed_raw",
        "set_inventory",
        "webhook_public_key",
    ]
    assert Sandbox.__abstractmethods__ == RemoteSandbox.__abstractmethods__ == frozenset()


def test_the_attributes_of_both_sandboxes_are_the_public_types() -> None:
    for sandbox in (Sandbox(api_key="k"), RemoteSandbox("http://127.0.0.1:9/v2", "k")):
        assert sandbox.api_key == "k"
        assert isinstance(sandbox.faults, FaultPlan)
        assert isinstance(sandbox.requests, RequestLog)
        assert isinstance(sandbox.webhook_deliveries, WebhookDeliveryLog)
    assert typing.get_type_hints(SandboxControls, globalns=NAMESPACE) == {
        "api_key": str,
        "faults": FaultPlan,
        "requests": RequestLog,
        "webhook_deliveries": WebhookDeliveryLog,
    }


PUBLIC_CLASSES = [
    Fault,
    FaultPlan,
    RemoteSandbox,
    RequestLog,
    Sandbox,
    SandboxControls,
    ThreadedSandbox,
    WebhookDelivery,
    WebhookDeliveryLog,
]


@pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda cls: cls.__name__)
def test_public_classes_name_only_public_types(cls: type) -> None:
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") and name != "__init__":
            continue
        functions = [member.fget, member.fset] if isinstance(member, property) else [member]
        for function in functions:
            if inspect.isfunction(function):
                _hints(function)  # raises NameError for a type that is not public


def test_the_package_exports_a_small_surface_of_its_own_modules() -> None:
    assert telnyx_orders.testing.__all__ == [
        "OPERATIONS",
        "Fault",
        "FaultKind",
        "FaultPlan",
        "Operation",
        "RecordedRequest",
        "RemoteSandbox",
        "RequestLog",
        "Sandbox",
        "SandboxControls",
        "ThreadedSandbox",
        "WebhookCollector",
        "WebhookDelivery",
        "WebhookDeliveryLog",
    ]
    private = [
        name for name in dir(telnyx_orders.testing) if name.startswith("_") and not name.startswith("__")
    ]
    assert all(inspect.ismodule(getattr(telnyx_orders.testing, name)) for name in private)


def _spec_operations() -> dict[str, tuple[str, str]]:
    """Every operation of the spec: operationId -> (method, path)."""
    spec = yaml.safe_load(SPEC.read_text())
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if method in ("get", "post", "patch", "put", "delete")
    }


async def test_operations_are_the_spec_operation_ids_and_each_is_routed_by_its_name() -> None:
    operations = _spec_operations()
    assert set(get_args(Operation)) == set(operations)
    assert len(operations) == 28
    async with Sandbox() as sandbox, aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bearer {sandbox.api_key}"}
        for method, path in operations.values():
            url = sandbox.base_url + path.replace("{", "").replace("}", "")
            async with http.request(method, url, headers=headers, json={}) as response:
                await response.read()
        routed = [request.operation for request in sandbox.requests]
    assert routed == list(operations)
    assert set(operations) == OPERATIONS


def test_a_fault_names_an_operation_of_the_spec() -> None:
    assert Fault("latency", operation="ListNumberReservations").operation == "ListNumberReservations"
    with pytest.raises(
        ValueError, match="unknown operation 'RetrieveOrder'; expected one of: CancelSubNumberOrder, Create"
    ):
        Fault("latency", operation="RetrieveOrder")  # type: ignore[arg-type]


async def _teapot(request: web.Request) -> web.Response:
    return web.Response(status=418)


@pytest.mark.parametrize("kind", get_args(FaultKind))
def test_every_fault_kind_has_a_responder(kind: FaultKind) -> None:
    fault = Fault(kind, status=503, handler=_teapot)
    assert fault.kind == kind
    with pytest.raises(ValueError, match=r"unknown fault kind 'explode'; expected one of: drop_after, "):
        Fault("explode")  # type: ignore[arg-type]
