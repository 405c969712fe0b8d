"""Teeth of the cross-operation suite: a reference server broken in one cross-operation effect (an ASGI
middleware built here, never a switch in the shipped server) fails the life-event scenario that relies on it,
reported as the effect's requirement failed; the unmodified server passes the same scenarios."""

from __future__ import annotations

import pytest
from faulty import Exchange, Fault, reference_app, run
from teeth import check_case, clean_fixture, params, rewrite_get

OPS = ("juki", "koseki", "fuhyo", "inkan", "senkyo")
SCEN, STATE = "crossop/test_scenarios.py", "crossop/test_stateful.py"


def _codes():
    from standards.loader import load_standards

    standards = load_standards()

    def code(op: str, codelist: str, label: str) -> str:
        return next(
            c.code for c in standards.codelist(codelist, standards.operation(op)).codes if c.label.ja == label
        )

    return {
        "転居": code("fuhyo", "fuhyo_kisai_jiyu", "転居"),
        "出生": code("fuhyo", "fuhyo_kisai_jiyu", "出生"),
        "移記": code("fuhyo", "fuhyo_kisai_jiyu", "入籍による移記"),
        "消除": code("fuhyo", "fuhyo_kisai_jotai", "消除"),
        "記載中": code("fuhyo", "fuhyo_kisai_jotai", "記載中"),
        "死亡": code("fuhyo", "fuhyo_shojo_jiyu", "死亡"),
        "inkan死亡": code("inkan", "inkan_haishi_jiyu", "死亡"),
        "表示": code("senkyo", "meibo_jotai", "表示"),
        "登録": code("senkyo", "meibo_jotai", "登録"),
        "senkyo死亡": code("senkyo", "massho_jiyu", "死亡"),
    }


C = _codes()


def _drop_rows(jiyu: str):
    def change(entry: dict) -> None:
        rows = entry.get("jusho_rireki")
        if isinstance(rows, list):
            entry["jusho_rireki"] = [r for r in rows if r.get("kisai_jiyu") != jiyu]

    return rewrite_get("/fuhyo/v1/entries", change)


def _not_removed_on_death(entry: dict) -> None:
    if entry.get("kisai_jotai") == C["消除"] and entry.get("shojo_jiyu") == C["死亡"]:
        entry.update(kisai_jotai=C["記載中"], shojo_jiyu=None, shojo_bi=None)


def _seal_outlives_holder(reg: dict) -> None:
    if reg.get("haishi_jiyu") == C["inkan死亡"]:
        reg.update(toroku_jotai="1", haishi_bi=None, haishi_jiyu=None)


def _not_marked(entry: dict) -> None:
    if entry.get("meibo_jotai") == C["表示"]:
        entry.update(meibo_jotai=C["登録"], hyoji_bi=None, hyoji_jiyu=None)


def _dead_elector(entry: dict) -> None:
    if entry.get("massho_jiyu") == C["senkyo死亡"]:
        entry.update(meibo_jotai=C["登録"], massho_bi=None, massho_jiyu=None)


class JukiDeathRemovesEntry:
    """The 附票 entry of a resident whose death the 住民基本台帳 recorded reads as removed (死亡) before the
    戸籍 records it: the juki death is taken for the koseki one."""

    def __init__(self) -> None:
        self.dead: set[str] = set()

    def after(self, ex: Exchange) -> None:
        if ex.method == "POST" and ex.path == "/juki/v1/commands/shibou" and ex.status < 300:
            self.dead.add(str((ex.json() or {}).get("atena_no")))
        elif ex.method == "GET" and ex.path.startswith("/fuhyo/v1/entries"):
            rewrite_get("/fuhyo/v1/entries", self._removed)(ex)

    def _removed(self, entry: dict) -> None:
        if entry.get("atena_no") in self.dead and entry.get("kisai_jotai") == C["記載中"]:
            entry.update(kisai_jotai=C["消除"], shojo_jiyu=C["死亡"], shojo_bi="2000-01-01")


CASES = [
    ("附票 misses the child's address", None, _drop_rows(C["出生"]), [f"{SCEN}::test_birth"], "FUHYO-014"),
    ("附票 misses the 転居", None, _drop_rows(C["転居"]), [f"{SCEN}::test_moves"], "FUHYO-013"),
    (
        "転出 not marked on the electoral register",
        None,
        rewrite_get("/senkyo/v1/electors", _not_marked),
        [f"{SCEN}::test_moves"],
        "SENKYO-016",
    ),
    (
        "a dead holder's seal stays registered",
        None,
        rewrite_get("/inkan/v1/registrations", _seal_outlives_holder),
        [f"{SCEN}::test_death"],
        "INKAN-023",
    ),
    (
        "a dead person stays an elector",
        None,
        rewrite_get("/senkyo/v1/electors", _dead_elector),
        [f"{SCEN}::test_death"],
        "SENKYO-019",
    ),
    (
        "附票 entry kept after the 戸籍 death",
        None,
        rewrite_get("/fuhyo/v1/entries", _not_removed_on_death),
        [f"{SCEN}::test_death"],
        "FUHYO-020",
    ),
    (
        "a juki death removes the 附票 entry",
        None,
        JukiDeathRemovesEntry().after,
        [f"{SCEN}::test_death"],
        "FUHYO-017",
    ),
    (
        "marriage carries no address over",
        None,
        _drop_rows(C["移記"]),
        [f"{SCEN}::test_marriage"],
        "FUHYO-019",
    ),
]


clean = clean_fixture(CASES, OPS)


@pytest.mark.parametrize("case", params(CASES))
def test_crossop_effect_fails_on_faulty_variant(case, clean, tmp_path) -> None:
    """The fault makes its requirement fail in the scenario; the unmodified server passes it."""
    check_case(case, clean, tmp_path, OPS)


def test_scenarios_skipped_without_every_operation(tmp_path) -> None:
    """A target that does not claim every operation a scenario involves gets no scenario (deselected, not failed)."""
    ops = ("juki", "inkan")
    result = run(reference_app(tmp_path, ops), [SCEN], tmp_path / "out", operations=ops)
    assert not [t for t in result.report["tests"] if "crossop" in t["id"]]


@pytest.mark.slow  # Hypothesis shrinks the failing sequence
def test_state_machine_catches_a_dead_elector(tmp_path) -> None:
    """The life-event state machine passes on the unmodified server and fails when the dead stay electors."""
    for name in ("clean", "faulty"):
        (tmp_path / name).mkdir()
    clean = run(reference_app(tmp_path / "clean", OPS), [STATE], tmp_path / "clean-out", operations=OPS)
    assert clean.statuses["SENKYO-019"] == "passed", clean.failures("SENKYO-019")
    faulty = run(
        Fault(
            reference_app(tmp_path / "faulty", OPS), None, rewrite_get("/senkyo/v1/electors", _dead_elector)
        ),
        [STATE],
        tmp_path / "out",
        operations=OPS,
    )
    assert faulty.statuses["SENKYO-019"] == "failed"
