"""住民基本台帳: invalid items are rejected with 422, the item's pointer and code, and change nothing."""

from __future__ import annotations

import pytest

from conformance.checks.footprint import Footprint
from conformance.suites.juki.support import JukiSession

TITLE = ("不正な入力が正しく拒否されません", "Invalid input is not rejected properly")


def _wrong_check_digit(kojin_bango: str) -> str:
    return kojin_bango[:11] + str((int(kojin_bango[11]) + 1) % 10)


def _unchanged(s: JukiSession, before: Footprint) -> None:
    s.unchanged(before, "rejected requests", requirement="API-019")
    s.compare_all()


@pytest.mark.requirement("API-006", "API-019", "JUKI-001")
def test_kojin_bango_check_digit_rejected(kikan) -> None:
    """A 個人番号 with a wrong check digit (省令第85号 第5条) is 422 KOJIN_BANGO_CHECK_DIGIT, on 転入 and 職権修正."""
    s = JukiSession(kikan, 11)
    _, (person,) = s.new_household(1)
    before = s.footprint()
    body = s.tennyu_body()
    body["kojin_bango"] = _wrong_check_digit(body["kojin_bango"])
    s.must_reject_item("tennyu", body, "/kojin_bango", {"KOJIN_BANGO_CHECK_DIGIT"})
    s.must_reject_item(
        "shokken_shusei",
        {"atena_no": person, "kojin_bango": body["kojin_bango"], "ido_bi": s.day(5, 1)},
        "/kojin_bango",
        {"KOJIN_BANGO_CHECK_DIGIT"},
    )
    _unchanged(s, before)
    s.fail_if(*TITLE, check="invalid_check_digit_rejected", example={"kojin_bango": body["kojin_bango"]})


@pytest.mark.requirement("JUKI-032", "API-019")
def test_real_date_required(kikan) -> None:
    """Where a real calendar day is required (異動日 of 転居, 届出日 of 転入), 2月30日, a 不詳日 and a
    non-calendar day are rejected."""
    s = JukiSession(kikan, 12)
    _, (person,) = s.new_household(1)
    before = s.footprint()
    bad = {"2023-02-30": {"NOT_A_DATE", "DATE_FORMAT"}, "2023-02-29": {"NOT_A_DATE", "DATE_FORMAT"}}
    for value, codes in bad.items():
        s.must_reject_item(
            "tenkyo",
            {"atena_no": person, "jusho": s.address(), "ido_bi": value, "todoke_bi": s.day(3, 1)},
            "/ido_bi",
            codes,
        )
        s.must_reject_item("tennyu", {**s.tennyu_body(), "todoke_bi": value}, "/todoke_bi", codes)
    unknown = {"date": "2020-03-01", "unknown": "day"}
    s.must_reject_item(
        "tenkyo",
        {"atena_no": person, "jusho": s.address(), "ido_bi": unknown, "todoke_bi": s.day(3, 1)},
        "/ido_bi",
        {"TYPE", "DATE_FORMAT", "NOT_A_DATE"},
    )
    _unchanged(s, before)
    s.fail_if(*TITLE, check="impossible_date_rejected", example={"ido_bi": "2023-02-30"})


@pytest.mark.requirement("JUKI-030", "JUKI-031", "JUKI-033", "JUKI-096")
def test_partial_and_era_change_dates_accepted(kikan) -> None:
    """生年月日 accepts a non-calendar day and a 不詳日; 明治45年7月30日 and 大正15年12月25日 are accepted."""
    s = JukiSession(kikan, 13)
    era_days = [str(row["date"]) for row in s.op.rule("era_change_dates_accepted").table or ()]
    values = [{"date": d} for d in era_days]
    values += [{"date": "1999-02-28", "stated": "1999-02-29"}, {"date": "1960-01-01", "unknown": "month_day"}]
    for value in values:
        body = {**s.tennyu_body(), "seinengappi": value, "jumin_to_natta_bi": value}
        keys = s.run("tennyu", body)
        got = s.read(f"/residents/{keys['residents'][0]}") if keys else None
        if isinstance(got, dict):
            for item in ("seinengappi", "jumin_to_natta_bi", "jusho_teijubi"):
                held = {k: v for k, v in (got.get(item) or {}).items() if v is not None}
                if held != value:
                    s.note(
                        f"{item} sent {value} (住所を定めた年月日 = 住民となった年月日), read {got.get(item)}"
                    )
    s.compare_all()
    s.fail_if(
        "不詳日・改元日が受け付けられません",
        "A 不詳日 or era-change day is not accepted",
        check="partial_dates_accepted",
        example=values,
    )


