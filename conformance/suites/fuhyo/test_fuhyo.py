"""戸籍の附票: made with its 戸籍 and following it (entries, 移記, 消除, 除附票, 転籍), the 通知 from the 住所地
(address history, refusals, 住民票コード from its date), the items dated 2022-01-11, and as_of /
updated_since. Checked against the suite's own 附票 model.

Each difference counts against the requirement whose part of the test it breaks: the effect that recorded
the expected fact, else the ``blame`` or the ``checking`` block of the step (a test naming several
requirements never fails them all for one wrong item)."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.session import today
from conformance.suites.fuhyo.support import FuhyoSession, address

TITLE = ("戸籍の附票が標準と一致しません", "The family register supplement differs from the standard")
MADE = ("附票の記載を作成する", "make the supplement entries")


def _done(
    s: FuhyoSession,
    *,
    fuhyo: str = "FUHYO-001",
    entries: str,
    fuhyo_blame: dict[str, str] | None = None,
    blame: dict[str, str] | None = None,
    check: str = "fuhyo_matches_oracle",
) -> None:
    """Compare every 附票 (differences against ``fuhyo`` unless ``fuhyo_blame`` or an effect says
    otherwise) and every entry (against ``entries``, likewise with ``blame``), then fail if any differs."""
    with s.checking(fuhyo):
        for koseki_no in s.k.oracle.registers:
            s.compare_fuhyo(koseki_no, blame=fuhyo_blame)
    with s.checking(entries):
        for member_id in s.k.oracle.members:
            s.compare_entry(member_id, blame=blame)
    s.fail_if(*TITLE, check=check)


@pytest.mark.requirement("FUHYO-001", "FUHYO-018", "FUHYO-023", "FUHYO-002", "FUHYO-003")
def test_made_with_its_register(kikan) -> None:
    """Each register gets exactly one 附票 with the same 本籍 and 筆頭者 when it is made; every person
    entering it gets an entry with name, 生年月日 and 性別; a child's entry has no address yet."""
    s = FuhyoSession(kikan, 1)
    with s.setup(*MADE):
        head = s.person()
        s.child(head)
        a, b = s.person(seibetsu="1"), s.person(seibetsu="2")
        son = s.child(a, born=dt.date(1990, 1, 1), seibetsu="1")
    with s.checking("FUHYO-001"):
        s.koseki(
            "kon_in",
            {
                "otto_member_id": son,
                "tsuma_member_id": b,
                "uji": "1",
                "shin_honseki": s.k.place(),
                "todoke_bi": s.k.step(),
            },
        )
        for koseki_no, reg in s.k.oracle.registers.items():
            listed = [i.get("koseki_no") for i in s.items("/fuhyo", {"honseki": reg["honseki"]})]
            if listed != [koseki_no]:
                s.note(f"附票 listed under 本籍 {reg['honseki']!r}: {listed}, expected exactly [{koseki_no}]")
    _done(s, entries="FUHYO-018", blame={"shimei": "FUHYO-002", "rows": "FUHYO-023"})


@pytest.mark.requirement("FUHYO-007", "FUHYO-008", "FUHYO-024", "FUHYO-030", "FUHYO-005")
def test_tsuchi_adds_address_rows(kikan) -> None:
    """通知 add rows in order (the last is the current address); addresses with 方書 and names come back
    exactly; a 不詳 or non-calendar 住所を定めた年月日 is kept as sent; a 住民票コード is recorded."""
    s = FuhyoSession(kikan, 2)
    with s.setup(*MADE):
        member = s.person(shimei="葛\U000e0100西\u3000𠮷男")
    with s.checking("FUHYO-008"):
        _tsuchi_rows(s, member)
    _done(
        s,
        fuhyo_blame={"hittousha": "FUHYO-024"},  # the head's name, with its selector, read back exactly
        entries="FUHYO-008",
        blame={
            "shimei": "FUHYO-024",
            "juminhyo_code": "FUHYO-005",
            "rows:order": "FUHYO-007",
            "rows:jusho": "FUHYO-024",
            "rows:jusho_teijubi": "FUHYO-030",
        },
    )


