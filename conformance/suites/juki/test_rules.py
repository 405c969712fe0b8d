"""住民基本台帳: business rules and forbidden transitions, refused with the standard's error and no change."""

from __future__ import annotations

import pytest

from conformance.suites.juki import relationships
from conformance.suites.juki.support import JukiSession

TITLE = ("業務規則に反する異動が受け付けられました", "A change breaking a business rule was accepted")


def _refusals(s: JukiSession, requirement: str, check: str):
    """Commands ``requirement``'s rule refuses, leaving no trace (:meth:`JukiSession.refusals`)."""
    return s.refusals(requirement, TITLE, check=check)


@pytest.mark.requirement("JUKI-020", "JUKI-021")
def test_one_head_per_household(kikan) -> None:
    """A 転入 or 出生 into a household with a 世帯主 cannot bring a second one, nor can a 世帯主変更 give the
    世帯主 code to another member; a new household needs a 世帯主."""
    s = JukiSession(kikan, 21)
    setai_no, _ = s.new_household(2)
    jusho = s.oracle.households[setai_no].jusho
    members = s.oracle.households[setai_no].members
    check = "single_head_per_household"
    with _refusals(s, "JUKI-020", check):  # no second 世帯主 by 転入, 出生 or 世帯主変更
        s.must_refuse(
            "tennyu",
            s.tennyu_body(setai_no=setai_no, jusho=jusho, zokugara=s.oracle.head),
            "JUKI_HOUSEHOLD_HEAD_EXISTS",
        )
        child = {
            k: v for k, v in s.person(zokugara=s.oracle.head).items() if k not in ("honseki", "hittousha")
        }
        s.must_refuse(
            "shussei",
            {**child, "setai_no": setai_no, "ido_bi": {"date": s.day(9, 5)}, "todoke_bi": s.day(4, 1)},
            "JUKI_HOUSEHOLD_HEAD_EXISTS",
        )
        s.must_refuse(
            "setainushi_henko",
            {
                "setai_no": setai_no,
                "setainushi": members[1],
                "zokugara_list": [{"atena_no": members[0], "zokugara": s.oracle.head}],
                "ido_bi": s.day(9, 5),
                "todoke_bi": s.day(4, 1),
            },
            "JUKI_HOUSEHOLD_HEAD_EXISTS",
        )
    with _refusals(s, "JUKI-021", check):  # a new household's first member is its 世帯主
        s.must_refuse("tennyu", s.tennyu_body(zokugara=s.relation(0)), "JUKI_HOUSEHOLD_HEAD_REQUIRED")


@pytest.mark.requirement("JUKI-025")
def test_removed_resident_cannot_change(kikan) -> None:
    """No 転居, 世帯分離, 転出, 死亡, 職権修正, 旧氏 or 通称 change on a removed (消除) record."""
    s = JukiSession(kikan, 22)
    _, members = s.new_household(2)
    with s.setup("死亡で住民票を消除する", "remove a record by 死亡"):
        s.run(
            "shibou", {"atena_no": members[1], "ido_bi": {"date": s.day(30, 20)}, "todoke_bi": s.day(19, 19)}
        )
    gone = members[1]
    attempts = {
        "tenkyo": {"jusho": s.address(), "ido_bi": s.day(5, 1), "todoke_bi": s.day(1, 1)},
        "setai_bunri": {"ido_bi": s.day(5, 1), "todoke_bi": s.day(1, 1)},
        "tenshutsu_yotei": {
            "tenshutsu_kubun": "2",
            "tenshutsu_saki_kokugai_jusho": "カナダ",
            "ido_bi": s.day(5, 1),
            "todoke_bi": s.day(1, 1),
        },
        "shibou": {"ido_bi": {"date": s.day(5, 1)}, "todoke_bi": s.day(1, 1)},
        "shokken_shusei": {"furigana": "ヤマダ", "ido_bi": s.day(5, 1)},
        "kyuuji_kisai": {"kyuuji": "鈴木", "ido_bi": s.day(5, 1), "seikyu_bi": s.day(1, 1)},
    }
    with _refusals(s, "JUKI-025", "removed_resident_unchanged"):
        for command, rest in attempts.items():
            s.must_refuse(command, {"atena_no": gone, **rest}, "JUKI_RESIDENT_REMOVED")


