"""Cross-operation effects: life events (birth, marriage, moves, death) across 住民基本台帳, 戸籍, 戸籍の附票,
印鑑登録 and 選挙人名簿管理, run only when the target claims every operation a test involves.

- ``residents.py``: :class:`LinkedJuki`, juki commands whose effects reach the other operations' oracles;
- ``test_scenarios.py``: fixed, readable life-event scenarios (their steps are in each docstring);
- ``test_stateful.py``: a Hypothesis state machine of life events with invariants across operations.
"""
