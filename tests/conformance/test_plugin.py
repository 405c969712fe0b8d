"""The pytest plugin, tested with pytester: options, stash, requirement markers, outcomes, gates."""

from __future__ import annotations

import pytest
from fake_openapi import demo_openapi
from fake_standards import demo_standards
from fake_target import CLIENT, FakeTarget

from conformance.client import Client, Credentials
from conformance.context import RunContext, read_claims
from conformance.plugin import CONTEXT_KEY, RESULTS_KEY, STANDARDS_KEY, Preset
from conformance.testing import AsgiTransport

pytest_plugins = ["pytester"]

SUITE = """
import pytest
from conformance.checks import Failure, Title


@pytest.mark.requirement("API-001", "API-002")
def test_passes(kikan):
    assert kikan.seed == 0


@pytest.mark.requirement("API-003")
def test_fails_with_data(kikan):
    raise Failure(Title("失敗", "Fails"), "the target said no", check="demo_check")


@pytest.mark.requirement("API-004")
def test_errors(kikan):
    raise RuntimeError("boom")


@pytest.mark.requirement("API-005")
def test_per_command(kikan, kikan_command):
    assert kikan_command.command.id in ("register", "amend")


@pytest.mark.requirement("DEMO-002")
def test_unclaimed_option(kikan):
    raise AssertionError("an unclaimed option must not be tested")


@pytest.mark.kikan_where(where=lambda s: s.command.target is not None)
@pytest.mark.requirement("API-006")
def test_only_targeted(kikan, kikan_command):
    assert kikan_command.command.id == "amend"
"""


class Grab:
    """Keeps the session's config so a test can read the stash after the run."""

    config: pytest.Config | None = None

    def pytest_configure(self, config: pytest.Config) -> None:
        self.config = config


def _context(environment: str = "test") -> RunContext:
    target = FakeTarget(environment=environment)
    client = Client("http://testserver", AsgiTransport(target.app), Credentials(*CLIENT))
    return RunContext(client, demo_standards(), read_claims(client), openapi_source=demo_openapi)


def _run(pytester: pytest.Pytester, ctx: RunContext, *args: str) -> tuple[pytest.RunResult, pytest.Config]:
    pytester.makepyfile(test_suite=SUITE)
    grab = Grab()
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *args, plugins=[Preset(ctx), grab])
    assert grab.config is not None
    return result, grab.config


def test_options_are_parsed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_opts="""
        def test_opts(pytestconfig):
            assert pytestconfig.getoption("kikan_profile") == "certify"
            assert pytestconfig.getoption("kikan_seed") == 42
            assert pytestconfig.getoption("kikan_operations") == "juki,inkan"
            assert pytestconfig.getoption("kikan_allow_production_writes") is True
        """
    )
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--kikan-profile=certify", "--kikan-seed=42",
        "--kikan-operations=juki,inkan", "--kikan-allow-production-writes",
    )  # fmt: skip
    result.assert_outcomes(passed=1)


def test_no_target_skips_suite_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x(kikan):\n    pass\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)


def test_stash_markers_and_outcomes(pytester: pytest.Pytester) -> None:
    ctx = _context()
    result, config = _run(pytester, ctx)
    result.assert_outcomes(passed=4, failed=2)
    assert config.stash[CONTEXT_KEY] is ctx and config.stash[STANDARDS_KEY] is ctx.standards
    records = {r.name: r for r in config.stash[RESULTS_KEY].values()}
    assert records["test_passes"].requirements == ("API-001", "API-002")
    assert records["test_passes"].outcome == "passed"
    failed = records["test_fails_with_data"]
    assert failed.outcome == "failed" and failed.failure["check"] == "demo_check"
    assert failed.failure["title"] == {"ja": "失敗", "en": "Fails"}
    errored = records["test_errors"]
    assert errored.outcome == "error" and "boom" in errored.failure["message"]
    assert set(records) >= {"test_per_command[demo.register]", "test_per_command[demo.amend]"}
    assert records["test_per_command[demo.amend]"].operation == "demo"
    assert [n for n in records if n.startswith("test_only_targeted")] == ["test_only_targeted[demo.amend]"]
    assert "test_unclaimed_option" not in records  # DEMO-002 is an option the fake does not claim


def test_commands_are_skipped_on_a_production_target(pytester: pytest.Pytester) -> None:
    result, config = _run(pytester, _context("production"))
    records = {r.name: r for r in config.stash[RESULTS_KEY].values()}
    assert records["test_per_command[demo.register]"].outcome == "skipped"
    assert "書き込みません" in (records["test_per_command[demo.register]"].skip_reason or "")
    assert records["test_passes"].outcome == "passed"


def test_unclaimed_operations_are_deselected(pytester: pytest.Pytester) -> None:
    ctx = _context()
    ctx.operations = ("juki",)  # demo is claimed but not selected
    result, config = _run(pytester, ctx)
    records = {r.name for r in config.stash[RESULTS_KEY].values()}
    assert "test_passes" in records
    assert not any(name.startswith(("test_per_command", "test_only_targeted")) for name in records)


def test_heavy_phases_follow_the_profile(pytester: pytest.Pytester) -> None:
    from conformance.context import PROFILES

    pytester.makepyfile(
        test_heavy="""
        import pytest

        @pytest.mark.kikan_phase("schemathesis")
        @pytest.mark.requirement("API-009")
        def test_fuzz(kikan):
            pass

        @pytest.mark.kikan_last
        def test_last(kikan):
            pass

        def test_plain(kikan):
            pass
        """
    )
    quick = _context()
    grab = Grab()
    pytester.runpytest_inprocess("-p", "no:cacheprovider", plugins=[Preset(quick), grab]).assert_outcomes(
        passed=2
    )
    assert grab.config is not None
    assert [r.name for r in grab.config.stash[RESULTS_KEY].values()] == ["test_plain", "test_last"]
    standard = _context()
    standard.profile = PROFILES["standard"]
    grab = Grab()
    pytester.runpytest_inprocess("-p", "no:cacheprovider", plugins=[Preset(standard), grab]).assert_outcomes(
        passed=3
    )
