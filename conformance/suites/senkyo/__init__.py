"""選挙人名簿管理 (senkyo) suite: tests bound to the SENKYO-xxx requirements, run against the target's senkyo API.

Residents are made through the target's juki API (senkyo depends on juki), so every module needs juki
claimed too.

- ``oracle.py``: the suite's own model (eligibility on a 基準日, runs, 表示 and 抹消, juki effects);
- ``support.py``: :class:`SenkyoSession` (people on chosen dates, oracle-checked runs, comparisons);
- ``test_registration.py``: 定時登録 (基準日, ages, 3 months, foreign residents, re-runs, moved-out people);
- ``test_election.py``: 選挙時登録 (基準日 the day before the call, age on election day);
- ``test_removal.py``: 表示 on moving out, 抹消 after 4 months, on death and one by one;
- ``test_effects.py``: 転居, 職権修正 and 転入 in the resident register;
- ``test_reads.py``: filters, as_of, updated_since, exact text;
- ``test_stateful.py``: a Hypothesis state machine over senkyo and juki commands;
- ``bodies.py``: valid senkyo bodies for the generic checks.
"""
