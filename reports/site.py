"""A static results site of many reports: what wpt.fyi is for browsers, for conformance reports.

``index.html`` is a matrix of system (vendor) × operation × standard version; each cell shows the
latest run's counts and its verification state and links to that run's report page. Each system has
a page with the history of its runs, regressions marked (a requirement that passed in the system's
previous run of the same operation and standard version and now fails or errors). Every page is
self-contained (inline CSS, relative links, no scripts), and ``compare.html`` puts the systems'
latest runs side by side (:mod:`reports.compare`): the folder can be opened from a disk or
served by any static host. Each report is copied as it was read, so ``kikan report verify`` still
works on the copy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reports import labels, status, trust
from reports.compare import compare, render_compare_html
from reports.render import render_html
from reports.render.html import environment

#: per-operation counts shown in a matrix cell, in order
CELL_STATUSES = ("passed", "failed", "error", "not_verified")
#: statuses that make a requirement that passed before a regression
REGRESSED = frozenset({"failed", "error"})


@dataclass(frozen=True)
class Entry:
    """One report given to the site: its content, its bytes as read, and where it came from."""

    report: Mapping[str, Any]
    raw: bytes
    source: str


def _system_key(report: Mapping[str, Any]) -> tuple[str, str]:
    system = (report.get("target") or {}).get("system") or {}
    return str(system.get("vendor") or "?"), str(system.get("name") or "?")


def _operation_results(report: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(operation, standard version) -> counts, claimed, conformant and statuses of that operation."""
    claims = {c.get("operation"): c for c in report.get("claims") or ()}
    names = {s["id"]: s for s in report.get("standards") or ()}
    requirements = list(report.get("requirements") or ())
    results = {}
    for op in dict.fromkeys([*names, *(r.get("operation") for r in requirements)]):
        claim = claims.get(op)
        version = str((claim or {}).get("standard_version") or (names.get(op) or {}).get("version") or "?")
        reqs = [r for r in requirements if r.get("operation") == op]
        counts = status.count((r.get("status") for r in reqs), status.REQUIREMENT_STATUSES)
        musts = [r for r in reqs if r.get("level") == "must"]
        results[(op, version)] = {
            "counts": counts,
            "claimed": claim is not None,
            "conformant": claim is not None
            and bool(musts)
            and all(r.get("status") in status.CONFORMING for r in musts),
            "statuses": {r["id"]: r.get("status") for r in reqs},
        }
    return results


def _operation_names(entries: Sequence[Entry]) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    for entry in entries:
        for standard in entry.report.get("standards") or ():
            name = standard.get("name") or {}
            names.setdefault(standard["id"], {"ja": name.get("ja", standard["id"]), "en": name.get("en", "")})
    return names


def build_site(
    entries: Sequence[Entry], out: Path, trust_store: trust.TrustStore | None = None
) -> dict[str, Any]:
    """Write the site of ``entries`` into ``out``; returns what it holds (runs, systems, columns).

    Runs are ordered by their start time; the latest run of a system is the one its matrix row
    shows. Reports that fail verification are shown with their state, never hidden.
    """
    out.mkdir(parents=True, exist_ok=True)
    (out / "reports").mkdir(exist_ok=True)
    (out / "systems").mkdir(exist_ok=True)
    names = _operation_names(entries)
    runs = []
    for number, entry in enumerate(entries, start=1):
        report = entry.report
        assessment = trust.assess(report, trust_store)
        run = report.get("run") or {}
        started = str(run.get("started_at") or report.get("generated_at") or "")
        folder = f"{number:03d}" + (f"-{assessment.digest[:12]}" if assessment.digest else "")
        (out / "reports" / folder).mkdir(exist_ok=True)
        (out / "reports" / folder / "report.json").write_bytes(entry.raw)
        (out / "reports" / folder / "report.html").write_text(render_html(report), encoding="utf-8")
        vendor, system = _system_key(report)
        runs.append(
            {
                "number": number,
                "source": entry.source,
                "href": f"reports/{folder}/report.html",
                "vendor": vendor,
                "system": system,
                "version": ((report.get("target") or {}).get("system") or {}).get("version"),
                "started_at": started,
                "when": labels.wareki_datetime(started),
                "profile": run.get("profile"),
                "seed": run.get("seed"),
                "conformant": bool((report.get("summary") or {}).get("conformant")),
                "assessment": assessment,
                "results": _operation_results(report),
                "report": report,
            }
        )
    runs.sort(key=lambda r: (r["started_at"], r["number"]))
    columns = sorted(
        {key for run in runs for key in run["results"]},
        key=lambda k: (list(names).index(k[0]) if k[0] in names else len(names), k[0], k[1]),
    )
    systems: dict[tuple[str, str], dict[str, Any]] = {}
    for run in runs:
        key = (run["vendor"], run["system"])
        page = systems.setdefault(
            key,
            {"vendor": key[0], "system": key[1], "runs": [], "href": f"systems/{len(systems) + 1:03d}.html"},
        )
        _mark_regressions(run, page["runs"])
        page["runs"].append(run)
    for page in systems.values():
        page["latest"] = {}
        for run in page["runs"]:
            for key in run["results"]:
                page["latest"][key] = run  # runs are in time order: the last one wins
        page["regressions"] = sum(len(r["regressions"]) for r in page["runs"])
    latest = [page["runs"][-1]["report"] for page in systems.values()]
    if len(latest) >= 2:
        (out / "compare.html").write_text(render_compare_html(compare(latest, trust_store)), encoding="utf-8")
    env = environment()
    context = {
        "has_compare": len(latest) >= 2,
        "names": names,
        "columns": columns,
        "systems": list(systems.values()),
        "runs": runs,
        "cell_statuses": CELL_STATUSES,
        "trust_states": trust.STATES,
        "trusting": bool(trust_store),
    }
    (out / "index.html").write_text(
        env.get_template("site_index.html.j2").render(**context), encoding="utf-8"
    )
    for page in systems.values():
        html = env.get_template("site_system.html.j2").render(page=page, **context)
        (out / page["href"]).write_text(html, encoding="utf-8")
    return {"runs": runs, "systems": list(systems.values()), "columns": columns}


def _mark_regressions(run: dict[str, Any], earlier: Sequence[Mapping[str, Any]]) -> None:
    """Set ``run["regressions"]``: ids that passed in the previous run of the same operation and
    version of this system and now fail or error; and ``run["fixed"]``: the reverse."""
    run["regressions"], run["fixed"] = [], []
    for key, result in run["results"].items():
        previous = next((r["results"][key] for r in reversed(earlier) if key in r["results"]), None)
        if previous is None:
            continue
        for rid, state in result["statuses"].items():
            before = previous["statuses"].get(rid)
            if before == "passed" and state in REGRESSED:
                run["regressions"].append(rid)
            elif before in REGRESSED and state == "passed":
                run["fixed"].append(rid)


def load_entries(paths: Sequence[Path]) -> list[Entry]:
    """Entries from report files; ``ValueError`` naming the file that is not a JSON object."""
    entries = []
    for path in paths:
        raw = path.read_bytes()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path} is not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise ValueError(f"{path} is not a JSON object")
        entries.append(Entry(data, raw, str(path)))
    return entries
