"""`telnyx-orders sandbox`: serving a sandbox for a second program, and refusing what it cannot serve."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from telnyx_orders._cli import main

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
