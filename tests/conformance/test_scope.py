"""Honest scope: unknown ids are one-line errors with no report; a run of a subset says so."""

from __future__ import annotations

import pytest
from faulty import CLIENT, Fault, answer, reference_app, run

from conformance.run import SUITES, RunOptions, ScopeError, execute
from conformance.testing import AsgiTransport
from kikan.cli import main


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("flag", "value", "words"),
    [
        ("--operations", "jukii", ("unknown operation 'jukii'", "did you mean 'juki'", "juki, koseki")),
        ("--requirements", "JUKI-999", ("unknown requirement 'JUKI-999'", "JUKI-001–")),
        ("--profile", "quik", ("unknown profile 'quik'", "quick, standard, certify")),
    ],
)
def test_an_unknown_id_is_one_line_exit_2_and_no_report(capsys, tmp_path, flag, value, words) -> None:
    out = tmp_path / "out"
    code = main(["run", flag, value, "--out", str(out)])  # refused before any server starts
    line = _one_error_line(capsys)
    assert code == 2
    for word in words:
        assert word in line, line
    assert not out.exists()


def test_the_pytest_plugin_refuses_an_unknown_operation(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--kikan-target=http://127.0.0.1:9", "--kikan-operations=jukii"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "unknown operation 'jukii'" in "\n".join(result.errlines + result.outlines)


pytest_plugins = ["pytester"]


def _execute(tmp_path, app, **kw):
    lines: list[str] = []
    options = RunOptions(
        target="http://testserver",
        client_id=CLIENT[0],
        client_secret=CLIENT[1],
        out_dir=tmp_path / "out",
        transport=AsgiTransport(app),
        paths=[str(SUITES / "juki" / "test_protocol.py")],
        **kw,
    )
    return execute(options, out=lines.append), lines


def test_a_run_of_one_operation_reports_the_others_not_run(tmp_path) -> None:
    app = reference_app(tmp_path, operations=("juki", "inkan"))
    result, lines = _execute(tmp_path, app, operations=("juki",))
    report = result.report
    claimed = [c["operation"] for c in report["claims"]]
    assert sorted(claimed) == ["api", "inkan", "juki"]  # every claim, not only the selected one
    inkan = {
        r["status"]
        for r in report["requirements"]
        if r["operation"] == "inkan" and r["level"] == "must" and not r["not_tested_reason"]
    }
    assert inkan == {"not_run"}  # never "not_claimed": the system claims inkan
    assert report["run"]["selection"] == {"operations": ["juki"], "requirements": None}
    assert report["summary"]["conformant"] is False
    assert report["summary"]["verdict"] in ("partial_passed", "partial_failed")
    verdict = next(line for line in lines if line.startswith("判定 / verdict"))
    assert "一部の業務のみ: juki" in verdict and "partial: juki" in verdict and "スモークテスト" in verdict
    assert any("not selected in this run" in line and "inkan" in line for line in lines)
    md = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "一部の業務のみ: juki" in md and "未実施 / Not run" in md


def test_a_run_of_one_requirement_runs_only_its_tests(tmp_path) -> None:
    app = reference_app(tmp_path)
    result, _ = _execute(tmp_path, app, requirements=("API-015",))
    report = result.report
    assert [t["name"] for t in report["tests"]] == ["test_tenkyo_if_match"]
    statuses = {r["id"]: r["status"] for r in report["requirements"]}
    assert statuses["API-015"] == "passed"
    assert statuses["JUKI-026"] == statuses["API-013"] == "not_run"
    assert report["summary"]["verdict"] == "partial_passed" and result.exit_code == 0


def test_a_selection_of_unclaimed_operations_only_is_refused_before_running(tmp_path) -> None:
    with pytest.raises(ScopeError, match="none of the selected operations"):
        _execute(tmp_path, reference_app(tmp_path), operations=("inkan",))
    assert not (tmp_path / "out").exists()


def _refuse_tennyu(ex) -> None:
    if ex.method == "POST" and ex.path.endswith("/commands/tennyu"):
        answer(
            ex,
            503,
            {"type": "about:blank", "title": "busy", "status": 503, "code": "UNAVAILABLE"},
            b"application/problem+json",
        )


def test_a_refused_set_up_is_an_error_not_a_failure(tmp_path) -> None:
    """A target refusing the 転入 a test only needs for its data leaves that test's requirements in
    error, with what could not be set up, and fails none of them."""
    app = Fault(reference_app(tmp_path), before=_refuse_tennyu)
    result = run(app, ["juki/test_commands.py::test_household_changes"], tmp_path)
    (test,) = result.report["tests"]
    assert test["outcome"] == "error"
    assert test["failure"]["kind"] == "precondition"
    assert "create a household of 3 by 転入" in test["failure"]["title"]["en"]
    assert "503" in test["failure"]["message"] and "JUKI-006" in test["failure"]["message"]
    for rid in test["requirements"]:
        assert result.statuses[rid] == "error", rid


def test_the_plugin_runs_only_the_tests_bound_to_the_selected_requirements(pytester: pytest.Pytester) -> None:
    from fake_openapi import demo_openapi
    from fake_standards import demo_standards
    from fake_target import CLIENT as DEMO_CLIENT
    from fake_target import FakeTarget

    from conformance.client import Client, Credentials
    from conformance.context import RunContext, read_claims
    from conformance.plugin import Preset

    client = Client("http://testserver", AsgiTransport(FakeTarget().app), Credentials(*DEMO_CLIENT))
    ctx = RunContext(
        client, demo_standards(), read_claims(client), openapi_source=demo_openapi, requirements=("API-003",)
    )
    pytester.makepyfile(
        test_sel="""
        import pytest

        @pytest.mark.requirement("API-001")
        def test_other(kikan):
            raise AssertionError("not selected")

        @pytest.mark.requirement("API-002", "API-003")
        def test_selected(kikan):
            pass
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", plugins=[Preset(ctx)])
    result.assert_outcomes(passed=1, deselected=1)
