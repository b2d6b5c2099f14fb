"""Fault soak: thousands of calls through one client while the sandbox fails about one request in five.

Every call ends in a result or a documented `APIError`; no order is ever placed twice, and every order
the sandbox holds is one a create either returned or said may exist; nothing leaks (sockets, tasks,
threads, pooled connections, unclosed-resource warnings). Each soak prints a one-line summary of its
figures (visible with `pytest -s`) and asserts them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import random
import socket
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import pytest

from telnyx_orders import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncTelnyx,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    Telnyx,
    Timeout,
)
from telnyx_orders.testing import FaultPlan, Sandbox

SEED = 20_240_607
LATENCY = 1.0
"""Seconds a slow answer takes: twice a call's read limit, so the attempt times out."""
# A read limit well above a loaded machine's scheduling delays: at 0.2 s, a CI machine busy with other
# work timed out hundreds of answers that had no fault at all.
CALL_TIMEOUT = Timeout(total=5.0, connect=1.0, read=0.5)
FAULT_PROBABILITY = 0.022
"""Per fault, of the ten below; together they fail 1 - 0.978**10, about 20 %, of the requests."""
FAST_RETRIES = RetryPolicy(initial_delay=0.001, max_delay=0.01, jitter=None)

DOCUMENTED_ERRORS = {
    cls.__name__
    for cls in (
        APIConnectionError,
        APITimeoutError,
        APIResponseValidationError,
        InternalServerError,
        RateLimitError,
        NotFoundError,
    )
}
GROUPS: list[Any] = [{"country_iso": "US", "phone_number_type": "local", "count_requested": 1}]
CREATE_OPERATIONS = {
    "create_inexplicit": "CreateInexplicitNumberOrder",
    "create_number_order": "CreateNumberOrder",
}
HANDLED_DESPITE_FAULT = {"latency", "drop_after"}
"""Faults after which the sandbox still handles the request (and a create places its order)."""

Kind = Literal[
    "retrieve_inexplicit",
    "retrieve_number_order",
    "list_inexplicit",
    "list_number_orders",
    "create_inexplicit",
    "create_number_order",
]
MIX: dict[Kind, int] = {
    "retrieve_inexplicit": 30,
    "retrieve_number_order": 10,
    "list_inexplicit": 12,
    "list_number_orders": 13,
    "create_inexplicit": 25,
    "create_number_order": 10,
}


def inject_faults(plan: FaultPlan) -> None:
    """Fail requests in each way Telnyx or the network can, each with the same seeded probability."""
    for status in (500, 502, 503, 504):
        plan.status(status, times=None, probability=FAULT_PROBABILITY)
    plan.rate_limit(reset=0, times=None, probability=FAULT_PROBABILITY)
    plan.drop_before(times=None, probability=FAULT_PROBABILITY)
    plan.drop_after(times=None, probability=FAULT_PROBABILITY)
    plan.latency(LATENCY, times=None, probability=FAULT_PROBABILITY)
    plan.malformed(times=None, probability=FAULT_PROBABILITY)
    plan.truncated(times=None, probability=FAULT_PROBABILITY)
    plan.reseed(SEED)


@dataclasses.dataclass(frozen=True)
class Call:
    """One call of the soak; a create's `reference` (its customer_reference) is unique to it."""

    kind: Kind
    number: int
    target: str = ""
    """The id to retrieve, or the page or filter a list asks for."""

    @property
    def reference(self) -> str:
        return f"soak-{self.kind}-{self.number}"

    @property
    def phone_number(self) -> str:
        return f"+1312{self.number:07d}"


def plan_calls(count: int, sandbox: Sandbox, *, seed: int) -> list[Call]:
    """`count` calls in the soak's mix, against orders seeded into `sandbox` (some ids unknown)."""
    inexplicit = [sandbox.add_inexplicit_number_order()["id"] for _ in range(40)] + ["no-such-order"]
    number_orders = [sandbox.add_number_order()["id"] for _ in range(20)] + ["no-such-order"]
    rng = random.Random(seed)
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=count)
    calls: list[Call] = []
    for number, kind in enumerate(kinds):
        if kind == "retrieve_inexplicit":
            target = rng.choice(inexplicit)
        elif kind == "retrieve_number_order":
            target = rng.choice(number_orders)
        elif kind == "list_inexplicit":
            target = str(rng.randint(1, 3))
        elif kind == "list_number_orders":
            target = f"soak-create_number_order-{rng.randrange(count)}"
        else:
            target = ""
        calls.append(Call(kind, number, target))
    return calls


