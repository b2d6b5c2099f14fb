"""Webhook signatures: Ed25519 over `f"{telnyx-timestamp}|{payload}"`, checked before anything is parsed.

`cryptography` is the optional extra `telnyx-orders[webhooks]`, imported on first use only, so that the
core keeps its four dependencies and `import telnyx_orders` never loads it.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import json
import math
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, cast

import attrs
import cattrs

from ._converter import structure
from ._errors import WebhookPayloadError, WebhookVerificationError

if TYPE_CHECKING:
    from .types._webhooks import NumberOrderWebhookEvent

__all__ = [
    "INSTALL_HINT",
    "PUBLIC_KEY_ENV",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "TOLERANCE_SECONDS",
    "ConfiguredKey",
    "WebhookHeaders",
    "check_public_key",
    "configured_key",
    "parse_event",
    "require_cryptography",
    "verify_signature",
]

SIGNATURE_HEADER = "telnyx-signature-ed25519"
TIMESTAMP_HEADER = "telnyx-timestamp"
TOLERANCE_SECONDS = 300
"""How far the signing time may be from now, either way: Telnyx's (and Standard Webhooks') five minutes."""
PUBLIC_KEY_ENV = "TELNYX_PUBLIC_KEY"
INSTALL_HINT = "pip install 'telnyx-orders[webhooks]'"

_KEY_BYTES = 32
_SIGNATURE_BYTES = 64
# Unix seconds, as Telnyx sends them: digits only (int() would also take " 12", "+12" and "1_2").
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")
_SHOWN_CHARACTERS = 60

WebhookHeaders = Mapping[str, str] | Iterable[tuple[str, str]] | Iterable[tuple[bytes, bytes]]
"""A request's headers: a dict, a multidict (aiohttp's `request.headers`, Starlette's), or (name, value)
pairs, as str or as bytes (an ASGI scope's `headers`)."""


def require_cryptography() -> None:
    """Raise `WebhookVerificationError` naming the extra if `cryptography` cannot be imported."""
    try:
        importlib.import_module("cryptography.hazmat.primitives.asymmetric.ed25519")
    except ImportError as error:
        raise WebhookVerificationError(
            f"verifying webhooks needs the cryptography package: {INSTALL_HINT}"
        ) from error


def check_public_key(key: object, what: str = "key") -> bytes:
    """The raw 32-byte Ed25519 key from its base64 text (as Mission Control shows it) or its raw bytes."""
    if isinstance(key, str):
        try:
            raw = base64.b64decode(key.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise WebhookVerificationError(
                f"{what} must be the base64 of a 32-byte Ed25519 public key, and is not base64"
            ) from None
        if len(raw) != _KEY_BYTES:
            raise WebhookVerificationError(
                f"{what} must be the base64 of a 32-byte Ed25519 public key, not of {len(raw)} bytes"
            )
        return raw
    if isinstance(key, (bytes, bytearray)):
        if len(key) != _KEY_BYTES:
            raise WebhookVerificationError(
                f"{what} as bytes must be the raw 32-byte Ed25519 public key, not {len(key)} bytes "
                "(give base64 text as a str)"
            )
        return bytes(key)
    raise TypeError(f"{what} must be a str (base64) or bytes (raw), not {type(key).__name__}")


@attrs.frozen
class ConfiguredKey:
    """The key a client verifies webhooks with when `unwrap()` is given none, and where it came from."""

    value: str | bytes
    source: str

    def raw(self) -> bytes:
        return check_public_key(self.value, self.source)


def configured_key(public_key: str | bytes | None) -> ConfiguredKey | None:
    """The client's key: `public_key` if given (checked now), else `TELNYX_PUBLIC_KEY` if set, else None.

    The environment variable is checked only when a webhook is verified: a client that never sees one
    does not fail over it.
    """
    if public_key is not None:
        check_public_key(public_key, "public_key")
        return ConfiguredKey(public_key, "public_key")
    from_environment = os.environ.get(PUBLIC_KEY_ENV)
    if not from_environment:
        return None
    return ConfiguredKey(from_environment, f"the {PUBLIC_KEY_ENV} environment variable")


def verify_signature(
    payload: str | bytes, *, headers: WebhookHeaders, key: bytes, now: float | None = None
) -> bytes:
    """Check that `key` signed `payload` at a time within 300 s of `now`; return the payload's bytes.

    `now` is the current unix time (default `time.time()`). Raises `WebhookVerificationError` on any
    failure, `TypeError` when `payload` or `headers` are not of a type it takes.
    """
    body = _payload_bytes(payload)
    require_cryptography()
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    found = _find_headers(headers, (SIGNATURE_HEADER, TIMESTAMP_HEADER))
    signature_text, timestamp = found[SIGNATURE_HEADER], found[TIMESTAMP_HEADER]
    _check_window(timestamp, time.time() if now is None else now)
    signature = _signature_bytes(signature_text)
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, timestamp.encode("ascii") + b"|" + body)
    except InvalidSignature:
        raise WebhookVerificationError(
            "the webhook's signature does not match: the payload or timestamp was changed after signing, "
            "or it was signed with another key than this one (the payload must be the body exactly as "
            "received, not JSON decoded and encoded again)"
        ) from None
    return body


def parse_event(body: bytes) -> NumberOrderWebhookEvent:
    """The typed event in a webhook's body, or `WebhookPayloadError` saying where it is not one."""
    # Imported here: the client needs only `configured_key` from this module, and the event's models
    # cost 4.5 ms at import (measured: min of 20 fresh processes, Python 3.11).
    from .types._webhooks import NumberOrderWebhookEvent

    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        text = body.decode("utf-8", "replace")
        raise WebhookPayloadError(
            f"the webhook's body is not JSON ({error}): {_shown(text)}", body=text
        ) from None
    try:
        return structure(document, NumberOrderWebhookEvent)
    except Exception as error:
        raise WebhookPayloadError(
            f"the webhook's body is not a number-order event: {_shape_problems(error)}", body=document
        ) from error


def _payload_bytes(payload: object) -> bytes:
    if isinstance(payload, str):
        try:
            return payload.encode("utf-8")
        except UnicodeEncodeError:
            raise WebhookVerificationError(
                "the payload holds unpaired surrogates: it is not the text of a request body"
            ) from None
    if isinstance(payload, (bytes, bytearray)):
        return bytes(payload)
    raise TypeError(f"payload must be the request body as str or bytes, not {type(payload).__name__}")


def _find_headers(headers: object, names: tuple[str, ...]) -> dict[str, str]:
    """The one value of each header of `names` (lower case), matched case-insensitively."""
    found: dict[str, list[str]] = {name: [] for name in names}
    for name, value in _header_pairs(headers):
        if name.lower() in found:
            found[name.lower()].append(value)
    values: dict[str, str] = {}
    for name, given in found.items():
        if not given:
            raise WebhookVerificationError(f"the webhook has no {name} header: it was not signed by Telnyx")
        if len(set(given)) > 1:
            raise WebhookVerificationError(f"the webhook has {len(given)} different {name} headers")
        values[name] = given[0]
    return values


def _header_pairs(headers: object) -> Iterator[tuple[str, str]]:
    items: Iterable[object]
    if isinstance(headers, Mapping):
        # A multidict's items() gives every value of a repeated header, a dict's the one it has.
        items = cast("Mapping[object, object]", headers).items()
    elif isinstance(headers, Iterable) and not isinstance(headers, (str, bytes)):
        items = cast("Iterable[object]", headers)
    else:
        raise TypeError(
            "headers must be a mapping of header names to values, or (name, value) pairs, "
            f"not {type(headers).__name__}"
        )
    for item in items:
        if not isinstance(item, tuple):
            raise TypeError(f"each header must be a (name, value) pair, not {type(item).__name__}")
        pair = cast("tuple[object, ...]", item)
        if len(pair) != 2:
            raise TypeError(f"each header must be a (name, value) pair, not a tuple of {len(pair)}")
        yield _header_text(pair[0]), _header_text(pair[1])


def _header_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")  # HTTP header bytes, as ASGI servers hand them over
    raise TypeError(f"header names and values must be str or bytes, not {type(value).__name__}")


def _check_window(timestamp: str, now: float) -> None:
    if not _UNIX_SECONDS.fullmatch(timestamp):
        raise WebhookVerificationError(
            f"the webhook's {TIMESTAMP_HEADER} header must be unix seconds, not {_shown(timestamp)}"
        )
    # Whole seconds, as the header and the official SDK count them.
    age = math.floor(now) - int(timestamp)
    if age > TOLERANCE_SECONDS:
        raise WebhookVerificationError(
            f"the webhook was signed {age} s ago, more than {TOLERANCE_SECONDS} s: "
            "a replay of an old delivery, or this machine's clock is wrong"
        )
    if -age > TOLERANCE_SECONDS:
        raise WebhookVerificationError(
            f"the webhook is signed {-age} s in the future, more than {TOLERANCE_SECONDS} s: "
            "this machine's clock is wrong, or the timestamp was forged"
        )


def _signature_bytes(text: str) -> bytes:
    try:
        signature = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError(
            f"the webhook's {SIGNATURE_HEADER} header is not base64: {_shown(text)}"
        ) from None
    if len(signature) != _SIGNATURE_BYTES:
        raise WebhookVerificationError(
            f"the webhook's {SIGNATURE_HEADER} header must hold a 64-byte Ed25519 signature, "
            f"not {len(signature)} bytes"
        )
    return signature


def _shape_problems(error: Exception) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(error, path="body", format_exception=_describe))
    return f"{type(error).__name__}: {error}"


def _describe(error: BaseException, _: object) -> str:
    if isinstance(error, KeyError):
        return "required field missing"
    return str(error) or type(error).__name__


def _shown(text: str) -> str:
    """`text` for an error message: quoted, control characters escaped, and cut short."""
    shown = repr(text[:_SHOWN_CHARACTERS])
    return shown + "…" if len(text) > _SHOWN_CHARACTERS else shown
