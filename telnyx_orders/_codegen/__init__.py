"""The generator of the code derived from the async sources (a development tool; needs ruff).

`python -m telnyx_orders._codegen` parses `AsyncTelnyx` (`_client.py`) and every `Async*` class of the
public modules of `resources/` with `ast`, and writes, formatted by ruff:

- `resources/_raw/<module>.py`: the `with_raw_response` twin of each resource that has one
  (`AsyncNumberOrders` -> `AsyncNumberOrdersWithRawResponse`), whose methods are chosen and shaped by
  the resource methods' return annotations (`RAW_RULES`; see `_render_raw.py`);
- `_sync/`: the blocking facade, `_sync/_client.py` (`Telnyx`), `_sync/resources/<module>.py`
  (`AsyncNumberOrders` -> `NumberOrders`, and the raw twins above) and `_sync/resources/__init__.py`.

`--check` writes nothing and exits 1, with a diff, when a generated file is stale, missing, or when
`_sync/` or `resources/_raw/` holds a file that is neither generated nor hand-written. `--root` and
`--output` point it at another copy of the package or another package directory to write into.

A blocking twin keeps its original's parameters, defaults, annotations and docstring; `async def` becomes
`def` and the body is one line running the original on the client's loop thread (`LoopThread.call`).
Return types map through `RETURN_RULES` (see `ReturnRule`); members the generator has no rule for are
errors. The generator imports none of the modules it reads (`telnyx_orders` imports its resources on
first use), so a resource whose raw twin is not generated yet is no obstacle to generating it.
"""

from ._cli import main
from ._files import compare, generate, write
from ._sources import CodegenError
from ._tables import RAW_RULES, RETURN_RULES, RawRule, ReturnRule

__all__ = [
    "RAW_RULES",
    "RETURN_RULES",
    "CodegenError",
    "RawRule",
    "ReturnRule",
    "compare",
    "generate",
    "main",
    "write",
]
