"""The 住民基本台帳 codes the suite's oracles and tests compare with, read from the standard by their
Japanese labels (a code's value is written nowhere in the suite)."""

from __future__ import annotations

from standards.loader import load_standards

_STANDARDS = load_standards()
_JUKI = _STANDARDS.operation("juki")


def code(codelist: str, label_ja: str) -> str:
    """The juki (or common) code labelled ``label_ja``."""
    return _STANDARDS.code_of(codelist, label_ja, _JUKI)


ACTIVE = code("jumin_jotai", "住民")
DECEASED = code("jumin_jotai", "死亡")
JAPANESE = code("jumin_shubetsu", "日本人")
FOREIGN = code("jumin_shubetsu", "外国人")
PLANNED = code("tenshutsu_jotai", "予定")
DOMESTIC_OUT = code("tenshutsu_kubun", "国内転出")
ABROAD_OUT = code("tenshutsu_kubun", "国外転出")
ABROAD_IN = code("tennyu_kubun", "国外転入")
