"""Typed model of the machine-readable standards.

The YAML files under ``standards/`` are validated by the meta-schemas in ``standards/meta/`` and
then turned into these immutable objects by :mod:`standards.loader`. Everything else (compile,
lint, the reference server, the suite) reads the standards through this model only, never the raw
YAML. See ``docs/standard-format.md`` for the file format these classes mirror.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Confidence = Literal["verified", "stated", "unconfirmed", "convention"]
Level = Literal["must", "option"]
Kind = Literal["function", "prohibition"]
Primitive = Literal["string", "integer", "boolean", "date", "timestamp", "code", "object", "array"]

PRIMITIVES: frozenset[str] = frozenset(
    {"string", "integer", "boolean", "date", "timestamp", "code", "object", "array"}
)


@dataclass(frozen=True)
class Label:
    """A bilingual label: Japanese first, English beside it."""

    ja: str
    en: str


@dataclass(frozen=True)
class Source:
    """Where a fact comes from, and how sure we are of it."""

    document: str | None = None
    section: str | None = None
    url: str | None = None
    confidence: Confidence = "stated"
    note: str | None = None
    verified_by: str | None = None  # with confidence "verified": the test (path::function) that checks it


@dataclass(frozen=True)
class Location:
    """File and line a model object was read from (for error messages)."""

    file: str
    line: int


@dataclass(frozen=True)
class Item:
    """One data item (基本データリストの項目) of an entity, a request or a nested object."""

    name: str
    label: Label
    type: str  # a primitive (PRIMITIVES) or the id of a common domain type
    required: bool = False
    max_length: int | None = None  # in characters; a base ideograph + IVS selector counts as one
    codelist: str | None = None  # for type "code"
    items: tuple[Item, ...] = ()  # for type "object"
    of: Item | None = None  # element description for type "array"
    read_only: bool = False  # assigned by the system; never accepted in requests
    nullable: bool = False
    description: str | None = None
    source: Source | None = None
    location: Location | None = None


@dataclass(frozen=True)
class ItemGroup:
    """A named group of an entity's items that a rule of the standard speaks of as one.

    E.g. the 住民 items that the 異動 commands change, or the 戸籍 entry items that describe the
    person and go with them into another 戸籍. The suite and the reference server read such a
    list from here instead of writing it again.
    """

    id: str
    label: Label
    items: tuple[str, ...]
    description: str | None = None


@dataclass(frozen=True)
class Entity:
    """An entity of an operation (住民, 世帯, 異動履歴 …)."""

    id: str
    label: Label
    key: tuple[str, ...]
    items: tuple[Item, ...]
    description: str | None = None
    source: Source | None = None
    location: Location | None = None
    groups: tuple[ItemGroup, ...] = ()

    def item(self, name: str) -> Item:
        for it in self.items:
            if it.name == name:
                return it
        raise KeyError(f"{self.id} has no item {name!r}")

    def group(self, group_id: str) -> tuple[str, ...]:
        """The item names of the group ``group_id``, in the order the standard lists them."""
        for g in self.groups:
            if g.id == group_id:
                return g.items
        raise KeyError(f"{self.id} has no item group {group_id!r}")

    def data_items(self) -> tuple[str, ...]:
        """The names of the items that are neither the key nor arrays (rows of their own), in order."""
        return tuple(it.name for it in self.items if it.name not in self.key and it.type != "array")


@dataclass(frozen=True)
class Code:
    code: str
    label: Label
    valid_from: date | None = None
    valid_to: date | None = None  # inclusive; None = still valid
    note: str | None = None
    chain: bool = False  # a term that may be joined by の into a chain (続柄); False: it stands alone


@dataclass(frozen=True)
class CodeList:
    id: str
    label: Label
    codes: tuple[Code, ...]
    source: Source | None = None
    location: Location | None = None
    description: str | None = None
    max_chain: int | None = None  # most terms in one chain of ``chain`` codes (続柄: 4)

    def code_values(self, on: date | None = None) -> tuple[str, ...]:
        """The codes valid on ``on`` (all codes when ``on`` is None)."""
        return tuple(
            c.code
            for c in self.codes
            if on is None
            or ((c.valid_from is None or c.valid_from <= on) and (c.valid_to is None or on <= c.valid_to))
        )

    def code_of(self, label_ja: str) -> str:
        """The code whose Japanese label is ``label_ja``: code that means a term names it by its label,
        never by its value (KeyError naming the list when no code has that label)."""
        for c in self.codes:
            if c.label.ja == label_ja:
                return c.code
        raise KeyError(f"code list {self.id} has no code labelled {label_ja}")

    def codes_by_label(self) -> dict[str, str]:
        """Every code by its Japanese label."""
        return {c.label.ja: c.code for c in self.codes}


@dataclass(frozen=True)
class ErrorCase:
    """A stable problem code of the API (RFC 9457 ``code`` member)."""

    code: str
    status: int
    title: Label
    description: str | None = None
    location: Location | None = None
    #: the requirement whose rule refuses with this code, when the standard states one
    requirement: str | None = None


@dataclass(frozen=True)
class Filter:
    """A query parameter of a collection, matched against an item of the entity."""

    name: str
    item: str
    match: Literal["exact", "prefix"] = "exact"


@dataclass(frozen=True)
class Resource:
    """A readable resource: a collection with cursor pagination and an item by key."""

    id: str
    path: str  # relative to the operation's base path, e.g. "/residents"
    entity: str
    key: str  # the entity item that is the path parameter of the single-item path
    filters: tuple[Filter, ...] = ()
    temporal: tuple[Literal["as_of", "updated_since"], ...] = ()
    parent: str | None = None  # id of the parent resource for nested paths (history)
    requirements: tuple[str, ...] = ()
    location: Location | None = None
    label: Label | None = None
    description: str | None = None


@dataclass(frozen=True)
class Target:
    """The existing resource a command acts on; its ETag is what ``If-Match`` is compared with."""

    resource: str
    pointer: str  # JSON Pointer into the request body giving the key


@dataclass(frozen=True)
class Command:
    """A write: a 届出 or 申請 applied atomically (``POST <base>/commands/<id>``)."""

    id: str
    label: Label
    request: tuple[Item, ...]
    target: Target | None = None
    creates: str | None = None  # resource id of what the command creates, if any
    errors: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    description: str | None = None
    source: Source | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Api:
    resources: tuple[Resource, ...] = ()
    commands: tuple[Command, ...] = ()
    errors: tuple[ErrorCase, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A rule as data: a value or a table, valid for a date range (effective dates)."""

    id: str
    label: Label
    value: Any = None
    table: tuple[Mapping[str, Any], ...] | None = None
    unit: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    source: Source | None = None
    location: Location | None = None
    description: str | None = None


