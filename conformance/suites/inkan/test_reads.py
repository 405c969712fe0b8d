"""印鑑登録: reading registrations by 宛名番号 and status, as of a date, and by changes since an instant."""

from __future__ import annotations

import datetime as dt

import pytest

from conformance.suites.inkan.support import InkanSession, today

pytestmark = pytest.mark.kikan_operations("juki")


@pytest.mark.requirement("INKAN-026")
def test_filters_as_of_and_updated_since(kikan) -> None:
    """Filtering by atena_no gives every registration of that person (ended ones too), by toroku_jotai only that
    status; as_of gives the state on a date (absent before the registration, active before its end);
    updated_since (inclusive) gives the registrations changed at or after an instant. (The certificate's
    as_of is INKAN-021's, in test_commands.)"""
    s = InkanSession(kikan, 31)
    person, other = s.adult(), s.adult()
    first = s.register(person, day=today() - dt.timedelta(days=30))
    kept = s.register(other, day=today() - dt.timedelta(days=30))
    if first and kept:
        s.run("haishi", {"toroku_no": first, "haishi_bi": (today() - dt.timedelta(days=10)).isoformat()})
        second = s.register(person, day=today() - dt.timedelta(days=5))
        want = set(s.oracle.of(person, active_only=False))
        got = {i.get("toroku_no") for i in s.items("/registrations", {"atena_no": person})}
        if got != want:
            s.note(
                f"registrations?atena_no={person}: target {sorted(map(str, got))}, expected {sorted(want)}"
            )
        for jotai in (s.oracle.active, s.oracle.ended):
            rows = list(s.items("/registrations", {"atena_no": person, "toroku_jotai": jotai}))
            wrong = [r.get("toroku_no") for r in rows if r.get("toroku_jotai") != jotai]
            expect = {k for k in want if s.oracle.registrations[k]["toroku_jotai"] == jotai}
            if wrong or {r.get("toroku_no") for r in rows} != expect:
                s.note(
                    f"registrations?toroku_jotai={jotai}: target {[r.get('toroku_no') for r in rows]}, "
                    f"expected {sorted(expect)}"
                )
        for days in (31, 30, 11, 10, 0):
            s.compare_registration(first, as_of=today() - dt.timedelta(days=days))
        listed = {
            i.get("toroku_no")
            for i in s.items(
                "/registrations",
                {"atena_no": person, "as_of": (today() - dt.timedelta(days=20)).isoformat()},
            )
        }
        if listed != {first}:
            s.note(
                f"registrations?atena_no&as_of=20 days ago: target {sorted(map(str, listed))}, expected [{first}]"
            )
        stamp = (s.read(f"/registrations/{kept}") or {}).get("updated_at")
        latest = (s.read(f"/registrations/{second}") or {}).get("updated_at") if second else None
        if stamp and latest:
            since = {i.get("toroku_no") for i in s.items("/registrations", {"updated_since": stamp})}
            missing = {kept, first, second} - since
            if missing:
                s.note(
                    f"registrations?updated_since={stamp} misses {sorted(missing)} (changed at or after it)"
                )
            since = {i.get("toroku_no") for i in s.items("/registrations", {"updated_since": latest})}
            if second not in since or (
                kept in since and dt.datetime.fromisoformat(stamp) < dt.datetime.fromisoformat(latest)
            ):
                s.note(
                    f"registrations?updated_since={latest}: {sorted(map(str, since & {kept, second}))}, "
                    f"expected {second} and not {kept} (unchanged since {stamp})"
                )
    s.fail_if(
        "印鑑登録の照会が標準と異なります",
        "Reading registrations differs from the standard",
        check="inkan_reads",
    )
