"""``kikan data generate``: valid synthetic migration files of one operation, with seeded defects.

Every entity of the operation gets a file, built column by column from its layout
(:mod:`migration.synth`): keys and unique items from permutations, references drawn from the keys
of the entity they refer to, groups given their one member that meets an ``at_most_one`` rule
(one 世帯主 per 世帯), histories built from the current records (1–3 rows each, the last equal to
the record). With ``defects`` > 0 a share of the rows gets one defect each, cycling through every
error code that the layout can carry (:mod:`migration.defects`); the problems they must cause are
written beside the files in ``expected.json``. The same operation, rows and seed give the same files.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from migration import synth
from migration.defects import Expected, apply_defects
from migration.items import checker_for
from migration.layout import Column, Layout, layouts
from migration.records import RecordRules, record_rules
from standards.common import identifiers
from standards.loader import load_standards

UID = "__uid"
PARENT = "__parent"
PRESENT_PERCENT = 60
#: Rows of each generated frame checked by the standard's validators before writing.
CHECKED_ROWS = 40
#: id types built as unique permutations: (width, check-digit kind, weights).
UNIQUE_FORMS = {
    "atena_no": (12, "", None),
    "setai_no": (10, "", None),
    "juminhyo_code": (11, "", None),
    "kojin_bango": (11, "last_mod11", identifiers.KOJIN_BANGO_WEIGHTS),
}


@dataclass(frozen=True)
class Generated:
    files: dict[str, Path]  # entity -> file
    expected: Path
    rows: dict[str, int]
    defects: int


def _unique(column: Column, n: int, seed: int) -> pl.Series:
    form = UNIQUE_FORMS.get(column.type)
    if form is not None:
        width, check, weights = form
        return synth.digits_with_check(n, width, synth.seed_of(seed, column.name), weights, check)
    if column.kind == "integer":
        return pl.int_range(1, n + 1, eager=True).cast(pl.String)
    width = min(column.max_length or 12, 12)
    numbers = pl.int_range(0, n, eager=True).cast(pl.String)
    if width <= 1:
        return numbers
    return pl.select(pl.lit("K") + numbers.str.zfill(width - 1)).to_series()


def _optional(values: pl.Series, column_required: bool, n: int, seed: int, name: str) -> pl.Series:
    if column_required:
        return values
    keep = synth.mask(n, PRESENT_PERCENT, synth.seed_of(seed, "present", name))
    return pl.select(pl.when(keep).then(values)).to_series().alias(name)


def _item_series(
    layout: Layout, item: str, columns: tuple[Column, ...], n: int, seed: int, fixed: dict[str, pl.Series]
) -> dict[str, pl.Series]:
    required = item in set(layout.schema.get("required", ())) and not columns[0].nullable
    first = columns[0]
    if first.member is None:
        if first.name in fixed:
            return {first.name: fixed[first.name]}
        pool = pl.Series(synth.pool(first, seed), dtype=pl.String)
        values = pool.gather(synth.picks(n, len(pool), synth.seed_of(seed, "pick", first.name)))
        return {first.name: _optional(values, required, n, seed, first.name)}
    idx = synth.picks(n, synth.POOL, synth.seed_of(seed, "pick", item))
    present = (
        pl.Series([True] * n)
        if required
        else synth.mask(n, PRESENT_PERCENT, synth.seed_of(seed, "present", item))
    )
    if first.type in ("partial_date", "address"):
        objects = synth.object_pool(first.type, seed, item)
        members = {
            c.name: pl.Series([o.get(c.member or "") for o in objects], dtype=pl.String) for c in columns
        }
    else:
        members = {}
        for c in columns:
            values = pl.Series(synth.pool(c, seed), dtype=pl.String)
            if not c.required:
                values = pl.select(
                    pl.when(synth.mask(synth.POOL, 50, synth.seed_of(seed, c.name))).then(values)
                ).to_series()
            members[c.name] = values
    return {
        name: pl.select(pl.when(present).then(values.gather(idx))).to_series().alias(name)
        for name, values in members.items()
    }


def _frame(layout: Layout, n: int, seed: int, fixed: dict[str, pl.Series]) -> pl.DataFrame:
    data: dict[str, pl.Series] = {}
    for item, columns in layout.items().items():
        data.update(_item_series(layout, item, columns, n, seed, fixed))
    return pl.DataFrame(data).select([c.name for c in layout.columns])


def _check_pools(layout: Layout, frame: pl.DataFrame) -> None:
    """Every value the generator made is valid by the standard's own checks (a generator bug stops here)."""
    checker = checker_for(layout.operation, layout.entity)
    for row in frame.head(CHECKED_ROWS).iter_rows(named=True):
        for item in checker.groups:
            found = checker.check(item, row)
            if found:
                raise RuntimeError(
                    f"generator made an invalid {layout.entity}.{item}: {found[0].problem.code}"
                )


def _at_most_one(
    frame: pl.DataFrame, rules: RecordRules, entity: str, layout: Layout, seed: int
) -> pl.DataFrame:
    for e, group, where in rules.at_most_one:
        if e != entity:
            continue
        first = pl.int_range(pl.len()).over(group) == 0
        frame = frame.with_columns(
            [pl.when(first).then(pl.lit(v)).otherwise(pl.col(k)).alias(k) for k, v in where.items()]
        )
        key, value = next(iter(where.items()))
        others = [v for v in synth.pool(layout.column(key), seed) if v != value] or ["99"]
        matches = pl.all_horizontal([pl.col(k) == v for k, v in where.items()])
        frame = frame.with_columns(
            pl.when(~first & matches).then(pl.lit(others[0])).otherwise(pl.col(key)).alias(key)
        )
    return frame


