"""Attribution: a failure counts against the requirement whose check failed; a test that stopped
leaves its other requirements not verified; a precondition the suite could not set up is an error."""

from __future__ import annotations

import pytest
from fake_openapi import demo_openapi
from fake_standards import demo_standards
from fake_target import CLIENT, FakeTarget

from conformance.client import Client, Credentials
from conformance.context import Claims, RunContext, read_claims
from conformance.outcomes import attribute
from conformance.plugin import RESULTS_KEY, Preset
from conformance.report import build_report
from conformance.testing import AsgiTransport
from reports.schema import validate

pytest_plugins = ["pytester"]

SUITE = """
import pytest
from conformance.checks.failure import Failure, Title, precondition
from conformance.checks.registry import CheckRegistry

R = CheckRegistry()


@R.check(name="first_holds", requirements=("API-001",))
def first_holds(ctx, subject):
    pass


@R.check(name="second_breaks", requirements=("API-002",))
def second_breaks(ctx, subject):
    raise Failure(Title("二つ目", "Second"), "the target broke the second rule")


@R.check(name="first_breaks", requirements=("API-001",))
def first_breaks(ctx, subject):
    raise Failure(Title("一つ目", "First"), "the target broke the first rule")


@pytest.mark.requirement("API-001", "API-002")
def test_second_check_fails(kikan):
    first_holds(kikan, None)
    second_breaks(kikan, None)


@pytest.mark.requirement("API-001", "API-002")
def test_first_check_fails_and_stops(kikan):
    first_breaks(kikan, None)
    first_holds(kikan, None)


@pytest.mark.requirement("API-003", "API-004")
def test_oracle_names_the_requirement(kikan):
    raise Failure(Title("比較", "Comparison"), "shimei differs", requirements=("API-004",))


@pytest.mark.requirement("API-005", "API-006")
def test_bare_assertion(kikan):
    assert 1 == 2, "cannot be narrowed"


@pytest.mark.requirement("API-007", "API-008")
def test_precondition_refused(kikan):
    with precondition("住民を作成する", "create a resident"):
        raise Failure(Title("転入", "Move-in"), "POST tennyu answered 503")
    raise AssertionError("unreachable")


@pytest.mark.requirement("API-009")
def test_later_test_of_api_002(kikan):
    pass
"""


class Grab:
    config: pytest.Config | None = None

    def pytest_configure(self, config: pytest.Config) -> None:
        self.config = config


def _context() -> RunContext:
    client = Client("http://testserver", AsgiTransport(FakeTarget().app), Credentials(*CLIENT))
    return RunContext(client, demo_standards(), read_claims(client), openapi_source=demo_openapi)


def _report(pytester: pytest.Pytester) -> dict:
    pytester.makepyfile(test_suite=SUITE)
    ctx, grab = _context(), Grab()
    pytester.runpytest_inprocess("-p", "no:cacheprovider", plugins=[Preset(ctx), grab])
    assert grab.config is not None
    return build_report(
        standards=ctx.standards,
        claims=ctx.claims,
        target_url="http://testserver",
        records=grab.config.stash[RESULTS_KEY],
        seed=0,
        profile="standard",
        started_at="2026-12-02T10:00:00+09:00",
        finished_at="2026-12-02T10:00:01+09:00",
        duration_s=1.0,
    )


def test_failures_count_against_the_failing_checks_requirement(pytester: pytest.Pytester) -> None:
    report = _report(pytester)
    assert validate(report) == []
    tests = {t["name"]: t for t in report["tests"]}
    status = {r["id"]: r["status"] for r in report["requirements"]}
    # second check failed: API-002 failed by it, API-001 passed by the first check of the same test
    second = tests["test_second_check_fails"]
    assert second["outcome"] == "failed" and second["failure"]["requirements"] == ["API-002"]
    assert second["requirement_outcomes"] == {"API-001": "passed"}
    # the first check failed and the test stopped: API-002 not verified by it, never passed nor failed
    first = tests["test_first_check_fails_and_stops"]
    assert first["failure"]["requirements"] == ["API-001"]
    assert first["requirement_outcomes"] == {"API-002": "not_run"}
    assert status["API-001"] == "failed" and status["API-002"] == "failed"
    # an oracle comparison naming its requirement fails that one only
    assert status["API-003"] == "not_verified" and status["API-004"] == "failed"
    # a bare assertion cannot be narrowed: every requirement of its test failed
    assert status["API-005"] == status["API-006"] == "failed"


def test_a_failed_precondition_is_an_error_saying_what_was_not_verified(pytester: pytest.Pytester) -> None:
    report = _report(pytester)
    test = next(t for t in report["tests"] if t["name"] == "test_precondition_refused")
    assert test["outcome"] == "error"
    failure = test["failure"]
    assert failure["kind"] == "precondition" and failure["check"] == "precondition"
    assert "create a resident" in failure["title"]["en"] and "住民を作成する" in failure["title"]["ja"]
    assert "503" in failure["message"] and "API-007, API-008" in failure["message"]
    status = {r["id"]: r["status"] for r in report["requirements"]}
    assert status["API-007"] == status["API-008"] == "error"
    assert not any(
        g["outcome"] == "failed" and "API-007" in g["requirements"] for g in report["failure_groups"]
    )


