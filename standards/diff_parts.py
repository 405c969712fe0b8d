"""The comparisons of :mod:`standards.diff`, one per part of a standard (items, codes, rules …)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from standards import ruletext
from standards.model import Code, CodeList, Item, Operation, Rule

if TYPE_CHECKING:
    from standards.diff import Impact, _Collector


def show(value: Any) -> str:
    """A value as a maintainer reads it: ``—`` for none, JSON for tables."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        import json

        return json.dumps(jsonable(value), ensure_ascii=False, separators=(", ", ": "))
    return str(value)


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO strings and tuples as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _added_removed(
    out: _Collector,
    op: str,
    where: str,
    old: Iterable[str],
    new: Iterable[str],
    what: tuple[str, str],
    added: Impact,
) -> None:
    old_set, new_set = set(old), set(new)
    for k in sorted(old_set - new_set):
        out.add(op, f"{where}[{k}]", (f"{what[0]} {k} の削除", f"{what[1]} {k} removed"), k, None, "must")
    for k in sorted(new_set - old_set):
        out.add(op, f"{where}[{k}]", (f"{what[0]} {k} の追加", f"{what[1]} {k} added"), None, k, added)


def operation(out: _Collector, old: Operation, new: Operation) -> None:
    op = new.id
    if old.version != new.version:
        out.add(op, "version", ("版", "version"), old.version, new.version, "none")
    if old.gyomu_no != new.gyomu_no:
        out.add(op, "gyomu_no", ("業務番号", "official number"), old.gyomu_no, new.gyomu_no, "none")
    if old.specification.edition != new.specification.edition:
        out.add(
            op,
            "specification.edition",
            ("模する仕様書の版", "specification edition modelled"),
            old.specification.edition,
            new.specification.edition,
            "none",
        )
    old_e, new_e = {e.id: e for e in old.entities}, {e.id: e for e in new.entities}
    _added_removed(out, op, "entities", old_e, new_e, ("エンティティ", "entity"), "may")
    for eid in sorted(old_e.keys() & new_e.keys()):
        _items(out, op, f"entities[{eid}].items", old_e[eid].items, new_e[eid].items)
    codelists(out, op, "codelists", old.codelists, new.codelists)
    old_r, new_r = {r.id: r for r in old.api.resources}, {r.id: r for r in new.api.resources}
    _added_removed(out, op, "api.resources", old_r, new_r, ("照会", "resource"), "may")
    for rid in sorted(old_r.keys() & new_r.keys()):
        a, b, at = old_r[rid], new_r[rid], f"api.resources[{rid}]"
        if a.path != b.path:
            out.add(
                op, at + ".path", (f"照会 {rid} のパス", f"path of resource {rid}"), a.path, b.path, "must"
            )
        _added_removed(
            out,
            op,
            at + ".filters",
            (f.name for f in a.filters),
            (f.name for f in b.filters),
            (f"照会 {rid} の条件", f"filter of {rid}"),
            "may",
        )
        _added_removed(
            out,
            op,
            at + ".temporal",
            a.temporal,
            b.temporal,
            (f"照会 {rid} の時点指定", f"temporal query of {rid}"),
            "may",
        )
    old_c, new_c = {c.id: c for c in old.api.commands}, {c.id: c for c in new.api.commands}
    _added_removed(out, op, "api.commands", old_c, new_c, ("処理", "command"), "may")
    for cid in sorted(old_c.keys() & new_c.keys()):
        _items(out, op, f"api.commands[{cid}].request", old_c[cid].request, new_c[cid].request)
    _added_removed(
        out,
        op,
        "api.errors",
        (e.code for e in old.api.errors),
        (e.code for e in new.api.errors),
        ("エラーコード", "error code"),
        "may",
    )
    affected = _requirements(out, old, new)
    _rules(out, old, new, affected)


