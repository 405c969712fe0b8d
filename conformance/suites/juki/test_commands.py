"""住民基本台帳: every command's happy path, checked against the suite's oracle.

Each scenario is a sequence of parts, one requirement each: a part runs its commands and compares
what they did right away, and a test stops at the first part that found a problem."""

from __future__ import annotations

import pytest

from conformance.suites.juki.codes import DECEASED
from conformance.suites.juki.oracle import address_key, clean
from conformance.suites.juki.support import JukiSession

TITLE = ("届出の結果が標準と一致しません", "The command's result differs from the standard")
#: the common API requirement that a command is applied whole or not at all
ATOMIC = "API-016"
#: the confirmation flags of the readings (フリガナ確認フラグ, JUKI-053)
CONFIRMATION_FLAGS = ("furigana_kakunin", "kyuuji_furigana_kakunin")
#: what a 再転入 from abroad takes over from the record removed by the move abroad (JUKI-018)
CARRIED_OVER = ("kyuuji", "kyuuji_furigana", "tsusho")


def _part(s: JukiSession, requirement: str, example=None):
    """A part of a scenario verifying ``requirement`` (:meth:`JukiSession.part`)."""
    return s.part(requirement, TITLE, check="command_result_matches_oracle", example=example)


@pytest.mark.requirement("JUKI-001", "JUKI-002", "JUKI-021", "JUKI-022", "JUKI-060", "JUKI-062", "API-016")
def test_tennyu_new_and_joining_household(kikan) -> None:
    """転入 forms a household as its 世帯主; later 転入 join it at the end with their 続柄. A resident
    and a household are read by their key (a read that fails breaks JUKI-060 or JUKI-062 in any part)."""
    s = JukiSession(kikan, 1)
    setai_no, members = s.new_household(3)
    with _part(s, "JUKI-021"):  # the 世帯主's own 続柄 is 世帯主, the others' are to the 世帯主
        for member in members:
            s.compare_resident(member, ("zokugara",))
    with _part(s, "JUKI-002"):  # the joiners are members of the household, with their records
        for member in members[1:]:
            s.compare_resident(member)
        s.compare_household(setai_no, order=False)
    with _part(s, "JUKI-022"):  # the 世帯主 first, each joiner after those before
        s.compare_household(setai_no)
    body = s.tennyu_body(foreign=True)
    body.update(tennyu_kubun="2", tennyu_mae_kokugai_jusho="アメリカ合衆国 ニューヨーク州")
    body.pop("tennyu_mae_jusho")
    before = s.footprint()
    with _part(s, "JUKI-001", {"setai_no": setai_no, "members": members}):
        s.compare_resident(members[0])
        keys = s.run("tennyu", body)
        if keys is None:
            # the refusal is JUKI-001's failure; one that created the resident all the same is not atomic
            s.unchanged(before, "the refused 転入 from abroad", requirement=ATOMIC)
        else:
            before.close()
            s.compare_resident(keys["residents"][0])
            s.compare_household(s.oracle.residents[keys["residents"][0]]["setai_no"])


