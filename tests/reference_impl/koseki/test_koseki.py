"""戸籍 (koseki) on the reference server: 帰化, 出生, 死亡, 転籍, 分籍, 振り仮名, reads; every error.

Ages and dates of the rules are read from the standard, never written here.
"""

from __future__ import annotations

from datetime import date, timedelta

from ri_registers import HONSEKI, Registers

from standards.common.dates import age_reached_on


def test_kika_makes_a_register_headed_by_the_person(k: Registers) -> None:
    koseki_no, member_id = k.kika(furigana="ヤマダ　タロウ")
    reg = k.register(koseki_no)
    assert (reg["honseki"], reg["hittousha"], reg["hittousha_member_id"]) == (
        HONSEKI,
        "山田　太郎",
        member_id,
    )
    assert reg["koseki_jotai"] == k.code("koseki", "koseki_jotai", "現在戸籍")
    assert reg["hensei_jiyu"] == k.code("koseki", "hensei_jiyu", "帰化")
    assert reg["koseki_jiko"] == [
        {"jiko_shubetsu": k.code("koseki", "koseki_jiko_shubetsu", "戸籍編製"), "jiko_bi": "2025-06-02"}
    ]
    m = k.member(member_id)
    assert (m["koseki_no"], m["kisai_jun"], m["furigana"]) == (koseki_no, 1, "ヤマダ　タロウ")
    assert m["zaiseki_jotai"] == k.code("koseki", "zaiseki_jotai", "在籍")
    assert k.kinds(m) == ["帰化"]


def test_names_round_trip_code_point_for_code_point(k: Registers) -> None:
    name = "\u845b\U000e0100城　𠮷子"  # IVS sequence and a character outside the BMP
    koseki_no, member_id = k.kika(shimei=name, seibetsu="2")
    assert k.member(member_id)["shimei"] == name
    assert k.register(koseki_no)["hittousha"] == name
    assert k.get("koseki", "/members", 200)["items"][0]["shimei"] == name


def test_shussei_enters_the_parents_register_with_their_names(k: Registers) -> None:
    koseki_no, father = k.kika()
    _, mother_alone = k.kika(shimei="佐藤　花子", seibetsu="2", honseki="大阪府")
    k.marry(father, mother_alone)
    mother = k.current_entry(mother_alone)["member_id"]
    child = k.birth(
        koseki_no, haha=mother, chichi=father, seinengappi="2025-08-01", fubo_tono_zokugara="長男"
    )
    m = k.member(child)
    assert (m["koseki_no"], m["kisai_jun"]) == (koseki_no, 3)
    assert (m["chichi_shimei"], m["haha_shimei"], m["fubo_tono_zokugara"]) == (
        "山田　太郎",
        "佐藤　花子",
        "長男",
    )
    assert k.kinds(m) == ["出生"]
    assert m["mibun_jiko"][0]["jiko_bi"] == {"date": "2025-08-01"}


def test_shussei_with_an_unknown_birth_day_keeps_it(k: Registers) -> None:
    koseki_no, father = k.kika()
    birth = {"date": "2025-08-01", "unknown": "day"}
    r = k.post(
        "koseki",
        "shussei",
        {
            "koseki_no": koseki_no,
            "chichi_member_id": father,
            "shimei": "山田　次郎",
            "seinengappi": birth,
            "seibetsu": "1",
            "todoke_bi": "2025-09-01",
        },
        201,
    )
    assert k.member(k.key(r["affected"], "members"))["seinengappi"] == birth


