"""Client settings: defaults, environment variables and the checks that run before any request."""

from __future__ import annotations

import ipaddress
import os
import re
import ssl
from collections.abc import Mapping
from urllib.parse import urlsplit

from ._errors import TelnyxError

__all__ = [
    "CLIENT_CLOSED",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "check_header_name",
    "check_header_text",
    "check_headers",
    "check_max_response_bytes",
    "check_max_retries",
    "check_ssl_context",
    "has_control_characters",
    "is_loopback",
    "not_found_note",
    "resolve_api_key",
    "resolve_base_url",
]

DEFAULT_BASE_URL = "https://api.telnyx.com/v2"
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
API_KEY_ENV = "TELNYX_API_KEY"
BASE_URL_ENV = "TELNYX_BASE_URL"
API_PATH = "/v2"
"""The path the Telnyx API is served under: every base URL ends with it."""

CLIENT_CLOSED = "this client is closed; create a new one"
"""What a call on a closed client (`AsyncTelnyx` or `Telnyx`) raises `RuntimeError` with."""


def check_max_retries(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_retries must be an int, not {value!r}")
    if value < 0:
        raise ValueError(f"max_retries must be 0 or more, not {value}")
    return value


# C0 controls (CR, LF, ...), DEL and C1 controls (NEL, ...), which some parsers take for line breaks.
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# RFC 9110 token characters: a header name made of anything else could end the name early.
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def has_control_characters(value: str) -> bool:
    return _CONTROL_CHARACTERS.search(value) is not None


def check_header_text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if _CONTROL_CHARACTERS.search(value):
        raise ValueError(f"{what} must not contain control characters such as CR or LF")
    if _SURROGATES.search(value):
        raise ValueError(f"{what} must not contain unpaired surrogates: it could not be sent as UTF-8")
    return value


def check_header_name(name: object) -> str:
    check_header_text(name, "a header name")
    if not _HEADER_NAME.fullmatch(str(name)):
        raise ValueError(f"a header name must be letters, digits and !#$%&'*+-.^_`|~ only, not {name!r}")
    return str(name)


# Headers that frame or route the message: set by hand, they could make the server read a body as the
# next request on a pooled connection, or send the request somewhere else.
_TRANSPORT_HEADERS = frozenset(
    {
        "connection",
        "content-length",
        "host",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


def check_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """`headers` as a dict, every name a token and no value holding a line break; `{}` for `None`."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping of str to str, not {type(headers).__name__}")
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if check_header_name(name).lower() in _TRANSPORT_HEADERS:
            raise ValueError(f"header {name!r} is set by the HTTP layer and cannot be given")
        checked[name] = check_header_text(value, f"header {name!r}")
    return checked


def check_max_response_bytes(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_response_bytes must be an int, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"max_response_bytes must be a positive number of bytes, not {value}")
    return value


def check_ssl_context(value: ssl.SSLContext | None) -> ssl.SSLContext | None:
    if value is not None and not isinstance(value, ssl.SSLContext):
        raise TypeError(f"ssl_context must be an ssl.SSLContext or None, not {type(value).__name__}")
    return value


def resolve_api_key(api_key: str | None) -> str:
    if api_key is None:
        api_key = os.environ.get(API_KEY_ENV)
    if not api_key:
        raise TelnyxError(
            f"No API key: pass api_key=... to the client or set the {API_KEY_ENV} environment variable"
        )
    return check_header_text(api_key, "api_key")


def resolve_base_url(base_url: str | None, *, allow_insecure_http: bool = False) -> str:
    """The base URL (argument, else `TELNYX_BASE_URL`, else the public API), checked.

    Plain `http://` would send the API key in clear text, so it is refused unless the host is this
    machine (`localhost`, 127.0.0.0/8, `::1`: the sandbox) or `allow_insecure_http` says so.
    """
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a str, not {type(base_url).__name__}")
    if not isinstance(allow_insecure_http, bool):
        raise TypeError(f"allow_insecure_http must be a bool, not {type(allow_insecure_http).__name__}")
    check_header_text(base_url, "base_url")
    parts = urlsplit(base_url)
    hostname = parts.hostname
    if parts.scheme not in ("http", "https") or not hostname:
        raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"base_url must not have a query or fragment: {base_url!r}")
    if "@" in parts.netloc:
        raise ValueError("base_url must not hold credentials (user:password@): the API key is the credential")
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback(hostname):
        raise ValueError(
            f"base_url {base_url!r} is plain http to another machine, which would send the API key in "
            "clear text; use https, or pass allow_insecure_http=True if the network is trusted"
        )
    return base_url.rstrip("/")


def not_found_note(base_url: str) -> str | None:
    """What a 404 adds when `base_url` does not end in `/v2`: likely the reason nothing was found."""
    path = urlsplit(base_url).path.rstrip("/")
    if path.endswith(API_PATH):
        return None
    note = f"the base URL {base_url} does not end in {API_PATH}, where the Telnyx API is ({DEFAULT_BASE_URL})"
    return f"{note}: did you mean {base_url.rstrip('/')}{API_PATH}?" if not path else note


def is_loopback(hostname: str) -> bool:
    """Whether `hostname` (as `urlsplit` gives it, lower-cased, no brackets) names this machine."""
    if hostname == "localhost":
        return True
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback
