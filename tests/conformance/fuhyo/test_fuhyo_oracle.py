"""The suite's 附票 model on its own: it mirrors the 戸籍 model, carries addresses over, applies the dated items."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.fuhyo.oracle import FuhyoOracle
from conformance.suites.koseki.oracle import KosekiOracle
from standards.loader import load_standards

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def oracles():
    standards = load_standards()
    k = KosekiOracle(standards.operation("koseki"))
    return k, FuhyoOracle(standards.operation("fuhyo"), k)


def _kika(k: KosekiOracle, f: FuhyoOracle, n: int, todoke: str, seibetsu: str = "1") -> str:
    k.apply(
        "kika",
        {
            "honseki": f"本籍{n}",
            "shimei": f"氏名{n}",
            "seinengappi": {"date": "1970-01-01"},
            "seibetsu": seibetsu,
            "todoke_bi": todoke,
        },
        {"new": f"m{n}", "koseki_no": f"k{n}"},
    )
    f.sync()
    return f"m{n}"


def test_tsuchi_rules(oracles) -> None:
    k, f = oracles
    m = _kika(k, f, 1, "2024-05-01")
    body = {
        "member_id": m,
        "jusho": {"todofuken": "13"},
        "jusho_teijubi": {"date": "2024-05-20"},
        "tsuchi_lg_code": "131016",
        "tsuchi_bi": "2024-05-26",
        "juminhyo_code": "12345678901",
    }
    assert f.expected_error("jusho_tsuchi", body, TODAY).code == "FUHYO_JUMINHYO_CODE_NOT_IN_FORCE"
    assert f.expected_error("jusho_tsuchi", {**body, "tsuchi_bi": "2024-05-27"}, TODAY) is None
    assert (
        f.expected_error(
            "jusho_tsuchi", {**body, "kokugai_jusho": "x", "tsuchi_bi": "2024-05-27"}, TODAY
        ).code
        == "FUHYO_ADDRESS_REQUIRED"
    )
    f.apply("jusho_tsuchi", {**body, "tsuchi_bi": "2024-05-27"}, {})
    assert f.expected_entry(m)["juminhyo_code"] == "12345678901"
    earlier = {
        **body,
        "tsuchi_bi": "2024-05-28",
        "jusho_teijubi": {"date": "2024-05-19"},
        "juminhyo_code": None,
    }
    assert f.expected_error("jusho_tsuchi", earlier, TODAY).code == "FUHYO_DATE_ORDER"
    assert (
        f.expected_error("jusho_tsuchi", {**body, "member_id": "nobody"}, TODAY).code
        == "FUHYO_ENTRY_NOT_FOUND"
    )


def test_carry_over_and_removal(oracles) -> None:
    k, f = oracles
    otto, tsuma = _kika(k, f, 1, "2023-01-01"), _kika(k, f, 2, "2023-01-01", "2")
    f.record(
        tsuma,
        {
            "jusho": {"todofuken": "13"},
            "jusho_teijubi": {"date": "2023-02-01"},
            "kisai_bi": "2024-06-01",
            "kisai_jiyu": "5",
        },
        atena_no="000000000001",
        juminhyo_code="10987654321",
    )
    k.apply(
        "kon_in",
        {"otto_member_id": otto, "tsuma_member_id": tsuma, "uji": "1", "todoke_bi": "2024-07-01"},
        {tsuma: "m3"},
    )
    f.sync()
    new = f.expected_entry("m3")
    assert new["atena_no"] == "000000000001" and new["juminhyo_code"] == "10987654321" and "shimei" not in new
    assert f.expected_rows("m3") == [
        {
            "jusho": {"todofuken": "13"},
            "kokugai_jusho": None,
            "jusho_teijubi": {"date": "2023-02-01"},
            "kisai_jiyu": "6",
        }
    ]
    old = f.expected_entry(tsuma)
    assert old["kisai_jotai"] == "2" and old["shojo_jiyu"] == "2" and old["shojo_bi"] == "2024-07-01"
    assert f.expected_fuhyo("k2")["fuhyo_jotai"] == "2"
    assert f.linked("000000000001") == ["m3"]


def test_dated_items(oracles) -> None:
    k, f = oracles
    gone = _kika(k, f, 1, "2021-06-01")
    k.apply("shibou", {"member_id": gone, "shibou_bi": {"date": "2021-12-01"}, "todoke_bi": "2021-12-02"}, {})
    kept = _kika(k, f, 2, "2021-06-01")
    assert f.expected_entry(gone)["seinengappi"] is None and f.expected_entry(gone)["seibetsu"] is None
    assert f.expected_entry(kept)["seinengappi"] == {"date": "1970-01-01"}
    assert f.expected_entry(kept, dt.date(2022, 1, 10))["seibetsu"] is None
    assert f.expected_entry(kept, dt.date(2022, 1, 11))["seibetsu"] == "1"
