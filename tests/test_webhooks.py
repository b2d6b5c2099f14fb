"""`client.webhooks.unwrap`: a webhook is verified (Ed25519, 300 s window) before anything of it is parsed."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from multidict import CIMultiDict, CIMultiDictProxy

from telnyx_orders import (
    AsyncTelnyx,
    Telnyx,
    TelnyxError,
    WebhookPayloadError,
    WebhookVerificationError,
)
from telnyx_orders.types import NumberOrderWebhookEvent, NumberOrderWithPhoneNumbers

SIGNED_AT = 1_767_000_000
"""The unix time every test signs at; `now=` places the check before or after it."""


class Signer:
    """Signs webhooks as Telnyx does, with a key pair made for the test."""

    def __init__(self) -> None:
        self.private_key = Ed25519PrivateKey.generate()
        raw = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_raw = raw
        self.public_key = base64.b64encode(raw).decode()

    def headers(self, body: bytes, *, timestamp: int = SIGNED_AT) -> dict[str, str]:
        signature = self.private_key.sign(f"{timestamp}|".encode() + body)
        return {
            "telnyx-signature-ed25519": base64.b64encode(signature).decode(),
            "telnyx-timestamp": str(timestamp),
        }


def event_document(**data: Any) -> dict[str, Any]:
    """A number_order.complete event as the spec's NumberOrderWebhookEvent shows it."""
    return {
        "data": {
            "event_type": "number_order.complete",
            "id": "d578b093-a0e7-4b64-b0d3-6b689a6ff170",
            "occurred_at": "2025-08-22T16:23:54.496464Z",
            "payload": {
                "id": "12ade33a-21c0-473b-b055-b3c836e1c292",
                "status": "success",
                "phone_numbers": [
                    {"id": "dc8e4d67-33a0-4cbb-af74-7b58f05bd494", "phone_number": "+19705555098"}
                ],
                "phone_numbers_count": 1,
                "record_type": "number_order",
            },
            "record_type": "event",
            **data,
        },
        "meta": {"attempt": 1, "delivered_to": "https://example.com/webhooks"},
    }


BODY = json.dumps(event_document()).encode()


@pytest.fixture
def signer() -> Signer:
    return Signer()


@pytest.fixture
def client(signer: Signer) -> AsyncTelnyx:
    """A client that makes no request here: unwrap is a pure function."""
    return AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2", public_key=signer.public_key)


def test_a_signed_event_is_verified_and_typed(client: AsyncTelnyx, signer: Signer) -> None:
    event = client.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=SIGNED_AT)

    assert isinstance(event, NumberOrderWebhookEvent)
    assert event.data.event_type == "number_order.complete"
    assert event.data.id == "d578b093-a0e7-4b64-b0d3-6b689a6ff170"
    assert event.data.occurred_at == datetime(2025, 8, 22, 16, 23, 54, 496464, tzinfo=timezone.utc)
    assert event.data.record_type == "event"
    assert isinstance(event.data.payload, NumberOrderWithPhoneNumbers)
    assert event.data.payload.status == "success"
    assert [number.phone_number for number in event.data.payload.phone_numbers or ()] == ["+19705555098"]
    assert (event.meta.attempt, event.meta.delivered_to) == (1, "https://example.com/webhooks")


def test_the_payload_may_be_str_or_bytes(client: AsyncTelnyx, signer: Signer) -> None:
    text = json.dumps(event_document(id="é-ü"), ensure_ascii=False)
    headers = signer.headers(text.encode())

    from_text = client.webhooks.unwrap(text, headers=headers, now=SIGNED_AT)
    from_bytes = client.webhooks.unwrap(text.encode(), headers=headers, now=SIGNED_AT)

    assert from_text == from_bytes
    assert from_text.data.id == "é-ü"


@pytest.mark.parametrize(
    "shape",
    ["dict, upper case", "dict, mixed case", "aiohttp multidict", "str pairs", "ASGI bytes pairs"],
)
def test_headers_are_found_whatever_their_case_and_container(
    client: AsyncTelnyx, signer: Signer, shape: str
) -> None:
    signed = signer.headers(BODY)
    signature, timestamp = signed["telnyx-signature-ed25519"], signed["telnyx-timestamp"]
    pairs = [("Content-Type", "application/json"), ("Telnyx-Signature-Ed25519", signature)]
    pairs.append(("TELNYX-TIMESTAMP", timestamp))
    headers: Any = {
        "dict, upper case": {name.upper(): value for name, value in signed.items()},
        "dict, mixed case": dict(pairs),
        "aiohttp multidict": CIMultiDictProxy(CIMultiDict(pairs)),
        "str pairs": pairs,
        "ASGI bytes pairs": [(name.lower().encode(), value.encode()) for name, value in pairs],
    }[shape]

    assert client.webhooks.unwrap(BODY, headers=headers, now=SIGNED_AT).data.event_type == (
        "number_order.complete"
    )


