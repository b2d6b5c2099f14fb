"""The blocking facade's runtime: one asyncio event loop on one daemon thread per client.

The generated `Telnyx` client forwards every method to `AsyncTelnyx` through `LoopThread.call`, which runs
the coroutine on the runtime's loop thread and blocks the calling thread until it finishes.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import os
import select
import selectors
import sys
import threading
import warnings
import weakref
from typing import TYPE_CHECKING, Generic, ParamSpec, TypeVar

from .._config import CLIENT_CLOSED

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Generator

__all__ = ["BlockingCallInEventLoopWarning", "DeadlockError", "LoopThread"]

P = ParamSpec("P")
T = TypeVar("T")

_SHUTDOWN_GRACE = 5.0
"""Seconds the tasks still running when the loop stops get to finish after being cancelled."""

_UNCLOSED = "unclosed Telnyx client; use `with Telnyx() as client:` or call close()"

_CLOSED_IN_FLIGHT = (
    "the client was closed while this call was in flight, so it was cut short; if it was a create, the "
    "order may exist: list recent orders before trying again"
)


class DeadlockError(RuntimeError):
    """A blocking call was made where it could only wait for itself: on the client's own loop thread, or
    on a thread whose event loop serves the client's base URL (a sandbox started with `async with`)."""


class BlockingCallInEventLoopWarning(RuntimeWarning):
    """The blocking client was called from a thread that runs an asyncio event loop, which it blocks."""


