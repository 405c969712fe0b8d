"""Read YAML into plain JSON-like data while keeping the line of every value.

PyYAML's composer gives nodes with marks; we construct the data ourselves so that
- every JSON path (tuple of keys and indexes) maps to the line it was written on,
- mapping keys stay strings (YAML 1.1 would turn the key ``on:`` into ``True``),
- dates stay ISO strings (the meta-schema checks them; the loader parses them),
- duplicate keys in one mapping are reported instead of silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from standards.errors import Problem

JsonPath = tuple[str | int, ...]

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
#: libyaml's composer when available (about 10 times faster); marks are the same.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class SourceDoc:
    """One YAML file's data with the line of each JSON path (1-based)."""

    file: str
    data: Any
    lines: dict[JsonPath, int] = field(default_factory=dict)
    key_lines: dict[tuple[JsonPath, str], int] = field(default_factory=dict)


class _Constructor(yaml.SafeLoader):
    """SafeLoader whose timestamps stay strings."""


_Constructor.add_constructor(_TIMESTAMP_TAG, lambda loader, node: loader.construct_scalar(node))


def read_yaml(path: Path, display: str, problems: list[Problem]) -> SourceDoc | None:
    """Parse ``path``; on a syntax error append a problem and return None."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(display, 0, "(file)", f"cannot read: {exc}"))
        return None
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(display, line, "(yaml)", f"YAML syntax error: {reason}"))
        return None
    doc = SourceDoc(display, None)
    if node is None:
        problems.append(Problem(display, 1, "(file)", "file is empty"))
        return None
    constructor = _Constructor("")
    doc.data = _build(node, (), doc, constructor, problems, node.start_mark.line + 1)
    return doc


def _build(
    node: yaml.Node,
    path: JsonPath,
    doc: SourceDoc,
    constructor: _Constructor,
    problems: list[Problem],
    line: int,
) -> Any:
    doc.lines[path] = line
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = str(key_node.value)
            else:
                problems.append(
                    Problem(
                        doc.file,
                        key_node.start_mark.line + 1,
                        _dotted(path),
                        "mapping keys must be plain strings",
                    )
                )
                continue
            key_line = key_node.start_mark.line + 1
            if key in out:
                problems.append(Problem(doc.file, key_line, _dotted(path + (key,)), f"duplicate key {key!r}"))
            doc.key_lines[(path, key)] = key_line
            out[key] = _build(value_node, path + (key,), doc, constructor, problems, key_line)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, path + (i,), doc, constructor, problems, child.start_mark.line + 1)
            for i, child in enumerate(node.value)
        ]
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problems.append(Problem(doc.file, line, _dotted(path), f"bad value: {exc}"))
        return None


def _dotted(path: JsonPath) -> str:
    return ".".join(str(p) for p in path) or "(document)"


def describe(data: Any, path: JsonPath) -> str:
    """A readable item path: list elements named by their id/name/code, e.g. ``entities[resident].key``."""
    parts: list[str] = []
    node = data
    for step in path:
        if isinstance(step, int):
            element = node[step] if isinstance(node, list) and step < len(node) else None
            name = None
            if isinstance(element, dict):
                for k in ("id", "name", "code"):
                    if isinstance(element.get(k), str | int):
                        name = element[k]
                        break
                if name is None and isinstance(element.get("include"), dict):
                    name = f"include {element['include'].get('entity')}"
            label = f"[{name}]" if name is not None else f"[{step}]"
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
            node = element
        else:
            parts.append(step)
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "(document)"


def line_of(doc: SourceDoc, path: JsonPath) -> int:
    """The line of the longest known prefix of ``path``."""
    for n in range(len(path), -1, -1):
        line = doc.lines.get(path[:n])
        if line is not None:
            return line
    return 0
