"""Fixtures for engine tests: the fake ``demo`` target and a RunContext talking to it in-process."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_openapi import demo_openapi  # noqa: E402
from fake_standards import demo_standards  # noqa: E402
from fake_target import CLIENT, FakeTarget  # noqa: E402

from conformance.client import Client, Credentials  # noqa: E402
from conformance.context import RunContext, read_claims  # noqa: E402
from conformance.testing import AsgiTransport  # noqa: E402


def make_context(target: FakeTarget, seed: int = 0) -> RunContext:
    """A RunContext whose client talks to ``target`` in-process."""
    client = Client("http://testserver", AsgiTransport(target.app), Credentials(*CLIENT))
    return RunContext(
        client=client,
        standards=demo_standards(),
        claims=read_claims(client),
        seed=seed,
        openapi_source=demo_openapi,
    )


@pytest.fixture
def context_for() -> Callable[..., RunContext]:
    """``context_for(faults...)``: a RunContext against a fake target breaking those rules."""

    def build(*faults: str, environment: str = "test", seed: int = 0) -> RunContext:
        return make_context(FakeTarget(set(faults), environment=environment), seed)

    return build
