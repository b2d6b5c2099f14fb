"""The line on stderr that shows a wait's progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from ..types import InexplicitNumberOrder
from ._render import group_progress
from ._untrusted import escape

__all__ = ["ProgressLine"]

_CLEAR_TO_END_OF_LINE = "\x1b[K"


class ProgressLine:
    """Each ordering group's status and the time waited so far.

    On a terminal the line is rewritten in place at every poll; elsewhere (a log, a pipe) a line is
    written only when the statuses change, so that a long wait does not flood the log.
    """

    def __init__(self, stream: TextIO, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._clock = clock
        self._started = clock()
        self._live = stream.isatty()
        self._last_progress: str | None = None

    def __call__(self, order: InexplicitNumberOrder) -> None:
        progress = group_progress(order.ordering_groups)
        line = f"waiting for {escape(order.id or '')}: {progress} ({self._clock() - self._started:.1f} s)"
        if self._live:
            self._stream.write(f"\r{line}{_CLEAR_TO_END_OF_LINE}")
        elif progress != self._last_progress:
            self._stream.write(f"{line}\n")
        self._stream.flush()
        self._last_progress = progress

    def finish(self) -> None:
        """End the line rewritten in place, so that what follows starts on a line of its own."""
        if self._live and self._last_progress is not None:
            self._stream.write("\n")
            self._stream.flush()
