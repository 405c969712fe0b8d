"""pytest plugin of the conformance suite (registered through the ``pytest11`` entry point).

Kept thin and lazy: importing it imports nothing of the suite; the context, the standards and the
checks are loaded only when a suite test asks for them. Its state lives in ``config.stash``:

- ``CONTEXT_KEY``: the :class:`~conformance.context.RunContext` (preset by ``kikan run`` through
  :class:`Preset`, or built from the ``--kikan-*`` options on first use);
- ``STANDARDS_KEY``: the standards the suite is parametrised from (preset, or loaded);
- ``RESULTS_KEY``: one :class:`TestRecord` per test, with its requirement ids and outcome.

A test marked ``@pytest.mark.kikan_where(where=predicate)`` is parametrised only over the subjects the
predicate accepts (a check that does not apply to a subject must not be a skipped test, since a
skip leaves its requirement not verified). A test marked ``@pytest.mark.kikan_phase("name")`` is
deselected unless the run's profile enables that phase (``schemathesis``).

Suite tests ask for fixtures: ``kikan`` (the RunContext) and the parameters ``kikan_operation``,
``kikan_resource``, ``kikan_command`` (a :class:`~conformance.checks.registry.Subject` for every
operation, resource or command of the standards). A test whose operation the target does not claim
is skipped (not verified); a command test against a non-test environment is skipped unless
production writes were allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CONTEXT_KEY = pytest.StashKey[Any]()
STANDARDS_KEY = pytest.StashKey[Any]()
RESULTS_KEY = pytest.StashKey[dict[str, "TestRecord"]]()
MARK_KEY = pytest.StashKey[int]()
PROFILE_KEY = pytest.StashKey[str]()  # the Hypothesis profile loaded before the run's, restored at the end

SUBJECT_PARAMS = ("kikan_operation", "kikan_resource", "kikan_command")


@dataclass
class TestRecord:
    """What happened to one test: its requirement ids, outcome and failure data."""

    __test__ = False  # not a test class, despite the name

    id: str
    name: str
    requirements: tuple[str, ...]
    operation: str | None
    outcome: str = "skipped"
    duration_s: float = 0.0
    failure: dict[str, Any] | None = None
    skip_reason: str | None = None
    phases: dict[str, str] = field(default_factory=dict)
    #: what the test did to each requirement, where that differs from ``outcome`` (conformance.outcomes)
    requirement_outcomes: dict[str, str] = field(default_factory=dict)

    def to_report(self) -> dict[str, Any]:
        """The test entry of the report (docs/report-format.md)."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "operation": self.operation,
            "requirements": list(self.requirements),
            "outcome": self.outcome,
            "duration_s": round(self.duration_s, 3),
        }
        if self.failure is not None and self.outcome in ("failed", "error"):
            out["failure"] = self.failure
        if self.requirement_outcomes:
            out["requirement_outcomes"] = dict(self.requirement_outcomes)
        return out


class Preset:
    """A plugin object that hands a ready context (and standards) to the session.

    ``pytest.main(args, plugins=[Preset(ctx)])``: used by ``kikan run`` and by project tests
    that run the suite against an in-process target.
    """

    def __init__(self, context: Any = None, standards: Any = None) -> None:
        self.context = context
        self.standards = standards if standards is not None else getattr(context, "standards", None)

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        if self.context is not None:
            config.stash[CONTEXT_KEY] = self.context
        if self.standards is not None:
            config.stash[STANDARDS_KEY] = self.standards


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kikan", "kikan conformance suite / 適合性試験")
    group.addoption("--kikan-target", help="target root URL / 試験対象のURL")
    group.addoption("--kikan-client-id", help="OAuth client id")
    group.addoption("--kikan-client-secret", help="OAuth client secret")
    group.addoption("--kikan-token", help="a bearer token instead of client credentials")
    group.addoption("--kikan-operations", help="comma-separated operation ids (default: every claimed one)")
    group.addoption(
        "--kikan-requirements", help="comma-separated requirement ids: run only the tests bound to them"
    )
    group.addoption("--kikan-profile", default="quick", help="quick, standard or certify")
    group.addoption("--kikan-seed", type=int, default=0, help="seed of every generated request")
    group.addoption("--kikan-out", default="kikan-report", help="report folder")
    group.addoption("--kikan-allow-production-writes", action="store_true", default=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requirement(*ids): the requirement ids a suite test verifies")
    config.addinivalue_line(
        "markers", "kikan_where(where=predicate): keep only the subjects the predicate accepts"
    )
    config.addinivalue_line("markers", "kikan_phase(name): a heavy phase run only by profiles that enable it")
    config.addinivalue_line(
        "markers", "kikan_last: run after every other suite test (e.g. a check over the whole run)"
    )
    config.addinivalue_line(
        "markers", "kikan_operations(*ids): other operations a cross-operation test needs claimed too"
    )
    config.stash[RESULTS_KEY] = {}
    if config.getoption("kikan_target", None) or CONTEXT_KEY in config.stash:
        if CONTEXT_KEY not in config.stash:
            _check_options(config)
        _load_hypothesis_profile(config)


def _check_options(config: pytest.Config) -> None:
    """A one-line usage error for an unknown profile, operation id or requirement id."""
    from conformance.context import PROFILES, unknown_scope

    problem = unknown_scope(
        _standards(config),
        profile=config.getoption("kikan_profile"),
        operations=_ids(config.getoption("kikan_operations")),
        requirements=_ids(config.getoption("kikan_requirements")),
        profiles=tuple(PROFILES),
    )
    if problem:
        raise pytest.UsageError(problem)


def _ids(text: str | None) -> tuple[str, ...] | None:
    """Comma-separated ids as a tuple (None when not given)."""
    if not text:
        return None
    return tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip())) or None