@pytest.mark.requirement("JUKI-003", "JUKI-030", "JUKI-031", "JUKI-034", "JUKI-035")
def test_shussei_joins_parent_household(kikan) -> None:
    """出生 adds the child at the end of the parent's household; a 不詳 or non-calendar date stays as sent.

    A 生年月日 replaced by its held calendar day in the record and in the history alike is a
    みなし生年月日 (JUKI-035); one shown otherwise in either is a 不詳日 not returned as 不詳 (JUKI-034)."""
    s = JukiSession(kikan, 2)
    setai_no, _ = s.new_household(2)
    non_calendar = {"date": "2023-02-28", "stated": "2023-02-29"}
    unknown = {"date": "2020-03-01", "unknown": "day", "qualifier": "about"}
    children: dict[str, dict] = {}
    for requirement, seinengappi in (
        ("JUKI-003", {"date": s.day(200, 100)}),
        ("JUKI-031", non_calendar),
        ("JUKI-030", unknown),
    ):
        body = {
            k: v for k, v in s.person(zokugara=s.relation(0)).items() if k not in ("honseki", "hittousha")
        }
        body.update(setai_no=setai_no, seinengappi=seinengappi, ido_bi=seinengappi, todoke_bi=s.day(20, 1))
        with _part(s, requirement):  # the birth is accepted (a calendar day, a non-calendar day, a 不詳日)
            keys = s.run("shussei", body)
            if keys and requirement == "JUKI-003":
                s.compare_resident(keys["residents"][0])
                s.compare_household(setai_no)
        if keys:
            children[keys["residents"][0]] = seinengappi
    held = {}  # each child's 生年月日 as the record and its latest history row hold it
    for child in children:
        rows = (s.read(f"/residents/{child}/history") or {}).get("items") or [{}]
        record = s.read(f"/residents/{child}") or {}
        held[child] = (clean(record.get("seinengappi")), clean(rows[-1].get("seinengappi")))
    with _part(s, "JUKI-035"):  # no 生年月日 stored as a calendar day in place of the date sent
        for child, sent in children.items():
            if sent != {"date": sent["date"]} and held[child] == ({"date": sent["date"]},) * 2:
                s.note(f"seinengappi sent {sent}, held {held[child][0]} in the record and the history")
    with _part(s, "JUKI-034"):  # each returned as sent, by the record and by the history
        for child, sent in children.items():
            for view, value in zip(("record", "history"), held[child], strict=True):
                if value != clean(sent):
                    s.note(f"seinengappi sent {sent}, read {value} from the {view}")
    with _part(s, "JUKI-003"):  # every child in the parent's household, at its end
        for child in children:
            s.compare_resident(child)
        s.compare_household(setai_no)


@pytest.mark.requirement("JUKI-004", "JUKI-005", "JUKI-083", "JUKI-084", "JUKI-097")
def test_tenkyo_whole_household_and_alone(kikan) -> None:
    """転居 of the whole household moves everyone; one member alone forms a new household; the 世帯主
    leaving one member behind makes that member 世帯主, leaving two leaves the household without one; a
    転居 to the same address (another building) is accepted."""
    s = JukiSession(kikan, 3)
    setai_no, members = s.new_household(3)
    with _part(s, "JUKI-004"):  # everyone moves, the household stays as it was
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
        for member in members:
            s.compare_resident(member)
        s.compare_household(setai_no)
    alone = {"atena_no": members[0], "jusho": s.address(), "ido_bi": s.day(15, 10), "todoke_bi": s.day(9, 9)}
    with _part(s, "JUKI-005"):  # the 世帯主 alone heads a new household at the new address; the others stay
        s.run("tenkyo", alone)
        s.compare_resident(members[0])
        s.compare_household(s.oracle.residents[members[0]]["setai_no"])
        for member in members[1:]:
            s.compare_resident(member)
        s.compare_household(setai_no, head=False)
    with _part(s, "JUKI-084"):  # the two left behind keep a household without a 世帯主
        s.compare_household(setai_no)
    two, pair = s.new_household(2)
    with _part(s, "JUKI-005"):  # the 世帯主 of two leaves alone; the other member stays at the address
        s.run(
            "tenkyo",
            {"atena_no": pair[0], "jusho": s.address(), "ido_bi": s.day(8, 5), "todoke_bi": s.day(4, 4)},
        )
        s.compare_resident(pair[0])
        s.compare_household(s.oracle.residents[pair[0]]["setai_no"])
        s.compare_resident(pair[1], ("jusho", "setai_no", "jumin_jotai"))
        s.compare_household(two, head=False)
    with _part(s, "JUKI-083"):  # the one left behind is 世帯主 ex officio
        s.compare_resident(pair[1])
        s.compare_household(two)
    same = dict(s.oracle.households[two].jusho, katagaki="別棟")
    with _part(s, "JUKI-097"):  # a 転居 to another building at the same 地番 is a 転居
        s.run("tenkyo", {"atena_no": pair[1], "jusho": same, "ido_bi": s.day(3, 2), "todoke_bi": s.day(1, 1)})
        s.compare_resident(pair[1])
        s.compare_household(two)


