"""軽自動車税 rules checked against the published tables they were read from (the facts marked verified)."""

from __future__ import annotations

import datetime as dt

import pytest

from standards.loader import load_standards

OP = load_standards().operation("keijidosha")

#: 松戸市's table (DOMAIN-taxes-insurance.md 4.2): (first month, last month, year-only record) of the
#: 初度検査年月 -> the first 年度 surcharged. The 2003 January-March row only holds for year-only records.
MATSUDO = [
    ((2011, 4), (2012, 3), False, 2025),
    ((2012, 4), (2013, 3), False, 2026),
    ((1990, 1), (2002, 12), False, 2016),
    ((2003, 4), (2004, 3), False, 2017),
    ((2003, None), (2003, None), True, 2017),
]


def _first_surcharged(year: int, month: int) -> int:
    """重課開始年度 from the standard's rules: the 年度 of the month plus the offset, not before the
    first 年度 the surcharge table is valid for."""
    rule = OP.rule("jukazei_nendo_offset", on=dt.date(2016, 4, 1))
    nendo = year if month >= 4 else year - 1
    start = OP.rule("jukazei_zeigaku", on=dt.date(2016, 4, 1)).valid_from
    assert rule.value is not None and start is not None
    return max(nendo + int(rule.value), start.year)


def _months(first: tuple[int, int | None], last: tuple[int, int | None], year_only: bool):
    if year_only:
        yield first[0], int(OP.rule("year_only_month").value)
        return
    y, m = first
    assert m is not None and last[1] is not None
    while (y, m) <= (last[0], last[1]):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


@pytest.mark.parametrize(("first", "last", "year_only", "expected"), MATSUDO)
def test_jukazei_offset_reproduces_the_matsudo_table(first, last, year_only, expected) -> None:
    """Every month of each row of the 松戸市 table starts the 重課 in the 年度 the table gives."""
    found = {_first_surcharged(y, m) for y, m in _months(first, last, year_only)}
    assert found == {expected}


def test_the_tables_split_on_their_dates() -> None:
    """The 三輪・四輪 table changes with first inspections of 2015-04; the 新基準原付 row exists from FY2025."""
    old = OP.rule("yonrin_zeigaku", on=dt.date(2015, 3, 31))
    new = OP.rule("yonrin_zeigaku", on=dt.date(2015, 4, 1))
    assert old is not new and old.valid_to == dt.date(2015, 3, 31)
    rows = {r["sharyo_kubun"] for r in OP.rule("nirin_zeigaku", on=dt.date(2025, 4, 1)).table or ()}
    assert OP.code_of("keiji_sharyo_kubun", "新基準原付") in rows
    rows = {r["sharyo_kubun"] for r in OP.rule("nirin_zeigaku", on=dt.date(2025, 3, 31)).table or ()}
    assert OP.code_of("keiji_sharyo_kubun", "新基準原付") not in rows


def test_every_table_cell_that_names_a_code_is_a_code_of_its_list() -> None:
    """The amount tables name classes, rate classes, fuels and tiers by codes of the standard's lists."""
    lists = {
        "sharyo_kubun": "keiji_sharyo_kubun",
        "zeiritsu_kubun": "keiji_zeiritsu_kubun",
        "nenryo": "keiji_nenryo",
        "keika_kubun": "keiji_keika_kubun",
    }
    standards = load_standards()
    for rule in OP.rules:
        for row in rule.table or ():
            for column, codelist in lists.items():
                if column in row:
                    assert row[column] in standards.codelist(codelist, OP).code_values(), (rule.id, row)
            if "rule" in row:
                assert OP.rule(row["rule"], on=dt.date(2024, 4, 1)).id == row["rule"]
