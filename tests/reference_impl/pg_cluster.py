"""PostgreSQL for the reference server's tests: a server URL, and a fresh schema per test.

Where the server comes from, first match wins:

1. ``KIKAN_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://user:pass@127.0.0.1:5432/db``): an
   existing database; each test gets its own schema in it, dropped afterwards;
2. a throwaway cluster started for the test session when ``initdb`` and ``pg_ctl`` are found (on the
   ``PATH`` or under ``/usr/lib/postgresql/*/bin``): a temporary folder, a free port on 127.0.0.1, no
   fsync, and a database whose default collation is ICU ``ja-JP`` (so a query that forgot the
   server's code-point collation would order differently and fail); stopped and removed at the end;
3. otherwise the PostgreSQL tests are skipped, with the reason. With ``KIKAN_REQUIRE_POSTGRES=1``
   (CI sets it) they fail instead: a CI run cannot pass with PostgreSQL silently untested.

As root (CI), the cluster runs as the ``postgres`` user that Debian's package creates.

Import the fixtures into a test module: ``from pg_cluster import postgres_server, postgres_url``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ENV_URL = "KIKAN_TEST_POSTGRES_URL"
ENV_REQUIRE = "KIKAN_REQUIRE_POSTGRES"
#: the role the throwaway cluster is initialised with (trust authentication on 127.0.0.1 only)
ROLE = "kikan"
DATABASE = "kikan_test"


def unavailable(reason: str) -> None:
    """Skip (or fail, when ``KIKAN_REQUIRE_POSTGRES`` is set) the requesting test with ``reason``."""
    message = f"PostgreSQL not available: {reason}"
    if os.environ.get(ENV_REQUIRE, "").strip() not in ("", "0"):
        pytest.fail(f"{message} ({ENV_REQUIRE} is set)", pytrace=False)
    pytest.skip(message)


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: on the PATH, else the newest Debian install."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    candidates = [
        Path(p)
        for p in glob.glob("/usr/lib/postgresql/*/bin")
        if (Path(p) / "initdb").exists() and (Path(p) / "pg_ctl").exists()
    ]

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in path.parent.name.split(".") if x.isdigit())

    return max(candidates, key=version) if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, run by ``user`` (None: this user)."""

    bin_dir: Path
    root: Path
    user: str | None
    port: int = 0

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            runuser = shutil.which("runuser") or next(
                (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.path.exists(p)), "runuser"
            )
            cmd = [runuser, "-u", self.user, "--", *cmd]
        return subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, cwd=self.root
        )

    @property
    def data(self) -> Path:
        return self.root / "data"

    def start(self) -> None:
        """initdb, then start on a free port; raises RuntimeError with the tool's output on failure."""
        done = self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            ROLE,
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {(done.stderr or done.stdout).strip()[-500:]}")
        last = ""
        for _attempt in range(3):  # a free port can be taken between probing and listening
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            done = self._run(
                "pg_ctl",
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.root / "log"),
                "-w",
                "-t",
                "60",
                "start",
            )
            if done.returncode == 0:
                return
            last = (
                (self.root / "log").read_text(errors="replace")[-500:] if (self.root / "log").exists() else ""
            )
        raise RuntimeError(f"pg_ctl start failed: {last.strip() or done.stderr.strip()}")

    def stop(self) -> None:
        """Stop at once (nothing to keep) and remove the folder."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{ROLE}@127.0.0.1:{self.port}/postgres"


def _sqlalchemy_url(url: str) -> str:
    """``postgresql://…`` (libpq style) as a SQLAlchemy URL on psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _create_test_database(admin_url: str) -> str:
    """A fresh database collating as ICU ja-JP when the server has ICU (the default otherwise)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            try:
                conn.exec_driver_sql(
                    f"CREATE DATABASE {DATABASE} LOCALE_PROVIDER icu ICU_LOCALE 'ja-JP' TEMPLATE template0"
                )
            except DBAPIError:  # a server without ICU (or older than 15)
                conn.exec_driver_sql(f"CREATE DATABASE {DATABASE}")
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=DATABASE).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The SQLAlchemy URL of a PostgreSQL database the tests may create schemas in (see the module
    docstring for where it comes from); skips the requesting tests when there is none."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install 'psycopg[binary]')")
    given = os.environ.get(ENV_URL, "").strip()
    if given:
        yield _sqlalchemy_url(given)
        return
    bin_dir = find_bin_dir()
    if bin_dir is None:
        unavailable(
            f"no initdb/pg_ctl on the PATH or under /usr/lib/postgresql/*/bin, and {ENV_URL} is not set"
        )
    user = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            unavailable("running as root and there is no postgres user to run initdb as")
        user = "postgres"
    root = Path(tempfile.mkdtemp(prefix="kikan-pg-"))
    if user is not None:
        shutil.chown(root, user)
    cluster = Cluster(bin_dir, root, user)
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        cluster.stop()
        unavailable(f"cannot start a throwaway cluster with {bin_dir}: {exc}")
    try:
        yield _create_test_database(cluster.url)
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A URL whose connections see only a fresh, empty schema of their own (dropped afterwards)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    schema = "kt_" + uuid.uuid4().hex[:12]
    # a fresh connection each time: a test may terminate the connections it sees
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = make_url(postgres_server).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        admin.dispose()