@pytest.mark.requirement("API-006", "API-019")
def test_code_length_and_type_rejected(kikan) -> None:
    """A code outside its list, one character over the length, a wrong JSON type, an unknown item."""
    s = JukiSession(kikan, 14)
    before = s.footprint()
    honseki = s.op.entity("resident").item("honseki").max_length or 200
    cases = [
        ("/seibetsu", {"seibetsu": "9"}, {"CODE_NOT_IN_LIST"}),
        ("/zokugara", {"zokugara": "0"}, {"ZOKUGARA_TERM"}),
        ("/tennyu_kubun", {"tennyu_kubun": "転入"}, {"CODE_NOT_IN_LIST"}),
        ("/honseki", {"honseki": "本" * (honseki + 1)}, {"MAX_LENGTH"}),
        ("/furigana_kakunin", {"furigana_kakunin": "yes"}, {"TYPE"}),
        ("/shori_bi", {"shori_bi": "2020-01-01T00:00:00+09:00"}, {"UNKNOWN_ITEM", "READ_ONLY"}),
    ]
    for pointer, change, codes in cases:
        s.must_reject_item("tennyu", {**s.tennyu_body(), **change}, pointer, codes)
    _unchanged(s, before)
    s.fail_if(*TITLE, check="invalid_item_rejected")


@pytest.mark.requirement("JUKI-051", "API-019")
def test_furigana_must_be_full_width_katakana(kikan) -> None:
    """Half-width kana, hiragana and Latin letters in フリガナ are rejected (FURIGANA_CHARACTER)."""
    s = JukiSession(kikan, 15)
    _, (person,) = s.new_household(1)
    before = s.footprint()
    for value in ("ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ", "YAMADA"):
        s.must_reject_item(
            "tennyu", {**s.tennyu_body(), "furigana": value}, "/furigana", {"FURIGANA_CHARACTER"}
        )
        s.must_reject_item(
            "shokken_shusei",
            {"atena_no": person, "furigana": value, "ido_bi": s.day(3, 1)},
            "/furigana",
            {"FURIGANA_CHARACTER"},
        )
    _unchanged(s, before)
    s.fail_if(*TITLE, check="furigana_character_class_enforced", example={"furigana": "ﾔﾏﾀﾞ ﾀﾛｳ"})


@pytest.mark.requirement("JUKI-091")
def test_processing_day_not_enterable(kikan) -> None:
    """処理日 is set by the system to the day of processing; a request giving one is rejected."""
    s = JukiSession(kikan, 16)
    _, (person,) = s.new_household(1)
    before = s.footprint()
    s.must_reject_item(
        "tenkyo",
        {
            "atena_no": person,
            "jusho": s.address(),
            "ido_bi": s.day(3, 1),
            "todoke_bi": s.day(3, 1),
            "shori_bi": "2001-01-01T00:00:00+09:00",
        },
        "/shori_bi",
        {"UNKNOWN_ITEM", "READ_ONLY"},
    )
    _unchanged(s, before)
    from conformance.suites.juki.support import today

    rows = (s.read(f"/residents/{person}/history") or {}).get("items") or []
    for row in rows:
        if not str(row.get("shori_bi", "")).startswith(today().isoformat()):
            s.note(f"history row {row.get('rireki_no')} shori_bi {row.get('shori_bi')!r} is not today")
    s.fail_if("処理日を入力できます", "The processing day can be entered", check="shori_bi_system_set")
