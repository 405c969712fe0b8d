"""印鑑登録: registration, 廃止, 亡失, re-registration and certificates, compared with the suite's oracle."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.inkan.support import IMPRESSION, InkanSession, today

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = ("印鑑登録の処理が標準と異なります", "Seal registration differs from the standard")


@pytest.mark.requirement("INKAN-001", "INKAN-025", "INKAN-020")
def test_register_and_read(kikan) -> None:
    """A resident's application registers the impression and its size under a new number; the impression
    (a PNG, base64) comes back exactly, and the certificate shows it with the resident's items."""
    s = InkanSession(kikan, 1)
    person = s.adult()
    with s.checking("INKAN-001"):  # registered and read back with its size (the impression: INKAN-025)
        toroku_no = s.register(person, yoko=181, tate=164)
        if toroku_no:
            s.compare_registration(toroku_no, requirements=IMPRESSION)
    if toroku_no:
        with s.checking("INKAN-020"):
            s.check_certificate(toroku_no)
    s.fail_if(*TITLE, check="inkan_registration_recorded")


@pytest.mark.requirement("INKAN-015", "INKAN-016", "INKAN-017", "INKAN-018", "INKAN-019", "INKAN-028")
def test_end_and_register_again(kikan) -> None:
    """廃止 ends a registration (reason 廃止), 亡失 another (reason 亡失); ending an ended registration is
    INKAN_REGISTRATION_ENDED and an unknown number INKAN_REGISTRATION_NOT_FOUND, changing nothing; an ended
    registration has no certificate; the person registers again under a new number."""
    s = InkanSession(kikan, 2)
    person = s.adult()
    with s.setup("印鑑を登録する", "register a seal"):
        first = s.register(person, day=today() - dt.timedelta(days=30))
    assert first is not None
    with s.checking("INKAN-015"):
        s.run("haishi", {"toroku_no": first, "haishi_bi": (today() - dt.timedelta(days=20)).isoformat()})
        s.compare_registration(first, requirements=IMPRESSION)
    with s.checking("INKAN-017"):
        before = s.footprint()
        s.must_refuse(
            "haishi", {"toroku_no": first, "haishi_bi": today().isoformat()}, "INKAN_REGISTRATION_ENDED"
        )
        s.must_refuse(
            "boushitsu", {"toroku_no": first, "boushitsu_bi": today().isoformat()}, "INKAN_REGISTRATION_ENDED"
        )
        s.unchanged(before, "refused commands")
    unknown = f"X{s.rng.randint(10**9, 10**10)}"  # no system assigns this number
    if unknown not in s.oracle.registrations:
        with s.checking("INKAN-028"):
            before = s.footprint()
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
    with s.checking("INKAN-019"):
        s.check_certificate(first)
    with s.checking("INKAN-018"):
        second = s.register(person, day=today() - dt.timedelta(days=10))
        if second == first:
            s.note(f"the re-registration got the ended registration's number {first}")
        if second:
            s.compare_registration(second, requirements=IMPRESSION)
    if second:
        with s.checking("INKAN-016"):
            s.run("boushitsu", {"toroku_no": second, "boushitsu_bi": today().isoformat()})
            s.compare_registration(second, requirements=IMPRESSION)
        with s.checking("INKAN-019"):
            s.check_certificate(second)
    s.fail_if(*TITLE, check="inkan_end_and_reregister")


@pytest.mark.requirement("INKAN-019", "INKAN-020", "INKAN-021")
def test_certificate_on_a_date(kikan) -> None:
    """The certificate exists only while the registration is active; with as_of it shows that day's address
    (a 転居 after registration changes it from the 転居's date on)."""
    s = InkanSession(kikan, 3)
    person = s.adult(since=today() - dt.timedelta(days=200))
    registered, moved, ended = (today() - dt.timedelta(days=n) for n in (40, 20, 5))
    with s.setup("印鑑を登録し、住所を変更する", "register a seal, then move house (転居)"):
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
    assert toroku_no is not None
    # with as_of: that day's certificate, none before the registration (INKAN-021)
    with s.checking("INKAN-021"):
        for day in (
            registered - dt.timedelta(days=1),
            registered,
            moved - dt.timedelta(days=1),
            moved,
            today(),
        ):
            s.check_certificate(toroku_no, day)
    with s.setup("登録を廃止する", "end the registration (廃止)"):
        s.run("haishi", {"toroku_no": toroku_no, "haishi_bi": ended.isoformat()})
    with s.checking("INKAN-021"):
        s.check_certificate(toroku_no, ended - dt.timedelta(days=1))
    # an ended registration has no certificate, on its end date, today or without as_of (INKAN-019)
    with s.checking("INKAN-019"):
        for day in (ended, today()):
            s.check_certificate(toroku_no, day)
        s.check_certificate(toroku_no)
    s.fail_if(
        "印鑑登録証明書が標準と異なります",
        "The certificate differs from the standard",
        check="inkan_certificate_as_of",
    )
