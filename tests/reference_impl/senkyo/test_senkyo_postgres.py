"""The senkyo server tests again, on PostgreSQL: the same test bodies, the server storing in a fresh
PostgreSQL schema (:mod:`pg_cluster`). Skipped, with the reason, where no PostgreSQL is available."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import test_senkyo
from conftest import ADMIN, READER, TestClient
from pg_cluster import postgres_server, postgres_url  # noqa: F401  (fixtures)
from test_senkyo import TODAY, sk, standards  # noqa: F401  (fixtures)

from reference_impl.app import create_app
from reference_impl.operations import load_rules
from reference_impl.settings import Settings

# Every test of test_senkyo is collected again here, with the client below.
globals().update({name: fn for name, fn in vars(test_senkyo).items() if name.startswith("test_")})


@pytest.fixture
def client(postgres_url: str, standards: Any) -> Iterator[TestClient]:  # noqa: F811
    settings = Settings(
        database_url=postgres_url,
        clients=(ADMIN, READER),
        standards=standards,
        rules=load_rules(["juki", "senkyo"]),
        audit_flush_seconds=0.05,
        clock=lambda: TODAY,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c
