"""Seeded defects of the rules across records and files, each with the problems it must cause."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from migration.records import RecordRules

PARENT = "__parent"
Mirror = dict[str, tuple[str, dict[int, int]]]


def latest_history(frames: dict[str, pl.DataFrame], rules: RecordRules) -> Mirror:
    """For each entity with a history: the history entity and, per record, the uid of its latest row."""
    out: Mirror = {}
    for history in rules.histories:
        if history.entity in frames and history.of in frames and PARENT in frames[history.entity].columns:
            latest: dict[int, int] = {}
            for uid, parent in enumerate(frames[history.entity][PARENT].to_list()):
                latest[parent] = uid
            out[history.of] = (history.entity, latest)
    return out


def protected_columns(rules: RecordRules) -> dict[str, set[str]]:
    """Columns item defects leave alone (keys, references, groups, history numbers), and unique items."""
    out: dict[str, set[str]] = {}
    for entity, key in rules.keys.items():
        out.setdefault(entity, set()).update(key)
    for ref in rules.references:
        out.setdefault(ref.entity, set()).add(ref.item)
    for entity, group, _ in rules.at_most_one:
        out.setdefault(entity, set()).add(group)
    for history in rules.histories:
        out.setdefault(history.entity, set()).add(history.number)
        out.setdefault(history.of, set()).add(history.number)
    for entity, item in rules.unique:
        out.setdefault(f"{entity}:unique", set()).add(item)
    return out


def _mirror(
    plan: Any, mirror: Mirror, entity: str, uid: int, cells: dict[str, Any]
) -> tuple[str, int] | None:
    if entity not in mirror:
        return None
    history, latest = mirror[entity]
    plan.set(history, latest[uid], cells)
    return history, latest[uid]


@dataclass(frozen=True)
class RecordDefect:
    applies: Callable[[RecordRules, dict[str, pl.DataFrame]], bool]
    make: Callable[[Any, RecordRules, Mirror], None]


def _main(rules: RecordRules, frames: dict[str, pl.DataFrame]) -> str:
    histories = {h.entity for h in rules.histories}
    return next(e for e in frames if e not in histories)


def _matches(plan: Any, entity: str, uid: int, where: dict[str, str]) -> bool:
    return all(plan.values(entity, k)[uid] == v for k, v in where.items())


def _duplicate_key(plan: Any, rules: RecordRules, mirror: Mirror) -> None:
    entity = _main(rules, plan.frames)
    where_rules = [w for e, _, w in rules.at_most_one if e == entity]
    uid = plan.free_row(entity, lambda u: not any(_matches(plan, entity, u, w) for w in where_rules))  # noqa: B023 - called at once
    if uid is None or plan.appended[entity]:
        return
    new = uid + plan.frames[entity].height
    plan.appended[entity].append(uid)
    plan.expected.append((entity, new, rules.keys[entity][-1], "DUPLICATE_KEY"))
    for e, item in rules.unique:
        if e == entity and plan.values(entity, item)[uid] is not None:
            plan.expected.append((entity, new, item, "DUPLICATE_VALUE"))


def _duplicate_value(plan: Any, rules: RecordRules, mirror: Mirror) -> None:
    for entity, item in rules.unique:
        values = plan.values(entity, item)
        first = plan.free_row(entity, lambda u: values[u] is not None and u + 1 < len(values))  # noqa: B023 - called at once
        if first is None:
            continue
        later = plan.free_row(entity, lambda u: u > first and values[u] is not None)  # noqa: B023 - called at once
        if later is None:
            continue
        cells = {item: values[first]}
        plan.set(entity, later, cells)
        plan.expected.append((entity, later, item, "DUPLICATE_VALUE"))
        _mirror(plan, mirror, entity, later, cells)
        return


def _second_in_group(plan: Any, rules: RecordRules, mirror: Mirror) -> None:
    for entity, group, where in rules.at_most_one:
        groups = plan.values(entity, group)
        seen: dict[Any, int] = {}
        firsts = {seen.setdefault(g, u) for u, g in enumerate(groups)}

        def second(
            u: int,
            firsts: set[int] = firsts,
            head_of: dict[Any, int] = seen,
            at: tuple = (entity, groups, where),
        ) -> bool:
            name, values, condition = at
            head = head_of[values[u]]
            return u not in firsts and head not in plan.used[name] and _matches(plan, name, head, condition)

        uid = plan.free_row(entity, second)
        if uid is None:
            continue
        plan.used[entity].add(seen[groups[uid]])  # the group's first match stays as it is
        plan.set(entity, uid, dict(where))
        plan.expected.append((entity, uid, next(iter(where)), "MORE_THAN_ONE_IN_GROUP"))
        _mirror(plan, mirror, entity, uid, dict(where))
        return


def _dangling_reference(plan: Any, rules: RecordRules, mirror: Mirror) -> None:
    histories = {h.entity for h in rules.histories}
    for ref in rules.references:
        if ref.entity in histories or ref.target not in plan.frames or ref.array:
            continue
        known = set(plan.values(ref.target, ref.target_key))
        sample = next((v for v in plan.values(ref.entity, ref.item) if v is not None), None)
        if sample is None:
            continue
        # a number no record has, and a new one each time (two dangling rows must not form a group)
        taken = known | plan.dangling
        value = next(
            v for v in (str(10 ** len(sample) - 1 - i) for i in range(len(taken) + 1)) if v not in taken
        )
        plan.dangling.add(value)
        values = plan.values(ref.entity, ref.item)
        uid = plan.free_row(ref.entity, lambda u: values[u] is not None)  # noqa: B023 - called at once
        if uid is None:
            continue
        cells = {ref.item: value}
        plan.set(ref.entity, uid, cells)
        plan.expected.append((ref.entity, uid, ref.item, "REFERENCE_NOT_FOUND"))
        mirrored = _mirror(plan, mirror, ref.entity, uid, cells)
        if mirrored and any(r.entity == mirrored[0] and r.item == ref.item for r in rules.references):
            plan.expected.append((mirrored[0], mirrored[1], ref.item, "REFERENCE_NOT_FOUND"))
        return


def _history_rows(plan: Any, history: str) -> dict[int, list[int]]:
    rows: dict[int, list[int]] = {}
    for uid, parent in enumerate(plan.values(history, PARENT)):
        rows.setdefault(parent, []).append(uid)
    return rows


def _history_numbering(plan: Any, rules: RecordRules, mirror: Mirror) -> None:
    for h in rules.histories:
        if h.of not in mirror:
            continue
        rows = _history_rows(plan, h.entity)
        parent = plan.free_row(h.of, lambda u: len(rows.get(u, ())) >= 2)  # noqa: B023 - called at once
        if parent is not None:
            plan.set(h.entity, rows[parent][0], {h.number: "0"})
            plan.expected.append((h.entity, rows[parent][0], h.number, "HISTORY_NUMBERING"))
            return


def _history_mismatch(plan: Any, rules: RecordRules, mirror: Mirror, layouts: Any = None) -> None:
    protected = protected_columns(rules)
    for h in rules.histories:
        if h.of not in mirror:
            continue
        where_cols = {k for e, _, w in rules.at_most_one if e == h.of for k in w}
        columns = [
            c
            for c in plan.frames[h.of].columns
            if c not in protected.get(h.of, set()) and c not in where_cols and not c.startswith("__")
        ]
        column = next(
            (
                c
                for c in columns
                if plan.frames[h.of][c].drop_nulls().n_unique() >= 2
                and plan.frames[h.of][c].null_count() == 0
            ),
            None,
        )
        if column is None:
            continue
        values = plan.values(h.of, column)
        parent = plan.free_row(h.of, lambda u: True)  # noqa: B023 - called at once
        if parent is None:
            continue
        other = next(v for v in plan.frames[h.of][column].unique().sort().to_list() if v != values[parent])
        latest = mirror[h.of][1][parent]
        plan.set(h.entity, latest, {column: other})
        plan.expected.append((h.entity, latest, column, "HISTORY_MISMATCH"))
        return


def _history_missing(plan: Any, rules: RecordRules, mirror: Mirror) -> None:
    for h in rules.histories:
        if h.of not in mirror:
            continue
        rows = _history_rows(plan, h.entity)
        used = plan.used[h.entity]
        parent = plan.free_row(h.of, lambda u: u in rows and not used.intersection(rows[u]))  # noqa: B023 - called at once
        if parent is not None:
            used.update(rows[parent])  # rows removed: no other defect may be placed in them
            plan.removed[h.entity].update(rows[parent])
            plan.expected.append((h.of, parent, rules.keys[h.of][-1], "HISTORY_MISSING"))
            return


def _has(attr: str) -> Callable[[RecordRules, dict[str, pl.DataFrame]], bool]:
    return lambda rules, frames: bool(getattr(rules, attr))


RECORD_DEFECTS: dict[str, RecordDefect] = {
    "DUPLICATE_KEY": RecordDefect(lambda rules, frames: True, _duplicate_key),
    "DUPLICATE_VALUE": RecordDefect(_has("unique"), _duplicate_value),
    "MORE_THAN_ONE_IN_GROUP": RecordDefect(_has("at_most_one"), _second_in_group),
    "REFERENCE_NOT_FOUND": RecordDefect(_has("references"), _dangling_reference),
    "HISTORY_NUMBERING": RecordDefect(_has("histories"), _history_numbering),
    "HISTORY_MISMATCH": RecordDefect(_has("histories"), _history_mismatch),
    "HISTORY_MISSING": RecordDefect(_has("histories"), _history_missing),
}
