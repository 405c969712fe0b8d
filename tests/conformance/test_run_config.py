"""``kikan run`` settings: the command line, then KIKAN_* variables, then kikan.toml, then defaults;
secrets only from the environment; every bad setting a one-line error; auth refusals in one line."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from fake_standards import demo_standards
from fake_target import CLIENT, FakeTarget

from conformance.context import TargetError
from conformance.run import RunOptions, execute
from conformance.testing import AsgiTransport
from kikan import run_config
from kikan.cli import UserError, main


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    for name in ("target", "client-id", "client-secret", "token", "operations", "profile"):
        parser.add_argument(f"--{name}")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--out", type=Path)
    run_config.add_arguments(parser)
    return parser.parse_args(list(argv))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kikan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_command_line_then_environment_then_file_then_defaults(tmp_path) -> None:
    config = _write(
        tmp_path,
        '[run]\ntarget = "https://file.example"\nclient_id = "from-file"\noperations = ["juki", "inkan"]\n'
        'profile = "standard"\nseed = 7\ntime_budget = 900\n',
    )
    args = _args("--config", str(config), "--seed", "3")
    run_config.resolve(args, {"KIKAN_CLIENT_ID": "from-env", "KIKAN_CLIENT_SECRET": "s3cret"})
    assert args.seed == 3  # command line
    assert args.client_id == "from-env" and args.client_secret == "s3cret"  # environment
    assert args.target == "https://file.example" and args.operations == "juki,inkan"  # file
    assert args.profile == "standard" and args.time_budget == 900.0
    assert (
        args.request_timeout == 60.0 and args.out == Path("kikan-report") and args.token is None
    )  # defaults


def test_kikan_toml_in_the_current_folder_is_read(tmp_path, monkeypatch) -> None:
    _write(tmp_path, '[run]\ntarget = "https://here.example"\n')
    monkeypatch.chdir(tmp_path)
    args = _args()
    run_config.resolve(args, {})
    assert args.target == "https://here.example"


@pytest.mark.parametrize(
    ("text", "env", "words"),
    [
        ('[run]\nclient_secret = "x"\n', {}, "KIKAN_CLIENT_SECRET"),
        ('[run]\ntoken = "x"\n', {}, "KIKAN_TOKEN"),
        ("[run]\ntarget = \n", {}, "not valid TOML"),
        ('[run]\ntargte = "x"\n', {}, "unknown settings: targte"),
        ('[run]\nprofile = "fast"\n', {}, "must be one of quick"),
        ("", {"KIKAN_SEED": "many"}, "KIKAN_SEED"),
        ("", {"KIKAN_REQUEST_TIMEOUT": "0"}, "must be positive"),
    ],
)
def test_bad_settings_are_one_line(tmp_path, text: str, env: dict[str, str], words: str) -> None:
    args = _args("--config", str(_write(tmp_path, text)))
    with pytest.raises(UserError) as info:
        run_config.resolve(args, env)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_missing_named_file_is_an_error_but_a_missing_default_is_not(tmp_path, monkeypatch) -> None:
    with pytest.raises(UserError, match="no such settings file"):
        run_config.resolve(_args("--config", str(tmp_path / "nope.toml")), {})
    monkeypatch.chdir(tmp_path)
    args = _args()
    run_config.resolve(args, {})
    assert args.profile == "quick" and args.target is None


def test_secret_from_the_environment_never_reaches_the_report(tmp_path, monkeypatch, capsys) -> None:
    """``kikan run`` with the target and secret from the environment: the refusal is one line naming
    the OAuth error, and neither the secret nor a bytes literal is printed."""
    monkeypatch.setenv("KIKAN_TARGET", "http://127.0.0.1:9")
    monkeypatch.setenv("KIKAN_CLIENT_ID", "someone")
    monkeypatch.setenv("KIKAN_CLIENT_SECRET", "very-secret-value")
    monkeypatch.chdir(tmp_path)
    code = main(["run", "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert code == 2 and "very-secret-value" not in err and len(err.strip().splitlines()) == 1


def test_refused_credentials_are_one_line_with_the_oauth_error(tmp_path) -> None:
    with pytest.raises(TargetError) as info:
        execute(
            RunOptions(
                target="http://testserver",
                client_id=CLIENT[0],
                client_secret="wrong-secret",
                out_dir=tmp_path,
                transport=AsgiTransport(FakeTarget().app),
                standards=demo_standards(),
            ),
            out=lambda line: None,
        )
    message = str(info.value)
    assert "POST /oauth/token answered 401: invalid_client" in message
    assert "b'" not in message and "wrong-secret" not in message and "\n" not in message
