"""印鑑登録 (inkan) on the reference server: every command, error, effect and the certificate view.

Numbers (ages, sizes) are read from the standard, never written here.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from conftest import TestClient, juki_only_standards, operation_server
from test_juki_households import ADDR2, Juki

from reference_impl.temporal import JST
from standards.common.dates import age_reached_on

INKAN = "/inkan/v1"
TODAY = datetime(2025, 1, 15, 10, 0, tzinfo=JST)


def png(tag: str = "a") -> str:
    """A base64 PNG (the signature and a distinguishing tail)."""
    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + tag.encode()).decode()


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return juki_only_standards(tmp_path_factory.mktemp("standards"), "inkan")


@pytest.fixture
def client(database_url: str, standards: Any) -> Iterator[TestClient]:
    with operation_server(database_url, standards, ["juki", "inkan"], TODAY) as c:
        yield c


class Inkan(Juki):
    """The juki driver plus 印鑑登録 commands and reads."""

    def __init__(self, client: Any, standards: Any) -> None:
        super().__init__(client)
        self.op = standards.operation("inkan")

    def rule(self, rule_id: str, on: str = "2024-06-01") -> Any:
        return self.op.rule(rule_id, on=date.fromisoformat(on)).value

    def inkan(
        self, command: str, body: dict[str, Any], status: int, code: str | None = None
    ) -> dict[str, Any]:
        r = self.client.post(f"{INKAN}/commands/{command}", json=body, headers=self.h)
        assert r.status_code == status, r.text
        if code is not None:
            assert r.json()["code"] == code, r.text
        return r.json()

    def read(self, path: str, status: int = 200) -> Any:
        r = self.client.get(f"{INKAN}{path}", headers=self.h)
        assert r.status_code == status, r.text
        return r.json()

    def application(self, atena_no: str, **extra: Any) -> dict[str, Any]:
        side = 10 * self.rule("inei_min_mm") + 1
        return {
            "atena_no": atena_no,
            "inei": png(atena_no),
            "inei_yoko": side,
            "inei_tate": side,
            "shinsei_bi": "2024-06-01",
            **extra,
        }

    def register(self, atena_no: str, **extra: Any) -> str:
        out = self.inkan("toroku", self.application(atena_no, **extra), 201)
        return str(out["affected"][0]["key"])

    def resident(self, **extra: Any) -> str:
        return str(self.run("tennyu", self.tennyu(**extra), 201)["affected"][0]["key"])


@pytest.fixture
def ink(client: TestClient, standards: Any) -> Inkan:
    return Inkan(client, standards)


def test_toroku_registers_and_reads_back(ink):
    atena = ink.resident()
    body = ink.application(atena)
    r = ink.client.post(f"{INKAN}/commands/toroku", json=body, headers=ink.h)
    assert r.status_code == 201, r.text
    no = r.json()["affected"][0]["key"]
    assert r.headers["Location"] == f"{INKAN}/registrations/{no}"
    reg = ink.read(f"/registrations/{no}")
    assert {k: reg[k] for k in ("atena_no", "inei", "inei_yoko", "inei_tate", "shinsei_bi")} == {
        k: body[k] for k in ("atena_no", "inei", "inei_yoko", "inei_tate", "shinsei_bi")
    }
    assert (reg["toroku_bi"], reg["toroku_jotai"], reg.get("haishi_bi")) == ("2024-06-01", "1", None)
    assert [i["toroku_no"] for i in ink.read(f"/registrations?atena_no={atena}&toroku_jotai=1")["items"]] == [
        no
    ]
    ink.read(f"/registrations/{no}?as_of=2024-05-31", 404)


def test_not_found_and_not_a_resident(ink):
    ink.inkan("toroku", ink.application("999999999999"), 404, "INKAN_RESIDENT_NOT_FOUND")
    atena = ink.resident()  # moved in on 2024-04-01
    ink.inkan("toroku", ink.application(atena, shinsei_bi="2024-03-31"), 409, "INKAN_NOT_A_RESIDENT")
    ink.run(
        "tenshutsu_yotei",
        {
            "atena_no": atena,
            "tenshutsu_kubun": "2",
            "ido_bi": "2024-07-01",
            "todoke_bi": "2024-06-20",
            "tenshutsu_saki_kokugai_jusho": "アメリカ合衆国",
        },
        200,
    )
    ink.inkan("toroku", ink.application(atena, shinsei_bi="2024-07-01"), 409, "INKAN_NOT_A_RESIDENT")
    ink.register(atena, shinsei_bi="2024-06-30")  # still a resident the day before moving out


def test_minimum_age_on_the_application_date(ink):
    min_age = ink.rule("min_age")
    birth = date(2009, 6, 2)
    reached = age_reached_on(birth, min_age)
    atena = ink.resident(seinengappi={"date": birth.isoformat()})
    day_before = date.fromordinal(reached.toordinal() - 1).isoformat()
    out = ink.inkan("toroku", ink.application(atena, shinsei_bi=day_before), 422, "INKAN_UNDER_AGE")
    assert out["errors"][0]["pointer"] == "/shinsei_bi"
    ink.register(atena, shinsei_bi=reached.isoformat())


def test_adult_ward_refused(ink):
    atena = ink.resident(seinen_hikoukennin=True)
    ink.inkan("toroku", ink.application(atena), 422, "INKAN_ADULT_WARD")


def test_size_bounds_from_the_rules(ink):
    floor, ceiling = 10 * ink.rule("inei_min_mm"), 10 * ink.rule("inei_max_mm")
    atena = ink.resident()
    small = ink.inkan(
        "toroku", ink.application(atena, inei_yoko=floor, inei_tate=3), 422, "INKAN_IMPRESSION_TOO_SMALL"
    )
    assert small["errors"][0]["pointer"] == "/inei_yoko"
    ink.inkan(
        "toroku",
        ink.application(atena, inei_yoko=5, inei_tate=ceiling + 1),
        422,
        "INKAN_IMPRESSION_TOO_LARGE",
    )
    ink.inkan(
        "toroku", ink.application(atena, inei_yoko=0, inei_tate=100), 422, "INKAN_IMPRESSION_SIZE_INVALID"
    )
    no = ink.register(atena, inei_yoko=ceiling, inei_tate=1)  # exactly the ceiling fits
    ink.inkan("haishi", {"toroku_no": no, "haishi_bi": "2024-06-01"}, 200)
    ink.register(atena, inei_yoko=floor + 1, inei_tate=floor + 1)  # just above the floor


def test_every_impression_problem_is_listed(ink):
    atena = ink.resident()
    out = ink.inkan(
        "toroku",
        ink.application(atena, inei="bm90IGEgcG5n", inei_yoko=0, inei_tate=-1),
        422,
        "INKAN_IMAGE_NOT_PNG",
    )
    assert [(e["pointer"], e["code"]) for e in out["errors"]] == [
        ("/inei", "INKAN_IMAGE_NOT_PNG"),
        ("/inei_yoko", "INKAN_IMPRESSION_SIZE_INVALID"),
        ("/inei_tate", "INKAN_IMPRESSION_SIZE_INVALID"),
    ]
    ink.inkan("toroku", ink.application(atena, inei="***"), 422, "INKAN_IMAGE_NOT_PNG")
    assert ink.read(f"/registrations?atena_no={atena}")["items"] == []


def test_one_active_registration_then_reregistration(ink):
    atena = ink.resident()
    first = ink.register(atena)
    ink.inkan(
        "toroku",
        ink.application(atena, inei=png("other"), shinsei_bi="2024-07-01"),
        409,
        "INKAN_ALREADY_REGISTERED",
    )
    ink.inkan("haishi", {"toroku_no": first, "haishi_bi": "2024-08-01"}, 200)
    # a registration dated before the first one ended would overlap it
    ink.inkan("toroku", ink.application(atena, shinsei_bi="2024-07-31"), 409, "INKAN_ALREADY_REGISTERED")
    second = ink.register(atena, shinsei_bi="2024-08-01")
    assert second != first
    active = ink.read(f"/registrations?atena_no={atena}&toroku_jotai=1")["items"]
    assert [r["toroku_no"] for r in active] == [second]


def test_same_seal_in_household_refused(ink):
    setai, (head, wife) = ink.family(2)
    ink.register(head, inei=png("family"))
    ink.inkan("toroku", ink.application(wife, inei=png("family")), 409, "INKAN_SEAL_USED_IN_HOUSEHOLD")
    other = ink.resident(shimei="佐藤　花子")
    ink.register(other, inei=png("family"))  # another household may use the same design
    ink.register(wife, inei=png("wife"))


def test_haishi_and_boushitsu(ink):
    atena = ink.resident()
    no = ink.register(atena)
    ink.inkan(
        "haishi", {"toroku_no": "0000000999", "haishi_bi": "2024-07-01"}, 404, "INKAN_REGISTRATION_NOT_FOUND"
    )
    ink.inkan("haishi", {"toroku_no": no, "haishi_bi": "2024-05-31"}, 422, "INKAN_DATE_ORDER")
    ink.inkan("haishi", {"toroku_no": no, "haishi_bi": "2025-01-16"}, 422, "INKAN_DATE_ORDER")
    ink.inkan("boushitsu", {"toroku_no": no, "boushitsu_bi": "2024-07-01"}, 200)
    reg = ink.read(f"/registrations/{no}")
    assert (reg["toroku_jotai"], reg["haishi_bi"], reg["haishi_jiyu"]) == ("2", "2024-07-01", "2")
    ink.inkan("haishi", {"toroku_no": no, "haishi_bi": "2024-07-02"}, 409, "INKAN_REGISTRATION_ENDED")
    ink.inkan("boushitsu", {"toroku_no": no, "boushitsu_bi": "2024-07-02"}, 409, "INKAN_REGISTRATION_ENDED")
    assert ink.read(f"/registrations/{no}?as_of=2024-06-30")["toroku_jotai"] == "1"
    assert ink.read(f"/registrations/{no}?as_of=2024-07-01")["toroku_jotai"] == "2"
    again = ink.register(atena, shinsei_bi="2024-07-01")
    ink.inkan("haishi", {"toroku_no": again, "haishi_bi": "2024-07-01"}, 200)
    assert ink.read(f"/registrations/{again}")["haishi_jiyu"] == "1"


def test_application_dated_after_the_processing_day(ink):
    atena = ink.resident()
    ink.inkan("toroku", ink.application(atena, shinsei_bi="2025-01-16"), 422, "INKAN_DATE_ORDER")
    ink.register(atena, shinsei_bi="2025-01-15")


def test_certificate_only_for_an_active_registration_with_that_days_items(ink):
    atena = ink.resident()
    no = ink.register(atena)
    cert = ink.read(f"/certificates/{no}")
    resident = ink.get(f"/residents/{atena}")
    assert cert == {
        "toroku_no": no,
        "shimei": resident["shimei"],
        "seinengappi": resident["seinengappi"],
        "seibetsu": resident["seibetsu"],
        "jusho": resident["jusho"],
        "inei": ink.application(atena)["inei"],
        "updated_at": cert["updated_at"],
    }
    etag = ink.client.get(f"{INKAN}/certificates/{no}", headers=ink.h).headers["ETag"]
    ink.run(
        "tenkyo", {"atena_no": atena, "jusho": ADDR2, "ido_bi": "2024-09-01", "todoke_bi": "2024-09-01"}, 200
    )
    assert ink.read(f"/certificates/{no}?as_of=2024-08-31")["jusho"] == resident["jusho"]
    assert ink.read(f"/certificates/{no}")["jusho"] == ADDR2
    assert ink.client.get(f"{INKAN}/certificates/{no}", headers=ink.h).headers["ETag"] != etag
    ink.read(f"/certificates/{no}?as_of=2024-05-31", 404)
    ink.inkan("haishi", {"toroku_no": no, "haishi_bi": "2024-10-01"}, 200)
    ink.read(f"/certificates/{no}", 404)
    assert ink.read(f"/certificates/{no}?as_of=2024-09-30")["toroku_no"] == no
    assert ink.read("/certificates")["items"] == []
    assert [c["toroku_no"] for c in ink.read("/certificates?as_of=2024-09-30")["items"]] == [no]


def test_certificates_page_with_a_cursor(ink):
    numbers = [ink.register(ink.resident(shimei=f"山田　{c}")) for c in "一二三"]
    first = ink.read("/certificates?limit=2")
    assert [c["toroku_no"] for c in first["items"]] == numbers[:2] and first["next_cursor"]
    rest = ink.read(f"/certificates?limit=2&cursor={first['next_cursor']}")
    assert [c["toroku_no"] for c in rest["items"]] == numbers[2:] and rest["next_cursor"] is None


def test_tenshutsu_ends_every_movers_registration(ink):
    setai, (head, wife, child) = ink.family(3)
    regs = [ink.register(a, inei=png(a)) for a in (head, wife)]
    ink.run(
        "tenshutsu_yotei",
        {
            "atena_no": wife,
            "setai_zentai": True,
            "tenshutsu_kubun": "1",
            "tenshutsu_saki_jusho": {"todofuken": "27", "shikuchoson": "大阪市"},
            "ido_bi": "2024-09-30",
            "todoke_bi": "2024-09-20",
        },
        200,
    )
    for no in regs:
        reg = ink.read(f"/registrations/{no}")
        assert (reg["toroku_jotai"], reg["haishi_bi"], reg["haishi_jiyu"]) == ("2", "2024-09-30", "3")
        assert ink.read(f"/certificates/{no}?as_of=2024-09-29")["toroku_no"] == no
        ink.read(f"/certificates/{no}?as_of=2024-09-30", 404)


def test_tenshutsu_of_one_member_leaves_the_others(ink):
    setai, (head, wife) = ink.family(2)
    keep, end = ink.register(head, inei=png("h")), ink.register(wife, inei=png("w"))
    ink.run(
        "tenshutsu_yotei",
        {
            "atena_no": wife,
            "tenshutsu_kubun": "1",
            "ido_bi": "2024-09-30",
            "tenshutsu_saki_jusho": {"todofuken": "27", "shikuchoson": "大阪市"},
            "todoke_bi": "2024-09-20",
        },
        200,
    )
    assert ink.read(f"/registrations/{keep}")["toroku_jotai"] == "1"
    assert ink.read(f"/registrations/{end}")["haishi_jiyu"] == "3"


def test_shibou_ends_as_of_the_held_date(ink):
    atena = ink.resident()
    no = ink.register(atena)
    ink.run(
        "shibou",
        {"atena_no": atena, "ido_bi": {"date": "2024-08-01", "unknown": "day", "qualifier": "about"}},
        200,
    )
    reg = ink.read(f"/registrations/{no}")
    assert (reg["toroku_jotai"], reg["haishi_bi"], reg["haishi_jiyu"]) == ("2", "2024-08-01", "4")


def test_adult_ward_correction_ends_only_when_set(ink):
    atena = ink.resident()
    no = ink.register(atena)
    ink.run("shokken_shusei", {"atena_no": atena, "ido_bi": "2024-07-01", "shimei": "山田　太朗"}, 200)
    assert ink.read(f"/registrations/{no}")["toroku_jotai"] == "1"
    assert ink.read(f"/certificates/{no}")["shimei"] == "山田　太朗"
    ink.run("shokken_shusei", {"atena_no": atena, "ido_bi": "2024-08-01", "seinen_hikoukennin": True}, 200)
    reg = ink.read(f"/registrations/{no}")
    assert (reg["toroku_jotai"], reg["haishi_bi"], reg["haishi_jiyu"]) == ("2", "2024-08-01", "5")
    ink.inkan("toroku", ink.application(atena, shinsei_bi="2024-08-02"), 422, "INKAN_ADULT_WARD")


def test_effects_without_a_registration_change_nothing(ink):
    atena = ink.resident()
    ink.run("shibou", {"atena_no": atena, "ido_bi": {"date": "2024-08-10"}}, 200)
    assert ink.read(f"/registrations?atena_no={atena}")["items"] == []


def test_if_match_on_the_registration(ink):
    no = ink.register(ink.resident())
    r = ink.client.post(
        f"{INKAN}/commands/haishi",
        json={"toroku_no": no, "haishi_bi": "2024-07-01"},
        headers={**ink.h, "If-Match": '"99"'},
    )
    assert r.status_code == 412, r.text
    etag = ink.client.get(f"{INKAN}/registrations/{no}", headers=ink.h).headers["ETag"]
    r = ink.client.post(
        f"{INKAN}/commands/haishi",
        json={"toroku_no": no, "haishi_bi": "2024-07-01"},
        headers={**ink.h, "If-Match": etag},
    )
    assert r.status_code == 200, r.text


def test_registration_dated_before_a_recorded_ending_ends_at_once(ink):
    moving, ward = ink.resident(), ink.resident(shimei="佐藤　花子")
    ink.run(
        "tenshutsu_yotei",
        {
            "atena_no": moving,
            "tenshutsu_kubun": "1",
            "ido_bi": "2024-09-30",
            "tenshutsu_saki_jusho": {"todofuken": "27", "shikuchoson": "大阪市"},
            "todoke_bi": "2024-09-20",
        },
        200,
    )
    ink.run("shokken_shusei", {"atena_no": ward, "ido_bi": "2024-08-01", "seinen_hikoukennin": True}, 200)
    for atena, ended, reason in ((moving, "2024-09-30", "3"), (ward, "2024-08-01", "5")):
        reg = ink.read(f"/registrations/{ink.register(atena, shinsei_bi='2024-07-01')}")
        assert (reg["toroku_jotai"], reg["haishi_bi"], reg["haishi_jiyu"]) == ("2", ended, reason)
        assert ink.read(f"/registrations/{reg['toroku_no']}?as_of=2024-07-31")["toroku_jotai"] == "1"
