"""Valid and invalid request bodies for any command, built from the standard's items.

Each item's type decides its strategy: a common domain type uses the common strategy named for it
in :mod:`conformance.strategies` (``kojin_bango`` -> ``kojin_bangos()``, invalid ones from
``invalid_kojin_bangos()``) when there is one, else its wire schema; primitives use their own.
Everything is deterministic: :func:`draw` takes the run's seed, so the same seed and the same
target give the same requests.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from conformance import clock
from standards.model import Command, Item, Operation, Standards

UNKNOWN_ITEM = "kikan_unknown_item"

#: text the standard's character rules allow and a careless system alters: a non-BMP ideograph
#: (𠮷), a full-width space, an IVS sequence (葛 + VS17), a CJK compatibility ideograph (U+FA10,
#: which NFC replaces with 塚) and 髙 (which width or variant folding may turn into 高).
TRICKY_TEXT = "𠮷野\u3000葛\U000e0100飾\ufa10髙"


@dataclass(frozen=True)
class InvalidCase:
    """One invalid body: which item is wrong, how, and the error codes a target may answer with."""

    body: dict[str, Any]
    pointer: str
    codes: frozenset[str]
    description: str


def draw(strategy: st.SearchStrategy[Any], seed: int, *, index: int = 3) -> Any:
    """A value of ``strategy``, the same for the same ``seed`` (not for use inside a @given test).

    The ``index``-th generated example is taken so that it is not always the simplest one.
    """
    found: list[Any] = []

    @settings(
        max_examples=index + 1,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis_seed(seed)
    @given(strategy)
    def capture(value: Any) -> None:
        found.append(value)

    capture()
    return found[min(index, len(found) - 1)]


def _common_strategy(type_id: str, prefix: str = "") -> Callable[[], st.SearchStrategy[Any]] | None:
    """The common strategy factory of a domain type (``prefix="invalid_"``: its invalid values)."""
    import conformance.strategies as common

    pair = getattr(common, "BY_TYPE", {}).get(type_id)
    if pair is not None:
        return pair[1] if prefix == "invalid_" else pair[0]
    return getattr(common, f"{prefix}{type_id}s", None)


def _schema_strategy(schema: Any) -> st.SearchStrategy[Any]:
    if "enum" in schema:
        return st.sampled_from(list(schema["enum"]))
    kind = schema.get("type")
    if kind == "string" and "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    if kind == "string":
        return st.text(
            alphabet=st.characters(codec="utf-8", categories=("L", "N")),
            min_size=max(1, schema.get("minLength", 1)),
            max_size=schema.get("maxLength", 20),
        )
    if kind == "integer":
        return st.integers(schema.get("minimum", 0), schema.get("maximum", 10**9))
    if kind == "boolean":
        return st.booleans()
    return st.none()


def item_strategy(standards: Standards, operation: Operation, item: Item) -> st.SearchStrategy[Any]:
    """Valid values of ``item``."""
    if item.type == "string":
        return st.text(
            alphabet=st.characters(codec="utf-8", categories=("L", "N")),
            min_size=1,
            max_size=min(item.max_length or 20, 20),
        )
    if item.type == "integer":
        return st.integers(0, 10**6)
    if item.type == "boolean":
        return st.booleans()
    if item.type == "date":
        return st.dates(dt.date(1930, 1, 1), dt.date(2020, 12, 31)).map(dt.date.isoformat)
    if item.type == "timestamp":
        return st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 1, 1)).map(
            lambda d: d.replace(microsecond=0).isoformat() + "+09:00"
        )
    if item.type == "code":
        codes = standards.codelist(item.codelist or "", operation).code_values(clock.today())
        return st.sampled_from(list(codes))
    if item.type == "object":
        return body_strategy(standards, operation, item.items)
    if item.type == "array":
        assert item.of is not None
        return st.lists(item_strategy(standards, operation, item.of), min_size=1, max_size=3)
    common = _common_strategy(item.type)
    if common is not None:
        return common()
    return _schema_strategy(standards.type(item.type).schema)


def body_strategy(
    standards: Standards, operation: Operation, items: tuple[Item, ...], *, optional: bool = True
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid bodies: every required item, and (``optional=True``) the optional ones sometimes.

    Shrinks towards the body with only the required items, each at its simplest value.
    """
    required = {
        i.name: item_strategy(standards, operation, i) for i in items if i.required and not i.read_only
    }
    extra = {
        i.name: item_strategy(standards, operation, i)
        for i in items
        if optional and not i.required and not i.read_only
    }
    return st.fixed_dictionaries(required, optional=extra)


