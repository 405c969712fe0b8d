"""``kikan serve``: run the reference server (uvicorn) on SQLite or PostgreSQL."""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from kikan.cli import UserError


def add_parser(sub: Any) -> None:
    """Register ``kikan serve``."""
    p = sub.add_parser(
        "serve",
        help="参照実装を起動する / start the reference server",
        description="参照実装サーバを起動する / Start the reference implementation server.",
    )
    p.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port; 0 picks a free one (default 8000)")
    p.add_argument(
        "--database", metavar="PATH", default=None, help="SQLite file (default ./kikan-reference.sqlite3)"
    )
    p.add_argument(
        "--database-url",
        metavar="URL",
        default=None,
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user:pass@host/db",
    )
    p.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="ID:SECRET:SCOPES",
        help="an OAuth client; scopes comma-separated, empty or * for all (repeatable)",
    )
    p.add_argument(
        "--clients-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="JSON list of {client_id, client_secret, scopes}",
    )
    p.add_argument(
        "--ready-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="once listening, write {url, clients} here as JSON (atomically)",
    )
    p.add_argument(
        "--standards-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="serve the standards under DIR (common/, operations/) instead of the packaged ones; "
        "refused unless they pass kikan standards lint",
    )
    p.add_argument("--token-ttl", type=int, default=3600, help="bearer token lifetime in seconds")
    p.add_argument(
        "--today",
        type=processing_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="run at this fixed processing date (処理日) instead of today by the clock",
    )
    p.add_argument(
        "--fixed-clock",
        action="store_true",
        help="do not let clients set the processing date (PUT /test/clock, scope test:clock)",
    )
    p.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    p.set_defaults(func=run)


def processing_date(text: str) -> date:
    """A ``--today`` value: a calendar date written ``YYYY-MM-DD``."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"処理日は YYYY-MM-DD の実在する日付です / not a YYYY-MM-DD calendar date: {text!r}"
        ) from None


def database_url(args: argparse.Namespace) -> str:
    """The SQLAlchemy URL from ``--database-url`` or ``--database`` (a checked SQLite path)."""
    from reference_impl.settings import DEFAULT_DATABASE

    if args.database_url and args.database:
        raise UserError("give --database or --database-url, not both")
    if args.database_url:
        return str(args.database_url)
    path = Path(args.database or DEFAULT_DATABASE).expanduser().resolve()
    if not path.parent.is_dir():
        raise UserError(f"database folder does not exist: {path.parent} (create it or choose --database)")
    if path.exists() and not path.is_file():
        raise UserError(f"database path is not a file: {path}")
    return f"sqlite:///{path}"


def write_ready_file(path: Path, document: dict[str, Any]) -> None:
    """Write the ready file atomically (temporary name, then rename)."""
    path = path.expanduser().resolve()
    fd, tmp = tempfile.mkstemp(prefix=".ready-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def run(args: argparse.Namespace) -> int:
    """Start the server; returns when it is stopped (Ctrl-C / SIGTERM)."""
    import uvicorn

    from reference_impl.app import StartupError, create_app
    from reference_impl.settings import Settings, SettingsError, load_clients_file, parse_client_spec

    try:
        clients = [parse_client_spec(spec) for spec in args.client]
        if args.clients_file is not None:
            clients.extend(load_clients_file(args.clients_file))
    except SettingsError as exc:
        raise UserError(str(exc)) from exc
    if args.ready_file is not None and not args.ready_file.expanduser().resolve().parent.is_dir():
        raise UserError(f"ready-file folder does not exist: {args.ready_file.parent}")
    if not 0 <= args.port <= 65535:
        raise UserError(f"port must be 0–65535, got {args.port}")
    standards = None
    if args.standards_dir is not None:
        from kikan.standards_dir import checked_standards

        standards = checked_standards(args.standards_dir)
    settings = Settings(
        database_url=database_url(args),
        clients=tuple(clients),
        standards=standards,
        token_ttl_seconds=args.token_ttl,
        today=args.today,
        clock_settable=not args.fixed_clock,
    ).with_development_client()
    try:
        app = create_app(settings)
    except StartupError as exc:
        raise UserError(str(exc)) from exc

    sock = _bind(args.host, args.port)
    port = sock.getsockname()[1]
    host = args.host if ":" not in args.host else f"[{args.host}]"
    url = f"http://{host}:{port}"
    tokens = app.state.server.tokens
    clients_json = [c.as_json(tokens.all_scopes) for c in settings.clients]

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                _announce(url, settings, clients, clients_json, args.ready_file)

    config = uvicorn.Config(
        app, log_level=args.log_level, access_log=False, lifespan="on", timeout_graceful_shutdown=5
    )
    server = Server(config)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it: make that a clean exit (status 0).
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
        if args.ready_file is not None:
            args.ready_file.unlink(missing_ok=True)
    return 0


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP; without it
    # Nagle and delayed ACKs add ~40 ms to responses written in two parts (headers, then body).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _announce(
    url: str,
    settings: Any,
    configured: list[Any],
    clients_json: list[dict[str, Any]],
    ready_file: Path | None,
) -> None:
    print(f"kikan serve: 起動しました / listening on {url}", flush=True)
    if not configured:
        dev = clients_json[0]
        print(
            f"kikan serve: 開発用クライアント / development client: id={dev['client_id']} "
            f"secret={dev['client_secret']} (all scopes)",
            flush=True,
        )
    if ready_file is not None:
        write_ready_file(ready_file, {"url": url, "clients": clients_json})
    sys.stdout.flush()
