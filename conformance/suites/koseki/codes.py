"""The 戸籍 codes the suite's oracles and tests compare with, read from the standard by their Japanese
labels (a code's value is written nowhere in the suite)."""

from __future__ import annotations

from conformance.oracles.codes import labelled

code = labelled("koseki")


ENROLLED = code("zaiseki_jotai", "在籍")  # an entry still in its register
STRUCK = code("zaiseki_jotai", "除籍")
OPEN = code("koseki_jotai", "現在戸籍")
CLOSED = code("koseki_jotai", "除籍")
HUSBANDS_NAME = code("kon_in_uji", "夫の氏")
BACK_TO_FORMER = code("rikon_fukuseki", "婚姻前の戸籍に復籍")
NEW_REGISTER = code("rikon_fukuseki", "新戸籍を編製")
MALE = code("seibetsu", "男")
WITHIN = code("tenseki_kubun", "管内転籍")
ELSEWHERE = code("tenseki_kubun", "管外転籍")
