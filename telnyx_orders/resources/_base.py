from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._http import HTTPPipeline


class AsyncAPIResource:
    """A group of API operations sharing its client's request pipeline."""

    def __init__(self, http: HTTPPipeline) -> None:
        self._http = http
