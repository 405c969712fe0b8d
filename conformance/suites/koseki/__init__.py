"""戸籍 (koseki) suite: tests bound to the KOSEKI-xxx requirements, run against the target's koseki API.

- ``support.py``: :class:`KosekiSession` (people, registers, commands checked against the oracle
  :mod:`conformance.suites.koseki.oracle`, comparison of every register and entry);
- ``test_events.py``: each 届出 (帰化, 出生, 婚姻, 離婚, 養子縁組, 死亡, 転籍, 分籍) and its effect;
- ``test_rules.py``: ages by date (婚姻 either side of 2022-04-01, 分籍, 養親), 振り仮名 from 2025-05-26,
  refusals (除籍, removed entries, unknown keys, date order);
- ``test_data.py``: invalid items, exact text, 不詳日, as_of and updated_since;
- ``test_stateful.py``: a Hypothesis state machine over the koseki commands, checked after each step;
- ``bodies.py``: valid koseki bodies for the generic checks (``conformance.generate.body_factory``).
"""
