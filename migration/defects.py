"""Seeded defects for generated migration files, each with the problems it must cause.

An item defect rewrites one item of one row so that the standard rejects it with one known code
(a wrong 個人番号 check digit, a 氏名 with a Latin letter, an impossible date …); a record defect
breaks a rule across records (a duplicated key or 個人番号, a second 世帯主, a reference to no
record, a gap in the 履歴番号, a history row that disagrees with the record, a record without
history). What each must cause is stated here, from the rule it breaks, not asked of the
validator: the tests compare the two. A defect in a current record is made in its latest history
row too (the history holds the record as it stands), and expected there as well.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from migration.layout import BOOLEAN, INTEGER, Column, Layout
from migration.records import RecordRules
from migration.synth import lg_code_for
from standards.common import identifiers

UID = "__uid"
PARENT = "__parent"
Cells = dict[str, Any]  # column -> new text (None = empty)


@dataclass(frozen=True)
class Expected:
    entity: str
    row: int  # 1-based row of the written file
    column: str
    code: str


def _plus1(d: str) -> str:
    return str((int(d) + 1) % 10)


def _prefecture_48(v: str) -> str:
    base = "48" + v[2:5]
    return base + identifiers.lg_code_check_digit(base)


# (code, the columns it applies to, the new value from the old one; None when not applicable)
Mutation = Callable[[Column, Any, dict[str, Any], random.Random], Cells | None]


def _one(value: Any) -> Mutation:
    return lambda c, v, row, rng: (
        {c.name: value(v) if callable(value) else value} if v is not None or not callable(value) else None
    )


def _member(
    member: str,
    value: Any,
    *,
    clear: tuple[str, ...] = (),
    plain: bool = False,
    also: dict[str, str] | None = None,
) -> Mutation:
    def make(c: Column, v: Any, row: dict[str, Any], rng: random.Random) -> Cells | None:
        prefix = c.item + "."
        members = {k.removeprefix(prefix): x for k, x in row.items() if k.startswith(prefix)}
        if not any(x is not None for x in members.values()):
            return None
        if plain and any(x is not None for k, x in members.items() if k != "date"):
            return None
        old = members.get(member)
        new = value(old, members, rng) if callable(value) else value
        if new is False:
            return None
        return {
            prefix + member: new,
            **{prefix + k: None for k in clear},
            **{prefix + k: v for k, v in (also or {}).items()},
        }

    return make


ITEM_DEFECTS: list[tuple[str, Callable[[Column], bool], Mutation]] = [
    ("REQUIRED", lambda c: c.member is None and c.required and not c.nullable, _one(None)),
    ("CODE_NOT_IN_LIST", lambda c: c.member is None and bool(c.enum), _one("ZZ")),
    ("TYPE", lambda c: c.member is None and c.kind == BOOLEAN, _one("yes")),
    ("TYPE", lambda c: c.member is None and c.kind == INTEGER, _one("abc")),
    (
        "MAX_LENGTH",
        lambda c: c.member is None and c.type == "string" and c.max_length is not None,
        lambda c, v, r, g: {c.name: "あ" * ((c.max_length or 0) + 1)},
    ),
    ("KOJIN_BANGO_FORMAT", lambda c: c.type == "kojin_bango", _one(lambda v: v[:11])),
    ("KOJIN_BANGO_CHECK_DIGIT", lambda c: c.type == "kojin_bango", _one(lambda v: v[:11] + _plus1(v[11]))),
    ("HOUJIN_BANGO_FORMAT", lambda c: c.type == "houjin_bango", _one(lambda v: v[1:])),
    (
        "HOUJIN_BANGO_CHECK_DIGIT",
        lambda c: c.type == "houjin_bango",
        _one(lambda v: str(int(v[0]) % 9 + 1) + v[1:]),
    ),
    ("JUMINHYO_CODE_FORMAT", lambda c: c.type == "juminhyo_code", _one(lambda v: v[:10])),
    ("LG_CODE_FORMAT", lambda c: c.member is None and c.type == "lg_code", _one(lambda v: v[:5])),
    (
        "LG_CODE_CHECK_DIGIT",
        lambda c: c.member is None and c.type == "lg_code",
        _one(lambda v: v[:5] + _plus1(v[5])),
    ),
    ("LG_CODE_PREFECTURE", lambda c: c.member is None and c.type == "lg_code", _one(_prefecture_48)),
    ("POSTAL_CODE_FORMAT", lambda c: c.type == "postal_code", _one(lambda v: v[:3] + "-" + v[3:])),
    ("ZOKUGARA_TERM", lambda c: c.type == "zokugara", _one("99")),
    ("ZOKUGARA_STANDALONE", lambda c: c.type == "zokugara", _one("11-91")),
    ("ZOKUGARA_TOO_DEEP", lambda c: c.type == "zokugara", _one("11-11-11-11-11")),
    ("DATE_FORMAT", lambda c: c.member is None and c.type == "date", _one(lambda v: v.replace("-", "/"))),
    ("NOT_A_DATE", lambda c: c.member is None and c.type == "date", _one("2023-02-30")),
    ("TIMESTAMP_FORMAT", lambda c: c.type == "timestamp", _one(lambda v: v.replace("T", " "))),
    ("TIMESTAMP_OFFSET_REQUIRED", lambda c: c.type == "timestamp", _one(lambda v: v[:19])),
    ("NOT_A_TIMESTAMP", lambda c: c.type == "timestamp", _one("2023-02-30T10:00:00+09:00")),
    ("SHIMEI_CHARACTER", lambda c: c.type == "shimei", _one(lambda v: v + "A")),
    ("SHIMEI_CONTROL_CHARACTER", lambda c: c.type == "shimei", _one(lambda v: v + "\x07")),
    ("SHIMEI_LONE_SELECTOR", lambda c: c.type == "shimei", _one(lambda v: "\U000e0100" + v)),
    ("FURIGANA_CHARACTER", lambda c: c.type == "furigana", _one(lambda v: v + "ｱ")),
    ("FURIGANA_CONTROL_CHARACTER", lambda c: c.type == "furigana", _one(lambda v: v + "\x07")),
    ("ALPHABET_NAME_CHARACTER", lambda c: c.type == "alphabet_name", _one(lambda v: v + "1")),
    (
        "NOT_A_DATE",
        lambda c: c.member == "date" and c.type == "partial_date",
        _member("date", "2023-02-30", plain=True),
    ),
    (
        "DATE_FORMAT",
        lambda c: c.member == "date" and c.type == "partial_date",
        _member("date", "2023/02/03", plain=True),
    ),
    (
        "PARTIAL_DATE_INCONSISTENT",
        lambda c: c.member == "date" and c.type == "partial_date",
        _member("date", lambda old, m, g: old[:8] + "15", plain=True, also={"unknown": "day"}),
    ),
    (
        "CODE_NOT_IN_LIST",
        lambda c: c.member == "todofuken" and c.type == "address",
        _member("todofuken", "99", clear=("lg_code",)),
    ),
    (
        "ADDRESS_CHARACTER",
        lambda c: c.member == "machiaza" and c.type == "address",
        _member("machiaza", lambda o, m, g: (o or "本町") + "ｱ"),
    ),
    (
        "ADDRESS_CONTROL_CHARACTER",
        lambda c: c.member == "machiaza" and c.type == "address",
        _member("machiaza", lambda o, m, g: (o or "本町") + "\x07"),
    ),
    (
        "ADDRESS_LONE_SELECTOR",
        lambda c: c.member == "machiaza" and c.type == "address",
        _member("machiaza", lambda o, m, g: "\U000e0100" + (o or "本町")),
    ),
    (
        "ADDRESS_LG_CODE_MISMATCH",
        lambda c: c.member == "lg_code" and c.type == "address",
        _member("lg_code", lambda o, m, g: lg_code_for(g, "13" if m.get("todofuken") != "13" else "27")),
    ),
    (
        "MACHIAZA_ID_FORMAT",
        lambda c: c.member == "machiaza_id" and c.type == "address",
        _member("machiaza_id", "123"),
    ),
    ("MAX_LENGTH", lambda c: c.member == "katagaki" and c.type == "address", _member("katagaki", "あ" * 101)),
    ("REQUIRED", lambda c: c.member == "shikuchoson" and c.type == "address", _member("shikuchoson", None)),
]


class _Plan:
    """The rows chosen so far and what each defect changes, added and expects."""

    def __init__(self, frames: dict[str, pl.DataFrame], rng: random.Random) -> None:
        self.frames = frames
        self.rng = rng
        self.cells: dict[str, dict[str, dict[int, Any]]] = {}
        self.expected: list[tuple[str, int, str, str]] = []  # (entity, uid, column, code)
        self.used: dict[str, set[int]] = {e: set() for e in frames}
        self.removed: dict[str, set[int]] = {e: set() for e in frames}
        self.appended: dict[str, list[int]] = {e: [] for e in frames}
        self._columns: dict[tuple[str, str], list[Any]] = {}
        self.dangling: set[str] = set()  # values given to references that must resolve to nothing

    def values(self, entity: str, column: str) -> list[Any]:
        if (entity, column) not in self._columns:
            self._columns[(entity, column)] = self.frames[entity][column].to_list()
        return self._columns[(entity, column)]

    def row(self, entity: str, uid: int, prefix: str) -> dict[str, Any]:
        cols = [c for c in self.frames[entity].columns if c.startswith(prefix)]
        return {c: self.values(entity, c)[uid] for c in cols}

    def set(self, entity: str, uid: int, cells: Cells) -> None:
        for column, value in cells.items():
            self.cells.setdefault(entity, {}).setdefault(column, {})[uid] = value

    def free_row(self, entity: str, test: Callable[[int], bool], tries: int = 40) -> int | None:
        n = self.frames[entity].height
        for _ in range(tries):
            uid = self.rng.randrange(n)
            if uid not in self.used[entity] and test(uid):
                self.used[entity].add(uid)
                return uid
        return None


def apply_defects(
    frames: dict[str, pl.DataFrame],
    rules: RecordRules,
    layouts: dict[str, Layout],
    rate: float,
    rng: random.Random,
) -> tuple[dict[str, pl.DataFrame], list[Expected]]:
    """``frames`` with defects in about ``rate`` of the main entity's rows, and the problems they must cause."""
    from migration.defects_records import RECORD_DEFECTS, latest_history, protected_columns

    plan = _Plan(frames, rng)
    histories = {h.entity: h for h in rules.histories}
    mirror = latest_history(frames, rules)
    protected = protected_columns(rules)
    kinds: list[tuple[str, Any]] = []
    for entity, layout in layouts.items():
        if entity not in frames:
            continue
        own = {c.name for c in layouts[histories[entity].of].columns} if entity in histories else set()
        for column in layout.columns:
            if column.name in own or column.name in protected.get(entity, set()):
                continue
            for code, applies, make in ITEM_DEFECTS:
                if applies(column) and (
                    column.name not in protected.get(f"{entity}:unique", set())
                    or "FORMAT" in code
                    or "CHECK_DIGIT" in code
                ):
                    kinds.append(("item", (entity, column, code, make)))
    for name, defect in RECORD_DEFECTS.items():
        if defect.applies(rules, frames):
            kinds.append(("record", (name, defect)))
    if not kinds:
        return frames, []
    main = next(iter(frames))
    count = max(1, round(rate * frames[main].height))
    by_code: dict[str, list[tuple[str, Any]]] = {}
    for kind, spec in kinds:
        by_code.setdefault(spec[2] if kind == "item" else spec[0], []).append((kind, spec))
    codes = sorted(by_code)
    rng.shuffle(codes)
    for i in range(count):  # round-robin over the codes, so that every code is seeded once count allows
        kind, spec = rng.choice(by_code[codes[i % len(codes)]])
        if kind == "item":
            _item_defect(plan, spec, mirror)
        else:
            spec[1].make(plan, rules, mirror)
    return _materialise(plan, layouts)


