"""軽自動車税: registration and 廃車, their refusals, and reading registrations (KEIJI-001 to KEIJI-013).

Each refusal is compared with the standard's error and must change nothing; dates, sizes and classes
come from the standard's rules and code lists.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.session import today
from conformance.suites.keijidosha.codes import REGISTERED, fuel, reason, tier
from conformance.suites.keijidosha.support import KeijiSession

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = ("軽自動車等の登録の処理が標準と異なります", "Vehicle registration differs from the standard")


def _unknown_atena_no(s: KeijiSession) -> str:
    """A 宛名番号 the target's juki does not know."""
    for _ in range(20):
        candidate = f"{s.rng.randint(0, 10**12 - 1):012d}"
        ex = s.juki.get(f"/residents/{candidate}")
        if ex.response is not None and ex.response.status == 404:
            return candidate
    return "999999999999"


def _refused(s: KeijiSession, requirement: str, cases: list[tuple[dict, str]]) -> None:
    """Registrations the target must refuse, each with its code, changing nothing (in ``requirement``'s block)."""
    with s.checking(requirement):
        before = s.footprint()
        for body, code in cases:
            s.must_refuse("toroku", body, code)
        s.unchanged(before, "refused registrations")


@pytest.mark.requirement("KEIJI-001")
def test_register_and_read(kikan) -> None:
    """Registrations of each kind (a moped without 初度検査, a car, a year-only record, a 新基準原付, a towed
    vehicle, a green tier, a plate with a non-BMP character and an IVS) read back as registered."""
    s = KeijiSession(kikan, 1)
    kinds = [
        s.vehicle("原動機付自転車（総排気量50cc以下）", shodo=None, day=dt.date(2016, 5, 1)),
        s.vehicle("軽四輪貨物営業用", shodo="2010-11", hikenin=True),
        s.vehicle("軽三輪", shodo="2001", day=dt.date(2001, 1, 1)),
        s.vehicle(
            "軽四輪乗用営業用",
            shodo="2024-06",
            keika_kubun=tier("概ね50％軽減"),
            nenryo=fuel("ガソリン電力併用"),
        ),
        s.vehicle("二輪の小型自動車（250cc超）", shodo="2019-02", haikiryo=400),
    ]
    kinds[0]["hyoshiki_bango"] = f"葛\U000e0100飾𠮷{s.rng.randint(1000, 9999)}"
    if today() >= dt.date(2025, 4, 1):
        kinds.append(
            s.vehicle("新基準原付", shodo=None, day=dt.date(2025, 4, 1), haikiryo=110, saiko_shutsuryoku=40)
        )
    with s.checking("KEIJI-001"):
        for body in kinds:
            toroku_no = s.register_body(body)
            if toroku_no:
                s.compare_registration(toroku_no)
    s.fail_if(*TITLE, check="keijidosha_registration_recorded")


@pytest.mark.requirement("KEIJI-002")
def test_owner_is_a_person_of_the_register(kikan) -> None:
    """An owner the 住民基本台帳 does not know is KEIJI_OWNER_NOT_FOUND; one who moved away is still a
    person of the register and may own a vehicle registered here."""
    s = KeijiSession(kikan, 2)
    gone = s.owner(new=True)
    with s.setup("所有者が国外へ転出する", "the owner moves abroad"):
        day = (today() - dt.timedelta(days=5)).isoformat()
        s.juki.run(
            "tenshutsu_yotei",
            {
                "atena_no": gone,
                "tenshutsu_kubun": "2",
                "tenshutsu_saki_kokugai_jusho": "タイ",
                "ido_bi": day,
                "todoke_bi": day,
            },
        )
    _refused(s, "KEIJI-002", [(s.vehicle(owner=_unknown_atena_no(s)), "KEIJI_OWNER_NOT_FOUND")])
    with s.checking("KEIJI-002"):
        s.register(owner=gone)
    s.fail_if(*TITLE, check="keijidosha_owner")


