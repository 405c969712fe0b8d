"""The status rules, in one place.

A requirement's status follows from its tests' outcomes, the system's claims and whether the
requirement can be tested through the API at all (docs/report-format.md):

- ``not_claimed``: an ``option`` the system does not claim, or any requirement of an operation
  the system does not claim;
- ``not_testable``: the requirement carries a ``not_tested_reason``;
- ``not_run``: the system claims it but the run did not select it (``run.selection``: a run of
  some operations or some requirements only);
- ``failed``: a test failed *on this requirement*; ``error``: a test errored on it and none failed;
- ``not_verified``: it has no test, or some test was skipped, did not run, or stopped before
  verifying it;
- ``passed``: only when every test bound to it ran and passed it.

What a test did to each requirement it names is its outcome, unless the test records a
per-requirement outcome in ``requirement_outcomes`` (a failed test fails the requirement of the
check that failed; a requirement whose check had already passed in that test is ``passed``; the
others are ``not_run``: the test stopped before verifying them).

A system is ``conformant`` when the run covers everything it claims (no ``not_run``), it claims at
least one operation and every ``must`` requirement of every claimed operation is ``passed`` or
``not_testable``. The ``verdict`` says the same in one word, and tells a run of a subset apart:
``conformant``, ``not_conformant``, ``partial_passed`` (every selected ``must`` conforms, but a
subset never makes a system conformant) or ``partial_failed``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

REQUIREMENT_STATUSES = (
    "passed",
    "failed",
    "error",
    "not_verified",
    "not_run",
    "not_claimed",
    "not_testable",
)
TEST_OUTCOMES = ("passed", "failed", "error", "skipped")
#: an outcome for a test a requirement names but the report does not contain
NOT_RUN = "not_run"
#: statuses that let a ``must`` requirement count towards conformance
CONFORMING = frozenset({"passed", "not_testable"})
#: the one-word verdicts of :func:`verdict`
VERDICTS = ("conformant", "not_conformant", "partial_passed", "partial_failed")


def requirement_status(
    level: str,
    outcomes: Iterable[str],
    *,
    claimed: bool = True,
    not_tested_reason: str | None = None,
    selected: bool = True,
) -> str:
    """The status of one requirement.

    ``outcomes`` are the outcomes of every test bound to it for this requirement (``passed``,
    ``failed``, ``error``, ``skipped`` or ``not_run``); ``claimed`` says whether the system claims
    the requirement (its operation, and for ``option`` the option itself); ``selected`` whether the
    run selected it.
    """
    outcomes = list(outcomes)
    if not claimed:
        return "not_claimed"
    if not_tested_reason:
        return "not_testable"
    if not selected:
        return "not_run"
    if "failed" in outcomes:
        return "failed"
    if "error" in outcomes:
        return "error"
    if not outcomes or any(o != "passed" for o in outcomes):
        return "not_verified"
    return "passed"


def is_claimed(requirement: Mapping[str, Any], claims: Iterable[Mapping[str, Any]]) -> bool:
    """Whether ``claims`` cover the requirement: its operation is claimed, and an option is listed."""
    for claim in claims:
        if claim.get("operation") == requirement.get("operation"):
            return requirement.get("level") != "option" or requirement.get("id") in (
                claim.get("options") or ()
            )
    return False


def is_selected(requirement: Mapping[str, Any], selection: Mapping[str, Any] | None) -> bool:
    """Whether the run's ``selection`` covers the requirement (no selection: everything).

    ``selection`` is ``run.selection``: ``operations`` (ids, or null for every claimed one; the
    common API part ``api`` comes with any operation) and ``requirements`` (ids, or null).
    """
    if not selection:
        return True
    operations = selection.get("operations")
    if operations is not None and requirement.get("operation") not in (*operations, "api"):
        return False
    requirements = selection.get("requirements")
    return requirements is None or requirement.get("id") in requirements


def outcome_for(test: Mapping[str, Any], requirement_id: str) -> str:
    """What ``test`` did to one requirement: its per-requirement outcome, else the test's outcome."""
    per = test.get("requirement_outcomes") or {}
    return str(per.get(requirement_id, test.get("outcome", NOT_RUN)))


def bound_tests(report: Mapping[str, Any]) -> dict[str, list[str]]:
    """Requirement id -> ids of the tests bound to it, from both sides of the binding.

    A requirement lists its tests and a test lists its requirements; either side binds them, so
    a test the suite ran but forgot to list on the requirement still counts.
    """
    bound: dict[str, list[str]] = {}
    for requirement in report.get("requirements") or ():
        bound.setdefault(requirement["id"], [])
        for test_id in requirement.get("tests") or ():
            if test_id not in bound[requirement["id"]]:
                bound[requirement["id"]].append(test_id)
    for test in report.get("tests") or ():
        for rid in test.get("requirements") or ():
            tests = bound.setdefault(rid, [])
            if test["id"] not in tests:
                tests.append(test["id"])
    return bound


