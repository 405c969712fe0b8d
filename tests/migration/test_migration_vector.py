"""The compiled rules (migration.vector) against the standard's own validators, value by value."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from migration.generate import generate
from migration.validate import validate
from migration.vector import _is_date
from standards.common.dates import validate_iso_date


def test_the_date_rule_is_the_calendar_of_the_standard() -> None:
    years = [*range(0, 30), *range(1890, 2110), 100, 400, 1100, 1200, 2400, 2800, 9999]
    values = [f"{y:04d}-{m:02d}-{d:02d}" for y in years for m in range(14) for d in range(33)]
    values += ["2023-1-01", "+023-01-01", "20230101", "2023-01-01 ", "２０２３-01-01", ""]
    got = pl.DataFrame({"v": values}).select(_is_date(pl.col("v"))).to_series().to_list()
    assert [v for v, ok in zip(values, got, strict=True) if ok != (not validate_iso_date(v))] == []


def test_year_0000_is_not_a_date(tmp_path: Path) -> None:
    # Polars parses 0000-01-01 as a date; the standard's dates (Python's) have no year 0.
    resident = generate("juki", 20, 3, tmp_path).files["resident"]
    lines = resident.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[5].rstrip("\n").split(",")
    cells[header.index("todoke_bi")] = "0000-01-01"
    lines[5] = ",".join(cells) + "\n"
    resident.write_text("".join(lines), encoding="utf-8")
    found = {(p.row, p.column, p.code) for p in validate([resident], "juki").problems}
    assert found == {(5, "todoke_bi", "NOT_A_DATE")}