def _tsuchi_rows(s: FuhyoSession, member: str) -> None:
    """Three 通知: an address with 方書 settled on a non-calendar day, one settled on an unknown day, an
    address abroad with a 住民票コード."""
    s.run(
        "jusho_tsuchi",
        s.tsuchi_body(
            member,
            jusho=address(s, "𠮷野ハイツ\u3000１０１号室"),
            jusho_teijubi={"date": "2001-02-28", "stated": "2001-02-29"},
        ),
    )
    s.k.step(30)
    s.run(
        "jusho_tsuchi",
        s.tsuchi_body(member, jusho_teijubi={"date": s.k.clock.replace(day=1).isoformat(), "unknown": "day"}),
    )
    s.run("jusho_tsuchi", s.tsuchi_body(member, abroad=True, juminhyo_code="12345678901"))


@pytest.mark.requirement("FUHYO-009", "FUHYO-010", "FUHYO-011", "FUHYO-029", "FUHYO-006", "API-019")
def test_tsuchi_refusals(kikan) -> None:
    """Neither or both addresses, a removed entry, an unknown entry, dates out of order, and a 住民票コード
    on a 通知 dated before the rule's date are refused; nothing is recorded."""
    code_from = dt.date.fromisoformat(
        str(kikan.standards.operation("fuhyo").rule("juminhyo_code_from").value)
    )
    s = FuhyoSession(kikan, 3, start=code_from - dt.timedelta(days=20))
    with s.setup(*MADE):
        member = s.person()
        dead = s.person()
        s.koseki("shibou", {"member_id": dead, "shibou_bi": {"date": s.k.step()}, "todoke_bi": s.k.step()})
        s.run("jusho_tsuchi", s.tsuchi_body(member))
    last = s.k.clock
    ok = s.tsuchi_body(member)
    s.k.clock = last  # the valid body above is not sent: the refusals below are measured against ``last``
    before = (last - dt.timedelta(days=1)).isoformat()
    cases = [
        ({**ok, "kokugai_jusho": "フランス共和国 パリ市"}, "FUHYO-009"),  # both
        ({k: v for k, v in ok.items() if k != "jusho"}, "FUHYO-009"),  # neither
        ({**ok, "member_id": dead}, "FUHYO-010"),  # removed
        ({**ok, "member_id": "no-such-entry-0"}, "FUHYO-029"),  # unknown
        (
            {**ok, "jusho_teijubi": {"date": (last + dt.timedelta(days=3)).isoformat()}},
            "FUHYO-011",
        ),  # settled after the 通知
        (
            {**ok, "jusho_teijubi": {"date": before}, "tsuchi_bi": before},
            "FUHYO-011",
        ),  # before the latest row
        ({**ok, "tsuchi_bi": (today() + dt.timedelta(days=1)).isoformat()}, "FUHYO-011"),  # after today
        (
            {
                **ok,
                "juminhyo_code": "12345678901",
                "tsuchi_bi": (code_from - dt.timedelta(days=1)).isoformat(),
                "jusho_teijubi": {"date": (code_from - dt.timedelta(days=1)).isoformat()},
            },
            "FUHYO-006",
        ),
    ]
    for body, requirement in cases:
        with s.checking(requirement):
            s.run("jusho_tsuchi", body)
    s.k.clock = max(s.k.clock, code_from)
    with s.checking("FUHYO-005"):  # a 住民票コード notified on the rule's date is recorded
        s.run("jusho_tsuchi", s.tsuchi_body(member, juminhyo_code="10987654321"))
    # what the refused 通知 left behind (the one accepted after them is the 住民票コード's)
    _done(s, entries="API-019", blame={"juminhyo_code": "FUHYO-005"})


