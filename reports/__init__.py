"""Conformance reports: model and schema, renderers, signing, verification and comparison.

Imports nothing of ``standards``, ``conformance`` or ``reference_impl``: a report must be readable
without the suite.
"""
