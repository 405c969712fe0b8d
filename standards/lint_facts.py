"""Lint checks of what the standard states as fact: rule values in requirement texts.

Kept apart from :mod:`standards.lint` (referential integrity): these read the prose and the
sources of a standard, not its references.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from standards import ruletext
from standards.errors import Problem
from standards.model import Location, Operation, Requirement
from standards.yamlsource import JsonPath

#: ``FieldLocator.at``: a problem at a field (a path relative to the object) of an object.
At = Callable[[Location | None, JsonPath, str, str], Problem]


def rule_text_problems(op: Operation, at: At) -> list[Problem]:
    """Requirement texts naming a rule state no number the rule does not hold, nor an unknown rule."""
    out: list[Problem] = []
    for req in op.requirements:
        out += _rule_text(op, req, at)
    return out


def _rule_text(op: Operation, req: Requirement, at: At) -> list[Problem]:
    rules = {r.id for r in op.rules}
    out = []
    for lang in ("ja", "en"):
        text = getattr(req.written, lang)
        where = f"requirements[{req.id}].text.{lang}"
        found = list(ruletext.mentions(text))
        for mention in found:
            if mention.rule not in rules and not mention.placeholder:  # placeholders: a load problem
                out.append(at(req.location, ("text", lang), where, f"names unknown rule {mention.rule!r}"))
        named = [m.rule for m in found if m.rule in rules]
        if not named or all(m.placeholder for m in found):
            continue
        allowed = ruletext.rule_numbers(r for r in op.rules if r.id in named)
        for number in ruletext.stated_numbers(text):
            if number not in allowed:
                names = ", ".join(dict.fromkeys(named))
                out.append(
                    at(
                        req.location,
                        ("text", lang),
                        where,
                        f"states {number}, which rule {names} does not hold "
                        f"({', '.join(_values(op, named))}): write the value as {{rule:{named[0]}}}",
                    )
                )
    return out


def _values(op: Operation, rule_ids: Iterable[str]) -> list[str]:
    """The values of the named rules, as a maintainer reads them in a message."""
    out = []
    for rid in dict.fromkeys(rule_ids):
        for r in op.rules:
            if r.id == rid:
                out.append(f"{rid}={r.value if r.table is None else list(r.table)}")
    return out
