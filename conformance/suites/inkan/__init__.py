"""印鑑登録 (inkan) suite: tests bound to the INKAN-xxx requirements, run against the target's inkan API.

Residents are made through the target's juki API (inkan depends on juki), so every module needs juki
claimed too.

- ``oracle.py``: the suite's own model of the standard (refusals, registrations, certificates, effects);
- ``support.py``: :class:`InkanSession` (bodies, oracle-checked commands, comparisons);
- ``test_commands.py``: registration, 廃止, 亡失, re-registration, certificates;
- ``test_rules.py``: who may register, one seal per person, the impression's size and image, dates;
- ``test_effects.py``: what juki's 転出, 死亡 and 成年被後見人 do to a registration;
- ``test_reads.py``: filters, as_of and updated_since on registrations;
- ``test_stateful.py``: a Hypothesis state machine over inkan and juki commands;
- ``bodies.py``: valid inkan bodies for the generic checks.
"""
