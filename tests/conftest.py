from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from telnyx_orders import AsyncTelnyx, HTTPRequest, HTTPResponse, MockTransport, RetryPolicy
from telnyx_orders.testing import Sandbox


class SleepRecorder:
    """Stands in for asyncio.sleep so retry tests see the delays without waiting them out."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as running:
        yield running


@pytest.fixture(scope="module")
def sandbox_thread() -> Iterator[Sandbox]:
    """A sandbox served from a thread of its own, for blocking clients and the command line; one a module."""
    with Sandbox(lifecycle_step=0.02).serve_in_thread() as running:
        yield running


@pytest.fixture
def served_sandbox(sandbox_thread: Sandbox) -> Iterator[Sandbox]:
    """`sandbox_thread`, forgetting after each test what the test stored, scripted and changed."""
    yield sandbox_thread
    sandbox_thread.reset()
    sandbox_thread.lifecycle_step = 0.02


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def client(sandbox: Sandbox, sleeps: SleepRecorder) -> AsyncIterator[AsyncTelnyx]:
    """A client of the sandbox whose retries wait the unjittered schedule, recorded instead of slept."""
    retries = RetryPolicy(jitter=None, sleep=sleeps)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=retries) as bound:
        yield bound


# In memory: a client whose transport answers from a script.

Answer = HTTPResponse | BaseException
Connect = Callable[..., AsyncTelnyx]


def status(code: int, **headers: str) -> HTTPResponse:
    return HTTPResponse(code, "", headers, b'{"errors": [{"code": "10007", "title": "Failure"}]}')


class Script:
    """Answers requests in turn from `answers`, the last one for every request after it."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[HTTPRequest] = []

    def __call__(self, request: HTTPRequest) -> HTTPResponse:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


@pytest.fixture
async def connect(sleeps: SleepRecorder) -> AsyncIterator[Callable[..., AsyncTelnyx]]:
    """Makes a client whose transport follows a script and whose retries wait the unjittered schedule."""
    clients: list[AsyncTelnyx] = []

    def make(script: Script, **settings: Any) -> AsyncTelnyx:
        policy = RetryPolicy(jitter=None, sleep=sleeps)
        client = AsyncTelnyx("key", transport=MockTransport(script), retry_policy=policy, **settings)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by the openssl command line."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = (
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
        " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
    )
    subprocess.run(
        [*command.split(), "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key
