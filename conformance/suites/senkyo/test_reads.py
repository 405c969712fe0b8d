"""選挙人名簿: filters, as_of, updated_since on the register, and names kept exactly."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.generate import TRICKY_TEXT
from conformance.suites.senkyo.support import SenkyoSession, today

pytestmark = pytest.mark.kikan_operations("juki")


@pytest.mark.requirement("SENKYO-025", "SENKYO-026")
def test_filters_as_of_updated_since_and_text(kikan) -> None:
    """meibo_jotai, toroku_kubun and shori_no filters give exactly the matching entries; as_of gives an entry's
    state on a date (absent before its registration, 登録 before its removal); updated_since (inclusive) gives
    entries changed at or after an instant; names with non-BMP and IVS characters come back exactly."""
    s = SenkyoSession(kikan, 41)
    kijun = today() - dt.timedelta(days=60)
    limit = s.limit(kijun)
    tricky = s.person(since=limit - dt.timedelta(days=5), shimei=TRICKY_TEXT, hittousha=TRICKY_TEXT)
    removed = s.person(since=limit - dt.timedelta(days=5))
    kokuji = kijun - s.oracle.offset
    keys = s.run(
        "senkyoji_toroku",
        {
            "senkyo_mei": "補欠選挙",
            "kokuji_bi": kokuji.isoformat(),
            "senkyo_kijitsu": (kokuji + dt.timedelta(days=12)).isoformat(),
        },
    )
    shori_no = (keys or {}).get("runs", [None])[0]
    later = s.person(
        since=s.limit(today()) - dt.timedelta(days=5)
    )  # 3 months by today's 基準日, not by the first
    later_keys = s.run(
        "senkyoji_toroku",
        {
            "senkyo_mei": "再選挙",
            "kokuji_bi": (today() - s.oracle.offset).isoformat(),
            "senkyo_kijitsu": (today() + dt.timedelta(days=9)).isoformat(),
        },
    )
    later_no = (later_keys or {}).get("runs", [None])[0]
    gone_on = today() - dt.timedelta(days=10)
    s.run(
        "massho",
        {
            "atena_no": removed,
            "massho_jiyu": s.oracle.massho["日本国籍の喪失"],
            "massho_bi": gone_on.isoformat(),
        },
    )
    if shori_no:
        by_run = {e.get("atena_no") for e in s.items("/electors", {"shori_no": shori_no, "limit": 500})}
        if not {tricky, removed} <= by_run:
            s.note(f"electors?shori_no={shori_no} misses {sorted({tricky, removed} - by_run)}")
        if later in by_run:
            s.note(f"electors?shori_no={shori_no} lists {later}, registered by the later run {later_no}")
        if later_no and later not in {
            e.get("atena_no") for e in s.items("/electors", {"shori_no": later_no})
        }:
            s.note(f"electors?shori_no={later_no} misses {later}")
        run = s.read(f"/runs/{shori_no}") or {}
        stray = by_run - set(run.get("toroku_sha") or [])
        if stray:
            s.note(f"electors?shori_no={shori_no} lists people the run did not register: {sorted(stray)[:5]}")
    for name, value in (
        ("meibo_jotai", s.oracle.jotai["抹消"]),
        ("meibo_jotai", s.oracle.jotai["登録"]),
        ("toroku_kubun", s.oracle.kubun["選挙時登録"]),
    ):
        rows = list(s.items("/electors", {name: value, "limit": 500}))
        wrong = [r.get("atena_no") for r in rows if r.get(name) != value]
        if wrong:
            s.note(f"electors?{name}={value} lists entries with another value: {wrong[:5]}")
        mine = {a for a in (tricky, removed) if s.oracle.entries.get(a, {}).get(name) == value}
        if not mine <= {r.get("atena_no") for r in rows}:
            s.note(f"electors?{name}={value} misses {sorted(mine)}")
    for day in (kijun - dt.timedelta(days=1), kijun, gone_on - dt.timedelta(days=1), gone_on):
        ex = s.get(f"/electors/{removed}", {"as_of": day.isoformat()})
        status = ex.response.status if ex.response else None
        got = ex.response.json() if status == 200 and ex.response else {}
        want = None if day < kijun else s.oracle.jotai["登録" if day < gone_on else "抹消"]
        if (want is None and status != 404) or (want is not None and got.get("meibo_jotai") != want):
            s.note(
                f"electors/{removed}?as_of={day}: {status} {got.get('meibo_jotai')!r}, expected {want or 404}",
                ex,
            )
    stamp = (s.read(f"/electors/{tricky}") or {}).get("updated_at")
    latest = (s.read(f"/electors/{removed}") or {}).get("updated_at")
    if stamp and latest:
        since = {e.get("atena_no") for e in s.items("/electors", {"updated_since": stamp, "limit": 500})}
        if not {tricky, removed} <= since:
            s.note(f"electors?updated_since={stamp} misses {sorted({tricky, removed} - since)}")
        since = {e.get("atena_no") for e in s.items("/electors", {"updated_since": latest, "limit": 500})}
        if removed not in since or (
            tricky in since and dt.datetime.fromisoformat(stamp) < dt.datetime.fromisoformat(latest)
        ):
            s.note(
                f"electors?updated_since={latest}: expected {removed} and not {tricky} (unchanged since {stamp})"
            )
    s.compare_all()
    s.fail_if(
        "選挙人名簿の照会が標準と異なります",
        "Reading the electoral register differs from the standard",
        check="senkyo_reads",
    )