def test_a_tampered_body_is_rejected(client: AsyncTelnyx, signer: Signer) -> None:
    tampered = BODY.replace(b'"success"', b'"failure"')

    with pytest.raises(WebhookVerificationError, match="signature does not match") as caught:
        client.webhooks.unwrap(tampered, headers=signer.headers(BODY), now=SIGNED_AT)

    assert not isinstance(caught.value, WebhookPayloadError)


def test_a_body_decoded_and_encoded_again_no_longer_matches(client: AsyncTelnyx, signer: Signer) -> None:
    reencoded = json.dumps(json.loads(BODY), indent=1)

    with pytest.raises(WebhookVerificationError, match="exactly as received"):
        client.webhooks.unwrap(reencoded, headers=signer.headers(BODY), now=SIGNED_AT)


def test_a_changed_timestamp_is_rejected(client: AsyncTelnyx, signer: Signer) -> None:
    headers = signer.headers(BODY)
    headers["telnyx-timestamp"] = str(SIGNED_AT + 1)

    with pytest.raises(WebhookVerificationError, match="signature does not match"):
        client.webhooks.unwrap(BODY, headers=headers, now=SIGNED_AT)


def test_a_webhook_signed_with_another_key_is_rejected(client: AsyncTelnyx) -> None:
    impostor = Signer()

    with pytest.raises(WebhookVerificationError, match="another key"):
        client.webhooks.unwrap(BODY, headers=impostor.headers(BODY), now=SIGNED_AT)


@pytest.mark.parametrize(
    ("now", "problem"),
    [
        (SIGNED_AT + 301, "signed 301 s ago, more than 300 s"),
        (SIGNED_AT + 86_400, "signed 86400 s ago"),
        (SIGNED_AT - 301, "signed 301 s in the future, more than 300 s"),
    ],
)
def test_a_replay_outside_the_five_minute_window_is_rejected(
    client: AsyncTelnyx, signer: Signer, now: int, problem: str
) -> None:
    with pytest.raises(WebhookVerificationError, match=problem):
        client.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=now)


@pytest.mark.parametrize("now", [SIGNED_AT - 300, SIGNED_AT + 300, SIGNED_AT + 300.4])
def test_the_window_is_three_hundred_seconds_either_way(
    client: AsyncTelnyx, signer: Signer, now: float
) -> None:
    assert client.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=now).meta.attempt == 1


def test_without_now_the_check_is_against_the_current_time(client: AsyncTelnyx, signer: Signer) -> None:
    import time

    fresh = signer.headers(BODY, timestamp=int(time.time()))

    assert client.webhooks.unwrap(BODY, headers=fresh).meta.attempt == 1
    with pytest.raises(WebhookVerificationError, match="s ago"):
        client.webhooks.unwrap(BODY, headers=signer.headers(BODY))  # signed at SIGNED_AT, long past


def signature_of(signer: Signer) -> str:
    return signer.headers(BODY)["telnyx-signature-ed25519"]


MALFORMED_HEADERS: dict[str, tuple[dict[str, str], str]] = {
    "no signature": ({"telnyx-timestamp": str(SIGNED_AT)}, "no telnyx-signature-ed25519 header"),
    "no timestamp": ({"telnyx-signature-ed25519": "SIGNATURE"}, "no telnyx-timestamp header"),
    "no headers at all": ({}, "no telnyx-signature-ed25519 header"),
    "signature not base64": (
        {"telnyx-signature-ed25519": "not base64!", "telnyx-timestamp": str(SIGNED_AT)},
        "header is not base64: 'not base64!'",
    ),
    "signature too short": (
        {
            "telnyx-signature-ed25519": base64.b64encode(b"x" * 63).decode(),
            "telnyx-timestamp": str(SIGNED_AT),
        },
        "must hold a 64-byte Ed25519 signature, not 63 bytes",
    ),
    "signature empty": (
        {"telnyx-signature-ed25519": "", "telnyx-timestamp": str(SIGNED_AT)},
        "not 0 bytes",
    ),
    "timestamp not a number": (
        {"telnyx-signature-ed25519": "SIGNATURE", "telnyx-timestamp": "yesterday"},
        "must be unix seconds, not 'yesterday'",
    ),
    "timestamp with a fraction": (
        {"telnyx-signature-ed25519": "SIGNATURE", "telnyx-timestamp": f"{SIGNED_AT}.5"},
        "must be unix seconds",
    ),
    "timestamp negative": (
        {"telnyx-signature-ed25519": "SIGNATURE", "telnyx-timestamp": "-5"},
        "must be unix seconds",
    ),
    "timestamp with underscores": (
        {"telnyx-signature-ed25519": "SIGNATURE", "telnyx-timestamp": "1_767_000_000"},
        "must be unix seconds",
    ),
    "timestamp empty": (
        {"telnyx-signature-ed25519": "SIGNATURE", "telnyx-timestamp": ""},
        "must be unix seconds, not ''",
    ),
}


