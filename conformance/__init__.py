"""The conformance suite: pytest plugin, strategies, checks, per-operation suites and the run command.

Imports ``standards`` and ``reports``; never ``reference_impl``.
"""