@dataclass(frozen=True)
class Requirement:
    id: str
    level: Level
    text: Label
    kind: Kind = "function"  # "prohibition" = 実装しない機能, a testable negative
    source: Source | None = None
    not_tested_reason: str | None = None
    location: Location | None = None
    #: The text as written, with ``{rule:…}`` placeholders (``text`` is it rendered from the rules).
    template: Label | None = None

    @property
    def written(self) -> Label:
        """The text as written in the standard file (placeholders unrendered)."""
        return self.template or self.text


@dataclass(frozen=True)
class Reading:
    """Data this operation reads from another operation's entity (a dependency pulled on a date).

    E.g. 印鑑登録 reads the applicant's 住民基本台帳 record on the application date (住民状態,
    生年月日, 成年被後見人, 世帯). The source's reader on each side serves the items that the
    readings of its dependents declare (docs/cross-operation.md).
    """

    id: str
    from_operation: str
    from_entity: str
    items: tuple[str, ...]
    label: Label
    #: the reading operation's date item (or words for the date) on which the source is read
    as_of: str | None = None
    description: str | None = None
    requirements: tuple[str, ...] = ()
    source: Source | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Effect:
    """What a command of another operation does to this one (a cross-operation effect).

    E.g. 印鑑登録 states: on 住民基本台帳's ``shibou`` (死亡), the holder's registration ends as
    of the 異動日 with reason 死亡. ``action`` names the behaviour; the reference server and the
    suite's oracle each implement it from this description, independently.
    """

    id: str
    on_operation: str
    on_command: str
    action: str
    label: Label
    description: str | None = None
    requirements: tuple[str, ...] = ()
    source: Source | None = None
    location: Location | None = None
    #: whose records: "removed" (every resident the command removed), "subject" (the resident its
    #: atena_no names), "changed" (every resident whose record it changed); None when not stated
    applies_to: str | None = None
    #: values the triggering command's body must hold for the effect to apply
    when: Mapping[str, Any] = field(default_factory=dict)
    #: the triggering command's date item whose held date dates the change
    as_of: str | None = None
    #: items of the affected entity and the codes the effect records in them
    sets: Mapping[str, str] = field(default_factory=dict)
    #: items of the affected entity and where each takes its value from: ``request.<item>`` (the
    #: triggering command's body) or ``<entity>.<item>`` (the triggering operation's record the
    #: effect applies to, as it is after the command), e.g. ``{"jusho": "resident.jusho"}``
    copies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Edition:
    """An edition of a published specification that a public source names (e.g. the current one)."""

    edition: str
    published: date | None = None
    url: str | None = None
    confidence: Confidence = "stated"
    note: str | None = None


@dataclass(frozen=True)
class Specification:
    """The published specification a standard models: ``edition`` is the one modelled."""

    title: str
    edition: str | None = None
    ministry: str | None = None
    published: date | None = None
    url: str | None = None
    confidence: Confidence = "stated"
    note: str | None = None
    current: Edition | None = None  # the edition a source names as current, when not the one modelled


