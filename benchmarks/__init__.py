"""telnyx_orders against the official `telnyx` package and the raw-aiohttp floor: `nox -s bench`.

One module per scenario (`throughput`, `sequential`, `decoding`, `cold_start`, `memory`), each with a
`run()` that returns its results as data (tables and targets); `__main__` runs them all against one
server process (`_server`) and renders one report. `sync_overhead.py` measures the blocking facade's
cost per call on its own.
"""