def _requirements(out: _Collector, old: Operation, new: Operation) -> set[str]:
    """Requirement changes; returns the ids whose text changed only by their rules' values."""
    op = new.id
    old_q, new_q = {r.id: r for r in old.requirements}, {r.id: r for r in new.requirements}
    rerendered = set()
    for rid in sorted(old_q.keys() | new_q.keys()):
        a, b, at = old_q.get(rid), new_q.get(rid), f"requirements[{rid}]"
        if a is None or b is None:
            impact: Impact = "must" if b is not None and b.level == "must" else "may"
            text = (a or b).text.ja  # type: ignore[union-attr]
            what = (
                f"要件 {rid} の{'追加' if a is None else '削除'}",
                f"requirement {rid} {'added' if a is None else 'removed'}",
            )
            out.add(op, at, what, a and f"{a.level}: {text}", b and f"{b.level}: {text}", impact)
            continue
        if a.level != b.level:
            out.add(
                op,
                at + ".level",
                (f"要件 {rid} の水準", f"level of {rid}"),
                a.level,
                b.level,
                "must" if b.level == "must" else "may",
            )
        if a.kind != b.kind:
            out.add(op, at + ".kind", (f"要件 {rid} の種別", f"kind of {rid}"), a.kind, b.kind, "must")
        if a.written != b.written:
            langs = [lang for lang in ("ja", "en") if getattr(a.written, lang) != getattr(b.written, lang)]
            before = " / ".join(getattr(a.text, lang) for lang in langs)
            after = " / ".join(getattr(b.text, lang) for lang in langs)
            out.add(op, at + ".text", (f"要件 {rid} の文言", f"wording of {rid}"), before, after, "may")
        elif a.text != b.text:
            rerendered.add(rid)
    return rerendered


def _versions(rules: Iterable[Rule], rule_id: str) -> list[Rule]:
    return sorted((r for r in rules if r.id == rule_id), key=lambda r: r.valid_from or date.min)


def _state(item: Item) -> str:
    return "必須 required" if item.required else "任意 optional"


def _kind(item: Item) -> str:
    return f"{item.type}/{item.codelist}" if item.codelist else item.type


def _rule_value(rule: Rule) -> Any:
    return list(rule.table) if rule.table is not None else rule.value


def _validity(dated: Rule | Code) -> str:
    return f"{dated.valid_from or '…'}〜{dated.valid_to or '…'}"


def _rules(out: _Collector, old: Operation, new: Operation, rerendered: set[str]) -> None:
    op = new.id
    texts = {r.id: (r.written.ja + r.written.en) for r in new.requirements}
    for rule_id in sorted({r.id for r in old.rules} | {r.id for r in new.rules}):
        before, after = _versions(old.rules, rule_id), _versions(new.rules, rule_id)
        label = (after or before)[0].label
        affects = sorted(
            rid for rid in rerendered if any(m.rule == rule_id for m in ruletext.mentions(texts.get(rid, "")))
        )
        name = (f"規則 {rule_id}（{label.ja}）", f"rule {rule_id} ({label.en})")
        if len(before) == len(after):
            for a, b in zip(before, after, strict=True):
                dated = len(after) > 1
                suffix = (f"［{_validity(b)}］", f" [{_validity(b)}]") if dated else ("", "")
                at = f"rules[{rule_id}]" + (f"@{b.valid_from or b.valid_to}" if dated else "")
                if _rule_value(a) != _rule_value(b):
                    out.add(
                        op,
                        at,
                        (name[0] + "の値" + suffix[0], name[1] + " value" + suffix[1]),
                        _rule_value(a),
                        _rule_value(b),
                        "must",
                        affects,
                    )
                if (a.valid_from, a.valid_to) != (b.valid_from, b.valid_to):
                    out.add(
                        op,
                        at + ".valid",
                        (name[0] + "の有効期間", name[1] + " validity"),
                        _validity(a),
                        _validity(b),
                        "must",
                        affects,
                    )
            continue
        old_v = [f"{_validity(r)}: {show(_rule_value(r))}" for r in before]
        new_v = [f"{_validity(r)}: {show(_rule_value(r))}" for r in after]
        impact: Impact = "must" if after else "may"
        out.add(
            op,
            f"rules[{rule_id}]",
            (name[0] + "の版", name[1] + " versions"),
            old_v or None,
            new_v or None,
            impact,
            affects,
        )


