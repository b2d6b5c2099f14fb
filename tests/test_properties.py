"""Properties, fuzzed with hypothesis: whatever the server answers, a call gives a model or a documented
error; whatever a caller passes, it is refused before anything is sent or it makes a request the server
answers.

Each test runs one sandbox and one client on an event loop of its own (`Harness`) for all its examples,
resetting the sandbox between them. Runs are bounded and reproducible: derandomized, no example database.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import Any
from urllib.parse import quote

import attrs
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from telnyx_orders import (
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncPage,
    AsyncTelnyx,
    NotFoundError,
    TelnyxError,
    Timeout,
)
from telnyx_orders._errors import status_error_class
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import Envelope, ErrorDetail

BOUNDED = settings(
    max_examples=120,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

RESOURCES = ("inexplicit_number_orders", "number_orders", "sub_number_orders")
PREFIXES = {
    "inexplicit_number_orders": "/v2/inexplicit_number_orders/",
    "number_orders": "/v2/number_orders/",
    "sub_number_orders": "/v2/sub_number_orders/",
}


class Harness:
    """A sandbox and a client of it on an event loop of their own, for hypothesis' synchronous examples."""

    def __enter__(self) -> Harness:
        self.loop = asyncio.new_event_loop()
        self.sandbox = Sandbox()
        self.run(self.sandbox.start())
        self.client = AsyncTelnyx(self.sandbox.api_key, base_url=self.sandbox.base_url, max_retries=0)
        return self

    def run(self, call: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(call)

    def sent(self) -> int:
        return len(self.sandbox.requests)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            self.run(self.client.aclose())
            self.run(self.sandbox.close())
        finally:
            self.loop.close()


def _samples() -> dict[str, dict[str, Any]]:
    sandbox = Sandbox()  # not serving: its documents are all that is wanted
    return {
        "inexplicit_number_orders": sandbox.add_inexplicit_number_order(),
        "number_orders": sandbox.add_number_order(),
        "sub_number_orders": sandbox.add_sub_number_order(),
    }


SAMPLES = _samples()


def _keys(document: object) -> Iterator[str]:
    if isinstance(document, dict):
        for key, value in document.items():
            yield key
            yield from _keys(value)
    elif isinstance(document, list):
        for item in document:
            yield from _keys(item)


FIELD_NAMES = sorted(
    {key for sample in SAMPLES.values() for key in _keys(sample)} | {"data", "meta", "errors"}
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["2024-01-01T00:00:00Z", "2024-13-45T99:99:99", "", "success", "pending", "-1"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


def _paths(document: object, at: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield at
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _paths(value, (*at, key))
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield from _paths(item, (*at, index))


@st.composite
def mutated(draw: st.DrawFn, original: object) -> object:
    """`original` with one to three of its values replaced, removed, or given a stranger for a sibling."""
    document = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(document))))
        if not path:
            return draw(json_values)
        parent: Any = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "remove", "extra"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "remove" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(json_values)
        else:
            parent.append(draw(json_values))
    return document


def envelopes(resource: str) -> st.SearchStrategy[object]:
    sample = SAMPLES[resource]
    return st.one_of(
        json_values,
        st.builds(lambda data: {"data": data}, json_values),
        mutated({"data": sample}),
        st.builds(
            lambda text, times: {"data": {**sample, "id": text * times}},
            st.text(min_size=1, max_size=4),
            st.integers(2_000, 50_000),
        ),
    )


def list_envelopes(resource: str) -> st.SearchStrategy[object]:
    sample = SAMPLES[resource]
    page = {
        "data": [sample, sample],
        "meta": {"page_number": 1, "page_size": 2, "total_pages": 2, "total_results": 3},
    }
    return st.one_of(json_values, mutated(page))


async def retrieve(client: AsyncTelnyx, resource: str, order_id: str = "any", **options: Any) -> object:
    return await getattr(client, resource).retrieve(order_id, **options)


async def every_item(client: AsyncTelnyx, resource: str) -> list[object]:
    items: list[object] = []
    async for item in getattr(client, resource).list():
        items.append(item)
        assert len(items) < 1000, "pages end"
    return items


def is_model(value: object) -> bool:
    return attrs.has(type(value))


@attrs.frozen
class Outcome:
    """How a call ended, and how many requests it sent."""

    sent: int
    result: object = None
    error: BaseException | None = None

    @property
    def kind(self) -> str:
        if self.error is None:
            return "answered"
        if isinstance(self.error, (ValueError, TypeError)):
            return "refused"
        if isinstance(self.error, APIStatusError):
            return "status error"
        return type(self.error).__name__


def assert_an_envelope_or_a_validation_error(outcome: Outcome) -> None:
    """A 200 answer gave a model in its envelope, or it was refused as not the documented one."""
    if isinstance(outcome.error, APIResponseValidationError):
        assert outcome.error.status_code == 200
    else:
        assert outcome.error is None, repr(outcome.error)
        assert isinstance(outcome.result, Envelope)
        data_model: object = outcome.result.data  # pyright: ignore[reportUnknownMemberType]
        assert data_model is None or is_model(data_model)


def attempt(harness: Harness, call: Callable[[], Coroutine[Any, Any, Any]]) -> Outcome:
    """Run `call` on the harness' loop; whatever it raises is returned, for the test to judge."""
    before = harness.sent()
    try:
        result = harness.run(call())
    except Exception as error:
        return Outcome(harness.sent() - before, error=error)
    return Outcome(harness.sent() - before, result=result)


def assert_refused_or_answered(outcome: Outcome) -> None:
    """Refused with ValueError/TypeError having sent nothing, or sent and answered (maybe with an error)."""
    assert outcome.kind in ("refused", "answered", "status error"), repr(outcome.error)
    assert (outcome.sent == 0) == (outcome.kind == "refused"), f"{outcome.kind} after {outcome.sent} requests"


# Whatever the server answers


def test_any_json_a_retrieve_gets_gives_a_model_or_a_validation_error() -> None:
    seen: Counter[str] = Counter()
    with Harness() as harness:

        @BOUNDED
        @given(data=st.data(), resource=st.sampled_from(RESOURCES))
        def check_one(data: st.DataObject, resource: str) -> None:
            harness.sandbox.reset()
            harness.sandbox.faults.wrong_shape(data.draw(envelopes(resource)))
            outcome = attempt(harness, lambda: retrieve(harness.client, resource))
            seen[outcome.kind] += 1
            assert_an_envelope_or_a_validation_error(outcome)

        check_one()

    assert set(seen) == {"answered", "APIResponseValidationError"}


async def first_page(client: AsyncTelnyx, resource: str) -> object:
    return await getattr(client, resource).list()


def test_any_json_a_listing_gets_gives_pages_or_a_validation_error() -> None:
    seen: Counter[str] = Counter()
    with Harness() as harness:

        @BOUNDED
        @given(data=st.data(), resource=st.sampled_from(RESOURCES), walk=st.booleans())
        def check_one(data: st.DataObject, resource: str, walk: bool) -> None:
            harness.sandbox.reset()
            harness.sandbox.faults.wrong_shape(data.draw(list_envelopes(resource)))
            fetch = every_item if walk else first_page
            outcome = attempt(harness, lambda: fetch(harness.client, resource))
            seen[outcome.kind] += 1
            if outcome.error is not None:
                assert isinstance(outcome.error, APIResponseValidationError), repr(outcome.error)
            elif walk:
                assert isinstance(outcome.result, list)
                assert all(is_model(item) for item in outcome.result)  # pyright: ignore[reportUnknownVariableType]
            else:
                assert isinstance(outcome.result, AsyncPage)
                assert isinstance(outcome.result.has_next_page(), bool)  # pyright: ignore[reportUnknownMemberType]

        check_one()

    assert set(seen) == {"answered", "APIResponseValidationError"}


def _nested(depth: int) -> bytes:
    return b'{"data": ' + b"[" * depth + b"]" * depth + b"}"


valid_body = json.dumps({"data": SAMPLES["inexplicit_number_orders"]}).encode()
raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.binary(min_size=1, max_size=20).map(lambda junk: b'{"data": {"id": "\xff\xfe' + junk + b'"}}'),
    st.integers(0, len(valid_body) - 1).map(lambda cut: valid_body[:cut]),
    st.integers(1, 100_000).map(_nested),
    st.integers(4000, 6000).map(lambda digits: b'{"data": {"phone_numbers_count": ' + b"9" * digits + b"}}"),
    st.integers(100_000, 2_000_000).map(lambda size: b'{"data": {"id": "' + b"x" * size + b'"}}'),
    st.sampled_from([b"", b"null", b"[]", b"{}", b'{"data": null}', b"NaN", b'{"data": {}}', valid_body]),
)


