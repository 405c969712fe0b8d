"""What changed between two versions of the standards, and whether it breaks vendors' systems.

Breaking: a removed operation, entity, item, code, resource, filter, command or error code; a
new required item (or one that became required); a changed item type or code list; a tightened
length; a new ``must`` requirement (or option → must); a changed rule. Everything else (new
optional items and codes, new commands, loosened lengths, text edits) is non-breaking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from standards.model import CodeList, Item, Operation, Standards


@dataclass(frozen=True)
class Change:
    """One change: where (``operation``, ``path``), what, and whether it breaks vendors."""

    operation: str
    path: str
    message: str
    breaking: bool

    def __str__(self) -> str:
        tag = "互換性なし / BREAKING" if self.breaking else "互換 / compatible"
        return f"[{tag}] {self.operation}: {self.path}: {self.message}"


def diff(old: Standards, new: Standards) -> list[Change]:
    """Every change from ``old`` to ``new``, breaking ones first."""
    out: list[Change] = []
    out += _codelists("common", "codelists", old.codelists, new.codelists)
    old_types, new_types = {t.id: t for t in old.types}, {t.id: t for t in new.types}
    for tid in old_types.keys() - new_types.keys():
        out.append(Change("common", f"types[{tid}]", "common type removed", True))
    for tid in new_types.keys() - old_types.keys():
        out.append(Change("common", f"types[{tid}]", "common type added", False))
    for tid in old_types.keys() & new_types.keys():
        if dict(old_types[tid].schema) != dict(new_types[tid].schema):
            out.append(Change("common", f"types[{tid}].schema", "wire schema changed", True))
    old_ops = {op.id: op for op in (old.api, *old.operations)}
    new_ops = {op.id: op for op in (new.api, *new.operations)}
    for op_id in sorted(old_ops.keys() - new_ops.keys()):
        out.append(Change(op_id, "(operation)", "operation removed", True))
    for op_id in sorted(new_ops.keys() - old_ops.keys()):
        out.append(Change(op_id, "(operation)", "operation added", False))
    for op_id in sorted(old_ops.keys() & new_ops.keys()):
        out += _operation(old_ops[op_id], new_ops[op_id])
    return sorted(out, key=lambda c: (not c.breaking, c.operation, c.path))


def _added_removed(op: str, where: str, old: Iterable[str], new: Iterable[str], what: str) -> list[Change]:
    old_set, new_set = set(old), set(new)
    return [Change(op, f"{where}[{k}]", f"{what} removed", True) for k in sorted(old_set - new_set)] + [
        Change(op, f"{where}[{k}]", f"{what} added", False) for k in sorted(new_set - old_set)
    ]


def _operation(old: Operation, new: Operation) -> list[Change]:
    op = new.id
    out: list[Change] = []
    old_e, new_e = {e.id: e for e in old.entities}, {e.id: e for e in new.entities}
    out += _added_removed(op, "entities", old_e, new_e, "entity")
    for eid in sorted(old_e.keys() & new_e.keys()):
        out += _items(op, f"entities[{eid}].items", old_e[eid].items, new_e[eid].items)
    out += _codelists(op, "codelists", old.codelists, new.codelists)
    old_r, new_r = {r.id: r for r in old.api.resources}, {r.id: r for r in new.api.resources}
    out += _added_removed(op, "api.resources", old_r, new_r, "resource")
    for rid in sorted(old_r.keys() & new_r.keys()):
        a, b = old_r[rid], new_r[rid]
        if a.path != b.path:
            out.append(Change(op, f"api.resources[{rid}].path", f"path {a.path} -> {b.path}", True))
        out += _added_removed(
            op,
            f"api.resources[{rid}].filters",
            (f.name for f in a.filters),
            (f.name for f in b.filters),
            "filter",
        )
        out += _added_removed(op, f"api.resources[{rid}].temporal", a.temporal, b.temporal, "temporal query")
    old_c, new_c = {c.id: c for c in old.api.commands}, {c.id: c for c in new.api.commands}
    out += _added_removed(op, "api.commands", old_c, new_c, "command")
    for cid in sorted(old_c.keys() & new_c.keys()):
        out += _items(op, f"api.commands[{cid}].request", old_c[cid].request, new_c[cid].request)
    out += _added_removed(
        op, "api.errors", (e.code for e in old.api.errors), (e.code for e in new.api.errors), "error code"
    )
    old_q, new_q = {r.id: r for r in old.requirements}, {r.id: r for r in new.requirements}
    for rid in sorted(old_q.keys() - new_q.keys()):
        out.append(Change(op, f"requirements[{rid}]", "requirement removed", False))
    for rid in sorted(new_q.keys() - old_q.keys()):
        must = new_q[rid].level == "must"
        out.append(Change(op, f"requirements[{rid}]", f"{new_q[rid].level} requirement added", must))
    for rid in sorted(old_q.keys() & new_q.keys()):
        a, b = old_q[rid], new_q[rid]
        if a.level != b.level:
            out.append(Change(op, f"requirements[{rid}].level", f"{a.level} -> {b.level}", b.level == "must"))
        if a.text != b.text or a.kind != b.kind:
            out.append(Change(op, f"requirements[{rid}].text", "wording or kind changed", a.kind != b.kind))
    old_rules = {(r.id, r.valid_from, r.valid_to): r for r in old.rules}
    new_rules = {(r.id, r.valid_from, r.valid_to): r for r in new.rules}
    for key in sorted(old_rules.keys() | new_rules.keys(), key=str):
        a, b = old_rules.get(key), new_rules.get(key)
        if a is None or b is None or (a.value, a.table) != (b.value, b.table):
            what = "added" if a is None else "removed" if b is None else "changed"
            out.append(
                Change(
                    op, f"rules[{key[0]}]", f"rule {what} (valid {key[1] or '…'} to {key[2] or '…'})", True
                )
            )
    breaking = [c for c in out if c.breaking]
    if breaking and old.version.split(".")[0] == new.version.split(".")[0]:
        out.append(
            Change(
                op,
                "version",
                f"{len(breaking)} breaking changes but major version {old.version} -> {new.version}",
                False,
            )
        )
    return out


def _items(op: str, where: str, old: Iterable[Item], new: Iterable[Item]) -> list[Change]:
    out: list[Change] = []
    old_i, new_i = {i.name: i for i in old}, {i.name: i for i in new}
    for name in sorted(old_i.keys() - new_i.keys()):
        out.append(Change(op, f"{where}[{name}]", "item removed", True))
    for name in sorted(new_i.keys() - old_i.keys()):
        required = new_i[name].required
        out.append(
            Change(op, f"{where}[{name}]", f"{'required' if required else 'optional'} item added", required)
        )
    for name in sorted(old_i.keys() & new_i.keys()):
        a, b, at = old_i[name], new_i[name], f"{where}[{name}]"
        if a.type != b.type or a.codelist != b.codelist:
            out.append(Change(op, at + ".type", f"{a.type}/{a.codelist} -> {b.type}/{b.codelist}", True))
        if a.required != b.required:
            out.append(Change(op, at + ".required", f"{a.required} -> {b.required}", b.required))
        if a.max_length != b.max_length:
            tightened = b.max_length is not None and (a.max_length is None or b.max_length < a.max_length)
            out.append(Change(op, at + ".max_length", f"{a.max_length} -> {b.max_length}", tightened))
        if a.read_only != b.read_only:
            out.append(Change(op, at + ".read_only", f"{a.read_only} -> {b.read_only}", True))
        out += _items(op, at + ".items", a.items, b.items)
        if a.of is not None and b.of is not None:
            out += _items(op, at, (a.of,), (b.of,))
    return out


def _codelists(op: str, where: str, old: Iterable[CodeList], new: Iterable[CodeList]) -> list[Change]:
    old_l, new_l = {c.id: c for c in old}, {c.id: c for c in new}
    out = _added_removed(op, where, old_l, new_l, "code list")
    for cid in sorted(old_l.keys() & new_l.keys()):
        out += _added_removed(
            op, f"{where}[{cid}].codes", old_l[cid].code_values(), new_l[cid].code_values(), "code"
        )
        out += _chains(op, f"{where}[{cid}]", old_l[cid], new_l[cid])
    return out


def _chains(op: str, at: str, old: CodeList, new: CodeList) -> list[Change]:
    """Chain terms (続柄): a term that stops chaining, or a lower ``max_chain``, refuses values sent before."""
    out: list[Change] = []
    before, after = {c.code: c.chain for c in old.codes}, {c.code: c.chain for c in new.codes}
    for code in sorted(before.keys() & after.keys()):
        if before[code] != after[code]:
            out.append(
                Change(op, f"{at}.codes[{code}].chain", f"{before[code]} -> {after[code]}", before[code])
            )
    if old.max_chain != new.max_chain:
        lowered = new.max_chain is not None and (old.max_chain is None or new.max_chain < old.max_chain)
        out.append(Change(op, f"{at}.max_chain", f"{old.max_chain} -> {new.max_chain}", lowered))
    return out