@pytest.mark.requirement("JUKI-006", "JUKI-008", "JUKI-007", "JUKI-020")
def test_household_changes(kikan) -> None:
    """世帯分離, 世帯主変更 (with the 続柄 restated) and 世帯合併 (with new 続柄, the merged household empty);
    no household ends with two 世帯主."""
    s = JukiSession(kikan, 4)
    setai_no, members = s.new_household(3)
    with _part(s, "JUKI-006"):  # the member leaves to head a new household at the same address
        s.run("setai_bunri", {"atena_no": members[2], "ido_bi": s.day(30, 25), "todoke_bi": s.day(24, 24)})
        moved = s.oracle.residents[members[2]]["setai_no"]
        s.compare_resident(members[2])
        s.compare_household(moved)
        # the order of those left is the 世帯主変更's to show (JUKI-008): here only who they are
        s.compare_household(setai_no, order=False)
    with _part(s, "JUKI-008"):  # the new 世帯主 first, the other restated to them
        s.run(
            "setainushi_henko",
            {
                "setai_no": setai_no,
                "setainushi": members[1],
                "zokugara_list": [{"atena_no": members[0], "zokugara": s.relation(0)}],
                "ido_bi": s.day(20, 15),
                "todoke_bi": s.day(14, 14),
            },
        )
        for member in members[:2]:
            s.compare_resident(member)
        s.compare_household(setai_no)
    with _part(s, "JUKI-007"):  # every member of the merged household joins, with the 続柄 given
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
        s.compare_resident(members[2])
        s.compare_household(setai_no)
        s.compare_household(moved)
    with _part(s, "JUKI-020"):  # one 世帯主 in each household
        for household in (setai_no, moved):
            heads = [
                m
                for m in s.oracle.households[household].members
                if (s.read(f"/residents/{m}") or {}).get("zokugara") == s.oracle.head
            ]
            if len(heads) > 1:
                s.note(f"household {household} has {len(heads)} residents with the 世帯主 続柄: {heads}")