@pytest.mark.requirement("KEIJI-003")
def test_a_plate_is_registered_to_one_vehicle(kikan) -> None:
    """A plate registered, or deregistered after the new 登録日, is KEIJI_PLATE_IN_USE; from the 廃車日 on the
    plate may be registered again (a change of owner)."""
    s = KeijiSession(kikan, 3)
    first = s.vehicle(day=dt.date(2020, 5, 1))
    plate = first["hyoshiki_bango"]
    with s.setup("車両を登録する", "register a vehicle"):
        toroku_no = s.register_body(first)
    assert toroku_no is not None
    _refused(
        s, "KEIJI-003", [(s.vehicle(hyoshiki_bango=plate, day=dt.date(2021, 1, 1)), "KEIJI_PLATE_IN_USE")]
    )
    with s.setup("車両を譲渡により廃車する", "deregister the vehicle on transfer"):
        s.deregister(toroku_no, dt.date(2022, 4, 1), "譲渡")
    _refused(
        s, "KEIJI-003", [(s.vehicle(hyoshiki_bango=plate, day=dt.date(2022, 3, 31)), "KEIJI_PLATE_IN_USE")]
    )
    with s.checking("KEIJI-003"):
        s.register(hyoshiki_bango=plate, day=dt.date(2022, 4, 1), owner=s.owner(new=True))
    s.fail_if(*TITLE, check="keijidosha_plate")


@pytest.mark.requirement("KEIJI-004")
def test_first_inspection_form(kikan) -> None:
    """初度検査年月 other than YYYY-MM (01-12) or YYYY is KEIJI_SHODO_KENSA_INVALID."""
    s = KeijiSession(kikan, 4)
    bad = [
        "2015-13",
        "2015-00",
        "2015-4",
        "15-04",
        "2015/04",
        "0000-01",
        "２０１５-04",
        "平成27年",
    ]
    _refused(
        s,
        "KEIJI-004",
        [(s.vehicle(shodo=v, day=dt.date(2016, 1, 1)), "KEIJI_SHODO_KENSA_INVALID") for v in bad],
    )
    with s.checking("KEIJI-004"):
        s.register(shodo="2015-12", day=dt.date(2016, 1, 1))
    s.fail_if(*TITLE, check="keijidosha_first_inspection_form")


@pytest.mark.requirement("KEIJI-005")
def test_year_only_first_inspection(kikan) -> None:
    """A year-only 初度検査年月 is accepted for the year of rule year_only_before and earlier, refused after."""
    s = KeijiSession(kikan, 5)
    last = s.oracle.year_only_last
    _refused(
        s,
        "KEIJI-005",
        [(s.vehicle(shodo=str(last + 1), day=dt.date(last + 2, 1, 1)), "KEIJI_SHODO_KENSA_INVALID")],
    )
    with s.checking("KEIJI-005"):
        for year in (last, last - 5):
            s.register(shodo=str(year), day=dt.date(last + 2, 1, 1))
    s.fail_if(*TITLE, check="keijidosha_year_only")


@pytest.mark.requirement("KEIJI-006")
def test_three_and_four_wheelers_need_the_first_inspection(kikan) -> None:
    """A 三輪・四輪 without 初度検査年月 is KEIJI_SHODO_KENSA_REQUIRED; a moped or two-wheeler needs none."""
    s = KeijiSession(kikan, 6)
    cases = [
        (s.vehicle(label, shodo=None), "KEIJI_SHODO_KENSA_REQUIRED")
        for label in ("軽三輪", "軽四輪貨物自家用")
    ]
    _refused(s, "KEIJI-006", cases)
    with s.checking("KEIJI-006"):
        for label in (
            "原動機付自転車（90cc超125cc以下）",
            "軽二輪（125cc超250cc以下）",
            "小型特殊自動車（農耕作業用）",
        ):
            s.register(label, shodo=None)
    s.fail_if(*TITLE, check="keijidosha_first_inspection_required")


@pytest.mark.requirement("KEIJI-007")
def test_class_valid_on_the_registration_date(kikan) -> None:
    """A class not valid on the 登録日 (a 新基準原付 before its first day, a 特定小型原動機付自転車 before its
    own) is KEIJI_CLASS_NOT_VALID; on its first day it is accepted."""
    s = KeijiSession(kikan, 7)
    new_from = s.oracle.version_on("shinkijun_max_cc", dt.date.max)
    assert new_from is not None and new_from.valid_from is not None
    small = next(c for c in s.oracle.classes.codes if c.label.ja == "特定小型原動機付自転車")
    assert small.valid_from is not None
    spec = {"haikiryo": 110, "saiko_shutsuryoku": 40}
    _refused(
        s,
        "KEIJI-007",
        [
            (
                s.vehicle("新基準原付", shodo=None, day=new_from.valid_from - dt.timedelta(days=1), **spec),
                "KEIJI_CLASS_NOT_VALID",
            ),
            (
                s.vehicle("特定小型原動機付自転車", shodo=None, day=small.valid_from - dt.timedelta(days=1)),
                "KEIJI_CLASS_NOT_VALID",
            ),
        ],
    )
    s.needs(new_from.valid_from, "新基準原付の登録 / registering a new-standard moped")
    with s.checking("KEIJI-007"):
        s.register("新基準原付", shodo=None, day=new_from.valid_from, **spec)
        s.register("特定小型原動機付自転車", shodo=None, day=small.valid_from)
    s.fail_if(*TITLE, check="keijidosha_class_valid")


