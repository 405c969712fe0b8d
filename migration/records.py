"""Rules across records and across files, derived from the standard.

- every entity's ``key`` is unique in its file (DUPLICATE_KEY);
- the operation's rule ``file_record_rules`` (rules.yaml) adds ``unique`` items (個人番号 …) and
  ``at_most_one`` conditions per group (one 世帯主 per 世帯): DUPLICATE_VALUE, MORE_THAN_ONE_IN_GROUP;
- an item whose common type is the type of another entity's one-item key refers to that entity
  (住民's setai_no → 世帯; 異動履歴's atena_no → 住民): REFERENCE_NOT_FOUND when its file is given;
- an entity keyed by another's key plus a number, holding all of its items, is its history (異動履歴
  of 住民): numbers 1, 2, 3 … without gaps (HISTORY_NUMBERING), the highest row equal to the
  current record (HISTORY_MISMATCH, per differing column), a history row for every current record
  (HISTORY_MISSING).

Each rule works on a narrow frame of the columns it needs (a few per row), so files of millions of
rows stay in bounded memory; the later occurrence is the one reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from migration.layout import Layout
from standards.model import PRIMITIVES, Operation

ROW = "__row"
HASH = "__hash"


@dataclass(frozen=True)
class RecordProblem:
    entity: str
    row: int
    column: str
    code: str


@dataclass(frozen=True)
class Reference:
    entity: str
    item: str
    target: str
    target_key: str


@dataclass(frozen=True)
class History:
    entity: str  # the history (異動履歴)
    of: str  # the current record (住民)
    number: str  # the item numbering the rows (履歴番号)


@dataclass(frozen=True)
class RecordRules:
    """The rules across records of one operation, and the columns each entity's frame needs."""

    keys: dict[str, tuple[str, ...]]
    unique: list[tuple[str, str]] = field(default_factory=list)
    at_most_one: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    histories: list[History] = field(default_factory=list)

    def columns(self, entity: str) -> list[str]:
        """The columns of ``entity``'s file the rules read (besides the history hash)."""
        cols = list(self.keys[entity])
        cols += [item for e, item in self.unique if e == entity]
        for e, group, where in self.at_most_one:
            if e == entity:
                cols += [group, *where]
        cols += [r.item for r in self.references if r.entity == entity]
        cols += [r.target_key for r in self.references if r.target == entity]
        return list(dict.fromkeys(cols))


def _where_value(op: Operation, value: Any) -> str:
    if isinstance(value, Mapping) and "rule" in value:
        return str(op.rule(value["rule"]).value)
    return str(value)


def record_rules(op: Operation, layouts: Mapping[str, Layout]) -> RecordRules:
    """The rules of ``op`` across records, from its entities and its ``file_record_rules`` rule."""
    rules = RecordRules(keys={e.id: e.key for e in op.entities})
    try:
        table = op.rule("file_record_rules").table or ()
    except KeyError:
        table = ()
    for row in table:
        if row["rule"] == "unique":
            rules.unique.append((row["entity"], row["item"]))
        elif row["rule"] == "at_most_one":
            where = {k: _where_value(op, v) for k, v in row["where"].items()}
            rules.at_most_one.append((row["entity"], row["group_by"], where))
    one_item_keys: dict[str, tuple[str, str]] = {}
    for e in op.entities:  # the first entity keyed by a type is the one its items refer to
        if len(e.key) == 1 and e.item(e.key[0]).type not in PRIMITIVES:
            one_item_keys.setdefault(e.item(e.key[0]).type, (e.id, e.key[0]))
    for e in op.entities:
        for item in e.items:
            target = one_item_keys.get(item.type)
            if (
                target
                and target[0] != e.id
                and tuple(e.key) != (item.name,)
                and item.name in _single(layouts, e.id)
            ):
                rules.references.append(Reference(e.id, item.name, *target))
    for e in op.entities:
        for parent in op.entities:
            names = {i.name for i in e.items}
            if (
                parent.id != e.id
                and len(e.key) == len(parent.key) + 1
                and tuple(e.key[:-1]) == tuple(parent.key)
                and names >= {i.name for i in parent.items}
                and e.item(e.key[-1]).type == "integer"
            ):
                rules.histories.append(History(e.id, parent.id, e.key[-1]))
    return rules


