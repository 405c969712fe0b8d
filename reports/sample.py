"""A realistic sample report, to look at the renderers and try the commands without running the suite.

``python -m reports.sample --out DIR [--sign-key PEM]`` writes the sample's report.json, report.html,
junit.xml and summary.md. The content is invented (no real vendor) but shaped like a real run:
three operations, about fifty requirements, a few failures with curl lines and evidence.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from reports.digest import seal
from reports.status import finalise

# operation -> (prefix, name ja, name en, specification title, edition, ministry, base path)
OPERATIONS = {
    "juki": (
        "JUKI",
        "住民基本台帳",
        "Basic Resident Register",
        "住民記録システム標準仕様書",
        "第4.0版",
        "総務省",
        "/juki/v1",
    ),
    "inkan": (
        "INKAN",
        "印鑑登録",
        "Seal registration",
        "印鑑登録システム標準仕様書",
        "第3.0版",
        "総務省",
        "/inkan/v1",
    ),
    "senkyo": (
        "SENKYO",
        "選挙人名簿管理",
        "Electoral register",
        "選挙人名簿管理システム標準仕様書",
        "第3.0版",
        "総務省",
        "/senkyo/v1",
    ),
}

# (operation, level, ja, en, not_tested_reason)
TOPICS = [
    (
        "juki",
        "must",
        "転入届により住民票を記載できること。",
        "A move-in notification creates a resident record.",
        None,
    ),
    (
        "juki",
        "must",
        "転出届により住民票を消除できること。",
        "A move-out notification removes the record.",
        None,
    ),
    (
        "juki",
        "must",
        "転居届により住所を変更できること。",
        "A change of address within the municipality.",
        None,
    ),
    ("juki", "must", "出生届により住民票を記載できること。", "A birth creates a resident record.", None),
    ("juki", "must", "死亡届により住民票を消除できること。", "A death removes the resident record.", None),
    ("juki", "must", "世帯変更届により世帯を変更できること。", "A household change moves a resident.", None),
    (
        "juki",
        "must",
        "個人番号の検査用数字を検証すること。",
        "The check digit of a My Number is verified.",
        None,
    ),
    (
        "juki",
        "must",
        "氏名を行政事務標準文字でそのまま保持すること。",
        "Names in standard characters are kept code point for code point.",
        None,
    ),
    (
        "juki",
        "must",
        "フリガナは全角カタカナで保持すること。",
        "Furigana is kept in full-width katakana.",
        None,
    ),
    ("juki", "must", "異動履歴を照会できること。", "The history of changes can be read.", None),
    (
        "juki",
        "must",
        "指定日時点の住民の状態を照会できること。",
        "The state of a resident on a date can be read.",
        None,
    ),
    (
        "juki",
        "must",
        "更新日時以降に変更された住民を抽出できること。",
        "Residents changed since an instant can be extracted.",
        None,
    ),
    ("juki", "must", "不詳を含む生年月日を保持できること。", "Partially unknown birth dates are kept.", None),
    (
        "juki",
        "must",
        "住民票の写しの画面レイアウトは標準様式によること。",
        "The layout of the certificate follows the standard form.",
        "画面・帳票の様式は API から確認できない",
    ),
    (
        "juki",
        "must",
        "存在しない世帯への転入を拒否すること。",
        "A move-in to an unknown household is refused.",
        None,
    ),
    (
        "juki",
        "must",
        "消除された住民への異動を拒否すること。",
        "Changes to a removed resident are refused.",
        None,
    ),
    ("juki", "option", "旧氏を記載できること。", "A former surname can be recorded.", None),
    ("juki", "option", "通称を記載できること。", "An alias can be recorded.", None),
    (
        "juki",
        "option",
        "外国人住民の在留カード番号を保持できること。",
        "The residence card number of a foreign resident is kept.",
        None,
    ),
    ("inkan", "must", "住民の印鑑を登録できること。", "A resident's seal can be registered.", None),
    (
        "inkan",
        "must",
        "15歳未満の者の登録を拒否すること。",
        "Registration of a person under 15 is refused.",
        None,
    ),
    ("inkan", "must", "一人につき一つの印鑑のみ登録できること。", "One registered seal per person.", None),
    ("inkan", "must", "印鑑登録を廃止できること。", "A registration can be cancelled.", None),
    ("inkan", "must", "住民の死亡により印鑑登録を抹消すること。", "A death ends the registration.", None),
    ("inkan", "must", "住民の転出により印鑑登録を抹消すること。", "A move-out ends the registration.", None),
    (
        "inkan",
        "must",
        "印鑑登録証明書の交付履歴を照会できること。",
        "The issue history of certificates can be read.",
        None,
    ),
    (
        "inkan",
        "must",
        "印影の画像を登録できること。",
        "The seal impression image can be stored.",
        "印影の画質は API から判定できない",
    ),
    ("inkan", "must", "登録番号を一意に付番すること。", "Registration numbers are unique.", None),
    (
        "inkan",
        "must",
        "氏名変更を印鑑登録に反映すること。",
        "A change of name reaches the registration.",
        None,
    ),
    (
        "inkan",
        "option",
        "照合用の印影を一時保管できること。",
        "An impression can be held for comparison.",
        None,
    ),
    ("inkan", "option", "登録の予約受付ができること。", "Registrations can be booked in advance.", None),
    (
        "senkyo",
        "must",
        "18歳以上の日本国民を登録すること。",
        "Japanese nationals aged 18 or over are registered.",
        None,
    ),
    (
        "senkyo",
        "must",
        "住所を有する期間が3か月以上の者を登録すること。",
        "Residents of three months or more are registered.",
        None,
    ),
    ("senkyo", "must", "転出者を表示すること。", "People who moved out are marked.", None),
    ("senkyo", "must", "死亡者を抹消すること。", "The dead are removed.", None),
    (
        "senkyo",
        "must",
        "投票区ごとに名簿を抽出できること。",
        "The register can be extracted by polling district.",
        None,
    ),
    (
        "senkyo",
        "must",
        "基準日時点の名簿を照会できること。",
        "The register on a reference date can be read.",
        None,
    ),
    (
        "senkyo",
        "must",
        "抄本の様式は標準様式によること。",
        "Extracts follow the standard form.",
        "帳票の様式は API から確認できない",
    ),
    ("senkyo", "must", "在外選挙人名簿を管理できること。", "The overseas electoral register is kept.", None),
    (
        "senkyo",
        "option",
        "期日前投票の受付状況を記録できること。",
        "Early-voting receipts are recorded.",
        None,
    ),
]


#: requirement -> the kind of failure (index into the kinds of _failure) its first test shows
FAILING = {"JUKI-007": 0, "JUKI-008": 1, "JUKI-009": 2, "INKAN-002": 3}
#: requirements whose first test errors
ERRORED = {"JUKI-012"}


def _failure(rng: random.Random, op: str, base: str, rid: str, kind: int) -> dict[str, Any]:
    """A failure shaped like the suite's: a negative-data check that the target accepted."""
    kinds = [
        (
            "invalid_check_digit_rejected",
            "検査数字の誤った個人番号が受理された",
            "A wrong check digit was accepted",
            {"kojin_bango": "123456789010"},
            201,
            422,
            "KOJIN_BANGO_CHECK_DIGIT",
        ),
        (
            "text_round_trips_exactly",
            "氏名が書き換えられて返された",
            "The name came back altered",
            {"shimei": "\U00020bb7野 髙橋 葛\U000e0100城"},
            200,
            200,
            None,
        ),
        (
            "over_length_rejected",
            "上限を超える長さの項目が受理された",
            "An over-length item was accepted",
            {"furigana": "ア" * 101},
            201,
            422,
            "MAX_LENGTH",
        ),
        (
            "business_rule_enforced",
            "15歳未満の者の登録が受理された",
            "A registration under 15 was accepted",
            {"seinengappi": "2015-04-01", "ido_bi": "2026-11-26"},
            201,
            422,
            "INKAN_UNDER_AGE",
        ),
    ]
    check, title_ja, title_en, example, got, expected, code = kinds[kind]
    url = f"https://vendor-test.example.jp{base}/commands/{'tennyu' if op == 'juki' else 'touroku'}"
    body = json.dumps(example, ensure_ascii=False)
    wanted = f"{expected} {code}" if code else "the same text"
    return {
        "check": check,
        "title": {"ja": title_ja, "en": title_en},
        "message": f"POST {url.split('.jp', 1)[1]} answered {got}, expected {wanted}",
        "severity": rng.choice(["high", "critical", "medium"]),
        "minimal_example": example,
        "reproduction": {
            "curl": f"curl -sS -X POST '{url}' -H 'Authorization: Bearer [REDACTED]' "
            f"-H 'Content-Type: application/json' -H 'Idempotency-Key: kikan-{rid.lower()}' "
            f"--data-raw '{body}'",
            "seed": 20261126,
        },
        "evidence": [
            {
                "request": {
                    "method": "POST",
                    "url": url,
                    "headers": {"Authorization": "Bearer [REDACTED]", "Content-Type": "application/json"},
                    "body": body,
                },
                "response": {
                    "status": got,
                    "headers": {"Content-Type": "text/html; charset=utf-8"},
                    "body": "<html><body><script>alert('vendor page')</script>登録しました</body></html>",
                },
            }
        ],
    }


