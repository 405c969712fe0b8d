"""``kikan run``'s settings from a configuration file and the environment, beside the command line.

Precedence: the command line, then the environment (``KIKAN_TARGET``, ``KIKAN_CLIENT_ID`` …), then
the configuration file (``--config FILE``, or ``kikan.toml`` in the current folder), then the
defaults. The file holds the ``[run]`` table; secrets are never read from it: the client secret
and the token come from the environment (or the command line), so the file can be committed and
nothing secret reaches the report, whose command line names neither.

```toml
[run]
target = "https://test.example.lg.jp"
client_id = "vendor-a"
operations = ["juki", "inkan"]
profile = "standard"
seed = 42
out = "report"
request_timeout = 30
max_response_bytes = 33554432
time_budget = 3600
```
"""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kikan.cli import UserError

DEFAULT_FILE = Path("kikan.toml")
PROFILES = ("quick", "standard", "certify")
SECRETS = ("client_secret", "token")


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError("must be positive")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be positive")
    return value


def _profile(text: str) -> str:
    if text not in PROFILES:
        raise ValueError(f"must be one of {', '.join(PROFILES)}")
    return text


def _operations(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)
    if isinstance(value, str):
        return value
    raise ValueError("must be a list of operation ids or a comma-separated string")


#: setting -> (environment variable, converter of its text, default)
SETTINGS: dict[str, tuple[str, Callable[[Any], Any], Any]] = {
    "target": ("KIKAN_TARGET", str, None),
    "client_id": ("KIKAN_CLIENT_ID", str, None),
    "client_secret": ("KIKAN_CLIENT_SECRET", str, None),
    "token": ("KIKAN_TOKEN", str, None),
    "operations": ("KIKAN_OPERATIONS", _operations, None),
    "profile": ("KIKAN_PROFILE", _profile, "quick"),
    "seed": ("KIKAN_SEED", int, 0),
    "out": ("KIKAN_OUT", Path, Path("kikan-report")),
    "request_timeout": ("KIKAN_REQUEST_TIMEOUT", _positive_float, 60.0),
    "max_response_bytes": ("KIKAN_MAX_RESPONSE_BYTES", _positive_int, 32 * 1024 * 1024),
    "time_budget": ("KIKAN_TIME_BUDGET", _positive_float, None),
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options this module resolves (their defaults are None: unset means 'look further')."""
    p.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"settings file (TOML, table [run]; default ./{DEFAULT_FILE} when it exists); secrets come "
        "from KIKAN_CLIENT_SECRET / KIKAN_TOKEN, never from the file",
    )
    p.add_argument(
        "--request-timeout",
        type=float,
        metavar="SECONDS",
        help="the most one request may take, connecting to the last byte (default 60; KIKAN_REQUEST_TIMEOUT)",
    )
    p.add_argument(
        "--max-response-bytes",
        type=int,
        metavar="N",
        help="a larger response body is not read and the request errs (default 33554432 = 32 MiB)",
    )
    p.add_argument(
        "--time-budget",
        type=float,
        metavar="SECONDS",
        help="seconds for the whole run; then the remaining tests are not run and the verdict says the run "
        "is partial (default: quick 1800, standard 7200, certify 28800; KIKAN_TIME_BUDGET)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only notes, the counts and the verdict")


def _read_file(path: Path, explicit: bool) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise UserError(f"設定ファイルがありません / no such settings file: {path}") from None
        return {}
    except OSError as exc:
        raise UserError(f"設定ファイルを読めません / cannot read the settings file {path}: {exc}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"設定ファイルの形式が誤っています / {path} is not valid TOML: {exc}") from None
    table = doc.get("run", {})
    if not isinstance(table, dict):
        raise UserError(f"{path}: [run] は表でなければなりません / [run] must be a table")
    for secret in SECRETS:
        if secret in table:
            env = SETTINGS[secret][0]
            raise UserError(
                f"{path}: {secret} は設定ファイルに書けません。環境変数 {env} を使ってください / "
                f"{secret} cannot be in the settings file; set the environment variable {env}"
            )
    unknown = sorted(set(table) - set(SETTINGS))
    if unknown:
        raise UserError(
            f"{path}: 不明な設定 / unknown settings: {', '.join(unknown)} (known: {', '.join(sorted(SETTINGS))})"
        )
    return table


def resolve(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> None:
    """Fill every setting of ``args`` left unset on the command line from the environment, the
    settings file and the defaults, in that order; a bad value is a one-line UserError."""
    env = os.environ if environ is None else environ
    explicit = getattr(args, "config", None) is not None
    table = _read_file(args.config if explicit else DEFAULT_FILE, explicit)
    for name, (variable, convert, default) in SETTINGS.items():
        if getattr(args, name, None) is not None:
            continue
        source, raw = None, None
        if env.get(variable):
            source, raw = variable, env[variable]
        elif name in table:
            source, raw = f"{args.config or DEFAULT_FILE}: {name}", table[name]
        if source is None:
            setattr(args, name, default)
            continue
        try:
            setattr(args, name, convert(raw))
        except (TypeError, ValueError) as exc:
            raise UserError(f"設定値が不正です / invalid setting {source} = {raw!r}: {exc}") from None