@pytest.mark.requirement("JUKI-011")
def test_confirming_needs_a_planned_move_out(kikan) -> None:
    """転出確定 on an active record, or on a death record, is 409 JUKI_TENSHUTSU_NOT_PLANNED."""
    s = JukiSession(kikan, 23)
    _, members = s.new_household(2)
    with s.setup("死亡で住民票を消除する", "remove a record by 死亡"):
        s.run(
            "shibou", {"atena_no": members[1], "ido_bi": {"date": s.day(30, 20)}, "todoke_bi": s.day(19, 19)}
        )
    with _refusals(s, "JUKI-011", "tenshutsu_kakutei_needs_yotei"):
        for atena_no in members:
            s.must_refuse(
                "tenshutsu_kakutei",
                {
                    "atena_no": atena_no,
                    "tenshutsu_saki_jusho": s.address(),
                    "ido_bi": s.day(5, 1),
                    "tsuchi_bi": s.day(1, 1),
                },
                "JUKI_TENSHUTSU_NOT_PLANNED",
            )


@pytest.mark.requirement("JUKI-016", "JUKI-017", "JUKI-014", "JUKI-015")
def test_kyuuji_and_tsusho_by_kind(kikan) -> None:
    """通称 only for 外国人, 旧氏 only for 日本人; no second 旧氏 or 通称, no change of an absent one."""
    s = JukiSession(kikan, 24)
    _, (japanese,) = s.new_household(1)
    _, (foreigner,) = s.new_household(1, foreign=True)
    with s.setup("旧氏と通称を記載する", "record a 旧氏 and a 通称"):
        s.run(
            "kyuuji_kisai",
            {"atena_no": japanese, "kyuuji": "鈴木", "ido_bi": s.day(30, 30), "seikyu_bi": s.day(30, 30)},
        )
        s.run(
            "tsusho_kisai",
            {"atena_no": foreigner, "tsusho": "山本", "ido_bi": s.day(30, 30), "moshide_bi": s.day(30, 30)},
        )
    d = {"ido_bi": s.day(5, 1)}
    check = "kyuuji_tsusho_rules"
    with _refusals(s, "JUKI-016", check):  # no 通称 for a 日本人
        s.must_refuse(
            "tsusho_kisai",
            {"atena_no": japanese, "tsusho": "山本", **d, "moshide_bi": d["ido_bi"]},
            "JUKI_NOT_FOREIGN_RESIDENT",
        )
    with _refusals(s, "JUKI-017", check):  # no 旧氏 for a 外国人
        s.must_refuse(
            "kyuuji_kisai",
            {"atena_no": foreigner, "kyuuji": "鈴木", **d, "seikyu_bi": d["ido_bi"]},
            "JUKI_NOT_JAPANESE_RESIDENT",
        )
    with _refusals(s, "JUKI-014", check):  # no second 旧氏
        s.must_refuse(
            "kyuuji_kisai",
            {"atena_no": japanese, "kyuuji": "田中", **d, "seikyu_bi": d["ido_bi"]},
            "JUKI_KYUUJI_ALREADY_RECORDED",
        )
    with _refusals(s, "JUKI-015", check):  # no second 通称
        s.must_refuse(
            "tsusho_kisai",
            {"atena_no": foreigner, "tsusho": "川上", **d, "moshide_bi": d["ido_bi"]},
            "JUKI_TSUSHO_ALREADY_RECORDED",
        )
    with s.setup("旧氏と通称を削除する", "delete the 旧氏 and the 通称"):
        s.run("kyuuji_sakujo", {"atena_no": japanese, **d, "seikyu_bi": d["ido_bi"]})
        s.run("tsusho_sakujo", {"atena_no": foreigner, **d, "moshide_bi": d["ido_bi"]})
    with _refusals(s, "JUKI-014", check):  # no change of an absent 旧氏
        s.must_refuse(
            "kyuuji_henko",
            {"atena_no": japanese, "kyuuji": "田中", **d, "seikyu_bi": d["ido_bi"]},
            "JUKI_KYUUJI_NOT_RECORDED",
        )
    with _refusals(s, "JUKI-015", check):  # no deletion of an absent 通称
        s.must_refuse(
            "tsusho_sakujo",
            {"atena_no": foreigner, **d, "moshide_bi": d["ido_bi"]},
            "JUKI_TSUSHO_NOT_RECORDED",
        )


