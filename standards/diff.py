"""What changed between two versions of the standards, and what a vendor must do about it.

Every change carries its old and new value and is classified by what it asks of a vendor's
system (``impact``):

- ``must`` (対応が必要, breaking): a removed operation, entity, item, code, resource, filter,
  command, error code or common type; a new required item (or one that became required); a
  changed item type or code list; a tightened length; a code valid for fewer days; a new ``must``
  requirement (or option → must), a changed requirement kind; a changed rule value or validity.
- ``may`` (対応してもよい): new optional items, codes, commands, resources, filters, options;
  loosened lengths; a requirement removed or made an option; a requirement's wording.
- ``none`` (対応不要): labels, version and identity.

The same change found in several places (one item included in five requests) is one change
naming every place. A rule change names the requirements whose rendered text it changes, so
they are not listed again. A breaking change without a major version bump is an error of the
new version (:attr:`DiffResult.errors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from standards.diff_parts import codelists, jsonable, operation, show
from standards.model import Label, Standards

Impact = Literal["must", "may", "none"]
IMPACTS: tuple[Impact, ...] = ("must", "may", "none")
IMPACT_LABEL = {
    "must": ("対応が必要", "must change"),
    "may": ("対応してもよい", "may change"),
    "none": ("対応不要", "nothing to do"),
}


@dataclass(frozen=True)
class Change:
    """One change: what (Japanese and English), its old and new value, and every place it applies."""

    operation: str
    what_ja: str
    what_en: str
    old: Any
    new: Any
    impact: Impact
    places: tuple[str, ...]
    affects: tuple[str, ...] = ()  # requirement ids whose rendered text this change alters

    @property
    def path(self) -> str:
        """The first place the change applies."""
        return self.places[0]

    @property
    def breaking(self) -> bool:
        return self.impact == "must"

    def line(self) -> str:
        """The change in one line: what, old → new (Japanese, then English), requirements, places."""
        text = f"{self.operation}: {self.what_ja}: {show(self.old)} → {show(self.new)} / {self.what_en}"
        if self.affects:
            text += f" — 文言が変わる要件 / requirement texts change: {', '.join(self.affects)}"
        return text + f" — 該当 / applies to: {', '.join(self.places)}"

    def __str__(self) -> str:
        ja, en = IMPACT_LABEL[self.impact]
        return f"[{ja} / {en}] {self.line()}"

    def as_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "impact": self.impact,
            "what": {"ja": self.what_ja, "en": self.what_en},
            "old": jsonable(self.old),
            "new": jsonable(self.new),
            "places": list(self.places),
            "affects": list(self.affects),
        }


@dataclass(frozen=True)
class DiffError:
    """A defect of the new version itself (a breaking change without a major version bump)."""

    operation: str
    message_ja: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.message_ja} / {self.message_en}"


@dataclass
class DiffResult:
    """Every change (must first, then may, then none) and the errors of the new version."""

    changes: list[Change] = field(default_factory=list)
    errors: list[DiffError] = field(default_factory=list)
    #: requirement id -> (old text, new text) of each requirement a rule change re-renders
    texts: dict[str, tuple[Label, Label]] = field(default_factory=dict)

    def count(self, impact: Impact) -> int:
        return sum(1 for c in self.changes if c.impact == impact)


class _Collector:
    """Gathers raw changes and merges the same change found in several places into one."""

    def __init__(self) -> None:
        self.merged: dict[tuple[Any, ...], Change] = {}

    def add(
        self,
        op: str,
        place: str,
        what: tuple[str, str],
        old: Any,
        new: Any,
        impact: Impact,
        affects: Iterable[str] = (),
    ) -> None:
        key = (op, what, show(old), show(new), impact)
        found = self.merged.get(key)
        if found is None:
            self.merged[key] = Change(op, what[0], what[1], old, new, impact, (place,), tuple(affects))
        elif place not in found.places:
            self.merged[key] = Change(
                op, what[0], what[1], old, new, impact, (*found.places, place), found.affects
            )


def diff(old: Standards, new: Standards) -> list[Change]:
    """Every change from ``old`` to ``new``, must-change ones first."""
    return compare(old, new).changes


def compare(old: Standards, new: Standards) -> DiffResult:
    """Every change from ``old`` to ``new`` and the errors of ``new`` (version not bumped)."""
    out = _Collector()
    codelists(out, "common", "codelists", old.codelists, new.codelists)
    old_t, new_t = {t.id: t for t in old.types}, {t.id: t for t in new.types}
    for tid in sorted(old_t.keys() | new_t.keys()):
        a, b = old_t.get(tid), new_t.get(tid)
        what = (f"共通型 {tid}", f"common type {tid}")
        if a is None or b is None:
            out.add(
                "common",
                f"types[{tid}]",
                what,
                a and a.label.ja,
                b and b.label.ja,
                "must" if b is None else "may",
            )
        elif dict(a.schema) != dict(b.schema):
            out.add(
                "common",
                f"types[{tid}].schema",
                (what[0] + " の形式", what[1] + " wire schema"),
                dict(a.schema),
                dict(b.schema),
                "must",
            )
    old_ops = {op.id: op for op in (old.api, *old.operations)}
    new_ops = {op.id: op for op in (new.api, *new.operations)}
    for op_id in sorted(old_ops.keys() | new_ops.keys()):
        a, b = old_ops.get(op_id), new_ops.get(op_id)
        if a is None or b is None:
            what = ("業務", "operation")
            out.add(
                op_id, "(operation)", what, a and a.version, b and b.version, "must" if b is None else "may"
            )
        else:
            operation(out, a, b)
    changes = sorted(out.merged.values(), key=lambda c: (IMPACTS.index(c.impact), c.operation, c.places))
    result = DiffResult(changes)
    old_reqs = {r.id: r for r in old.requirements()}
    new_reqs = {r.id: r for r in new.requirements()}
    for change in changes:
        for rid in change.affects:
            result.texts[rid] = (old_reqs[rid].text, new_reqs[rid].text)
    for op_id in sorted(old_ops.keys() & new_ops.keys()):
        a, b = old_ops[op_id], new_ops[op_id]
        n = sum(1 for c in changes if c.operation == op_id and c.breaking)
        if n and a.version.split(".")[0] == b.version.split(".")[0]:
            result.errors.append(
                DiffError(
                    op_id,
                    f"互換性のない変更が {n} 件あるのに主版数が上がっていません（{a.version} → {b.version}）",
                    f"{n} breaking change{'s' if n != 1 else ''} but the major version is not raised "
                    f"({a.version} -> {b.version})",
                )
            )
    return result
