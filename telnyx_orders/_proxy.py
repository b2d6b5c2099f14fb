"""Which proxy, if any, a request goes through: the client's `proxy=`, else the environment's.

Without `proxy=`, the standard variables are read as httpx (and so the official SDK) reads them: once,
when the client is made, through `urllib.request.getproxies()`. `HTTPS_PROXY` serves an https base URL,
`HTTP_PROXY` an http one, `ALL_PROXY` either when that one is not set; the lower-case spellings win over
the upper-case ones; on macOS and Windows the system's settings count when no variable is set. A proxy
without a scheme is `http://`. `NO_PROXY` lists the hosts reached directly, as `urllib` reads it: `*` for
all, else names that match the host itself or a domain it is in (`example.com` covers
`api.example.com`; a leading dot changes nothing), each with an optional `:port`.

Credentials in the proxy URL (`http://user:password@proxy:3128`) go to the proxy alone, as a
`Proxy-Authorization` header; the proxy URL otherwise shows nowhere but in what is sent to it.
"""

from __future__ import annotations

import base64
from urllib.request import getproxies

import attrs
from yarl import URL

from ._config import has_control_characters

__all__ = ["DIRECT", "Proxies", "Route", "check_proxy"]

_SCHEMES = ("http", "https")


@attrs.frozen
class Route:
    """How to reach an origin: through `proxy` (with `headers` for it), or directly (`proxy` is None)."""

    proxy: URL | None = None
    headers: dict[str, str] | None = attrs.field(default=None, repr=False)  # the proxy's credentials


DIRECT = Route()


def check_proxy(proxy: str, what: str = "proxy") -> Route:
    """The route through `proxy`, an `http://` or `https://` URL; `what` names it in the error."""
    if not isinstance(proxy, str):
        raise TypeError(f"{what} must be a str URL such as 'http://proxy:3128', not {type(proxy).__name__}")
    if has_control_characters(proxy):
        raise ValueError(f"{what} must not contain control characters")
    try:
        url = URL(proxy if "://" in proxy else f"http://{proxy}")
    except ValueError:
        url = URL()
    if url.scheme not in _SCHEMES or not url.host:
        # Shown without the URL itself: it may hold a password.
        raise ValueError(f"{what} must be an http:// or https:// proxy URL with a host")
    headers = None
    if url.user is not None:
        credentials = f"{url.user}:{url.password or ''}".encode()
        headers = {"Proxy-Authorization": "Basic " + base64.b64encode(credentials).decode()}
    return Route(url.with_user(None).with_path("").with_query(None).with_fragment(None), headers)


class Proxies:
    """The route of each origin: through `proxy` if given, else as the environment says (read now)."""

    def __init__(self, proxy: str | None = None) -> None:
        self._given = None if proxy is None else check_proxy(proxy)
        self._environment = {} if proxy is not None else _environment_proxies()
        self._routes: dict[tuple[str, str, int | None], Route] = {}

    @property
    def used(self) -> bool:
        """Whether any request may go through a proxy."""
        return self._given is not None or any(name != "no" for name in self._environment)

    def route(self, url: URL) -> Route:
        """The route of a request to `url`; `ValueError` when the environment's proxy for it is not one."""
        if self._given is not None:
            return self._given
        origin = (url.scheme, url.host or "", url.port)
        route = self._routes.get(origin)
        if route is None:
            route = self._routes[origin] = self._from_environment(*origin)
        return route

    def _from_environment(self, scheme: str, host: str, port: int | None) -> Route:
        variable = scheme if self._environment.get(scheme) else "all"
        proxy = self._environment.get(variable)
        if not proxy or _bypassed(host.lower(), port, self._environment.get("no", "")):
            return DIRECT
        return check_proxy(proxy, f"the {variable.upper()}_PROXY environment variable")


def _environment_proxies() -> dict[str, str]:
    return {name: url for name, url in getproxies().items() if name in (*_SCHEMES, "all", "no")}


def _bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    """Whether `NO_PROXY` lists `host` (with `port`), as `urllib.request.proxy_bypass` reads it."""
    with_port = f"{host}:{port}"
    for entry in no_proxy.split(","):
        name = entry.strip().lstrip(".").lower().replace("[", "").replace("]", "")
        if name == "*":
            return True
        if name and any(
            candidate == name or candidate.endswith(f".{name}") for candidate in (host, with_port)
        ):
            return True
    return False