@pytest.mark.requirement("KEIJI-008")
def test_new_standard_moped_specification(kikan) -> None:
    """A 新基準原付 is registered only above the displacement floor, up to its ceiling and up to the output
    limit (rules shinkijun_*): each edge on both sides, and a missing displacement or output."""
    s = KeijiSession(kikan, 8)
    low, high = (
        int(s.oracle.rule("shinkijun_min_cc", dt.date.max).value),
        int(s.oracle.rule("shinkijun_max_cc", dt.date.max).value),
    )
    kw = s.oracle.rule("shinkijun_max_kw", dt.date.max)
    assert kw.valid_from is not None
    s.needs(kw.valid_from, "新基準原付の登録 / registering a new-standard moped")
    out = round(10 * kw.value)
    day = kw.valid_from
    bad = [
        {"haikiryo": low, "saiko_shutsuryoku": out},
        {"haikiryo": high + 1, "saiko_shutsuryoku": out},
        {"haikiryo": high, "saiko_shutsuryoku": out + 1},
        {"saiko_shutsuryoku": out},
        {"haikiryo": high},
    ]
    _refused(
        s,
        "KEIJI-008",
        [(s.vehicle("新基準原付", shodo=None, day=day, **b), "KEIJI_SHINKIJUN_SPEC") for b in bad],
    )
    with s.checking("KEIJI-008"):
        for cc, kw10 in ((low + 1, out), (high, out), (high, 1)):
            s.register("新基準原付", shodo=None, day=day, haikiryo=cc, saiko_shutsuryoku=kw10)
    s.fail_if(*TITLE, check="keijidosha_new_standard_moped")


@pytest.mark.requirement("KEIJI-009")
def test_dates_in_order(kikan) -> None:
    """A 登録日 after today or before the 初度検査 (a year-only one: its year), and a 廃車日 before the 登録日
    or after today, are KEIJI_DATE_ORDER."""
    s = KeijiSession(kikan, 9)
    tomorrow = today() + dt.timedelta(days=1)
    with s.setup("車両を登録する", "register a vehicle"):
        toroku_no = s.register(shodo="2018-05", day=dt.date(2018, 6, 1))
    assert toroku_no is not None
    with s.checking("KEIJI-009"):
        before = s.footprint()
        s.must_refuse(
            "toroku",
            s.vehicle(shodo=None, label="軽二輪（125cc超250cc以下）", day=tomorrow),
            "KEIJI_DATE_ORDER",
        )
        s.must_refuse("toroku", s.vehicle(shodo="2018-05", day=dt.date(2018, 4, 30)), "KEIJI_DATE_ORDER")
        s.must_refuse("toroku", s.vehicle(shodo="2002", day=dt.date(2001, 12, 31)), "KEIJI_DATE_ORDER")
        for day in (dt.date(2018, 5, 31), tomorrow):
            s.must_refuse(
                "haisha",
                {"toroku_no": toroku_no, "haisha_bi": day.isoformat(), "haisha_jiyu": reason("廃車")},
                "KEIJI_DATE_ORDER",
            )
        s.unchanged(before, "refused commands")
        s.register(shodo="2002", day=dt.date(2002, 1, 1))  # a year-only record from its year's first day
        s.register(shodo="2018-05", day=dt.date(2018, 5, 1))
        s.deregister(toroku_no, dt.date(2018, 6, 1))  # on the 登録日 itself
    s.fail_if(*TITLE, check="keijidosha_date_order")


