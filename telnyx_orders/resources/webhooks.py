from __future__ import annotations

from .._errors import WebhookVerificationError
from .._webhooks import (
    PUBLIC_KEY_ENV,
    ConfiguredKey,
    WebhookHeaders,
    check_public_key,
    parse_event,
    verify_signature,
)
from ..types._webhooks import NumberOrderWebhookEvent

__all__ = ["AsyncWebhooks", "configured_key_of"]


class AsyncWebhooks:
    """The events Telnyx POSTs to a webhook URL: verified and typed. Pure functions, no request is made.

    Verification needs the optional extra `pip install 'telnyx-orders[webhooks]'` (`cryptography`).
    """

    def __init__(self, configured: ConfiguredKey | None) -> None:
        self._configured = configured

    def unwrap(
        self,
        payload: str | bytes,
        *,
        headers: WebhookHeaders,
        key: str | bytes | None = None,
        now: float | None = None,
    ) -> NumberOrderWebhookEvent:
        """Verify a webhook's Ed25519 signature, then parse it: the typed event.

        `payload` is the request body exactly as received (str or bytes); `headers` the request's
        headers (a dict, a multidict such as aiohttp's `request.headers`, or (name, value) pairs), whose
        `telnyx-signature-ed25519` and `telnyx-timestamp` are found whatever their case. The signature
        is checked against `key` (the base64 text Mission Control shows, or the raw 32 bytes), else the
        client's `public_key=`, else `TELNYX_PUBLIC_KEY`; the timestamp must be within 300 s of `now`
        (unix seconds; default the current time, given for tests or to replay a stored event).

        Any failure raises `WebhookVerificationError` (a `ValueError`) before anything is parsed; a
        body signed by the key but not the documented event raises its subclass `WebhookPayloadError`.
        """
        if key is not None:
            raw_key = check_public_key(key)
        elif self._configured is not None:
            raw_key = self._configured.raw()
        else:
            raise WebhookVerificationError(
                "no key to verify the webhook with: pass key=..., give the client public_key=..., or set "
                f"{PUBLIC_KEY_ENV} (the base64 public key in Mission Control's Keys & Credentials)"
            )
        body = verify_signature(payload, headers=headers, key=raw_key, now=now)
        return parse_event(body)

    def unsafe_unwrap(self, payload: str | bytes) -> NumberOrderWebhookEvent:
        """Parse a webhook's body into the typed event WITHOUT checking its signature.

        Only for a body already verified, or one from a source you trust (a stored event, a test).
        A body that is not the documented event raises `WebhookPayloadError`.
        """
        if isinstance(payload, str):
            return parse_event(payload.encode("utf-8", "surrogatepass"))
        if isinstance(payload, (bytes, bytearray)):
            return parse_event(bytes(payload))
        raise TypeError(f"payload must be the request body as str or bytes, not {type(payload).__name__}")


def configured_key_of(webhooks: AsyncWebhooks) -> ConfiguredKey | None:
    """The key `webhooks` verifies with when `unwrap()` is given none (for the receiver to check early)."""
    return webhooks._configured  # pyright: ignore[reportPrivateUsage] - this module's own class