def build_sample_report(*, seed: int = 20261126) -> dict[str, Any]:
    """A realistic, finalised (statuses and summary computed) but unsealed sample report."""
    rng = random.Random(seed)
    requirements, tests = [], []
    numbers: dict[str, int] = {}
    claimed_options = {"juki": [], "inkan": [], "senkyo": []}
    for op, level, ja, en, reason in TOPICS:
        prefix, *_, base = OPERATIONS[op]
        numbers[op] = numbers.get(op, 0) + 1
        rid = f"{prefix}-{numbers[op]:03d}"
        if level == "option" and rng.random() < 0.6:
            claimed_options[op].append(rid)
        bound = []
        for n in range(0 if reason else rng.choice([1, 1, 2, 3])):
            test_id = f"conformance/suites/{op}/test_{rid.lower().replace('-', '_')}.py::test_case_{n + 1}"
            outcome = "passed"
            if n == 0 and rid in FAILING:
                outcome = "failed"
            elif n == 0 and rid in ERRORED:
                outcome = "error"
            elif n > 0 and rng.random() < 0.08:
                outcome = "skipped"
            test = {
                "id": test_id,
                "name": f"test_case_{n + 1}",
                "operation": op,
                "requirements": [rid],
                "outcome": outcome,
                "duration_s": round(rng.uniform(0.02, 2.5), 3),
            }
            if outcome == "failed":
                test["failure"] = _failure(rng, op, base, rid, FAILING[rid])
            elif outcome == "error":
                test["failure"] = {
                    "check": None,
                    "title": {"ja": "試験の実行中に例外が発生した", "en": "The test raised an exception"},
                    "message": "requests.exceptions.ReadTimeout: read timed out after 30 s "
                    "(GET /juki/v1/residents?updated_since=2026-11-26T10:00:00%2B09:00)",
                    "severity": "medium",
                    "reproduction": {"curl": None, "seed": seed},
                }
            elif outcome == "skipped":
                test["skip_reason"] = "依存する業務が未申告 / a dependency is not claimed"
            tests.append(test)
            bound.append(test_id)
        requirements.append(
            {
                "id": rid,
                "operation": op,
                "level": level,
                "kind": "function",
                "text": {"ja": ja, "en": en},
                "source": f"{OPERATIONS[op][3]} {OPERATIONS[op][4]} {rng.randint(1, 9)}.{rng.randint(1, 12)}",
                "status": "not_verified",
                "tests": bound,
                "not_tested_reason": reason,
            }
        )
    report = {
        "report_version": "1.0",
        "generated_at": "2026-11-26T10:05:12+09:00",
        "suite": {"name": "kikan-conformance", "version": "0.1.0"},
        "target": {
            "url": "https://vendor-test.example.jp",
            "system": {
                "name": "みらい住民情報システム",
                "vendor": "サンプル情報株式会社",
                "version": "5.2.1",
            },
            "environment": "test",
            "embedded_reference": False,
        },
        "claims": [
            {"operation": op, "standard_version": "1.0.0", "options": claimed_options[op]}
            for op in ("juki", "inkan")
        ],
        "run": {
            "seed": seed,
            "profile": "standard",
            "started_at": "2026-11-26T10:00:03+09:00",
            "finished_at": "2026-11-26T10:05:11+09:00",
            "duration_s": 308.4,
            "command": f"kikan run --target https://vendor-test.example.jp --profile standard --seed {seed}",
        },
        "standards": [
            {
                "id": op,
                "version": "1.0.0",
                "name": {"ja": v[1], "en": v[2]},
                "specification": {"title": v[3], "edition": v[4], "ministry": v[5]},
            }
            for op, v in OPERATIONS.items()
        ],
        "requirements": requirements,
        "tests": tests,
        "summary": {},
    }
    return finalise(report)


def main(argv: list[str] | None = None) -> int:
    """Write the sample report's outputs into ``--out`` (sealed, and signed with ``--sign-key``)."""
    from reports.render import write_all

    parser = argparse.ArgumentParser(prog="python -m reports.sample", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("sample-report"))
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--sign-key", type=Path, help="Ed25519 private key (PEM) to sign with")
    args = parser.parse_args(argv)
    key = args.sign_key.read_bytes() if args.sign_key else None
    for name, path in write_all(seal(build_sample_report(seed=args.seed), key), args.out).items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
