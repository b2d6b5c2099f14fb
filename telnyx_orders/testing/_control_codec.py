"""JSON for the control API: checking control bodies, and faults and recorded requests as JSON."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any, cast

from telnyx_orders.testing._deliveries import WebhookDelivery
from telnyx_orders.testing._errors import InvalidBody, InvalidParameter, Problem
from telnyx_orders.testing._faults import Fault
from telnyx_orders.testing._log import RecordedRequest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._faults import FaultKind

    Check = Callable[[object], bool]
    Fields = Mapping[str, tuple[Check, str]]
    """Allowed body fields: name -> (check of its JSON value, what the value must be, for the error)."""


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_text_map(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(item, str) for item in cast("dict[str, object]", value).values()
    )


def _is_anything(_: object) -> bool:
    return True


def _or_null(check: Check) -> Check:
    return lambda value: value is None or check(value)


FAULT_FIELDS: Fields = {
    "kind": (_is_str, "a string"),
    "operation": (_or_null(_is_str), "a string or null"),
    "method": (_or_null(_is_str), "a string or null"),
    "times": (_or_null(_is_int), "an integer or null"),
    "probability": (_is_number, "a number"),
    "status": (_or_null(_is_int), "an integer or null"),
    "code": (_or_null(_is_str), "a string or null"),
    "title": (_or_null(_is_str), "a string or null"),
    "detail": (_or_null(_is_str), "a string or null"),
    "headers": (_is_text_map, "an object of strings"),
    "delay": (_is_number, "a number of seconds"),
    "reset": (_is_int, "an integer"),
    "body": (_or_null(_is_str), "a string or null"),
    "json_body": (_is_anything, "any JSON value"),
    "content_type": (_or_null(_is_str), "a string or null"),
}
"""The fields of a :class:`Fault` a control request may set (``body`` as text, sent as UTF-8)."""

INVENTORY_FIELDS: Fields = {
    "country_iso": (_is_str, "a string"),
    "phone_number_type": (_is_str, "a string"),
    "count": (_is_int, "an integer"),
    "national_destination_code": (_or_null(_is_str), "a string or null"),
}

SEED_FIELDS: Fields = {"seed": (_is_int, "an integer")}

LIFECYCLE_FIELDS: Fields = {
    "step": (_is_number, "a number of seconds"),
    "default_inventory": (_is_int, "an integer"),
    "reservation_hold": (_is_number, "a number of seconds"),
}


def _pointer(key: str) -> str:
    return "/" + key.replace("~", "~0").replace("/", "~1")


def checked(body: JSONDict, fields: Fields, *, required: Iterable[str] = ()) -> JSONDict:
    """``body`` if it has only known ``fields``, each of the right JSON type, and every ``required`` one.

    Otherwise :class:`InvalidBody` (422) with one problem per field: a mistyped control call should
    fail loudly, not quietly set something else.
    """
    problems = [
        Problem(_pointer(key), f"unknown field {key!r}; expected one of: {', '.join(fields)}.")
        for key in body
        if key not in fields
    ]
    problems += [Problem(_pointer(key), f"{key} is required.") for key in required if key not in body]
    problems += [
        Problem(_pointer(key), f"{key} must be {fields[key][1]}.")
        for key, value in body.items()
        if key in fields and not fields[key][0](value)
    ]
    if problems:
        raise InvalidBody(problems)
    return body


def fault_from_json(body: JSONDict) -> Fault:
    """The :class:`Fault` a control body describes; 422 with the field or the ``Fault``'s own message."""
    fields: dict[str, Any] = dict(checked(body, FAULT_FIELDS, required=("kind",)))
    kind = cast("FaultKind", fields.pop("kind"))
    if fields.get("body") is not None:
        fields["body"] = str(fields["body"]).encode()
    try:
        return Fault(kind, **fields)
    except ValueError as exc:
        raise InvalidParameter(422, str(exc)) from None


def _text(body: bytes | None) -> str | None:
    return None if body is None else body.decode("utf-8", "replace")


def fault_to_json(fault: Fault, *, fired: bool = True) -> JSONDict:
    """Every field of ``fault`` as JSON (``fired`` too unless told otherwise), ``body`` as text.

    ``ValueError`` for a fault with a ``handler``: a Python function cannot cross to another process.
    """
    if fault.handler is not None:
        raise ValueError("a fault with a handler runs only in the sandbox's own process, not remotely")
    fields: JSONDict = {
        "kind": fault.kind,
        "operation": fault.operation,
        "method": fault.method,
        "times": fault.times,
        "probability": fault.probability,
        "status": fault.status,
        "code": fault.code,
        "title": fault.title,
        "detail": fault.detail,
        "headers": dict(fault.headers),
        "delay": fault.delay,
        "reset": fault.reset,
        "body": _text(fault.body),
        "json_body": fault.json_body,
        "content_type": fault.content_type,
    }
    if fired:
        fields["fired"] = fault.fired
    return fields


def fault_from_stored_json(body: JSONDict) -> Fault:
    """The :class:`Fault` :func:`fault_to_json` described, ``fired`` count included."""
    fields = dict(body)
    fired = fields.pop("fired", 0)
    fault = fault_from_json(fields)
    fault.fired = fired
    return fault


def request_to_json(recorded: RecordedRequest) -> JSONDict:
    """A recorded request as JSON: ``query`` as ``[name, value]`` pairs, ``body`` as base64, ``fault``
    as :func:`fault_to_json` describes it."""
    return {
        "method": recorded.method,
        "path": recorded.path,
        "raw_path": recorded.raw_path,
        "query": [list(pair) for pair in recorded.query],
        "headers": dict(recorded.headers),
        "body": base64.b64encode(recorded.body).decode(),
        "operation": recorded.operation,
        "request_id": recorded.request_id,
        "fault": None if recorded.fault is None or recorded.fault.handler else fault_to_json(recorded.fault),
    }


def request_from_json(body: JSONDict) -> RecordedRequest:
    """The :class:`RecordedRequest` :func:`request_to_json` described."""
    fault = body["fault"]
    return RecordedRequest(
        method=body["method"],
        path=body["path"],
        query=[(name, value) for name, value in body["query"]],
        headers=dict(body["headers"]),
        body=base64.b64decode(body["body"]),
        operation=body["operation"],
        request_id=body["request_id"],
        fault=None if fault is None else fault_from_stored_json(fault),
        raw_path=body["raw_path"],
    )


def delivery_to_json(delivery: WebhookDelivery) -> JSONDict:
    """A webhook delivery attempt as JSON, ``body`` as base64."""
    return {
        "event_id": delivery.event_id,
        "attempt": delivery.attempt,
        "status": delivery.status,
        "error": delivery.error,
        "headers": dict(delivery.headers),
        "body": base64.b64encode(delivery.body).decode(),
        "will_retry": delivery.will_retry,
    }


def delivery_from_json(body: JSONDict) -> WebhookDelivery:
    """The :class:`WebhookDelivery` :func:`delivery_to_json` described."""
    return WebhookDelivery(
        event_id=body["event_id"],
        attempt=body["attempt"],
        status=body["status"],
        error=body["error"],
        headers=dict(body["headers"]),
        body=base64.b64decode(body["body"]),
        will_retry=body["will_retry"],
    )
