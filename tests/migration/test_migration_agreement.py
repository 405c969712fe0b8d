"""One source of truth: the file validator and the API's schema validation agree, record by record.

Hypothesis makes 住民 records cell by cell, valid and invalid (values from the generator's pools,
the seeded defects, and arbitrary text of the characters that matter: IVS, outside the BMP,
half-width kana, control characters, digits). The records go through ``kikan data validate`` as a
CSV file, and through ``standards.validation.iter_problems`` against the entity's schema, as the API
checks a body. Both must find the same problems (row, column, code) — so the vectorised screens
pass nothing the standard rejects.
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migration import synth
from migration.defects import ITEM_DEFECTS
from migration.items import ItemChecker, record
from migration.layout import layout
from migration.validate import validate
from standards.loader import load_standards
from standards.validation import problem_finder

LAYOUT = layout("juki", "resident")
CHECKER = ItemChecker(LAYOUT)
STANDARDS = load_standards()
API_CHECK = problem_finder(LAYOUT.schema, STANDARDS)  # the API's schema validation of a body
ODD = "A1 -ｱア\x07\u3000\U000e0100\ufe00漢\U00020bb7\ue000ー・々0-9/T:+"


def _valid(column: Any) -> st.SearchStrategy[str | None]:
    return st.sampled_from(synth.pool(column, 1, size=40))


def _invalid(column: Any) -> st.SearchStrategy[str | None]:
    makers = [make for _, applies, make in ITEM_DEFECTS if applies(column) and column.member is None]
    pool = synth.pool(column, 2, size=20)
    options: list[st.SearchStrategy[str | None]] = [st.text(alphabet=ODD, min_size=1, max_size=14), st.none()]
    for make in makers:
        made = [make(column, v, {}, random.Random(0)) for v in pool]
        options.append(st.sampled_from([m[column.name] for m in made if m]))
    return st.one_of(options)


def _members(item: str) -> st.SearchStrategy[dict[str, str | None]]:
    cols = LAYOUT.items()[item]
    if cols[0].type in ("partial_date", "address"):
        pool = synth.object_pool(cols[0].type, 3, item, size=40)
        base = st.sampled_from(pool).map(lambda o: {f"{item}.{k}": v for k, v in o.items()})
    else:
        base = st.fixed_dictionaries({c.name: st.one_of(st.none(), _valid(c)) for c in cols})
    noise = st.dictionaries(
        st.sampled_from([c.name for c in cols]),
        st.one_of(st.none(), st.text(alphabet=ODD, max_size=12)),
        max_size=2,
    )
    return st.tuples(base, st.one_of(st.just({}), noise)).map(lambda p: {**p[0], **p[1]})


@st.composite
def rows(draw: st.DrawFn) -> dict[str, str | None]:
    row: dict[str, str | None] = {}
    for item, cols in LAYOUT.items().items():
        if cols[0].member is None:
            column = cols[0]
            row[column.name] = draw(
                st.one_of(_valid(column), _invalid(column)) if draw(st.booleans()) else _valid(column)
            )
        else:
            row.update(draw(st.one_of(st.just({c.name: None for c in cols}), _members(item))))
    return {c.name: (row.get(c.name) or None) for c in LAYOUT.columns}


def _api_problems(row: dict[str, str | None]) -> set[tuple[str, str]]:
    problems = API_CHECK(record(LAYOUT, row))
    out = set()
    for p in problems:
        item = p.pointer.split("/")[1] if p.pointer else ""
        out.add((CHECKER.column_of(item, p.pointer), p.code))
    return out


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.lists(rows(), min_size=1, max_size=6))
def test_file_validator_agrees_with_the_api_schema_validation(records: list[dict[str, str | None]]) -> None:
    for i, row in enumerate(records):  # one row per 宛名番号 and per 個人番号: only item rules apply
        row["atena_no"] = f"{i + 1:012d}"
        row["kojin_bango"] = None
        row["juminhyo_code"] = None
        row["zokugara"] = row["zokugara"] if row["zokugara"] != "01" else "02"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "resident.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow([c.name for c in LAYOUT.columns])
            for row in records:
                writer.writerow(["" if row[c.name] is None else row[c.name] for c in LAYOUT.columns])
        result = validate([path], "juki")
    found = {(p.row, p.column, p.code) for p in result.problems}
    expected = {(i + 1, column, code) for i, row in enumerate(records) for column, code in _api_problems(row)}
    assert found == expected