BodyFactory = Callable[[Any, Command, int], dict[str, Any]]  # (RunContext, command, seed) -> body
_BODY_FACTORIES: dict[tuple[str, str], BodyFactory] = {}


def body_factory(operation: str, command: str) -> Callable[[BodyFactory], BodyFactory]:
    """Register the decorated ``(ctx, command, seed) -> body`` as the maker of valid bodies of
    ``operation``'s ``command`` (e.g. a 転入 of a 日本人 that satisfies the business rules); ``ctx``
    is the run's RunContext (a factory may read the target, e.g. to find an existing household).

    Operation suites put these in ``conformance/suites/<operation>/bodies.py``; :func:`valid_body`
    imports that module on first use. A second factory for the same command is rejected.
    """
    key = (operation, command)
    if key in _BODY_FACTORIES:
        raise ValueError(f"a body factory for {operation}.{command} is already registered")

    def decorate(func: BodyFactory) -> BodyFactory:
        _BODY_FACTORIES[key] = func
        return func

    return decorate


def _load_bodies(op_id: str) -> None:
    import importlib

    module = f"conformance.suites.{op_id}.bodies"
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        # no suite (or no bodies module) for this operation is fine; a broken import inside it is not
        if exc.name is None or not module.startswith(exc.name):
            raise


ItemFactory = Callable[[Any], str]  # (RunContext) -> key of a new item
_ITEM_FACTORIES: dict[tuple[str, str], ItemFactory] = {}


def item_factory(operation: str, resource: str) -> Callable[[ItemFactory], ItemFactory]:
    """Register the decorated ``(ctx) -> key`` as the maker of a new item of ``operation``'s
    ``resource`` that no command of that operation creates (a 附票 is made by the 戸籍's 届出).

    Like :func:`body_factory`, it lives in ``conformance/suites/<operation>/bodies.py``; the generic
    checks use it when they need items of such a resource. A second factory is rejected.
    """
    key = (operation, resource)
    if key in _ITEM_FACTORIES:
        raise ValueError(f"an item factory for {operation}.{resource} is already registered")

    def decorate(func: ItemFactory) -> ItemFactory:
        _ITEM_FACTORIES[key] = func
        return func

    return decorate


def item_maker(op_id: str, resource_id: str) -> ItemFactory | None:
    """The operation suite's item factory for the resource (None when it registered none)."""
    _load_bodies(op_id)
    return _ITEM_FACTORIES.get((op_id, resource_id))


def has_body_factory(op_id: str, command_id: str) -> bool:
    """True when the operation suite registered a body factory for the command."""
    _load_bodies(op_id)
    return (op_id, command_id) in _BODY_FACTORIES


def valid_body(
    standards: Standards, operation: Operation, command: Command, seed: int, *, ctx: Any = None
) -> dict[str, Any]:
    """One valid request body of ``command``, deterministic from ``seed``.

    With a run context, the operation suite's registered :func:`body_factory` when there is one;
    otherwise the minimal body (required items only): optional items may reference other records or
    combine under business rules a generic generator cannot know.
    """
    _load_bodies(operation.id)
    factory = _BODY_FACTORIES.get((operation.id, command.id))
    if factory is not None and ctx is not None:
        return dict(factory(ctx, command, seed))
    salt = zlib.crc32(f"{operation.id}.{command.id}".encode())
    return dict(draw(body_strategy(standards, operation, command.request, optional=False), seed ^ salt))


