"""Many invented vendors' sample reports, to try ``kikan report compare`` and ``kikan report site``.

``python -m reports.fleet --out DIR [--count N] [--history K]`` writes ``DIR/<n>.json``: N vendors
(up to ten) and, for the first vendor, K earlier runs of the same system (the last with a
regression). Derived from :func:`reports.sample.build_sample_report` with outcomes varied per
vendor; deterministic for a given count and history. No real vendor is named.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
from pathlib import Path
from typing import Any

from reports.digest import seal
from reports.sample import build_sample_report
from reports.status import finalise

#: (vendor, system): invented, long and short names, two systems sharing one name
VENDORS = (
    ("サンプル情報株式会社", "みらい住民情報システム"),
    ("株式会社みなと電算", "住民情報システム"),
    ("北星システムズ株式会社", "HOKUSEI-GovCloud 基幹業務パッケージ"),
    ("株式会社さくらソリューション", "住民情報システム"),
    ("東海データサービス株式会社", "TOKAI 標準準拠 住記・印鑑・選挙"),
    ("株式会社くすのき情報", "くすのき基幹"),
    ("九州行政システム株式会社", "Q-Gyosei"),
    ("株式会社ひかりテック", "ひかり自治体クラウド"),
    ("瀬戸内コンピュータ株式会社", "SETOUCHI-LG"),
    ("株式会社あおば計算センター", "あおば住民記録"),
)


def _failure(rid: str) -> dict[str, Any]:
    return {
        "check": "business_rule_holds",
        "title": {"ja": "業務規則に反する応答", "en": "The answer breaks a business rule"},
        "message": f"{rid}: the answer differs from the rule of the standard",
        "message_ja": f"{rid}: 標準の規則と異なる応答が返された",
        "severity": "high",
        "reproduction": {"curl": f"curl -sS 'https://vendor-test.example.jp/' # {rid}", "seed": 1},
    }


def vary(report: dict[str, Any], rng: random.Random, *, fail: float, fix: float) -> dict[str, Any]:
    """A copy of ``report`` with passed tests failing at rate ``fail`` and failed ones passing at ``fix``."""
    result = copy.deepcopy(report)
    result.pop("digest", None)
    result.pop("signature", None)
    for test in result["tests"]:
        if test["outcome"] == "passed" and rng.random() < fail:
            test["outcome"], test["failure"] = "failed", _failure(test["requirements"][0])
        elif test["outcome"] == "failed" and rng.random() < fix:
            test["outcome"] = "passed"
            test.pop("failure", None)
    return finalise(result)


def _dated(report: dict[str, Any], day: str, run: int) -> None:
    report["generated_at"] = f"{day}T10:05:00+09:00"
    report["run"]["started_at"] = f"{day}T10:00:00+09:00"
    report["run"]["finished_at"] = f"{day}T10:05:00+09:00"
    report["run"]["seed"] = 1000 + run


def build_fleet(count: int = 4, *, history: int = 0) -> list[dict[str, Any]]:
    """``count`` vendors' reports, then ``history`` earlier runs of the first vendor's system.

    Every report is finalised and sealed (unsigned). The first vendor's runs are dated a month
    apart; its latest run fails a requirement its previous run passed (a regression).
    """
    if not 1 <= count <= len(VENDORS):
        raise ValueError(f"count must be 1 to {len(VENDORS)}, not {count}")
    base = build_sample_report()
    reports = []
    for index in range(count):
        vendor, system = VENDORS[index]
        rng = random.Random(index)
        report = vary(base, rng, fail=0.04 * (index % 4), fix=0.5) if index else copy.deepcopy(base)
        report["target"]["system"] = {
            "name": system,
            "vendor": vendor,
            "version": f"{index + 1}.{index % 3}.0",
        }
        report["target"]["url"] = f"https://test{index + 1}.vendor.example.jp"
        if index % 3 == 2:  # some vendors were tested against a newer version of one standard
            for standard in report["standards"]:
                if standard["id"] == "inkan":
                    standard["version"] = "1.1.0"
            for claim in report["claims"]:
                if claim["operation"] == "inkan":
                    claim["standard_version"] = "1.1.0"
        _dated(report, f"2026-11-{10 + index:02d}", index)
        reports.append(seal(finalise(report)))
    first = reports[0]
    for step in range(history):
        earlier = vary(first, random.Random(100 + step), fail=0.0, fix=1.0)
        month = 10 - (history - 1 - step)
        _dated(earlier, f"2026-{month:02d}-01", 100 + step)
        reports.append(seal(earlier))
    if history:
        _regress(reports[0])
    return reports


def _regress(report: dict[str, Any]) -> None:
    """Make the first passed must requirement of ``report`` fail (a regression against earlier runs)."""
    passed = next(r for r in report["requirements"] if r["status"] == "passed" and r["level"] == "must")
    test = next(t for t in report["tests"] if t["id"] in passed["tests"])
    test["outcome"], test["failure"] = "failed", _failure(passed["id"])
    report.update(seal(finalise(report)))


def main(argv: list[str] | None = None) -> int:
    """Write the fleet's reports as ``DIR/1.json`` … into ``--out``."""
    parser = argparse.ArgumentParser(prog="python -m reports.fleet", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("sample-fleet"))
    parser.add_argument("--count", type=int, default=4)
    parser.add_argument("--history", type=int, default=0)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for number, report in enumerate(build_fleet(args.count, history=args.history), start=1):
        path = args.out / f"{number}.json"
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
