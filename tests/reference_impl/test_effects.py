"""Cross-operation effects (reference_impl.effects): bound at start-up, applied in the command's
transaction, the command and its effects whole or not at all."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TestClient, bearer, demo_settings
from ri_demo import API, DEMO, L, demo_schema_source

from reference_impl.app import StartupError, create_app
from reference_impl.commands import CommandError
from reference_impl.effects import EffectContext
from standards.model import (
    Api,
    Effect,
    Entity,
    ErrorCase,
    Item,
    Operation,
    Resource,
    Specification,
    Standards,
)

SEEN = Entity(
    id="seen",
    label=L("観測", "Seen"),
    key=("person_no",),
    items=(
        Item("person_no", L("人番号", "Person number"), "string", required=True, read_only=True),
        Item("name", L("氏名", "Name"), "string"),
        Item("before_name", L("変更前氏名", "Name before"), "string"),
        Item("events", L("回数", "Events"), "integer"),
        Item("today", L("処理日", "Processing day"), "date"),
    ),
)


def _effect(effect_id: str, command: str, action: str) -> Effect:
    return Effect(effect_id, "demo", command, action, L("効果", "Effect"))


def watch_operation(*effects: Effect) -> Operation:
    """A second operation whose standard states effects of demo's commands on it."""
    return Operation(
        id="watch",
        name=L("観測業務", "Watch"),
        version="1.0.0",
        specification=Specification(title="watch", confidence="convention"),
        entities=(SEEN,),
        api=Api(
            resources=(Resource("seens", "/seens", "seen", "person_no"),),
            errors=(ErrorCase("WATCH_REFUSED", 409, L("観測側が拒否しました", "Refused by watch")),),
        ),
        effects=effects,
    )


WATCH = watch_operation(
    _effect("track_register", "register", "track"),
    _effect("track_rename", "rename", "track"),
    _effect("refuse_remove", "remove", "refuse"),
    _effect("nothing_on_relabel", "relabel_household", "none"),
    _effect("never_triggered", "unknown_command", "track"),
)


def track(ectx: EffectContext) -> None:
    """Mirror every changed person into ``seen``, with the name before the command."""
    for change in ectx.changes("person"):
        assert change.after is not None
        person_no = change.after.data["person_no"]
        current = ectx.ctx.get("seen", person_no=person_no)
        data = {
            "person_no": person_no,
            "name": change.after.data["name"],
            "before_name": change.before.data["name"] if change.before else None,
            "events": (current.data["events"] if current else 0) + 1,
            "today": ectx.today.isoformat(),
        }
        if current is None:
            ectx.ctx.insert("seen", data, effective=ectx.today)
        else:
            ectx.ctx.update("seen", current, data, effective=ectx.today)


def refuse(ectx: EffectContext) -> None:
    """Write first, then refuse (or fail) depending on the person's name: nothing may remain."""
    track(ectx)
    name = ectx.changes("person")[0].before.data["name"]  # type: ignore[union-attr]
    if name == "拒否":
        raise CommandError(
            "WATCH_REFUSED",
            "watch refuses this removal",
            errors=[{"pointer": "/person_no", "code": "WATCH_REFUSED", "detail": "refused"}],
        )
    if name == "障害":
        raise RuntimeError("a bug in an effect handler")


def watch_rules(**handlers: Any) -> types.ModuleType:
    module = types.ModuleType("watch_rules")
    module.COMMANDS = {}  # type: ignore[attr-defined]
    module.OPTIONS = ()  # type: ignore[attr-defined]
    module.EFFECTS = handlers  # type: ignore[attr-defined]
    return module


