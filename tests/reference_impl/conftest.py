"""Fixtures for the reference server's tests: a demo standard, an app on a temporary SQLite file."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():  # Starlette 1.x warns that its TestClient will move to httpx2
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
# each operation's tests (tests/reference_impl/<id>/) are importable by name: the PostgreSQL re-runs
# collect them again
sys.path += [str(p) for p in sorted(Path(__file__).parent.iterdir()) if p.is_dir() and p.name.isalpha()]

import ri_demo  # noqa: E402
import ri_demo_rules  # noqa: E402
from pg_cluster import postgres_server, postgres_url  # noqa: E402, F401  (fixtures)
from ri_registers import k, registers_standards  # noqa: E402, F401  (fixtures)

from reference_impl.app import create_app  # noqa: E402
from reference_impl.settings import ClientConfig, Settings  # noqa: E402

ADMIN = ClientConfig("admin", "admin-secret", ())
READER = ClientConfig("reader", "reader-secret", ("demo:read",))


def demo_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings serving only the demo operation on a fresh SQLite file."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'ri.sqlite3'}",
        "clients": (ADMIN, READER),
        "standards": ri_demo.STANDARDS,
        "rules": {"demo": ri_demo_rules},
        "audit_flush_seconds": 0.05,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def demo_client(tmp_path: Path) -> Iterator[TestClient]:
    """A TestClient (lifespan running) of the demo server."""
    app = create_app(demo_settings(tmp_path), schema_source=ri_demo.demo_schema_source)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def bearer(client: TestClient, who: ClientConfig = ADMIN, scope: str | None = None) -> dict[str, str]:
    """Authorization header for a fresh token of ``who``."""
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    r = client.post("/oauth/token", data=data, auth=(who.client_id, who.client_secret))
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def admin(demo_client: TestClient) -> dict[str, str]:
    """Headers of an all-scopes token."""
    return bearer(demo_client)


@pytest.fixture
def register(demo_client: TestClient, admin: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """Run the demo ``register`` command; returns the response JSON (asserting 201)."""

    def run(name: str = "山田太郎", ido_bi: str = "2024-04-01", **extra: Any) -> dict[str, Any]:
        r = demo_client.post(
            "/demo/v2/commands/register",
            json={"name": name, "birth": "1990-01-02", "ido_bi": ido_bi, **extra},
            headers=admin,
        )
        assert r.status_code == 201, r.text
        return r.json()

    return run


def juki_only_standards(tmp_root: Path, *more: str) -> Any:
    """The common standards and juki alone (plus the operations ``more``), loaded from a copy, so other
    operations' drafts in progress cannot break these tests."""
    import shutil

    from standards import DATA_DIR
    from standards.loader import load_standards

    shutil.copytree(DATA_DIR / "common", tmp_root / "common")
    for op_id in ("juki", *more):
        shutil.copytree(DATA_DIR / "operations" / op_id, tmp_root / "operations" / op_id)
    return load_standards(tmp_root)


@pytest.fixture(scope="session")
def juki_standards(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The juki standard (session-wide)."""
    return juki_only_standards(tmp_path_factory.mktemp("standards"))


@pytest.fixture
def juki_client(tmp_path: Path, juki_standards: Any) -> Iterator[TestClient]:
    """A TestClient of the reference server serving juki (the real standard and rules)."""
    from reference_impl.operations import load_rules

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'juki.sqlite3'}",
        clients=(ADMIN, READER),
        standards=juki_standards,
        rules=load_rules(["juki"]),
        audit_flush_seconds=0.05,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database of each kind: an operation's server tests run on both (the PostgreSQL one
    skips, with the reason, where no PostgreSQL is available). One fixture for every operation,
    instead of a PostgreSQL module per operation."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reference.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@contextmanager
def operation_server(database_url: str, standards: Any, operations: list[str], today: Any) -> Iterator[Any]:
    """The reference server serving ``operations`` on ``database_url`` with the clients ADMIN and
    READER and the clock fixed at ``today``: every operation's server tests start it the same way."""
    from reference_impl.operations import load_rules

    settings = Settings(
        database_url=database_url,
        clients=(ADMIN, READER),
        standards=standards,
        rules=load_rules(operations),
        audit_flush_seconds=0.05,
        clock=lambda: today,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        c.app_standards = standards  # type: ignore[attr-defined]
        yield c
