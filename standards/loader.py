"""Load the standard files into the typed model, reporting every problem with file, line and item.

Layout (see ``docs/standard-format.md``)::

    <root>/common/types.yaml            common domain types
    <root>/common/codelists/*.yaml      one common code list per file (id = file name)
    <root>/common/api.yaml              the common API conventions (operation ``api``)
    <root>/operations/<id>/*.yaml       one operation; its files are merged into one document

``load_standards()`` raises :class:`StandardsError` listing every problem; :func:`collect` returns
what could be built together with the problems (for ``lint``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from standards import DATA_DIR
from standards.construct import build_codelist, build_gyomu, build_operation, build_types
from standards.errors import Problem, StandardsError
from standards.model import CodeList, DomainType, GyomuNumber, Location, Operation, Standards
from standards.yamlsource import JsonPath, SourceDoc, describe, line_of, read_yaml

META_DIR = DATA_DIR / "meta"

__all__ = ["Problem", "StandardsError", "LoadResult", "collect", "load_standards", "load_operation_dir"]


@cache
def meta_validator(name: str) -> jsonschema.Draft202012Validator:
    """The cached validator of meta-schema ``standards/meta/<name>.schema.json``."""
    schema = _inline_refs(json.loads((META_DIR / f"{name}.schema.json").read_text(encoding="utf-8")))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace ``$ref``s to non-recursive ``$defs`` by their content: same meaning, about twice as fast
    to validate (reference lookups dominate otherwise)."""
    defs = schema.get("$defs", {})

    def refs(node: Any) -> set[str]:
        if isinstance(node, dict):
            found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
            return found.union(*(refs(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(refs(v) for v in node))
        return set()

    direct = {name: refs(body) for name, body in defs.items()}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in direct.get(start, ()):
            if nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt})):
                return True
        return False

    recursive = {name for name in defs if reaches(name, name, {name})}

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] not in recursive:
                rest = {k: inline(v) for k, v in node.items() if k != "$ref"}
                target = inline(defs[ref[8:]])
                return (
                    {**target, **rest} if not (rest.keys() & target.keys()) else {"allOf": [target], **rest}
                )
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when inside it, else absolute."""
    path = path.resolve()
    try:
        return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


@dataclass
class MergedDoc:
    """An operation folder's files merged into one document; each top-level key remembers its file."""

    folder: str
    data: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, SourceDoc] = field(default_factory=dict)
    default_file: str = ""

    def locate(self, path: JsonPath) -> Location:
        """File and line of ``path`` in the merged document (the top-level key says which file)."""
        doc = self.origin.get(str(path[0])) if path else None
        if doc is None:
            return Location(self.default_file or self.folder, 1 if self.default_file else 0)
        return Location(doc.file, line_of(doc, path))

    def problem(self, path: JsonPath, message: str) -> Problem:
        """A problem located at ``path``, with a readable item path."""
        loc = self.locate(path)
        return Problem(loc.file, loc.line, describe(self.data, path), message)


def _single(doc: SourceDoc) -> MergedDoc:
    merged = MergedDoc(doc.file, default_file=doc.file)
    if isinstance(doc.data, dict):
        merged.data = doc.data
        merged.origin = {k: doc for k in doc.data}
    return merged


def merge_folder(
    folder: Path, problems: list[Problem], sources: dict[str, SourceDoc] | None = None
) -> MergedDoc:
    """Merge the YAML files of an operation folder; a top-level key in two files is a problem."""
    merged = MergedDoc(display_path(folder))
    files = sorted(folder.glob("*.yaml"))
    if not files:
        problems.append(Problem(merged.folder, 0, "(folder)", "no .yaml files in operation folder"))
    for path in files:
        doc = read_yaml(path, display_path(path), problems)
        if doc is None:
            continue
        if sources is not None:
            sources[doc.file] = doc
        if path.name == "operation.yaml" or not merged.default_file:
            merged.default_file = doc.file
        if not isinstance(doc.data, dict):
            problems.append(Problem(doc.file, 1, "(document)", "top level must be a mapping"))
            continue
        for key, value in doc.data.items():
            if key in merged.data:
                other = merged.origin[key]
                problems.append(
                    Problem(
                        doc.file,
                        doc.key_lines.get(((), key), 1),
                        key,
                        f"top-level key {key!r} already given in {other.file}:{other.key_lines.get(((), key), 1)}",
                    )
                )
                continue
            merged.data[key] = value
            merged.origin[key] = doc
    return merged


def schema_problems(name: str, merged: MergedDoc) -> list[Problem]:
    """Every meta-schema violation of ``merged`` as problems (leaf errors of if/then/oneOf included)."""
    out = []
    for error in meta_validator(name).iter_errors(merged.data):
        out.extend(_leaf_problems(error, merged))
    return out


def _leaf_problems(error: jsonschema.ValidationError, merged: MergedDoc) -> list[Problem]:
    path: JsonPath = tuple(error.absolute_path)
    if error.validator == "oneOf" and error.context:
        return [
            merged.problem(path, error.message + " (" + "; ".join(e.message for e in error.context) + ")")
        ]
    message = error.message
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extras = [k for k in error.instance if k not in allowed]
        probs = []
        for key in extras:
            loc = merged.locate(path + (key,))
            probs.append(
                Problem(loc.file, loc.line, describe(merged.data, path + (key,)), f"unknown key {key!r}")
            )
        if probs:
            return probs
    if error.validator == "not" and error.schema == {"required": ["codelist"]}:
        message = "codelist is only allowed with type: code"
    if error.validator == "type" and path and path[-1] == "code":
        message += ' (quote codes: code: "01")'
    return [merged.problem(path, message)]