@pytest.mark.parametrize("case", MALFORMED_HEADERS)
def test_every_malformed_header_is_a_clear_verification_error(
    client: AsyncTelnyx, signer: Signer, case: str
) -> None:
    headers, problem = MALFORMED_HEADERS[case]
    headers = {
        name: signature_of(signer) if value == "SIGNATURE" else value for name, value in headers.items()
    }

    with pytest.raises(WebhookVerificationError, match=problem) as caught:
        client.webhooks.unwrap(BODY, headers=headers, now=SIGNED_AT)

    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, TelnyxError)


def test_a_header_given_twice_with_different_values_is_rejected(client: AsyncTelnyx, signer: Signer) -> None:
    signed = signer.headers(BODY)
    pairs = [*signed.items(), ("Telnyx-Timestamp", str(SIGNED_AT + 1))]

    with pytest.raises(WebhookVerificationError, match="2 different telnyx-timestamp headers"):
        client.webhooks.unwrap(BODY, headers=pairs, now=SIGNED_AT)


def test_a_header_repeated_with_the_same_value_is_accepted(client: AsyncTelnyx, signer: Signer) -> None:
    pairs = [*signer.headers(BODY).items(), ("Telnyx-Timestamp", str(SIGNED_AT))]

    assert client.webhooks.unwrap(BODY, headers=pairs, now=SIGNED_AT).meta.attempt == 1


def test_a_long_header_is_cut_short_in_the_message(client: AsyncTelnyx, signer: Signer) -> None:
    headers = {**signer.headers(BODY), "telnyx-timestamp": "9" * 500}

    with pytest.raises(WebhookVerificationError) as caught:
        client.webhooks.unwrap(BODY, headers=headers, now=SIGNED_AT)

    assert len(str(caught.value)) < 200
    assert str(caught.value).endswith("…")


