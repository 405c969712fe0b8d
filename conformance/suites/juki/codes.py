"""The 住民基本台帳 codes the suite's oracles and tests compare with, read from the standard by their
Japanese labels (a code's value is written nowhere in the suite)."""

from __future__ import annotations

from conformance.oracles.codes import labelled

code = labelled("juki")


ACTIVE = code("jumin_jotai", "住民")
DECEASED = code("jumin_jotai", "死亡")
JAPANESE = code("jumin_shubetsu", "日本人")
FOREIGN = code("jumin_shubetsu", "外国人")
PLANNED = code("tenshutsu_jotai", "予定")
DOMESTIC_OUT = code("tenshutsu_kubun", "国内転出")
ABROAD_OUT = code("tenshutsu_kubun", "国外転出")
ABROAD_IN = code("tennyu_kubun", "国外転入")