@dataclass
class LoadResult:
    """What could be built, and every problem found. Operations with problems are left out."""

    standards: Standards
    problems: list[Problem]
    failed: set[str] = field(default_factory=set)  # ids (or folder names) of parts that failed
    best_effort: Standards | None = None  # also holds operations built despite meta-schema problems
    sources: dict[str, SourceDoc] = field(default_factory=dict)  # display file name -> parsed file


def _validated(name: str, merged: MergedDoc, problems: list[Problem]) -> bool:
    found = schema_problems(name, merged)
    problems.extend(found)
    return not found


def _load_op(merged: MergedDoc, problems: list[Problem]) -> tuple[Operation | None, Operation | None]:
    """(the operation when valid, a best-effort build even when not, for lint's cross-checks)."""
    valid = _validated("operation", merged, problems)
    try:
        built, found = build_operation(merged.data, merged.locate, merged.problem)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        if valid:
            raise
        return None, None  # too broken to build: the meta-schema problems say why
    problems.extend(found)  # include problems are independent of the meta-schema ones: report both
    return (built if valid and not found else None), built


def collect(root: Path | None = None) -> LoadResult:
    """Read and validate every standard file under ``root``; build what is valid."""
    root = Path(root) if root is not None else DATA_DIR
    problems: list[Problem] = []
    failed: set[str] = set()
    sources: dict[str, SourceDoc] = {}

    def read(path: Path) -> SourceDoc | None:
        doc = read_yaml(path, display_path(path), problems)
        if doc is not None:
            sources[doc.file] = doc
        return doc

    types: tuple[DomainType, ...] = ()
    types_path = root / "common" / "types.yaml"
    if types_path.exists():
        doc = read(types_path)
        if doc is not None:
            merged = _single(doc)
            if _validated("types", merged, problems):
                types = build_types(merged.data, merged.locate)
            else:
                failed.add("types")
        else:
            failed.add("types")

    eras_path = root / "common" / "eras.yaml"
    if eras_path.exists():  # validated only: standards.common.wareki reads it
        doc = read(eras_path)
        if doc is not None:
            _validated("eras", _single(doc), problems)

    gyomu: tuple[GyomuNumber, ...] = ()
    gyomu_source = None
    gyomu_path = root / "common" / "gyomu.yaml"
    if gyomu_path.exists():
        doc = read(gyomu_path)
        if doc is not None and _validated("gyomu", _single(doc), problems):
            gyomu, gyomu_source = build_gyomu(doc.data, _single(doc).locate)
        else:
            failed.add("gyomu")

    codelists: list[CodeList] = []
    for path in sorted((root / "common" / "codelists").glob("*.yaml")):
        doc = read(path)
        if doc is None:
            failed.add(f"codelist:{path.stem}")
            continue
        merged = _single(doc)
        if not _validated("codelist", merged, problems):
            failed.add(f"codelist:{path.stem}")
            continue
        if merged.data["id"] != path.stem:
            problems.append(
                merged.problem(
                    ("id",), f"code list id {merged.data['id']!r} must equal the file name {path.stem!r}"
                )
            )
        codelists.append(build_codelist(merged.data, (), merged.locate))

    api = _placeholder_api()
    api_path = root / "common" / "api.yaml"
    if api_path.exists():
        doc = read(api_path)
        built, rough = _load_op(_single(doc), problems) if doc is not None else (None, None)
        if built is None:
            failed.add("api")
        api = built or rough or api
    else:
        problems.append(
            Problem(display_path(api_path), 0, "(file)", "missing: the common API conventions standard")
        )
        failed.add("api")

    operations, rough_ops = [], []
    ops_dir = root / "operations"
    for folder in sorted(p for p in ops_dir.iterdir() if p.is_dir()) if ops_dir.is_dir() else ():
        if folder.name.startswith(("_", ".")) or not any(folder.glob("*.yaml")):
            continue
        merged = merge_folder(folder, problems, sources)
        op, rough = _load_op(merged, problems)
        if rough is not None:
            rough_ops.append(rough)
        if op is None:
            failed.add(folder.name)
            continue
        if op.id != folder.name:
            problems.append(
                merged.problem(("id",), f"operation id {op.id!r} must equal the folder name {folder.name!r}")
            )
        operations.append(op)

    common = {
        "types": types,
        "codelists": tuple(codelists),
        "api": api,
        "gyomu": gyomu,
        "gyomu_source": gyomu_source,
    }
    standards = Standards(**common, operations=tuple(operations))
    best_effort = Standards(**common, operations=tuple(rough_ops))
    return LoadResult(standards, problems, failed, best_effort, sources)


def _placeholder_api() -> Operation:
    from standards.model import Label, Specification

    return Operation(
        id="api",
        name=Label("共通API規約", "Common API conventions"),
        version="0.0.0",
        specification=Specification(title="(missing standards/common/api.yaml)", confidence="convention"),
    )


def load_standards(root: Path | None = None) -> Standards:
    """Load every standard under ``root`` (default: the package's own, cached).

    Raises :class:`StandardsError` whose ``problems`` lists every problem found.
    """
    if root is None:
        return _load_default()
    return _load(Path(root))


@cache
def _load_default() -> Standards:
    return _load(DATA_DIR)


def _load(root: Path) -> Standards:
    result = collect(root)
    if result.problems:
        raise StandardsError(result.problems)
    return result.standards


def load_operation_dir(path: Path) -> Operation:
    """Load one operation folder on its own (for maintainers); raises :class:`StandardsError`.

    Only the folder itself is checked (meta-schema, merging, includes), not references to
    common types or other operations: ``lint`` does that.
    """
    problems: list[Problem] = []
    merged = merge_folder(Path(path), problems)
    op, _ = _load_op(merged, problems)
    if problems or op is None:
        raise StandardsError(problems)
    return op