def test_attribute_rules() -> None:
    reqs = ("A-001", "B-001", "C-001")
    per, failing = attribute(reqs, "failed", {"A-001"}, ("B-001",))
    assert per == {"A-001": "passed", "B-001": "failed", "C-001": "not_run"} and failing == ["B-001"]
    per, failing = attribute(reqs, "failed", {"A-001"}, ())
    assert per == {"A-001": "passed", "B-001": "failed", "C-001": "failed"}
    per, failing = attribute(reqs, "failed", set(reqs), ())  # all passed, then a bare failure: all
    assert failing == list(reqs)
    per, failing = attribute(reqs, "failed", {"A-001"}, ("Z-001",))  # one the test does not list
    assert failing == ["Z-001"] and per["Z-001"] == "failed" and per["B-001"] == "not_run"
    per, _ = attribute(reqs, "error", {"C-001"})
    assert per == {"A-001": "error", "B-001": "error", "C-001": "passed"}
    assert attribute(reqs, "passed", set())[0] == dict.fromkeys(reqs, "passed")


def test_claims_list_every_claimed_operation_even_in_a_partial_run() -> None:
    from conformance.report import claims_entries

    claims = Claims.parse(
        {
            "operations": [
                {"id": "demo", "standard_version": "1.0.0"},
                {"id": "other", "standard_version": "1"},
            ]
        }
    )
    ops = [c["operation"] for c in claims_entries(demo_standards(), claims)]
    assert ops == ["api", "demo", "other"]


def test_every_failure_has_a_japanese_message_naming_its_requirements(pytester: pytest.Pytester) -> None:
    report = _report(pytester)
    texts = {r["id"]: r["text"]["ja"] for r in report["requirements"]}
    tests = {t["name"]: t for t in report["tests"]}
    for test in tests.values():
        if test.get("failure"):
            assert test["failure"]["message_ja"], test["name"]
    second = tests["test_second_check_fails"]["failure"]["message_ja"]
    assert second.startswith("次の要件を満たしていません")
    assert "API-002" in second and texts["API-002"][:20] in second and "API-001" not in second
    refused = tests["test_precondition_refused"]["failure"]["message_ja"]
    assert (
        refused.startswith("試験の前提を準備できなかったため")
        and "API-007" in refused
        and "API-008" in refused
    )
    assert validate(report) == []


def test_a_transport_error_is_titled_as_one(tmp_path) -> None:
    from conformance.outcomes import failure_data
    from conformance.transport import TransportError

    class Item:  # the parts of a pytest item failure_data reads
        config = type("C", (), {"stash": {}})()

    data = failure_data(Item(), TransportError("timed out after 5 s"), failed=False)  # type: ignore[arg-type]
    assert data["check"] == "transport" and data["kind"] == "unexpected_error"
    assert "通信" in data["title"]["ja"] and "timed out" in data["message"]
    other = failure_data(Item(), KeyError("x"), failed=False)  # type: ignore[arg-type]
    assert other["check"] == "unexpected_error" and "予期しない" in other["title"]["ja"]


def _bare_session():
    """An OperationSession with only what noting and failing use (no target)."""
    from types import SimpleNamespace

    from conformance.session import OperationSession

    s = object.__new__(OperationSession)
    s.problems, s.exchanges, s.offending, s._checking = [], [], None, []
    s.ctx = SimpleNamespace(seed=0)
    return s


def test_a_checking_block_names_the_requirement_of_what_is_noted_inside_it() -> None:
    from conformance.checks.failure import Failure

    s = _bare_session()
    with s.checking("JUKI-009"):
        s.note("row 1 wrong")
        s.note("read back normalised", requirement="API-018")  # a problem naming its own stays
    with s.checking("JUKI-088"):
        pass
    with pytest.raises(Failure) as raised:
        s.fail_if("不一致", "differs", check="t")
    assert raised.value.requirements == ("JUKI-009", "API-018")

    s = _bare_session()
    with s.checking("JUKI-028"), pytest.raises(Failure) as raised:  # fail_if inside the block
        s.note("no shojo_bi")
        s.fail_if("不一致", "differs", check="t")
    assert raised.value.requirements == ("JUKI-028",)

    s = _bare_session()
    with s.checking("JUKI-028"):
        pass
    s.note("noted after the block")
    with pytest.raises(Failure) as raised:
        s.fail_if("不一致", "differs", check="t")
    assert raised.value.requirements == ()  # unnamed: the test's requirements (conformance.outcomes)


def test_a_part_stops_the_test_with_its_requirement_and_counts_a_clean_part_verified() -> None:
    from conformance.checks.failure import Failure

    s = _bare_session()
    s.ctx.verified = set()
    with s.part("JUKI-004", ("転居", "move"), check="t"):
        pass
    assert s.ctx.verified == {"JUKI-004"}
    with pytest.raises(Failure) as raised, s.part("JUKI-005", ("転居", "move"), check="t"):
        s.note("the household did not move")
    assert raised.value.requirements == ("JUKI-005",)
    assert s.ctx.verified == {"JUKI-004"}
