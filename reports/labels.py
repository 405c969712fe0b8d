"""Bilingual labels (Japanese first, English beside) of the report's fixed vocabulary."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

#: requirement status -> (ja, en)
STATUS = {
    "failed": ("不合格", "Failed"),
    "error": ("エラー", "Error"),
    "not_verified": ("未検証", "Not verified"),
    "not_run": ("未実施", "Not run"),
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


#: what each requirement status means, for the legend on the page -> (ja, en)
STATUS_MEANING = {
    "passed": (
        "この要件の試験がすべて実行され、すべて合格した。",
        "Every test of the requirement ran and passed.",
    ),
    "failed": (
        "試験の少なくとも1つで、この要件の検査が不合格となった（システムが要件に反する応答をした）。",
        "The check of this requirement failed in at least one test (the system answered against it).",
    ),
    "error": (
        "試験の準備ができず、要件を確かめられなかった（システムの不合格ではない）。",
        "A test could not be set up, so the requirement could not be checked (not a failure).",
    ),
    "not_verified": (
        "試験が実行されなかった、スキップされた、または別の要件の不合格で検証前に止まった。合格とはみなさない。",
        "Its tests were skipped, did not run, or stopped at another requirement's failure before "
        "verifying it. Never counted as passed.",
    ),
    "not_run": (
        "システムは申告しているが、この実行では選択されなかった（一部のみの実行）。",
        "Claimed by the system but not selected in this run (a partial run).",
    ),
    "not_claimed": (
        "システムがこの業務・オプションを実装すると申告していない。",
        "The system does not claim this operation or option.",
    ),
    "not_testable": (
        "APIでは試験できない要件（画面の様式など）。理由を記載。",
        "Cannot be tested through the API (screen layouts and the like); the reason is given.",
    ),
}

#: the verdict rule, as the page states it -> (ja, en)
VERDICT_RULE = (
    "適合：申告した業務のすべての実装必須要件が「合格」または「API試験対象外」であること。"
    "「未検証」「エラー」が1つでもあれば適合とはしない。"
    "一部の業務・要件のみの実行（未実施あり）では適合とはしない。簡易（quick）はスモークテストであり認定ではない。",
    "Conformant: every must requirement of every claimed operation is passed or not testable. "
    "A single not verified or error requirement means not conformant. "
    "A run of some operations or requirements only (未実施 / not run) never makes a system conformant; "
    "a quick run is a smoke test, not a certification.",
)

#: 元号 for 和暦 display, newest first: (name, English name, first day converted, Gregorian year of 元年).
#: The same table as standards/common/eras.yaml (reports imports nothing of standards; a project test
#: keeps the two equal).
ERAS = (
    ("令和", "Reiwa", date(2019, 5, 1), 2019),
    ("平成", "Heisei", date(1989, 1, 8), 1989),
    ("昭和", "Showa", date(1926, 12, 25), 1926),
    ("大正", "Taisho", date(1912, 7, 30), 1912),
    ("明治", "Meiji", date(1873, 1, 1), 1868),
)

JST = timezone(timedelta(hours=9), "JST")


def wareki(day: date) -> str:
    """``令和8年11月26日`` (元年 for year 1); the ISO date itself before 1873 (no era converted)."""
    for name, _, start, first_year in ERAS:
        if day >= start:
            year = day.year - first_year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return day.isoformat()


def wareki_datetime(timestamp: object) -> tuple[str, str]:
    """``(和暦, 西暦)`` of an ISO timestamp in Japan time: ``("令和8年11月26日 10:00", "2026-11-26 10:00 JST")``.

    Text that is not a timestamp comes back as it is (twice), so a foreign report still renders.
    """
    try:
        moment = datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
    except ValueError:
        return str(timestamp or "—"), str(timestamp or "—")
    if moment.tzinfo is not None:
        moment = moment.astimezone(JST)
    clock = moment.strftime("%H:%M")
    zone = " JST" if moment.tzinfo is not None else ""
    return f"{wareki(moment.date())} {clock}", f"{moment.date().isoformat()} {clock}{zone}"


def both(table: dict, key: object) -> str:
    """``"ja / en"`` for ``key`` in one of the tables above; the key itself when unknown."""
    pair = table.get(key)
    return f"{pair[0]} / {pair[1]}" if pair else str(key)
