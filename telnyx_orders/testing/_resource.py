"""What a resource module declares: its routes and how to seed its documents."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiohttp.typedefs import Handler

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._operations import Operation
    from telnyx_orders.testing._state import SandboxState


@dataclasses.dataclass(frozen=True)
class Route:
    """One operation of the API: ``method`` and ``path`` under ``/v2``, answered by ``handler``."""

    method: str
    path: str
    operation: Operation
    handler: Handler


@dataclasses.dataclass(frozen=True)
class Resource:
    """A collection of the API, as one module of ``_resources`` declares it.

    ``kind`` names the collection in the state and in the seeding calls (``Sandbox.seed(kind)``);
    ``seed`` stores a realistic document built from defaults and the caller's overrides (under the
    state lock) and returns it.
    """

    kind: str
    routes: tuple[Route, ...]
    seed: Callable[..., JSONDict]

    def seed_with(self, state: SandboxState, overrides: dict[str, Any]) -> JSONDict:
        """``seed`` under the state lock."""
        with state.lock:
            return self.seed(state, **overrides)