@pytest.mark.requirement("FUHYO-019", "FUHYO-020", "FUHYO-021", "FUHYO-022")
def test_follows_the_register(kikan) -> None:
    """婚姻, 離婚, 養子縁組 and 分籍 carry the current address, atena_no and 住民票コード to the new entry and
    remove the old one with the same reason; a death removes the entry; a closed register closes its 附票;
    a 管内転籍 changes the 附票's 本籍 with the register's."""
    s = FuhyoSession(kikan, 4)
    with s.setup(*MADE):
        a, b = s.person(seibetsu="1"), s.person(seibetsu="2", born=dt.date(1960, 2, 2))
        bride = s.child(b, born=dt.date(1992, 3, 3), seibetsu="2")
        adult = s.child(a, born=dt.date(1991, 4, 4), seibetsu="1")
        for member in (a, b, bride, adult):
            s.run("jusho_tsuchi", s.tsuchi_body(member, juminhyo_code=s.ids.digits("juminhyo_code", 11)))
    with s.checking("FUHYO-019"):
        s.koseki(
            "kon_in", {"otto_member_id": a, "tsuma_member_id": bride, "uji": "1", "todoke_bi": s.k.step()}
        )
        s.koseki("bunseki", {"member_id": adult, "shin_honseki": s.k.place(), "todoke_bi": s.k.step()})
        wife = s.k.oracle.members[bride]["saki_member_id"]
        s.koseki("rikon", {"member_id": wife, "fukuseki": "1", "todoke_bi": s.k.step()})
        new_adult = s.k.oracle.members[adult]["saki_member_id"]
        s.koseki(
            "yoshi_engumi", {"yoshin_member_id": b, "yoshi_member_id": new_adult, "todoke_bi": s.k.step()}
        )
    with s.checking("FUHYO-022"):
        s.koseki(
            "tenseki",
            {
                "koseki_no": s.k.oracle.members[a]["koseki_no"],
                "shin_honseki": s.k.place(),
                "tenseki_kubun": s.k.oracle.within,
                "todoke_bi": s.k.step(),
            },
        )
    with s.checking("FUHYO-020"):
        s.koseki("shibou", {"member_id": a, "shibou_bi": {"date": s.k.step()}, "todoke_bi": s.k.step()})
    _done(s, fuhyo="FUHYO-021", fuhyo_blame={"honseki": "FUHYO-022"}, entries="FUHYO-019")


@pytest.mark.requirement("FUHYO-003", "FUHYO-004")
def test_birth_and_sex_from_2022_01_11(kikan) -> None:
    """生年月日 and 性別 are shown for entries current on or after the rule's date, not for an entry removed
    before it, and for no entry read as of a date before it."""
    start = dt.date.fromisoformat(
        str(kikan.standards.operation("fuhyo").rule("seinengappi_seibetsu_from").value)
    )
    s = FuhyoSession(kikan, 5, start=start - dt.timedelta(days=60))
    with s.setup(*MADE):
        kept, gone = s.person(), s.person()
        s.koseki("shibou", {"member_id": gone, "shibou_bi": {"date": s.k.step()}, "todoke_bi": s.k.step()})
        s.k.clock = start + dt.timedelta(days=5)
        late = s.person()
    with s.checking("FUHYO-004"):  # no 生年月日 or 性別 before the date, nor on an entry removed before it
        for member in (kept, gone):
            s.compare_entry(member, as_of=(start - dt.timedelta(days=1)).isoformat())
        s.compare_entry(gone)
    with s.checking("FUHYO-003"):  # both on every entry current on or after the date
        for member in (kept, late):
            s.compare_entry(member, as_of=start.isoformat() if member == kept else s.k.clock.isoformat())
            s.compare_entry(member)
        for koseki_no in s.k.oracle.registers:
            s.compare_fuhyo(koseki_no)
    s.fail_if(*TITLE, check="dated_items_match_rule")


@pytest.mark.requirement("FUHYO-025", "API-011", "API-012")
def test_as_of_and_updated_since(kikan) -> None:
    """as_of: a 附票 and its entry are absent before the register was made, and an entry shows the state
    of that date (current before its removal). updated_since lists what changed at or after the instant."""
    s = FuhyoSession(kikan, 6)
    with s.setup(*MADE):
        member = s.person()
        koseki_no = s.k.oracle.members[member]["koseki_no"]
        made = s.k.oracle.registers[koseki_no]["hensei_bi"]
        s.k.step(5)
        s.run("jusho_tsuchi", s.tsuchi_body(member))
        died = s.k.step(5)
        s.koseki("shibou", {"member_id": member, "shibou_bi": {"date": died}, "todoke_bi": died})
    with s.checking("FUHYO-025"):
        _temporal_queries(s, member, koseki_no, made, died)
    _done(s, fuhyo="FUHYO-025", entries="FUHYO-025", check="temporal_queries_match_oracle")


