"""The 軽自動車税 codes the suite's oracle and tests compare with, read from the standard by their
Japanese labels (a code's value is written nowhere in the suite)."""

from __future__ import annotations

from conformance.oracles.codes import labelled

code = labelled("keijidosha")

REGISTERED = code("keiji_toroku_jotai", "登録中")
DEREGISTERED = code("keiji_toroku_jotai", "廃車済")
ASSESSED = code("keiji_kazei_jotai", "課税")
CANCELLED = code("keiji_kazei_jotai", "取消")
NEW_STANDARD_MOPED = code("keiji_sharyo_kubun", "新基準原付")


def klass(label: str) -> str:
    """The 車両区分 of ``label`` (軽四輪乗用自家用 …)."""
    return code("keiji_sharyo_kubun", label)


def fuel(label: str) -> str:
    """The 燃料の種類 of ``label`` (ガソリン, 電気 …)."""
    return code("keiji_nenryo", label)


def tier(label: str) -> str:
    """The グリーン化特例 区分 of ``label`` (概ね75％軽減 …)."""
    return code("keiji_keika_kubun", label)


def rate(label: str) -> str:
    """The 税率区分 of ``label`` (旧税率, 重課 …)."""
    return code("keiji_zeiritsu_kubun", label)


def reason(label: str) -> str:
    """The 廃車の事由 of ``label`` (廃車, 譲渡 …)."""
    return code("keiji_haisha_jiyu", label)
