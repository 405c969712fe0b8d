"""戸籍の附票 (fuhyo) suite: tests bound to the FUHYO-xxx requirements, run against the target's fuhyo API.

- ``support.py``: :class:`FuhyoSession` (通知 checked against :mod:`conformance.suites.fuhyo.oracle`, registers
  and entries made through the koseki session, moves through the juki session, comparisons);
- ``test_fuhyo.py``: made with the 戸籍 and following it, the 通知 and its refusals, the dated items,
  as_of / updated_since, and the effects of 住民基本台帳 moves (when juki is claimed too);
- ``test_data.py``: invalid items of the 通知;
- ``test_stateful.py``: a Hypothesis state machine over 戸籍 届出 and 通知, checked against the model;
- ``bodies.py``: a valid 通知 for the generic checks (``conformance.generate.body_factory``).
"""
