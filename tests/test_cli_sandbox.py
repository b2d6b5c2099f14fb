"""`telnyx-orders sandbox`: serving a sandbox for a second program, and refusing what it cannot serve."""

from __future__ import annotations

import base64
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from telnyx_orders._cli import main
from telnyx_orders.testing import RemoteSandbox

ROOT = Path(__file__).resolve().parents[1]


def _status(url: str, api_key: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {api_key}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_sandbox_listens_where_told_with_the_key_it_was_given() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "telnyx_orders", "sandbox", "--host", "127.0.0.1", "--port", str(port)]
    with subprocess.Popen(
        [*command, "--api-key", "key-of-my-own"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        try:
            assert process.stdout is not None
            assert (
                process.stdout.readline() == f"sandbox serving the Telnyx API at http://127.0.0.1:{port}/v2\n"
            )
            assert process.stdout.readline() == (
                f"  export TELNYX_BASE_URL=http://127.0.0.1:{port}/v2 TELNYX_API_KEY=key-of-my-own\n"
            )
            url = f"http://127.0.0.1:{port}/v2/number_orders"
            assert _status(url, "key-of-my-own") == 200
            assert _status(url, "sandbox-api-key") == 401
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
        finally:
            process.kill()


def test_a_port_in_use_is_one_line_and_exit_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        assert main(["sandbox", "--port", str(port)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.fullmatch(
        rf"telnyx-orders: error: cannot listen on 127\.0\.0\.1 port {port}: Address already in use\n",
        captured.err,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "65536"], "port must be an integer from 0 to 65535 (0: any free port), got 65536"),
        (["--port", "-1"], "port must be an integer from 0 to 65535 (0: any free port), got -1"),
        (["--host", "0.0.0.0"], "the sandbox only binds loopback addresses, got '0.0.0.0'"),
        (
            ["--host", "localhost"],
            "host must be a literal loopback address such as 127.0.0.1, got 'localhost'",
        ),
        (["--api-key", ""], "api_key must be a non-empty string"),
    ],
)
def test_what_the_sandbox_cannot_serve_is_one_line_and_exit_status_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["sandbox", *args]) == 2

    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"telnyx-orders: error: {message}\n")


class _Receiver(http.server.ThreadingHTTPServer):
    """A webhook receiver on 127.0.0.1, in threads of its own: it keeps each POST and answers 200."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.arrived = threading.Event()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/webhooks"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.server.arrived.set()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_with_a_webhook_url_the_sandbox_prints_the_key_its_signed_events_verify_with() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with _Receiver() as receiver:
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        command = [sys.executable, "-m", "telnyx_orders", "sandbox", "--lifecycle-step", "0"]
        with subprocess.Popen(
            [*command, "--webhook-url", receiver.url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        ) as process:
            try:
                assert process.stdout is not None
                serving = process.stdout.readline()
                base_url = serving.removeprefix("sandbox serving the Telnyx API at ").strip()
                process.stdout.readline()
                assert process.stdout.readline() == f"  webhooks go to {receiver.url}, signed with the key:\n"
                key = process.stdout.readline().removeprefix("  export TELNYX_PUBLIC_KEY=").strip()
                assert process.stdout.readline() == "  press Ctrl-C to stop\n"
                request = urllib.request.Request(
                    base_url + "/number_orders",
                    data=json.dumps({"phone_numbers": [{"phone_number": "+19705550120"}]}).encode(),
                    headers={"Authorization": "Bearer sandbox-api-key", "Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    order_id = json.loads(response.read())["data"]["id"]
                assert receiver.arrived.wait(10)
                assert RemoteSandbox(base_url).webhook_public_key == key
                process.send_signal(signal.SIGINT)
                assert process.wait(timeout=10) == 0
            finally:
                process.kill()
        receiver.shutdown()

    [(headers, body)] = receiver.received
    assert json.loads(body)["data"]["payload"]["id"] == order_id
    public_key = Ed25519PublicKey.from_public_bytes(base64.b64decode(key))
    signature = base64.b64decode(headers["telnyx-signature-ed25519"])
    public_key.verify(signature, headers["telnyx-timestamp"].encode() + b"|" + body)


def test_a_webhook_url_off_this_machine_is_one_line_and_exit_status_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["sandbox", "--webhook-url", "http://192.0.2.1/webhooks"]) == 2

    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (
        "",
        "telnyx-orders: error: the sandbox only sends webhooks to loopback addresses, "
        "got 'http://192.0.2.1/webhooks'\n",
    )


def test_without_cryptography_a_webhook_url_names_the_extra_and_exits_2() -> None:
    code = (
        "import sys; sys.modules['cryptography'] = None\n"  # as if cryptography were not installed
        "from telnyx_orders._cli import main\n"
        "sys.exit(main(['sandbox', '--webhook-url', 'http://127.0.0.1:8080/webhooks']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT, check=False
    )

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "telnyx-orders: error: a sandbox with a webhook_url signs its events with the cryptography "
        "package: pip install 'telnyx-orders[webhooks]'\n"
    )
