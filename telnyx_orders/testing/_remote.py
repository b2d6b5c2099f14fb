"""A blocking client of the sandbox's control API, for a sandbox served in another process."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING, Any

from telnyx_orders.testing._app import PREFIX
from telnyx_orders.testing._control import CONTROL_PREFIX
from telnyx_orders.testing._control_codec import (
    delivery_from_json,
    fault_from_stored_json,
    fault_to_json,
    request_from_json,
)
from telnyx_orders.testing._deliveries import WebhookDelivery, WebhookDeliveryLog
from telnyx_orders.testing._documents import check_key
from telnyx_orders.testing._faults import Fault, FaultPlan
from telnyx_orders.testing._log import RecordedRequest, RequestLog
from telnyx_orders.testing._operations import check_operation
from telnyx_orders.testing._surface import SandboxControls

if TYPE_CHECKING:
    from collections.abc import Mapping

    from telnyx_orders.testing._operations import Operation

_REFUSED = frozenset({400, 415, 422})
"""Statuses that mean the control call itself was wrong: raised as ``ValueError``, as in-process."""


def _describe(error: Mapping[str, Any]) -> str:
    source: Mapping[str, Any] = error.get("source") or {}
    pointer = source.get("pointer")
    return f"{pointer}: {error['detail']}" if pointer else str(error["detail"])


def _detail(payload: bytes) -> str:
    """The details of a Telnyx error envelope, each after the pointer it names; else the body as text."""
    try:
        return "; ".join(_describe(error) for error in json.loads(payload)["errors"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return payload.decode("utf-8", "replace")


class _Control:
    """Blocking calls to a sandbox's control API."""

    def __init__(self, root: str, api_key: str, timeout: float) -> None:
        self.url = root + CONTROL_PREFIX
        self.api_key = api_key
        self.timeout = timeout
        # The sandbox only listens on loopback: never send these through a proxy from the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def __call__(
        self, method: str, path: str, body: object = None, *, params: Mapping[str, str] | None = None
    ) -> Any:
        url = self.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                payload: bytes = response.read()
        except urllib.error.HTTPError as error:
            detail = _detail(error.read())
            error.close()
            if error.code in _REFUSED:
                raise ValueError(detail) from None
            raise RuntimeError(f"the sandbox answered {method} {path} with {error.code}: {detail}") from None
        return json.loads(payload) if payload else None


class _RemoteFaultPlan(FaultPlan):
    """The fault plan of a sandbox in another process: every call goes to its control API."""

    def __init__(self, control: _Control) -> None:
        super().__init__()
        self._control = control

    def add(self, fault: Fault) -> Fault:
        stored = self._control("POST", "/faults", fault_to_json(fault, fired=False))["data"]
        return fault_from_stored_json(stored)

    def take(self, method: str, operation: str | None) -> Fault | None:
        raise RuntimeError("faults fire in the sandbox's own process, not in a RemoteSandbox")

    @property
    def faults(self) -> list[Fault]:
        return [fault_from_stored_json(each) for each in self._control("GET", "/faults")["data"]]

    def clear(self) -> None:
        self._control("DELETE", "/faults")

    def reseed(self, seed: int) -> None:
        self._control("PUT", "/faults/seed", {"seed": seed})


class _RemoteRequestLog(RequestLog):
    """The request log of a sandbox in another process: each read fetches it from the control API."""

    def __init__(self, control: _Control) -> None:
        super().__init__()
        self._control = control

    def _meta(self, name: str) -> int:
        value: int = self._control("GET", "/requests")["meta"][name]
        return value

    @property
    def limit(self) -> int:
        return self._meta("limit")

    @property
    def max_bytes(self) -> int:
        return self._meta("max_bytes")

    @property
    def dropped(self) -> int:
        return self._meta("dropped")

    def record(self, request: RecordedRequest) -> None:
        raise RuntimeError("requests are recorded by the sandbox's own process, not by a RemoteSandbox")

    def snapshot(self) -> list[RecordedRequest]:
        return [request_from_json(each) for each in self._control("GET", "/requests")["data"]]

    def to(self, operation: Operation) -> list[RecordedRequest]:
        found = self._control("GET", "/requests", params={"operation": operation})["data"]
        return [request_from_json(each) for each in found]

    def clear(self) -> None:
        self._control("DELETE", "/requests")

    def __repr__(self) -> str:
        return f"<RequestLog of the sandbox at {self._control.url}>"


class _RemoteDeliveryLog(WebhookDeliveryLog):
    """The webhook delivery log of a sandbox in another process: each read fetches it from the control API."""

    def __init__(self, control: _Control) -> None:
        super().__init__()
        self._control = control

    def _fetch(self, params: Mapping[str, str] | None = None) -> tuple[list[WebhookDelivery], dict[str, int]]:
        answer = self._control("GET", "/webhooks/deliveries", params=params)
        return [delivery_from_json(each) for each in answer["data"]], answer["meta"]

    @property
    def limit(self) -> int:
        return self._fetch()[1]["limit"]

    @property
    def recorded(self) -> int:
        return self._fetch()[1]["recorded"]

    def record(self, delivery: WebhookDelivery) -> None:
        raise RuntimeError("deliveries are recorded by the sandbox's own process, not by a RemoteSandbox")

    def snapshot(self) -> list[WebhookDelivery]:
        return self._fetch()[0]

    def wait(self, count: int, *, timeout: float = 10.0) -> list[WebhookDelivery]:
        deliveries, meta = self._fetch({"count": str(count), "timeout": str(timeout)})
        if meta["recorded"] < count:
            raise TimeoutError(
                f"{meta['recorded']} webhook delivery attempts recorded in {timeout} s, not {count}"
            )
        return deliveries

    def clear(self) -> None:
        self._control("DELETE", "/webhooks/deliveries")

    def __repr__(self) -> str:
        return f"<WebhookDeliveryLog of the sandbox at {self._control.url}>"


