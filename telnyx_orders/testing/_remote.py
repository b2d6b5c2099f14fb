"""A blocking client of the sandbox's control API, for a sandbox served in another process."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING, Any

from telnyx_orders.testing._app import PREFIX
from telnyx_orders.testing._control import CONTROL_PREFIX

if TYPE_CHECKING:
    from collections.abc import Mapping

    from telnyx_orders.testing._faults import FaultKind
    from telnyx_orders.testing._state import ResourceKind

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


class RemoteSandbox:
    """Drive a running sandbox over its control API (``/_sandbox/...``), with blocking calls.

    For a sandbox in another process, such as ``telnyx-orders sandbox --port 8000``; it works as well
    with one in this process. ``base_url`` is the sandbox's API base URL (``http://127.0.0.1:8000/v2``,
    what :attr:`Sandbox.base_url` says) or its root; ``api_key`` is the sandbox's key::

        remote = RemoteSandbox("http://127.0.0.1:8000/v2", "sandbox-api-key")
        remote.add_fault("status", status=503, operation="CreateNumberOrder")
        order_id = remote.seed("inexplicit_number_orders", customer_reference="ref-1")["id"]
        with Telnyx(remote.api_key, base_url=remote.base_url) as client: ...
        assert [r["operation"] for r in remote.requests()] == ["RetrieveInexplicitNumberOrder"]

    The methods mirror :class:`Sandbox`'s and take the same arguments; they answer JSON (faults,
    documents and recorded requests as dicts, as the control API describes them). A call the sandbox
    refuses (an unknown fault kind, a pool no order could use, a mistyped field) raises ``ValueError``
    with the sandbox's message, as the in-process call would; any other failed answer raises
    ``RuntimeError``, and an unreachable sandbox ``urllib.error.URLError`` (an ``OSError``).
    """

    def __init__(self, base_url: str, api_key: str = "sandbox-api-key", *, timeout: float = 10.0) -> None:
        root = base_url.rstrip("/").removesuffix(PREFIX)
        self.base_url = root + PREFIX
        """The API base URL to give a client."""
        self.api_key = api_key
        self.timeout = timeout
        self._control_url = root + CONTROL_PREFIX
        # The sandbox only listens on loopback: never send these through a proxy from the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def __repr__(self) -> str:
        return f"<RemoteSandbox base_url={self.base_url!r}>"

    def _call(
        self, method: str, path: str, body: object = None, *, params: Mapping[str, str] | None = None
    ) -> Any:
        url = self._control_url + path
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

    def add_fault(self, kind: FaultKind, **fields: Any) -> dict[str, Any]:
        """Queue a :class:`Fault` of ``kind`` with ``fields`` (``body`` as ``str`` or UTF-8 ``bytes``).

        Returns the fault as the sandbox stored it, defaults filled in.
        """
        if isinstance(fields.get("body"), bytes):
            fields["body"] = fields["body"].decode()
        fault: dict[str, Any] = self._call("POST", "/faults", {"kind": kind, **fields})["data"]
        return fault

    def faults(self) -> list[dict[str, Any]]:
        """The faults that can still fire, in order, each with its ``fired`` count."""
        pending: list[dict[str, Any]] = self._call("GET", "/faults")["data"]
        return pending

    def clear_faults(self) -> None:
        """Forget every fault."""
        self._call("DELETE", "/faults")

    def set_inventory(
        self,
        country_iso: str,
        phone_number_type: str,
        count: int,
        *,
        national_destination_code: str | None = None,
    ) -> None:
        """Make a pool hold ``count`` numbers, as :meth:`Sandbox.set_inventory`."""
        body = {"country_iso": country_iso, "phone_number_type": phone_number_type, "count": count}
        if national_destination_code is not None:
            body["national_destination_code"] = national_destination_code
        self._call("PUT", "/inventory", body)

    def inventory(
        self, country_iso: str, phone_number_type: str, *, national_destination_code: str | None = None
    ) -> int:
        """Numbers left in a pool, as :meth:`Sandbox.inventory`."""
        params = {"country_iso": country_iso, "phone_number_type": phone_number_type}
        if national_destination_code is not None:
            params["national_destination_code"] = national_destination_code
        count: int = self._call("GET", "/inventory", params=params)["count"]
        return count

    def lifecycle(self) -> dict[str, Any]:
        """The knobs: ``{"step": seconds, "default_inventory": n}``."""
        knobs: dict[str, Any] = self._call("GET", "/lifecycle")
        return knobs

    def set_lifecycle(
        self, *, step: float | None = None, default_inventory: int | None = None
    ) -> dict[str, Any]:
        """Set :attr:`Sandbox.lifecycle_step` and/or :attr:`Sandbox.default_inventory`; the knobs after."""
        body: dict[str, Any] = {}
        if step is not None:
            body["step"] = step
        if default_inventory is not None:
            body["default_inventory"] = default_inventory
        knobs: dict[str, Any] = self._call("PUT", "/lifecycle", body)
        return knobs

    def seed(self, kind: ResourceKind, **overrides: Any) -> dict[str, Any]:
        """Store a document with the ``add_*`` helper of ``kind`` and ``overrides``; the stored document."""
        doc: dict[str, Any] = self._call("POST", f"/seed/{urllib.parse.quote(kind, safe='')}", overrides)[
            "data"
        ]
        return doc

    def requests(self, operation: str | None = None) -> list[dict[str, Any]]:
        """Every request the API received, oldest first; only those routed to ``operation`` if given."""
        params = None if operation is None else {"operation": operation}
        recorded: list[dict[str, Any]] = self._call("GET", "/requests", params=params)["data"]
        return recorded

    def reset(self) -> None:
        """Forget everything, as :meth:`Sandbox.reset`."""
        self._call("POST", "/reset")