async def call_async(client: AsyncTelnyx, call: Call) -> str | None:
    """Make `call`; for a create, return the id of the order placed."""
    options: dict[str, Any] = {"timeout": CALL_TIMEOUT}
    if call.kind == "retrieve_inexplicit":
        await client.inexplicit_number_orders.retrieve(call.target, **options)
    elif call.kind == "retrieve_number_order":
        await client.number_orders.retrieve(call.target, **options)
    elif call.kind == "list_inexplicit":
        await client.inexplicit_number_orders.list(page_number=int(call.target), page_size=20, **options)
    elif call.kind == "list_number_orders":
        await client.number_orders.list(customer_reference=call.target, **options)
    elif call.kind == "create_inexplicit":
        created = await client.inexplicit_number_orders.create(
            ordering_groups=GROUPS, customer_reference=call.reference, **options
        )
        return created.data.id if created.data else None
    else:
        placed = await client.number_orders.create(
            phone_numbers=[call.phone_number], customer_reference=call.reference, **options
        )
        return placed.data.id if placed.data else None
    return None


def call_blocking(client: Telnyx, call: Call) -> str | None:
    """`call_async`, through the blocking client."""
    options: dict[str, Any] = {"timeout": CALL_TIMEOUT}
    if call.kind == "retrieve_inexplicit":
        client.inexplicit_number_orders.retrieve(call.target, **options)
    elif call.kind == "retrieve_number_order":
        client.number_orders.retrieve(call.target, **options)
    elif call.kind == "list_inexplicit":
        client.inexplicit_number_orders.list(page_number=int(call.target), page_size=20, **options)
    elif call.kind == "list_number_orders":
        client.number_orders.list(customer_reference=call.target, **options)
    elif call.kind == "create_inexplicit":
        created = client.inexplicit_number_orders.create(
            ordering_groups=GROUPS, customer_reference=call.reference, **options
        )
        return created.data.id if created.data else None
    else:
        placed = client.number_orders.create(
            phone_numbers=[call.phone_number], customer_reference=call.reference, **options
        )
        return placed.data.id if placed.data else None
    return None


class Ledger:
    """How each call ended. Thread-safe, for the blocking soak's many caller threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.outcomes: Counter[str] = Counter()
        self.unexpected: list[BaseException] = []
        self.placed: dict[str, str | None] = {}
        """customer_reference -> id, for each create that returned."""
        self.may_exist: set[str] = set()
        """References of the creates that raised with `may_have_taken_effect`."""
        self.not_placed: set[str] = set()
        """References of the creates that raised saying they certainly did not take effect."""

    def succeeded(self, call: Call, placed_id: str | None) -> None:
        with self._lock:
            self.outcomes["ok"] += 1
            if call.kind in CREATE_OPERATIONS:
                self.placed[call.reference] = placed_id

    def failed(self, call: Call, error: BaseException) -> None:
        with self._lock:
            if not isinstance(error, APIError):
                self.outcomes[f"unexpected {type(error).__name__}"] += 1
                self.unexpected.append(error)
                return
            self.outcomes[type(error).__name__] += 1
            if call.kind in CREATE_OPERATIONS:
                (self.may_exist if error.may_have_taken_effect else self.not_placed).add(call.reference)


@dataclasses.dataclass
class Audit:
    """What the sandbox saw and holds, set against the ledger."""

    requests: int
    faults: Counter[str]
    duplicates: list[str]
    """References stored more than once, or sent and handled more than once."""
    unaccounted: list[str]
    """Stored orders that no create returned or said may exist."""
    lost: list[str]
    """Creates that returned an id the sandbox does not hold under their reference."""
    wrongly_denied: list[str]
    """Creates that said they certainly did not take effect, whose order the sandbox holds."""
    stored_beyond_handled: int
    """Orders stored beyond the create requests the sandbox handled without a fault before handling."""


def audit(sandbox: Sandbox, ledger: Ledger) -> Audit:
    stored_ids: dict[str, list[str]] = {}
    tables = {
        "create_inexplicit": sandbox.documents("inexplicit_number_orders"),
        # An inexplicit order's own number orders carry its reference: only direct creates count here.
        "create_number_order": sandbox.documents("number_orders"),
    }
    for kind, table in tables.items():
        for order_id, doc in table.items():
            reference = doc.get("customer_reference")
            if isinstance(reference, str) and reference.startswith(f"soak-{kind}-"):
                stored_ids.setdefault(reference, []).append(order_id)
    handled: Counter[str] = Counter()
    for operation in CREATE_OPERATIONS.values():
        for request in sandbox.requests_to(operation):
            if request.fault is None or request.fault.kind in HANDLED_DESPITE_FAULT:
                handled[request.json()["customer_reference"]] += 1
    faults = Counter(
        "none" if request.fault is None else _fault_name(request.fault.kind, request.fault.status)
        for request in sandbox.requests
    )
    accounted = set(ledger.placed) | ledger.may_exist
    return Audit(
        requests=len(sandbox.requests),
        faults=faults,
        duplicates=sorted(
            {reference for reference, ids in stored_ids.items() if len(ids) > 1}
            | {reference for reference, times in handled.items() if times > 1}
        ),
        unaccounted=sorted(set(stored_ids) - accounted),
        lost=sorted(
            reference
            for reference, order_id in ledger.placed.items()
            if stored_ids.get(reference) != [order_id]
        ),
        wrongly_denied=sorted(ledger.not_placed & set(stored_ids)),
        stored_beyond_handled=max(sum(len(ids) for ids in stored_ids.values()) - sum(handled.values()), 0),
    )


def _fault_name(kind: str, status: int | None) -> str:
    return f"{kind} {status}" if kind == "status" else kind


@dataclasses.dataclass
class Leaks:
    sockets: int
    tasks: int
    threads: int
    connections: int
    resource_warnings: int

    @property
    def total(self) -> int:
        return self.sockets + self.tasks + self.threads + self.connections + self.resource_warnings


def open_sockets() -> set[int]:
    """The file descriptors of the socket objects alive in this process."""
    gc.collect()
    return {
        item.fileno() for item in gc.get_objects() if isinstance(item, socket.socket) and item.fileno() != -1
    }


def resource_warnings_on_collection() -> int:
    """How many ResourceWarnings (unclosed sockets, transports, sessions) collecting garbage raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        gc.collect()
    return len([warning for warning in caught if issubclass(warning.category, ResourceWarning)])