def test_any_bytes_a_retrieve_gets_give_a_model_or_a_validation_error() -> None:
    seen: Counter[str] = Counter()
    with Harness() as harness:

        @BOUNDED
        @given(body=raw_bodies)
        def check_one(body: bytes) -> None:
            harness.sandbox.reset()
            harness.sandbox.faults.malformed(body=body)
            outcome = attempt(harness, lambda: retrieve(harness.client, "inexplicit_number_orders"))
            seen[outcome.kind] += 1
            assert_an_envelope_or_a_validation_error(outcome)

        check_one()

    assert set(seen) == {"answered", "APIResponseValidationError"}


def test_any_error_body_gives_the_typed_status_error() -> None:
    with Harness() as harness:

        @BOUNDED
        @given(
            status=st.sampled_from([400, 401, 403, 404, 408, 409, 418, 422, 429, 500, 502, 503]),
            body=st.one_of(
                json_values.map(lambda value: json.dumps(value).encode()),
                st.builds(lambda errors: json.dumps({"errors": errors}).encode(), json_values),
                raw_bodies,
            ),
        )
        def check_one(status: int, body: bytes) -> None:
            harness.sandbox.reset()
            harness.sandbox.faults.malformed(body=body, status=status)
            error = attempt(harness, lambda: retrieve(harness.client, "number_orders")).error
            assert type(error) is status_error_class(status)
            assert isinstance(error, APIStatusError)
            assert error.status_code == status
            assert all(isinstance(detail, ErrorDetail) for detail in error.errors)
            assert str(error).startswith(f"GET /v2/number_orders/any -> {status}")

        check_one()


