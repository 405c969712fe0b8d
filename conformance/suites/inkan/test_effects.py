"""印鑑登録: what 住民基本台帳 commands do to a registration (standards/operations/inkan/effects.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.inkan.support import InkanSession, today

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = (
    "住民基本台帳の異動が印鑑登録に正しく反映されません",
    "A change in the resident register is not reflected in the seal registration as the standard says",
)


def _days(n: int) -> str:
    return (today() - dt.timedelta(days=n)).isoformat()


@pytest.mark.requirement("INKAN-022")
def test_move_out_ends_registration(kikan) -> None:
    """A 転出届 ends the holder's registration as of its 異動日 with reason 転出 (every member with
    setai_zentai); the later 転入通知 (転出確定) changes nothing; a 転居 changes nothing either."""
    s = InkanSession(kikan, 21)
    setai_no, (head,) = s.juki.new_household(1)
    member = s.adult(setai_no=setai_no)
    alone, mover = s.adult(), s.adult()
    for person in (head, member, alone, mover):
        s.register(person, day=today() - dt.timedelta(days=30))
    s.juki.run(
        "tenkyo", {"atena_no": mover, "jusho": s.juki.address(), "ido_bi": _days(12), "todoke_bi": _days(12)}
    )
    s.juki.run(
        "tenshutsu_yotei",
        {
            "atena_no": head,
            "setai_zentai": True,
            "tenshutsu_kubun": "1",
            "tenshutsu_saki_jusho": s.juki.address(),
            "ido_bi": _days(10),
            "todoke_bi": _days(11),
        },
    )
    s.juki.run(
        "tenshutsu_yotei",
        {
            "atena_no": alone,
            "tenshutsu_kubun": "2",
            "tenshutsu_saki_kokugai_jusho": "カナダ",
            "ido_bi": _days(8),
            "todoke_bi": _days(8),
        },
    )
    s.compare_all()
    s.juki.run(
        "tenshutsu_kakutei",
        {
            "atena_no": alone,
            "tenshutsu_saki_kokugai_jusho": "カナダ",
            "ido_bi": _days(7),
            "tsuchi_bi": _days(2),
        },
    )
    s.compare_all()
    s.fail_if(*TITLE, check="inkan_ends_on_tenshutsu")


@pytest.mark.requirement("INKAN-023")
def test_death_ends_registration(kikan) -> None:
    """A 死亡 ends the registration as of the date of death with reason 死亡; for a 不詳日 (day unknown) as of
    its held date."""
    s = InkanSession(kikan, 22)
    known, unknown_day = s.adult(), s.adult()
    for person in (known, unknown_day):
        s.register(person, day=today() - dt.timedelta(days=40))
    s.juki.run("shibou", {"atena_no": known, "ido_bi": {"date": _days(9)}, "todoke_bi": _days(3)})
    first_of_month = today().replace(day=1)
    s.juki.run(
        "shibou",
        {
            "atena_no": unknown_day,
            "ido_bi": {"date": first_of_month.isoformat(), "unknown": "day"},
            "todoke_bi": today().isoformat(),
        },
    )
    s.compare_all()
    for toroku_no in s.oracle.registrations:
        s.check_certificate(toroku_no)
    s.fail_if(*TITLE, check="inkan_ends_on_shibou")


@pytest.mark.requirement("INKAN-024")
def test_adult_ward_ends_registration(kikan) -> None:
    """An ex officio correction recording the holder as 成年被後見人 ends the registration as of its 異動日 with
    reason 成年被後見人; another correction changes nothing."""
    s = InkanSession(kikan, 23)
    ward, other = s.adult(), s.adult()
    for person in (ward, other):
        s.register(person, day=today() - dt.timedelta(days=20))
    s.juki.run("shokken_shusei", {"atena_no": ward, "seinen_hikoukennin": True, "ido_bi": _days(4)})
    s.juki.run("shokken_shusei", {"atena_no": other, "furigana": "ベツ\u3000タロウ", "ido_bi": _days(4)})
    s.compare_all()
    s.must_refuse("toroku", s.toroku_body(ward), "INKAN_ADULT_WARD")
    s.fail_if(*TITLE, check="inkan_ends_on_adult_ward")
