"""軽自動車税 種別割 (keijidosha) suite: tests bound to the KEIJI-xxx requirements, run against the target's
keijidosha API.

Owners are made through the target's juki API (keijidosha depends on juki), so every module needs juki
claimed too.

- ``codes.py``: the codes the suite compares with, by their labels in the standard;
- ``oracle.py``: the suite's own model of the standard (refusals, registrations, assessments, amounts);
- ``support.py``: :class:`KeijiSession` (owners, vehicles, oracle-checked commands, comparisons,
  property examples);
- ``test_registration.py``: registration, 廃車 and their refusals, the registrations' reads;
- ``test_assessment.py``: who pays (賦課期日), the assessment record, refusals, re-assessment, reads;
- ``test_amounts.py``: the amounts by class, first inspection, 重課, グリーン化特例, 新基準原付 (Hypothesis
  properties at the dated boundaries);
- ``test_stateful.py``: a Hypothesis state machine over registrations, 廃車, transfers and 賦課;
- ``bodies.py``: valid bodies for the generic checks.
"""
