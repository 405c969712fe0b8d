"""Build the frozen model objects from validated YAML data, expanding ``include`` items.

The data given here has passed the meta-schema, so shapes are known; what can still be wrong
(an include naming an unknown entity or item, a cycle, a read-only item in a request, duplicate
names) is reported as problems through the ``problem(path, message)`` callback.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from standards.errors import Problem
from standards.model import (
    Api,
    Code,
    CodeList,
    Command,
    DomainType,
    Edition,
    Effect,
    Entity,
    ErrorCase,
    Filter,
    GyomuNumber,
    Item,
    ItemGroup,
    Label,
    Location,
    Operation,
    Reading,
    Requirement,
    Resource,
    Rule,
    Source,
    Specification,
    Target,
)
from standards.ruletext import RuleTextError, render
from standards.yamlsource import JsonPath

Locate = Callable[[JsonPath], Location]
ReportProblem = Callable[[JsonPath, str], Problem]
Raw = dict[str, Any]


def _label(raw: Raw) -> Label:
    return Label(ja=raw["ja"], en=raw["en"])


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _source(raw: Raw | None) -> Source | None:
    if raw is None:
        return None
    section = raw.get("section")
    return Source(
        document=raw.get("document"),
        section=None if section is None else str(section),
        url=raw.get("url"),
        confidence=raw.get("confidence", "stated"),
        note=raw.get("note"),
        verified_by=raw.get("verified_by"),
    )


def _edition(raw: Raw | None) -> Edition | None:
    if raw is None:
        return None
    return Edition(
        edition=raw["edition"],
        published=_date(raw.get("published")),
        url=raw.get("url"),
        confidence=raw.get("confidence", "stated"),
        note=raw.get("note"),
    )


def build_gyomu(data: Raw, locate: Locate) -> tuple[tuple[GyomuNumber, ...], Source | None]:
    """The 業務番号 table of a validated ``gyomu.yaml``, and its source."""
    rows = tuple(
        GyomuNumber(
            no=g["no"], label=_label(g["label"]), operation=g.get("operation"), location=locate(("gyomu", i))
        )
        for i, g in enumerate(data["gyomu"])
    )
    return rows, _source(data.get("source"))


def build_types(data: Raw, locate: Locate) -> tuple[DomainType, ...]:
    """The common domain types of a validated ``types.yaml``."""
    return tuple(
        DomainType(
            id=t["id"],
            label=_label(t["label"]),
            schema=t["schema"],
            validator=t.get("validator"),
            error_codes=tuple(t.get("error_codes", ())),
            description=t.get("description"),
            source=_source(t.get("source")),
            location=locate(("types", i)),
        )
        for i, t in enumerate(data["types"])
    )


def build_codelist(raw: Raw, path: JsonPath, locate: Locate) -> CodeList:
    """A code list from validated data at ``path``."""
    return CodeList(
        id=raw["id"],
        label=_label(raw["label"]),
        codes=tuple(
            Code(
                code=c["code"],
                label=_label(c["label"]),
                valid_from=_date(c.get("valid_from")),
                valid_to=_date(c.get("valid_to")),
                note=c.get("note"),
                chain=bool(c.get("chain", False)),
            )
            for c in raw["codes"]
        ),
        source=_source(raw.get("source")),
        location=locate(path),
        description=raw.get("description"),
        max_chain=raw.get("max_chain"),
    )


class _Expander:
    """Expands ``include`` items (entity items and command requests), detecting cycles."""

    def __init__(self, entities: list[Raw], locate: Locate, problem: ReportProblem) -> None:
        self.locate = locate
        self.problem = problem
        self.problems: list[Problem] = []
        self.raw: dict[str, tuple[Raw, JsonPath]] = {}
        self.entities_raw = entities
        for i, e in enumerate(entities):
            if e["id"] in self.raw:
                self.problems.append(problem(("entities", i, "id"), f"duplicate entity id {e['id']!r}"))
            else:
                self.raw[e["id"]] = (e, ("entities", i))
        self.expanded: dict[str, list[tuple[Raw, JsonPath]] | None] = {}
        self.visiting: list[str] = []

    def entity_items(self, entity_id: str, at: JsonPath) -> list[tuple[Raw, JsonPath]] | None:
        if entity_id in self.visiting:
            cycle = " -> ".join(self.visiting[self.visiting.index(entity_id) :] + [entity_id])
            self.problems.append(self.problem(at, f"include cycle: {cycle}"))
            return None
        if entity_id not in self.expanded:
            if entity_id not in self.raw:
                self.problems.append(self.problem(at, f"include names unknown entity {entity_id!r}"))
                return None
            raw, path = self.raw[entity_id]
            self.visiting.append(entity_id)
            self.expanded[entity_id] = self.expand(raw["items"], path + ("items",), request=False)
            self.visiting.pop()
        return self.expanded[entity_id]

    def expand(self, raw_items: list[Raw], path: JsonPath, *, request: bool) -> list[tuple[Raw, JsonPath]]:
        out: list[tuple[Raw, JsonPath]] = []
        for i, raw in enumerate(raw_items):
            at = path + (i,)
            if "include" not in raw:
                out.append((raw, at))
                continue
            inc = raw["include"]
            source = self.entity_items(inc["entity"], at + ("include", "entity"))
            if source is None:
                continue
            by_name = {r["name"]: (r, p) for r, p in source}
            for j, name in enumerate(inc.get("except", ())):
                if name not in by_name:
                    self.problems.append(
                        self.problem(
                            at + ("include", "except", j), f"entity {inc['entity']!r} has no item {name!r}"
                        )
                    )
            if inc["items"] == "all":
                chosen = [(r, p) for r, p in source if not (request and r.get("read_only"))]
            else:
                chosen = []
                for j, name in enumerate(inc["items"]):
                    if name not in by_name:
                        self.problems.append(
                            self.problem(
                                at + ("include", "items", j), f"entity {inc['entity']!r} has no item {name!r}"
                            )
                        )
                    elif request and by_name[name][0].get("read_only"):
                        self.problems.append(
                            self.problem(
                                at + ("include", "items", j),
                                f"item {name!r} is read-only: not allowed in a request",
                            )
                        )
                    else:
                        chosen.append(by_name[name])
            excluded = set(inc.get("except", ()))
            out.extend((r, p) for r, p in chosen if r["name"] not in excluded)
        return out

    def items(self, raw_items: list[Raw], path: JsonPath, *, request: bool) -> tuple[Item, ...]:
        return self.build_items(self.expand(raw_items, path, request=request), path, request=request)

    def entity(self, index: int) -> tuple[Item, ...]:
        """The items of entity ``index`` with includes expanded (cycles reported from the first entity)."""
        path: JsonPath = ("entities", index)
        raw, first_path = self.raw.get(self.entities_raw[index]["id"], (None, None))
        if first_path != path:  # a duplicate id, already reported
            return self.items(self.entities_raw[index]["items"], path + ("items",), request=False)
        return self.build_items(self.entity_items(raw["id"], path) or [], path + ("items",), request=False)

    def build_items(
        self, expanded: list[tuple[Raw, JsonPath]], path: JsonPath, *, request: bool
    ) -> tuple[Item, ...]:
        seen: set[str] = set()
        built = []
        for raw, at in expanded:
            if request and raw.get("read_only"):
                continue
            if raw["name"] in seen:
                self.problems.append(
                    self.problem(path, f"item name {raw['name']!r} appears twice (after includes)")
                )
                continue
            seen.add(raw["name"])
            built.append(self.item(raw, at, request=request))
        return tuple(built)

    def item(self, raw: Raw, path: JsonPath, *, request: bool) -> Item:
        return Item(
            name=raw["name"],
            label=_label(raw["label"]),
            type=raw["type"],
            required=raw.get("required", False),
            max_length=raw.get("max_length"),
            codelist=raw.get("codelist"),
            items=self.items(raw["items"], path + ("items",), request=request) if "items" in raw else (),
            of=self.item(raw["of"], path + ("of",), request=request) if "of" in raw else None,
            read_only=raw.get("read_only", False),
            nullable=raw.get("nullable", False),
            description=raw.get("description"),
            source=_source(raw.get("source")),
            location=self.locate(path),
        )


def build_operation(data: Raw, locate: Locate, problem: ReportProblem) -> tuple[Operation, list[Problem]]:
    """The operation of a validated merged document, and the problems found while building it."""
    entities_raw = data.get("entities", [])
    ex = _Expander(entities_raw, locate, problem)
    entities = tuple(
        Entity(
            id=e["id"],
            label=_label(e["label"]),
            key=tuple(e["key"]),
            items=ex.entity(i),
            description=e.get("description"),
            source=_source(e.get("source")),
            location=locate(("entities", i)),
            groups=tuple(
                ItemGroup(g["id"], _label(g["label"]), tuple(g["items"]), g.get("description"))
                for g in e.get("groups", ())
            ),
        )
        for i, e in enumerate(entities_raw)
    )
    for i, entity in enumerate(entities):
        names = {it.name for it in entity.items}
        for j, g in enumerate(entity.groups):
            for k, name in enumerate(g.items):
                if name not in names:
                    ex.problems.append(
                        problem(
                            ("entities", i, "groups", j, "items", k),
                            f"item group {g.id!r} names {name!r}, which is not an item of {entity.id!r}",
                        )
                    )
    api_raw = data.get("api", {})
    resources = tuple(
        Resource(
            id=r["id"],
            path=r["path"],
            entity=r["entity"],
            key=r["key"],
            filters=tuple(
                Filter(f["name"], f["item"], f.get("match", "exact")) for f in r.get("filters", ())
            ),
            temporal=tuple(r.get("temporal", ())),
            parent=r.get("parent"),
            requirements=tuple(r.get("requirements", ())),
            location=locate(("api", "resources", i)),
            label=_label(r["label"]) if "label" in r else None,
            description=r.get("description"),
        )
        for i, r in enumerate(api_raw.get("resources", ()))
    )
    commands = tuple(
        Command(
            id=c["id"],
            label=_label(c["label"]),
            request=ex.items(c["request"], ("api", "commands", i, "request"), request=True),
            target=Target(c["target"]["resource"], c["target"]["pointer"]) if "target" in c else None,
            creates=c.get("creates"),
            errors=tuple(c.get("errors", ())),
            requirements=tuple(c.get("requirements", ())),
            description=c.get("description"),
            source=_source(c.get("source")),
            location=locate(("api", "commands", i)),
        )
        for i, c in enumerate(api_raw.get("commands", ()))
    )
    errors = tuple(
        ErrorCase(
            e["code"],
            e["status"],
            _label(e["title"]),
            e.get("description"),
            locate(("api", "errors", i)),
            requirement=e.get("requirement"),
        )
        for i, e in enumerate(api_raw.get("errors", ()))
    )
    found: list[Problem] = []
    rules = tuple(
        Rule(
            id=r["id"],
            label=_label(r["label"]),
            value=r.get("value"),
            table=tuple(r["table"]) if "table" in r else None,
            unit=r.get("unit"),
            valid_from=_date(r.get("valid_from")),
            valid_to=_date(r.get("valid_to")),
            source=_source(r.get("source")),
            location=locate(("rules", i)),
            description=r.get("description"),
        )
        for i, r in enumerate(data.get("rules", ()))
    )
    spec = data["specification"]
    op = Operation(
        id=data["id"],
        name=_label(data["name"]),
        version=data["version"],
        specification=Specification(
            title=spec["title"],
            edition=spec.get("edition"),
            ministry=spec.get("ministry"),
            published=_date(spec.get("published")),
            url=spec.get("url"),
            confidence=spec.get("confidence", "stated"),
            note=spec.get("note"),
            current=_edition(spec.get("current")),
        ),
        depends_on=tuple(data.get("depends_on", ())),
        gyomu_no=data.get("gyomu_no"),
        entities=entities,
        codelists=tuple(
            build_codelist(c, ("codelists", i), locate) for i, c in enumerate(data.get("codelists", ()))
        ),
        api=Api(resources=resources, commands=commands, errors=errors),
        rules=rules,
        requirements=tuple(
            Requirement(
                id=r["id"],
                level=r["level"],
                text=_rendered(r["text"], rules, ("requirements", i, "text"), problem, found),
                kind=r.get("kind", "function"),
                source=_source(r.get("source")),
                not_tested_reason=r.get("not_tested_reason"),
                location=locate(("requirements", i)),
                template=_label(r["text"]) if "{rule:" in r["text"]["ja"] + r["text"]["en"] else None,
            )
            for i, r in enumerate(data.get("requirements", ()))
        ),
        effects=tuple(
            Effect(
                id=e["id"],
                on_operation=e["on"]["operation"],
                on_command=e["on"]["command"],
                action=e["action"],
                label=_label(e["label"]),
                description=e.get("description"),
                requirements=tuple(e.get("requirements", ())),
                source=_source(e.get("source")),
                location=locate(("effects", i)),
                applies_to=e.get("applies_to"),
                when=dict(e.get("when") or {}),
                as_of=e.get("as_of"),
                sets={k: str(v) for k, v in (e.get("sets") or {}).items()},
                copies={k: str(v) for k, v in (e.get("copies") or {}).items()},
            )
            for i, e in enumerate(data.get("effects", ()))
        ),
        location=locate(()),
        description=data.get("description"),
        reads=tuple(
            Reading(
                id=r["id"],
                from_operation=r["from"]["operation"],
                from_entity=r["from"]["entity"],
                items=tuple(r["items"]),
                label=_label(r["label"]),
                as_of=r.get("as_of"),
                description=r.get("description"),
                requirements=tuple(r.get("requirements", ())),
                source=_source(r.get("source")),
                location=locate(("reads", i)),
            )
            for i, r in enumerate(data.get("reads", ()))
        ),
    )
    return op, ex.problems + found


def _rendered(
    raw: Raw, rules: tuple[Rule, ...], path: JsonPath, problem: ReportProblem, found: list[Problem]
) -> Label:
    """The requirement text with its ``{rule:…}`` placeholders rendered; a bad one is a problem."""
    out = {}
    for lang in ("ja", "en"):
        try:
            out[lang] = render(raw[lang], rules, lang)
        except RuleTextError as exc:
            found.append(problem(path + (lang,), str(exc)))
            out[lang] = raw[lang]
    return Label(ja=out["ja"], en=out["en"])
