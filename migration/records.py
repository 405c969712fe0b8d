"""Rules across records and across files, derived from the standard.

- every entity's ``key`` is unique in its file (DUPLICATE_KEY);
- the operation's rule ``file_record_rules`` (rules.yaml) adds ``unique`` items (個人番号 …) and
  ``at_most_one`` conditions per group (one 世帯主 per 世帯): DUPLICATE_VALUE, MORE_THAN_ONE_IN_GROUP;
- an item that names another entity's one-item key refers to that entity: REFERENCE_NOT_FOUND
  when its file is given and no record there has the value. An item names a key when it has the
  key's type and either that type is a common identifier type (住民's setai_no → 世帯, 世帯's
  setainushi → 住民, 異動履歴's atena_no → 住民) or its name is the key's name, alone or after a
  role (戸籍に記載されている者's koseki_no → 戸籍, 戸籍's hittousha_member_id → 記載, 選挙人's
  shori_no → 名簿処理); the referenced entity is the first one keyed so, and may be the item's own
  (a 記載's haigusha_member_id). An entity keyed by another's key refers to it (住民票の写し →
  住民, 印鑑登録証明書 → 印鑑登録); an array of such values refers with each element (世帯員,
  登録した者);
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
from standards.model import PRIMITIVES, Item, Operation

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
    """Item ``item`` of ``entity`` holds keys ``target_key`` of ``target`` (each element, if ``array``)."""

    entity: str
    item: str
    target: str
    target_key: str
    array: bool = False


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
    rules.references.extend(references(op, layouts))
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


def _names_key(item: Item, key: Item) -> bool:
    """Whether ``item`` (or each element of an array item) names key item ``key`` of an entity."""
    value = item.of if item.type == "array" and item.of is not None else item
    if value.type != key.type:
        return False
    return key.type not in PRIMITIVES or item.name == key.name or item.name.endswith(f"_{key.name}")


def references(op: Operation, layouts: Mapping[str, Layout]) -> list[Reference]:
    """The items of ``op``'s entities that name another entity's one-item key (see the module
    docstring); items in a file of their own column only (not inside an object or array of objects)."""
    keyed = [(e, e.item(e.key[0])) for e in op.entities if len(e.key) == 1]
    out = []
    for e in op.entities:
        for item in e.items:
            if item.name not in _single(layouts, e.id):
                continue
            own_key = tuple(e.key) == (item.name,)
            for target, key in keyed:
                if not _names_key(item, key):
                    continue
                if target.id == e.id and own_key:
                    break  # the first entity keyed so is this one: its key refers to nothing
                out.append(Reference(e.id, item.name, target.id, key.name, array=item.type == "array"))
                break
    return out


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


def _later_duplicates(frame: pl.LazyFrame, cols: list[str]) -> pl.LazyFrame:
    """The rows of ``frame`` whose ``cols`` (all present) repeat those of an earlier row."""
    present = frame.filter(pl.all_horizontal([pl.col(c).is_not_null() for c in cols]))
    if len(cols) > 1:
        return present.filter(~pl.struct(cols).is_first_distinct()).select(ROW)
    # Identifiers are digits: compared as integers (their length kept, so 011 is not 11), which is
    # faster than as text; other values as text (a text of digits never equals one that is not).
    value = pl.col(cols[0])
    digits = value.str.contains(r"^[0-9]{1,17}$")
    number = value.str.len_bytes().cast(pl.UInt64) * pl.lit(10**18, pl.UInt64) + value.cast(
        pl.UInt64, strict=False
    )
    return pl.concat(
        [
            present.filter(digits).filter(~number.is_first_distinct()).select(ROW),
            present.filter(~digits).filter(~value.is_first_distinct()).select(ROW),
        ]
    )


def _elements(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """One row per string element of the JSON array text in ``column`` (a text that is no array of
    strings has its own problem from the item rules)."""
    strings = pl.col(column).str.extract_all(r'"(?:[^"\\]|\\.)*"')
    return (
        frame.with_columns(strings)
        .explode(column)
        .filter(pl.col(column).is_not_null())
        .with_columns(pl.col(column).str.slice(1, pl.col(column).str.len_chars() - 2))
    )


def check(rules: RecordRules, frames: Mapping[str, pl.DataFrame]) -> Iterator[RecordProblem]:
    """Every problem across the records of ``frames`` (entity → narrow frame with ``__row``)."""
    checks: list[tuple[str, str, str, pl.LazyFrame]] = []  # entity, column, code, rows
    for entity, frame in frames.items():
        lazy = frame.lazy()
        key = list(rules.keys[entity])
        checks.append((entity, key[-1], "DUPLICATE_KEY", _later_duplicates(lazy, key)))
        for e, item in rules.unique:
            if e == entity:
                checks.append((entity, item, "DUPLICATE_VALUE", _later_duplicates(lazy, [item])))
        for e, group, where in rules.at_most_one:
            if e == entity:
                matching = lazy.filter(pl.all_horizontal([pl.col(k) == v for k, v in where.items()]))
                checks.append(
                    (
                        entity,
                        next(iter(where)),
                        "MORE_THAN_ONE_IN_GROUP",
                        _later_duplicates(matching, [group]),
                    )
                )
    # one query per rule, run side by side
    for (entity, column, code, _), rows in zip(checks, pl.collect_all([c[3] for c in checks]), strict=True):
        for row in rows[ROW]:
            yield RecordProblem(entity, row, column, code)
    for ref in rules.references:
        if ref.entity in frames and ref.target in frames:
            source = frames[ref.entity].select(ROW, ref.item).filter(pl.col(ref.item).is_not_null())
            if ref.array:
                source = _elements(source, ref.item)
            known = frames[ref.target].select(pl.col(ref.target_key).alias(ref.item))
            for row in source.join(known, on=ref.item, how="anti")[ROW].unique().sort():
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