def test_shussei_refusals(k: Registers) -> None:
    koseki_no, father = k.kika()
    other_reg, stranger = k.kika(shimei="鈴木　一", honseki="京都府")
    body = {
        "koseki_no": koseki_no,
        "chichi_member_id": father,
        "shimei": "山田　一郎",
        "seinengappi": {"date": "2025-08-01"},
        "seibetsu": "1",
        "todoke_bi": "2025-08-10",
    }
    k.refused("koseki", "shussei", {**body, "koseki_no": "9999999999"}, 404, "KOSEKI_REGISTER_NOT_FOUND")
    k.refused("koseki", "shussei", {**body, "chichi_member_id": "9999999999"}, 404, "KOSEKI_MEMBER_NOT_FOUND")
    k.refused(
        "koseki", "shussei", {**body, "chichi_member_id": stranger}, 422, "KOSEKI_PARENT_NOT_IN_REGISTER"
    )
    no_parent = {k_: v for k_, v in body.items() if k_ != "chichi_member_id"}
    k.refused("koseki", "shussei", no_parent, 422, "KOSEKI_PARENT_NOT_IN_REGISTER")
    k.refused("koseki", "shussei", {**body, "seinengappi": {"date": "2025-08-11"}}, 422, "KOSEKI_DATE_ORDER")
    k.refused("koseki", "shussei", {**body, "todoke_bi": "2026-03-03"}, 422, "KOSEKI_DATE_ORDER")
    k.refused(
        "koseki",
        "shussei",
        {**body, "todoke_bi": "2025-06-01", "seinengappi": {"date": "2025-05-01"}},
        422,
        "KOSEKI_DATE_ORDER",
    )  # before the register was made
    since = str(k.rule("koseki", "furigana_from", "2025-06-01"))
    before = (date.fromisoformat(since) - timedelta(days=1)).isoformat()
    old_reg, old_father = k.kika(shimei="古田　一", todoke_bi="2024-01-10", honseki="奈良県")
    k.refused(
        "koseki",
        "shussei",
        {
            **body,
            "koseki_no": old_reg,
            "chichi_member_id": old_father,
            "todoke_bi": before,
            "seinengappi": {"date": "2025-05-01"},
            "furigana": "フルタ　ジロウ",
        },
        422,
        "KOSEKI_FURIGANA_NOT_IN_FORCE",
    )
    k.post(
        "koseki",
        "shibou",
        {"member_id": stranger, "shibou_bi": {"date": "2025-07-01"}, "todoke_bi": "2025-07-02"},
        200,
    )
    k.refused("koseki", "shussei", {**body, "koseki_no": other_reg}, 409, "KOSEKI_REGISTER_CLOSED")
    k.refused("koseki", "shussei", {**body, "chichi_member_id": stranger}, 409, "KOSEKI_MEMBER_REMOVED")


def test_shibou_removes_the_entry_and_closes_an_empty_register(k: Registers) -> None:
    koseki_no, head = k.kika()
    child = k.birth(koseki_no, chichi=head)
    k.post(
        "koseki",
        "shibou",
        {
            "member_id": head,
            "shibou_bi": {"date": "2025-09-01", "qualifier": "about"},
            "todoke_bi": "2025-09-05",
        },
        200,
    )
    m = k.member(head)
    assert m["zaiseki_jotai"] == k.code("koseki", "zaiseki_jotai", "除籍")
    assert (m["joseki_bi"], m["joseki_jiyu"]) == ("2025-09-05", k.code("koseki", "joseki_jiyu", "死亡"))
    assert k.kinds(m)[-1] == "死亡" and m["mibun_jiko"][-1]["jiko_bi"] == {
        "date": "2025-09-01",
        "qualifier": "about",
    }
    assert k.register(koseki_no)["koseki_jotai"] == k.code("koseki", "koseki_jotai", "現在戸籍")
    k.post(
        "koseki",
        "shibou",
        {"member_id": child, "shibou_bi": {"date": "2025-10-01"}, "todoke_bi": "2025-10-02"},
        200,
    )
    reg = k.register(koseki_no)
    assert (reg["koseki_jotai"], reg["joseki_bi"]) == (k.code("koseki", "koseki_jotai", "除籍"), "2025-10-02")
    assert reg["koseki_jiko"][-1] == {
        "jiko_shubetsu": k.code("koseki", "koseki_jiko_shubetsu", "戸籍消除"),
        "jiko_bi": "2025-10-02",
    }
    closed = k.get("koseki", f"/registers?koseki_jotai={k.code('koseki', 'koseki_jotai', '除籍')}")["items"]
    assert [r["koseki_no"] for r in closed] == [koseki_no]
    assert k.get("koseki", f"/registers/{koseki_no}?as_of=2025-10-01")["koseki_jotai"] == k.code(
        "koseki", "koseki_jotai", "現在戸籍"
    )


