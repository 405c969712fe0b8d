"""住民基本台帳: every command's happy path, checked against the suite's oracle."""

from __future__ import annotations

import pytest

from conformance.suites.juki.codes import DECEASED
from conformance.suites.juki.support import JukiSession

TITLE = ("届出の結果が標準と一致しません", "The command's result differs from the standard")


def _done(s: JukiSession, example=None) -> None:
    s.compare_all()
    s.fail_if(*TITLE, check="command_result_matches_oracle", example=example)


@pytest.mark.requirement("JUKI-001", "JUKI-002", "JUKI-021", "JUKI-022", "JUKI-060", "JUKI-062", "API-016")
def test_tennyu_new_and_joining_household(kikan) -> None:
    """転入 forms a household as its 世帯主; later 転入 join it at the end with their 続柄."""
    s = JukiSession(kikan, 1)
    setai_no, members = s.new_household(3)
    body = s.tennyu_body(foreign=True)
    body.update(tennyu_kubun="2", tennyu_mae_kokugai_jusho="アメリカ合衆国 ニューヨーク州")
    body.pop("tennyu_mae_jusho")
    s.run("tennyu", body)
    _done(s, {"setai_no": setai_no, "members": members})


@pytest.mark.requirement("JUKI-003", "JUKI-030", "JUKI-031", "JUKI-034", "JUKI-035")
def test_shussei_joins_parent_household(kikan) -> None:
    """出生 adds the child at the end of the parent's household; a 不詳 or non-calendar date stays as sent."""
    s = JukiSession(kikan, 2)
    setai_no, _ = s.new_household(2)
    non_calendar = {"date": "2023-02-28", "stated": "2023-02-29"}
    unknown = {"date": "2020-03-01", "unknown": "day", "qualifier": "about"}
    for seinengappi in ({"date": s.day(200, 100)}, non_calendar, unknown):
        body = {
            k: v for k, v in s.person(zokugara=s.relation(0)).items() if k not in ("honseki", "hittousha")
        }
        body.update(setai_no=setai_no, seinengappi=seinengappi, ido_bi=seinengappi, todoke_bi=s.day(20, 1))
        keys = s.run("shussei", body)
        if keys:
            got = s.read(f"/residents/{keys['residents'][0]}")
            if isinstance(got, dict) and {
                k: v for k, v in (got.get("seinengappi") or {}).items() if v is not None
            } != {k: v for k, v in seinengappi.items() if v is not None}:
                s.note(f"seinengappi sent {seinengappi}, read {got.get('seinengappi')}")
    _done(s)


@pytest.mark.requirement("JUKI-004", "JUKI-005", "JUKI-083", "JUKI-084", "JUKI-097")
def test_tenkyo_whole_household_and_alone(kikan) -> None:
    """転居 of the whole household moves everyone; one member alone forms a new household; the 世帯主
    leaving one member behind makes that member 世帯主, leaving two leaves the household without one; a
    転居 to the same address (another building) is accepted."""
    s = JukiSession(kikan, 3)
    setai_no, members = s.new_household(3)
    s.run(
        "tenkyo",
        {
            "atena_no": members[0],
            "setai_zentai": True,
            "jusho": s.address(),
            "ido_bi": s.day(25, 20),
            "todoke_bi": s.day(19, 19),
        },
    )
    s.run(
        "tenkyo",
        {"atena_no": members[0], "jusho": s.address(), "ido_bi": s.day(15, 10), "todoke_bi": s.day(9, 9)},
    )
    two, pair = s.new_household(2)
    s.run(
        "tenkyo", {"atena_no": pair[0], "jusho": s.address(), "ido_bi": s.day(8, 5), "todoke_bi": s.day(4, 4)}
    )
    same = dict(s.oracle.households[two].jusho, katagaki="別棟")
    s.run("tenkyo", {"atena_no": pair[1], "jusho": same, "ido_bi": s.day(3, 2), "todoke_bi": s.day(1, 1)})
    _done(s)


