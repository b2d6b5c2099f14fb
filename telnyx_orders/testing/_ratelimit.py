"""Informational ``x-ratelimit-*`` headers over a fixed window (the sandbox never enforces them)."""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


class RateLimitWindow:
    """Counts requests in fixed windows to report ``limit``, ``remaining`` and ``reset`` seconds."""

    def __init__(
        self, *, limit: int = 1000, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._start = clock()
        self._count = 0

    def restart(self) -> None:
        """Start a new, empty window now."""
        with self._lock:
            self._start, self._count = self._clock(), 0

    def hit(self) -> dict[str, str]:
        """Count one request and return the headers describing the window after it."""
        with self._lock:
            now = self._clock()
            if now - self._start >= self.window:
                self._start, self._count = now, 0
            self._count += 1
            remaining = max(self.limit - self._count, 0)
            reset = max(math.ceil(self._start + self.window - now), 0)
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-reset": str(reset),
        }