def _history(
    parent: pl.DataFrame, layout: Layout, number: str, key: list[str], seed: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    n = parent.height
    counts = synth.picks(n, 3, synth.seed_of(seed, "history", layout.entity)) + 1
    parent = parent.with_columns(counts.cast(pl.String).alias(number))
    idx = pl.int_range(0, n, eager=True).repeat_by(counts).explode()
    rows = parent.with_row_index(PARENT).select(pl.all().gather(idx))
    rows = rows.with_columns((pl.int_range(pl.len()).over(PARENT) + 1).cast(pl.String).alias(number))
    own = [c for c in layout.columns if c.name not in parent.columns]
    extra = _frame_subset(layout, own, rows.height, seed)
    return parent, pl.concat([rows, extra], how="horizontal").select(
        [PARENT, *[c.name for c in layout.columns]]
    )


def _frame_subset(layout: Layout, columns: list[Column], n: int, seed: int) -> pl.DataFrame:
    names = {c.name for c in columns}
    data: dict[str, pl.Series] = {}
    for item, cols in layout.items().items():
        if cols[0].name in names:
            data.update(_item_series(layout, item, cols, n, seed, {}))
    return pl.DataFrame(data)


def build(
    operation: str, rows: int, seed: int
) -> tuple[dict[str, pl.DataFrame], RecordRules, dict[str, Layout]]:
    """The valid frames of every entity of ``operation`` (history frames carry ``__parent``)."""
    op = load_standards().operation(operation)
    by_entity = {lay.entity: lay for lay in layouts(operation)}
    rules = record_rules(op, by_entity)
    histories = {h.entity: h for h in rules.histories}
    targets = {r.target for r in rules.references}
    main = next(e for e in by_entity if e not in histories)
    sizes = {
        e: (max(1, rows // 2) if e in targets and e != main else rows)
        for e in by_entity
        if e not in histories
    }
    keyed_by = {r.entity: r.target for r in rules.references if (r.item,) == tuple(rules.keys[r.entity])}
    for entity, target in keyed_by.items():  # keyed by another's key: at most one record per record there
        if entity in sizes and target in sizes:
            sizes[entity] = min(sizes[entity], sizes[target])
    keys = {
        e: {
            k: _unique(by_entity[e].column(k), sizes[e], seed)
            for k in rules.keys[e]
            if k in {c.name for c in by_entity[e].columns}
        }
        for e in sizes
    }
    unique = {
        e: {
            item: _unique(by_entity[e].column(item), sizes[e], seed) for ent, item in rules.unique if ent == e
        }
        for e in sizes
    }
    frames: dict[str, pl.DataFrame] = {}
    for entity, n in sizes.items():
        fixed = {**keys[entity], **unique[entity]}
        for ref in rules.references:
            if ref.entity != entity or ref.target not in keys or ref.array:
                continue  # arrays are written empty ([]): no element to resolve
            pool = keys[ref.target][ref.target_key]
            if keyed_by.get(entity) == ref.target and ref.item in rules.keys[entity]:
                fixed[ref.item] = pool.head(n)  # the same keys, one record each
                continue
            fixed[ref.item] = pool.gather(
                synth.picks(n, len(pool), synth.seed_of(seed, "ref", entity, ref.item))
            )
        frame = _frame(by_entity[entity], n, seed, fixed)
        frame = _at_most_one(frame, rules, entity, by_entity[entity], seed)
        _check_pools(by_entity[entity], frame)
        frames[entity] = frame
    for entity, history in histories.items():
        if history.of in frames:
            parent, rows_frame = _history(
                frames[history.of], by_entity[entity], history.number, list(rules.keys[history.of]), seed
            )
            frames[history.of] = parent
            frames[entity] = rows_frame
    return frames, rules, by_entity


def _write_atomically(
    frames: dict[str, pl.DataFrame], expected: list[Expected], out: Path, meta: dict[str, object]
) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kikan-data-", dir=out))
    try:
        written = {}
        for entity, frame in frames.items():
            name = f"{meta['operation']}_{entity}.csv"
            frame.drop([c for c in (PARENT, UID) if c in frame.columns]).write_csv(staging / name)
            written[entity] = name
        doc = {
            **meta,
            "files": written,
            "problems": [
                {
                    "file": written[p.entity],
                    "entity": p.entity,
                    "row": p.row,
                    "column": p.column,
                    "code": p.code,
                }
                for p in sorted(expected, key=lambda p: (p.entity, p.row, p.column, p.code))
            ],
        }
        (staging / "expected.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        for name in [*written.values(), "expected.json"]:
            os.replace(staging / name, out / name)
        return {e: out / n for e, n in written.items()}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def generate(operation: str, rows: int, seed: int, out: Path, *, defects: float = 0.0) -> Generated:
    """Write the files of ``operation`` (``rows`` records of its main entity) and ``expected.json`` to ``out``."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    if not 0.0 <= defects <= 0.5:
        raise ValueError("defects must be a rate between 0 and 0.5")
    frames, rules, by_entity = build(operation, rows, seed)
    expected: list[Expected] = []
    if defects > 0:
        frames, expected = apply_defects(
            frames, rules, by_entity, defects, random.Random(synth.seed_of(seed, "defects"))
        )
    meta = {"operation": operation, "rows": rows, "seed": seed, "defect_rate": defects}
    files = _write_atomically(frames, expected, out, meta)
    return Generated(files, out / "expected.json", {e: f.height for e, f in frames.items()}, len(expected))
