"""Lint checks of what the standard states as fact: rule values in texts, and how sure a source is.

Kept apart from :mod:`standards.lint` (referential integrity): these read the prose and the
sources of a standard, not its references.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from standards import DATA_DIR, ruletext
from standards.errors import Problem
from standards.model import GyomuNumber, Item, Location, Operation, Requirement, Source, Standards
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


#: Words of a note that say the fact rests on a secondary source: such a fact is ``stated`` at most.
SECONDARY = ("secondary source", "二次資料", "blog")


def sourced(standards: Standards) -> Iterator[tuple[str, Source, Location | None]]:
    """Every (item path, source, location) of ``standards``: types, code lists and each operation's parts."""
    if standards.gyomu_source:
        yield "gyomu", standards.gyomu_source, standards.gyomu[0].location if standards.gyomu else None
    for t in standards.types:
        if t.source:
            yield f"types[{t.id}]", t.source, t.location
    for cl in standards.codelists:
        if cl.source:
            yield f"codelists[{cl.id}]", cl.source, cl.location
    for op in (standards.api, *standards.operations):
        for e in op.entities:
            if e.source:
                yield f"{op.id}.entities[{e.id}]", e.source, e.location
            yield from _item_sources(f"{op.id}.entities[{e.id}].items", e.items)
        for cl in op.codelists:
            if cl.source:
                yield f"{op.id}.codelists[{cl.id}]", cl.source, cl.location
        for c in op.api.commands:
            if c.source:
                yield f"{op.id}.api.commands[{c.id}]", c.source, c.location
        for kind, parts in (("rules", op.rules), ("requirements", op.requirements), ("effects", op.effects)):
            for part in parts:
                if part.source:
                    yield f"{op.id}.{kind}[{part.id}]", part.source, part.location


def _item_sources(where: str, items: Iterable[Item]) -> Iterator[tuple[str, Source, Location | None]]:
    for it in items:
        if it.source:
            yield f"{where}[{it.name}]", it.source, it.location
        yield from _item_sources(f"{where}[{it.name}].items", it.items)


def confidence_problems(standards: Standards, at: At, repo: Path | None = None) -> list[Problem]:
    """``confidence: verified`` means the project verified it, and ``verified_by`` names the test.

    The test must exist in the project's ``tests/`` (checked when that folder is there: an
    installed package has none). A fact whose note says it rests on a secondary source is
    ``stated`` at most, and ``verified_by`` without ``verified`` is a contradiction.
    """
    repo = repo if repo is not None else DATA_DIR.parent
    out = []
    for where, source, loc in sourced(standards):
        if source.confidence != "verified":
            if source.verified_by:
                out.append(
                    at(loc, ("source", "verified_by"), where, "verified_by is only for confidence: verified")
                )
            continue
        note = (source.note or "").lower()
        if any(word in note for word in SECONDARY):
            out.append(
                at(
                    loc,
                    ("source", "confidence"),
                    where,
                    "a fact from a secondary source is stated at most, not verified",
                )
            )
        if not source.verified_by:
            out.append(
                at(
                    loc,
                    ("source", "confidence"),
                    where,
                    "confidence: verified needs verified_by naming the test that checks it "
                    "(tests/…py::test_name); else it is stated",
                )
            )
            continue
        problem = _missing_test(source.verified_by, repo)
        if problem:
            out.append(at(loc, ("source", "verified_by"), where, problem))
    return out


def _missing_test(node: str, repo: Path) -> str | None:
    """Why ``node`` (``tests/x.py::test_y``) names no test of the project, or None when it does."""
    if not (repo / "tests").is_dir():
        return None
    path, _, name = node.partition("::")
    file = repo / path
    if not file.is_file():
        return f"verified_by names a test file that does not exist: {path}"
    if not re.search(rf"^def {re.escape(name)}\(", file.read_text(encoding="utf-8"), re.MULTILINE):
        return f"verified_by names no test {name!r} in {path}"
    return None


def identity_problems(
    standards: Standards, at: At, top: Callable[[Operation, JsonPath], Location | None]
) -> list[Problem]:
    """Each operation names its official 業務番号, one of the table's, the row that names it back.

    ``top(op, path)`` locates a top-level key of an operation's files. Checked when the standards
    hold the table (``common/gyomu.yaml``); a tree without it (a test fixture) names no numbers.
    """
    out: list[Problem] = []
    rows: dict[str, GyomuNumber] = {}
    named: dict[str, GyomuNumber] = {}
    for row in standards.gyomu:
        if row.no in rows:
            out.append(at(row.location, ("no",), f"gyomu[{row.no}]", f"業務番号 {row.no} appears twice"))
        rows[row.no] = row
        if row.operation is not None:
            if row.operation in named:
                out.append(
                    at(
                        row.location,
                        ("operation",),
                        f"gyomu[{row.no}]",
                        f"operation {row.operation!r} already has 業務番号 {named[row.operation].no}",
                    )
                )
            named[row.operation] = row
    for op in standards.operations:
        loc = top(op, ("gyomu_no",)) or op.location
        item = f"{op.id}.gyomu_no"
        if op.gyomu_no is None:
            if rows:
                hint = f" ({named[op.id].no} in gyomu.yaml)" if op.id in named else ""
                out.append(at(op.location, (), item, f"the operation names no 業務番号: add gyomu_no{hint}"))
            continue
        row = rows.get(op.gyomu_no)
        if row is None:
            out.append(at(loc, (), item, f"業務番号 {op.gyomu_no} is not in standards/common/gyomu.yaml"))
        elif row.operation != op.id:
            owner = f"operation {row.operation!r}" if row.operation else "no operation"
            out.append(
                at(loc, (), item, f"業務番号 {op.gyomu_no} ({row.label.ja}) names {owner} in gyomu.yaml")
            )
        elif row.label.ja != op.name.ja:
            out.append(
                at(
                    loc,
                    (),
                    item,
                    f"業務番号 {op.gyomu_no} is {row.label.ja} in gyomu.yaml, the operation is {op.name.ja}",
                )
            )
        current = op.specification.current
        if current is not None and current.edition == op.specification.edition:
            spec_loc = top(op, ("specification", "current")) or op.location
            out.append(
                at(
                    spec_loc,
                    (),
                    f"{op.id}.specification.current",
                    "the current edition is the one modelled: drop current",
                )
            )
    return out
