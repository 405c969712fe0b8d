"""The Hypothesis strategies: valid ones pass the standard's validators, invalid ones fail them."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import conformance.strategies as s
from standards.common import address, dates, identifiers, text
from standards.common.wareki import format_partial_date
from standards.model import DomainType, Label, Operation, Specification, Standards
from standards.validation import iter_problems

FAST = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
IVS_LO, IVS_HI = 0xE0100, 0xE01EF
TYPES_FILE = Path(identifiers.__file__).with_name("types.yaml")

VALID = [
    (s.kojin_bangos(), identifiers.validate_kojin_bango),
    (s.houjin_bangos(), identifiers.validate_houjin_bango),
    (s.local_government_houjin_bangos(), identifiers.validate_houjin_bango),
    (s.lg_codes(), identifiers.validate_lg_code),
    (s.lg_codes(prefectures=(1, 47)), identifiers.validate_lg_code),
    (s.juminhyo_codes(), identifiers.validate_juminhyo_code),
    (s.atena_nos(), identifiers.validate_atena_no),
    (s.setai_nos(), identifiers.validate_setai_no),
    (s.iso_dates(), dates.validate_iso_date),
    (s.partial_dates(), dates.validate_partial_date),
    (s.timestamps(), dates.validate_timestamp),
    (s.timestamps(offsets=("+09:00", "-05:30", "+00:00")), dates.validate_timestamp),
    (s.shimeis(), text.validate_shimei),
    (s.shimeis(outside_bmp=False, ivs=False), text.validate_shimei),
    (s.furiganas(), text.validate_furigana),
    (s.alphabet_names(), text.validate_alphabet_name),
    (s.postal_codes(), address.validate_postal_code),
    (s.addresses(), address.validate_address),
    (s.yens(), address.validate_yen),
]


def _param_id(value: object) -> str:
    """A test id that is the same in every process (sets are sorted: pytest-xdist compares ids)."""
    if isinstance(value, (set, frozenset)):
        return "|".join(sorted(value))
    return getattr(value, "__name__", repr(value)[:40])


INVALID = [
    (s.invalid_kojin_bangos(), identifiers.validate_kojin_bango, {"KOJIN_BANGO_CHECK_DIGIT"}),
    (s.invalid_houjin_bangos(), identifiers.validate_houjin_bango, {"HOUJIN_BANGO_CHECK_DIGIT"}),
    (s.invalid_lg_codes(), identifiers.validate_lg_code, {"LG_CODE_CHECK_DIGIT", "LG_CODE_PREFECTURE"}),
    (s.invalid_digit_strings(length=12), identifiers.validate_atena_no, {"ATENA_NO_FORMAT"}),
    (s.invalid_digit_strings(length=11), identifiers.validate_juminhyo_code, {"JUMINHYO_CODE_FORMAT"}),
    (s.impossible_dates(), dates.validate_iso_date, {"NOT_A_DATE"}),
    (
        s.invalid_timestamps(),
        dates.validate_timestamp,
        {"TIMESTAMP_FORMAT", "TIMESTAMP_OFFSET_REQUIRED", "NOT_A_TIMESTAMP"},
    ),
    (
        s.invalid_shimeis(),
        text.validate_shimei,
        {"SHIMEI_CHARACTER", "SHIMEI_CONTROL_CHARACTER", "SHIMEI_LONE_SELECTOR"},
    ),
    (s.invalid_furiganas(), text.validate_furigana, {"FURIGANA_CHARACTER", "FURIGANA_CONTROL_CHARACTER"}),
    (s.invalid_postal_codes(), address.validate_postal_code, {"POSTAL_CODE_FORMAT"}),
]


@pytest.mark.parametrize(("strategy", "validator"), VALID, ids=_param_id)
def test_valid_strategies_pass(strategy, validator) -> None:
    @FAST
    @given(strategy)
    def check(value) -> None:
        assert validator(value) == [], value

    check()


@pytest.mark.parametrize(("strategy", "validator", "expected"), INVALID, ids=_param_id)
def test_invalid_strategies_fail_with_their_codes(strategy, validator, expected: set[str]) -> None:
    @FAST
    @given(strategy)
    def check(value) -> None:
        problems = validator(value)
        assert problems and {p.code for p in problems} <= expected, (value, problems)

    check()


def has_supplementary(name: str) -> bool:
    return any(ord(c) > 0xFFFF and not IVS_LO <= ord(c) <= IVS_HI for c in name)


def has_ivs(name: str) -> bool:
    return any(IVS_LO <= ord(c) <= IVS_HI for c in name)


def sample(strategy: st.SearchStrategy, n: int) -> list:
    """``n`` examples, the same on every run (no shrinking, unlike ``find``)."""
    seen: list = []

    @settings(max_examples=n, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value) -> None:
        seen.append(value)

    collect()
    return seen


def test_shimeis_mix_supplementary_ideographs_and_ivs() -> None:
    names = sample(s.shimeis(), 100)
    assert any(has_supplementary(n) and has_ivs(n) and any(ord(c) < 0x10000 for c in n) for n in names)
    plain = sample(s.shimeis(outside_bmp=False, ivs=False), 100)
    assert not any(has_supplementary(n) or has_ivs(n) for n in plain)


@FAST
@given(s.shimeis(min_size=2, max_size=4))
def test_shimei_sizes_count_characters(name: str) -> None:
    assert 2 <= text.char_length(name) <= 4


PARTIAL_DATE_PATTERNS = {
    "年月日不詳": lambda v: v.get("unknown") == "all",
    "season": lambda v: v.get("period") in ("spring", "summer", "autumn", "winter"),
    "中旬頃": lambda v: v.get("period") == "mid" and v.get("qualifier") == "about",
    "推定 day": lambda v: v.get("qualifier") == "estimated" and "unknown" not in v,
    "year range": lambda v: "range_end" in v and v.get("unknown") == "month_day",
    "2月29日": lambda v: v.get("stated", "").endswith("-02-29"),
    "explicit null": lambda v: "qualifier" in v and v["qualifier"] is None,
}


def test_partial_dates_reach_every_pattern() -> None:
    values = sample(s.partial_dates(), 300)
    missing = [name for name, hit in PARTIAL_DATE_PATTERNS.items() if not any(hit(v) for v in values)]
    assert not missing
    assert all(dates.validate_partial_date(v) == [] for v in values)


@FAST
@given(s.timestamps())
def test_timestamps_are_jst_by_default(value: str) -> None:
    assert value.endswith("+09:00") and datetime.fromisoformat(value).utcoffset().total_seconds() == 9 * 3600


@FAST
@given(s.iso_dates(min_value=date(2019, 4, 30), max_value=date(2019, 5, 1)))
def test_iso_dates_respect_bounds(value: str) -> None:
    assert value in ("2019-04-30", "2019-05-01")


@FAST
@given(s.addresses(with_lg_code=True))
def test_addresses_have_a_matching_lg_code(value: dict) -> None:
    assert value["lg_code"][:2] == value["todofuken"]


def test_invalid_kojin_bangos_are_one_digit_away_from_valid() -> None:
    @FAST
    @given(s.invalid_kojin_bangos())
    def check(value: str) -> None:
        neighbours = [
            value[:i] + d + value[i + 1 :] for i in range(12) for d in "0123456789" if d != value[i]
        ]
        assert any(identifiers.validate_kojin_bango(n) == [] for n in neighbours)

    check()


@pytest.mark.parametrize(
    "make",
    [
        lambda: s.shimeis(min_size=0),
        lambda: s.shimeis(min_size=3, max_size=2),
        lambda: s.furiganas(max_size=-1),
        lambda: s.iso_dates(min_value=date(2000, 1, 2), max_value=date(2000, 1, 1)),
        lambda: s.iso_dates(min_value="2000-01-01"),
        lambda: s.iso_dates(max_value=datetime(2000, 1, 1)),
        lambda: s.partial_dates(min_value=date(2000, 1, 1), max_value=date(2000, 6, 1)),
        lambda: s.impossible_dates(min_year=2000, max_year=1999),
        lambda: s.timestamps(offsets=("0900",)),
        lambda: s.timestamps(offsets=()),
        lambda: s.lg_codes(prefectures=(48,)),
        lambda: s.lg_codes(prefectures=()),
        lambda: s.yens(min_value=-1),
        lambda: s.yens(min_value=5, max_value=4),
        lambda: s.invalid_digit_strings(length=0),
        lambda: s.addresses(with_lg_code="yes"),
    ],
)
def test_arguments_are_checked_eagerly(make) -> None:
    with pytest.raises(InvalidArgument):
        make()


def test_strategies_are_lazy_searchstrategies() -> None:
    assert all(isinstance(strategy, st.SearchStrategy) for strategy, _ in VALID)


def common_standards() -> Standards:
    """Standards holding just the common types, read straight from types.yaml."""
    raw = yaml.safe_load(TYPES_FILE.read_text(encoding="utf-8"))["types"]
    types = tuple(
        DomainType(
            id=t["id"],
            label=Label(**t["label"]),
            schema=t["schema"],
            validator=t.get("validator"),
            error_codes=tuple(t.get("error_codes", ())),
        )
        for t in raw
    )
    api = Operation(
        id="api", name=Label("共通", "Common"), version="1.0.0", specification=Specification(title="-")
    )
    return Standards(types=types, codelists=(), api=api, operations=())


COMMON = common_standards()
SCHEMA_CODES = {
    "TYPE",
    "PATTERN",
    "MIN_LENGTH",
    "REQUIRED",
    "UNKNOWN_ITEM",
    "CODE_NOT_IN_LIST",
    "OUT_OF_RANGE",
}


def test_every_common_type_has_strategies() -> None:
    assert set(s.BY_TYPE) == {t.id for t in COMMON.types}
    with pytest.raises(KeyError):
        s.for_type("no_such_type")


@pytest.mark.parametrize("type_id", sorted(s.BY_TYPE))
def test_by_type_strategies_agree_with_the_wire_schema(type_id: str) -> None:
    domain_type = COMMON.type(type_id)
    schema = dict(domain_type.schema)

    @FAST
    @given(s.for_type(type_id), s.for_type(type_id, valid=False))
    def check(good, bad) -> None:
        assert iter_problems(schema, good, COMMON) == [], good
        problems = iter_problems(schema, bad, COMMON)
        assert problems, bad
        assert {p.code for p in problems} <= set(domain_type.error_codes) | SCHEMA_CODES, (bad, problems)

    check()


@FAST
@given(s.partial_dates(min_value=date(1873, 1, 1)), st.sampled_from(["wareki", "seireki"]))
def test_every_generated_partial_date_can_be_displayed(value: dict, calendar: str) -> None:
    text = format_partial_date(value, calendar=calendar)
    assert text and "None" not in text


@FAST
@given(s.partial_dates(min_value=date(2000, 3, 1), max_value=date(2001, 6, 1)))
def test_partial_dates_respect_bounds(value: dict) -> None:
    assert "2000-01-01" <= value["date"] <= "2001-06-01"  # 月日不詳 holds the 1st of January
    assert dates.validate_partial_date(value) == []


@FAST
@given(s.shimeis(), st.booleans())
def test_generated_names_round_trip_through_json_untouched(name: str, ensure_ascii: bool) -> None:
    back = json.loads(json.dumps({"shimei": name}, ensure_ascii=ensure_ascii))["shimei"]
    assert [ord(c) for c in back] == [ord(c) for c in name]
    assert text.validate_shimei(back) == [] and text.char_length(back) == text.char_length(name)
