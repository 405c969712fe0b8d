"""Reruns against one persistent target: the same verdict every time, whatever it already holds.

The run namespace (``conformance/namespace.py``) keeps each run's unique identifiers (個人番号,
住民票コード, Idempotency-Key) apart from the data already in the target. These tests run suite tests
twice against one unchanged reference server, against one that already holds residents made by
another seed, and show that without the namespace the second run collides (the mechanism's teeth).
"""

from __future__ import annotations

import pytest
from persistent import CLIENT, reference_target, run

from conformance.namespace import NamespaceError, RunNamespace, check_namespace
from reports.schema import validate

#: juki tests that create residents with generated 個人番号 and 住民票コード and check acceptance
JUKI_WRITES = ["juki/test_commands.py"]
JUKI = ("juki",)


def test_namespace_streams_are_reproducible_and_apart() -> None:
    a, again, other = (RunNamespace(v, seed=3) for v in ("abc", "abc", "xyz"))
    first = [a.stream("juki-ids-1").digits("kojin_bango", 11) for _ in range(3)]
    assert len(set(first)) == 3
    assert first == [again.stream("juki-ids-1").digits("kojin_bango", 11) for _ in range(3)]
    assert a.stream("s").digits("k", 11) != other.stream("s").digits("k", 11)
    assert RunNamespace("abc", seed=4).stream("s").digits("k", 11) != RunNamespace("abc", seed=3).stream(
        "s"
    ).digits("k", 11)
    assert a.key("tennyu", 1) != other.key("tennyu", 1) and "abc" in a.key("tennyu", 1)


def test_a_stream_never_repeats_a_value_within_the_run() -> None:
    ns = RunNamespace("abc")
    one, same = ns.stream("s"), ns.stream("s")  # two sessions with the same salt draw the same stream
    values = [one.digits("juminhyo_code", 2) for _ in range(50)] + [
        same.digits("juminhyo_code", 2) for _ in range(50)
    ]
    assert len(set(values)) == 100  # 2-digit values: every one of the 100 exactly once


def test_a_target_that_holds_every_value_is_a_precondition_error_not_a_hang() -> None:
    from conformance.checks.failure import Precondition
    from conformance.namespace import MAX_DRAWS

    asked: list[str] = []

    def holds_everything(kind: str, value: str) -> bool:  # a search that ignores its filter
        asked.append(value)
        return True

    stream = RunNamespace("abc").stream("s", exists=holds_everything)
    with pytest.raises(Precondition, match="kojin_bango"):
        stream.number("kojin_bango", 11, lambda digits: 0)
    assert len(asked) == MAX_DRAWS
    # one value held, the next one free: the stream redraws once and goes on
    answers = iter([True, False])
    stream = RunNamespace("abc").stream("s", exists=lambda kind, value: next(answers))
    assert len(stream.digits("juminhyo_code", 11)) == 11


def test_invalid_namespace_is_one_clear_error() -> None:
    with pytest.raises(NamespaceError, match="invalid namespace"):
        check_namespace("Has Space")
    assert check_namespace("3f9a0c1e") == "3f9a0c1e"


def test_rerun_with_the_same_seed_gives_the_same_verdict(tmp_path) -> None:
    app = reference_target(tmp_path, operations=JUKI)
    first = run(app, tmp_path / "a", tests=JUKI_WRITES, seed=0, operations=JUKI)
    again = run(app, tmp_path / "b", tests=JUKI_WRITES, seed=0, operations=JUKI)
    assert first.report["run"]["namespace"] != again.report["run"]["namespace"]
    assert first.messages() == [] and again.messages() == [], again.messages()
    assert first.statuses == again.statuses
    assert validate(again.report) == []


def test_target_holding_another_seeds_residents(tmp_path) -> None:
    app = reference_target(tmp_path, operations=JUKI)
    run(app, tmp_path / "other", tests=JUKI_WRITES, seed=7, operations=JUKI)
    mine = run(app, tmp_path / "mine", tests=JUKI_WRITES, seed=0, operations=JUKI)
    assert mine.messages() == []


def _kojin_bangos(app) -> set[str]:
    from conformance.client import Client, Credentials
    from conformance.testing import AsgiTransport

    client = Client("http://testserver", AsgiTransport(app), Credentials(*CLIENT))
    doc = client.get("/juki/v1/residents", params={"limit": 500}).response.json()
    return {r["kojin_bango"] for r in doc["items"] if r.get("kojin_bango")}


def test_the_recorded_seed_and_namespace_reproduce_the_run(tmp_path) -> None:
    """What the report records (seed, namespace) is enough to send the same 個人番号 again."""
    tests = ["juki/test_commands.py"]
    app = reference_target(tmp_path / "first", operations=JUKI)
    first = run(app, tmp_path / "a", tests=tests, seed=0, operations=JUKI)
    recorded = RunNamespace(first.report["run"]["namespace"], seed=first.report["run"]["seed"])
    fresh = reference_target(tmp_path / "fresh", operations=JUKI)
    replay = run(fresh, tmp_path / "b", tests=tests, seed=0, operations=JUKI, namespace=recorded)
    assert first.messages() == [] and replay.messages() == []
    assert _kojin_bangos(app) == _kojin_bangos(fresh) != set()


def test_without_the_namespace_a_rerun_collides(tmp_path) -> None:
    """The teeth of the mechanism: with the namespace and discovery disabled (identifiers from the seed
    alone, as before they existed) the second run sends the first run's 個人番号 again and a correct
    target refuses them."""
    app = reference_target(tmp_path / "shared", operations=JUKI)
    tests = ["juki/test_commands.py"]

    def bare() -> RunNamespace:
        return RunNamespace(disabled=True, discovery=False)

    first = run(app, tmp_path / "a", tests=tests, seed=0, operations=JUKI, namespace=bare())
    assert first.messages() == []
    again = run(app, tmp_path / "b", tests=tests, seed=0, operations=JUKI, namespace=bare())
    assert any("JUKI_DUPLICATE" in m for m in again.messages()), again.messages()
    assert again.bad()


def test_discovery_alone_avoids_what_the_target_holds(tmp_path) -> None:
    """Data the namespace cannot know (the vendor's own, here a run's with the same seed and no
    namespace): the lookup through the 個人番号 / 住民票コード filters finds it and the stream redraws."""
    app = reference_target(tmp_path / "shared", operations=JUKI)
    tests = ["juki/test_commands.py"]
    run(
        app,
        tmp_path / "a",
        tests=tests,
        seed=0,
        operations=JUKI,
        namespace=RunNamespace(disabled=True, discovery=False),
    )
    again = run(
        app, tmp_path / "b", tests=tests, seed=0, operations=JUKI, namespace=RunNamespace(disabled=True)
    )
    assert again.messages() == []