def test_shibou_refusals(k: Registers) -> None:
    _, head = k.kika(seinengappi="1990-05-01")
    body = {"member_id": head, "shibou_bi": {"date": "2025-09-01"}, "todoke_bi": "2025-09-05"}
    k.refused("koseki", "shibou", {**body, "member_id": "0000009999"}, 404, "KOSEKI_MEMBER_NOT_FOUND")
    k.refused("koseki", "shibou", {**body, "shibou_bi": {"date": "2025-09-06"}}, 422, "KOSEKI_DATE_ORDER")
    k.refused(
        "koseki",
        "shibou",
        {**body, "shibou_bi": {"date": "1990-04-30"}, "todoke_bi": "2025-09-05"},
        422,
        "KOSEKI_DATE_ORDER",
    )
    k.refused(
        "koseki",
        "shibou",
        {**body, "todoke_bi": "2025-06-01", "shibou_bi": {"date": "2025-05-01"}},
        422,
        "KOSEKI_DATE_ORDER",
    )  # before the 帰化 recorded on the entry
    k.post("koseki", "shibou", body, 200)
    k.refused("koseki", "shibou", {**body, "todoke_bi": "2025-09-06"}, 409, "KOSEKI_MEMBER_REMOVED")


def test_shibou_leaves_the_spouse_unmarried(k: Registers) -> None:
    _, otto = k.kika()
    _, tsuma = k.kika(shimei="佐藤　花子", seibetsu="2", honseki="大阪府")
    k.marry(otto, tsuma)
    k.post(
        "koseki",
        "shibou",
        {"member_id": otto, "shibou_bi": {"date": "2025-09-01"}, "todoke_bi": "2025-09-02"},
        200,
    )
    widow = k.current_entry(tsuma)
    assert widow.get("haigusha_member_id") is None


def test_tenseki_within_and_out_of_the_municipality(k: Registers) -> None:
    koseki_no, head = k.kika()
    child = k.birth(koseki_no, chichi=head)
    within = k.code("koseki", "tenseki_kubun", "管内転籍")
    k.post(
        "koseki",
        "tenseki",
        {
            "koseki_no": koseki_no,
            "shin_honseki": "東京都千代田区丸の内一丁目",
            "tenseki_kubun": within,
            "todoke_bi": "2025-09-01",
        },
        200,
    )
    reg = k.register(koseki_no)
    assert reg["honseki"] == "東京都千代田区丸の内一丁目"
    assert reg["koseki_jiko"][-1] == {
        "jiko_shubetsu": k.code("koseki", "koseki_jiko_shubetsu", "転籍"),
        "jiko_bi": "2025-09-01",
        "juzen_honseki": HONSEKI,
    }
    assert k.get("koseki", f"/registers/{koseki_no}?as_of=2025-08-31")["honseki"] == HONSEKI
    out = k.code("koseki", "tenseki_kubun", "管外転籍")
    body = {
        "koseki_no": koseki_no,
        "shin_honseki": "大阪府大阪市",
        "tenseki_kubun": out,
        "todoke_bi": "2025-10-01",
    }
    k.refused("koseki", "tenseki", {**body, "todoke_bi": "2025-08-31"}, 422, "KOSEKI_DATE_ORDER")
    k.post("koseki", "tenseki", body, 200)
    reg = k.register(koseki_no)
    assert (reg["koseki_jotai"], reg["joseki_bi"]) == (k.code("koseki", "koseki_jotai", "除籍"), "2025-10-01")
    for member_id in (head, child):
        assert k.member(member_id)["joseki_jiyu"] == k.code("koseki", "joseki_jiyu", "転籍")
    k.refused("koseki", "tenseki", body, 409, "KOSEKI_REGISTER_CLOSED")
    k.refused("koseki", "tenseki", {**body, "koseki_no": "0000009999"}, 404, "KOSEKI_REGISTER_NOT_FOUND")


