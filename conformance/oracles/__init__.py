"""What the oracles share: the legal date rules (:mod:`conformance.oracles.calendar`).

Each operation's oracle (the suite's own model of its standard: what a target's answers should be)
lives in its suite's folder, ``conformance/suites/<id>/oracle.py``. Oracles are written from the
standard files and DOMAIN.md only, independently of ``reference_impl``; a rule shared by both by
accident would make the reference server's pass worthless. The calendar here is the oracle side's
own implementation of the date rules, cross-tested against the standard's.
"""
