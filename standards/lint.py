"""Lint the standards: meta-schemas, referential integrity, and requirement-to-test bindings.

``lint()`` returns every problem (never stops at the first) as :class:`LintProblem`, each
formatted ``file:line: item: message``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

import jsonschema

from standards.errors import Problem
from standards.lint_facts import confidence_problems, identity_problems, rule_text_problems
from standards.loader import collect
from standards.model import (
    PRIMITIVES,
    CodeList,
    Command,
    Effect,
    Item,
    Location,
    Operation,
    Resource,
    Standards,
)
from standards.openapi import COMMON_ERROR_CODES
from standards.yamlsource import JsonPath, SourceDoc

#: A lint finding; the same shape as a loader problem.
LintProblem = Problem

__all__ = ["LintProblem", "lint", "check_standards", "check_bindings"]


def lint(
    standards_root: Path | None = None, bindings: Mapping[str, Sequence[str]] | None = None
) -> list[LintProblem]:
    """Every problem of the standards under ``standards_root`` (default: the package's).

    ``bindings`` maps requirement ids to the ids of the tests bound to them (as collected from
    the suite); when given, every ``must`` requirement needs a test or a ``not_tested_reason``
    and no test may name an unknown requirement.
    """
    result = collect(standards_root)
    problems = list(result.problems)
    rough = result.best_effort or result.standards
    built = {op.id for op in rough.operations} | {"api"}
    problems.extend(check_standards(rough, skip=result.failed - built, sources=result.sources))
    if bindings is not None:
        problems.extend(check_bindings(result.standards, bindings))
    return sorted(set(problems))


def _at(location: Location | None, item: str, message: str) -> Problem:
    loc = location or Location("(unknown)", 0)
    return Problem(loc.file, loc.line, item, message)


class FieldLocator:
    """Finds the line of a field of a model object, from the parsed files (falls back to the object's line)."""

    def __init__(self, sources: Mapping[str, SourceDoc] | None = None) -> None:
        self.sources = sources or {}
        self._objects: dict[str, dict[int, JsonPath]] = {}

    def _object_path(self, file: str, line: int) -> JsonPath | None:
        if file not in self._objects:
            doc = self.sources.get(file)
            index: dict[int, JsonPath] = {}
            for path, at in doc.lines.items() if doc else ():
                if path and isinstance(path[-1], int) and (at not in index or len(path) < len(index[at])):
                    index[at] = path
            self._objects[file] = index
        return self._objects[file].get(line)

    def at(self, location: Location | None, rel: JsonPath, item: str, message: str) -> Problem:
        """A problem at field ``rel`` (a path relative to the object) of the object at ``location``."""
        if location is not None:
            base = self._object_path(location.file, location.line)
            doc = self.sources.get(location.file)
            if base is not None and doc is not None:
                line = doc.lines.get(base + rel)
                if line is not None:
                    return Problem(location.file, line, item, message)
        return _at(location, item, message)


def _overlaps(
    ranges: list[tuple[date | None, date | None, Location | None]], item: str, what: str
) -> list[Problem]:
    out = []
    ordered = sorted(ranges, key=lambda r: r[0] or date.min)
    for (f1, t1, _), (f2, _t2, loc2) in zip(ordered, ordered[1:], strict=False):
        if t1 is None or (f2 or date.min) <= t1:
            out.append(
                _at(
                    loc2,
                    item,
                    f"{what}: validity from {f2 or 'the start'} overlaps the one from {f1 or 'the start'}",
                )
            )
    for f, t, loc in ranges:
        if f and t and t < f:
            out.append(_at(loc, item, f"valid_to {t} is before valid_from {f}"))
    return out


def check_standards(
    standards: Standards, skip: Iterable[str] = (), sources: Mapping[str, SourceDoc] | None = None
) -> list[Problem]:
    """Referential integrity across every part of ``standards``.

    ``skip``: ids of parts that failed to load, so references to them are not reported again.
    ``sources``: the parsed files (``LoadResult.sources``), to point at the offending field's line.
    """
    skip = set(skip)
    fields = FieldLocator(sources)
    out: list[Problem] = []
    type_ids = {t.id for t in standards.types}
    for t in standards.types:
        try:
            jsonschema.Draft202012Validator.check_schema(dict(t.schema))
        except jsonschema.SchemaError as exc:
            out.append(
                _at(t.location, f"types[{t.id}].schema", f"not a valid JSON Schema 2020-12: {exc.message}")
            )
    out += confidence_problems(standards, fields.at)
    out += identity_problems(standards, fields.at, lambda op, path: _top_level(sources, op, path))
    out += _duplicates(((t.id, t.location) for t in standards.types), "types", "type id")
    out += _duplicates(((c.id, c.location) for c in standards.codelists), "codelists", "code list id")
    for cl in standards.codelists:
        out += _check_codelist(cl)

    ops = (standards.api, *standards.operations)
    out += _duplicates(
        ((r.id, r.location) for op in ops for r in op.requirements), "requirements", "requirement id"
    )
    out += _duplicates(
        ((e.code, e.location) for op in ops for e in op.api.errors), "api.errors", "error code"
    )
    common_errors = {e.code for e in standards.api.api.errors}
    if "api" not in skip:
        for code in COMMON_ERROR_CODES:
            if code not in common_errors:
                out.append(
                    _at(standards.api.location, "api.errors", f"common error code {code!r} is missing")
                )
    known_reqs = {r.id for op in ops for r in op.requirements}
    op_ids = {op.id for op in standards.operations}
    for op in ops:
        ctx = _OpContext(standards, op, type_ids, common_errors, known_reqs, skip, fields)
        try:
            out += ctx.check()
        except (TypeError, AttributeError, KeyError, ValueError):
            pass  # an operation built despite meta-schema problems; those problems are reported
        for k, dep in enumerate(op.depends_on):
            if dep not in op_ids and dep not in skip:
                loc = _top_level(sources, op, ("depends_on", k)) or op.location
                out.append(_at(loc, f"{op.id}.depends_on", f"unknown operation {dep!r}"))
        out += _reading_problems(standards, op, op_ids, skip, fields)
        for eff in op.effects:
            item = f"effects[{eff.id}].on"
            if eff.on_operation in skip:
                continue
            if eff.on_operation not in op_ids:
                out.append(
                    fields.at(
                        eff.location, ("on", "operation"), item, f"unknown operation {eff.on_operation!r}"
                    )
                )
            elif eff.on_command not in {c.id for c in standards.operation(eff.on_operation).api.commands}:
                out.append(
                    fields.at(
                        eff.location,
                        ("on", "command"),
                        item,
                        f"operation {eff.on_operation!r} has no command {eff.on_command!r}",
                    )
                )
            else:
                command = standards.operation(eff.on_operation).command(eff.on_command)
                out += _effect_data(standards, op, eff, {i.name for i in command.request}, fields)
    return out


def _reading_problems(
    standards: Standards, op: Operation, op_ids: set[str], skip: set[str], fields: FieldLocator
) -> list[Problem]:
    """Problems of the operation's readings: each names an entity of another operation that the
    operation depends on (``depends_on``), and items of that entity."""
    out: list[Problem] = []
    for reading in op.reads:
        item = f"reads[{reading.id}].from"
        source = reading.from_operation
        if source in skip:
            continue
        if source not in op_ids or source == op.id:
            what = "its own operation" if source == op.id else "an unknown operation"
            out.append(fields.at(reading.location, ("from", "operation"), item, f"{source!r} is {what}"))
            continue
        if source not in op.depends_on:
            out.append(
                fields.at(
                    reading.location,
                    ("from", "operation"),
                    item,
                    f"reads from {source!r}, which is not in depends_on of {op.id!r}",
                )
            )
        entity = next((e for e in standards.operation(source).entities if e.id == reading.from_entity), None)
        if entity is None:
            out.append(
                fields.at(
                    reading.location,
                    ("from", "entity"),
                    item,
                    f"operation {source!r} has no entity {reading.from_entity!r}",
                )
            )
            continue
        names = {i.name for i in entity.items}
        for k, name in enumerate(reading.items):
            if name not in names:
                out.append(
                    fields.at(
                        reading.location,
                        ("items", k),
                        f"reads[{reading.id}].items",
                        f"{name!r} is not an item of {source}.{entity.id}",
                    )
                )
    return out


def _effect_data(
    standards: Standards, op: Operation, eff: Effect, request: set[str], fields: FieldLocator
) -> list[Problem]:
    """Problems of an effect's data: ``as_of`` and ``when`` name request items of the triggering
    command, and a ``when`` value of a coded item is a code of its list; ``sets`` names coded items
    of the affected operation (nested ones too) with codes of their lists; ``copies`` names items of
    the affected operation, each from a request item or an entity item of the triggering operation of
    a compatible type."""
    out: list[Problem] = []
    item = f"effects[{eff.id}]"
    source_op = standards.operation(eff.on_operation)
    command = source_op.command(eff.on_command)
    for name in ([eff.as_of] if eff.as_of else []) + list(eff.when):
        if name not in request:
            out.append(
                fields.at(eff.location, (), item, f"command {eff.on_command!r} has no request item {name!r}")
            )
    asked = {i.name: i for i in command.request}
    for name, value in eff.when.items():
        listed = asked[name].codelist if name in asked else None
        if listed and str(value) not in _codes_of(standards, listed, source_op):
            out.append(fields.at(eff.location, ("when", name), item, f"{value!r} is not a code of {listed}"))
    affected = {i.name: i for e in op.entities for i in _all_items(e.items)}
    for name, code in eff.sets.items():
        listed = affected[name].codelist if name in affected else None
        if not listed:
            out.append(fields.at(eff.location, ("sets",), item, f"{op.id} has no coded item {name!r}"))
        elif code not in _codes_of(standards, listed, op):
            out.append(fields.at(eff.location, ("sets", name), item, f"{code!r} is not a code of {listed}"))
    for name, source in eff.copies.items():
        where = ("copies", name)
        if name not in affected:
            out.append(fields.at(eff.location, where, item, f"{op.id} has no item {name!r}"))
            continue
        found = _copied_from(source_op, command, source)
        if isinstance(found, str):
            out.append(fields.at(eff.location, where, item, found))
        elif not _copyable(found.type, affected[name].type):
            out.append(
                fields.at(
                    eff.location,
                    where,
                    item,
                    f"{source} ({found.type}) cannot be copied into {name} ({affected[name].type})",
                )
            )
    return out


def _all_items(items: Iterable[Item]) -> Iterable[Item]:
    """Items and the items nested in them (an object's items, an array's element and its items)."""
    for it in items:
        yield it
        yield from _all_items(it.items)
        if it.of is not None:
            yield from _all_items((it.of,))


def _codes_of(standards: Standards, codelist: str, op: Operation) -> set[str]:
    try:
        return set(standards.codelist(codelist, op).code_values())
    except KeyError:
        return set()  # an unknown code list is reported where the item names it


def _copied_from(source_op: Operation, command: Command, source: str) -> Item | str:
    """The item an effect's ``copies`` source names, or the problem with it."""
    owner, _, name = source.partition(".")
    if owner == "request":
        found = next((i for i in command.request if i.name == name), None)
        return found or f"command {command.id!r} has no request item {name!r}"
    entity = next((e for e in source_op.entities if e.id == owner), None)
    if entity is None:
        return f"{source_op.id} has no entity {owner!r}"
    found = next((i for i in entity.items if i.name == name), None)
    return found or f"{source_op.id} entity {owner!r} has no item {name!r}"


def _copyable(source: str, target: str) -> bool:
    """A value of type ``source`` can be recorded in an item of type ``target``: the same type, or a
    date into a partial date (recorded as that date, fully known)."""
    return source == target or (source, target) == ("date", "partial_date")


def _top_level(sources: Mapping[str, SourceDoc] | None, op: Operation, path: JsonPath) -> Location | None:
    """Where a top-level key of an operation's merged files was written."""
    for doc in (sources or {}).values():
        if (
            op.location
            and doc.file.rsplit("/", 1)[0] == op.location.file.rsplit("/", 1)[0]
            and path in doc.lines
        ):
            if isinstance(doc.data, dict) and doc.data.get("id", op.id) == op.id:
                return Location(doc.file, doc.lines[path])
    return None


def _duplicates(pairs: Iterable[tuple[str, Location | None]], item: str, what: str) -> list[Problem]:
    first: dict[str, Location | None] = {}
    out = []
    for key, loc in pairs:
        if key in first:
            where = f" (first at {first[key].file}:{first[key].line})" if first[key] else ""
            out.append(_at(loc, f"{item}[{key}]", f"duplicate {what} {key!r}{where}"))
        else:
            first[key] = loc
    return out


def _check_codelist(cl: CodeList, prefix: str = "") -> list[Problem]:
    by_code = defaultdict(list)
    for c in cl.codes:
        by_code[c.code].append((c.valid_from, c.valid_to, cl.location))
    out = []
    for code, ranges in by_code.items():
        out += _overlaps(ranges, f"{prefix}codelists[{cl.id}].codes[{code}]", f"duplicate code {code!r}")
    return out


class _OpContext:
    """Checks of one operation, with the lookups they need."""

    def __init__(
        self,
        standards: Standards,
        op: Operation,
        type_ids: set[str],
        common_errors: set[str],
        known_reqs: set[str],
        skip: set[str],
        fields: FieldLocator,
    ) -> None:
        self.standards, self.op, self.type_ids, self.skip, self.fields = standards, op, type_ids, skip, fields
        self.errors = common_errors | {e.code for e in op.api.errors}
        self.known_reqs = known_reqs
        self.codelist_ids = {c.id for c in standards.codelists} | {c.id for c in op.codelists}
        self.entities = {e.id: e for e in op.entities}
        self.resources = {r.id: r for r in op.api.resources}
        self.out: list[Problem] = []

    def check(self) -> list[Problem]:
        op = self.op
        p = op.id
        self.out += _duplicates(((e.id, e.location) for e in op.entities), f"{p}.entities", "entity id")
        self.out += _duplicates(((c.id, c.location) for c in op.codelists), f"{p}.codelists", "code list id")
        self.out += _duplicates(
            ((r.id, r.location) for r in op.api.resources), f"{p}.api.resources", "resource id"
        )
        self.out += _duplicates(
            ((c.id, c.location) for c in op.api.commands), f"{p}.api.commands", "command id"
        )
        self.out += _duplicates(((e.id, e.location) for e in op.effects), f"{p}.effects", "effect id")
        for cl in op.codelists:
            self.out += _check_codelist(cl, f"{p}.")
        for e in op.entities:
            names = {i.name for i in e.items}
            for j, k in enumerate(e.key):
                if k not in names:
                    self.out.append(
                        self.fields.at(
                            e.location,
                            ("key", j),
                            f"entities[{e.id}].key",
                            f"key item {k!r} is not an item of the entity",
                        )
                    )
            self._items(e.items, f"entities[{e.id}].items")
        for r in op.api.resources:
            self._resource(r)
        for c in op.api.commands:
            self._command(c)
        rule_ranges = defaultdict(list)
        for rule in op.rules:
            rule_ranges[rule.id].append((rule.valid_from, rule.valid_to, rule.location))
        for rid, ranges in rule_ranges.items():
            self.out += _overlaps(ranges, f"rules[{rid}]", f"rule {rid!r}")
        for eff in op.effects:
            self._reqs(eff.requirements, eff.location, f"effects[{eff.id}].requirements")
        self.out += _duplicates(((r.id, r.location) for r in op.reads), f"{p}.reads", "reading id")
        for err in op.api.errors:
            if err.requirement:
                self._reqs((err.requirement,), err.location, f"api.errors[{err.code}].requirement")
        for reading in op.reads:
            self._reqs(reading.requirements, reading.location, f"reads[{reading.id}].requirements")
        self.out += rule_text_problems(op, self.fields.at)
        prefixes = defaultdict(list)
        for req in op.requirements:
            prefixes[req.id.split("-")[0]].append(req)
        if len(prefixes) > 1:
            main = max(prefixes, key=lambda k: len(prefixes[k]))
            for prefix, reqs in prefixes.items():
                if prefix != main:
                    for req in reqs:
                        self.out.append(
                            _at(
                                req.location,
                                f"requirements[{req.id}]",
                                f"prefix {prefix!r} differs from {main!r} used by this operation",
                            )
                        )
        return self.out

    def _reqs(self, ids: Iterable[str], loc: Location | None, item: str) -> None:
        if not self.op.requirements:
            return  # the missing catalogue is reported once by the meta-schema, not per reference
        for j, rid in enumerate(ids):
            if rid not in self.known_reqs:
                self.out.append(
                    self.fields.at(loc, ("requirements", j), item, f"unknown requirement {rid!r}")
                )

    def _items(self, items: Iterable[Item], where: str) -> None:
        for it in items:
            self._item(it, f"{where}[{it.name}]")

    def _item(self, it: Item, item: str) -> None:
        if it.type not in PRIMITIVES and it.type not in self.type_ids and "types" not in self.skip:
            self.out.append(
                _at(
                    it.location,
                    item + ".type",
                    f"unknown type {it.type!r}: not a primitive nor a common type",
                )
            )
        if it.codelist and it.codelist not in self.codelist_ids:
            if not any(s.startswith("codelist:") for s in self.skip):
                self.out.append(_at(it.location, item + ".codelist", f"unknown code list {it.codelist!r}"))
        self._items(it.items, item + ".items")
        if it.of is not None:
            self._item(it.of, item + ".of")

    def _resource(self, r: Resource) -> None:
        item = f"api.resources[{r.id}]"
        self._reqs(r.requirements, r.location, item + ".requirements")
        entity = self.entities.get(r.entity)
        if entity is None:
            self.out.append(
                self.fields.at(r.location, ("entity",), item + ".entity", f"unknown entity {r.entity!r}")
            )
        else:
            names = {i.name for i in entity.items}
            if r.key not in names:
                self.out.append(
                    self.fields.at(
                        r.location, ("key",), item + ".key", f"entity {r.entity!r} has no item {r.key!r}"
                    )
                )
            for j, f in enumerate(r.filters):
                if f.item not in names:
                    self.out.append(
                        self.fields.at(
                            r.location,
                            ("filters", j),
                            item + f".filters[{f.name}]",
                            f"entity {r.entity!r} has no item {f.item!r}",
                        )
                    )
        if r.parent is not None:
            parent = self.resources.get(r.parent)
            if parent is None:
                self.out.append(
                    self.fields.at(
                        r.location, ("parent",), item + ".parent", f"unknown resource {r.parent!r}"
                    )
                )
            elif "{" + parent.key + "}" not in r.path:
                self.out.append(
                    self.fields.at(
                        r.location,
                        ("path",),
                        item + ".path",
                        f"nested path must contain the parent key {{{parent.key}}}",
                    )
                )
        elif "{" in r.path:
            self.out.append(
                self.fields.at(
                    r.location, ("path",), item + ".path", "a path with parameters needs a parent resource"
                )
            )

    def _command(self, c: Command) -> None:
        item = f"api.commands[{c.id}]"
        self._reqs(c.requirements, c.location, item + ".requirements")
        for j, code in enumerate(c.errors):
            if code not in self.errors:
                self.out.append(
                    self.fields.at(
                        c.location, ("errors", j), item + ".errors", f"unknown error code {code!r}"
                    )
                )
        if c.creates and c.creates not in self.resources:
            self.out.append(
                self.fields.at(c.location, ("creates",), item + ".creates", f"unknown resource {c.creates!r}")
            )
        if c.target is not None:
            if c.target.resource not in self.resources:
                self.out.append(
                    self.fields.at(
                        c.location,
                        ("target", "resource"),
                        item + ".target.resource",
                        f"unknown resource {c.target.resource!r}",
                    )
                )
            first = c.target.pointer.split("/")[1]
            if first not in {i.name for i in c.request}:
                self.out.append(
                    self.fields.at(
                        c.location,
                        ("target", "pointer"),
                        item + ".target.pointer",
                        f"{c.target.pointer!r} names no request item",
                    )
                )
        self._items(c.request, item + ".request")


def check_bindings(standards: Standards, bindings: Mapping[str, Sequence[str]]) -> list[Problem]:
    """Requirement-to-test binding: every ``must`` is tested or has a ``not_tested_reason``; no unknown ids."""
    out = []
    reqs = {r.id: r for r in standards.requirements()}
    for req in reqs.values():
        if req.level == "must" and not req.not_tested_reason and not bindings.get(req.id):
            out.append(
                _at(
                    req.location,
                    f"requirements[{req.id}]",
                    "must requirement has no test and no not_tested_reason",
                )
            )
    for rid, tests in bindings.items():
        if rid not in reqs:
            for test in tests or ("(no test)",):
                out.append(Problem(test.split("::")[0], 0, test, f"test names unknown requirement {rid!r}"))
    return out
