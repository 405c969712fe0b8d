"""Building the report document (docs/report-format.md) from a run's test records.

The status rules live in :mod:`reports.status`; this module only gathers the facts: target,
claims, standards, requirements with their bound tests, and per-test outcomes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from importlib import metadata
from typing import Any

from conformance.context import Claims
from reports import status
from standards.model import Operation, Requirement, Standards

JST = dt.timezone(dt.timedelta(hours=9))
SUITE_NAME = "kikan-conformance"


def now() -> str:
    """The current time as RFC 3339 with the +09:00 offset."""
    return dt.datetime.now(JST).isoformat(timespec="seconds")


def suite_version() -> str:
    """The installed suite's version."""
    try:
        return metadata.version("kikan-conformance")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def _source(req: Requirement) -> str | None:
    src = req.source
    if src is None:
        return None
    text = " ".join(p for p in (src.document, src.section) if p)
    return text or None


def claims_entries(standards: Standards, claims: Claims) -> list[dict[str, Any]]:
    """The report's claims: every operation the system claims, and the common API part.

    Every claim is listed, also of operations a run of a subset did not select (their requirements
    are ``not_run``, see ``run.selection``). The common API conventions (requirements API-xxx,
    operation ``api``) come with every operation: a system claiming any operation is held to them,
    so ``api`` is listed as claimed too.
    """
    out = [
        {
            "operation": c.id,
            "standard_version": c.standard_version or "unknown",
            "options": list(dict.fromkeys(c.options)),
        }
        for c in claims.operations
    ]
    if out:
        out.insert(
            0, {"operation": standards.api.id, "standard_version": standards.api.version, "options": []}
        )
    return out


def _standard_entry(op: Operation) -> dict[str, Any]:
    spec = op.specification
    return {
        "id": op.id,
        "version": op.version,
        "name": {"ja": op.name.ja, "en": op.name.en},
        "specification": {"title": spec.title, "edition": spec.edition, "ministry": spec.ministry},
    }


def build_report(
    *,
    standards: Standards,
    claims: Claims,
    target_url: str,
    records: Mapping[str, Any],
    seed: int,
    profile: str,
    started_at: str,
    finished_at: str,
    duration_s: float,
    command: str | None = None,
    embedded_reference: bool = False,
    selected: Iterable[str] | None = None,
    requirements_selected: Iterable[str] | None = None,
    run_facts: Mapping[str, Any] | None = None,
    namespace: str | None = None,
    processing_date: str | None = None,
) -> dict[str, Any]:
    """The finalised (statuses and summary set, not yet sealed) report of one run.

    ``records`` are the plugin's :class:`~conformance.plugin.TestRecord` by test id; ``selected``
    and ``requirements_selected`` the operations and requirements a run of a subset was limited to.
    """
    tests = [r.to_report() for r in records.values()]
    texts = {req.id: req.text.ja for op in (standards.api, *standards.operations) for req in op.requirements}
    for test in tests:
        test["operation"] = test["operation"] or standards.api.id
        if test.get("outcome") == "skipped":
            test["skip_reason"] = records[test["id"]].skip_reason
        if test.get("failure") and not test["failure"].get("message_ja"):
            test["failure"]["message_ja"] = message_ja(test["failure"], test["requirements"], texts)
    bound: dict[str, list[str]] = {}
    for test in tests:
        for rid in test["requirements"]:
            bound.setdefault(rid, []).append(test["id"])
    operations = [standards.api, *standards.operations]
    requirements = [
        {
            "id": req.id,
            "operation": op.id,
            "level": req.level,
            "kind": req.kind,
            "text": {"ja": req.text.ja, "en": req.text.en},
            "source": _source(req),
            "status": "not_verified",
            "tests": bound.get(req.id, []),
            "not_tested_reason": req.not_tested_reason,
        }
        for op in operations
        for req in op.requirements
    ]
    system = {k: v for k, v in claims.system.items() if k in ("name", "vendor", "version")}
    system.setdefault("name", "unknown")
    system.setdefault("vendor", "unknown")
    report: dict[str, Any] = {
        "report_version": "1.1",
        "generated_at": finished_at,
        "suite": {"name": SUITE_NAME, "version": suite_version()},
        "target": {
            "url": target_url,
            "system": system,
            "environment": claims.environment
            if claims.environment in ("test", "production")
            else "production",
            "embedded_reference": embedded_reference,
        },
        "claims": claims_entries(standards, claims),
        "run": {
            "seed": seed,
            "profile": profile,
            "started_at": started_at,
            "finished_at": finished_at,
            "duration_s": round(duration_s, 3),
            "command": command,
            **dict(run_facts or {}),  # responses checked, limits, why the run stopped early
        },
        "standards": [_standard_entry(op) for op in operations],
        "requirements": requirements,
        "tests": tests,
        "summary": {},
    }
    if selected is not None or requirements_selected is not None:
        report["run"]["selection"] = {
            "operations": list(dict.fromkeys(selected)) if selected is not None else None,
            "requirements": list(dict.fromkeys(requirements_selected))
            if requirements_selected is not None
            else None,
        }
    if namespace is not None:
        report["run"]["namespace"] = namespace
    if processing_date is not None:
        report["run"]["processing_date"] = processing_date
    if command is not None and namespace is not None:
        report["run"]["reproduce"] = reproduction(command, seed, namespace, processing_date)
    return status.finalise(report)


def message_ja(failure: Mapping[str, Any], requirements: Iterable[str], texts: Mapping[str, str]) -> str:
    """The Japanese message of a failed or errored test, shown first (the suite's detail, in English,
    beside it): which requirements it breaks or leaves unverified, each with its text from the
    standard's catalogue (the catalogue is the only place those words live)."""
    own = list(requirements)

    def listed(ids: list[str]) -> str:
        return "、".join(f"{i}「{_short(texts[i])}」" if i in texts else i for i in ids) or "—"

    if failure.get("kind") == "failure":  # the title is shown above it
        return f"次の要件を満たしていません — {listed(list(failure.get('requirements') or ()) or own)}"
    why = {
        "precondition": "試験の前提を準備できなかったため、次の要件は未検証です",
        "transport": "対象システムとの通信に失敗したため、次の要件は検証できませんでした",
    }.get(str(failure.get("check")), "試験中に予期しないエラーが発生したため、次の要件は検証できませんでした")
    return f"{why} — {listed(own)}"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reproduction(command: str, seed: int, namespace: str, processing_date: str | None) -> str:
    """The command line that sends this run's requests again: the run's command with its seed, its
    namespace and its processing date (docs/api-conventions.md "Reruns")."""
    words = command.split()
    out: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word in ("--seed", "--namespace", "--today"):
            skip = True
            continue
        out.append(word)
    out += ["--seed", str(seed), "--namespace", namespace]
    if processing_date is not None:
        out += ["--today", processing_date]
    return " ".join(out)