def _single(layouts: Mapping[str, Layout], entity: str) -> set[str]:
    found = layouts.get(entity)
    return {c.name for c in found.columns if c.member is None} if found else set()


def history_hash(columns: list[str]) -> pl.Expr:
    """One hash of a row's ``columns`` (null told apart from text), to compare history with current."""
    return (
        pl.concat_str([pl.col(c).fill_null("\x00") for c in columns], separator="\x1f")
        .hash(seed=0)
        .alias(HASH)
    )


def _later_duplicates(frame: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    present = frame.filter(pl.all_horizontal([pl.col(c).is_not_null() for c in cols]))
    values = pl.col(cols[0]) if len(cols) == 1 else pl.struct(cols)
    return present.filter(~values.is_first_distinct())


def check(rules: RecordRules, frames: Mapping[str, pl.DataFrame]) -> Iterator[RecordProblem]:
    """Every problem across the records of ``frames`` (entity → narrow frame with ``__row``)."""
    for entity, frame in frames.items():
        key = list(rules.keys[entity])
        for row in _later_duplicates(frame, key)[ROW]:
            yield RecordProblem(entity, row, key[-1], "DUPLICATE_KEY")
        for e, item in rules.unique:
            if e == entity:
                for row in _later_duplicates(frame, [item])[ROW]:
                    yield RecordProblem(entity, row, item, "DUPLICATE_VALUE")
        for e, group, where in rules.at_most_one:
            if e == entity:
                matching = frame.filter(pl.all_horizontal([pl.col(k) == v for k, v in where.items()]))
                for row in _later_duplicates(matching, [group])[ROW]:
                    yield RecordProblem(entity, row, next(iter(where)), "MORE_THAN_ONE_IN_GROUP")
    for ref in rules.references:
        if ref.entity in frames and ref.target in frames:
            source = frames[ref.entity].filter(pl.col(ref.item).is_not_null())
            known = frames[ref.target].select(pl.col(ref.target_key).alias(ref.item))
            for row in source.join(known, on=ref.item, how="anti")[ROW].sort():
                yield RecordProblem(ref.entity, row, ref.item, "REFERENCE_NOT_FOUND")
    for history in rules.histories:
        if history.entity in frames and history.of in frames:
            yield from _history(rules, history, frames[history.entity], frames[history.of])


def _history(
    rules: RecordRules, history: History, rows: pl.DataFrame, current: pl.DataFrame
) -> Iterator[RecordProblem]:
    key = list(rules.keys[history.of])
    n = history.number
    numbered = (
        rows.with_columns(pl.col(n).cast(pl.Int64, strict=False).alias("__n"))
        .filter(pl.col("__n").is_not_null() & pl.all_horizontal([pl.col(k).is_not_null() for k in key]))
        .unique(subset=[*key, "__n"], keep="first")
        .sort([*key, "__n"])
        .with_columns((pl.int_range(pl.len()).over(key) + 1).alias("__expected"))
    )
    broken = numbered.filter(pl.col("__n") != pl.col("__expected")).unique(subset=key, keep="first")
    for row in broken[ROW].sort():
        yield RecordProblem(history.entity, row, n, "HISTORY_NUMBERING")
    latest = numbered.sort("__n").group_by(key).last().select([*key, pl.col(ROW).alias("__hrow"), HASH])
    joined = current.join(latest, on=key, how="left", suffix="_h")
    for row in joined.filter(
        pl.col("__hrow").is_null() & pl.all_horizontal([pl.col(k).is_not_null() for k in key])
    )[ROW].sort():
        yield RecordProblem(history.of, row, key[-1], "HISTORY_MISSING")
    differing = joined.filter(pl.col("__hrow").is_not_null() & (pl.col(HASH) != pl.col(f"{HASH}_h")))
    for hrow, crow in zip(differing["__hrow"], differing[ROW], strict=True):
        yield RecordProblem(history.entity, hrow, f"@{crow}", "HISTORY_MISMATCH")