class TestTheKey:
    def test_key_given_to_unwrap_wins_over_the_clients(self, client: AsyncTelnyx) -> None:
        other = Signer()

        event = client.webhooks.unwrap(BODY, headers=other.headers(BODY), key=other.public_key, now=SIGNED_AT)

        assert event.meta.attempt == 1

    def test_the_raw_32_bytes_are_a_key_too(self, client: AsyncTelnyx) -> None:
        other = Signer()

        event = client.webhooks.unwrap(BODY, headers=other.headers(BODY), key=other.public_raw, now=SIGNED_AT)

        assert event.meta.attempt == 1

    def test_the_key_comes_from_the_environment_when_the_client_has_none(
        self, signer: Signer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TELNYX_PUBLIC_KEY", signer.public_key + "\n")
        client = AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2")

        assert client.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=SIGNED_AT).meta.attempt == 1

    def test_the_clients_key_wins_over_the_environment(
        self, signer: Signer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TELNYX_PUBLIC_KEY", Signer().public_key)
        client = AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2", public_key=signer.public_key)

        assert client.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=SIGNED_AT).meta.attempt == 1

    def test_with_options_carries_the_key_or_replaces_it(self, client: AsyncTelnyx, signer: Signer) -> None:
        other = Signer()

        kept = client.with_options(max_retries=0)
        replaced = client.with_options(public_key=other.public_key)

        assert kept.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=SIGNED_AT).meta.attempt == 1
        assert replaced.webhooks.unwrap(BODY, headers=other.headers(BODY), now=SIGNED_AT).meta.attempt == 1
        with pytest.raises(WebhookVerificationError, match="another key"):
            replaced.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=SIGNED_AT)

    def test_no_key_anywhere_says_where_to_give_one(
        self, signer: Signer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("TELNYX_PUBLIC_KEY", raising=False)
        client = AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2")

        with pytest.raises(WebhookVerificationError, match=r"key=.*public_key=.*TELNYX_PUBLIC_KEY"):
            client.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=SIGNED_AT)

    @pytest.mark.parametrize(
        ("key", "problem"),
        [
            ("not base64!", "is not base64"),
            (base64.b64encode(b"k" * 31).decode(), "not of 31 bytes"),
            (base64.b64encode(b"k" * 44).decode(), "not of 44 bytes"),
            (b"k" * 44, "raw 32-byte Ed25519 public key, not 44 bytes"),
        ],
    )
    def test_a_malformed_key_is_refused_when_the_client_is_made(self, key: str | bytes, problem: str) -> None:
        with pytest.raises(WebhookVerificationError, match=f"public_key .*must .*{problem}"):
            AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2", public_key=key)

    def test_a_malformed_key_given_to_unwrap_is_a_verification_error(
        self, client: AsyncTelnyx, signer: Signer
    ) -> None:
        with pytest.raises(WebhookVerificationError, match="key must be the base64 of a 32-byte"):
            client.webhooks.unwrap(BODY, headers=signer.headers(BODY), key="c2hvcnQ=", now=SIGNED_AT)

    def test_a_malformed_key_in_the_environment_fails_only_unwrap(
        self, signer: Signer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TELNYX_PUBLIC_KEY", "not a key")
        client = AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2")  # a client that never sees a webhook

        with pytest.raises(WebhookVerificationError, match="the TELNYX_PUBLIC_KEY environment variable must"):
            client.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=SIGNED_AT)

    def test_a_key_of_another_type_is_a_type_error(self) -> None:
        with pytest.raises(TypeError, match="public_key must be a str"):
            AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2", public_key=42)  # type: ignore[arg-type]


class TestTheBody:
    def test_a_signed_body_that_is_not_json_is_a_payload_error(
        self, client: AsyncTelnyx, signer: Signer
    ) -> None:
        body = b"<html>not json</html>"

        with pytest.raises(WebhookPayloadError, match="not JSON") as caught:
            client.webhooks.unwrap(body, headers=signer.headers(body), now=SIGNED_AT)

        assert caught.value.body == "<html>not json</html>"
        assert isinstance(caught.value, WebhookVerificationError)

    def test_a_signed_body_that_is_not_the_event_says_where(
        self, client: AsyncTelnyx, signer: Signer
    ) -> None:
        document = event_document(occurred_at=17, payload="an order")
        del document["meta"]["attempt"]
        body = json.dumps(document).encode()

        with pytest.raises(WebhookPayloadError) as caught:
            client.webhooks.unwrap(body, headers=signer.headers(body), now=SIGNED_AT)

        message = str(caught.value)
        assert "body.data.occurred_at" in message
        assert "expected an object, got str @ body.data.payload" in message
        assert "required field missing @ body.meta.attempt" in message
        assert caught.value.body == document

    def test_a_body_that_is_not_json_is_not_parsed_when_its_signature_is_bad(
        self, client: AsyncTelnyx
    ) -> None:
        body = b"not json"

        with pytest.raises(WebhookVerificationError, match="signature does not match") as caught:
            client.webhooks.unwrap(body, headers=Signer().headers(body), now=SIGNED_AT)

        assert not isinstance(caught.value, WebhookPayloadError)

    def test_an_unknown_event_type_and_unknown_keys_are_kept_and_ignored(
        self, client: AsyncTelnyx, signer: Signer
    ) -> None:
        body = json.dumps({**event_document(event_type="number_order.updated"), "extra": 1}).encode()

        event = client.webhooks.unwrap(body, headers=signer.headers(body), now=SIGNED_AT)

        assert event.data.event_type == "number_order.updated"


class TestArguments:
    def test_a_payload_that_is_not_text_or_bytes_is_a_type_error(
        self, client: AsyncTelnyx, signer: Signer
    ) -> None:
        with pytest.raises(TypeError, match="payload must be the request body as str or bytes, not dict"):
            client.webhooks.unwrap(event_document(), headers=signer.headers(BODY))  # type: ignore[arg-type]

    @pytest.mark.parametrize(("headers", "problem"), [("a: b", "not str"), ([("a", "b", "c")], "tuple of 3")])
    def test_headers_of_another_shape_are_a_type_error(
        self, client: AsyncTelnyx, headers: object, problem: str
    ) -> None:
        with pytest.raises(TypeError, match=problem):
            client.webhooks.unwrap(BODY, headers=headers, now=SIGNED_AT)  # type: ignore[arg-type]