@dataclass(frozen=True)
class GyomuNumber:
    """An official 業務番号 (``001`` 住民基本台帳 …), as in the 基本データリスト file names."""

    no: str
    label: Label
    operation: str | None = None  # the id of the operation's standard, once written
    location: Location | None = None


@dataclass(frozen=True)
class Operation:
    """One operation's standard (住民基本台帳 …), or the common API part (id ``api``)."""

    id: str
    name: Label
    version: str
    specification: Specification
    depends_on: tuple[str, ...] = ()
    gyomu_no: str | None = None  # the official 業務番号 (standards/common/gyomu.yaml)
    entities: tuple[Entity, ...] = ()
    codelists: tuple[CodeList, ...] = ()
    api: Api = field(default_factory=Api)
    rules: tuple[Rule, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    effects: tuple[Effect, ...] = ()
    location: Location | None = None
    description: str | None = None
    reads: tuple[Reading, ...] = ()

    @property
    def base_path(self) -> str:
        return f"/{self.id}/v{self.version.split('.')[0]}"

    @property
    def scopes(self) -> tuple[str, str]:
        return (f"{self.id}:read", f"{self.id}:write")

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(f"{self.id} has no entity {entity_id!r}")

    def code_of(self, codelist_id: str, label_ja: str) -> str:
        """The code labelled ``label_ja`` in one of this operation's own code lists."""
        for cl in self.codelists:
            if cl.id == codelist_id:
                return cl.code_of(label_ja)
        raise KeyError(f"{self.id} has no code list {codelist_id!r}")

    def resource(self, resource_id: str) -> Resource:
        for r in self.api.resources:
            if r.id == resource_id:
                return r
        raise KeyError(f"{self.id} has no resource {resource_id!r}")

    def command(self, command_id: str) -> Command:
        for c in self.api.commands:
            if c.id == command_id:
                return c
        raise KeyError(f"{self.id} has no command {command_id!r}")

    def rule(self, rule_id: str, on: date | None = None) -> Rule:
        """The rule ``rule_id`` valid on ``on`` (the only one, when ``on`` is None)."""
        found = [
            r
            for r in self.rules
            if r.id == rule_id
            and (
                on is None
                or ((r.valid_from is None or r.valid_from <= on) and (r.valid_to is None or on <= r.valid_to))
            )
        ]
        if not found:
            raise KeyError(f"{self.id} has no rule {rule_id!r} valid on {on}")
        if len(found) > 1:
            raise KeyError(f"{self.id} rule {rule_id!r} is ambiguous on {on}: pass a date")
        return found[0]


@dataclass(frozen=True)
class DomainType:
    """A common domain type (個人番号, 不詳日 …) shared by every operation."""

    id: str
    label: Label
    schema: Mapping[str, Any]  # JSON Schema 2020-12 fragment used on the wire
    validator: str | None = None  # "module:function" returning a list of problems
    error_codes: tuple[str, ...] = ()
    description: str | None = None
    source: Source | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Standards:
    """Every standard: common types and code lists, the common API part, and the operations."""

    types: tuple[DomainType, ...]
    codelists: tuple[CodeList, ...]  # common code lists (性別, 続柄, 都道府県 …)
    api: Operation  # the common API conventions (requirements API-xxx, common errors)
    operations: tuple[Operation, ...]
    gyomu: tuple[GyomuNumber, ...] = ()  # the official 業務番号 table (all twenty, written or not)
    gyomu_source: Source | None = None

    def operation(self, op_id: str) -> Operation:
        for op in self.operations:
            if op.id == op_id:
                return op
        raise KeyError(f"no operation {op_id!r}")

    def type(self, type_id: str) -> DomainType:
        for t in self.types:
            if t.id == type_id:
                return t
        raise KeyError(f"no common type {type_id!r}")

    def codelist(self, codelist_id: str, operation: Operation | None = None) -> CodeList:
        """A code list by id: the operation's own first, then the common ones."""
        pools = ((operation.codelists if operation else ()), self.codelists)
        for pool in pools:
            for cl in pool:
                if cl.id == codelist_id:
                    return cl
        raise KeyError(f"no code list {codelist_id!r}")

    def code_of(self, codelist_id: str, label_ja: str, operation: Operation | None = None) -> str:
        """The code labelled ``label_ja`` in a code list (the operation's own first, then the common ones)."""
        return self.codelist(codelist_id, operation).code_of(label_ja)

    def gyomu_number(self, no: str) -> GyomuNumber:
        """The row of 業務番号 ``no`` (``"001"``)."""
        for row in self.gyomu:
            if row.no == no:
                return row
        raise KeyError(f"no 業務番号 {no!r}")

    def requirements(self) -> tuple[Requirement, ...]:
        """Every requirement: the common API part's, then each operation's."""
        out = list(self.api.requirements)
        for op in self.operations:
            out.extend(op.requirements)
        return tuple(out)