@pytest.mark.requirement("JUKI-071", "JUKI-072", "JUKI-073")
def test_items_by_resident_kind(kikan) -> None:
    """A 外国人 needs 国籍・地域 and the 法30条の45 区分; items of the other kind are refused."""
    s = JukiSession(kikan, 25)
    foreign = s.tennyu_body(foreign=True)
    check = "items_by_resident_kind"
    with _refusals(s, "JUKI-071", check):  # a 外国人 needs 国籍・地域
        s.must_refuse(
            "tennyu", {k: v for k, v in foreign.items() if k != "kokuseki"}, "JUKI_FOREIGN_ITEM_REQUIRED"
        )
    with _refusals(s, "JUKI-072", check):  # no 日本人 item for a 外国人
        s.must_refuse("tennyu", {**foreign, "honseki": "東京都千代田区"}, "JUKI_NOT_JAPANESE_RESIDENT")
        s.must_refuse("tennyu", {**foreign, "kyuuji": "鈴木"}, "JUKI_NOT_JAPANESE_RESIDENT")
    with _refusals(s, "JUKI-073", check):  # no 外国人 item for a 日本人
        s.must_refuse("tennyu", {**s.tennyu_body(), "tsusho": "山本"}, "JUKI_NOT_FOREIGN_RESIDENT")
        s.must_refuse("tennyu", {**s.tennyu_body(), "zairyu_shikaku": "01"}, "JUKI_NOT_FOREIGN_RESIDENT")


@pytest.mark.requirement("JUKI-026", "JUKI-027", "JUKI-082")
def test_identifiers_unique(kikan) -> None:
    """A 個人番号 or 住民票コード already used is refused on 転入 and 職権修正; 宛名番号 are never reused."""
    s = JukiSession(kikan, 26)
    _, (first, second) = s.new_household(2)
    taken = s.oracle.residents[first]
    check = "identifiers_unique"
    with _refusals(s, "JUKI-026", check):  # a used 個人番号, on 転入 and on 職権修正
        s.must_refuse(
            "tennyu", {**s.tennyu_body(), "kojin_bango": taken["kojin_bango"]}, "JUKI_DUPLICATE_KOJIN_BANGO"
        )
        s.must_refuse(
            "shokken_shusei",
            {"atena_no": second, "kojin_bango": taken["kojin_bango"], "ido_bi": s.day(3, 1)},
            "JUKI_DUPLICATE_KOJIN_BANGO",
        )
    with _refusals(s, "JUKI-027", check):  # a used 住民票コード
        s.must_refuse(
            "tennyu",
            {**s.tennyu_body(), "juminhyo_code": taken["juminhyo_code"]},
            "JUKI_DUPLICATE_JUMINHYO_CODE",
        )
    with s.setup("死亡で住民票を消除する", "remove a record by 死亡"):
        s.run("shibou", {"atena_no": second, "ido_bi": {"date": s.day(9, 5)}, "todoke_bi": s.day(4, 4)})
    with s.part("JUKI-082", TITLE, check=check):  # a new resident gets a 宛名番号 never used before
        keys = s.run("tennyu", s.tennyu_body())
        if keys and set(keys.get("residents", [])) & {first, second}:
            s.note(f"a new resident got a used 宛名番号 {keys['residents']}")


@pytest.mark.requirement("JUKI-029", "JUKI-090")
def test_date_of_change_limits(kikan) -> None:
    """An 異動日 before the 生年月日 is refused; except for 転出, an 異動日 after today is refused."""
    s = JukiSession(kikan, 27)
    _, (person,) = s.new_household(1)
    born = s.oracle.residents[person]["seinengappi"]["date"]
    year = int(born[:4]) - 1
    with _refusals(s, "JUKI-029", "ido_bi_limits"):  # no 異動日 before the 生年月日
        s.must_refuse(
            "tenkyo",
            {"atena_no": person, "jusho": s.address(), "ido_bi": f"{year}-06-01", "todoke_bi": s.day(2, 1)},
            "JUKI_DATE_ORDER",
        )
    future = s.day(-5, -30)
    with _refusals(s, "JUKI-090", "ido_bi_limits"):  # no 異動日 after the processing day but a 転出's
        s.must_refuse(
            "tenkyo",
            {"atena_no": person, "jusho": s.address(), "ido_bi": future, "todoke_bi": s.day(2, 1)},
            "JUKI_IDO_BI_FUTURE",
        )
        s.must_refuse("tennyu", {**s.tennyu_body(), "ido_bi": future}, "JUKI_IDO_BI_FUTURE")