@pytest.mark.requirement("JUKI-009", "JUKI-010", "JUKI-028", "JUKI-088", "JUKI-089", "JUKI-012", "JUKI-063")
def test_removals(kikan) -> None:
    """転出 (domestic and abroad, planned date in the future allowed), 転入通知 confirmation, 死亡 with a
    不詳 date; removed records stay readable and filterable by status and reason."""
    s = JukiSession(kikan, 5)
    setai_no, members = s.new_household(3)
    future = s.day(-10, -20)
    planned = {"todofuken": "27", "shikuchoson": "大阪市北区"}

    def removed_record(atena_no: str, *items: str) -> dict:
        got = s.read(f"/residents/{atena_no}") or {}
        for item in items:
            if not got.get(item):
                s.note(f"removed record {atena_no} has no {item}")
        return got

    with _part(s, "JUKI-009"):  # removed as of a planned date after the notification, with its destination
        s.run(
            "tenshutsu_yotei",
            {
                "atena_no": members[0],
                "tenshutsu_kubun": "1",
                "tenshutsu_saki_jusho": planned,
                "ido_bi": future,
                "todoke_bi": s.day(3, 1),
            },
        )
        removed_record(members[0], "tenshutsu_saki_jusho", "tenshutsu_yotei_bi")
        s.compare_resident(members[0])
        s.compare_household(setai_no)
    with _part(s, "JUKI-010"):  # the 転入通知 records its date, the confirmed destination and date
        s.run(
            "tenshutsu_kakutei",
            {
                "atena_no": members[0],
                "tenshutsu_saki_jusho": {"todofuken": "27", "shikuchoson": "大阪市中央区"},
                "ido_bi": future,
                "tsuchi_bi": s.day(1, 0),
            },
        )
        removed_record(members[0], "tenshutsu_saki_jusho_kakutei", "tenshutsu_bi_kakutei", "tennyu_tsuchi_bi")
        s.compare_resident(members[0])
    with _part(s, "JUKI-088"):  # the planned destination and date are kept beside the confirmed ones
        got = removed_record(members[0], "tenshutsu_saki_jusho", "tenshutsu_yotei_bi")
        if got.get("tenshutsu_saki_jusho") and address_key(got["tenshutsu_saki_jusho"]) != planned:
            s.note(f"planned destination read {got['tenshutsu_saki_jusho']}, was {planned}")
    with _part(s, "JUKI-089"):  # a planned move abroad
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
        removed_record(members[1], "tenshutsu_saki_kokugai_jusho")
        s.compare_resident(members[1])
    with _part(s, "JUKI-012"):  # a death on a 不詳日 removes the record with the reason 死亡
        s.run(
            "shibou",
            {
                "atena_no": members[2],
                "ido_bi": {"date": "2020-01-01", "unknown": "month_day"},
                "todoke_bi": s.day(1, 0),
            },
        )
        s.compare_resident(members[2])
        s.compare_household(setai_no)
    with _part(s, "JUKI-028"):  # every removed record is readable with its reason and date
        for member in members:
            removed_record(member, "shojo_jiyu", "shojo_bi")
    with _part(s, "JUKI-063"):  # the status and the reason of removal filter the residents
        listed = s.read("/residents", {"jumin_jotai": DECEASED, "limit": 500}) or {}
        if members[2] not in {i.get("atena_no") for i in listed.get("items") or ()}:
            s.note("jumin_jotai=死亡 does not list the deceased resident")
        if any(i.get("jumin_jotai") != DECEASED for i in listed.get("items") or ()):
            s.note("jumin_jotai=死亡 lists residents of another status")
        reason = s.read("/residents", {"shojo_jiyu": "202", "limit": 500}) or {}
        if members[1] not in {i.get("atena_no") for i in reason.get("items") or ()}:
            s.note("shojo_jiyu=202 does not list the resident who moved abroad")


@pytest.mark.requirement("JUKI-013", "JUKI-014", "JUKI-015", "JUKI-053", "JUKI-070")
def test_corrections_kyuuji_tsusho(kikan) -> None:
    """職権修正 changes only the items given; 旧氏 recorded, changed, deleted; 通称 recorded and deleted."""
    s = JukiSession(kikan, 6)
    _, (japanese,) = s.new_household(1)
    _, (foreigner,) = s.new_household(1, foreign=True)
    with _part(s, "JUKI-013"):  # a correction of the reading is accepted
        s.run(
            "shokken_shusei",
            {
                "atena_no": japanese,
                "furigana": "ヤマダ\u3000ジロウ",
                "furigana_kakunin": False,
                "ido_bi": s.day(40, 35),
            },
        )
    with _part(s, "JUKI-053"):  # the confirmation flags as given, on the 転入 and on the correction
        for person in (japanese, foreigner):
            s.compare_resident(person, CONFIRMATION_FLAGS)
    with _part(s, "JUKI-013"):  # the correction changed the items given, and nothing else
        s.compare_resident(japanese)
    kisai = {
        "atena_no": japanese,
        "kyuuji": "鈴木",
        "kyuuji_furigana": "スズキ",
        "kyuuji_furigana_kakunin": True,
        "ido_bi": s.day(30, 30),
        "seikyu_bi": s.day(30, 30),
    }
    with _part(s, "JUKI-014"):  # 旧氏 recorded
        s.run("kyuuji_kisai", kisai)
        s.compare_resident(japanese, [i for i in s.oracle.tracked if i not in CONFIRMATION_FLAGS])
    with _part(s, "JUKI-053"):  # the 旧氏's reading keeps its confirmation flag
        s.compare_resident(japanese, CONFIRMATION_FLAGS)
    with _part(s, "JUKI-014"):  # 旧氏 changed, then deleted
        s.run(
            "kyuuji_henko",
            {
                "atena_no": japanese,
                "kyuuji": "鈴\U000e0100木",
                "ido_bi": s.day(20, 20),
                "seikyu_bi": s.day(20, 20),
            },
        )
        # the standard leaves open whether a change without a reading keeps the old one
        s.compare_resident(japanese, ("kyuuji",))
        s.run("kyuuji_sakujo", {"atena_no": japanese, "ido_bi": s.day(10, 10), "seikyu_bi": s.day(10, 10)})
        s.compare_resident(japanese)
    with _part(s, "JUKI-013"):  # a 外国人's correction changes the items given, and nothing else
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
        s.compare_resident(foreigner)
    with _part(s, "JUKI-070"):  # the 外国人's items recorded
        got = s.read(f"/residents/{foreigner}") or {}
        if got.get("zairyu_card_no") != "AB12345678CD":
            s.note(f"zairyu_card_no not recorded: {got.get('zairyu_card_no')!r}")
    with _part(s, "JUKI-015"):  # 通称 recorded with its date and municipality, then deleted with its date
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
        got = s.compare_resident(foreigner) or {}
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
        got = s.compare_resident(foreigner) or {}
        if not got.get("tsusho_sakujo_bi"):
            s.note("通称 deleted without its deletion date")


