"""印鑑登録: who may register, one seal per person, the impression's size and image, and date order.

Each refusal is compared with the standard's error and must change nothing. Ages, sizes and the number
of registrations per person are read from the standard's rules.
"""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from conformance.checks.footprint import Footprint
from conformance.suites.inkan.support import InkanSession, today
from conformance.suites.juki.residents import birth_reaching

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = ("登録できない申請が受け付けられました", "An application the standard refuses was accepted")


def _unchanged(s: InkanSession, before: Footprint) -> None:
    s.unchanged(before, "refused applications")


def _unknown_atena_no(s: InkanSession) -> str:
    """A 宛名番号 the target's juki does not know."""
    for _ in range(20):
        candidate = f"{s.rng.randint(0, 10**12 - 1):012d}"
        ex = s.juki.get(f"/residents/{candidate}")
        if ex.response is not None and ex.response.status == 404:
            return candidate
    return "999999999999"


@pytest.mark.requirement("INKAN-002")
def test_applicant_is_an_active_resident(kikan) -> None:
    """An unknown 宛名番号 is INKAN_RESIDENT_NOT_FOUND; a removed record (死亡, 転出) and an application dated
    before the record started are INKAN_NOT_A_RESIDENT."""
    s = InkanSession(kikan, 11)
    dead, gone, later = s.adult(), s.adult(), s.adult(since=today() - dt.timedelta(days=10))
    s.juki.run(
        "shibou",
        {
            "atena_no": dead,
            "ido_bi": {"date": (today() - dt.timedelta(days=5)).isoformat()},
            "todoke_bi": today().isoformat(),
        },
    )
    s.juki.run(
        "tenshutsu_yotei",
        {
            "atena_no": gone,
            "tenshutsu_kubun": "2",
            "tenshutsu_saki_kokugai_jusho": "タイ",
            "ido_bi": (today() - dt.timedelta(days=5)).isoformat(),
            "todoke_bi": (today() - dt.timedelta(days=6)).isoformat(),
        },
    )
    before = s.footprint()
    s.must_refuse("toroku", s.toroku_body(_unknown_atena_no(s)), "INKAN_RESIDENT_NOT_FOUND")
    s.must_refuse("toroku", s.toroku_body(dead), "INKAN_NOT_A_RESIDENT")
    s.must_refuse("toroku", s.toroku_body(gone), "INKAN_NOT_A_RESIDENT")
    s.must_refuse("toroku", s.toroku_body(later, day=today() - dt.timedelta(days=11)), "INKAN_NOT_A_RESIDENT")
    _unchanged(s, before)
    s.register(later, day=today() - dt.timedelta(days=10))  # from the day the record started
    s.compare_all()
    s.fail_if(*TITLE, check="inkan_applicant_resident")


@pytest.mark.requirement("INKAN-003")
def test_minimum_age_boundary(kikan) -> None:
    """The minimum age (rule min_age) is reached on the day before that birthday: an application on the
    day before that is INKAN_UNDER_AGE, on that day it is accepted."""
    s = InkanSession(kikan, 12)
    min_age = s.oracle.min_age
    reached = next(
        d for d in (today() - dt.timedelta(days=n) for n in range(10, 15)) if birth_reaching(min_age, d)
    )
    born = birth_reaching(min_age, reached)
    person = s.juki.person_born(born, since=today() - dt.timedelta(days=100))
    if person:
        before = s.footprint()
        s.must_refuse("toroku", s.toroku_body(person, day=reached - dt.timedelta(days=1)), "INKAN_UNDER_AGE")
        _unchanged(s, before)
        s.register(person, day=reached)
        s.compare_all()
    s.fail_if(*TITLE, check="inkan_minimum_age")


@pytest.mark.requirement("INKAN-004")
def test_adult_ward_refused(kikan) -> None:
    """A resident recorded as 成年被後見人 on the application date is INKAN_ADULT_WARD."""
    s = InkanSession(kikan, 13)
    ward = s.adult(seinen_hikoukennin=True)
    before = s.footprint()
    s.must_refuse("toroku", s.toroku_body(ward), "INKAN_ADULT_WARD")
    _unchanged(s, before)
    s.fail_if(*TITLE, check="inkan_adult_ward")


@pytest.mark.requirement("INKAN-005")
def test_one_seal_per_person(kikan) -> None:
    """A person with an active registration (rule max_active_per_person) is INKAN_ALREADY_REGISTERED."""
    s = InkanSession(kikan, 14)
    person = s.adult()
    for _ in range(s.oracle.max_active):
        s.register(person)
    before = s.footprint()
    s.must_refuse("toroku", s.toroku_body(person), "INKAN_ALREADY_REGISTERED")
    _unchanged(s, before)
    s.compare_all()
    s.fail_if(*TITLE, check="inkan_one_per_person")


def _sizes(
    s: InkanSession, refused: list[tuple[tuple[int, int], str]], accepted: list[tuple[int, int]], check: str
) -> None:
    """Applications of one person with the ``refused`` sizes (each with its code), then the ``accepted`` ones
    (each registered and ended again, so the next may register)."""
    person = s.adult()
    before = s.footprint()
    for (yoko, tate), code in refused:
        s.must_refuse("toroku", s.toroku_body(person, yoko=yoko, tate=tate), code)
    _unchanged(s, before)
    for yoko, tate in accepted:
        toroku_no = s.register(person, yoko=yoko, tate=tate)
        if toroku_no:
            s.run("haishi", {"toroku_no": toroku_no, "haishi_bi": today().isoformat()})
    s.compare_all()
    s.fail_if(*TITLE, check=check)