def test_bunseki_makes_a_register_for_an_adult(k: Registers) -> None:
    koseki_no, head = k.kika(seinengappi="1960-01-01", todoke_bi="2000-01-05")
    adult_age = k.rule("koseki", "bunseki_min_age", "2025-06-01")
    old_age = k.rule("koseki", "bunseki_min_age", "2020-06-01")
    assert old_age > adult_age  # 成年 was lowered; a person between the two ages tests both rules
    birth = date(2005, 6, 1)  # of age under the current rule only
    child = k.birth(koseki_no, chichi=head, seinengappi=birth.isoformat(), todoke_bi="2005-06-10")
    body = {"member_id": child, "shin_honseki": "北海道札幌市", "todoke_bi": ""}
    day_before_adult = age_reached_on(birth, adult_age) - timedelta(days=1)
    k.refused(
        "koseki",
        "bunseki",
        {**body, "todoke_bi": day_before_adult.isoformat()},
        422,
        "KOSEKI_BUNSEKI_UNDER_AGE",
    )
    k.refused(
        "koseki",
        "bunseki",
        {**body, "member_id": head, "todoke_bi": "2025-06-01"},
        409,
        "KOSEKI_BUNSEKI_HEAD_OR_SPOUSE",
    )
    on = age_reached_on(birth, adult_age)
    assert on >= date(2022, 4, 1)
    r = k.post("koseki", "bunseki", {**body, "todoke_bi": on.isoformat()}, 201)
    new_reg, new_entry = k.key(r["affected"], "registers"), k.member(k.current_entry(child)["member_id"])
    reg = k.register(new_reg)
    assert (reg["honseki"], reg["hittousha_member_id"]) == ("北海道札幌市", new_entry["member_id"])
    assert reg["hensei_jiyu"] == k.code("koseki", "hensei_jiyu", "分籍")
    old = k.member(child)
    assert (old["joseki_jiyu"], old["saki_member_id"]) == (
        k.code("koseki", "joseki_jiyu", "分籍"),
        new_entry["member_id"],
    )
    assert (new_entry["moto_member_id"], new_entry["kisai_jun"]) == (child, 1)
    assert k.kinds(new_entry) == ["出生", "分籍"]


def test_bunseki_under_the_former_age_of_majority(k: Registers) -> None:
    koseki_no, head = k.kika(seinengappi="1960-01-01", todoke_bi="2000-01-05")
    old_age = k.rule("koseki", "bunseki_min_age", "2020-06-01")
    child = k.birth(koseki_no, chichi=head, seinengappi="2001-06-01", todoke_bi="2001-06-10")
    on = age_reached_on(date(2001, 6, 1), old_age - 1)  # of age today, not under the old rule
    k.refused(
        "koseki",
        "bunseki",
        {"member_id": child, "shin_honseki": "北海道", "todoke_bi": on.isoformat()},
        422,
        "KOSEKI_BUNSEKI_UNDER_AGE",
    )


def test_furigana_todoke_counts_the_free_changes(k: Registers) -> None:
    free = int(k.rule("koseki", "furigana_free_changes", "2025-06-01"))
    _, member_id = k.kika(todoke_bi="2025-06-02")
    body = {"member_id": member_id, "furigana": "ヤマダ　タロウ", "todoke_bi": "2025-06-03"}
    k.post("koseki", "furigana_todoke", body, 200)  # the first recording
    for i in range(free):
        k.post("koseki", "furigana_todoke", {**body, "furigana": f"ヤマダ　タロ{'ウオ'[i % 2]}"}, 200)
    k.refused(
        "koseki",
        "furigana_todoke",
        {**body, "furigana": "ヤマダ　タ"},
        422,
        "KOSEKI_FURIGANA_CHANGE_NEEDS_PERMISSION",
    )
    k.refused(
        "koseki",
        "furigana_todoke",
        {**body, "furigana": "ヤマダ　タ", "kasai_kyoka_bi": "2026-03-03"},
        422,
        "KOSEKI_DATE_ORDER",
    )
    k.post(
        "koseki", "furigana_todoke", {**body, "furigana": "ヤマダ　タ", "kasai_kyoka_bi": "2025-06-01"}, 200
    )
    m = k.member(member_id)
    assert m["furigana"] == "ヤマダ　タ"
    assert k.kinds(m) == ["帰化"] + ["氏名の振り仮名"] * (free + 2)