def _items(out: _Collector, op: str, where: str, old: Iterable[Item], new: Iterable[Item]) -> None:
    old_i, new_i = {i.name: i for i in old}, {i.name: i for i in new}
    for name in sorted(old_i.keys() | new_i.keys()):
        a, b, at = old_i.get(name), new_i.get(name), f"{where}[{name}]"
        label = (b or a).label  # type: ignore[union-attr]
        item = (f"項目 {name}（{label.ja}）", f"item {name} ({label.en})")
        if a is None or b is None:
            impact: Impact = "must" if a is not None or (b is not None and b.required) else "may"
            verb = ("の追加", " added") if a is None else ("の削除", " removed")
            out.add(op, at, (item[0] + verb[0], item[1] + verb[1]), a and _state(a), b and _state(b), impact)
            continue
        if (a.type, a.codelist) != (b.type, b.codelist):
            out.add(op, at + ".type", (item[0] + "の型", item[1] + " type"), _kind(a), _kind(b), "must")
        if a.required != b.required:
            out.add(
                op,
                at + ".required",
                (item[0] + "の必須", item[1] + " required"),
                a.required,
                b.required,
                "must" if b.required else "may",
            )
        if a.max_length != b.max_length:
            tightened = b.max_length is not None and (a.max_length is None or b.max_length < a.max_length)
            out.add(
                op,
                at + ".max_length",
                (item[0] + "の最大文字数", item[1] + " max length"),
                a.max_length,
                b.max_length,
                "must" if tightened else "may",
            )
        if a.read_only != b.read_only:
            out.add(
                op,
                at + ".read_only",
                (item[0] + "の読取専用", item[1] + " read-only"),
                a.read_only,
                b.read_only,
                "must",
            )
        if a.label != b.label:
            out.add(
                op,
                at + ".label",
                (f"項目 {name} の名称", f"label of item {name}"),
                f"{a.label.ja} / {a.label.en}",
                f"{b.label.ja} / {b.label.en}",
                "none",
            )
        _items(out, op, at + ".items", a.items, b.items)
        if a.of is not None and b.of is not None:
            _items(out, op, at, (a.of,), (b.of,))


def codelists(out: _Collector, op: str, where: str, old: Iterable[CodeList], new: Iterable[CodeList]) -> None:
    old_l, new_l = {c.id: c for c in old}, {c.id: c for c in new}
    _added_removed(out, op, where, old_l, new_l, ("コード表", "code list"), "may")
    for cid in sorted(old_l.keys() & new_l.keys()):
        a, b, at = old_l[cid], new_l[cid], f"{where}[{cid}]"
        before, after = {c.code: c for c in a.codes}, {c.code: c for c in b.codes}
        for code in sorted(before.keys() | after.keys()):
            x, y, place = before.get(code), after.get(code), f"{at}.codes[{code}]"
            label = (y or x).label  # type: ignore[union-attr]
            name = (f"コード表 {cid} のコード {code}（{label.ja}）", f"code {code} ({label.en}) of {cid}")
            if x is None or y is None:
                verb = ("の追加", " added") if x is None else ("の削除", " removed")
                out.add(
                    op,
                    place,
                    (name[0] + verb[0], name[1] + verb[1]),
                    x and x.label.ja,
                    y and y.label.ja,
                    "must" if y is None else "may",
                )
                continue
            if (x.valid_from, x.valid_to) != (y.valid_from, y.valid_to):
                narrower = (y.valid_from or date.min) > (x.valid_from or date.min) or (
                    (y.valid_to or date.max) < (x.valid_to or date.max)
                )
                out.add(
                    op,
                    place + ".valid",
                    (name[0] + "の有効期間", name[1] + " validity"),
                    _validity(x),
                    _validity(y),
                    "must" if narrower else "may",
                )
            if x.label != y.label:
                out.add(
                    op,
                    place + ".label",
                    (name[0] + "の名称", name[1] + " label"),
                    f"{x.label.ja} / {x.label.en}",
                    f"{y.label.ja} / {y.label.en}",
                    "none",
                )
            if x.chain != y.chain:  # a term that stops chaining (続柄) refuses values sent before
                out.add(
                    op,
                    place + ".chain",
                    (name[0] + "の連結", name[1] + " chains"),
                    x.chain,
                    y.chain,
                    "must" if x.chain else "may",
                )
        if a.max_chain != b.max_chain:
            lowered = b.max_chain is not None and (a.max_chain is None or b.max_chain < a.max_chain)
            out.add(
                op,
                at + ".max_chain",
                (f"コード表 {cid} の最大連結数", f"max chain of {cid}"),
                a.max_chain,
                b.max_chain,
                "must" if lowered else "may",
            )
