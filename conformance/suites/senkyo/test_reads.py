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
    entries changed at or after an instant; names with non-BMP and IVS characters come back exactly.

    Two first runs register whoever the target already held, so the test's runs register its own people and
    every read covers what the test made: the shori_no filter of its runs, a status or kind filter with the
    shori_no of its run (and one page of that filter alone), updated_since from its own entries' stamps.
    The reads count against SENKYO-025, the entries compared at the end against SENKYO-026."""
    s = SenkyoSession(kikan, 41)
    kijun = today() - dt.timedelta(days=60)
    limit = s.limit(kijun)
    kokuji = kijun - s.oracle.offset
    first = {
        "senkyo_mei": "補欠選挙",
        "kokuji_bi": kokuji.isoformat(),
        "senkyo_kijitsu": (kokuji + dt.timedelta(days=12)).isoformat(),
    }
    second = {
        "senkyo_mei": "再選挙",
        "kokuji_bi": (today() - s.oracle.offset).isoformat(),
        "senkyo_kijitsu": (today() + dt.timedelta(days=9)).isoformat(),
    }
    for body in (first, second):
        s.register_others("senkyoji_toroku", body)
    tricky = s.person(since=limit - dt.timedelta(days=5), shimei=TRICKY_TEXT, hittousha=TRICKY_TEXT)
    removed = s.person(since=limit - dt.timedelta(days=5))
    with s.checking("SENKYO-011"):
        keys = s.run("senkyoji_toroku", first)
    shori_no = (keys or {}).get("runs", [None])[0]
    later = s.person(
        since=s.limit(today()) - dt.timedelta(days=5)
    )  # 3 months by today's 基準日, not by the first
    with s.checking("SENKYO-011"):
        later_keys = s.run("senkyoji_toroku", second)
    later_no = (later_keys or {}).get("runs", [None])[0]
    gone_on = today() - dt.timedelta(days=10)
    with s.checking("SENKYO-020"):
        s.run(
            "massho",
            {
                "atena_no": removed,
                "massho_jiyu": s.oracle.massho["日本国籍の喪失"],
                "massho_bi": gone_on.isoformat(),
            },
        )
    with s.checking("SENKYO-025"):
        _filters(s, shori_no, later_no, (tricky, removed), later)
        _as_of(s, removed, kijun, gone_on)
        _updated_since(s, tricky, removed)
    with s.checking("SENKYO-026"):
        s.compare_all()
    s.fail_if(
        "選挙人名簿の照会が標準と異なります",
        "Reading the electoral register differs from the standard",
        check="senkyo_reads",
    )


def _filters(
    s: SenkyoSession, shori_no: str | None, later_no: str | None, mine: tuple[str, ...], later: str
) -> None:
    """The shori_no filter lists the run's own entries and no other; a status or kind filter lists only
    entries with its value (one page of it alone) and, with the run's shori_no, this test's people that
    have it."""
    if not shori_no:
        return
    by_run = {e.get("atena_no") for e in s.items("/electors", {"shori_no": shori_no, "limit": 500})}
    if not set(mine) <= by_run:
        s.note(f"electors?shori_no={shori_no} misses {sorted(set(mine) - by_run)}")
    if later in by_run:
        s.note(f"electors?shori_no={shori_no} lists {later}, registered by the later run {later_no}")
    if later_no and later not in {e.get("atena_no") for e in s.items("/electors", {"shori_no": later_no})}:
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
        page = s.read("/electors", {name: value, "limit": 100}) or {}
        rows = [r for r in page.get("items") or () if isinstance(r, dict)]
        rows += list(s.items("/electors", {name: value, "shori_no": shori_no, "limit": 500}))
        wrong = [r.get("atena_no") for r in rows if r.get(name) != value]
        if wrong:
            s.note(f"electors?{name}={value} lists entries with another value: {wrong[:5]}")
        having = {a for a in mine if s.oracle.entries.get(a, {}).get(name) == value}
        if not having <= {r.get("atena_no") for r in rows}:
            s.note(f"electors?{name}={value}&shori_no={shori_no} misses {sorted(having)}")


def _as_of(s: SenkyoSession, removed: str, kijun: dt.date, gone_on: dt.date) -> None:
    """as_of: absent before the registration, 登録 from it, 抹消 from the removal."""
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


def _updated_since(s: SenkyoSession, tricky: str, removed: str) -> None:
    """updated_since at the first entry's stamp lists both; at the removal's stamp, the removed one and not
    the other (unchanged since its own stamp)."""
    stamp = (s.read(f"/electors/{tricky}") or {}).get("updated_at")
    latest = (s.read(f"/electors/{removed}") or {}).get("updated_at")
    if not (stamp and latest):
        return
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