@pytest.mark.requirement("JUKI-006", "JUKI-008", "JUKI-007", "JUKI-020")
def test_household_changes(kikan) -> None:
    """世帯分離, 世帯主変更 (with the 続柄 restated) and 世帯合併 (with new 続柄, the merged household empty)."""
    s = JukiSession(kikan, 4)
    setai_no, members = s.new_household(3)
    s.run(
        "setainushi_henko",
        {
            "setai_no": setai_no,
            "setainushi": members[1],
            "zokugara_list": [{"atena_no": m, "zokugara": s.relation(0)} for m in members if m != members[1]],
            "ido_bi": s.day(30, 25),
            "todoke_bi": s.day(24, 24),
        },
    )
    s.run("setai_bunri", {"atena_no": members[2], "ido_bi": s.day(20, 15), "todoke_bi": s.day(14, 14)})
    moved = s.oracle.residents[members[2]]["setai_no"]
    s.run(
        "setai_gappei",
        {
            "setai_no": moved,
            "gappei_saki_setai_no": setai_no,
            "zokugara_list": [{"atena_no": members[2], "zokugara": s.relation(1)}],
            "ido_bi": s.day(10, 5),
            "todoke_bi": s.day(4, 4),
        },
    )
    _done(s)


@pytest.mark.requirement("JUKI-009", "JUKI-010", "JUKI-028", "JUKI-088", "JUKI-089", "JUKI-012", "JUKI-063")
def test_removals(kikan) -> None:
    """転出 (domestic and abroad, planned date in the future allowed), 転入通知 confirmation, 死亡 with a
    不詳 date; removed records stay readable and filterable by status and reason."""
    s = JukiSession(kikan, 5)
    _, members = s.new_household(3)
    future = s.day(-10, -20)
    s.run(
        "tenshutsu_yotei",
        {
            "atena_no": members[0],
            "tenshutsu_kubun": "1",
            "tenshutsu_saki_jusho": {"todofuken": "27", "shikuchoson": "大阪市北区"},
            "ido_bi": future,
            "todoke_bi": s.day(3, 1),
        },
    )
    s.run(
        "tenshutsu_kakutei",
        {
            "atena_no": members[0],
            "tenshutsu_saki_jusho": {"todofuken": "27", "shikuchoson": "大阪市中央区"},
            "ido_bi": future,
            "tsuchi_bi": s.day(1, 0),
        },
    )
    s.run(
        "tenshutsu_yotei",
        {
            "atena_no": members[1],
            "tenshutsu_kubun": "2",
            "tenshutsu_saki_kokugai_jusho": "フランス パリ市",
            "ido_bi": s.day(5, 2),
            "todoke_bi": s.day(6, 6),
        },
    )
    s.run(
        "shibou",
        {
            "atena_no": members[2],
            "ido_bi": {"date": "2020-01-01", "unknown": "month_day"},
            "todoke_bi": s.day(1, 0),
        },
    )
    got = s.read(f"/residents/{members[0]}") or {}
    for item in (
        "tenshutsu_saki_jusho",
        "tenshutsu_saki_jusho_kakutei",
        "tenshutsu_yotei_bi",
        "tenshutsu_bi_kakutei",
        "tennyu_tsuchi_bi",
        "shojo_bi",
    ):
        if not got.get(item):
            s.note(f"removed record {members[0]} has no {item}")
    listed = s.read("/residents", {"jumin_jotai": DECEASED, "limit": 500}) or {}
    if members[2] not in {i.get("atena_no") for i in listed.get("items") or ()}:
        s.note("jumin_jotai=死亡 does not list the deceased resident")
    if any(i.get("jumin_jotai") != DECEASED for i in listed.get("items") or ()):
        s.note("jumin_jotai=死亡 lists residents of another status")
    reason = s.read("/residents", {"shojo_jiyu": "202", "limit": 500}) or {}
    if members[1] not in {i.get("atena_no") for i in reason.get("items") or ()}:
        s.note("shojo_jiyu=202 does not list the resident who moved abroad")
    _done(s)