def _settings(tmp_path: Path, watch: Operation, rules: types.ModuleType) -> Any:
    import ri_demo_rules

    return demo_settings(
        tmp_path,
        standards=Standards(types=(), codelists=(), api=API, operations=(DEMO, watch)),
        rules={"demo": ri_demo_rules, "watch": rules},
    )


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(
        _settings(tmp_path, WATCH, watch_rules(track=track, refuse=refuse)), schema_source=demo_schema_source
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _register(client: TestClient, auth: dict[str, str], name: str, **headers: str) -> Any:
    return client.post(
        "/demo/v2/commands/register",
        json={"name": name, "birth": "1990-01-02", "ido_bi": "2024-04-01"},
        headers={**auth, **headers},
    )


def test_effect_applied_with_the_command(client: TestClient) -> None:
    auth = bearer(client)
    r = _register(client, auth, "山田太郎")
    assert r.status_code == 201, r.text
    person_no = r.json()["affected"][0]["key"]
    seen = client.get(f"/watch/v1/seens/{person_no}", headers=auth)
    assert seen.status_code == 200, seen.text
    assert seen.json()["name"] == "山田太郎"
    assert seen.json()["events"] == 1
    assert "before_name" not in seen.json() or seen.json()["before_name"] is None


def test_effect_sees_state_before_and_after(client: TestClient) -> None:
    auth = bearer(client)
    person_no = _register(client, auth, "山田太郎").json()["affected"][0]["key"]
    r = client.post(
        "/demo/v2/commands/rename",
        json={"person_no": person_no, "name": "山田花子", "ido_bi": "2024-05-01"},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    seen = client.get(f"/watch/v1/seens/{person_no}", headers=auth).json()
    assert (seen["name"], seen["before_name"], seen["events"]) == ("山田花子", "山田太郎", 2)


@pytest.mark.parametrize(
    ("name", "status", "code"), [("拒否", 409, "WATCH_REFUSED"), ("障害", 500, "INTERNAL_ERROR")]
)
def test_failing_effect_applies_nothing(client: TestClient, name: str, status: int, code: str) -> None:
    auth = bearer(client)
    person_no = _register(client, auth, name).json()["affected"][0]["key"]
    before_person = client.get(f"/demo/v2/persons/{person_no}", headers=auth)
    before_seen = client.get(f"/watch/v1/seens/{person_no}", headers=auth).json()
    r = client.post(
        "/demo/v2/commands/remove", json={"person_no": person_no, "ido_bi": "2024-05-01"}, headers=auth
    )
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    after_person = client.get(f"/demo/v2/persons/{person_no}", headers=auth)
    assert after_person.json() == before_person.json()
    assert after_person.headers["etag"] == before_person.headers["etag"]
    events = client.get(f"/demo/v2/persons/{person_no}/events", headers=auth).json()["items"]
    assert [e["kind"] for e in events] == ["register"]
    assert client.get(f"/watch/v1/seens/{person_no}", headers=auth).json() == before_seen


def test_replayed_command_does_not_rerun_effects(client: TestClient) -> None:
    auth = bearer(client)
    first = _register(client, auth, "山田太郎", **{"Idempotency-Key": "k-1"})
    again = _register(client, auth, "山田太郎", **{"Idempotency-Key": "k-1"})
    assert again.json() == first.json()
    person_no = first.json()["affected"][0]["key"]
    assert client.get(f"/watch/v1/seens/{person_no}", headers=auth).json()["events"] == 1
    assert len(client.get("/watch/v1/seens", headers=auth).json()["items"]) == 1


def test_action_none_needs_no_handler_and_changes_nothing(client: TestClient) -> None:
    auth = bearer(client)
    household_no = _register(client, auth, "山田太郎").json()["affected"][1]["key"]
    seen_before = client.get("/watch/v1/seens", headers=auth).json()["items"]
    r = client.post(
        "/demo/v2/commands/relabel_household", json={"household_no": household_no, "label": "x"}, headers=auth
    )
    assert r.status_code == 200, r.text
    assert client.get("/watch/v1/seens", headers=auth).json()["items"] == seen_before


def test_conformance_lists_every_served_operation(client: TestClient) -> None:
    ops = client.get("/conformance").json()["operations"]
    assert [(o["id"], o["base_path"]) for o in ops] == [("demo", "/demo/v2"), ("watch", "/watch/v1")]


def test_effect_without_handler_is_a_startup_error(tmp_path: Path) -> None:
    with pytest.raises(StartupError) as info:
        create_app(_settings(tmp_path, WATCH, watch_rules(track=track)), schema_source=demo_schema_source)
    message = str(info.value)
    assert "\n" not in message
    assert "watch/refuse" in message and "refuse_remove" in message and "demo/remove" in message
    assert "track" not in message.replace("watch/refuse", "")


def test_effects_of_an_unserved_source_are_never_triggered(tmp_path: Path) -> None:
    watch = watch_operation(Effect("other", "elsewhere", "register", "refuse", L("効果", "Effect")))
    app = create_app(_settings(tmp_path, watch, watch_rules(refuse=refuse)), schema_source=demo_schema_source)
    with TestClient(app, raise_server_exceptions=False) as c:
        auth = bearer(c)
        assert _register(c, auth, "拒否").status_code == 201
        assert c.get("/watch/v1/seens", headers=auth).json()["items"] == []
