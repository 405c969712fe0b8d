"""Bilingual labels (Japanese first, English beside) of the report's fixed vocabulary."""

from __future__ import annotations

#: requirement status -> (ja, en)
STATUS = {
    "failed": ("不合格", "Failed"),
    "error": ("エラー", "Error"),
    "not_verified": ("未検証", "Not verified"),
    "passed": ("合格", "Passed"),
    "not_claimed": ("対象外（未申告）", "Not claimed"),
    "not_testable": ("API試験対象外", "Not testable"),
    "absent": ("記載なし", "Absent"),
}

#: test outcome -> (ja, en)
OUTCOME = {
    "passed": ("合格", "Passed"),
    "failed": ("不合格", "Failed"),
    "error": ("エラー", "Error"),
    "skipped": ("スキップ", "Skipped"),
}

#: requirement level -> (ja, en)
LEVEL = {
    "must": ("実装必須", "Must"),
    "option": ("標準オプション", "Option"),
}

#: requirement kind -> (ja, en)
KIND = {
    "function": ("機能", "Function"),
    "prohibition": ("実装しない機能", "Prohibition"),
}

VERDICT = {
    True: ("適合", "Conformant"),
    False: ("不適合", "Not conformant"),
}

ENVIRONMENT = {
    "test": ("試験環境", "Test"),
    "production": ("本番環境", "Production"),
}

PROFILE = {
    "quick": ("簡易", "Quick"),
    "standard": ("標準", "Standard"),
    "certify": ("認定", "Certify"),
}

SEVERITY = {
    "critical": ("致命的", "Critical"),
    "high": ("高", "High"),
    "medium": ("中", "Medium"),
    "low": ("低", "Low"),
}


def both(table: dict, key: object) -> str:
    """``"ja / en"`` for ``key`` in one of the tables above; the key itself when unknown."""
    pair = table.get(key)
    return f"{pair[0]} / {pair[1]}" if pair else str(key)
