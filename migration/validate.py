"""``kikan data validate``: every problem of one operation's migration files.

One streamed pass per file computes, for every row, the vectorised screens of every item
(:mod:`migration.vector`) and the narrow columns the rules across records need. Rows a screen
marks are read again (only those) and their marked items checked by the standard's own validators
(:mod:`migration.items`); the rules across records and files run on the narrow frames
(:mod:`migration.records`). A problem names file, row (1-based, header not counted), column, item
and code; values appear only when asked for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from migration import records
from migration.codes import message
from migration.errors import InputError
from migration.items import checker_for
from migration.layout import Layout, layouts
from migration.reader import Opened, open_file, polars_error, scan
from migration.records import HASH, ROW, RecordRules, history_hash
from migration.vector import screens
from standards.loader import load_standards

SUSPECT = "__suspect"
#: Rows per streamed batch: memory stays bounded by the batch, not the file.
BATCH_ROWS = 100_000


@dataclass(frozen=True)
class FileProblem:
    """One problem of one migration file."""

    file: str
    entity: str
    row: int
    column: str
    item: str
    code: str
    message_ja: str
    message_en: str
    value: str | None = None  # only with show_values
    detail: str | None = None  # the validator's own message (it may quote the value): only with show_values


@dataclass(frozen=True)
class FileSummary:
    file: str
    entity: str
    rows: int
    converted_from: str | None = None


@dataclass
class Result:
    operation: str
    files: list[FileSummary]
    problems: list[FileProblem]
    not_checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        """Problems per error code, most frequent first."""
        return dict(Counter(p.code for p in self.problems).most_common())


def _hash_columns(rules: RecordRules, entity: str, by_entity: dict[str, Layout]) -> list[str] | None:
    for history in rules.histories:
        if entity in (history.entity, history.of) and history.of in by_entity and history.entity in by_entity:
            return [c.name for c in by_entity[history.of].columns]
    return None


def _collect(frame: pl.LazyFrame, opened: Opened) -> pl.DataFrame:
    try:
        return frame.collect(engine="streaming")
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, pl.exceptions.PolarsError) as exc:
        raise polars_error(exc, opened.shown) from None


def _item_problems(opened: Opened, rows: pl.DataFrame, show_values: bool) -> Iterable[FileProblem]:
    """The exact check of the marked items of ``rows`` (the rows some screen marked)."""
    layout = opened.layout
    checker = checker_for(layout.operation, layout.entity)
    for row in rows.iter_rows(named=True):
        for item in checker.groups:
            if not row[f"__flag_{item}"]:
                continue
            for found in checker.check(item, row):
                ja, en = message(found.problem.code)
                yield FileProblem(
                    opened.shown,
                    layout.entity,
                    row[ROW],
                    found.column,
                    item,
                    found.problem.code,
                    ja,
                    en,
                    value=row.get(found.column) if show_values else None,
                    detail=f"{found.problem.message_ja} / {found.problem.message_en}"
                    if show_values
                    else None,
                )


def _mismatches(
    opened: dict[str, Opened], problem: records.RecordProblem, current_entity: str, show_values: bool
) -> list[FileProblem]:
    """The columns in which history row ``problem.row`` differs from current record ``problem.column``."""
    history, current = opened[problem.entity], opened[current_entity]
    crow = int(problem.column.removeprefix("@"))
    columns = [c.name for c in current.layout.columns]
    h = _collect(scan(history).filter(pl.col(ROW) == problem.row).select(columns), history).row(0, named=True)
    c = _collect(scan(current).filter(pl.col(ROW) == crow).select(columns), current).row(0, named=True)
    ja, en = message(problem.code)
    return [
        FileProblem(
            history.shown,
            problem.entity,
            problem.row,
            col,
            current.layout.column(col).item,
            problem.code,
            ja,
            en,
            value=h[col] if show_values else None,
            detail=f"current: {c[col]!r}" if show_values else None,
        )
        for col in columns
        if h[col] != c[col]
    ]


def validate(
    paths: Sequence[Path], operation: str, *, show_values: bool = False, encoding: str | None = None
) -> Result:
    """Validate the migration files ``paths`` of ``operation``; InputError for a file that cannot be read."""
    op = load_standards().operation(operation)
    if not op.entities:
        raise InputError(
            operation,
            "この業務の標準にはエンティティがありません",
            "this operation's standard has no entities",
        )
    available = layouts(operation)
    opened: dict[str, Opened] = {}
    for path in paths:
        found = open_file(Path(path), available, encoding=encoding)
        if found.layout.entity in opened:
            raise InputError(
                found.shown,
                f"{opened[found.layout.entity].shown} と同じエンティティ {found.layout.entity} のファイルです",
                f"same entity {found.layout.entity} as {opened[found.layout.entity].shown}",
            )
        opened[found.layout.entity] = found
    by_entity = {e: o.layout for e, o in opened.items()}
    rules = records.record_rules(op, {lay.entity: lay for lay in available})
    problems: list[FileProblem] = []
    frames: dict[str, pl.DataFrame] = {}
    summaries = []
    for entity, file in opened.items():
        header = set(file.header)
        narrow = [c for c in rules.columns(entity) if c in header]
        flags = {f"__flag_{k}": v for k, v in screens(file.layout).items()}
        extra = [pl.any_horizontal([pl.col(f) for f in flags]).alias(SUSPECT)]
        hashed = _hash_columns(rules, entity, by_entity)
        if hashed is not None:
            extra.append(history_hash(hashed))
        # One streamed pass: per batch, the narrow columns are kept and the marked rows checked at once.
        parts = []
        try:
            for batch in (
                scan(file).with_columns(**flags).with_columns(extra).collect_batches(chunk_size=BATCH_ROWS)
            ):
                parts.append(batch.select(ROW, *narrow, *([HASH] if hashed is not None else [])))
                marked = batch.filter(pl.col(SUSPECT))
                if marked.height:
                    problems.extend(_item_problems(file, marked, show_values))
        except pl.exceptions.PolarsError as exc:
            raise polars_error(exc, file.shown) from None
        frame = pl.concat(parts) if parts else pl.DataFrame()
        frames[entity] = frame
        summaries.append(FileSummary(file.shown, entity, frame.height, file.converted and encoding or None))
    current_of = {h.entity: h.of for h in rules.histories}
    for problem in records.check(rules, frames):
        if problem.code == "HISTORY_MISMATCH":
            problems.extend(_mismatches(opened, problem, current_of[problem.entity], show_values))
            continue
        file = opened[problem.entity]
        ja, en = message(problem.code)
        column = file.layout.column(problem.column)
        problems.append(
            FileProblem(
                file.shown, problem.entity, problem.row, problem.column, column.item, problem.code, ja, en
            )
        )
    order = {o.shown: i for i, o in enumerate(opened.values())}
    problems.sort(key=lambda p: (order[p.file], p.row, p.column, p.code))
    return Result(operation, summaries, problems, _not_checked(rules, set(opened)))


def _not_checked(rules: RecordRules, given: set[str]) -> list[str]:
    out = []
    for ref in rules.references:
        if ref.entity in given and ref.target not in given:
            out.append(f"{ref.entity}.{ref.item} → {ref.target}: file not given")
    for history in rules.histories:
        if (history.entity in given) != (history.of in given):
            out.append(f"{history.entity} ↔ {history.of}: both files are needed")
    return out


__all__ = ["FileProblem", "FileSummary", "HASH", "Result", "validate"]
