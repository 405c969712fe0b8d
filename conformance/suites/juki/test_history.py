"""住民基本台帳: history invariants, 時点照会 (as_of) and 差分抽出 (updated_since)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conformance.checks.support import instant, walk
from conformance.suites.juki.codes import ACTIVE
from conformance.suites.juki.support import (
    JukiSession,
    history_numbering_problems,
    history_row_problems,
    today,
)

HISTORY_TITLE = ("異動履歴が履歴の規則に反します", "The history breaks the history rules")


@pytest.mark.requirement("JUKI-019", "JUKI-023", "JUKI-024", "JUKI-066")
def test_history_rows(kikan) -> None:
    """履歴番号 run 1, 2, 3 …; the latest row is the record; rows never change; each row has its 異動事由,
    異動日, 処理日 and input location, and the applicable 届出日/請求日."""
    s = JukiSession(kikan, 51)
    setai_no, members = s.new_household(2)
    head = members[0]
    snapshots: list[list[dict[str, Any]]] = []
    steps = [
        (
            "tenkyo",
            {
                "atena_no": head,
                "setai_zentai": True,
                "jusho": s.address(),
                "ido_bi": s.day(29, 25),
                "todoke_bi": s.day(24, 24),
            },
        ),
        (
            "kyuuji_kisai",
            {"atena_no": head, "kyuuji": "鈴木", "ido_bi": s.day(20, 18), "seikyu_bi": s.day(17, 17)},
        ),
        ("shokken_shusei", {"atena_no": head, "furigana": "ヤマダ", "ido_bi": s.day(15, 12)}),
        ("setai_bunri", {"atena_no": members[1], "ido_bi": s.day(10, 8), "todoke_bi": s.day(7, 7)}),
    ]
    for command, body in steps:
        snapshots.append((s.read(f"/residents/{head}/history") or {}).get("items") or [])
        with s.setup(f"{command} で履歴を作る", f"make a history row by {command}"):
            s.run(command, body)
    history = {a: (s.read(f"/residents/{a}/history") or {}).get("items") or [] for a in members}

    def part(requirement: str):
        return s.part(requirement, HISTORY_TITLE, check="history_invariants", example=steps)

    with part("JUKI-066"):  # every row of each resident is read
        for atena_no, rows in history.items():
            if len(rows) != s.oracle.rireki[atena_no]:
                s.note(f"{atena_no}: {len(rows)} history rows read, {s.oracle.rireki[atena_no]} made")
    with part("JUKI-023"):  # numbered 1, 2, 3 …, the latest row the current record
        s.compare_all()
        for atena_no, rows in history.items():
            history_numbering_problems(s, atena_no, rows, s.read(f"/residents/{atena_no}") or {})
    with part("JUKI-019"):  # each row with its reason, dates and input location
        for atena_no, rows in history.items():
            history_row_problems(s, atena_no, rows)
        if not {r.get("ido_jiyu"): r for r in history[head]}.get("314", {}).get("seikyu_bi"):
            s.note("the 旧氏の記載 row has no 請求日")
    with part("JUKI-024"):  # a row read before a later 異動 reads the same after it
        for earlier in snapshots:
            if history[head][: len(earlier)] != earlier:
                s.note(f"{head}: history rows changed after a later 異動 (had {len(earlier)} rows)")


@pytest.mark.requirement("JUKI-064", "API-012")
def test_as_of_follows_history(kikan) -> None:
    """as_of=D shows the record as of D: absent before the 転入, the old address before a 転居, the new one
    from its 異動日; a 転出 dated in the future leaves the resident active until that day."""
    s = JukiSession(kikan, 52)
    d1, d2 = today() - dt.timedelta(days=60), today() - dt.timedelta(days=20)
    body = s.tennyu_body()
    body.update(ido_bi=d1.isoformat(), todoke_bi=d1.isoformat())
    future = today() + dt.timedelta(days=10)
    old, new = body["jusho"], s.address()
    with s.setup("転入、転居と転出予定で履歴を作る", "make a history by 転入, 転居 and a planned 転出"):
        keys = s.run("tennyu", body)
        if not keys:
            s.note("a valid 転入 was not accepted")
            return
        person = keys["residents"][0]
        setai_no = s.oracle.residents[person]["setai_no"]
        s.run(
            "tenkyo",
            {"atena_no": person, "jusho": new, "ido_bi": d2.isoformat(), "todoke_bi": d2.isoformat()},
        )
        s.run(
            "tenshutsu_yotei",
            {
                "atena_no": person,
                "tenshutsu_kubun": "2",
                "tenshutsu_saki_kokugai_jusho": "韓国",
                "ido_bi": future.isoformat(),
                "todoke_bi": today().isoformat(),
            },
        )
    day = dt.timedelta(days=1)
    title = ("時点照会（as_of）が履歴と一致しません", "as_of does not follow the history")
    with s.part("JUKI-064", title, check="as_of_juki"):  # the resident and household as they were on each day
        expectations = [
            (d1, old, ACTIVE),
            (d2 - day, old, ACTIVE),
            (d2, new, ACTIVE),
            (today(), new, ACTIVE),
            (future, new, None),
        ]
        for when, jusho, jotai in expectations:
            got = s.read(f"/residents/{person}", {"as_of": when.isoformat()}) or {}
            if (got.get("jusho") or {}).get("shikuchoson") != jusho["shikuchoson"] or (
                got.get("jusho") or {}
            ).get("banchi") != jusho["banchi"]:
                s.note(f"as_of={when}: jusho {got.get('jusho')}, expected {jusho}")
            if jotai and got.get("jumin_jotai") != jotai:
                s.note(f"as_of={when}: jumin_jotai {got.get('jumin_jotai')}, expected {jotai}")
            if jotai is None and got.get("jumin_jotai") == ACTIVE:
                s.note(f"as_of={when} (on the 転出予定年月日): still active")
        house = s.read(f"/households/{setai_no}", {"as_of": (d2 - day).isoformat()}) or {}
        if house.get("members") != [person]:
            s.note(f"household as_of {(d2 - day)}: members {house.get('members')}")
    with s.part("API-012", title, check="as_of_juki"):  # before the 転入 the resident does not exist yet
        ex = s.get(f"/residents/{person}", {"as_of": (d1 - day).isoformat()})
        if ex.response is None or ex.response.status != 404:
            s.note(f"as_of the day before the 転入 answered {ex.response.status if ex.response else None}")
        listed = walk(
            kikan,
            s.op,
            s.op.resource("residents"),
            limit=500,
            params={"kojin_bango": body["kojin_bango"], "as_of": (d1 - day).isoformat()},
        )[0]
        if person in {i.get("atena_no") for i in listed}:
            s.note("the collection as_of the day before the 転入 lists the resident")


@pytest.mark.requirement("JUKI-065", "API-011")
def test_updated_since_inclusive(kikan) -> None:
    """updated_since=T lists exactly the residents and households updated at or after T (T included).

    T is the stamp of this test's own 転居; the answer holds that resident, leaves out this test's
    other resident (written before), and returns nothing updated before T: it reads what was written
    since T, not the register."""
    s = JukiSession(kikan, 53)
    _, members = s.new_household(2)
    with s.setup("転居する", "move within the municipality"):
        s.run(
            "tenkyo",
            {"atena_no": members[1], "jusho": s.address(), "ido_bi": s.day(5, 2), "todoke_bi": s.day(1, 1)},
        )
    title = ("差分抽出（updated_since）が正しくありません", "updated_since is incomplete or not inclusive")
    answers = []
    for resource in (s.op.resource("residents"), s.op.resource("households")):
        mine = [
            str(s.oracle.residents[m][resource.key]) if resource.id == "households" else m for m in members
        ]
        stamps = {k: str((s.read(f"{resource.path}/{k}") or {}).get("updated_at")) for k in mine}
        pivot = stamps.get(mine[1])
        if instant(pivot) is None:
            with s.checking("JUKI-065"):
                s.note(f"{resource.id}/{mine[1]}: updated_at {pivot!r} is not a timestamp with offset")
            continue
        got, exchanges = walk(kikan, s.op, resource, limit=500, params={"updated_since": pivot})
        s.exchanges += exchanges
        answers.append((resource, stamps, pivot, got))
    with s.part("JUKI-065", title, check="updated_since_juki"):  # what was updated since T is extracted
        for resource, stamps, pivot, got in answers:
            pivot_at = instant(pivot)
            keys = {str(i[resource.key]) for i in got}
            want = {k for k, v in stamps.items() if (instant(v) or pivot_at) >= pivot_at}
            if want - keys:
                s.note(f"{resource.id} updated_since={pivot}: missing {sorted(want - keys)[:5]}")
    with s.part("API-011", title, check="updated_since_juki"):  # and nothing updated before T
        for resource, stamps, pivot, got in answers:
            pivot_at = instant(pivot)
            older = {
                str(i[resource.key])
                for i in got
                if (instant(i.get("updated_at")) or pivot_at) < pivot_at
                or (instant(stamps.get(str(i[resource.key]))) or pivot_at) < pivot_at
            }
            if older:
                s.note(f"{resource.id} updated_since={pivot}: older items {sorted(older)[:5]}")
