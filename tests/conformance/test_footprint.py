"""The footprint of a refused request: what it names, read from the standard's keys and filters."""

from __future__ import annotations

from conformance.checks.footprint import Footprint, _Read, _selectors
from standards.loader import load_standards


def _subjects(op_id: str, body: dict) -> set[_Read]:
    standards = load_standards()
    op = standards.operation(op_id)
    fp = object.__new__(Footprint)
    resources = {r.id: r for r in op.api.resources if r.parent is None}
    fp._keys, fp._filters = _selectors(standards, op, resources)
    return set(fp._subjects(body))


def test_a_tennyu_is_read_by_its_identifiers_not_by_its_codes() -> None:
    reads = _subjects(
        "juki",
        {
            "setai_no": "S1",
            "shimei": "佐藤　花子",
            "zokugara": "02",
            "seibetsu": "2",
            "kojin_bango": "123456789018",
            "juminhyo_code": "12345678901",
            "jusho": {"jusho_code": "X"},
        },
    )
    assert _Read("households", key="S1") in reads
    assert _Read("residents", param="kojin_bango", value="123456789018") in reads
    assert _Read("residents", param="juminhyo_code", value="12345678901") in reads
    assert _Read("residents", param="setai_no", value="S1") in reads
    params = {r.param for r in reads}
    assert not params & {"zokugara", "seibetsu", "jumin_jotai"}  # code lists select a crowd
    assert "shimei" not in params  # an identifier was found: no free-text query besides


def test_a_name_ending_in_a_key_names_that_item() -> None:
    reads = _subjects(
        "juki", {"setai_no": "S1", "gappei_saki_setai_no": "S2", "zokugara_list": [{"atena_no": "A9"}]}
    )
    assert {
        _Read("households", key="S1"),
        _Read("households", key="S2"),
        _Read("residents", key="A9"),
    } <= reads


def test_without_an_identifier_the_most_selective_other_filter_is_read() -> None:
    reads = _subjects(
        "koseki", {"honseki": "東京都千代田区千代田1番", "shimei": "山田　一郎", "seibetsu": "1"}
    )
    assert _Read("registers", param="honseki", value="東京都千代田区千代田1番") in reads
    assert _Read("members", param="shimei", value="山田　一郎") in reads
    assert not any(r.param == "hittousha" for r in reads)  # one textual filter per collection
