"""``conformance.run.execute`` end to end against the in-process fake target."""

from __future__ import annotations

import json

from fake_openapi import demo_openapi
from fake_standards import demo_standards
from fake_target import CLIENT, FakeTarget

from conformance.run import SUITES, RunOptions, execute
from conformance.testing import AsgiTransport
from reports.schema import validate


def _run(tmp_path, *faults: str, environment: str = "test"):
    target = FakeTarget(set(faults), environment=environment)
    lines: list[str] = []
    result = execute(
        RunOptions(
            target="http://testserver",
            client_id=CLIENT[0],
            client_secret=CLIENT[1],
            out_dir=tmp_path / "out",
            transport=AsgiTransport(target.app),
            standards=demo_standards(),
            openapi_source=demo_openapi,
            seed=3,
            command="kikan run --seed 3",
            paths=[str(SUITES / "common")],  # the operation suites need their real standards
        ),
        out=lines.append,
    )
    return result, lines


def test_correct_target_is_conformant_and_report_is_valid(tmp_path) -> None:
    result, lines = _run(tmp_path)
    report = result.report
    assert validate(report) == []
    statuses = {r["id"]: r["status"] for r in report["requirements"] if r["id"].startswith("API-")}
    failed = {t["id"]: t.get("failure") for t in report["tests"] if t["outcome"] != "passed"}
    assert not failed, failed
    tested = (
        "API-001",
        "API-002",
        "API-003",
        "API-004",
        "API-005",
        "API-006",
        "API-007",
        "API-008",
        "API-009",
    )
    tested += (
        "API-010",
        "API-011",
        "API-012",
        "API-013",
        "API-014",
        "API-015",
        "API-017",
        "API-018",
        "API-019",
        "API-022",
        "API-023",
    )
    assert {rid: statuses[rid] for rid in tested} == dict.fromkeys(tested, "passed")
    assert statuses["API-016"] == "not_verified"  # no generic test of atomicity yet
    assert result.exit_code == (0 if report["summary"]["conformant"] else 1)
    assert {p.name for p in result.written.values()} == {
        "report.json",
        "report.html",
        "junit.xml",
        "summary.md",
    }
    assert json.loads((tmp_path / "out" / "report.json").read_text())["digest"]["value"]
    assert any("running" in line for line in lines) and any("verdict" in line for line in lines)


def test_faulty_target_fails_the_bound_requirement_with_evidence(tmp_path) -> None:
    result, lines = _run(tmp_path, "ignore_if_match")
    report = result.report
    assert validate(report) == []
    req = next(r for r in report["requirements"] if r["id"] == "API-015")
    assert req["status"] == "failed"
    test = next(t for t in report["tests"] if t["id"] in req["tests"] and t["outcome"] == "failed")
    assert test["failure"]["check"] == "if_match_precondition"
    assert "[REDACTED]" in test["failure"]["reproduction"]["curl"]
    assert result.exit_code == 1
    assert any("FAIL" in line and "API-015" in line for line in lines)


def test_production_target_gets_no_writes(tmp_path) -> None:
    result, lines = _run(tmp_path, environment="production")
    writes = [t for t in result.report["tests"] if "commands" in t["id"] or "inputs" in t["id"]]
    assert writes and all(t["outcome"] == "skipped" for t in writes)
    assert result.exit_code == 1  # skipped = not verified, never passed


def test_bad_credentials_are_one_target_error(tmp_path) -> None:
    import pytest

    from conformance.context import TargetError

    with pytest.raises(TargetError, match="authentication failed") as info:
        execute(
            RunOptions(
                target="http://testserver",
                client_id=CLIENT[0],
                client_secret="wrong",
                out_dir=tmp_path,
                transport=AsgiTransport(FakeTarget().app),
                standards=demo_standards(),
            ),
            out=lambda line: None,
        )
    assert "\n" not in str(info.value) and "wrong" not in str(info.value)


class Recording:
    """A transport that keeps every request it sends (method, URL, body) in order."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.sent: list[tuple[str, str, bytes | None]] = []

    def send(self, request, timeout):
        self.sent.append((request.method, request.url, request.body))
        return self.inner.send(request, timeout)


def _requests_of_a_run(tmp_path, seed: int, namespace: str = "n1") -> list[tuple[str, str, bytes | None]]:
    recording = Recording(AsgiTransport(FakeTarget().app))
    execute(
        RunOptions(
            target="http://testserver",
            client_id=CLIENT[0],
            client_secret=CLIENT[1],
            out_dir=tmp_path,
            transport=recording,
            standards=demo_standards(),
            openapi_source=demo_openapi,
            seed=seed,
            namespace=namespace,
            paths=[str(SUITES / "common")],
        ),
        out=lambda line: None,
    )
    return recording.sent


def test_same_seed_and_target_give_the_same_requests(tmp_path) -> None:
    first = _requests_of_a_run(tmp_path / "a", 21)
    again = _requests_of_a_run(tmp_path / "b", 21)
    assert len(first) > 50
    assert first == again
    assert _requests_of_a_run(tmp_path / "c", 22) != first


def test_refused_token_is_one_target_error(tmp_path) -> None:
    import pytest

    from conformance.context import TargetError

    with pytest.raises(TargetError, match="refused the token"):
        execute(
            RunOptions(
                target="http://testserver",
                token="not-a-token",
                out_dir=tmp_path,
                transport=AsgiTransport(FakeTarget().app),
                standards=demo_standards(),
            ),
            out=lambda line: None,
        )