def _temporal_queries(s: FuhyoSession, member: str, koseki_no: str, made: str, died: str) -> None:
    """as_of before the register was made (absent), before and on the death; updated_since at the
    item's own updated_at."""
    prev = (dt.date.fromisoformat(made) - dt.timedelta(days=1)).isoformat()
    for path in (f"/fuhyo/{koseki_no}", f"/entries/{member}"):
        ex = s.get(path, {"as_of": prev})
        if ex.response is None or ex.response.status != 404:
            s.note(
                f"{path} as_of {prev} (before the register): {ex.response and ex.response.status}, expected 404"
            )
    before_death = (dt.date.fromisoformat(died) - dt.timedelta(days=1)).isoformat()
    for day, jotai in ((before_death, "1"), (died, "2")):
        got = s.read(f"/entries/{member}", {"as_of": day}) or {}
        fu = s.read(f"/fuhyo/{koseki_no}", {"as_of": day}) or {}
        if got.get("kisai_jotai") != jotai or fu.get("fuhyo_jotai") != jotai:
            s.note(
                f"as_of {day}: entry {got.get('kisai_jotai')!r}, 附票 {fu.get('fuhyo_jotai')!r}, expected {jotai}"
            )
    for path, key, value in (("/entries", "member_id", member), ("/fuhyo", "koseki_no", koseki_no)):
        since = (s.read(f"{path}/{value}") or {}).get("updated_at")
        if not since or value not in [i.get(key) for i in s.items(path, {"updated_since": since})]:
            s.note(f"{path}?updated_since={since} (the item's own updated_at) does not list {value}")


@pytest.mark.kikan_operations("juki")
@pytest.mark.requirement(
    "FUHYO-012", "FUHYO-013", "FUHYO-014", "FUHYO-015", "FUHYO-016", "FUHYO-017", "FUHYO-005"
)
def test_follows_the_resident_register(kikan) -> None:
    """A 転入 under the 戸籍の表示 adds the address and links the entry (with the 住民票コード); a 転居 adds
    the new address; a birth adds the child's; a 国外転出 adds the address abroad dated the 転出日; a 転出
    within Japan and a death in the resident register add nothing."""
    s = FuhyoSession(kikan, 7)
    with s.setup(*MADE):
        mover, stay, abroad, dies = (s.person() for _ in range(4))
    with s.checking("FUHYO-012"):
        moved_in = {m: s.tennyu(m) for m in (mover, stay, abroad, dies)}
    parent_household = s.juki.oracle.residents[moved_in[stay]]["setai_no"] if moved_in[stay] else None
    with s.setup(*MADE):
        baby = s.child(stay)
    if baby and parent_household:
        m, reg = s.k.oracle.members[baby], s.k.oracle.registers[s.k.oracle.members[baby]["koseki_no"]]
        body = {
            k: v
            for k, v in s.juki.person(zokugara=s.juki.relation(0)).items()
            if k not in ("shimei", "seinengappi", "seibetsu")
        }
        body.update(
            setai_no=parent_household,
            shimei=m["shimei"],
            seinengappi=m["seinengappi"],
            seibetsu=m["seibetsu"],
            honseki=reg["honseki"],
            hittousha=reg["hittousha"],
            ido_bi=m["seinengappi"],
            todoke_bi=today().isoformat(),
        )
        with s.checking("FUHYO-014"):
            s.juki_command("shussei", body)
    with s.checking("FUHYO-013"):
        if moved_in[stay]:
            s.tenkyo(moved_in[stay])
    with s.checking("FUHYO-016"):
        if moved_in[mover]:
            s.tenshutsu(moved_in[mover], abroad=False)
    with s.checking("FUHYO-015"):
        if moved_in[abroad]:
            s.tenshutsu(moved_in[abroad], abroad=True)
    with s.checking("FUHYO-017"):
        if moved_in[dies]:
            when = s.juki.day(3, 1)
            s.juki_command(
                "shibou", {"atena_no": moved_in[dies], "ido_bi": {"date": when}, "todoke_bi": when}
            )
    # what each person's last juki command was about; a difference no effect explains counts against it
    last = {mover: "FUHYO-016", stay: "FUHYO-013", abroad: "FUHYO-015", dies: "FUHYO-017", baby: "FUHYO-014"}
    with s.checking("FUHYO-001"):
        for koseki_no in s.k.oracle.registers:
            s.compare_fuhyo(koseki_no)
    for member_id in s.k.oracle.members:
        with s.checking(last.get(member_id) or "FUHYO-012"):
            s.compare_entry(member_id, blame={"juminhyo_code": "FUHYO-005"})
    s.fail_if(*TITLE, check="fuhyo_follows_juki")
