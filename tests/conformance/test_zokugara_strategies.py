"""The 続柄 strategies: valid chains pass the standard's validator, invalid ones fail it with its codes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import InvalidArgument

import conformance.strategies as s
from standards.common.zokugara import SEPARATOR, validate_zokugara, zokugara_codelist

FAST = settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
CODELIST = zokugara_codelist()
LIMIT = CODELIST.max_chain or 0
CHAIN = {c.code for c in CODELIST.codes if c.chain}
ALONE = {c.code for c in CODELIST.codes if not c.chain}
CODES = {"ZOKUGARA_TERM", "ZOKUGARA_STANDALONE", "ZOKUGARA_TOO_DEEP"}


@FAST
@given(s.zokugaras())
def test_valid_relationships_pass(value: str) -> None:
    parts = value.split(SEPARATOR)
    assert validate_zokugara(value) == []
    assert 1 <= len(parts) <= LIMIT
    assert len(parts) == 1 or set(parts) <= CHAIN


@FAST
@given(s.zokugaras(min_terms=LIMIT))
def test_chains_reach_the_limit(value: str) -> None:
    assert len(value.split(SEPARATOR)) == LIMIT and validate_zokugara(value) == []


@FAST
@given(s.invalid_zokugaras())
def test_invalid_relationships_fail(value: str) -> None:
    problems = validate_zokugara(value)
    assert problems and {p.code for p in problems} <= CODES, (value, problems)


@FAST
@given(s.unlisted_zokugara_terms())
def test_unlisted_terms_are_not_terms(value: str) -> None:
    assert value not in CHAIN | ALONE
    assert [p.code for p in validate_zokugara(value)] == ["ZOKUGARA_TERM"]


def test_every_kind_of_defect_is_generated() -> None:
    seen: set[str] = set()

    @settings(max_examples=300, suppress_health_check=list(HealthCheck), database=None)
    @given(s.invalid_zokugaras())
    def collect(value: str) -> None:
        seen.update(p.code for p in validate_zokugara(value))

    collect()
    assert seen == CODES


@pytest.mark.parametrize(
    "kwargs",
    [{"min_terms": 0}, {"max_terms": LIMIT + 1}, {"min_terms": 3, "max_terms": 2}, {"min_terms": "2"}],
)
def test_bad_arguments_are_refused_eagerly(kwargs: dict) -> None:
    with pytest.raises(InvalidArgument):
        s.zokugaras(**kwargs)
