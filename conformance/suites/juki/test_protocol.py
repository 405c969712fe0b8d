"""住民基本台帳 commands under the API conventions: Idempotency-Key replays and If-Match preconditions."""

from __future__ import annotations

import pytest

from conformance.checks.support import body_json, problem_errors
from conformance.suites.juki.support import JukiSession


@pytest.mark.requirement("API-013", "API-014", "JUKI-026")
def test_tennyu_replay_applies_once(kikan) -> None:
    """A 転入 replayed with the same Idempotency-Key and body answers the same and creates no second
    resident; the same key with another valid body is 409 IDEMPOTENCY_KEY_REUSED."""
    s = JukiSession(kikan, 81)
    body = s.tennyu_body()
    key = {"Idempotency-Key": kikan.ns.key("juki-tennyu", kikan.next_number())}
    # both parts are checked whatever the first finds: a target ignoring the key breaks both
    with s.checking("API-013"):  # the replay answers as the first time and applies nothing
        first, replay = s.send("tennyu", body, key), s.send("tennyu", body, key)
        assert first.response is not None and replay.response is not None
        if first.response.status != 201:
            s.note(f"first 転入 answered {first.response.status}")
        if (replay.response.status, body_json(replay)) != (first.response.status, body_json(first)):
            s.note(f"replay answered {replay.response.status} {body_json(replay)}, first {body_json(first)}")
        found = (s.read("/residents", {"kojin_bango": body["kojin_bango"], "limit": 500}) or {}).get(
            "items"
        ) or []
        if len(found) != 1:
            s.note(f"{len(found)} residents with the replayed 個人番号, expected 1")
            if len(found) > 1:
                s.note(f"{len(found)} residents share one 個人番号", requirement="JUKI-026")
    with s.checking("API-014"):  # the key with another body is refused
        other = s.send("tennyu", s.tennyu_body(), key)
        assert other.response is not None
        for e in problem_errors(other.response, 409, "IDEMPOTENCY_KEY_REUSED"):
            s.note(f"reused key with another body: {e}", other)
    s.fail_if(
        "冪等キーによる再送が正しく扱われません",
        "Idempotent replay is not honoured",
        check="idempotent_replay_juki",
        example={"headers": key, "body": body},
    )


@pytest.mark.requirement("API-015")
def test_tenkyo_if_match(kikan) -> None:
    """A 転居 with a stale If-Match is 412 and moves nobody; with the resident's current ETag it applies."""
    s = JukiSession(kikan, 82)
    _, (person,) = s.new_household(1)
    current = s.get(f"/residents/{person}")
    etag = current.response.header("etag") if current.response else None
    if not etag:
        s.note(f"GET residents/{person} has no ETag")
    move = {"atena_no": person, "jusho": s.address(), "ido_bi": s.day(5, 2), "todoke_bi": s.day(1, 1)}
    stale = s.send("tenkyo", move, {"If-Match": '"kikan-stale"'})
    assert stale.response is not None
    for e in problem_errors(stale.response, 412, "PRECONDITION_FAILED"):
        s.note(f"stale If-Match: {e}", stale)
    s.compare_resident(person)
    fresh = s.send("tenkyo", move, {"If-Match": etag or '"none"'})
    if fresh.response is None or fresh.response.status not in (200, 201):
        s.note(f"the current ETag {etag} was refused: {fresh.response.status if fresh.response else None}")
    else:
        s.oracle.apply("tenkyo", move, {})
    s.compare_resident(person)
    s.fail_if(
        "If-Matchによる前提条件が検査されません",
        "If-Match preconditions are not enforced",
        check="if_match_juki",
        example={"If-Match": '"kikan-stale"', "body": move},
    )
