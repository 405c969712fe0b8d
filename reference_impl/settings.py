"""Settings of the reference server: database, OAuth clients, token lifetime, audit batching."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from standards.model import Standards

#: Scope that grants reading the audit log (監査ログの閲覧).
AUDIT_SCOPE = "audit:read"

#: Scope that grants setting the processing date of a test environment (試験環境の処理日の設定).
CLOCK_SCOPE = "test:clock"

DEFAULT_DATABASE = "kikan-reference.sqlite3"


class SettingsError(ValueError):
    """A setting the user gave cannot be used (bad client spec, unreadable clients file)."""


@dataclass(frozen=True)
class ClientConfig:
    """An OAuth 2.0 client (client credentials grant) and the scopes it may ask for.

    An empty ``scopes`` tuple means every scope the server knows (a development client).
    """

    client_id: str
    client_secret: str
    scopes: tuple[str, ...] = ()

    def as_json(self, all_scopes: tuple[str, ...]) -> dict[str, Any]:
        """The client as written to the ready file: id, secret and the effective scopes."""
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "scopes": list(self.scopes or all_scopes),
        }


@dataclass(frozen=True)
class Settings:
    """Everything :func:`reference_impl.app.create_app` needs.

    ``standards`` defaults to :func:`standards.loader.load_standards`; ``rules`` maps an operation
    id to its rules module and defaults to the registry in :mod:`reference_impl.operations`; only
    operations with a rules module are served. ``clients`` empty means one development client with
    every scope is generated (see :meth:`with_development_client`).
    """

    database_url: str = f"sqlite:///{DEFAULT_DATABASE}"
    clients: tuple[ClientConfig, ...] = ()
    token_ttl_seconds: int = 3600
    environment: str = "test"
    standards: Standards | None = None
    rules: Mapping[str, ModuleType] | None = None
    audit_flush_seconds: float = 0.2
    audit_batch_size: int = 500
    pool_size: int = 16
    clock: Callable[[], datetime] | None = None
    #: a fixed processing date (処理日) instead of today by the clock (``kikan serve --today``)
    today: date | None = None
    #: in a test environment, authorised clients (scope test:clock) may set the processing date
    clock_settable: bool = True

    def with_development_client(self) -> Settings:
        """These settings, plus a freshly generated all-scopes client when none is configured."""
        if self.clients:
            return self
        dev = ClientConfig("dev-" + secrets.token_hex(4), secrets.token_urlsafe(24), ())
        return Settings(**{**self.__dict__, "clients": (dev,)})


def parse_client_spec(spec: str) -> ClientConfig:
    """Parse ``id:secret:scopes`` (scopes separated by commas or spaces; ``*`` or empty = all).

    Scopes themselves contain a colon (``juki:read``), so only the first two colons split.
    """
    parts = spec.split(":", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise SettingsError(f"client must be id:secret[:scopes], got {spec!r}")
    raw = parts[2] if len(parts) == 3 else ""
    scopes = tuple(s for s in raw.replace(",", " ").split() if s != "*")
    return ClientConfig(parts[0], parts[1], scopes)


def load_clients_file(path: Path) -> tuple[ClientConfig, ...]:
    """Read clients from JSON: a list (or ``{"clients": [...]}``) of
    ``{"client_id", "client_secret", "scopes"}`` objects, the ready file's shape."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"cannot read clients file {path}: {exc}") from exc
    if isinstance(data, dict):
        data = data.get("clients")
    if not isinstance(data, list):
        raise SettingsError(f"clients file {path} must hold a list of clients")
    out = []
    for i, c in enumerate(data):
        if not (
            isinstance(c, dict)
            and isinstance(c.get("client_id"), str)
            and c.get("client_id")
            and isinstance(c.get("client_secret"), str)
            and c.get("client_secret")
        ):
            raise SettingsError(f"clients file {path}: client #{i} needs client_id and client_secret")
        scopes = c.get("scopes") or []
        if isinstance(scopes, str):
            scopes = scopes.split()
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise SettingsError(f"clients file {path}: client #{i} scopes must be a list of strings")
        out.append(ClientConfig(c["client_id"], c["client_secret"], tuple(s for s in scopes if s != "*")))
    return tuple(out)
