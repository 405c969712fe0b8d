"""選挙人名簿: what 住民基本台帳 commands do to an entry (standards/operations/senkyo/effects.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.checks.support import instant
from conformance.suites.senkyo.oracle import PERSONAL
from conformance.suites.senkyo.support import SenkyoSession, today

pytestmark = pytest.mark.kikan_operations("juki")

TITLE = (
    "住民基本台帳の異動が選挙人名簿に正しく反映されません",
    "A change in the resident register is not reflected in the electoral register as the standard says",
)


def _days(n: int) -> str:
    return (today() - dt.timedelta(days=n)).isoformat()


@pytest.mark.requirement("SENKYO-023", "SENKYO-024")
def test_moves_and_corrections_follow(kikan) -> None:
    """A 転居 changes a registered person's address on the register; a 職権修正 of 氏名, フリガナ, 生年月日 or 性別
    changes the entry too; other items leave it as it was.

    Each entry's address counts against SENKYO-023 and its personal items against SENKYO-024, moved or
    corrected or not (what the effects decided, the oracle's origins, first)."""
    s = SenkyoSession(kikan, 31)
    kijun = today() - dt.timedelta(days=50)
    people = [s.person(since=s.limit(kijun) - dt.timedelta(days=10)) for _ in range(3)]
    kokuji = kijun - s.oracle.offset
    with s.checking("SENKYO-011"):
        s.run(
            "senkyoji_toroku",
            {
                "senkyo_mei": "市議会議員選挙",
                "kokuji_bi": kokuji.isoformat(),
                "senkyo_kijitsu": (kokuji + dt.timedelta(days=9)).isoformat(),
            },
        )
    mover, renamed, other = people
    with s.checking("SENKYO-023"):
        s.juki.run(
            "tenkyo",
            {"atena_no": mover, "jusho": s.juki.address("3号室"), "ido_bi": _days(5), "todoke_bi": _days(5)},
        )
    with s.checking("SENKYO-024"):
        s.juki.run(
            "shokken_shusei",
            {
                "atena_no": renamed,
                "shimei": "𠮷野\u3000葛\U000e0100子",
                "furigana": "ヨシノ\u3000クズコ",
                "seibetsu": "2",
                "seinengappi": {"date": "1980-02-29"},
                "ido_bi": _days(4),
            },
        )
        s.juki.run("shokken_shusei", {"atena_no": other, "yubin_bango": "1000001", "ido_bi": _days(4)})
        s.compare_all(blame={"jusho": "SENKYO-023", **dict.fromkeys(PERSONAL, "SENKYO-024")})
    s.fail_if(*TITLE, check="senkyo_follows_juki")


@pytest.mark.requirement("SENKYO-028")
def test_move_in_alone_registers_no_one(kikan) -> None:
    """A 転入, even one notified long ago by a Japanese adult, registers no one until a registration run."""
    s = SenkyoSession(kikan, 32)
    person = s.person(since=today() - dt.timedelta(days=900))
    ex = s.get(f"/electors/{person}")
    status = ex.response.status if ex.response else None
    if status != 404:
        s.note(f"GET /electors/{person} right after the 転入 answered {status}, expected 404", ex)
    # what the register changed since the 転入 (by the target's own clock: the record's stamp, a second
    # earlier in case an entry was stamped before it in the same transaction)
    stamp = instant((s.juki.read(f"/residents/{person}") or {}).get("updated_at"))
    if stamp is not None:  # (the juki suite checks the stamps themselves)
        since = (stamp - dt.timedelta(seconds=1)).isoformat()
        listed = [
            e
            for e in s.items("/electors", {"updated_since": since, "limit": 500})
            if e.get("atena_no") == person
        ]
        if listed:
            s.note(f"{person} is listed on the register right after the 転入: {listed}")
    s.fail_if(
        "転入だけで選挙人名簿に登録されました",
        "A move-in alone put someone on the register",
        check="senkyo_no_registration_on_tennyu",
    )