def _load_hypothesis_profile(config: pytest.Config) -> None:
    from hypothesis import HealthCheck, settings

    from conformance.context import PROFILES

    context = config.stash.get(CONTEXT_KEY, None)
    profile = context.profile if context is not None else PROFILES[config.getoption("kikan_profile")]
    name = f"kikan-{profile.name}"
    settings.register_profile(
        name,
        max_examples=profile.max_examples,
        # The run's seed decides the examples (--hypothesis-seed); never Hypothesis' CI profile, whose
        # derandomize=True would ignore the seed whenever a vendor runs the suite with CI set.
        derandomize=False,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    config.stash[PROFILE_KEY] = settings.get_current_profile_name()
    settings.load_profile(name)


def pytest_unconfigure(config: pytest.Config) -> None:
    previous = config.stash.get(PROFILE_KEY, None)
    if previous is not None:
        from hypothesis import settings

        settings.load_profile(previous)


def _standards(config: pytest.Config) -> Any:
    if STANDARDS_KEY not in config.stash:
        from standards.loader import load_standards

        config.stash[STANDARDS_KEY] = load_standards()
    return config.stash[STANDARDS_KEY]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    wanted = [name for name in SUBJECT_PARAMS if name in metafunc.fixturenames]
    if not wanted:
        return
    from conformance.checks.registry import Subject

    standards = _standards(metafunc.config)
    predicates = [m.kwargs["where"] for m in metafunc.definition.iter_markers("kikan_where")]
    for name in wanted:
        subjects: list[Subject] = []
        for op in standards.operations:
            if name == "kikan_operation":
                subjects.append(Subject(op))
            elif name == "kikan_resource":
                subjects += [Subject(op, resource=r) for r in op.api.resources]
            else:
                subjects += [Subject(op, command=c) for c in op.api.commands]
        subjects = [s for s in subjects if all(p(s) for p in predicates)]
        metafunc.parametrize(name, subjects, ids=[s.label for s in subjects])


def _context(config: pytest.Config) -> Any:
    if CONTEXT_KEY not in config.stash:
        target = config.getoption("kikan_target")
        if not target:
            pytest.skip("no target: pass --kikan-target / 試験対象が指定されていません")
        from conformance.client import Credentials
        from conformance.context import PROFILES, RunContext, TargetError, open_target

        creds = Credentials(
            config.getoption("kikan_client_id"),
            config.getoption("kikan_client_secret"),
            config.getoption("kikan_token"),
        )
        try:
            client, claims = open_target(target, creds)
        except TargetError as exc:
            raise pytest.UsageError(str(exc)) from None
        config.stash[CONTEXT_KEY] = RunContext(
            client=client,
            standards=_standards(config),
            claims=claims,
            seed=config.getoption("kikan_seed"),
            profile=PROFILES[config.getoption("kikan_profile")],
            out_dir=Path(config.getoption("kikan_out")),
            allow_production_writes=config.getoption("kikan_allow_production_writes"),
            operations=_ids(config.getoption("kikan_operations")),
            requirements=_ids(config.getoption("kikan_requirements")),
        )
    return config.stash[CONTEXT_KEY]


@pytest.fixture(scope="session")
def kikan(request: pytest.FixtureRequest) -> Any:
    """The run's :class:`~conformance.context.RunContext` (skips when no target was given)."""
    return _context(request.config)


@pytest.fixture(autouse=True)
def _kikan_subject_gate(request: pytest.FixtureRequest) -> None:
    """Skip a parametrised suite test whose operation is not claimed, or whose writes are not allowed."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is None:
        return
    subjects = [callspec.params[n] for n in SUBJECT_PARAMS if n in callspec.params]
    if not subjects:
        return
    ctx = _context(request.config)
    for subject in subjects:
        if not ctx.tested(subject.operation.id):
            pytest.skip(
                f"{subject.operation.id}: 対象が宣言していない業務 / operation not claimed or not selected"
            )
        if subject.command is not None and not ctx.writes_allowed:
            pytest.skip("本番環境には書き込みません / no writes to a non-test environment")
    request.config.stash[MARK_KEY] = ctx.client.mark()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Each test starts with no requirement verified (conformance.outcomes attributes failures), its
    responses attributed to it; after the run's time budget it is skipped instead of run (its
    requirements are not verified, never passed)."""
    context = item.config.stash.get(CONTEXT_KEY, None)
    if context is None:
        return
    if isinstance(getattr(context, "verified", None), set):
        context.verified.clear()
    begin = getattr(context, "begin_test", None)
    if begin is not None:
        begin(item.nodeid)
        if context.budget_spent():
            pytest.skip(BUDGET_SPENT)


def _requirements(item: pytest.Item) -> tuple[str, ...]:
    ids: list[str] = []
    for mark in item.iter_markers("requirement"):
        ids += [i for i in mark.args if i not in ids]
    return tuple(ids)


def _operation(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        for name in SUBJECT_PARAMS:
            if name in callspec.params:
                return str(callspec.params[name].operation.id)
    parts = Path(str(item.path)).parts
    if "suites" in parts:
        idx = parts.index("suites")
        # common/ holds every operation's checks; a crossop/ test belongs to the first operation it names
        if idx + 1 < len(parts) and parts[idx + 1] == "crossop":
            named = [op_id for m in item.iter_markers("kikan_operations") for op_id in m.args]
            return str(named[0]) if named else None
        if idx + 1 < len(parts) and parts[idx + 1] != "common":
            return parts[idx + 1]
    return None


def _phase_enabled(config: pytest.Config, phase: str) -> bool:
    from conformance.context import PROFILES

    context = config.stash.get(CONTEXT_KEY, None)
    profile = context.profile if context is not None else PROFILES[config.getoption("kikan_profile")]
    return bool(getattr(profile, phase, False))


def _operation_tested(config: pytest.Config, item: pytest.Item) -> bool:
    """False when the run's context says the item's operation is not claimed or not selected."""
    context = config.stash.get(CONTEXT_KEY, None)
    if context is None:
        return True
    callspec = getattr(item, "callspec", None)
    for name in SUBJECT_PARAMS:
        if callspec is not None and name in callspec.params:
            return bool(context.tested(callspec.params[name].operation.id))
    # a test in conformance/suites/<op>/ belongs to <op>; a cross-operation test names the others it needs
    needed = [m_id for m in item.iter_markers("kikan_operations") for m_id in m.args]
    own = _operation(item)
    if own is not None:
        needed.append(own)
    return all(context.tested(op_id) for op_id in needed)


def _unclaimed_options(config: pytest.Config) -> set[str]:
    """Ids of ``option`` requirements the target does not claim (empty without a context)."""
    context = config.stash.get(CONTEXT_KEY, None)
    if context is None:
        return set()
    out = set()
    for op in context.standards.operations:
        for req in op.requirements:
            if req.level == "option" and not context.claims.claims_option(op.id, req.id):
                out.add(req.id)
    return out


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests of operations the target does not claim are deselected, not skipped: their requirements
    # are reported not_claimed, and a skipped test would leave a shared API-xxx requirement unverified.
    # A test bound only to options the target does not claim is deselected too.
    # A run limited to some requirements keeps only the tests bound to one of them.
    unclaimed = _unclaimed_options(config)
    context = config.stash.get(CONTEXT_KEY, None)
    if context is not None:
        only = set(getattr(context, "requirements", None) or ())
    else:
        only = set(_ids(config.getoption("kikan_requirements", None)) or ())
    kept, dropped = [], []
    for item in items:
        phases = [m.args[0] for m in item.iter_markers("kikan_phase")]
        wanted = all(_phase_enabled(config, p) for p in phases) and _operation_tested(config, item)
        ids = _requirements(item)
        if ids and unclaimed and all(i in unclaimed for i in ids):
            wanted = False
        if only and not only.intersection(ids):
            wanted = False
        (kept if wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = [i for i in kept if not i.get_closest_marker("kikan_last")] + [
        i for i in kept if i.get_closest_marker("kikan_last")
    ]
    results = config.stash[RESULTS_KEY]
    for item in items:
        results[item.nodeid] = TestRecord(item.nodeid, item.name, _requirements(item), _operation(item))


BUDGET_SPENT = (
    "実行時間の上限を超えたため実行しません / not run: the run's time budget is spent (--time-budget)"
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    record = item.config.stash[RESULTS_KEY].get(item.nodeid)
    if record is not None:
        from conformance.outcomes import update_record

        update_record(record, item, call, report)
    return report