def _item_defect(
    plan: _Plan, spec: tuple[str, Column, str, Mutation], mirror: dict[str, tuple[str, dict[int, int]]]
) -> None:
    entity, column, code, make = spec
    prefix = column.item + "." if column.member else column.name
    made: dict[int, Cells] = {}

    def test(uid: int) -> bool:
        row = (
            plan.row(entity, uid, prefix)
            if column.member
            else {column.name: plan.values(entity, column.name)[uid]}
        )
        cells = make(column, row.get(column.name), row, plan.rng)
        if cells is None:
            return False
        made[uid] = cells
        return True

    uid = plan.free_row(entity, test)
    if uid is None:
        return
    plan.set(entity, uid, made[uid])
    plan.expected.append((entity, uid, column.name, code))
    if entity in mirror:
        history, latest = mirror[entity]
        plan.set(history, latest[uid], made[uid])
        plan.expected.append((history, latest[uid], column.name, code))


def _materialise(plan: _Plan, layouts: dict[str, Layout]) -> tuple[dict[str, pl.DataFrame], list[Expected]]:
    out: dict[str, pl.DataFrame] = {}
    position: dict[str, dict[int, int]] = {}
    for entity, frame in plan.frames.items():
        frame = frame.with_row_index(UID)
        for column, changes in plan.cells.get(entity, {}).items():
            idx = pl.Series(list(changes), dtype=pl.UInt32)
            values = pl.Series(list(changes.values()), dtype=pl.String)
            frame = frame.with_columns(frame[column].scatter(idx, values))
        appended = plan.appended[entity]
        if appended:
            frame = pl.concat(
                [frame, frame.filter(pl.col(UID).is_in(appended)).with_columns(pl.col(UID) + frame.height)]
            )
        if plan.removed[entity]:
            frame = frame.filter(~pl.col(UID).is_in(sorted(plan.removed[entity])))
        position[entity] = {uid: i + 1 for i, uid in enumerate(frame[UID].to_list())}
        out[entity] = frame.drop(UID)
    expected = [Expected(e, position[e][uid], column, code) for e, uid, column, code in plan.expected]
    return out, expected