@pytest.mark.requirement("JUKI-013", "JUKI-014", "JUKI-015", "JUKI-053", "JUKI-070")
def test_corrections_kyuuji_tsusho(kikan) -> None:
    """職権修正 changes only the items given; 旧氏 recorded, changed, deleted; 通称 recorded and deleted."""
    s = JukiSession(kikan, 6)
    _, (japanese,) = s.new_household(1)
    _, (foreigner,) = s.new_household(1, foreign=True)
    s.run(
        "shokken_shusei",
        {
            "atena_no": japanese,
            "furigana": "ヤマダ\u3000ジロウ",
            "furigana_kakunin": False,
            "ido_bi": s.day(40, 35),
        },
    )
    s.run(
        "kyuuji_kisai",
        {
            "atena_no": japanese,
            "kyuuji": "鈴木",
            "kyuuji_furigana": "スズキ",
            "kyuuji_furigana_kakunin": True,
            "ido_bi": s.day(30, 30),
            "seikyu_bi": s.day(30, 30),
        },
    )
    s.run(
        "kyuuji_henko",
        {
            "atena_no": japanese,
            "kyuuji": "鈴\U000e0100木",
            "ido_bi": s.day(20, 20),
            "seikyu_bi": s.day(20, 20),
        },
    )
    s.run("kyuuji_sakujo", {"atena_no": japanese, "ido_bi": s.day(10, 10), "seikyu_bi": s.day(10, 10)})
    s.run(
        "shokken_shusei",
        {
            "atena_no": foreigner,
            "zairyu_shikaku": "01",
            "zairyu_kikan": "3年",
            "zairyu_card_no": "AB12345678CD",
            "ido_bi": s.day(40, 35),
        },
    )
    s.run(
        "tsusho_kisai",
        {
            "atena_no": foreigner,
            "tsusho": "山本\u3000太郎",
            "tsusho_kisai_shichoson": "131016",
            "ido_bi": s.day(30, 30),
            "moshide_bi": s.day(30, 30),
        },
    )
    got = s.read(f"/residents/{foreigner}") or {}
    if got.get("tsusho_kisai_shichoson") != "131016" or not got.get("tsusho_kisai_bi"):
        s.note(
            f"通称 recorded without its date and municipality: {got.get('tsusho_kisai_bi')!r} "
            f"{got.get('tsusho_kisai_shichoson')!r}"
        )
    s.run(
        "tsusho_sakujo",
        {
            "atena_no": foreigner,
            "tsusho_sakujo_shichoson": "131016",
            "ido_bi": s.day(10, 10),
            "moshide_bi": s.day(10, 10),
        },
    )
    got = s.read(f"/residents/{foreigner}") or {}
    if not got.get("tsusho_sakujo_bi"):
        s.note("通称 deleted without its deletion date")
    if got.get("zairyu_card_no") != "AB12345678CD":
        s.note(f"zairyu_card_no not recorded: {got.get('zairyu_card_no')!r}")
    _done(s)


@pytest.mark.requirement("JUKI-018", "JUKI-086", "JUKI-087")
def test_re_registration(kikan) -> None:
    """A 転入 matching a removed record must be a 再転入 (same 宛名番号); after 国外転出 the 旧氏 carries over."""
    s = JukiSession(kikan, 7)
    _, (person,) = s.new_household(1)
    s.run(
        "kyuuji_kisai",
        {"atena_no": person, "kyuuji": "鈴木", "ido_bi": s.day(100, 90), "seikyu_bi": s.day(89, 89)},
    )
    s.run(
        "tenshutsu_yotei",
        {
            "atena_no": person,
            "tenshutsu_kubun": "2",
            "tenshutsu_saki_kokugai_jusho": "ドイツ",
            "ido_bi": s.day(80, 70),
            "todoke_bi": s.day(80, 80),
        },
    )
    record = s.oracle.residents[person]
    body = s.tennyu_body()
    body.update(
        {k: record[k] for k in ("shimei", "seinengappi", "kojin_bango", "juminhyo_code", "seibetsu")},
        tennyu_kubun="2",
        tennyu_mae_kokugai_jusho="ドイツ",
        ido_bi=s.day(20, 10),
    )
    body.pop("tennyu_mae_jusho")
    s.must_refuse("tennyu", body, "JUKI_PREVIOUS_RECORD_EXISTS")
    keys = s.run("tennyu", {**body, "zen_atena_no": person})
    if keys and person not in keys.get("residents", []):
        s.note(f"再転入 answered residents {keys.get('residents')}, expected the earlier {person}")
    _done(s)


@pytest.mark.requirement("JUKI-092")
def test_shimei_yusen_kubun_option(kikan) -> None:
    """標準オプション機能: a 外国人's 氏名優先区分 is recorded on 転入 and changed by 職権修正."""
    if not kikan.claims.claims_option("juki", "JUKI-092"):
        pytest.skip("JUKI-092 is not claimed / 宣言されていない標準オプション機能")
    s = JukiSession(kikan, 8)
    codes = s.ctx.standards.codelist("shimei_yusen_kubun", s.op).code_values()
    keys = s.run("tennyu", {**s.tennyu_body(foreign=True), "shimei_yusen_kubun": codes[0]})
    if keys:
        person = keys["residents"][0]
        s.run("shokken_shusei", {"atena_no": person, "shimei_yusen_kubun": codes[-1], "ido_bi": s.day(5, 1)})
        got = s.read(f"/residents/{person}") or {}
        if got.get("shimei_yusen_kubun") != codes[-1]:
            s.note(f"shimei_yusen_kubun {got.get('shimei_yusen_kubun')!r}, expected {codes[-1]!r}")
    _done(s)
