"""The telnyx-orders command."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from telnyx_orders._cli import main


def test_demo_retrieves_an_order_and_its_numbers_from_an_embedded_sandbox() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "telnyx_orders", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert re.search(r"inexplicit number order [0-9a-f-]{36} \(customer reference demo\)", result.stdout)
    assert "US local: 1 of 1 numbers, success" in result.stdout
    assert re.search(r"^    \+1\d{10}$", result.stdout, flags=re.MULTILINE)


def test_demo_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    assert "number order" in capsys.readouterr().out


def test_a_missing_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([])

    assert caught.value.code == 2
    assert "usage: telnyx-orders" in capsys.readouterr().err
