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


def _resident(n: int, *, jumin_jotai: str, **items) -> dict:
    """A juki model record of the person made by ``_kika(n)`` (same 本籍, 筆頭者, 氏名, 生年月日)."""
    return {
        "honseki": f"本籍{n}",
        "hittousha": f"氏名{n}",
        "shimei": f"氏名{n}",
        "seinengappi": {"date": "1970-01-01"},
        "jumin_jotai": jumin_jotai,
        **items,
    }


def test_juki_effects_follow_their_data(oracles) -> None:
    """転入 links the matching entry with a row coded as its effect sets, dated its 届出日, copying the
    resident's address; a 転居 adds a row, a change that leaves the address adds none; a 国内転出 adds
    nothing and a 国外転出 the address abroad settled on its 異動日."""
    from conformance.suites.fuhyo.oracle import ResidentChange
    from conformance.suites.juki.codes import ABROAD_OUT, ACTIVE, DOMESTIC_OUT, PLANNED

    k, f = oracles
    m = _kika(k, f, 1, "2024-01-01")
    here = {"jusho": {"todofuken": "13", "machiaza": "1丁目"}, "jusho_teijubi": {"date": "2024-06-01"}}
    target = {"a1": {**here, "atena_no": "a1", "juminhyo_code": "12345678901"}}
    came = _resident(1, jumin_jotai=ACTIVE)
    f.follow_juki(
        "tennyu",
        {"ido_bi": "2024-06-01", "todoke_bi": "2024-06-03"},
        [ResidentChange("a1", None, came)],
        target.__getitem__,
    )
    assert f.linked("a1") == [m]
    assert f.expected_entry(m)["juminhyo_code"] == "12345678901"
    tennyu = f.op.code_of("fuhyo_kisai_jiyu", "転入")
    assert f.expected_rows(m) == [
        {**here, "kokugai_jusho": None, "kisai_bi": "2024-06-03", "kisai_jiyu": tennyu}
    ]
    assert f.extra[m].origins == {"rows/0": "FUHYO-012", "atena_no": "FUHYO-012"}

    f.follow_juki(
        "tenkyo",
        {"todoke_bi": "2024-07-01"},
        [ResidentChange("a1", came, {**came, "zokugara": "x"})],
        target.__getitem__,
    )
    assert len(f.expected_rows(m)) == 1  # the address did not change: no row
    target["a1"] = {**target["a1"], "jusho": {"todofuken": "13", "machiaza": "2丁目"}}
    f.follow_juki(
        "tenkyo", {"todoke_bi": "2024-07-02"}, [ResidentChange("a1", came, came)], target.__getitem__
    )
    assert f.expected_rows(m)[-1]["kisai_jiyu"] == f.op.code_of("fuhyo_kisai_jiyu", "転居")

    gone = {**came, "jumin_jotai": "removed", "tenshutsu_jotai": PLANNED}
    domestic = {"tenshutsu_kubun": DOMESTIC_OUT, "ido_bi": "2024-08-01", "todoke_bi": "2024-07-20"}
    f.follow_juki("tenshutsu_yotei", domestic, [ResidentChange("a1", came, gone)], target.__getitem__)
    assert len(f.expected_rows(m)) == 2
    abroad = {**domestic, "tenshutsu_kubun": ABROAD_OUT, "tenshutsu_saki_kokugai_jusho": "タイ王国"}
    f.follow_juki("tenshutsu_yotei", abroad, [ResidentChange("a1", came, gone)], target.__getitem__)
    assert f.expected_rows(m)[-1] == {
        "jusho": None,
        "kokugai_jusho": "タイ王国",
        "jusho_teijubi": {"date": "2024-08-01"},
        "kisai_bi": "2024-07-20",
        "kisai_jiyu": f.op.code_of("fuhyo_kisai_jiyu", "国外転出"),
    }