class TestHeadersAndPayloadOfOtherKinds:
    def test_text_with_unpaired_surrogates_is_no_request_body(
        self, client: AsyncTelnyx, signer: Signer
    ) -> None:
        with pytest.raises(WebhookVerificationError, match="unpaired surrogates"):
            client.webhooks.unwrap("{\ud800}", headers=signer.headers(BODY), now=SIGNED_AT)

    @pytest.mark.parametrize(
        ("headers", "problem"),
        [
            (["telnyx-timestamp: 1"], "each header must be a \\(name, value\\) pair, not str"),
            ([("telnyx-timestamp", 1)], "header names and values must be str or bytes, not int"),
        ],
    )
    def test_header_items_of_another_kind_are_a_type_error(
        self, client: AsyncTelnyx, headers: object, problem: str
    ) -> None:
        with pytest.raises(TypeError, match=problem):
            client.webhooks.unwrap(BODY, headers=headers, now=SIGNED_AT)  # type: ignore[arg-type]

    def test_a_signed_json_document_that_is_no_object_says_so(
        self, client: AsyncTelnyx, signer: Signer
    ) -> None:
        body = b'["an", "array"]'

        with pytest.raises(
            WebhookPayloadError, match="not a number-order event: TypeError: expected an object"
        ):
            client.webhooks.unwrap(body, headers=signer.headers(body), now=SIGNED_AT)


class TestUnsafeUnwrap:
    def test_it_parses_without_checking_anything(self, client: AsyncTelnyx) -> None:
        assert client.webhooks.unsafe_unwrap(BODY) == client.webhooks.unsafe_unwrap(BODY.decode())
        assert client.webhooks.unsafe_unwrap(BODY).data.payload.id == "12ade33a-21c0-473b-b055-b3c836e1c292"

    def test_a_body_that_is_not_the_event_is_a_payload_error(self, client: AsyncTelnyx) -> None:
        with pytest.raises(WebhookPayloadError, match=r"required field missing @ body\.meta"):
            client.webhooks.unsafe_unwrap('{"data": {}}')

    def test_a_payload_that_is_not_text_or_bytes_is_a_type_error(self, client: AsyncTelnyx) -> None:
        with pytest.raises(TypeError, match="not dict"):
            client.webhooks.unsafe_unwrap({})  # type: ignore[arg-type]


def test_the_blocking_client_unwraps_the_same_way(signer: Signer) -> None:
    with Telnyx("KEY", base_url="http://127.0.0.1:9/v2", public_key=signer.public_key) as client:
        event = client.webhooks.unwrap(BODY, headers=signer.headers(BODY), now=SIGNED_AT)
        unchecked = client.webhooks.unsafe_unwrap(BODY)
        with pytest.raises(WebhookVerificationError, match="another key"):
            client.webhooks.unwrap(BODY, headers=Signer().headers(BODY), now=SIGNED_AT)

    assert event == unchecked
    assert event.data.payload.status == "success"


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )


def test_importing_the_package_does_not_import_cryptography() -> None:
    result = run_python(
        """
        import sys
        import telnyx_orders, telnyx_orders.types, telnyx_orders.webhooks
        client = telnyx_orders.AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2")
        print(sorted(name for name in sys.modules if name.split(".")[0] == "cryptography"))
        """
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_without_the_extra_the_error_says_what_to_install(signer: Signer) -> None:
    headers = signer.headers(BODY)
    result = run_python(
        f"""
        import sys
        sys.modules["cryptography"] = None  # as if `pip install telnyx-orders` left the extra out
        from telnyx_orders import AsyncTelnyx, WebhookVerificationError
        client = AsyncTelnyx("KEY", base_url="http://127.0.0.1:9/v2", public_key={signer.public_key!r})
        try:
            client.webhooks.unwrap({BODY!r}, headers={headers!r}, now={SIGNED_AT})
        except WebhookVerificationError as error:
            print(error)
        print(client.webhooks.unsafe_unwrap({BODY!r}).data.event_type)
        """
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "verifying webhooks needs the cryptography package: pip install 'telnyx-orders[webhooks]'",
        "number_order.complete",
    ]
