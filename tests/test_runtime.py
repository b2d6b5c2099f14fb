"""The blocking facade's runtime: one event loop on one daemon thread, driven from any caller thread."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from telnyx_orders._sync import _runtime
from telnyx_orders._sync._runtime import BlockingCallInEventLoopWarning, DeadlockError, LoopThread

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator, Sequence

ROOT = Path(__file__).resolve().parents[1]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and fork")


@pytest.fixture
def runtime() -> Iterator[LoopThread]:
    runtime = LoopThread()
    yield runtime
    runtime.close()


@pytest.fixture
def impatient() -> Iterator[LoopThread]:
    """A runtime that gives a cancelled call's cleanup 0.1 s rather than 5."""
    runtime = LoopThread(cancel_grace=0.1)
    yield runtime
    runtime.close()


async def answer() -> int:
    return 42


async def current_thread() -> threading.Thread:
    return threading.current_thread()


def run_python(script: str, *options: str, args: Sequence[str] = ()) -> subprocess.Popen[str]:
    """`python OPTIONS -c SCRIPT ARGS` in a child process, with this checkout importable."""
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    return subprocess.Popen(
        [sys.executable, *options, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


# Starting and sharing the loop thread


def test_the_loop_thread_starts_on_first_call_as_a_named_daemon_and_is_gone_after_close() -> None:
    before = set(threading.enumerate())
    runtime = LoopThread(name="telnyx-orders-test-loop")
    assert set(threading.enumerate()) == before

    thread = runtime.call(current_thread)
    assert thread.name == "telnyx-orders-test-loop"
    assert thread.daemon
    assert set(threading.enumerate()) == before | {thread}

    runtime.close()
    assert set(threading.enumerate()) == before


def test_many_caller_threads_share_one_loop_thread(runtime: LoopThread) -> None:
    start_together = threading.Barrier(32)

    async def echo(n: int) -> tuple[int, threading.Thread]:
        await asyncio.sleep(0)
        return n, threading.current_thread()

    def caller(first: int) -> list[tuple[int, threading.Thread]]:
        start_together.wait()
        return [runtime.call(echo, first + i) for i in range(50)]

    with ThreadPoolExecutor(32) as pool:
        results = [result for batch in pool.map(caller, range(0, 1600, 50)) for result in batch]

    assert [n for n, _ in results] == list(range(1600))
    assert len({thread for _, thread in results}) == 1


# Results and exceptions


def test_call_passes_positional_and_keyword_arguments(runtime: LoopThread) -> None:
    async def describe(order_id: str, *, page: int) -> str:
        return f"{order_id} page {page}"

    assert runtime.call(describe, "182bd5e5", page=2) == "182bd5e5 page 2"


def test_an_exception_keeps_its_identity_chain_and_both_ends_of_its_traceback(runtime: LoopThread) -> None:
    raised: list[BaseException] = []

    async def fail() -> None:
        try:
            raise KeyError("missing")
        except KeyError as error:
            raised.append(ValueError("bad order id"))
            raise raised[0] from error

    with pytest.raises(ValueError, match="bad order id") as info:
        runtime.call(fail)

    assert info.value is raised[0]
    assert isinstance(info.value.__cause__, KeyError)
    assert info.value.__context__ is info.value.__cause__
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert frames[0] == "test_an_exception_keeps_its_identity_chain_and_both_ends_of_its_traceback"
    assert frames[-1] == "fail"


def test_an_exception_gains_no_context_from_the_runtime(runtime: LoopThread) -> None:
    async def deny() -> None:
        raise PermissionError("denied")

    with pytest.raises(PermissionError, match="denied") as info:
        runtime.call(deny)

    assert info.value.__cause__ is None
    assert info.value.__context__ is None


# Ctrl-C


@posix_only
def test_ctrl_c_cancels_the_call_and_waits_for_its_finally_before_raising() -> None:
    script = """
import asyncio, threading
from telnyx_orders._sync._runtime import LoopThread

cleaned_up = threading.Event()

async def slow():
    try:
        print("started", flush=True)
        await asyncio.sleep(60)
    finally:
        cleaned_up.set()

try:
    LoopThread().call(slow)
except KeyboardInterrupt:
    print("interrupted after cleanup:", cleaned_up.is_set(), flush=True)
    raise
"""
    process = run_python(script)
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "started\n"
        process.send_signal(signal.SIGINT)  # wherever the main thread is in the call, it is handed over
        stdout, stderr = process.communicate(timeout=10)
    finally:
        process.kill()

    assert stdout == "interrupted after cleanup: True\n"
    assert process.returncode != 0
    assert "KeyboardInterrupt" in stderr


@posix_only
def test_ctrl_c_waits_only_a_bounded_time_for_a_slow_cleanup(impatient: LoopThread) -> None:
    runtime = impatient
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT does not raise KeyboardInterrupt here")
    started = threading.Event()

    async def slow_to_clean_up() -> None:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            await asyncio.sleep(60)  # cancelled again, promptly, when the runtime closes

    def press_ctrl_c() -> None:
        started.wait(5)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        runtime.call(slow_to_clean_up)
    presser.join()

    assert time.monotonic() - began < 2


# Calls from event loops


async def test_a_call_from_a_running_event_loop_works_and_warns_once(runtime: LoopThread) -> None:
    with pytest.warns(BlockingCallInEventLoopWarning, match="AsyncTelnyx") as record:
        first, second = [runtime.call(current_thread) for _ in range(2)]

    assert first is second
    assert first is not threading.current_thread()
    assert len(record) == 1
    assert issubclass(record[0].category, RuntimeWarning)


def test_a_blocking_call_on_the_loop_thread_raises_deadlock_error(runtime: LoopThread) -> None:
    async def call_back_in() -> int:
        return runtime.call(answer)

    async def close_from_inside() -> None:
        runtime.close()

    with pytest.raises(DeadlockError, match="own event loop thread"):
        runtime.call(call_back_in)
    with pytest.raises(DeadlockError, match="own event loop thread"):
        runtime.call(close_from_inside)
    assert not runtime.closed
    assert runtime.call(answer) == 42


# Closing


def test_close_runs_cleanup_on_the_loop_then_cancels_tasks_finalizes_generators_and_stops() -> None:
    before = set(threading.enumerate())
    runtime = LoopThread()
    events: list[str] = []
    keep_alive: list[object] = []

    async def forgotten_task() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            events.append("leftover task cancelled")

    async def forgotten_generator() -> AsyncIterator[int]:
        try:
            yield 1
        finally:
            events.append("async generator finalized")

    async def leave_work_behind() -> asyncio.AbstractEventLoop:
        keep_alive.append(asyncio.get_running_loop().create_task(forgotten_task()))
        generator = forgotten_generator()
        keep_alive.append(generator)
        await anext(generator)
        return asyncio.get_running_loop()

    async def cleanup() -> None:
        events.append(f"cleanup on {threading.current_thread().name}")

    loop = runtime.call(leave_work_behind)
    runtime.close(cleanup)

    assert events == [
        "cleanup on telnyx-orders-loop",
        "leftover task cancelled",
        "async generator finalized",
    ]
    assert runtime.closed
    assert loop.is_closed()
    assert set(threading.enumerate()) == before


def test_closing_twice_or_before_any_call_does_nothing_more() -> None:
    before = set(threading.enumerate())
    cleanups: list[str] = []

    async def cleanup() -> None:
        cleanups.append("cleaned")

    never_used = LoopThread()
    never_used.close(cleanup)
    assert never_used.closed
    assert cleanups == []
    assert set(threading.enumerate()) == before

    used = LoopThread()
    used.call(answer)
    used.close(cleanup)
    used.close(cleanup)
    assert cleanups == ["cleaned"]


def test_a_call_after_close_is_refused_before_the_awaitable_is_created(runtime: LoopThread) -> None:
    runtime.close()
    created: list[str] = []

    def make_awaitable() -> asyncio.Future[None]:
        created.append("awaitable")
        return asyncio.Future()

    with pytest.raises(RuntimeError, match="client is closed"):
        runtime.call(make_awaitable)
    assert created == []


def test_a_call_cancelled_before_it_starts_still_releases_its_caller(runtime: LoopThread) -> None:
    holding_the_loop, release_the_loop = threading.Event(), threading.Event()

    async def hold_the_loop() -> None:
        holding_the_loop.set()
        release_the_loop.wait(5)  # blocking the loop thread is the point: what follows queues up

    holding = threading.Thread(target=runtime.call, args=(hold_the_loop,))
    holding.start()
    assert holding_the_loop.wait(5)
    loop = runtime._loop
    assert loop is not None
    pending: _runtime._Pending[None] = _runtime._Pending()
    pending.start(loop, lambda: asyncio.sleep(10))
    pending.cancel()
    release_the_loop.set()  # reaches the loop before the call's task has taken a step (on 3.12+, its first)

    assert pending.wait(2), "the caller is released, not left waiting for a task that never ran"
    with pytest.raises((RuntimeError, asyncio.CancelledError)):
        pending.result()
    holding.join()


def test_close_cancels_a_cleanup_that_overruns_its_timeout() -> None:
    before = set(threading.enumerate())
    runtime = LoopThread()
    runtime.call(answer)
    events: list[str] = []

    async def hanging_cleanup() -> None:
        try:
            await asyncio.sleep(60)
        finally:
            events.append("cleanup cancelled")

    began = time.monotonic()
    runtime.close(hanging_cleanup, timeout=0.2)

    assert time.monotonic() - began < 2
    assert events == ["cleanup cancelled"]
    assert set(threading.enumerate()) == before


def test_an_error_in_cleanup_propagates_after_the_loop_has_stopped() -> None:
    before = set(threading.enumerate())
    runtime = LoopThread()
    runtime.call(answer)

    async def failing_cleanup() -> None:
        raise OSError("session close failed")

    with pytest.raises(OSError, match="session close failed"):
        runtime.close(failing_cleanup)
    assert runtime.closed
    assert set(threading.enumerate()) == before


# Runtimes that are never closed


def test_a_garbage_collected_runtime_warns_and_stops_its_thread() -> None:
    runtime = LoopThread()
    thread = runtime.call(current_thread)

    with pytest.warns(ResourceWarning, match=r"unclosed Telnyx client; use `with Telnyx\(\) as client:`"):
        del runtime

    thread.join(5)
    assert not thread.is_alive()


def test_a_runtime_left_open_is_closed_at_exit_with_a_resource_warning() -> None:
    script = """
from telnyx_orders._sync._runtime import LoopThread

async def answer():
    return 42

runtime = LoopThread()
print(runtime.call(answer))
"""
    process = run_python(script, "-W", "always::ResourceWarning")
    try:
        stdout, stderr = process.communicate(timeout=10)
    finally:
        process.kill()

    assert stdout == "42\n"
    assert "ResourceWarning: unclosed Telnyx client" in stderr
    assert process.returncode == 0


# Fork


@posix_only
def test_a_forked_child_starts_a_fresh_loop_thread_and_runs_fork_callbacks(runtime: LoopThread) -> None:
    forgotten_in_child: list[str] = []
    runtime.on_fork(lambda: forgotten_in_child.append("session"))
    parent_thread = runtime.call(current_thread)

    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a multi-threaded process may deadlock; the loop thread is
        # exactly the thread this test forks around, and the runtime's fork handling is what it checks.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        ok = False
        signal.alarm(5)  # a child stuck waiting for the parent's loop thread dies instead of hanging the test
        try:
            child_thread = runtime.call(current_thread)
            ok = forgotten_in_child == ["session"] and child_thread is not parent_thread
        finally:
            os._exit(0 if ok else 1)

    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert forgotten_in_child == []
    assert runtime.call(current_thread) is parent_thread


# Iterating


async def numbers(count: int, log: list[str]) -> AsyncIterator[int]:
    try:
        for n in range(count):
            yield n
    finally:
        log.append(f"generator closed on {threading.current_thread().name}")


class Countdown:
    """An async iterator that is not a generator: it has no `aclose`."""

    def __init__(self, start: int) -> None:
        self.remaining = start

    def __aiter__(self) -> Countdown:
        return self

    async def __anext__(self) -> int:
        if self.remaining == 0:
            raise StopAsyncIteration
        self.remaining -= 1
        return self.remaining


def test_iterate_yields_every_item_of_an_async_iterator(runtime: LoopThread) -> None:
    log: list[str] = []

    assert list(runtime.iterate(numbers(3, log))) == [0, 1, 2]
    assert log == ["generator closed on telnyx-orders-loop"]
    assert list(runtime.iterate(Countdown(3))) == [2, 1, 0]


def test_breaking_out_of_iterate_closes_the_async_generator_on_the_loop(runtime: LoopThread) -> None:
    log: list[str] = []

    for n in runtime.iterate(numbers(10, log)):
        if n == 1:
            break

    assert log == ["generator closed on telnyx-orders-loop"]
    countdown = Countdown(10)
    for n in runtime.iterate(countdown):
        if n == 5:
            break
    assert countdown.remaining == 5


def test_abandoning_iterate_waits_only_a_bounded_time_for_the_generator_to_close(
    impatient: LoopThread,
) -> None:
    runtime = impatient
    log: list[str] = []

    async def slow_to_close() -> AsyncIterator[int]:
        try:
            yield 1
        finally:
            try:
                await asyncio.sleep(60)
            finally:
                log.append("cleanup cut short")

    began = time.monotonic()
    items = runtime.iterate(slow_to_close())
    assert next(items) == 1
    items.close()

    assert time.monotonic() - began < 2
    runtime.close()
    assert log == ["cleanup cut short"]


def test_an_error_while_iterating_surfaces_unchanged(runtime: LoopThread) -> None:
    async def second_page_fails() -> AsyncIterator[int]:
        yield 1
        raise LookupError("page 2 failed")

    items = runtime.iterate(second_page_fails())
    assert next(items) == 1
    with pytest.raises(LookupError, match="page 2 failed"):
        next(items)
