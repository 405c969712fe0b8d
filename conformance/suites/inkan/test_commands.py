"""印鑑登録: registration, 廃止, 亡失, re-registration and certificates, compared with the suite's oracle."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.inkan.support import InkanSession, today

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = ("印鑑登録の処理が標準と異なります", "Seal registration differs from the standard")


@pytest.mark.requirement("INKAN-001", "INKAN-025", "INKAN-020")
def test_register_and_read(kikan) -> None:
    """A resident's application registers the impression and its size under a new number; the impression
    (a PNG, base64) comes back exactly, and the certificate shows it with the resident's items."""
    s = InkanSession(kikan, 1)
    person = s.adult()
    toroku_no = s.register(person, yoko=181, tate=164)
    if toroku_no:
        s.compare_registration(toroku_no)
        s.check_certificate(toroku_no)
    s.fail_if(*TITLE, check="inkan_registration_recorded")


@pytest.mark.requirement("INKAN-015", "INKAN-016", "INKAN-017", "INKAN-018", "INKAN-019", "INKAN-028")
def test_end_and_register_again(kikan) -> None:
    """廃止 ends a registration (reason 廃止), 亡失 another (reason 亡失); ending an ended registration is
    INKAN_REGISTRATION_ENDED and an unknown number INKAN_REGISTRATION_NOT_FOUND, changing nothing; an ended
    registration has no certificate; the person registers again under a new number."""
    s = InkanSession(kikan, 2)
    person = s.adult()
    first = s.register(person, day=today() - dt.timedelta(days=30))
    assert first is not None or s.problems
    if first:
        s.run("haishi", {"toroku_no": first, "haishi_bi": (today() - dt.timedelta(days=20)).isoformat()})
        before = s.footprint()
        s.must_refuse(
            "haishi", {"toroku_no": first, "haishi_bi": today().isoformat()}, "INKAN_REGISTRATION_ENDED"
        )
        s.must_refuse(
            "boushitsu", {"toroku_no": first, "boushitsu_bi": today().isoformat()}, "INKAN_REGISTRATION_ENDED"
        )
        unknown = f"X{s.rng.randint(10**9, 10**10)}"  # no system assigns this number
        if unknown not in s.oracle.registrations:
            s.must_refuse(
                "haishi",
                {"toroku_no": unknown, "haishi_bi": today().isoformat()},
                "INKAN_REGISTRATION_NOT_FOUND",
            )
            s.must_refuse(
                "boushitsu",
                {"toroku_no": unknown, "boushitsu_bi": today().isoformat()},
                "INKAN_REGISTRATION_NOT_FOUND",
            )
        s.unchanged(before, "refused commands")
        s.check_certificate(first)
        second = s.register(person, day=today() - dt.timedelta(days=10))
        if second == first:
            s.note(f"the re-registration got the ended registration's number {first}")
        if second:
            s.run("boushitsu", {"toroku_no": second, "boushitsu_bi": today().isoformat()})
            s.check_certificate(second)
        s.compare_all()
    s.fail_if(*TITLE, check="inkan_end_and_reregister")


@pytest.mark.requirement("INKAN-019", "INKAN-020", "INKAN-021")
def test_certificate_on_a_date(kikan) -> None:
    """The certificate exists only while the registration is active; with as_of it shows that day's address
    (a 転居 after registration changes it from the 転居's date on)."""
    s = InkanSession(kikan, 3)
    person = s.adult(since=today() - dt.timedelta(days=200))
    registered, moved, ended = (today() - dt.timedelta(days=n) for n in (40, 20, 5))
    toroku_no = s.register(person, day=registered)
    if toroku_no:
        s.juki.run(
            "tenkyo",
            {
                "atena_no": person,
                "jusho": s.juki.address("2階"),
                "ido_bi": moved.isoformat(),
                "todoke_bi": moved.isoformat(),
            },
        )
        for day in (
            registered - dt.timedelta(days=1),
            registered,
            moved - dt.timedelta(days=1),
            moved,
            today(),
        ):
            s.check_certificate(toroku_no, day)
        s.run("haishi", {"toroku_no": toroku_no, "haishi_bi": ended.isoformat()})
        for day in (ended - dt.timedelta(days=1), ended, today()):
            s.check_certificate(toroku_no, day)
        s.check_certificate(toroku_no)
    s.fail_if(
        "印鑑登録証明書が標準と異なります",
        "The certificate differs from the standard",
        check="inkan_certificate_as_of",
    )
