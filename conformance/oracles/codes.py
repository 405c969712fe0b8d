"""Codes by their Japanese labels, read from the standard: how every operation's oracle and tests name
a code (``code = labelled("juki")``; ``code("jumin_jotai", "住民")``), never by its value."""

from __future__ import annotations

from collections.abc import Callable

from standards.loader import load_standards


def labelled(op_id: str) -> Callable[[str, str], str]:
    """The lookup ``code(codelist, label_ja)`` over ``op_id``'s own code lists and the common ones."""
    standards = load_standards()
    operation = standards.operation(op_id)
    return lambda codelist, label_ja: standards.code_of(codelist, label_ja, operation)