@pytest.mark.requirement("INKAN-006")
def test_impression_fitting_the_small_square_refused(kikan) -> None:
    """The larger side at most the small square (rule inei_min_mm, in 0.1 mm) is INKAN_IMPRESSION_TOO_SMALL."""
    s = InkanSession(kikan, 15)
    floor = s.oracle.floor
    _sizes(
        s,
        [
            ((floor, floor), "INKAN_IMPRESSION_TOO_SMALL"),
            ((floor, 1), "INKAN_IMPRESSION_TOO_SMALL"),
            ((1, floor), "INKAN_IMPRESSION_TOO_SMALL"),
            ((floor // 2, floor - 1), "INKAN_IMPRESSION_TOO_SMALL"),
        ],
        [],
        "inkan_impression_too_small",
    )


@pytest.mark.requirement("INKAN-007")
def test_impression_not_fitting_the_large_square_refused(kikan) -> None:
    """The larger side beyond the large square (rule inei_max_mm, in 0.1 mm) is INKAN_IMPRESSION_TOO_LARGE."""
    s = InkanSession(kikan, 19)
    ceiling = s.oracle.ceiling
    _sizes(
        s,
        [
            ((ceiling + 1, ceiling), "INKAN_IMPRESSION_TOO_LARGE"),
            ((s.oracle.floor + 1, ceiling + 1), "INKAN_IMPRESSION_TOO_LARGE"),
            ((2 * ceiling, 2 * ceiling), "INKAN_IMPRESSION_TOO_LARGE"),
        ],
        [],
        "inkan_impression_too_large",
    )


@pytest.mark.requirement("INKAN-008")
def test_impression_size_edges(kikan) -> None:
    """Exactly at the edges, judged on the larger side: one more than the small square is accepted, exactly the
    large square is accepted (and the smaller side does not matter)."""
    s = InkanSession(kikan, 20)
    floor, ceiling = s.oracle.floor, s.oracle.ceiling
    _sizes(
        s,
        [((floor, floor), "INKAN_IMPRESSION_TOO_SMALL"), ((ceiling + 1, 1), "INKAN_IMPRESSION_TOO_LARGE")],
        [(floor + 1, floor + 1), (1, floor + 1), (ceiling, ceiling), (ceiling, 1)],
        "inkan_impression_edges",
    )


@pytest.mark.requirement("INKAN-010")
def test_impression_size_below_one_refused(kikan) -> None:
    """A width or height below 1 (0.1 mm) is INKAN_IMPRESSION_SIZE_INVALID."""
    s = InkanSession(kikan, 24)
    _sizes(
        s,
        [
            ((0, 150), "INKAN_IMPRESSION_SIZE_INVALID"),
            ((150, 0), "INKAN_IMPRESSION_SIZE_INVALID"),
            ((-5, 150), "INKAN_IMPRESSION_SIZE_INVALID"),
        ],
        [],
        "inkan_impression_size_invalid",
    )


@pytest.mark.requirement("INKAN-009")
def test_impression_must_be_png(kikan) -> None:
    """An impression that is not base64, or whose bytes are not a PNG, is INKAN_IMAGE_NOT_PNG."""
    s = InkanSession(kikan, 16)
    person = s.adult()
    before = s.footprint()
    jpeg = base64.b64encode(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40)).decode()
    text = base64.b64encode("印影".encode()).decode()
    for inei in ("これは画像ではありません", "not*base64!", jpeg, text):
        s.must_refuse("toroku", s.toroku_body(person, inei=inei), "INKAN_IMAGE_NOT_PNG")
    _unchanged(s, before)
    s.fail_if(*TITLE, check="inkan_image_png")


@pytest.mark.requirement("INKAN-011")
def test_same_seal_in_household(kikan) -> None:
    """The same impression as another member's active registration in the 世帯 is INKAN_SEAL_USED_IN_HOUSEHOLD;
    in another 世帯, or once the member's registration ended, it is accepted."""
    s = InkanSession(kikan, 17)
    setai_no, (head,) = s.juki.new_household(1)
    member = s.adult(setai_no=setai_no)
    stranger = s.adult()
    image = s.inei()
    first = s.register(head, inei=image)
    before = s.footprint()
    s.must_refuse("toroku", s.toroku_body(member, inei=image), "INKAN_SEAL_USED_IN_HOUSEHOLD")
    _unchanged(s, before)
    s.register(stranger, inei=image)
    if first:
        s.run("haishi", {"toroku_no": first, "haishi_bi": today().isoformat()})
        s.register(member, inei=image)
    s.compare_all()
    s.fail_if(*TITLE, check="inkan_seal_in_household")


@pytest.mark.requirement("INKAN-027")
def test_dates_in_order(kikan) -> None:
    """An application dated after today, or an ending dated before the registration or after today, is
    INKAN_DATE_ORDER."""
    s = InkanSession(kikan, 18)
    person = s.adult()
    tomorrow = today() + dt.timedelta(days=1)
    toroku_no = s.register(person, day=today() - dt.timedelta(days=5))
    before = s.footprint()
    s.must_refuse("toroku", s.toroku_body(s.adult(), day=tomorrow), "INKAN_DATE_ORDER")
    if toroku_no:
        for command, item in (("haishi", "haishi_bi"), ("boushitsu", "boushitsu_bi")):
            for day in (today() - dt.timedelta(days=6), tomorrow):
                s.must_refuse(command, {"toroku_no": toroku_no, item: day.isoformat()}, "INKAN_DATE_ORDER")
    _unchanged(s, before)
    if toroku_no:
        s.run("haishi", {"toroku_no": toroku_no, "haishi_bi": (today() - dt.timedelta(days=5)).isoformat()})
    s.compare_all()
    s.fail_if(*TITLE, check="inkan_date_order")