@pytest.mark.requirement("JUKI-080")
def test_no_tenkyo_torikeshi(kikan) -> None:
    """実装しない機能: there is no 転居取消 command, and no 異動事由 labelled 転居取消 is ever recorded."""
    s = JukiSession(kikan, 28)
    _, (person,) = s.new_household(1)
    with s.setup("転居する", "move within the municipality"):
        s.run(
            "tenkyo",
            {"atena_no": person, "jusho": s.address(), "ido_bi": s.day(5, 3), "todoke_bi": s.day(2, 2)},
        )
    for name in ("tenkyo_torikeshi", "tenkyo_cancel", "tenkyo_torikeshi_todoke"):
        ex = s.send(name, {"atena_no": person, "ido_bi": s.day(2, 1)})
        status = ex.response.status if ex.response else None
        if status != 404:
            s.note(f"POST commands/{name} answered {status}, expected 404 (no such command)")
    labels = {c.code: c.label.ja for c in s.ctx.standards.codelist("ido_jiyu", s.op).codes}
    for row in (s.read(f"/residents/{person}/history") or {}).get("items") or []:
        if "転居取消" in labels.get(str(row.get("ido_jiyu")), "") or row.get("ido_jiyu") not in labels:
            s.note(f"history row {row.get('rireki_no')} has 異動事由 {row.get('ido_jiyu')!r}")
    s.fail_if("転居取消が実装されています", "A move cancellation exists", check="no_tenkyo_torikeshi")


@pytest.mark.requirement("JUKI-093")
def test_relationship_terms_and_chains(kikan) -> None:
    """Every 続柄 term of the standard is accepted for a member, and chains of them up to 4世代 (子の妻,
    子の子の子の子 …); each reads back as sent."""
    s = JukiSession(kikan, 29)
    setai_no, _ = s.new_household(1)
    jusho = s.oracle.households[setai_no].jusho
    codelist = s.ctx.standards.codelist("zokugara", s.op)
    for value in relationships.managed(codelist, s.oracle.head, s.rng):
        s.run("tennyu", s.tennyu_body(setai_no=setai_no, jusho=jusho, zokugara=value))
    s.compare_household(setai_no)
    s.fail_if(
        "標準の続柄が受け付けられません",
        "A relationship of the standard is refused",
        check="zokugara_terms_accepted",
    )


@pytest.mark.requirement("JUKI-094")
def test_unmanaged_relationships_refused(kikan) -> None:
    """実装しない機能: any other 続柄 (孫, 祖父, おじ …: codes that are no term), a chain deeper than 4世代,
    世帯主/縁故者/同居人 inside a chain and empty parts are refused at /zokugara with the type's code."""
    s = JukiSession(kikan, 31)
    setai_no, _ = s.new_household(1)
    jusho = s.oracle.households[setai_no].jusho
    with _refusals(s, "JUKI-094", "unmanaged_zokugara_refused"):
        for value, code in relationships.unmanaged(s.ctx.standards.codelist("zokugara", s.op), s.rng):
            s.must_reject_item(
                "tennyu", s.tennyu_body(setai_no=setai_no, jusho=jusho, zokugara=value), "/zokugara", {code}
            )


@pytest.mark.requirement("JUKI-095")
def test_no_presumed_death_choice(kikan) -> None:
    """実装しない機能: a 死亡 takes no 死亡/推定死亡 choice and no cause of death (unknown items)."""
    s = JukiSession(kikan, 30)
    _, (person,) = s.new_household(1)
    with _refusals(s, "JUKI-095", "no_presumed_death"):
        for extra in ("suitei_shibou", "shibou_kubun", "shibou_jiyu"):
            s.must_reject_item(
                "shibou",
                {"atena_no": person, "ido_bi": {"date": s.day(5, 1)}, "todoke_bi": s.day(1, 1), extra: "1"},
                f"/{extra}",
                {"UNKNOWN_ITEM"},
            )
