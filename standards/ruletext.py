"""Requirement texts that state a rule's value render it from the rule's data.

A requirement text writes ``{rule:min_age}`` where it states the value of rule ``min_age``; the
loader renders it (``15``), so changing the rule changes the requirement text, the reference pages
and the reports together. Placeholder forms::

    {rule:ID}                      the value of the one version of rule ID
    {rule:ID@2022-03-31}           the version valid on that day (dated rules)
    {rule:ID[party=tsuma].min_age} a table rule: the ``min_age`` of the row whose ``party`` is tsuma
    {rule:ID.valid_from}           a version's own field (valid_from, valid_to, value)
    {rule:ID*10}                   the value times 10 (a size in mm stated in 0.1 mm)

A date renders as ``2022年1月11日`` in Japanese and ``2022-01-11`` in English.
:func:`stated_numbers` supports lint: a number written literally in a text that names a rule
(``規則 min_age`` / ``rule min_age``) must be one of that rule's values, else the text contradicts it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from standards.model import Rule

PLACEHOLDER = re.compile(
    r"\{rule:(?P<id>[a-z][a-z0-9_]*)"
    r"(?:@(?P<on>\d{4}-\d{2}-\d{2}))?"
    r"(?:\[(?P<key>[a-z][a-z0-9_]*)=(?P<match>[^\]]+)\])?"
    r"(?:\.(?P<field>[a-z][a-z0-9_]*))?"
    r"(?:\*(?P<times>\d+))?\}"
)
#: A rule named in prose: ``（規則 min_age）`` or ``(rule min_age)``.
PROSE_MENTION = re.compile(r"(?:規則\s*|\brule\s+)(?P<id>[a-z][a-z0-9_]*)")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
#: What is not a stated number: error codes (INKAN_UNDER_AGE), requirement ids (INKAN-006), ISO
#: dates (compared as dates), and the placeholders themselves.
_NOT_NUMBERS = re.compile(r"[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)+|\{[^}]*\}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class RuleTextError(ValueError):
    """A placeholder that names no rule, an ambiguous version, or a missing field."""


@dataclass(frozen=True)
class Mention:
    """One rule a text names, by placeholder or in prose."""

    rule: str
    placeholder: bool


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def format_value(value: Any, lang: str) -> str:
    """A rule value as written in a requirement text (``lang`` ``ja`` or ``en``)."""
    day = _as_date(value)
    if day is not None:
        return f"{day.year}年{day.month}月{day.day}日" if lang == "ja" else day.isoformat()
    if isinstance(value, bool):
        return ("はい" if value else "いいえ") if lang == "ja" else str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _version(rules: Iterable[Rule], rule_id: str, on: str | None) -> Rule:
    versions = [r for r in rules if r.id == rule_id]
    if not versions:
        raise RuleTextError(f"placeholder names unknown rule {rule_id!r}")
    if on is not None:
        day = date.fromisoformat(on)
        versions = [
            r
            for r in versions
            if (r.valid_from is None or r.valid_from <= day) and (r.valid_to is None or day <= r.valid_to)
        ]
        if not versions:
            raise RuleTextError(f"rule {rule_id!r} has no version valid on {on}")
    if len(versions) > 1:
        raise RuleTextError(f"rule {rule_id!r} has {len(versions)} dated versions: name one with @YYYY-MM-DD")
    return versions[0]


def resolve(match: re.Match[str], rules: Iterable[Rule]) -> Any:
    """The value a placeholder stands for."""
    rule = _version(rules, match["id"], match["on"])
    label = match[0]
    if match["key"] is not None:
        rows = [row for row in rule.table or () if str(row.get(match["key"])) == match["match"]]
        if len(rows) != 1:
            raise RuleTextError(f"{label}: {len(rows)} rows of rule {rule.id!r} match, need exactly one")
        if match["field"] is None or match["field"] not in rows[0]:
            raise RuleTextError(f"{label}: name a column of the row (.column)")
        value = rows[0][match["field"]]
    elif match["field"] is not None:
        if match["field"] not in ("value", "valid_from", "valid_to", "unit"):
            raise RuleTextError(f"{label}: a rule has no field {match['field']!r}")
        value = getattr(rule, match["field"])
    else:
        if rule.value is None:
            raise RuleTextError(f"{label}: rule {rule.id!r} has no value (a table rule needs [column=value])")
        value = rule.value
    if value is None:
        raise RuleTextError(f"{label}: the value is empty")
    if match["times"] is not None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RuleTextError(f"{label}: only a number can be multiplied")
        value = value * int(match["times"])
    return value


def render(text: str, rules: Iterable[Rule], lang: str) -> str:
    """``text`` with every placeholder replaced by its rule value; :class:`RuleTextError` if one fails."""
    rules = tuple(rules)
    return PLACEHOLDER.sub(lambda m: format_value(resolve(m, rules), lang), text)


def mentions(text: str) -> Iterator[Mention]:
    """Every rule ``text`` names, by placeholder first, then in prose."""
    for m in PLACEHOLDER.finditer(text):
        yield Mention(m["id"], True)
    for m in PROSE_MENTION.finditer(PLACEHOLDER.sub(" ", text)):
        yield Mention(m["id"], False)


def rule_numbers(versions: Iterable[Rule]) -> set[str]:
    """Every number a text may state about a rule: its values, table cells and dates (as y, m, d)."""
    out: set[str] = set()

    def add(value: Any) -> None:
        day = _as_date(value)
        if day is not None:
            out.update({str(day.year), str(day.month), str(day.day), f"{day.month:02d}", f"{day.day:02d}"})
        elif isinstance(value, bool):
            return
        elif isinstance(value, int | float):
            out.add(format_value(value, "en"))
            out.add(format_value(abs(value), "en"))
        elif isinstance(value, str) and _NUMBER.fullmatch(value):
            out.add(str(int(value)) if value.isdigit() else value)
            out.add(value)

    for rule in versions:
        add(rule.value)
        add(rule.valid_from)
        add(rule.valid_to)
        for row in rule.table or ():
            for cell in row.values():
                add(cell)
    return out


def stated_numbers(text: str) -> list[str]:
    """The numbers ``text`` writes literally (not in a placeholder, an error code or an id)."""
    rest = _NOT_NUMBERS.sub(" ", text)
    found: list[str] = []
    for iso in _ISO.findall(rest):
        found.extend(iso.split("-"))
    rest = _ISO.sub(" ", rest)
    found.extend(_NUMBER.findall(rest))
    return found
