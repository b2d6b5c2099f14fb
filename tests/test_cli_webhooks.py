"""`telnyx-orders webhooks listen`: each verified event printed as it arrives, refusals said on stderr.

The command runs in process (`main(argv)`, in a thread of its own) and receives from a sandbox sending to
it; `--max-events` bounds it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from telnyx_orders import Telnyx
from telnyx_orders._cli import main
from telnyx_orders.testing import Sandbox

from .test_webhooks import BODY, Signer

WAIT = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_listening(port: int) -> None:
    """Connect attempts, bounded in time: the command prints nothing we can read while it runs."""
    deadline = time.monotonic() + WAIT
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


@contextmanager
def listening(*argv: str) -> Iterator[dict[str, int]]:
    """`main(["webhooks", "listen", *argv])` in a thread; yields where its exit status will be."""
    result: dict[str, int] = {}
    thread = threading.Thread(target=lambda: result.update(status=main(["webhooks", "listen", *argv])))
    thread.start()
    try:
        yield result
    finally:
        thread.join(WAIT)
        assert not thread.is_alive(), "the listener did not stop"


def create_orders(sandbox: Sandbox, *numbers: str) -> list[str]:
    with Telnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        ids = [client.number_orders.create(phone_numbers=[number]).data.id for number in numbers]  # type: ignore[union-attr]
    return [order_id for order_id in ids if order_id is not None]


def test_listen_prints_each_event_the_sandbox_sends_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    with Sandbox(
        webhook_url=f"http://127.0.0.1:{port}/webhooks", lifecycle_step=0.01
    ).serve_in_thread() as sandbox:
        key = sandbox.webhook_public_key
        assert key is not None
        with listening("--port", str(port), "--public-key", key, "--json", "--max-events", "2") as result:
            wait_until_listening(port)
            ids = create_orders(sandbox, "+19705550101", "+19705550102")

    out, err = capsys.readouterr()
    events = [json.loads(line) for line in out.splitlines()]
    assert result == {"status": 0}
    assert sorted(event["data"]["payload"]["id"] for event in events) == sorted(ids)
    assert {event["data"]["event_type"] for event in events} == {"number_order.complete"}
    assert {event["meta"]["attempt"] for event in events} == {1}
    assert err == f"listening for Telnyx webhooks at http://127.0.0.1:{port}/webhooks\n"


def test_listen_says_why_it_refused_a_webhook_and_prints_only_verified_ones(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    with Sandbox(
        webhook_url=f"http://127.0.0.1:{port}/hooks", lifecycle_step=0.01
    ).serve_in_thread() as sandbox:
        assert sandbox.webhook_public_key is not None
        monkeypatch.setenv("TELNYX_PUBLIC_KEY", sandbox.webhook_public_key)
        with listening("--port", str(port), "--path", "/hooks", "--max-events", "1") as result:
            wait_until_listening(port)
            forged = urllib.request.Request(
                f"http://127.0.0.1:{port}/hooks",
                data=BODY,
                headers=Signer().headers(BODY, timestamp=int(time.time())),
                method="POST",
            )
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(forged, timeout=WAIT)
            refused.value.close()
            (order_id,) = create_orders(sandbox, "+19705550101")

    out, err = capsys.readouterr()
    assert result == {"status": 0}
    assert refused.value.code == 401
    assert (
        "telnyx-orders: refused a webhook that failed verification: the webhook's signature does not match"
        in err
    )
    (line,) = out.splitlines()
    assert f"number_order.complete  number order {order_id}  success  [+19705550101]" in line
    assert line.endswith("attempt 1)")


def test_listen_without_a_key_is_one_line_and_exit_status_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TELNYX_PUBLIC_KEY", raising=False)

    assert main(["webhooks", "listen", "--port", "0"]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("telnyx-orders: error: no key to verify webhooks with: pass --public-key or set ")
    assert err.count("\n") == 1


def test_listen_with_a_malformed_key_is_one_line_and_exit_status_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["webhooks", "listen", "--port", "0", "--public-key", "not-a-key"]) == 2

    assert capsys.readouterr().err == (
        "telnyx-orders: error: the verifier key must be the base64 of a 32-byte Ed25519 public key, "
        "and is not base64\n"
    )


def test_a_port_in_use_is_one_line_and_exit_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        assert main(["webhooks", "listen", "--port", str(port), "--public-key", Signer().public_key]) == 2

    assert f"cannot listen on 127.0.0.1 port {port}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["webhooks"], "the following arguments are required: ACTION"),
        (["webhooks", "listen"], "the following arguments are required: --port"),
        (["webhooks", "listen", "--port", "70000"], "must be a port from 0 to 65535, not 70000"),
        (["webhooks", "listen", "--port", "http"], "must be a port number, not 'http'"),
        (["webhooks", "listen", "--port", "1", "--max-events", "all"], "must be 1 or more, not 'all'"),
        (["webhooks", "listen", "--port", "1", "--max-events", "0"], "must be 1 or more, not '0'"),
        (["--sandbox", "webhooks", "listen", "--port", "1"], "the webhooks command takes no --sandbox"),
    ],
)
def test_usage_errors_are_one_line_and_exit_status_2(
    argv: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)

    assert exited.value.code == 2
    assert problem in capsys.readouterr().err