@pytest.mark.requirement("KEIJI-010", "KEIJI-011", "KEIJI-012")
def test_deregistration(kikan) -> None:
    """廃車 ends the registration on its date with its reason (registered as of the day before); a second 廃車
    is KEIJI_ALREADY_DEREGISTERED; an unknown 登録番号 is KEIJI_REGISTRATION_NOT_FOUND for 廃車 and 賦課."""
    s = KeijiSession(kikan, 10)
    with s.setup("車両を登録する", "register a vehicle"):
        toroku_no = s.register(day=dt.date(2019, 4, 1))
    assert toroku_no is not None
    ended = dt.date(2021, 7, 15)
    with s.checking("KEIJI-010"):
        s.deregister(toroku_no, ended, "盗難")
        for day in (ended - dt.timedelta(days=1), ended, None):
            s.compare_registration(toroku_no, as_of=day)
    with s.checking("KEIJI-011"):
        before = s.footprint()
        s.must_refuse(
            "haisha",
            {"toroku_no": toroku_no, "haisha_bi": today().isoformat(), "haisha_jiyu": reason("廃車")},
            "KEIJI_ALREADY_DEREGISTERED",
        )
        s.unchanged(before, "refused 廃車")
        s.compare_registration(toroku_no)
    unknown = f"X{s.rng.randint(10**9, 10**10)}"  # no system assigns this number
    with s.checking("KEIJI-012"):
        before = s.footprint()
        s.must_refuse(
            "haisha",
            {"toroku_no": unknown, "haisha_bi": today().isoformat(), "haisha_jiyu": reason("廃車")},
            "KEIJI_REGISTRATION_NOT_FOUND",
        )
        s.must_refuse(
            "fuka", {"nendo": s.latest_nendo(), "toroku_no": unknown}, "KEIJI_REGISTRATION_NOT_FOUND"
        )
        s.unchanged(before, "refused commands")
    s.fail_if(*TITLE, check="keijidosha_deregistration")


@pytest.mark.requirement("KEIJI-013")
def test_registration_reads(kikan) -> None:
    """Filtering by owner gives every registration of that person (deregistered ones too), by status only that
    status, by plate that plate; as_of gives the state on a date; updated_since the registrations changed at
    or after an instant."""
    s = KeijiSession(kikan, 13)
    owner, other = s.owner(new=True), s.owner(new=True)
    with s.setup("車両を登録し、一台を廃車する", "register vehicles, deregister one"):
        first = s.register(owner=owner, day=dt.date(2018, 1, 10), shodo="2017-12")
        kept = s.register(owner=other, day=dt.date(2018, 1, 10), shodo="2017-12")
        second = s.register(owner=owner, day=dt.date(2019, 1, 10), shodo="2018-12")
        if first:
            s.deregister(first, dt.date(2020, 1, 10))
    assert first and kept and second
    with s.checking("KEIJI-013"):
        got = {i.get("toroku_no") for i in s.items("/registrations", {"atena_no": owner})}
        if got != {first, second}:
            s.note(
                f"registrations?atena_no={owner}: target {sorted(map(str, got))}, expected {sorted([first, second])}"
            )
        rows = list(s.items("/registrations", {"atena_no": owner, "toroku_jotai": REGISTERED}))
        if {r.get("toroku_no") for r in rows} != {second}:
            s.note(
                f"registrations?toroku_jotai={REGISTERED}: target {[r.get('toroku_no') for r in rows]}, expected [{second}]"
            )
        plate = s.oracle.registrations[kept]["hyoshiki_bango"]
        rows = list(s.items("/registrations", {"hyoshiki_bango": plate}))
        if [r.get("toroku_no") for r in rows] != [kept]:
            s.note(
                f"registrations?hyoshiki_bango: target {[r.get('toroku_no') for r in rows]}, expected [{kept}]"
            )
        listed = {
            i.get("toroku_no") for i in s.items("/registrations", {"atena_no": owner, "as_of": "2018-06-01"})
        }
        if listed != {first}:
            s.note(
                f"registrations?atena_no&as_of=2018-06-01: target {sorted(map(str, listed))}, expected [{first}]"
            )
        for day in (dt.date(2018, 1, 9), dt.date(2020, 1, 9), dt.date(2020, 1, 10)):
            s.compare_registration(first, as_of=day)
        stamp = (s.read(f"/registrations/{kept}") or {}).get("updated_at")
        latest = (s.read(f"/registrations/{first}") or {}).get("updated_at")
        if stamp and latest:
            since = {i.get("toroku_no") for i in s.items("/registrations", {"updated_since": stamp})}
            if {kept, first, second} - since:
                s.note(f"registrations?updated_since={stamp} misses {sorted({kept, first, second} - since)}")
            since = {i.get("toroku_no") for i in s.items("/registrations", {"updated_since": latest})}
            if first not in since or (
                kept in since and dt.datetime.fromisoformat(stamp) < dt.datetime.fromisoformat(latest)
            ):
                s.note(
                    f"registrations?updated_since={latest}: expected {first} and not {kept} (unchanged since {stamp})"
                )
    s.fail_if(
        "登録の照会が標準と異なります",
        "Reading registrations differs from the standard",
        check="keijidosha_reads",
    )
