"""The generator of the blocking facade in `telnyx_orders/_sync/` (a development tool; needs ruff).

`python -m telnyx_orders._codegen` parses `AsyncTelnyx` (`_client.py`) and every `Async*` class of the
public modules of `resources/` with `ast`, and writes their blocking twins: `_sync/_client.py` (`Telnyx`),
`_sync/resources/<module>.py` (`AsyncNumberOrders` -> `NumberOrders`) and `_sync/resources/__init__.py`,
formatted by ruff. `--check` writes nothing and exits 1, with a diff, when a generated file is stale,
missing, or when `_sync/` holds a file that is neither generated nor hand-written. `--root` and
`--output` point it at another copy of the package or another output directory.

A twin keeps its original's parameters, defaults, annotations and docstring; `async def` becomes `def`
and the body is one line running the original on the client's loop thread (`LoopThread.call`). Return
types map through `RETURN_RULES` (see `ReturnRule`); members the generator has no rule for are errors.
"""

from ._cli import main
from ._files import compare, generate, write
from ._sources import CodegenError
from ._tables import RETURN_RULES, ReturnRule

__all__ = ["RETURN_RULES", "CodegenError", "ReturnRule", "compare", "generate", "main", "write"]