def _invalid_values(
    standards: Standards, operation: Operation, item: Item, seed: int
) -> list[tuple[Any, set[str], str]]:
    """(value, acceptable codes, description) for ways ``item`` can be wrong."""
    out: list[tuple[Any, set[str], str]] = []
    primitive_wrong = 12345 if item.type not in ("integer", "array", "object") else "not-a-number"
    out.append((primitive_wrong, {"TYPE"}, "wrong JSON type / 型の誤り"))
    if item.max_length:
        out.append(("あ" * (item.max_length + 1), {"MAX_LENGTH"}, "over-length / 桁数超過"))
    if item.type == "code":
        out.append(("KIKAN-NO-SUCH-CODE", {"CODE_NOT_IN_LIST"}, "code not in list / コード外"))
    if item.type == "date":
        out.append(("2023-02-30", {"NOT_A_DATE"}, "impossible date / 存在しない日付"))
    if item.type not in PRIMITIVE_TYPES:
        invalid = _common_strategy(item.type, "invalid_")
        dtype = standards.type(item.type)
        if invalid is not None:
            out.append((draw(invalid(), seed), set(dtype.error_codes), f"invalid {item.type}"))
    return out


PRIMITIVE_TYPES = frozenset({"string", "integer", "boolean", "date", "timestamp", "code", "object", "array"})


def invalid_cases(
    standards: Standards, operation: Operation, command: Command, seed: int, *, ctx: Any = None
) -> list[InvalidCase]:
    """Invalid bodies of ``command``: each breaks exactly one item of a valid body.

    Missing required items, wrong JSON types, over-length text, codes outside the list, impossible
    dates, common-type violations (check digits …) and an unknown item.
    """
    base = valid_body(standards, operation, command, seed, ctx=ctx)
    cases: list[InvalidCase] = []
    for item in command.request:
        if item.read_only:
            continue
        pointer = f"/{item.name}"
        if item.required:
            body = {k: v for k, v in base.items() if k != item.name}
            cases.append(
                InvalidCase(body, pointer, frozenset({"REQUIRED"}), f"{item.name}: missing / 必須項目なし")
            )
        for value, codes, description in _invalid_values(standards, operation, item, seed):
            cases.append(
                InvalidCase(
                    {**base, item.name: value}, pointer, frozenset(codes), f"{item.name}: {description}"
                )
            )
    cases.append(
        InvalidCase(
            {**base, UNKNOWN_ITEM: "x"}, f"/{UNKNOWN_ITEM}", frozenset({"UNKNOWN_ITEM"}), "unknown item"
        )
    )
    return cases


def text_items(command: Command) -> list[Item]:
    """The free-text items of ``command`` a round trip can test: the required plain-string and 氏名
    items, else the first optional 氏名 item (optional text may be restricted by business rules)."""
    text = [i for i in command.request if not i.read_only and i.type in ("string", "shimei")]
    required = [i for i in text if i.required]
    return required or [i for i in text if i.type == "shimei"][:1]


def round_trip_items(op: Operation, command: Command) -> list[Item]:
    """The :func:`text_items` of a creating command that the created item holds under the same name
    (writable there): what can be read back from it. A reference to another record (a 戸籍番号 naming
    the register to enter) or an item kept by another resource (the 氏名 of a 帰化 is the entry's, not
    the register's) is not."""
    if command.creates is None:
        return []
    entity = op.entity(op.resource(command.creates).entity)
    held = {i.name for i in entity.items if not i.read_only}
    return [i for i in text_items(command) if i.name in held]


def first_date_item(command: Command, entity_items: tuple[str, ...] = ()) -> Item | None:
    """The command's effective date (its 異動日): the first required date item that is the command's
    own (not one of ``entity_items``, the created entity's item names), else the first required date."""
    dates = [i for i in command.request if i.type == "date" and i.required]
    own = [i for i in dates if i.name not in entity_items]
    return (own or dates or [None])[0]