@pytest.mark.requirement("JUKI-018", "JUKI-086", "JUKI-087")
def test_re_registration(kikan) -> None:
    """A 転入 matching a removed record must be a 再転入 (same 宛名番号); after 国外転出 the 旧氏 carries over."""
    s = JukiSession(kikan, 7)
    _, (person,) = s.new_household(1)
    with s.setup("旧氏を記載して国外へ転出する", "record a 旧氏, then move abroad"):
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
    with _part(s, "JUKI-087"):  # a new record for the person of a removed record is refused
        s.must_refuse("tennyu", body, "JUKI_PREVIOUS_RECORD_EXISTS")
    with _part(s, "JUKI-086"):  # the 再転入 keeps the 宛名番号, and the record is active again
        keys = s.run("tennyu", {**body, "zen_atena_no": person})
        if keys and person not in keys.get("residents", []):
            s.note(f"再転入 answered residents {keys.get('residents')}, expected the earlier {person}")
        s.compare_resident(person, [i for i in s.oracle.tracked if i not in CARRIED_OVER])
        s.compare_household(s.oracle.residents[person]["setai_no"])
    with _part(s, "JUKI-018"):  # the 旧氏 recorded before the move abroad carries over
        s.compare_resident(person, CARRIED_OVER)


@pytest.mark.requirement("JUKI-092")
def test_shimei_yusen_kubun_option(kikan) -> None:
    """標準オプション機能: a 外国人's 氏名優先区分 is recorded on 転入 and changed by 職権修正."""
    if not kikan.claims.claims_option("juki", "JUKI-092"):
        pytest.skip("JUKI-092 is not claimed / 宣言されていない標準オプション機能")
    s = JukiSession(kikan, 8)
    codes = s.ctx.standards.codelist("shimei_yusen_kubun", s.op).code_values()
    with _part(s, "JUKI-092"):
        keys = s.run("tennyu", {**s.tennyu_body(foreign=True), "shimei_yusen_kubun": codes[0]})
        if keys:
            person = keys["residents"][0]
            s.run(
                "shokken_shusei", {"atena_no": person, "shimei_yusen_kubun": codes[-1], "ido_bi": s.day(5, 1)}
            )
            got = s.read(f"/residents/{person}") or {}
            if got.get("shimei_yusen_kubun") != codes[-1]:
                s.note(f"shimei_yusen_kubun {got.get('shimei_yusen_kubun')!r}, expected {codes[-1]!r}")
            s.compare_all()