# Whatever a caller passes


ids = st.one_of(
    st.text(max_size=20),
    st.text(st.characters(categories=["Cs", "Cc", "Zs", "Zl", "Cf"]), min_size=1, max_size=4),
    st.sampled_from([".", "..", "a/b", "../x", "%2e%2e", "?x=1", "#frag", " ", "a b", "\u00fc", "\u2028"]),
    st.integers(),
    st.none(),
    st.binary(max_size=4),
)


def test_any_id_is_refused_or_stays_in_its_path_segment() -> None:
    seen: Counter[str] = Counter()
    with Harness() as harness:

        @BOUNDED
        @given(resource=st.sampled_from(RESOURCES), order_id=ids)
        def check_one(resource: str, order_id: Any) -> None:
            harness.sandbox.reset()
            outcome = attempt(harness, lambda: retrieve(harness.client, resource, order_id))
            assert_refused_or_answered(outcome)
            seen[outcome.kind] += 1
            if outcome.kind == "status error":
                assert isinstance(outcome.error, NotFoundError)
                (request,) = harness.sandbox.requests
                assert request.raw_path == PREFIXES[resource] + quote(order_id, safe="")
                assert request.query == []

        check_one()

    assert set(seen) == {"refused", "status error"}


_STRANGE = object()


def _mostly(valid: list[Any], strange: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid value about four times in five, else a strange one."""
    choices = st.sampled_from([*valid * 4, _STRANGE] if len(valid) > 1 else [*valid * 8, _STRANGE, _STRANGE])
    return choices.flatmap(lambda choice: strange if choice is _STRANGE else st.just(choice))


ordering_groups = st.fixed_dictionaries(
    {
        "country_iso": _mostly(
            ["US", "CA"], st.sampled_from(["us", "GB", "U", "USA", "", "1A"]) | st.integers()
        ),
        "phone_number_type": _mostly(
            ["local", "toll_free"], st.sampled_from(["mobile", "", "bogus"]) | st.none()
        ),
        "count_requested": _mostly([1, 2], st.sampled_from([0, -1, True, 1.0, "2", None, 10**6])),
    },
    optional={
        "national_destination_code": _mostly(["312"], st.sampled_from(["", "abc"]) | st.integers()),
        "strategy": _mostly(["always", "never"], st.sampled_from(["sometimes", ""])),
        "phone_number": _mostly(
            [{"starts_with": "312"}, {}],
            st.fixed_dictionaries({}, optional={"contains": st.text(max_size=2) | st.integers()})
            | st.text(max_size=2),
        ),
        "features": _mostly(
            [["voice", "sms"]], st.lists(st.sampled_from(["voice", ""]), max_size=2) | st.text(max_size=3)
        ),
        "quickship": _mostly([True, False], st.integers(0, 1)),
        "exclude_held_numbers": _mostly([True, False], st.text(max_size=1)),
    },
)
ordering_group_lists = st.one_of(
    st.lists(ordering_groups, min_size=1, max_size=3),
    st.lists(ordering_groups, max_size=2).map(
        lambda groups: [*groups, {**(groups or [{}])[0], "bogus_key": 1}]
    ),
    st.sampled_from([[], None, "US", {}, ({},)]),
)
settings_text = _mostly([None, "ref-1"], st.text(max_size=6) | st.integers())


def test_any_create_arguments_are_refused_or_answered() -> None:
    seen: Counter[str] = Counter()
    with Harness() as harness:

        @BOUNDED
        @given(groups=ordering_group_lists, customer_reference=settings_text, connection_id=settings_text)
        @example(  # whether Telnyx sells numbers there is its own to say: a 422
            groups=[{"country_iso": "GB", "phone_number_type": "local", "count_requested": 1}],
            customer_reference=None,
            connection_id=None,
        )
        def check_one(groups: Any, customer_reference: Any, connection_id: Any) -> None:
            harness.sandbox.reset()
            outcome = attempt(
                harness,
                lambda: harness.client.inexplicit_number_orders.create(
                    ordering_groups=groups, customer_reference=customer_reference, connection_id=connection_id
                ),
            )
            assert_refused_or_answered(outcome)
            seen[outcome.kind] += 1
            if isinstance(outcome.error, APIStatusError):
                assert outcome.error.status_code in (400, 422)
                assert outcome.error.may_have_taken_effect is False, "a 4xx says the order was not placed"
            elif outcome.error is None:
                assert isinstance(outcome.result, Envelope)
                order: Any = outcome.result.data  # pyright: ignore[reportUnknownMemberType]
                assert order.customer_reference == customer_reference

        check_one()

    assert set(seen) == {"refused", "answered", "status error"}


pages = st.one_of(st.none(), st.integers(-3, 300), st.booleans(), st.floats(), st.text(max_size=2))
moments = st.one_of(
    st.none(),
    st.datetimes(timezones=st.just(timezone.utc)),
    st.datetimes(),  # naive: refused, since "later than" would be a guess
    st.datetimes(timezones=st.just(timezone(timedelta(hours=-5)))).map(datetime.isoformat),
    st.text(max_size=8),
    st.integers(),
)


async def listing(client: AsyncTelnyx, arguments: dict[str, Any]) -> object:
    paginator = client.number_orders.list(**arguments)  # bad arguments are refused here, sending nothing
    return await paginator


def test_any_listing_arguments_are_refused_or_answered() -> None:
    seen: Counter[str] = Counter()
    with Harness() as harness:
        harness.sandbox.add_number_order(customer_reference="kept")

        @BOUNDED
        @given(
            page_number=pages,
            page_size=pages,
            status=settings_text,
            created_at_gt=moments,
            created_at_lt=moments,
            phone_numbers_count=st.one_of(st.none(), st.integers(-2, 3), st.booleans(), st.text(max_size=1)),
            customer_reference=settings_text,
            requirements_met=st.one_of(st.none(), st.booleans(), st.integers(0, 1), st.text(max_size=1)),
        )
        def check_one(**arguments: Any) -> None:
            harness.sandbox.requests.clear()
            outcome = attempt(harness, lambda: listing(harness.client, arguments))
            assert_refused_or_answered(outcome)
            seen[outcome.kind] += 1
            if isinstance(outcome.error, APIStatusError):
                assert outcome.error.status_code in (400, 422)
            elif outcome.error is None:
                assert isinstance(outcome.result, AsyncPage)

        check_one()

    assert seen["refused"] > 0
    assert seen["answered"] > 0


timeouts = st.one_of(
    st.none(),
    st.floats(),
    st.integers(-2, 10**9),
    st.booleans(),
    st.text(max_size=3),
    st.builds(
        Timeout,
        total=st.none() | st.floats(0.5, 1e9),
        connect=st.none() | st.floats(0.5, 60),
        read=st.none() | st.floats(0.5, 60),
    ),
)
header_names = st.one_of(
    st.from_regex(r"X-[A-Za-z0-9-]{1,10}", fullmatch=True),
    st.text(max_size=6),
    st.sampled_from(["Content-Length", "Host", "authorization", "Accept", "X-Trace", "Transfer-Encoding"]),
)
header_maps = st.one_of(
    st.none(),
    st.dictionaries(header_names, st.text(max_size=10), max_size=3),
    st.sampled_from([[("X-A", "1")], "X-A: 1", {"X-A": 1}, {1: "x"}]),
)


def test_any_call_options_are_refused_or_answered() -> None:
    seen: Counter[str] = Counter()
    with Harness() as harness:
        order_id = harness.sandbox.add_inexplicit_number_order()["id"]

        @BOUNDED
        @given(
            timeout=timeouts,
            max_retries=st.one_of(st.none(), st.integers(-2, 10**6), st.booleans(), st.floats(0, 3)),
            extra_headers=header_maps,
        )
        def check_one(timeout: Any, max_retries: Any, extra_headers: Any) -> None:
            harness.sandbox.requests.clear()
            options = {"timeout": timeout, "max_retries": max_retries, "extra_headers": extra_headers}
            outcome = attempt(
                harness, lambda: retrieve(harness.client, "inexplicit_number_orders", order_id, **options)
            )
            seen[outcome.kind] += 1
            if isinstance(outcome.error, APITimeoutError):
                assert isinstance(timeout, float), "only a tiny deadline runs out against a loopback sandbox"
                assert timeout < 0.5
                return
            assert outcome.kind in ("refused", "answered"), (
                "a valid retrieve of an order that exists is answered"
            )
            assert (outcome.sent == 0) == (outcome.kind == "refused")
            if outcome.kind == "answered":
                assert isinstance(outcome.result, Envelope)
                order: Any = outcome.result.data  # pyright: ignore[reportUnknownMemberType]
                assert order.id == order_id
                (request,) = harness.sandbox.requests
                assert request.headers["authorization"] == f"Bearer {harness.sandbox.api_key}"

        check_one()

    assert seen["refused"] > 0
    assert seen["answered"] > 0


@BOUNDED
@given(
    api_key=st.text(min_size=1, max_size=12) | st.integers(),
    base_url=st.one_of(
        st.text(max_size=20),
        st.from_regex(r"(https?|ftp)://[a-z0-9.\[\]:@-]{1,20}(/[a-z0-9?#]{0,6})?", fullmatch=True),
        st.sampled_from(
            ["http://127.0.0.1:9/v2", "https://api.telnyx.com/v2", "http://[::1", "http://x:99999"]
        ),
        st.integers(),
    ),
    timeout=timeouts.filter(lambda value: value is not None),
    max_retries=st.one_of(st.integers(-1, 5), st.booleans(), st.floats(0, 2)),
    default_headers=header_maps,
    max_connections=st.integers(-1, 200) | st.booleans(),
    max_response_bytes=st.one_of(st.integers(-1, 2**40), st.floats(1, 10), st.booleans()),
    allow_insecure_http=st.one_of(st.booleans(), st.integers(0, 1), st.none()),
)
def test_any_client_settings_are_refused_or_make_a_client(**arguments: Any) -> None:
    try:
        made: AsyncTelnyx | Exception = AsyncTelnyx(**arguments)
    except (ValueError, TypeError, TelnyxError) as error:
        made = error
    if isinstance(made, AsyncTelnyx):
        assert not made.is_closed
        assert made.base_url == str(arguments["base_url"]).rstrip("/")
    elif not isinstance(made, (ValueError, TypeError)):
        assert "No API key" in str(made), "the one TelnyxError a constructor raises"