def computed_statuses(report: Mapping[str, Any]) -> dict[str, str]:
    """Requirement id -> the status the rules give it from the report's tests and claims."""
    tests = {t["id"]: t for t in report.get("tests") or ()}
    bound = bound_tests(report)
    claims = report.get("claims") or ()
    selection = (report.get("run") or {}).get("selection")
    return {
        r["id"]: requirement_status(
            r.get("level", "must"),
            [
                outcome_for(tests[test_id], r["id"]) if test_id in tests else NOT_RUN
                for test_id in bound.get(r["id"], ())
            ],
            claimed=is_claimed(r, claims),
            not_tested_reason=r.get("not_tested_reason"),
            selected=is_selected(r, selection),
        )
        for r in report.get("requirements") or ()
    }


def count(values: Iterable[str], keys: Iterable[str]) -> dict[str, int]:
    """How many of ``values`` are each of ``keys`` (every key present, zero included)."""
    counts = dict.fromkeys(keys, 0)
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _claimed_musts(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    claimed = {c.get("operation") for c in report.get("claims") or ()}
    return [
        r
        for r in report.get("requirements") or ()
        if r.get("operation") in claimed and r.get("level") == "must"
    ]


def is_partial(report: Mapping[str, Any]) -> bool:
    """True when the run left some claimed requirement out (a ``not_run`` status)."""
    return any(r.get("status") == "not_run" for r in report.get("requirements") or ())


def is_conformant(report: Mapping[str, Any]) -> bool:
    """True when an operation is claimed, the run covered every claim, and every claimed ``must`` conforms."""
    if not report.get("claims") or is_partial(report):
        return False
    return all(r.get("status") in CONFORMING for r in _claimed_musts(report))


def verdict(report: Mapping[str, Any]) -> str:
    """The one-word verdict (:data:`VERDICTS`): a run of a subset is ``partial_*``, never conformant."""
    if not is_partial(report):
        return "conformant" if is_conformant(report) else "not_conformant"
    ran = [r for r in _claimed_musts(report) if r.get("status") != "not_run"]
    ok = bool(ran) and all(r.get("status") in CONFORMING for r in ran)
    return "partial_passed" if ok else "partial_failed"


def summarise(report: Mapping[str, Any]) -> dict[str, Any]:
    """The ``summary`` of a report from its recorded requirement statuses and test outcomes."""
    requirements = list(report.get("requirements") or ())
    by_operation: dict[str, dict[str, int]] = {}
    for operation in sorted({r.get("operation") for r in requirements}):
        by_operation[operation] = count(
            (r.get("status") for r in requirements if r.get("operation") == operation), REQUIREMENT_STATUSES
        )
    return {
        "requirements": count((r.get("status") for r in requirements), REQUIREMENT_STATUSES),
        "tests": count((t.get("outcome") for t in report.get("tests") or ()), TEST_OUTCOMES),
        "by_operation": by_operation,
        "conformant": is_conformant(report),
        "verdict": verdict(report),
    }


def finalise(report: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``report`` with every requirement's status set by the rules and a fresh summary.

    The suite calls this once all tests have run, before :func:`reports.digest.seal`. Any
    ``digest`` or ``signature`` is dropped, since the content changed.
    """
    result = copy.deepcopy(dict(report))
    result.pop("digest", None)
    result.pop("signature", None)
    statuses = computed_statuses(result)
    for requirement in result.get("requirements") or ():
        requirement["status"] = statuses[requirement["id"]]
    result["summary"] = summarise(result)
    from reports.groups import failure_groups

    result["failure_groups"] = failure_groups(result)
    return result


def inconsistencies(report: Mapping[str, Any]) -> list[str]:
    """Every place where the recorded statuses or summary disagree with the rules."""
    problems = []
    statuses = computed_statuses(report)
    for index, requirement in enumerate(report.get("requirements") or ()):
        expected = statuses[requirement["id"]]
        if requirement.get("status") != expected:
            problems.append(
                f"/requirements/{index}/status: {requirement['id']} is recorded as "
                f"{requirement.get('status')!r} but its tests and claims give {expected!r}"
            )
    expected_summary = summarise(report)
    recorded = report.get("summary") or {}
    for key, value in expected_summary.items():
        if key == "by_operation":
            # the contract allows omitting zero counts per operation
            for operation, counts in value.items():
                got = recorded.get(key, {}).get(operation, {})
                nonzero = {k: v for k, v in counts.items() if v}
                if {k: v for k, v in got.items() if v} != nonzero:
                    problems.append(f"/summary/by_operation/{operation}: recorded {got}, computed {nonzero}")
        elif key == "verdict" and key not in recorded:
            continue  # report format 1.0 had no verdict
        elif key in ("requirements", "tests") and isinstance(recorded.get(key), dict):
            # report format 1.0 had no not_run count; a zero count may be left out
            got = {k: v for k, v in recorded[key].items() if v}
            if got != {k: v for k, v in value.items() if v}:
                problems.append(f"/summary/{key}: recorded {recorded.get(key)!r}, computed {value!r}")
        elif recorded.get(key) != value:
            problems.append(f"/summary/{key}: recorded {recorded.get(key)!r}, computed {value!r}")
    return problems
