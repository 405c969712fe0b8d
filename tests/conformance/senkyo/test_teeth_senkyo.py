"""Teeth of the senkyo suite: each 選挙人名簿管理 rule has a faulty variant of the reference server (an ASGI
middleware built here, never a switch in the shipped server) that the suite reports as that requirement
failed, and the unmodified server passes the same tests."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from faulty import Exchange, Fault, answer, map_strings, reference_app, rewrite_json, run
from teeth import accept_code, check_case, clean_fixture, judged_a_day_early, one_day_off, params, rewrite_get

from reference_impl.operations.senkyo.support import add_months
from standards.common.dates import age_on

OPS = ("juki", "senkyo")
SERVER = "reference_impl.operations.senkyo"  # the server's rules modules, for the boundary faults
REG, ELEC, REM, EFF, READS, STATE = (
    f"senkyo/test_{m}.py" for m in ("registration", "election", "removal", "effects", "reads", "stateful")
)
P = "/senkyo/v1"


#: an entry on the register, as the document describes one (the faults' made-up entries)
ENTRY = {
    "shimei": "山田\u3000太郎",
    "seinengappi": {"date": "1980-01-01"},
    "seibetsu": "1",
    "jusho": {"todofuken": "13", "shikuchoson": "千代田区", "machiaza": "千代田", "banchi": "1番"},
    "meibo_jotai": "1",
    "toroku_bi": "2026-01-01",
    "toroku_kubun": "1",
    "shori_no": "x",
    "updated_at": "2026-01-01T00:00:00+09:00",
}


def phantom_entry(ex: Exchange) -> None:
    """Someone the register does not hold is shown registered (registering people who are not eligible)."""
    if ex.method == "GET" and ex.path.startswith(f"{P}/electors/") and ex.status == 404:
        answer(ex, 200, {**ENTRY, "atena_no": ex.path.rsplit("/", 1)[-1]})


def hidden_entry(ex: Exchange) -> None:
    """Registered people are missing (eligible people not registered)."""
    if ex.method == "GET" and ex.path.startswith(f"{P}/electors/") and ex.status == 200:
        answer(
            ex,
            404,
            {"type": "about:blank", "title": "x", "status": 404, "code": "NOT_FOUND"},
            b"application/problem+json",
        )


def _when(field: str, value: str, **shown):
    def change(item: dict) -> None:
        if item.get(field) == value:
            item.update(shown)

    return rewrite_get(f"{P}/electors", change)


class ForeignListed:
    """A foreign resident of the resident register appears on the electoral register."""

    def __init__(self) -> None:
        self.foreign: list[str] = []

    def after(self, ex: Exchange) -> None:
        doc, sent = ex.response_json(), ex.json()
        if (
            ex.path == "/juki/v1/commands/tennyu"
            and isinstance(sent, dict)
            and sent.get("jumin_shubetsu") == "2"
        ):
            self.foreign += [
                a["key"] for a in (doc or {}).get("affected", []) if a.get("resource") == "residents"
            ]
        if self.foreign and ex.method == "GET" and ex.path == f"{P}/electors" and isinstance(doc, dict):
            # a whole entry, as the document describes one (a malformed item would fail API-021 instead)
            entry = {**ENTRY, "atena_no": self.foreign[-1]}
            doc.setdefault("items", []).append(entry)
            ex.response_body = json.dumps(doc, ensure_ascii=False).encode()


class ReRegistered:
    """Every entry shows the latest run as the one that registered it (registered again on every run)."""

    def __init__(self) -> None:
        self.latest: str | None = None

    def after(self, ex: Exchange) -> None:
        doc = ex.response_json()
        if ex.method == "POST" and ex.path.endswith("_toroku") and isinstance(doc, dict):
            runs = [a["key"] for a in doc.get("affected", []) if a.get("resource") == "runs"]
            self.latest = runs[0] if runs else self.latest
        elif self.latest:
            rewrite_get(
                f"{P}/electors",
                lambda item: item.update(shori_no=self.latest) if item.get("meibo_jotai") == "1" else None,
            )(ex)


class DeathNotFollowed:
    """A 死亡 in the resident register leaves the person's entry registered (the effect is not applied;
    a single removal for death, a command of the register itself, still is)."""

    def __init__(self) -> None:
        self.dead: set[str] = set()
        self.show = rewrite_get(f"{P}/electors", self.registered)

    def registered(self, item: dict) -> None:
        if item.get("atena_no") in self.dead and item.get("massho_jiyu") == "1":
            item.update(meibo_jotai="1", massho_bi=None, massho_jiyu=None)

    def after(self, ex: Exchange) -> None:
        sent = ex.json()
        if ex.path == "/juki/v1/commands/shibou" and ex.status in (200, 201) and isinstance(sent, dict):
            self.dead.add(str(sent.get("atena_no")))
        self.show(ex)


def toroku_bi_moved_up(ex: Exchange) -> None:
    if ex.path == f"{P}/commands/teiji_toroku":
        rewrite_json(
            ex,
            lambda d: (
                {**d, "toroku_bi": d["kijun_bi"]} if str(d.get("toroku_bi")) < str(d.get("kijun_bi")) else d
            ),
        )


def removal_a_day_early(ex: Exchange) -> None:
    if ex.path == f"{P}/commands/massho_shori":
        rewrite_json(
            ex,
            lambda d: (
                {**d, "shori_bi": (dt.date.fromisoformat(d["shori_bi"]) + dt.timedelta(days=1)).isoformat()}
                if dt.date.fromisoformat(d["shori_bi"]) < dt.date.today()
                else d
            ),
        )


def nationality_as_wrongful(ex: Exchange) -> None:
    if ex.path == f"{P}/commands/massho":
        rewrite_json(ex, lambda d: {**d, "massho_jiyu": "4"} if d.get("massho_jiyu") == "2" else d)


def shori_no_filter_ignored(ex: Exchange) -> None:
    if ex.path == f"{P}/electors":
        ex.query.pop("shori_no", None)


def election_name_normalised(ex: Exchange) -> None:
    if ex.path == f"{P}/commands/senkyoji_toroku":
        rewrite_json(ex, lambda d: map_strings(d, lambda s: unicodedata.normalize("NFC", s)))


def _faults():
    foreign, again = ForeignListed(), ReRegistered()
    return [
        (
            "runs list nobody added",
            None,
            rewrite_get(f"{P}/runs", lambda r: r.update(toroku_sha=[])),
            [f"{REG}::test_teiji_registers_the_eligible"],
            "SENKYO-001",
        ),
        (
            "a 基準日 on the 2nd accepted",
            None,
            accept_code("SENKYO_NOT_A_TEIJI_KIJUN_BI"),
            [f"{REG}::test_reference_and_registration_dates"],
            "SENKYO-002",
        ),
        (
            "登録日 before the 基準日 accepted",
            toroku_bi_moved_up,
            None,
            [f"{REG}::test_reference_and_registration_dates"],
            "SENKYO-003",
        ),
        (
            "a foreign resident on the register",
            None,
            foreign.after,
            [f"{REG}::test_no_foreign_resident_on_the_register"],
            "SENKYO-004",
        ),
        (
            "an under-age or short-stay person registered",
            None,
            phantom_entry,
            [f"{REG}::test_teiji_registers_the_eligible"],
            "SENKYO-005",
        ),
        (
            "18-year-olds registered before 2016-06-19",
            None,
            phantom_entry,
            [f"{REG}::test_age_twenty_before_2016_06_19"],
            "SENKYO-006",
        ),
        (
            "the 3-month edge not registered",
            None,
            hidden_entry,
            [f"{REG}::test_teiji_registers_the_eligible"],
            "SENKYO-007",
        ),
        (
            "a dead or long-gone person registered",
            None,
            phantom_entry,
            [f"{REG}::test_moved_out_registered_and_marked"],
            "SENKYO-008",
        ),
        (
            "a recent mover registered unmarked",
            None,
            _when("meibo_jotai", "2", meibo_jotai="1", hyoji_bi=None, hyoji_jiyu=None),
            [f"{REG}::test_moved_out_registered_and_marked"],
            "SENKYO-009",
        ),
        (
            "registered again on every run",
            None,
            again.after,
            [f"{REG}::test_teiji_registers_the_eligible"],
            "SENKYO-010",
        ),
        (
            "選挙時登録 dated the call",
            None,
            _when("toroku_kubun", "2", toroku_bi="2000-01-01"),
            [f"{ELEC}::test_election_registration"],
            "SENKYO-011",
        ),
        (
            "age on election day ignored",
            None,
            hidden_entry,
            [f"{ELEC}::test_election_registration"],
            "SENKYO-012",
        ),
        (
            "residence judged on election day",
            None,
            phantom_entry,
            [f"{ELEC}::test_election_registration"],
            "SENKYO-013",
        ),
        (
            "election dates out of order accepted",
            None,
            accept_code("SENKYO_DATE_ORDER"),
            [f"{ELEC}::test_election_dates_in_order"],
            "SENKYO-014",
        ),
        (
            "a second run changes entries",
            None,
            again.after,
            [f"{REG}::test_teiji_registers_the_eligible"],
            "SENKYO-015",
        ),
        (
            "転出 not marked",
            None,
            _when("meibo_jotai", "2", meibo_jotai="1", hyoji_bi=None, hyoji_jiyu=None),
            [f"{REM}::test_marked_then_removed_after_four_months"],
            "SENKYO-016",
        ),
        (
            "4 months passed, not removed",
            None,
            _when("massho_jiyu", "3", meibo_jotai="2", massho_bi=None, massho_jiyu=None),
            [f"{REM}::test_marked_then_removed_after_four_months"],
            "SENKYO-017",
        ),
        (
            "removed on the last day of the 4 months",
            removal_a_day_early,
            None,
            [f"{REM}::test_marked_then_removed_after_four_months"],
            "SENKYO-018",
        ),
        (
            "death does not remove",
            None,
            _when("massho_jiyu", "1", meibo_jotai="1", massho_bi=None, massho_jiyu=None),
            [f"{REM}::test_death_removes_at_once"],
            "SENKYO-019",
        ),
        (
            "loss of nationality recorded as wrongful",
            nationality_as_wrongful,
            None,
            [f"{REM}::test_single_removals"],
            "SENKYO-020",
        ),
        (
            "a removed entry removed again",
            None,
            accept_code("SENKYO_ALREADY_REMOVED"),
            [f"{REM}::test_single_removals"],
            "SENKYO-021",
        ),
        (
            "a single removal for the 4 months",
            None,
            accept_code("SENKYO_MASSHO_JIYU_NOT_ALLOWED"),
            [f"{REM}::test_single_removals"],
            "SENKYO-022",
        ),
        (
            "転居 not followed",
            None,
            rewrite_get(
                f"{P}/electors", lambda e: e.update(jusho={**(e.get("jusho") or {}), "banchi": "旧番地"})
            ),
            [f"{EFF}::test_moves_and_corrections_follow"],
            "SENKYO-023",
        ),
        (
            "職権修正 not followed",
            None,
            # the 性別 before the correction (a code of the list: another value would fail API-021)
            rewrite_get(
                f"{P}/electors",
                lambda e: e.update(seibetsu={"1": "2", "2": "1"}.get(e.get("seibetsu"), e.get("seibetsu"))),
            ),
            [f"{EFF}::test_moves_and_corrections_follow"],
            "SENKYO-024",
        ),
        (
            "shori_no filter ignored",
            shori_no_filter_ignored,
            None,
            [f"{READS}::test_filters_as_of_updated_since_and_text"],
            "SENKYO-025",
        ),
        (
            "election name normalised",
            election_name_normalised,
            None,
            [f"{ELEC}::test_election_registration"],
            "SENKYO-026",
        ),
        (
            "runs without their 基準日",
            None,
            rewrite_get(f"{P}/runs", lambda r: r.update(kijun_bi=None)),
            [f"{ELEC}::test_election_registration"],
            "SENKYO-027",
        ),
        (
            "a move-in registers at once",
            None,
            phantom_entry,
            [f"{EFF}::test_move_in_alone_registers_no_one"],
            "SENKYO-028",
        ),
        # boundary faults: the server's own threshold or date arithmetic off by one
        (
            "voting age 17 (one year short)",
            None,
            None,
            [f"{REG}::test_teiji_registers_the_eligible"],
            "SENKYO-005",
            {"rule_values": {("senkyo", "senkyo_min_age"): 17}},
        ),
        (
            "18 reached on the birthday (a day late)",
            None,
            None,
            [f"{REG}::test_teiji_registers_the_eligible"],
            "SENKYO-005",
            {"patches": {f"{SERVER}.support.age_on": judged_a_day_early(age_on)}},
        ),
        (
            "3 months of residence one day short",
            None,
            None,
            [f"{REG}::test_teiji_registers_the_eligible"],
            "SENKYO-007",
            {"patches": {f"{SERVER}.support.add_months": one_day_off(add_months, when=lambda d, n: n < 0)}},
        ),
        (
            "kept on the register a day past the 4 months",
            None,
            None,
            [f"{REG}::test_moved_out_registered_and_marked"],
            "SENKYO-009",
            {"patches": {f"{SERVER}.support.add_months": one_day_off(add_months, when=lambda d, n: n > 0)}},
        ),
        (
            "removal run a day after the 4 months",
            None,
            None,
            [f"{REM}::test_marked_then_removed_after_four_months"],
            "SENKYO-017",
            {"patches": {SERVER + ".add_months": one_day_off(add_months, when=lambda d, n: n > 0)}},
        ),
    ]


CASES = _faults()
clean = clean_fixture(CASES, OPS)


@pytest.mark.parametrize("case", params(CASES))
def test_senkyo_rule_fails_on_faulty_variant(case, clean, tmp_path) -> None:
    """The fault makes its requirement fail; the unmodified server passes it."""
    check_case(case, clean, tmp_path, OPS)


@pytest.mark.slow  # Hypothesis shrinks the failing sequence
def test_state_machine_catches_a_missing_effect(tmp_path) -> None:
    """The state machine passes on the unmodified server and fails when a death leaves the entry registered."""
    tests = [f"{STATE}::test_command_sequences_keep_invariants"]
    for name in ("clean", "faulty"):
        (tmp_path / name).mkdir()
    clean = run(reference_app(tmp_path / "clean", OPS), tests, tmp_path / "clean-out", operations=OPS)
    assert clean.statuses["SENKYO-019"] == "passed", clean.failures("SENKYO-019")
    faulty = run(
        Fault(reference_app(tmp_path / "faulty", OPS), None, DeathNotFollowed().after),
        tests,
        tmp_path / "out",
        operations=OPS,
        seed=0,  # a seed whose quick run reaches the effect (a juki death of an elector); deterministic
    )
    assert faulty.statuses["SENKYO-019"] == "failed"
