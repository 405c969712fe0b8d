"""The verdict box, the same in every format (HTML, Markdown, the console summary of ``kikan run``).

:func:`verdict_line` is the verdict in one line, with the profile (a ``quick`` run is a smoke test,
not a certification) and the scope (a run of a subset says which part it covered);
:func:`reasons` gives one line for every claimed requirement that is not passed: why it failed,
errored, was not verified, or was not run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports import labels, status

#: the one-word verdict -> (ja, en)
VERDICT = {
    "conformant": ("適合", "Conformant"),
    "not_conformant": ("不適合", "Not conformant"),
    "partial_passed": ("一部のみ実施・不合格なし", "Partial run: nothing failed in the part run"),
    "partial_failed": ("一部のみ実施・不適合", "Partial run: not conformant"),
}
#: statuses that need no reason in the box
SETTLED = frozenset({"passed", "not_claimed", "not_testable"})
MESSAGE_CHARS = 160


def verdict_word(report: Mapping[str, Any]) -> str:
    """The report's one-word verdict (its summary's, else computed by :func:`reports.status.verdict`)."""
    word = (report.get("summary") or {}).get("verdict")
    return str(word) if word in VERDICT else status.verdict(report)


def scope(report: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(ja, en)`` naming the part a run of a subset covered (or that it stopped at its time budget);
    None for a run of everything claimed that ran to its end."""
    run = report.get("run") or {}
    selection = run.get("selection") or {}
    stopped = run.get("stopped") or {}
    parts_ja, parts_en = [], []
    if stopped:
        n = stopped.get("tests_not_run", "?")
        parts_ja.append(f"実行時間の上限で打ち切り（未実施の試験 {n} 件）")
        parts_en.append(f"stopped at the time budget, {n} tests not run")
    if not status.is_partial(report):
        return ("、".join(parts_ja), "; ".join(parts_en)) if parts_ja else None
    if selection.get("operations") is not None:
        ops = ", ".join(selection["operations"])
        parts_ja.append(f"一部の業務のみ: {ops}")
        parts_en.append(f"partial: {ops}")
    if selection.get("requirements") is not None:
        ids = ", ".join(selection["requirements"])
        parts_ja.append(f"一部の要件のみ: {ids}")
        parts_en.append(f"partial: requirements {ids}")
    return "、".join(parts_ja) or "一部のみ", "; ".join(parts_en) or "partial"


def verdict_line(report: Mapping[str, Any]) -> dict[str, Any]:
    """The verdict: ``word``, ``ok``, ``ja``, ``en`` (the verdict), ``profile_ja``/``profile_en``,
    ``smoke`` (a quick run), ``scope`` and ``line`` (all of it in one line)."""
    word = verdict_word(report)
    ja, en = VERDICT[word]
    profile = str((report.get("run") or {}).get("profile", ""))
    p_ja, p_en = labels.PROFILE.get(profile, (profile, profile))
    smoke = profile == "quick"
    where = scope(report)
    line_ja, line_en = ja, en
    if smoke:
        line_ja = f"スモークテスト（{p_ja}）: {ja}（認定ではありません）"
        line_en = f"smoke test ({profile}): {en.lower()} (not a certification)"
    else:
        line_ja, line_en = f"{ja}（{p_ja}）", f"{en} ({profile})"
    if where:
        line_ja, line_en = f"{line_ja}【{where[0]}】", f"{line_en} [{where[1]}]"
    return {
        "word": word,
        "ok": word in ("conformant", "partial_passed"),
        "ja": ja,
        "en": en,
        "profile": profile,
        "profile_ja": p_ja,
        "profile_en": p_en,
        "smoke": smoke,
        "scope": where,
        "line": f"{line_ja} / {line_en}",
    }


def _one_line(text: Any) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= MESSAGE_CHARS else flat[: MESSAGE_CHARS - 1] + "…"


def _name(test_id: str) -> str:
    return test_id.rsplit("::", 1)[-1]


def _why(requirement: Mapping[str, Any], tests: list[Mapping[str, Any] | None], ids: list[str]) -> str:
    """One line saying why ``requirement`` is not passed, from its bound tests."""
    rid, state = requirement["id"], requirement.get("status")
    if state in ("failed", "error"):
        hits = [t for t in tests if t is not None and status.outcome_for(t, rid) == state]
        first = hits[0]
        failure = first.get("failure") or {}
        title = failure.get("title") or {}
        more = f"（他 {len(hits) - 1} 件 / +{len(hits) - 1} more）" if len(hits) > 1 else ""
        return (
            f"{_name(first['id'])}: {title.get('ja', '')} / {title.get('en', '')} — "
            f"{_one_line(failure.get('message'))}{more}"
        )
    if not ids:
        return "この要件に結び付いた試験はこの実行にありません / no test of this requirement ran in this run"
    for test_id, test in zip(ids, tests, strict=True):
        outcome = status.outcome_for(test, rid) if test is not None else status.NOT_RUN
        if outcome == "passed":
            continue
        if test is None:
            return f"{_name(test_id)}: 実行されませんでした / did not run"
        if outcome == "skipped":
            return f"{_name(test_id)}: スキップ / skipped — {_one_line(test.get('skip_reason') or '理由なし / no reason')}"
        failure = test.get("failure") or {}
        stopped = ", ".join(failure.get("requirements") or ()) or failure.get("check") or "?"
        return (
            f"{_name(test_id)}: 試験が {stopped} の不合格で止まり、検証前に終了 / the test stopped at "
            f"a failure of {stopped} before verifying this"
        )
    return "—"


def reasons(report: Mapping[str, Any]) -> list[dict[str, str]]:
    """One line per claimed requirement that is not passed: ``{"id", "status", "text"}``.

    Requirements not run (a run of a subset) are summed up in one line per operation.
    """
    tests = {t["id"]: t for t in report.get("tests") or ()}
    bound = status.bound_tests(report)
    lines: list[dict[str, str]] = []
    not_run: dict[str, int] = {}
    order = {s: i for i, s in enumerate(("failed", "error", "not_verified", "not_run"))}
    requirements = sorted(
        (r for r in report.get("requirements") or () if r.get("status") not in SETTLED),
        key=lambda r: order.get(str(r.get("status")), 9),
    )
    for requirement in requirements:
        if requirement.get("status") == "not_run":
            not_run[requirement["operation"]] = not_run.get(requirement["operation"], 0) + 1
            continue
        ids = bound.get(requirement["id"], [])
        why = _why(requirement, [tests.get(i) for i in ids], ids)
        lines.append({"id": requirement["id"], "status": str(requirement.get("status")), "text": why})
    for operation, n in not_run.items():
        lines.append(
            {
                "id": operation,
                "status": "not_run",
                "text": f"{n} 件の要件をこの実行では選択していません / {n} requirements not selected in this run",
            }
        )
    return lines
