"""The reference implementation: a Starlette server implementing every standard as written.

Imports ``standards`` only; never ``conformance`` or ``reports``.
"""
