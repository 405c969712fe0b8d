"""The self-contained HTML page of a report (Jinja2 templates, autoescape on)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import ChainableUndefined, Environment, PackageLoader

from reports import labels, trust
from reports.render import view
from reports.render.verdict import reasons, verdict_line


@cache
def environment() -> Environment:
    """The Jinja2 environment of the report templates; autoescape is always on (vendor data)."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=ChainableUndefined,  # a member missing from a foreign report shows as empty
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.globals.update(
        labels=labels,
        body_text=view.body_text,
        example_text=view.example_text,
        header_lines=view.header_lines,
        outcome_label=outcome_label,
        status_order=view.STATUS_ORDER,
        wareki=labels.wareki_datetime,
        section_id=view.section_id,
        short_fingerprint=trust.short,
    )
    return env


def outcome_label(outcome: str) -> str:
    """``"ja / en"`` of a test outcome (``not_run`` included)."""
    if outcome == "not_run":
        return "未実行 / Not run"
    return labels.both(labels.OUTCOME, outcome)


def render_html(report: Mapping[str, Any]) -> str:
    """One self-contained HTML page (inline CSS, no scripts, no external resources) of ``report``.

    The page shows failures first, then errors and unverified requirements, with passed, not
    claimed and not testable requirements collapsed. Every value from the report is escaped.
    """
    box = verdict_line(report)
    context = {
        "report_version": report.get("report_version", ""),
        "generated_at": report.get("generated_at", ""),
        "suite": report.get("suite") or {},
        "target": report.get("target") or {"system": {}},
        "claims": report.get("claims") or [],
        "run": report.get("run") or {},
        "standards": report.get("standards") or [],
        "summary": report.get("summary") or {"requirements": {}, "tests": {}},
        "digest": report.get("digest"),
        "signature": report.get("signature"),
        "assessment": trust.assess(report),
        "claim_views": view.claim_views(report),
        "names": view.operation_names(report),
        "level_rows": view.level_table(report),
        "groups": view.groups(report),
        "conformant": box["ok"],
        "verdict_ja": box["ja"],
        "verdict_en": box["en"],
        "verdict": box,
        "reasons": reasons(report),
        "failure_groups": [g for g in report.get("failure_groups") or () if g.get("count", 0) > 1],
    }
    return environment().get_template("report.html.j2").render(**context)