class LoopThread:
    """One event loop on one daemon thread, started on first use, shared by every caller thread of a client.

    `call` and `iterate` may be used from any number of threads at once. `close` runs the client's
    async cleanup on the loop, then stops the loop and joins the thread. A runtime that is never
    closed is stopped when it is garbage-collected or at interpreter exit, with a `ResourceWarning`,
    after running the cleanup given to `on_close`. A call still running when the loop stops raises
    `RuntimeError` saying the client was closed.
    `cancel_grace` is how many seconds a cancelled call (Ctrl-C) or an abandoned iteration gets to run
    its cleanup.
    """

    def __init__(self, *, name: str = "telnyx-orders-loop", cancel_grace: float = 5.0) -> None:
        self._name = name
        self._cancel_grace = cancel_grace
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._warned_running_loop = False
        self._needs_loop: Callable[[asyncio.AbstractEventLoop], str | None] | None = None
        self._fork_callbacks: list[Callable[[], None]] = []
        self._cleanup: Callable[[], Awaitable[None]] | None = None

    @property
    def closed(self) -> bool:
        """Whether `close` has been called (or the runtime was cleaned up at interpreter exit)."""
        return self._closed

    def call(self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn(*args, **kwargs)` on the loop thread and block until it returns its result.

        The awaitable is created on the loop thread, so a refused call never leaves an un-awaited
        coroutine behind. Its exception is re-raised here as the same object. On Ctrl-C the task is
        cancelled and given `cancel_grace` seconds to run its `finally` blocks before
        `KeyboardInterrupt` propagates.

        Raises:
            RuntimeError: the runtime is closed.
            DeadlockError: called on the loop thread itself (from a coroutine running on it), or from a
                thread running an event loop that the call needs (see `refuse_calls_needing`).
        """
        pending: _Pending[T] = _Pending()
        try:
            # Submitted inside the try: a Ctrl-C that lands as the call is handed over still cancels it.
            self._submit(pending, functools.partial(fn, *args, **kwargs))
            pending.wait()
        except KeyboardInterrupt:
            if pending.cancel():
                pending.wait(self._cancel_grace)
            raise
        return pending.result()

    def iterate(self, iterator: AsyncIterator[T], /) -> Generator[T, None, None]:
        """Step `iterator` on the loop thread, one blocking call per item.

        When the caller stops early (`break`, `close()` or garbage collection of this generator), the
        async iterator's `aclose()`, if it has one, runs on the loop, bounded by `cancel_grace` seconds.
        """
        while True:
            try:
                item = self.call(iterator.__anext__)
            except StopAsyncIteration:
                return
            try:
                yield item
            except GeneratorExit:
                self._aclose(iterator)
                raise

    def close(self, cleanup: Callable[[], Awaitable[None]] | None = None, *, timeout: float = 10.0) -> None:
        """Run `cleanup()` on the loop, then stop the loop and join its thread.

        Stopping cancels the tasks still running, shuts down async generators and the default executor,
        and closes the loop. `cleanup` gets at most `timeout` seconds before it is cancelled, and the
        thread gets at most `timeout` more to finish. An exception raised by `cleanup` propagates once
        the loop is stopped. Closing again, or closing a runtime that never ran anything, does nothing.

        Raises:
            DeadlockError: called on the loop thread itself.
        """
        with self._lock:
            self._refuse_loop_thread()
            if self._closed:
                return
            self._closed = True
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
            _live.discard(self)
        if loop is None or thread is None:
            return
        pending: _Pending[None] | None = None
        if cleanup is not None:
            pending = _Pending()
            pending.start(loop, cleanup)
        try:
            if pending is not None and pending.wait(timeout):
                pending.result()
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)

    def refuse_calls_needing(self, needs_loop: Callable[[asyncio.AbstractEventLoop], str | None]) -> None:
        """Fail at once, with `DeadlockError`, a call made from a thread whose running event loop the
        calls need: `needs_loop(loop)` says why they need it, or None.

        Such a call would park the very thread that runs the loop it waits for, until its deadline.
        """
        self._needs_loop = needs_loop

    def on_fork(self, callback: Callable[[], None]) -> None:
        """Call `callback()` in a forked child process, after this runtime forgot its parent's loop.

        The owner uses it to drop, without closing, what was bound to the old loop (an aiohttp session):
        closing it in the child could write to sockets the parent still uses.
        """
        self._fork_callbacks.append(callback)

    def on_close(self, cleanup: Callable[[], Awaitable[None]]) -> None:
        """Run `cleanup()` on the loop before it stops, if it stops without `close` being called.

        That is, when the runtime is garbage-collected or the interpreter exits: the owner uses it to
        close its connections, which would otherwise be reported unclosed as the process ends.
        """
        self._cleanup = cleanup

    def __del__(self) -> None:
        if self._closed or self._loop is None:
            return
        # The thread does not reference this object, so it is still running: let it wind the loop down.
        self._loop.call_soon_threadsafe(_stop_after_cleanup, self._loop, self._cleanup)
        warnings.warn(_UNCLOSED, ResourceWarning, stacklevel=2, source=self)

    def _submit(self, pending: _Pending[T], thunk: Callable[[], Awaitable[T]]) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError(CLIENT_CLOSED)
            self._refuse_loop_thread()
            self._check_callers_loop()
            # Under the lock: `close` cannot stop the loop between this check and the submission.
            pending.start(self._loop or self._start(), thunk)

    def _start(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.new_event_loop()
        if sys.version_info >= (3, 12):
            # A call's task then runs up to its first await at once, not one loop pass later.
            loop.set_task_factory(asyncio.eager_task_factory)
        thread = threading.Thread(target=_run_loop, args=(loop,), name=self._name, daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        _live.add(self)
        return loop

    def _refuse_loop_thread(self) -> None:
        if self._thread is not None and threading.current_thread() is self._thread:
            raise DeadlockError(
                "the blocking Telnyx client was called from its own event loop thread, where it would wait "
                "for itself forever; code running on an event loop should use AsyncTelnyx and await it"
            )

    def _check_callers_loop(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        why = None if self._needs_loop is None else self._needs_loop(loop)
        if why is not None:
            raise DeadlockError(
                f"the blocking Telnyx client was called from a thread running the event loop that {why}: "
                "that loop cannot answer while this thread waits for it; in async code use AsyncTelnyx and "
                "await it, or serve the sandbox from another thread (Sandbox().serve_in_thread())"
            )
        if self._warned_running_loop:
            return
        self._warned_running_loop = True
        warnings.warn(
            "the blocking Telnyx client was called from a thread running an asyncio event loop, which "
            "stays blocked until each call returns; in async code use AsyncTelnyx and await its methods",
            BlockingCallInEventLoopWarning,
            stacklevel=5,  # _check_callers_loop < _submit < call < generated method < user code
        )

    def _aclose(self, iterator: AsyncIterator[object]) -> None:
        aclose: Callable[[], Awaitable[object]] | None = getattr(iterator, "aclose", None)
        if aclose is None or self._closed:
            return
        pending: _Pending[object] = _Pending()
        self._submit(pending, aclose)
        if pending.wait(self._cancel_grace):
            pending.result()
        else:
            pending.cancel()

    def _after_fork_in_child(self) -> None:
        # Another parent thread may have held the lock at the fork; the child has no such thread.
        self._lock = threading.Lock()
        if self._loop is not None:
            # Its thread is gone, so it cannot be closed; keep it referenced so its __del__ never
            # reports it as an unclosed loop, and cut it off from the parent's sockets and epoll.
            _detach_from_parent(self._loop)
            _orphaned_loops.append(self._loop)
        self._loop = self._thread = None
        _live.discard(self)
        for callback in self._fork_callbacks:
            callback()


class _Pending(Generic[T]):
    """One awaitable run to completion on the loop for a blocking caller."""

    __slots__ = ("_done", "_error", "_loop", "_result", "_settled", "_task")

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._result: T | None = None
        self._error: BaseException | None = None
        self._settled = False
        # Held until the task settles: a bare lock is the cheapest way to park the caller's thread,
        # and a call's cost on the facade is mostly the two thread wake-ups around it. Measured: a no-op
        # blocking call took 105 us against 124 us with a future (3.11); a thread hand-off alone, 17.8 us
        # against 20.3 us with a threading.Event.
        self._done = threading.Lock()
        self._done.acquire()

    def start(self, loop: asyncio.AbstractEventLoop, thunk: Callable[[], Awaitable[T]]) -> None:
        """Run `thunk()` as a task on `loop`."""
        self._loop = loop
        loop.call_soon_threadsafe(self._start, loop, thunk)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the task is done (or `timeout` passes); return whether it is done."""
        if not self._done.acquire(timeout=-1 if timeout is None else timeout):
            return False
        self._done.release()  # done for good: later waits return at once
        return True

    def result(self) -> T:
        """Return the task's result or raise its exception; the task must be done."""
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]  # set, since the task is done without error

    def cancel(self) -> bool:
        """Ask the loop to cancel the task; `False` when it was never started, so there is none."""
        if self._loop is None:
            return False
        # The loop may have been closed meanwhile, and then the task has already finished.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._cancel_task)
        return True

    def _start(self, loop: asyncio.AbstractEventLoop, thunk: Callable[[], Awaitable[T]]) -> None:
        self._task = loop.create_task(self._run(thunk))
        self._task.add_done_callback(self._settle_unstarted)

    def _settle(self, error: BaseException | None) -> None:
        if not self._settled:
            self._settled = True
            self._error = error
            self._done.release()

    def _settle_unstarted(self, _: asyncio.Task[None]) -> None:
        # A task cancelled before its first step (Ctrl-C, or the loop stopping) never runs `_run`.
        self._settle(
            RuntimeError("the call was cancelled before it started: the client was interrupted or closed")
        )

    def _cancel_task(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self, thunk: Callable[[], Awaitable[T]]) -> None:
        # Settling the caller's wait here, not in a done callback, saves the loop a pass per call.
        try:
            self._result = await thunk()
        except Exception as error:
            self._settle(error)  # handed to the caller, so not re-raised into the task
        except asyncio.CancelledError:
            # Only the loop stopping cancels a call whose caller still waits (after Ctrl-C the caller
            # raises KeyboardInterrupt instead): another thread closed the client under it.
            self._settle(RuntimeError(_CLOSED_IN_FLIGHT))
            raise
        except BaseException as error:
            self._settle(error)
            raise
        else:
            self._settle(None)


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    """The loop thread: run until stopped, then wind down like `asyncio.run` does and close the loop."""
    try:
        loop.run_forever()
        loop.run_until_complete(_cancel_leftover_tasks())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()


def _stop_after_cleanup(
    loop: asyncio.AbstractEventLoop, cleanup: Callable[[], Awaitable[None]] | None
) -> None:
    """On the loop: run `cleanup()` (bounded, its errors dropped: no caller is left), then stop."""

    async def clean_up_then_stop() -> None:
        try:
            if cleanup is not None:
                await asyncio.wait_for(cleanup(), _SHUTDOWN_GRACE)
        except Exception:
            pass
        finally:
            loop.stop()

    loop.create_task(clean_up_then_stop())


async def _cancel_leftover_tasks() -> None:
    tasks = asyncio.all_tasks() - {asyncio.current_task()}
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=_SHUTDOWN_GRACE)


_live: weakref.WeakSet[LoopThread] = weakref.WeakSet()
"""Started, unclosed runtimes; weak, so that neither atexit nor fork handling keeps one alive."""
_orphaned_loops: list[asyncio.AbstractEventLoop] = []


@atexit.register
def _close_unclosed_at_exit() -> None:
    for runtime in list(_live):
        warnings.warn(_UNCLOSED, ResourceWarning, stacklevel=1, source=runtime)
        runtime.close(runtime._cleanup)  # pyright: ignore[reportPrivateUsage]


def _detach_from_parent(loop: asyncio.AbstractEventLoop) -> None:
    """In a forked child: make the parent's loop, inherited as a copy, unable to touch the parent.

    The child shares the parent's sockets and, on Linux, its epoll instance. Anything the child then
    does with the copy (a transport closed when an inherited aiohttp session is collected, the loop
    closed at exit) would act on them: unregistering a socket from the shared epoll leaves the
    parent's loop deaf to it, so its next call hung until the deadline; closing a TLS connection
    would send the server a close_notify in the parent's name. So every file the copy's selector
    watches is replaced, under the same number, by /dev/null, and the epoll instance by a new one
    of the child's own; the parent keeps the originals.
    """
    # The parent's aiohttp session, collected in the child, would report itself unclosed to this handler.
    loop.set_exception_handler(_ignore)
    selector = getattr(loop, "_selector", None)  # the selector every asyncio selector loop keeps
    if not isinstance(selector, selectors.BaseSelector):
        return
    blank = os.open(os.devnull, os.O_RDWR)
    try:
        for key in list(selector.get_map().values()):
            os.dup2(blank, key.fd, inheritable=False)
    finally:
        os.close(blank)
    if hasattr(select, "epoll") and isinstance(selector, selectors.EpollSelector):
        fresh = select.epoll()
        try:
            os.dup2(fresh.fileno(), selector.fileno(), inheritable=False)
        finally:
            fresh.close()


def _ignore(loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
    pass


def _reset_after_fork_in_child() -> None:
    for runtime in list(_live):
        runtime._after_fork_in_child()  # pyright: ignore[reportPrivateUsage]


if hasattr(os, "register_at_fork"):  # POSIX only
    os.register_at_fork(after_in_child=_reset_after_fork_in_child)