def test_furigana_recorded_at_kika_counts_as_the_first_recording(k: Registers) -> None:
    free = int(k.rule("koseki", "furigana_free_changes", "2025-06-01"))
    _, member_id = k.kika(furigana="ヤマダ　タロウ")
    body = {"member_id": member_id, "furigana": "ヤマダ　タロオ", "todoke_bi": "2025-06-03"}
    for _ in range(free):
        k.post("koseki", "furigana_todoke", body, 200)
    k.refused("koseki", "furigana_todoke", body, 422, "KOSEKI_FURIGANA_CHANGE_NEEDS_PERMISSION")


def test_furigana_todoke_refusals(k: Registers) -> None:
    since = date.fromisoformat(str(k.rule("koseki", "furigana_from", "2025-06-01")))
    _, member_id = k.kika(todoke_bi="2024-01-05")
    body = {"member_id": member_id, "furigana": "ヤマダ　タロウ", "todoke_bi": since.isoformat()}
    k.refused(
        "koseki",
        "furigana_todoke",
        {**body, "todoke_bi": (since - timedelta(days=1)).isoformat()},
        422,
        "KOSEKI_FURIGANA_NOT_IN_FORCE",
    )
    k.refused(
        "koseki", "furigana_todoke", {**body, "member_id": "0000009999"}, 404, "KOSEKI_MEMBER_NOT_FOUND"
    )
    problem = k.refused(
        "koseki",
        "furigana_todoke",
        {"member_id": member_id, "todoke_bi": since.isoformat()},
        422,
        "VALIDATION_FAILED",
    )
    assert problem["errors"][0]["pointer"] == "/furigana"
    k.post("koseki", "furigana_todoke", body, 200)


def test_kika_refusals(k: Registers) -> None:
    body = {
        "honseki": HONSEKI,
        "shimei": "山田　太郎",
        "seinengappi": {"date": "1990-01-01"},
        "seibetsu": "1",
        "todoke_bi": "2026-03-03",
    }
    k.refused("koseki", "kika", body, 422, "KOSEKI_DATE_ORDER")  # after the processing day
    k.refused(
        "koseki",
        "kika",
        {**body, "todoke_bi": "2025-06-01", "seinengappi": {"date": "2025-06-02"}},
        422,
        "KOSEKI_DATE_ORDER",
    )
    k.refused(
        "koseki",
        "kika",
        {**body, "todoke_bi": "2025-05-01", "furigana": "ヤマダ　タロウ"},
        422,
        "KOSEKI_FURIGANA_NOT_IN_FORCE",
    )


def test_if_match_on_a_target_register(k: Registers) -> None:
    koseki_no, head = k.kika()
    body = {
        "koseki_no": koseki_no,
        "chichi_member_id": head,
        "shimei": "山田　一郎",
        "seinengappi": {"date": "2025-08-01"},
        "seibetsu": "1",
        "todoke_bi": "2025-08-10",
    }
    problem = k.post("koseki", "shussei", body, 412, "PRECONDITION_FAILED", **{"If-Match": '"7"'})
    assert problem["status"] == 412
    etag = k.client.get(f"/koseki/v1/registers/{koseki_no}", headers=k.h).headers["etag"]
    k.post("koseki", "shussei", body, 201, **{"If-Match": etag})


def test_filters(k: Registers) -> None:
    koseki_no, head = k.kika()
    k.kika(shimei="佐藤　花子", seibetsu="2", honseki="大阪府大阪市")
    assert [r["koseki_no"] for r in k.get("koseki", "/registers?honseki=東京都")["items"]] == [koseki_no]
    assert [m["member_id"] for m in k.get("koseki", f"/members?koseki_no={koseki_no}")["items"]] == [head]