def summary(name: str, calls: int, wall: float, report: Audit, ledger: Ledger, leaks: Leaks) -> str:
    faulted = report.requests - report.faults["none"]
    faults = ", ".join(f"{kind} {count}" for kind, count in sorted(report.faults.items()) if kind != "none")
    outcomes = ", ".join(f"{kind} {count}" for kind, count in ledger.outcomes.most_common())
    creates = len(ledger.placed) + len(ledger.may_exist) + len(ledger.not_placed)
    return (
        f"soak[{name}]: {calls} calls, {report.requests} requests in {wall:.1f} s; "
        f"faults {faulted} ({faulted / report.requests:.1%}): {faults}; outcomes: {outcomes}; "
        f"creates {creates}: {len(ledger.placed)} placed, {len(ledger.may_exist)} may exist, "
        f"{len(ledger.not_placed)} not placed; duplicates {len(report.duplicates)}; "
        f"leaks: sockets {leaks.sockets}, tasks {leaks.tasks}, threads {leaks.threads}, "
        f"connections {leaks.connections}, resource warnings {leaks.resource_warnings}"
    )


def assert_soak_held(calls: int, wall: float, report: Audit, ledger: Ledger, leaks: Leaks) -> None:
    assert ledger.unexpected == [], "every call ends in a result or a documented APIError"
    assert sum(ledger.outcomes.values()) == calls
    assert set(ledger.outcomes) - {"ok"} <= DOCUMENTED_ERRORS
    assert ledger.outcomes["ok"] > calls * 0.85, "retries carry most calls through the faults"
    assert report.duplicates == [], "no order is ever placed twice"
    assert report.unaccounted == []
    assert report.lost == []
    assert report.wrongly_denied == [], "a create that says it did not take effect did not"
    assert report.stored_beyond_handled == 0
    assert ledger.may_exist, "the soak did exercise ambiguous creates"
    faulted = report.requests - report.faults["none"]
    assert 0.15 <= faulted / report.requests <= 0.25, "about one request in five fails"
    assert len(report.faults) == 11, "every kind of fault fired"
    assert leaks == Leaks(sockets=0, tasks=0, threads=0, connections=0, resource_warnings=0)
    assert wall < 60


