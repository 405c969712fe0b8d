"""Teeth of the fuhyo suite: each 附票 rule's test fails against a reference server broken in that rule
(an ASGI middleware built here, never a switch in the shipped server), and passes against the
unmodified server."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from faulty import Exchange, answer, map_strings, reference_app, rewrite_json, run
from teeth import accept_code, check_case, clean_fixture, params, rewrite_get

OPS = ("juki", "koseki", "fuhyo")
F = "fuhyo"
MAIN, DATA, STATE = (f"{F}/test_{m}.py" for m in ("fuhyo", "data", "stateful"))
ENTRIES, FUHYO = "/fuhyo/v1/entries", "/fuhyo/v1/fuhyo"


def rows_without(kisai_jiyu: str):
    """Entries read back without their address rows of one 記載事由 (the effect did not happen)."""

    def change(entry: dict) -> None:
        entry["jusho_rireki"] = [
            r for r in entry.get("jusho_rireki") or () if r.get("kisai_jiyu") != kisai_jiyu
        ]

    return rewrite_get(ENTRIES, change)


def effects_recoding(command: str, label: str) -> dict[str, Any]:
    """The server's fuhyo effect handlers with ``record_address`` recording another 記載事由 (the one
    labelled ``label``) on a juki ``command``: the server's own reading of the effect's code is wrong."""
    import dataclasses

    from reference_impl.operations import fuhyo
    from standards.loader import load_standards

    code = load_standards().operation("fuhyo").code_of("fuhyo_kisai_jiyu", label)
    right = fuhyo.EFFECTS["record_address"]

    def wrong(ectx: Any) -> None:
        if ectx.command.id == command:
            effect = dataclasses.replace(ectx.effect, sets={**ectx.effect.sets, "kisai_jiyu": code})
            ectx = dataclasses.replace(ectx, effect=effect)
        right(ectx)

    return {**fuhyo.EFFECTS, "record_address": wrong}


def _born_always(entry: dict) -> None:
    if entry.get("seinengappi") is None:
        entry["seinengappi"] = {"date": "1960-01-01"}


class FirstHonseki:
    """The 附票 keeps the 本籍 its register was made with (a 管内転籍 does not follow)."""

    def __init__(self) -> None:
        self.made: dict[str, str] = {}

    def after(self, ex: Exchange) -> None:
        doc, body = ex.response_json(), ex.json()
        if ex.path.endswith("/koseki/v1/commands/kika") and isinstance(doc, dict) and isinstance(body, dict):
            for entry in doc.get("affected") or ():
                if entry.get("resource") == "registers":
                    self.made.setdefault(entry["key"], body.get("honseki"))
        rewrite_get(
            FUHYO, lambda d: d.get("koseki_no") in self.made and d.update(honseki=self.made[d["koseki_no"]])
        )(ex)


def _tsuchi_ignored(ex: Exchange) -> None:
    if ex.path.endswith("/commands/jusho_tsuchi"):
        answer(
            ex,
            201,
            {
                "command": "jusho_tsuchi",
                "command_id": "c-fake",
                "applied_at": "2026-01-01T00:00:00+09:00",
                "affected": [],
            },
        )


def _domestic_as_abroad(ex: Exchange) -> None:
    if ex.path.endswith("/juki/v1/commands/tenshutsu_yotei"):
        rewrite_json(
            ex,
            lambda d: (
                {
                    **{k: v for k, v in d.items() if k != "tenshutsu_saki_jusho"},
                    "tenshutsu_kubun": "2",
                    "tenshutsu_saki_kokugai_jusho": "タイ王国",
                }
                if d.get("tenshutsu_kubun") == "1"
                else d
            ),
        )


def _strip_selectors(ex: Exchange) -> None:
    if ex.path.startswith("/fuhyo/"):
        rewrite_json(
            ex,
            lambda d: map_strings(
                d,
                lambda s: "".join(
                    c for c in unicodedata.normalize("NFKC", s) if not 0xE0100 <= ord(c) <= 0xE01EF
                ),
            ),
        )


def _rows_reversed(entry: dict) -> None:
    entry["jusho_rireki"] = list(reversed(entry.get("jusho_rireki") or []))


def _stated_dropped(entry: dict) -> None:
    for row in entry.get("jusho_rireki") or ():
        if isinstance(row.get("jusho_teijubi"), dict):
            row["jusho_teijubi"].pop("stated", None)


CASES: list[tuple[Any, ...]] = [  # (name, before, after, tests, requirement[, server faults])
    (
        "the 附票's 本籍 differs from the register's",
        None,
        rewrite_get(FUHYO, lambda d: d.update(honseki=(d.get("honseki") or "") + "地先")),
        [f"{MAIN}::test_made_with_its_register"],
        "FUHYO-001",
    ),
    (
        "a new entry without its 生年月日",
        None,
        rewrite_get(ENTRIES, lambda e: e.update(seinengappi=None)),
        [f"{MAIN}::test_made_with_its_register"],
        "FUHYO-018",
    ),
    (
        "a child's entry with an address",
        None,
        rewrite_get(
            ENTRIES,
            lambda e: (
                e.get("jusho_rireki") == []
                and e.update(
                    jusho_rireki=[
                        {
                            "jusho": {"todofuken": "13", "shikuchoson": "港区"},
                            "jusho_teijubi": {"date": "2020-01-01"},
                            "kisai_bi": "2020-01-01",
                            "kisai_jiyu": "1",
                        }
                    ]
                )
            ),
        ),
        [f"{MAIN}::test_made_with_its_register"],
        "FUHYO-023",
    ),
    (
        "an entry read with another name",
        None,
        rewrite_get(ENTRIES, lambda e: e.update(shimei=(e.get("shimei") or "") + "様")),
        [f"{MAIN}::test_made_with_its_register"],
        "FUHYO-002",
    ),
    (
        "性別 missing on a current entry",
        None,
        rewrite_get(ENTRIES, lambda e: e.update(seibetsu=None)),
        [f"{MAIN}::test_birth_and_sex_from_2022_01_11"],
        "FUHYO-003",
    ),
    (
        "生年月日 shown before 2022-01-11",
        None,
        rewrite_get(ENTRIES, _born_always),
        [f"{MAIN}::test_birth_and_sex_from_2022_01_11"],
        "FUHYO-004",
    ),
    (
        "住民票コード not recorded",
        None,
        rewrite_get(ENTRIES, lambda e: e.update(juminhyo_code=None)),
        [f"{MAIN}::test_tsuchi_adds_address_rows"],
        "FUHYO-005",
    ),
    (
        "住民票コード before 2024-05-27 accepted",
        None,
        accept_code("FUHYO_JUMINHYO_CODE_NOT_IN_FORCE"),
        [f"{MAIN}::test_tsuchi_refusals"],
        "FUHYO-006",
    ),
    (
        "rows out of order",
        None,
        rewrite_get(ENTRIES, _rows_reversed),
        [f"{MAIN}::test_tsuchi_adds_address_rows"],
        "FUHYO-007",
    ),
    ("通知 not recorded", _tsuchi_ignored, None, [f"{MAIN}::test_tsuchi_adds_address_rows"], "FUHYO-008"),
    (
        "both addresses accepted",
        None,
        accept_code("FUHYO_ADDRESS_REQUIRED"),
        [f"{MAIN}::test_tsuchi_refusals"],
        "FUHYO-009",
    ),
    (
        "通知 to a removed entry accepted",
        None,
        accept_code("FUHYO_ENTRY_REMOVED"),
        [f"{MAIN}::test_tsuchi_refusals"],
        "FUHYO-010",
    ),
    (
        "dates out of order accepted",
        None,
        accept_code("FUHYO_DATE_ORDER"),
        [f"{MAIN}::test_tsuchi_refusals"],
        "FUHYO-011",
    ),
    (
        "転入 not recorded",
        None,
        rows_without("1"),
        [f"{MAIN}::test_follows_the_resident_register"],
        "FUHYO-012",
    ),
    (
        "転入 recorded as a 転居",
        None,
        None,
        [f"{MAIN}::test_follows_the_resident_register"],
        "FUHYO-012",
        {"patches": {"reference_impl.operations.fuhyo.EFFECTS": effects_recoding("tennyu", "転居")}},
    ),
    (
        "転居 not recorded",
        None,
        rows_without("3"),
        [f"{MAIN}::test_follows_the_resident_register"],
        "FUHYO-013",
    ),
    (
        "出生 not recorded",
        None,
        rows_without("2"),
        [f"{MAIN}::test_follows_the_resident_register"],
        "FUHYO-014",
    ),
    (
        "国外転出 not recorded",
        None,
        rows_without("4"),
        [f"{MAIN}::test_follows_the_resident_register"],
        "FUHYO-015",
    ),
    (
        "a 国内転出 recorded as abroad",
        _domestic_as_abroad,
        None,
        [f"{MAIN}::test_follows_the_resident_register"],
        "FUHYO-016",
    ),
    ("移記 missing", None, rows_without("6"), [f"{MAIN}::test_follows_the_register"], "FUHYO-019"),
    (
        "death removed with another reason",
        None,
        rewrite_get(ENTRIES, lambda e: e.get("shojo_jiyu") == "1" and e.update(shojo_jiyu="6")),
        [f"{MAIN}::test_follows_the_register"],
        "FUHYO-020",
    ),
    (
        "a closed register's 附票 stays current",
        None,
        rewrite_get(FUHYO, lambda d: d.update(fuhyo_jotai="1", shojo_bi=None)),
        [f"{MAIN}::test_follows_the_register"],
        "FUHYO-021",
    ),
    (
        "管内転籍 not followed",
        None,
        FirstHonseki().after,
        [f"{MAIN}::test_follows_the_register"],
        "FUHYO-022",
    ),
    ("addresses normalised", _strip_selectors, None, [f"{MAIN}::test_tsuchi_adds_address_rows"], "FUHYO-024"),
    (
        "as_of ignored",
        lambda ex: ex.query.pop("as_of", None),
        None,
        [f"{MAIN}::test_as_of_and_updated_since"],
        "FUHYO-025",
    ),
    (
        "unknown entry answered 409",
        None,
        lambda ex: (
            (ex.response_json() or {}).get("code") == "FUHYO_ENTRY_NOT_FOUND"
            and answer(
                ex,
                409,
                {"type": "about:blank", "title": "x", "status": 409, "code": "FUHYO_ENTRY_REMOVED"},
                b"application/problem+json",
            )
        ),
        [f"{MAIN}::test_tsuchi_refusals"],
        "FUHYO-029",
    ),
    (
        "non-calendar settling date not kept",
        None,
        rewrite_get(ENTRIES, _stated_dropped),
        [f"{MAIN}::test_tsuchi_adds_address_rows"],
        "FUHYO-030",
    ),
    (
        "a state machine step: 通知 not recorded",
        _tsuchi_ignored,
        None,
        [f"{STATE}::test_sequences_keep_the_supplement"],
        "FUHYO-008",
    ),
]

clean = clean_fixture(CASES, OPS)


@pytest.mark.parametrize("case", params(CASES))
def test_fuhyo_rule_fails_on_faulty_variant(case, clean, tmp_path) -> None:
    """The fault makes its requirement fail; the unmodified server passes it."""
    check_case(case, clean, tmp_path, OPS)


def test_juki_effects_not_run_without_juki(tmp_path) -> None:
    """Against a target serving koseki and fuhyo but not juki, the test of the juki effects is not run (its
    requirements stay not verified rather than failed) while the other fuhyo tests run."""
    ops = ("koseki", "fuhyo")
    result = run(
        reference_app(tmp_path, ops),
        [f"{MAIN}::test_follows_the_resident_register", f"{MAIN}::test_made_with_its_register"],
        tmp_path / "out",
        operations=ops,
    )
    ran = [t["name"] for t in result.report["tests"]]
    assert ran == ["test_made_with_its_register"], ran
    assert result.statuses["FUHYO-012"] == "not_verified" and result.statuses["FUHYO-001"] == "passed"
