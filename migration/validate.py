"""``kikan data validate``: every problem of one operation's migration files.

Each file is read once, in chunks of whole records (:mod:`migration.chunks`, which also checks
every record's field count). On each chunk the standard's item rules, compiled into Polars
expressions (:mod:`migration.vector`), find the rows that break one; those rows only are checked by
the standard's own validators (:mod:`migration.items`), which give the error codes, and the
narrow columns the rules across records need are kept. The rules across records and files then
run on the narrow frames (:mod:`migration.records`). A problem names file, row (1-based, header not
counted), column, item and code; values appear only when asked for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from migration import records
from migration.chunks import prefetched, read_chunks
from migration.codes import message
from migration.errors import InputError
from migration.items import checker_for
from migration.layout import Layout, layouts
from migration.reader import Opened, open_file, polars_error, scan
from migration.records import HASH, ROW, RecordRules, history_hash
from migration.vector import compile_rules, helpers, screens
from standards.loader import load_standards
from standards.model import Operation


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


def _item_problems(
    opened: Opened, rows: pl.DataFrame, marked: dict[str, set[int]], show_values: bool
) -> Iterable[FileProblem]:
    """The exact check of the items of ``rows`` that a rule marked (``marked``: item → rows)."""
    layout = opened.layout
    checker = checker_for(layout.operation, layout.entity)
    for row in rows.iter_rows(named=True):
        for item in checker.groups:
            if row[ROW] not in marked.get(item, ()):
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


def _read(
    file: Opened, narrow: list[str], hashed: list[str] | None, show_values: bool
) -> tuple[pl.DataFrame, list[FileProblem]]:
    """One pass over ``file``: the problems of its items, and the narrow frame (``ROW``, the columns
    ``narrow`` and, with ``hashed``, the hash of those columns) for the rules across records."""
    layout = file.layout
    compiled = compile_rules(screens(layout), ROW)
    marks = [rows.implode().alias(item) for item, rows in compiled.marks.items()]
    keep = [pl.col(ROW), *map(pl.col, narrow)]
    if hashed is not None:
        keep.append(history_hash(hashed))
    parts, problems = [], []
    for chunk in prefetched(read_chunks(file, ROW)):
        chunk = chunk.with_columns(**helpers(layout)).with_columns(**compiled.masks)
        parts.append(chunk.select(keep))
        found = {item: set(rows) for item, rows in chunk.select(marks).row(0, named=True).items() if rows}
        if found:
            rows = chunk.filter(pl.col(ROW).is_in(sorted(set().union(*found.values()))))
            problems.extend(_item_problems(file, rows, found, show_values))
    empty = pl.DataFrame(schema={ROW: pl.UInt32, **{c: pl.String for c in narrow}})
    return (pl.concat(parts) if parts else empty), problems


def _rows(opened: Opened, rows: set[int], columns: list[str]) -> dict[int, dict[str, str | None]]:
    """Rows ``rows`` of ``opened`` (their ``columns``), read in one pass."""
    try:
        found = scan(opened).filter(pl.col(ROW).is_in(sorted(rows))).select(ROW, *columns).collect()
    except pl.exceptions.PolarsError as exc:
        raise polars_error(exc, opened.shown) from None
    return {r[ROW]: r for r in found.iter_rows(named=True)}


def _mismatches(
    opened: dict[str, Opened],
    found: list[records.RecordProblem],
    current_of: dict[str, str],
    show_values: bool,
) -> list[FileProblem]:
    """For each history row ``problem.row`` that differs from its current record
    (``problem.column`` = ``@<row>``), a problem per differing column."""
    out: list[FileProblem] = []
    for entity in {p.entity for p in found}:
        history, current = opened[entity], opened[current_of[entity]]
        mine = [p for p in found if p.entity == entity]
        columns = [c.name for c in current.layout.columns]
        hrows = _rows(history, {p.row for p in mine}, columns)
        crows = _rows(current, {int(p.column.removeprefix("@")) for p in mine}, columns)
        ja, en = message("HISTORY_MISMATCH")
        for problem in mine:
            h, c = hrows[problem.row], crows[int(problem.column.removeprefix("@"))]
            out.extend(
                FileProblem(
                    history.shown,
                    entity,
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
            )
    return out


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
    try:
        for path in paths:
            found = open_file(Path(path), available, encoding=encoding)
            if found.layout.entity in opened:
                if found.converted:
                    found.path.unlink(missing_ok=True)
                raise InputError(
                    found.shown,
                    f"{opened[found.layout.entity].shown} と同じエンティティ {found.layout.entity} のファイルです",
                    f"same entity {found.layout.entity} as {opened[found.layout.entity].shown}",
                )
            opened[found.layout.entity] = found
        return _validate(op, opened, available, show_values=show_values, encoding=encoding)
    finally:  # a file converted from another encoding is a temporary copy
        for file in opened.values():
            if file.converted:
                file.path.unlink(missing_ok=True)


def _validate(
    op: Operation,
    opened: dict[str, Opened],
    available: Sequence[Layout],
    *,
    show_values: bool,
    encoding: str | None,
) -> Result:
    operation = op.id
    by_entity = {e: o.layout for e, o in opened.items()}
    rules = records.record_rules(op, {lay.entity: lay for lay in available})
    problems: list[FileProblem] = []
    frames: dict[str, pl.DataFrame] = {}
    summaries = []
    for entity, file in opened.items():
        narrow = [c for c in rules.columns(entity) if c in set(file.header)]
        frame, found = _read(file, narrow, _hash_columns(rules, entity, by_entity), show_values)
        problems.extend(found)
        frames[entity] = frame
        summaries.append(FileSummary(file.shown, entity, frame.height, file.converted and encoding or None))
    current_of = {h.entity: h.of for h in rules.histories}
    across = list(records.check(rules, frames))
    problems.extend(
        _mismatches(opened, [p for p in across if p.code == "HISTORY_MISMATCH"], current_of, show_values)
    )
    for problem in across:
        if problem.code == "HISTORY_MISMATCH":
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
