"""State machines: a failure shrinks to a short recorded sequence, its script hides every secret, and
``kikan report replay`` says "still failing" on the faulty target and "fixed" on the reference server."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from faulty import CLIENT, Fault, reference_app, rewrite_json, run

from conformance.client import Credentials
from conformance.context import open_target
from conformance.exchange import Request
from conformance.replay import FIXED, NOT_REPLAYED, STILL_FAILING, Recorded, load_machine, replay
from conformance.reproduce import curl, token_line
from conformance.testing import AsgiTransport
from kikan.cmd_replay import replay_report

JUKI_STATE = "juki/test_stateful.py::test_command_sequences_keep_invariants"


def _kyuuji_altered(ex: Any) -> None:
    """A 旧氏の記載 recorded with another 旧氏 than the one requested (the resident's record is wrong)."""
    if ex.path.endswith("/commands/kyuuji_kisai"):
        rewrite_json(ex, lambda d: {**d, "kyuuji": "山田"})


def _client(app: Any) -> tuple[Any, Any]:
    return open_target("http://testserver", Credentials(*CLIENT), transport=AsgiTransport(app))


@pytest.fixture(scope="module")
def caught(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    """The juki state machine run against a server that records every 旧氏 as 山田: (app, report)."""
    folder = tmp_path_factory.mktemp("stateful-faulty")
    app = Fault(reference_app(folder), _kyuuji_altered)
    return app, run(app, [JUKI_STATE], folder / "out").report


def _failure(report: dict[str, Any]) -> dict[str, Any]:
    failed = [t for t in report["tests"] if t["outcome"] == "failed"]
    assert len(failed) == 1, [(t["id"], t["outcome"]) for t in report["tests"]]
    return failed[0]["failure"]


def test_the_failure_is_shrunk_to_a_short_sequence(caught) -> None:
    """The recorded example is the minimal sequence: a move-in and the 旧氏の記載 (at most five steps)."""
    example = _failure(caught[1])["minimal_example"]
    assert example["machine"] == "conformance.suites.juki.test_stateful:JukiMachine"
    rules = [s["rule"] for s in example["steps"]]
    assert 1 <= len(rules) <= 5 and rules[-1] == "kyuuji_kisai", rules
    for s in example["steps"]:
        assert isinstance(s["arguments"]["data_seed"], int)
        assert s["requests"] and all(r["method"] == "POST" for r in s["requests"]), s


def test_the_script_fetches_a_token_and_names_no_secret(caught) -> None:
    """One token line reading the secret from the environment, one curl per request, no secret in it."""
    failure = _failure(caught[1])
    script = failure["reproduction"]["curl"]
    lines = [line for line in script.splitlines() if not line.startswith("#")]
    assert lines[0].startswith("KIKAN_TOKEN=$(curl") and "$KIKAN_CLIENT_SECRET" in lines[0], lines[0]
    requests = sum(len(s["requests"]) for s in failure["minimal_example"]["steps"])
    assert len(lines) == 1 + requests + 1  # the token, every command, the read that showed the failure
    assert all('"Authorization: Bearer $KIKAN_TOKEN"' in line for line in lines[1:])
    text = json.dumps(caught[1], ensure_ascii=False)
    assert CLIENT[1] not in text


def test_replay_is_still_failing_on_the_faulty_target_and_fixed_on_the_reference(caught, tmp_path) -> None:
    """The recorded sequence replays on the faulty target (which still holds the first run's data) and on
    a clean reference server."""
    app, report = caught
    client, claims = _client(app)
    [outcome] = replay_report(report, client, claims, seed=random.Random(7).randrange(2**31))
    assert outcome.status == STILL_FAILING, outcome
    assert "kyuuji" in outcome.message
    client, claims = _client(reference_app(tmp_path))
    [outcome] = replay_report(report, client, claims, seed=11)
    assert outcome.status == FIXED, outcome
    assert outcome.steps_run == len(outcome.recorded.steps)


def test_a_report_cannot_name_code_outside_the_suite(tmp_path) -> None:
    """A recorded machine must be a suite state machine; anything else is not replayed."""
    for reference in (
        "os:system",
        "conformance.suites.juki.support:JukiSession",
        "conformance.suites.juki:x",
    ):
        with pytest.raises(ValueError):
            load_machine(reference)
    client, claims = _client(reference_app(tmp_path))
    from conformance.context import RunContext
    from standards.loader import load_standards

    ctx = RunContext(client=client, standards=load_standards(), claims=claims, seed=1)
    bad = Recorded("t", "os:system", [])
    assert replay(ctx, bad).status == NOT_REPLAYED
    unknown = Recorded(
        "t", "conformance.suites.juki.test_stateful:JukiMachine", [{"rule": "nope", "arguments": {}}]
    )
    assert replay(ctx, unknown).status == NOT_REPLAYED


def test_curl_with_a_token_variable() -> None:
    """The bearer token becomes ``$KIKAN_TOKEN`` (double-quoted for the shell); the token line reads the
    client id and secret from the environment."""
    req = Request("POST", "http://t/juki/v1/commands/tenkyo", {"Authorization": "Bearer abc"}, b'{"a": 1}')
    line = curl(req, token_var="KIKAN_TOKEN")
    assert '-H "Authorization: Bearer $KIKAN_TOKEN"' in line and "abc" not in line
    assert "[REDACTED]" in curl(req) and "abc" not in curl(req)
    token = token_line("http://t/", ["juki:read", "juki:write"])
    assert '"$KIKAN_CLIENT_ID:$KIKAN_CLIENT_SECRET"' in token and "'juki:read juki:write'" in token


def test_cli_replay_errors_are_one_line(tmp_path, capsys) -> None:
    """``kikan report replay`` without credentials, or on a report recording no sequence: one line, exit 2."""
    from kikan.cli import main

    path = tmp_path / "report.json"
    path.write_text(
        json.dumps({"tests": [{"id": "t", "outcome": "failed", "failure": {"minimal_example": 1}}]})
    )
    code = main(
        ["report", "replay", str(path), "--target", "http://127.0.0.1:9", "--client-id", "", "--token", ""]
    )
    err = capsys.readouterr().err
    assert code == 2 and "credentials needed" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(Exception, match="no step sequence"):
        replay_report(json.loads(path.read_text()), None, None, seed=1)