class RemoteSandbox(SandboxControls):
    """Drive a running sandbox over its control API (``/_sandbox/...``), with blocking calls.

    For a sandbox in another process, such as ``telnyx-orders sandbox --port 8000``; it works as well
    with one in this process. ``base_url`` is the sandbox's API base URL (``http://127.0.0.1:8000/v2``,
    what :attr:`Sandbox.base_url` says) or its root; ``api_key`` is the sandbox's key::

        remote = RemoteSandbox("http://127.0.0.1:8000/v2", "sandbox-api-key")
        remote.faults.status(503, operation="CreateNumberOrder")
        order_id = remote.seed("inexplicit_number_orders", customer_reference="ref-1")["id"]
        with Telnyx(remote.api_key, base_url=remote.base_url) as client: ...
        assert [r.operation for r in remote.requests] == ["RetrieveInexplicitNumberOrder"]

    It offers the calls of :class:`Sandbox` (:class:`SandboxControls`) with the same arguments and
    types: :attr:`faults` and :attr:`requests` are live views whose every call asks the sandbox. A
    call the sandbox refuses (an unknown fault kind, a pool no order could use, a mistyped field)
    raises ``ValueError`` with the sandbox's message, as the in-process call would; any other failed
    answer raises ``RuntimeError``, and an unreachable sandbox ``urllib.error.URLError`` (an
    ``OSError``). A fault with a ``handler`` runs only in the sandbox's own process: ``ValueError``.
    """

    def __init__(self, base_url: str, api_key: str = "sandbox-api-key", *, timeout: float = 10.0) -> None:
        root = base_url.rstrip("/").removesuffix(PREFIX)
        self._base_url = root + PREFIX
        self.api_key = api_key
        self.timeout = timeout
        self._control = _Control(root, api_key, timeout)
        self.faults = _RemoteFaultPlan(self._control)
        self.requests = _RemoteRequestLog(self._control)
        self.webhook_deliveries = _RemoteDeliveryLog(self._control)

    def __repr__(self) -> str:
        return f"<RemoteSandbox base_url={self.base_url!r}>"

    @property
    def base_url(self) -> str:
        return self._base_url

    def seed(self, kind: str, **overrides: Any) -> dict[str, Any]:
        path = f"/seed/{urllib.parse.quote(kind, safe='')}"
        doc: dict[str, Any] = self._control("POST", path, overrides)["data"]
        return doc

    def seed_raw(self, kind: str, doc: dict[str, Any], *, id: str | None = None) -> dict[str, Any]:
        key = check_key(doc) if id is None else id
        path = f"/documents/{urllib.parse.quote(kind, safe='')}/{urllib.parse.quote(key, safe='')}"
        stored: dict[str, Any] = self._control("PUT", path, doc)["data"]
        return stored

    def documents(self, kind: str) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = self._control(
            "GET", f"/documents/{urllib.parse.quote(kind, safe='')}"
        )["data"]
        return found

    @property
    def lifecycle_step(self) -> float:
        step: float = self._control("GET", "/lifecycle")["step"]
        return step

    @lifecycle_step.setter
    def lifecycle_step(self, seconds: float) -> None:
        self._control("PUT", "/lifecycle", {"step": seconds})

    @property
    def reservation_hold(self) -> float:
        seconds: float = self._control("GET", "/lifecycle")["reservation_hold"]
        return seconds

    @reservation_hold.setter
    def reservation_hold(self, seconds: float) -> None:
        self._control("PUT", "/lifecycle", {"reservation_hold": seconds})

    @property
    def default_inventory(self) -> int:
        count: int = self._control("GET", "/lifecycle")["default_inventory"]
        return count

    @default_inventory.setter
    def default_inventory(self, count: int) -> None:
        self._control("PUT", "/lifecycle", {"default_inventory": count})

    def set_inventory(
        self,
        country_iso: str,
        phone_number_type: str,
        count: int,
        *,
        national_destination_code: str | None = None,
    ) -> None:
        body = {"country_iso": country_iso, "phone_number_type": phone_number_type, "count": count}
        if national_destination_code is not None:
            body["national_destination_code"] = national_destination_code
        self._control("PUT", "/inventory", body)

    def inventory(
        self, country_iso: str, phone_number_type: str, *, national_destination_code: str | None = None
    ) -> int:
        params = {"country_iso": country_iso, "phone_number_type": phone_number_type}
        if national_destination_code is not None:
            params["national_destination_code"] = national_destination_code
        count: int = self._control("GET", "/inventory", params=params)["count"]
        return count

    @property
    def webhook_public_key(self) -> str | None:
        key: str | None = self._control("GET", "/webhooks")["public_key"]
        return key

    def requests_to(self, operation: Operation) -> list[RecordedRequest]:
        check_operation(operation)
        return self.requests.to(operation)

    def reset(self) -> None:
        self._control("POST", "/reset")
