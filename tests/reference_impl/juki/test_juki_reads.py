"""The juki reader serves what the other operations declare they read (reads.yaml), and no other item."""

from __future__ import annotations

import dataclasses

from reference_impl.operations.juki.reads import served_items
from standards.loader import load_standards


def test_the_reader_serves_the_declared_items_the_keys_and_nothing_else() -> None:
    served = served_items(load_standards())
    assert {"jumin_jotai", "seinengappi", "seinen_hikoukennin", "setai_no", "atena_no"} <= served["resident"]
    assert {"kojin_bango", "juminhyo_code", "zairyu_card_no"}.isdisjoint(served["resident"])
    assert served["household"] >= {"setai_no", "members"}
    assert {"atena_no", "rireki_no", "command", "ido_bi"} <= served["ido_rireki"]


def test_an_item_no_reading_declares_is_not_served() -> None:
    standards = load_standards()
    inkan = standards.operation("inkan")
    without_age = tuple(
        dataclasses.replace(r, items=tuple(i for i in r.items if i != "seinen_hikoukennin"))
        for r in inkan.reads
    )
    ops = tuple(
        dataclasses.replace(op, reads=without_age) if op.id == "inkan" else op for op in standards.operations
    )
    served = served_items(dataclasses.replace(standards, operations=ops))
    assert "seinen_hikoukennin" not in served["resident"]  # senkyo does not read it either
    assert "seinen_hikoukennin" in served_items(standards)["resident"]
