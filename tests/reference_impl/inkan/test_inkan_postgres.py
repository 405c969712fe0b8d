"""The inkan server tests again, on PostgreSQL: the same test bodies, the server storing in a fresh
PostgreSQL schema (:mod:`pg_cluster`). Skipped, with the reason, where no PostgreSQL is available."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import test_inkan
from conftest import ADMIN, READER, TestClient
from pg_cluster import postgres_server, postgres_url  # noqa: F401  (fixtures)
from test_inkan import TODAY, ink, standards  # noqa: F401  (fixtures)

from reference_impl.app import create_app
from reference_impl.operations import load_rules
from reference_impl.settings import Settings

# Every test of test_inkan is collected again here, with the client below.
globals().update({name: fn for name, fn in vars(test_inkan).items() if name.startswith("test_")})


@pytest.fixture
def client(postgres_url: str, standards: Any) -> Iterator[TestClient]:  # noqa: F811
    settings = Settings(
        database_url=postgres_url,
        clients=(ADMIN, READER),
        standards=standards,
        rules=load_rules(["juki", "inkan"]),
        audit_flush_seconds=0.05,
        clock=lambda: TODAY,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c
