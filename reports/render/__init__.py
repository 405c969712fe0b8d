"""Renderers of a report: JSON, one self-contained HTML page, JUnit XML and a Markdown summary."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reports.render.html import render_html
from reports.render.junit import render_junit
from reports.render.markdown import render_markdown

__all__ = ["render_html", "render_json", "render_junit", "render_markdown", "write_all"]


def render_json(report: Mapping[str, Any]) -> str:
    """The report as pretty, UTF-8 JSON (Japanese kept as is, not ``\\u`` escapes)."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def write_all(report: Mapping[str, Any], out_dir: Path | str) -> dict[str, Path]:
    """Write ``report.json``, ``report.html``, ``junit.xml`` and ``summary.md`` into ``out_dir``.

    Creates the folder if needed and returns format name (``json``, ``html``, ``junit``,
    ``markdown``) -> path written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    outputs = {
        "json": ("report.json", render_json),
        "html": ("report.html", render_html),
        "junit": ("junit.xml", render_junit),
        "markdown": ("summary.md", render_markdown),
    }
    written = {}
    for key, (name, renderer) in outputs.items():
        path = out / name
        path.write_text(renderer(report), encoding="utf-8")
        written[key] = path
    return written
