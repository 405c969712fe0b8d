"""住民基本台帳: invalid items are rejected with 422, the item's pointer and code, and change nothing."""

from __future__ import annotations

import pytest

from conformance.suites.juki.oracle import clean
from conformance.suites.juki.support import JukiSession, today

TITLE = ("不正な入力が正しく拒否されません", "Invalid input is not rejected properly")
TITLE_ACCEPTED = ("不詳日・改元日が受け付けられません", "A 不詳日 or era-change day is not accepted")


def _wrong_check_digit(kojin_bango: str) -> str:
    return kojin_bango[:11] + str((int(kojin_bango[11]) + 1) % 10)


def _rejections(s: JukiSession, requirement: str, check: str, example=None):
    """Requests with an invalid item ``requirement`` rejects, leaving no trace (:meth:`JukiSession.refusals`:
    a rejected request that changed data breaks API-019, an accepted one ``requirement``)."""
    return s.refusals(requirement, TITLE, check=check, example=example)


@pytest.mark.requirement("API-006", "API-019", "JUKI-001")
def test_kojin_bango_check_digit_rejected(kikan) -> None:
    """A 個人番号 with a wrong check digit (省令第85号 第5条) is 422 KOJIN_BANGO_CHECK_DIGIT, on 転入 and 職権修正."""
    s = JukiSession(kikan, 11)
    _, (person,) = s.new_household(1)
    body = s.tennyu_body()
    body["kojin_bango"] = _wrong_check_digit(body["kojin_bango"])
    example = {"kojin_bango": body["kojin_bango"]}
    with _rejections(s, "API-019", "invalid_check_digit_rejected", example):
        s.must_reject_item("tennyu", body, "/kojin_bango", {"KOJIN_BANGO_CHECK_DIGIT"})
        s.must_reject_item(
            "shokken_shusei",
            {"atena_no": person, "kojin_bango": body["kojin_bango"], "ido_bi": s.day(5, 1)},
            "/kojin_bango",
            {"KOJIN_BANGO_CHECK_DIGIT"},
        )


@pytest.mark.requirement("JUKI-032", "API-019")
def test_real_date_required(kikan) -> None:
    """Where a real calendar day is required (異動日 of 転居, 届出日 of 転入), 2月30日, a 不詳日 and a
    non-calendar day are rejected."""
    s = JukiSession(kikan, 12)
    _, (person,) = s.new_household(1)
    bad = {"2023-02-30": {"NOT_A_DATE", "DATE_FORMAT"}, "2023-02-29": {"NOT_A_DATE", "DATE_FORMAT"}}
    with _rejections(s, "JUKI-032", "impossible_date_rejected", {"ido_bi": "2023-02-30"}):
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


@pytest.mark.requirement("JUKI-030", "JUKI-031", "JUKI-033", "JUKI-096")
def test_partial_and_era_change_dates_accepted(kikan) -> None:
    """生年月日 accepts a non-calendar day and a 不詳日; 明治45年7月30日 and 大正15年12月25日 are accepted."""
    s = JukiSession(kikan, 13)
    era_days = [str(row["date"]) for row in s.op.rule("era_change_dates_accepted").table or ()]
    values = [("JUKI-033", {"date": d}) for d in era_days]
    values += [
        ("JUKI-030", {"date": "1960-01-01", "unknown": "month_day"}),
        ("JUKI-031", {"date": "1999-02-28", "stated": "1999-02-29"}),
    ]
    example = [value for _, value in values]
    created: dict[str, dict] = {}
    for requirement, value in values:
        with s.part(requirement, TITLE_ACCEPTED, check="partial_dates_accepted", example=example):
            keys = s.run("tennyu", {**s.tennyu_body(), "seinengappi": value, "jumin_to_natta_bi": value})
            got = s.compare_resident(keys["residents"][0]) if keys else None
            if isinstance(got, dict):
                created[keys["residents"][0]] = value
                for item in ("seinengappi", "jumin_to_natta_bi"):
                    if clean(got.get(item)) != value:
                        s.note(f"{item} sent {value}, read {got.get(item)}")
    with s.part("JUKI-096", TITLE_ACCEPTED, check="partial_dates_accepted", example=example):
        for atena_no, value in created.items():
            got = s.read(f"/residents/{atena_no}") or {}
            if clean(got.get("jusho_teijubi")) != value:
                s.note(f"jusho_teijubi read {got.get('jusho_teijubi')}, expected 住民となった年月日 {value}")


@pytest.mark.requirement("API-006", "API-019")
def test_code_length_and_type_rejected(kikan) -> None:
    """A code outside its list, one character over the length, a wrong JSON type, an unknown item."""
    s = JukiSession(kikan, 14)
    honseki = s.op.entity("resident").item("honseki").max_length or 200
    cases = [
        ("/seibetsu", {"seibetsu": "9"}, {"CODE_NOT_IN_LIST"}),
        ("/zokugara", {"zokugara": "0"}, {"ZOKUGARA_TERM"}),
        ("/tennyu_kubun", {"tennyu_kubun": "転入"}, {"CODE_NOT_IN_LIST"}),
        ("/honseki", {"honseki": "本" * (honseki + 1)}, {"MAX_LENGTH"}),
        ("/furigana_kakunin", {"furigana_kakunin": "yes"}, {"TYPE"}),
        ("/shori_bi", {"shori_bi": "2020-01-01T00:00:00+09:00"}, {"UNKNOWN_ITEM", "READ_ONLY"}),
    ]
    with _rejections(s, "API-006", "invalid_item_rejected"):
        for pointer, change, codes in cases:
            s.must_reject_item("tennyu", {**s.tennyu_body(), **change}, pointer, codes)


@pytest.mark.requirement("JUKI-051", "API-019")
def test_furigana_must_be_full_width_katakana(kikan) -> None:
    """Half-width kana, hiragana and Latin letters in フリガナ are rejected (FURIGANA_CHARACTER)."""
    s = JukiSession(kikan, 15)
    _, (person,) = s.new_household(1)
    with _rejections(s, "JUKI-051", "furigana_character_class_enforced", {"furigana": "ﾔﾏﾀﾞ ﾀﾛｳ"}):
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


@pytest.mark.requirement("JUKI-091")
def test_processing_day_not_enterable(kikan) -> None:
    """処理日 is set by the system to the day of processing; a request giving one is rejected."""
    s = JukiSession(kikan, 16)
    _, (person,) = s.new_household(1)
    title = ("処理日を入力できます", "The processing day can be entered")
    with s.refusals("JUKI-091", title, check="shori_bi_system_set"):
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
    with s.part("JUKI-091", title, check="shori_bi_system_set"):
        rows = (s.read(f"/residents/{person}/history") or {}).get("items") or []
        for row in rows:
            if not str(row.get("shori_bi", "")).startswith(today().isoformat()):
                s.note(f"history row {row.get('rireki_no')} shori_bi {row.get('shori_bi')!r} is not today")
