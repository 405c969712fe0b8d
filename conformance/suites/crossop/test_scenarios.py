"""Life-event scenarios across 住民基本台帳, 戸籍, 戸籍の附票, 印鑑登録 and 選挙人名簿管理.

Each scenario is a short story a municipality can follow: its steps are in the docstring, and a failure
names the step it was found in. After each step every operation's oracle is compared with the target
and the cross-operation invariants are checked (:meth:`LifeSession.check_invariants`). They run only when
the target claims all five operations.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.crossop.life import OPERATIONS, LifeSession
from conformance.suites.senkyo.support import today

pytestmark = pytest.mark.kikan_operations(*OPERATIONS)

TITLE = (
    "ライフイベントが業務間で標準どおりに反映されません",
    "A life event is not reflected across the operations as the standards say",
)


def _elect(s: LifeSession) -> None:
    """An election called tomorrow: everyone eligible today is registered."""
    kokuji = today() - s.senkyo.oracle.offset
    s.senkyo.run(
        "senkyoji_toroku",
        {
            "senkyo_mei": "市長選挙",
            "kokuji_bi": kokuji.isoformat(),
            "senkyo_kijitsu": (kokuji + dt.timedelta(days=14)).isoformat(),
        },
    )


@pytest.mark.requirement("FUHYO-012", "FUHYO-014", "INKAN-003", "SENKYO-005")
def test_birth(kikan) -> None:
    """出生 / A birth.

    1. 母が帰化し (戸籍), この市に転入する (住民基本台帳) — 附票 gets her address.
    2. 母が印鑑登録をし、選挙時登録で選挙人名簿に載る.
    3. 子が生まれる: 戸籍の出生届 (母の戸籍に入る) と住民基本台帳の出生 (母の世帯) — 附票 gets the child's address.
    4. 子は印鑑登録できず (INKAN_UNDER_AGE)、選挙人名簿にも載らない.
    """
    s = LifeSession(kikan, 1)
    check = "life_event_birth"
    s.step("母の帰化と転入 / the mother naturalises and moves in", fuhyo="FUHYO-012")
    mother, mother_atena = s.founder(seibetsu="2")
    s.checked(TITLE, check=check)
    s.step(
        "母の印鑑登録と選挙時登録 / her seal registration and election registration",
        inkan="INKAN-001",
        senkyo="SENKYO-012",
    )
    if mother_atena:
        s.inkan.register(mother_atena)
    _elect(s)
    s.checked(TITLE, check=check)
    s.step("子の出生 / the child is born", fuhyo="FUHYO-014")
    child, child_atena = s.birth(mother, today() - dt.timedelta(days=3))
    s.checked(TITLE, check=check)
    s.step("子の印鑑登録申請 / the child applies for a seal", inkan="INKAN-003")
    if child_atena:
        s.inkan.must_refuse("toroku", s.inkan.toroku_body(child_atena), "INKAN_UNDER_AGE")
    else:
        s.note("the child was not recorded in the resident register", requirement="FUHYO-014")
    s.checked(TITLE, check=check)
    s.step("選挙時登録 / another election: the child is not registered", senkyo="SENKYO-005")
    _elect(s)
    s.checked(TITLE, check=check)


@pytest.mark.requirement("FUHYO-013", "FUHYO-015", "FUHYO-016", "INKAN-022", "SENKYO-016", "SENKYO-023")
def test_moves(kikan) -> None:
    """転居と転出 / Moves within and out of the municipality.

    1. 夫婦それぞれ帰化し転入する; 二人とも印鑑登録し、選挙時登録で選挙人名簿に載る.
    2. 夫が市内で転居する — 附票 gets the new address, 選挙人名簿 and 印鑑登録証明書 show it.
    3. 夫が国外へ転出する — 印鑑登録は転出で終了, 選挙人名簿は表示, 附票 gets the address abroad.
    4. 妻が国内の他の市へ転出する — 印鑑登録は終了, 表示; 附票 adds nothing until the new municipality notifies.
    """
    s = LifeSession(kikan, 2)
    check = "life_event_moves"
    s.step(
        "二人の帰化と転入、印鑑登録、選挙時登録 / two people move in, register seals, are registered electors",
        fuhyo="FUHYO-012",
        inkan="INKAN-001",
        senkyo="SENKYO-012",
    )
    husband, husband_atena = s.founder(seibetsu="1")
    wife, wife_atena = s.founder(seibetsu="2")
    for atena_no in (husband_atena, wife_atena):
        if atena_no:
            s.inkan.register(atena_no)
    _elect(s)
    s.checked(TITLE, check=check)
    if not (husband_atena and wife_atena):
        return
    s.step(
        "夫の市内転居 / the husband moves within the municipality",
        fuhyo="FUHYO-013",
        inkan="INKAN-020",
        senkyo="SENKYO-023",
    )
    s.fuhyo.tenkyo(husband_atena)
    s.checked(TITLE, check=check)
    s.step(
        "夫の国外転出 / the husband moves abroad", fuhyo="FUHYO-015", inkan="INKAN-022", senkyo="SENKYO-016"
    )
    s.fuhyo.tenshutsu(husband_atena, abroad=True)
    s.checked(TITLE, check=check)
    s.step(
        "妻の国内転出 / the wife moves to another municipality",
        fuhyo="FUHYO-016",
        inkan="INKAN-022",
        senkyo="SENKYO-016",
    )
    s.fuhyo.tenshutsu(wife_atena, abroad=False)
    s.checked(TITLE, check=check)


@pytest.mark.requirement("FUHYO-017", "FUHYO-020", "INKAN-023", "SENKYO-019")
def test_death(kikan) -> None:
    """死亡 / A death.

    1. 帰化し転入した人が印鑑登録をし、選挙人名簿に載る.
    2. 死亡が住民基本台帳に記録される — 印鑑登録は死亡で終了, 選挙人名簿から抹消; 附票は変わらない.
    3. 戸籍に死亡届が記録される — 附票の記載が消除される.
    """
    s = LifeSession(kikan, 3)
    check = "life_event_death"
    s.step(
        "帰化と転入、印鑑登録、選挙時登録 / naturalisation, move-in, seal and election registration",
        fuhyo="FUHYO-012",
        inkan="INKAN-001",
        senkyo="SENKYO-012",
    )
    person, atena_no = s.founder()
    if atena_no:
        s.inkan.register(atena_no, day=today() - dt.timedelta(days=10))
    _elect(s)
    s.checked(TITLE, check=check)
    s.step(
        "住民基本台帳の死亡 / the death in the resident register",
        fuhyo="FUHYO-017",
        inkan="INKAN-023",
        senkyo="SENKYO-019",
    )
    died = today() - dt.timedelta(days=2)
    if atena_no:
        s.juki.run(
            "shibou",
            {"atena_no": atena_no, "ido_bi": {"date": died.isoformat()}, "todoke_bi": today().isoformat()},
        )
    s.checked(TITLE, check=check)
    s.step("戸籍の死亡届 / the death in the family register", fuhyo="FUHYO-020")
    s.fuhyo.k.clock = today() - dt.timedelta(days=1)
    s.fuhyo.koseki(
        "shibou",
        {"member_id": person, "shibou_bi": {"date": died.isoformat()}, "todoke_bi": s.fuhyo.k.step()},
    )
    s.checked(TITLE, check=check)


@pytest.mark.requirement("FUHYO-019", "SENKYO-024")
def test_marriage(kikan) -> None:
    """婚姻 / A marriage.

    1. 二人が帰化し転入する; 二人とも選挙人名簿に載り、妻は印鑑登録をする.
    2. 婚姻届 (夫の氏): 夫は筆頭者なので妻が夫の戸籍に入る — 妻の附票の記載は新しい戸籍へ移記され住所を引き継ぐ.
    3. 住民基本台帳で妻の氏名と戸籍の表示を職権修正する — 選挙人名簿の氏名が改まり、証明書も新しい氏名になる.
    4. 妻が夫の住所へ転居する — 移記された附票の記載に新しい住所が加わる.
    """
    s = LifeSession(kikan, 4)
    check = "life_event_marriage"
    s.step(
        "二人の帰化と転入、選挙時登録、妻の印鑑登録 / two people move in, are registered; the wife registers a seal",
        fuhyo="FUHYO-012",
        inkan="INKAN-001",
        senkyo="SENKYO-012",
    )
    husband, husband_atena = s.founder(seibetsu="1")
    wife, wife_atena = s.founder(seibetsu="2")
    if wife_atena:
        s.inkan.register(wife_atena)
    _elect(s)
    s.checked(TITLE, check=check)
    if not (husband_atena and wife_atena):
        return
    s.step("婚姻届（夫の氏） / the marriage, taking the husband's surname", fuhyo="FUHYO-019")
    uji = s.fuhyo.k.op.code_of("kon_in_uji", "夫の氏")
    s.fuhyo.koseki(
        "kon_in",
        {"otto_member_id": husband, "tsuma_member_id": wife, "uji": uji, "todoke_bi": s.fuhyo.k.step()},
    )
    s.checked(TITLE, check=check)
    s.step(
        "妻の氏名と戸籍の表示の職権修正 / the wife's name and family register corrected in the resident register",
        inkan="INKAN-020",
        senkyo="SENKYO-024",
    )
    k = s.fuhyo.k.oracle
    new_entry = next(
        (
            m
            for m, e in k.members.items()
            if e.get("koseki_no") == k.members[husband]["koseki_no"] and m != husband
        ),
        None,
    )
    if new_entry:
        m = k.members[new_entry]
        reg = k.registers[m["koseki_no"]]
        s.juki.run(
            "shokken_shusei",
            {
                "atena_no": wife_atena,
                "shimei": m["shimei"],
                "honseki": reg["honseki"],
                "hittousha": reg["hittousha"],
                "ido_bi": today().isoformat(),
            },
        )
        s.atena[new_entry] = wife_atena
    else:
        s.note(
            "the wife has no entry in the husband's family register after the marriage",
            requirement="FUHYO-019",
        )
    s.checked(TITLE, check=check)
    s.step("妻の転居 / the wife moves to the husband's address", fuhyo="FUHYO-013", senkyo="SENKYO-023")
    s.fuhyo.tenkyo(wife_atena)
    s.checked(TITLE, check=check)
