"""Misbehaving targets: the transport's limits, and whole runs that end in time with errors, not crashes.

Each mode of :mod:`misbehaving` is tried on the transport alone (the right one-line reason, within
the limit) and in a run of the common suite (the run ends within its budget, the affected tests are
errors with the reason, the report is valid, nothing prints a traceback).
"""

from __future__ import annotations

import time

import pytest
from fake_openapi import demo_openapi
from fake_standards import demo_standards
from misbehaving import misbehaving

from conformance.exchange import Request
from conformance.run import SUITES, RunOptions, execute
from conformance.transport import HttpTransport, Limits, TransportError
from reports.schema import validate

FAST = Limits(connect_timeout=1.0, read_timeout=0.4, deadline=1.0, max_response_bytes=1024 * 1024)

#: mode -> what the transport's one-line reason says
REASONS = {
    "hang": "read timeout",
    "reset": "connection",
    "huge": "larger than 1048576 bytes",
    "drip": "deadline",
    "slow_headers": "deadline",
}


@pytest.mark.parametrize("mode", sorted(REASONS))
def test_transport_stops_each_misbehaviour_in_time(mode: str) -> None:
    with misbehaving(mode, pause=0.2) as server:
        transport = HttpTransport(FAST)
        started = time.monotonic()
        with pytest.raises(TransportError) as info:
            transport.send(Request("GET", f"{server.url}/demo/v1/people"))
        took = time.monotonic() - started
        transport.close()
    assert REASONS[mode] in str(info.value) and "\n" not in str(info.value)
    assert took < FAST.deadline + 0.5, took
    assert info.value.retryable is False  # waiting again would only wait again
    if mode == "huge":
        # reading stopped at the cap: the server could push little more than that into the socket buffers
        assert server.sent < 64 * 1024 * 1024, server.sent


def test_transport_keeps_connections_alive_and_reads_whole_answers() -> None:
    with misbehaving("html") as server:
        transport = HttpTransport(FAST)
        for _ in range(3):
            first = transport.send(Request("GET", f"{server.url}/conformance"))
            assert first.status == 200 and first.json()["operations"][0]["id"] == "demo"
        page = transport.send(Request("GET", f"{server.url}/demo/v1/people"))
        transport.close()
    assert page.status == 200 and page.content_type == "text/html" and b"Welcome" in page.body


def test_transport_reports_a_refused_connection_as_retryable() -> None:
    with misbehaving("hang") as server:
        url = server.url
    with pytest.raises(TransportError) as info:
        HttpTransport(FAST).send(Request("GET", f"{url}/conformance"))
    assert "refused" in str(info.value).lower() and info.value.retryable


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="deadline"):
        Limits(deadline=0)
    with pytest.raises(ValueError, match="max_response_bytes"):
        Limits(max_response_bytes=0)


def _run(url: str, tmp_path, **options):
    lines: list[str] = []
    started = time.monotonic()
    result = execute(
        RunOptions(
            target=url,
            client_id="demo-client",
            client_secret="demo-secret",
            out_dir=tmp_path / "out",
            standards=demo_standards(),
            openapi_source=demo_openapi,
            # reads, commands and the run-wide response check, in few tests: each run stays short
            paths=[str(SUITES / "common" / "test_responses.py")],
            **options,
        ),
        out=lines.append,
    )
    return result, lines, time.monotonic() - started


#: mode -> a word of the reason the errored tests carry
RUN_REASONS = {
    "hang": "0.3 s",  # "no data for 0.3 s (read timeout)" or "no complete answer within 0.3 s (deadline)"
    "reset": "connection",
    "html": "",
    "huge": "larger than",
    "bad_utf8": "",
    "drip": "0.3 s",
}


@pytest.mark.parametrize("mode", sorted(RUN_REASONS))
def test_run_against_a_misbehaving_target_ends_in_its_budget(mode: str, tmp_path) -> None:
    budget = 60.0  # a safety net: the limits per request end this run long before
    with misbehaving(mode, pause=0.2) as server:
        result, lines, took = _run(
            server.url, tmp_path, request_timeout=0.3, max_response_bytes=1024 * 1024, time_budget=budget
        )
    report = result.report
    assert took < budget, took
    assert validate(report) == []
    assert result.exit_code == 1 and not report["summary"]["conformant"]
    assert not any("Traceback" in line for line in lines)
    outcomes = [t["outcome"] for t in report["tests"]]
    assert "passed" not in outcomes or mode in ("html", "bad_utf8")
    bad = [t for t in report["tests"] if t["outcome"] in ("failed", "error")]
    assert bad, outcomes
    if RUN_REASONS[mode]:
        assert any(RUN_REASONS[mode] in t["failure"]["message"] for t in bad if t["outcome"] == "error")
    assert report["run"]["limits"]["time_budget_s"] == budget
    if mode in ("html", "bad_utf8"):
        # the answers arrived: each was checked against the document, and did not conform
        assert report["run"]["responses"]["not_conforming"] > 0
        every = next(t for t in report["tests"] if t["name"] == "test_every_response_conforms")
        assert every["outcome"] == "failed"
        assert ("not UTF-8" if mode == "bad_utf8" else "media type text/html") in every["failure"]["message"]


def test_time_budget_stops_the_run_and_says_it_is_partial(tmp_path) -> None:
    with misbehaving("hang") as server:
        result, lines, took = _run(server.url, tmp_path, request_timeout=1.0, time_budget=2.0)
    report = result.report
    # collecting the suite and writing the reports are outside the budget; no request starts after it
    assert took < 30, took
    stopped = report["run"]["stopped"]
    assert stopped["reason"] == "time_budget" and stopped["tests_not_run"] > 0
    skipped = [t for t in report["tests"] if t["outcome"] == "skipped"]
    assert len(skipped) >= stopped["tests_not_run"]
    assert any("partial run" in line for line in lines)
    statuses = {r["status"] for r in report["requirements"] if r["operation"] == "api"}
    assert "passed" not in statuses
