"""住民基本台帳 (juki) suite: tests bound to the JUKI-xxx requirements, run against the target's juki API.

- ``support.py``: :class:`JukiSession` (bodies from the run's seed, requests, comparison with the oracle);
- ``test_commands.py``: every command's happy path against the oracle (:mod:`conformance.suites.juki.oracle`);
- ``test_negative.py``: invalid items (check digit, impossible dates, codes, length, フリガナ, 処理日);
- ``test_rules.py``: business rules and forbidden transitions, 実装しない items, the 続柄 list;
- ``test_text.py``: exact round-trip of names and addresses, 基本検索;
- ``test_history.py``: history invariants, as_of, updated_since;
- ``test_display.py``: 和暦 / 西暦 on the 住民票 view;
- ``test_protocol.py``: Idempotency-Key and If-Match on juki commands;
- ``test_stateful.py``: a Hypothesis state machine over the commands, checked after each step;
- ``bodies.py``: valid juki bodies for the generic checks (``conformance.generate.body_factory``).
"""
