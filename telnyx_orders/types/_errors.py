from __future__ import annotations

import attrs

__all__ = ["ErrorDetail", "ErrorMeta", "ErrorSource"]


@attrs.frozen(kw_only=True)
class ErrorSource:
    """What in the request an error is about."""

    pointer: str | None = None
    """JSON pointer (RFC 6901) to the offending member of the request body, e.g. `/ordering_groups/0`."""
    parameter: str | None = None
    """The query parameter at fault."""


@attrs.frozen(kw_only=True)
class ErrorMeta:
    """Where to read more about an error."""

    url: str | None = None


@attrs.frozen(kw_only=True)
class ErrorDetail:
    """One entry of the Telnyx `errors[]` envelope."""

    code: str | None = None
    """The Telnyx error code, always as a string (the API sends `"10005"` or `10005`)."""
    title: str | None = None
    detail: str | None = None
    source: ErrorSource | None = None
    meta: ErrorMeta | None = None

    def __str__(self) -> str:
        text = self.title or "Error"
        if self.code:
            text = f"{text} (code {self.code})"
        if self.detail:
            text = f"{text}: {self.detail}"
        if self.source is not None and (self.source.pointer or self.source.parameter):
            text = f"{text} [at {self.source.pointer or self.source.parameter}]"
        return text
