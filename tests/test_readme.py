"""Every Python example in the README runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{index}" for index in range(len(EXAMPLES))])
def test_each_example_runs(example: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(example, encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "every example prints what it shows"


def section(title: str) -> str:
    """The README's section under `## title`, up to the next `## ` heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_going_live_says_how_and_what_it_takes() -> None:
    from telnyx_orders._config import DEFAULT_BASE_URL
    from telnyx_orders.testing._validation import COUNTRIES, PHONE_NUMBER_TYPES

    going_live = section("Going live")

    for needed in ("TELNYX_API_KEY", "TELNYX_BASE_URL", DEFAULT_BASE_URL, "`/v2`", "A 404"):
        assert needed in going_live, "the key and the base URL"
    assert "pricing" in going_live, "what an order costs: Telnyx's to say"
    assert re.search(r"[$€£]\s?\d|\d\s?(USD|EUR|cents)", going_live) is None, "no invented prices"
    for sold in (*COUNTRIES, *PHONE_NUMBER_TYPES):
        assert f"`{sold}`" in going_live, "what the sandbox sells, as the sandbox itself says"
    logging_lines = [
        line for line in going_live.splitlines() if line.startswith(("import logging", "logging."))
    ]
    assert [line.split("#")[0].strip() for line in logging_lines] == [
        "import logging",
        'logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")',
        'logging.getLogger("telnyx_orders").setLevel(logging.DEBUG)',
    ], "logging set up in three lines"
    assert "request_id" in going_live, "how to report a problem"


def test_sandbox_is_explained_beside_the_two_terminal_flow() -> None:
    text = README.read_text(encoding="utf-8")
    two_terminals = text[text.index("### From another program") : text.index("### Growing the sandbox")]

    assert "# terminal 2" in two_terminals
    assert "`--sandbox` on a command is different: it starts a fresh, empty sandbox" in two_terminals