async def test_a_fault_soak_through_one_async_client() -> None:
    calls_count, concurrency = 5000, 64
    threads_before = set(threading.enumerate())
    sockets_before = open_sockets()
    ledger = Ledger()
    async with Sandbox(lifecycle_step=3600, default_inventory=100_000) as sandbox:
        calls = plan_calls(calls_count, sandbox, seed=SEED)
        inject_faults(sandbox.faults)
        client = AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=FAST_RETRIES)
        started = time.monotonic()
        pending: Iterator[Call] = iter(calls)

        async def worker() -> None:
            for call in pending:
                try:
                    placed = await call_async(client, call)
                except Exception as error:  # a type other than APIError is what the soak hunts
                    ledger.failed(call, error)
                else:
                    ledger.succeeded(call, placed)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.monotonic() - started
        connector = client._http.pool.session().connector
        assert connector is not None
        connections = len(connector._acquired)  # type: ignore[attr-defined]
        await client.aclose()
        assert connector.closed
        await asyncio.sleep(LATENCY + 0.1)  # slow answers the client gave up on finish being handled
        report = audit(sandbox, ledger)
    await asyncio.sleep(0)
    leaks = Leaks(
        sockets=len(open_sockets() - sockets_before),
        tasks=len(asyncio.all_tasks() - {asyncio.current_task()}),
        threads=len(set(threading.enumerate()) ^ threads_before),
        connections=connections,
        resource_warnings=resource_warnings_on_collection(),
    )

    print(summary("AsyncTelnyx, concurrency 64", calls_count, wall, report, ledger, leaks))
    assert_soak_held(calls_count, wall, report, ledger, leaks)


def test_a_fault_soak_through_the_blocking_client_from_16_threads() -> None:
    thread_count, calls_per_thread = 16, 60
    calls_count = thread_count * calls_per_thread
    threads_before = set(threading.enumerate())
    sockets_before = open_sockets()
    ledger = Ledger()
    with Sandbox(lifecycle_step=3600, default_inventory=100_000).serve_in_thread() as sandbox:
        calls = plan_calls(calls_count, sandbox, seed=SEED + 1)
        inject_faults(sandbox.faults)
        client = Telnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=FAST_RETRIES)

        def worker(share: list[Call]) -> None:
            for call in share:
                try:
                    placed = call_blocking(client, call)
                except Exception as error:  # a type other than APIError is what the soak hunts
                    ledger.failed(call, error)
                else:
                    ledger.succeeded(call, placed)

        started = time.monotonic()
        with ThreadPoolExecutor(thread_count) as pool:
            list(pool.map(worker, [calls[index::thread_count] for index in range(thread_count)]))
        wall = time.monotonic() - started
        session = client._async._http.pool._session
        assert session is not None
        assert session.connector is not None
        connector = session.connector
        connections = len(connector._acquired)  # type: ignore[attr-defined]
        client.close()
        assert connector.closed
        time.sleep(LATENCY + 0.1)  # slow answers the client gave up on finish being handled
        report = audit(sandbox, ledger)
    leaks = Leaks(
        sockets=len(open_sockets() - sockets_before),
        tasks=0,  # the client's loop is closed with its thread; a task left on it would have kept it running
        threads=len(set(threading.enumerate()) ^ threads_before),
        connections=connections,
        resource_warnings=resource_warnings_on_collection(),
    )

    print(summary("Telnyx, 16 threads", calls_count, wall, report, ledger, leaks))
    assert_soak_held(calls_count, wall, report, ledger, leaks)


# The rule the soak's accounting rests on


@pytest.mark.parametrize("fault", ["malformed", "wrong_shape"])
async def test_a_create_answered_2xx_with_an_unreadable_body_says_the_order_may_exist(
    sandbox: Sandbox, client: AsyncTelnyx, fault: str
) -> None:
    if fault == "malformed":
        sandbox.faults.malformed(method="POST")
    else:
        sandbox.faults.wrong_shape({"data": "not an order"}, method="POST")

    with pytest.raises(APIResponseValidationError) as caught:
        await client.inexplicit_number_orders.create(ordering_groups=GROUPS, customer_reference="once")

    assert caught.value.may_have_taken_effect is True, "a 2xx says the order was placed"
    assert "the order may exist" in str(caught.value)
    assert len(sandbox.requests) == 1


async def test_a_retrieve_answered_2xx_with_an_unreadable_body_has_no_order_to_worry_about(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    sandbox.faults.malformed()

    with pytest.raises(APIResponseValidationError) as caught:
        await client.inexplicit_number_orders.retrieve("any")

    assert caught.value.may_have_taken_effect is False


def test_the_soak_checks_its_own_accounting() -> None:
    # An audit that could never fail proves nothing: a stored order no create accounts for is caught.
    ledger = Ledger()
    call = Call("create_inexplicit", 1)
    ledger.failed(call, RateLimitError("429", method="POST", url="u", status_code=429, headers={}, body=None))
    sandbox = Sandbox()  # not serving: only its state is read
    sandbox.add_inexplicit_number_order(customer_reference=call.reference)
    sandbox.add_inexplicit_number_order(customer_reference=call.reference)

    report = audit(sandbox, ledger)

    assert report.duplicates == [call.reference]
    assert report.unaccounted == [call.reference]
    assert report.wrongly_denied == [call.reference]
    assert report.stored_beyond_handled == 2, "and the linked number order is no create's"
