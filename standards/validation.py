"""Schema validation with the common types' own checks and error codes.

One source of truth: each common type in ``standards/common/types.yaml`` names a ``format`` in its
wire schema and the ``validator`` that checks it. :func:`format_checker` registers every one with a
jsonschema ``FormatChecker``; :func:`iter_problems` validates with Draft 2020-12 and returns every
problem as a :class:`~standards.common.problems.Problem` with a JSON Pointer and a stable code.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema import validators as jsonschema_validators

from standards.common.problems import Problem, escape_pointer_token
from standards.common.text import char_length
from standards.model import Standards

Validator = Callable[..., list[Problem]]

#: JSON Schema keyword → the API's stable error code (docs/api-conventions.md).
KEYWORD_CODES = {
    "required": "REQUIRED",
    "type": "TYPE",
    "maxLength": "MAX_LENGTH",
    "x-max-characters": "MAX_LENGTH",
    "minLength": "MIN_LENGTH",
    "pattern": "PATTERN",
    "enum": "CODE_NOT_IN_LIST",
    "const": "CODE_NOT_IN_LIST",
    "additionalProperties": "UNKNOWN_ITEM",
    "unevaluatedProperties": "UNKNOWN_ITEM",
    "minimum": "OUT_OF_RANGE",
    "maximum": "OUT_OF_RANGE",
    "exclusiveMinimum": "OUT_OF_RANGE",
    "exclusiveMaximum": "OUT_OF_RANGE",
    "multipleOf": "OUT_OF_RANGE",
    "minItems": "MIN_ITEMS",
    "maxItems": "MAX_ITEMS",
    "uniqueItems": "DUPLICATE_ITEMS",
    "minProperties": "MIN_ITEMS",
    "maxProperties": "MAX_ITEMS",
    "format": "FORMAT",
}
#: Schema codes that only repeat what a type's own validator says about the same item.
_SUBSUMED_BY_FORMAT = frozenset({"PATTERN", "MIN_LENGTH", "OUT_OF_RANGE"})


class FormatProblems(Exception):
    """Raised by a format check: carries the type validator's problems (pointers relative to the value)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message_en for p in problems))
        self.problems = problems


def resolve_validator(reference: str) -> Validator:
    """The function named by ``"module:function"`` (a type's ``validator``)."""
    module_name, _, function_name = reference.partition(":")
    if not module_name or not function_name:
        raise ValueError(f"validator must be 'module:function', got {reference!r}")
    function = getattr(importlib.import_module(module_name), function_name, None)
    if not callable(function):
        raise ValueError(f"validator {reference!r} is not a function")
    return function  # type: ignore[no-any-return]


def _applies(schema: Any, instance: object) -> bool:
    """Whether the type's validator should see ``instance``: its JSON type is one the schema declares.

    Other types are left to the ``type`` keyword, so a wrong type is reported once, as TYPE. JSON
    Schema's own type rules apply: ``1.0`` is an integer, so a strict validator still sees it.
    """
    declared = schema.get("type") if isinstance(schema, Mapping) else None
    if declared is None:
        return True
    names = [declared] if isinstance(declared, str) else list(declared)
    is_type = Draft202012Validator.TYPE_CHECKER.is_type
    return any(is_type(instance, name) for name in names if name != "null")


def _check_for(validator: Validator, schema: Any) -> Callable[[object], bool]:
    def check(instance: object) -> bool:
        if not _applies(schema, instance):
            return True  # the `type` keyword reports this one
        problems = validator(instance)
        if problems:
            raise FormatProblems(problems)
        return True

    return check


def _typed_formats(standards: Standards) -> Iterator[tuple[str, Validator, Any]]:
    """(format name, validator, schema) of every common type whose schema names a checked format."""
    for domain_type in standards.types:
        name = domain_type.schema.get("format")
        if name and domain_type.validator:
            yield name, resolve_validator(domain_type.validator), domain_type.schema


def format_checker(standards: Standards) -> FormatChecker:
    """A FormatChecker with every common type's ``schema.format`` checked by its ``validator``."""
    checker = FormatChecker()  # jsonschema's own formats stay; the common types' override them
    for name, validator, schema in _typed_formats(standards):
        checker.checks(name, raises=FormatProblems)(_check_for(validator, schema))
    return checker


def format_predicates(standards: Standards) -> dict[str, Callable[[object], bool]]:
    """Every common type's format as a yes/no function (the same checks as :func:`format_checker`),
    for validators that only answer whether an instance conforms (``jsonschema_rs``)."""

    def predicate(validator: Validator, schema: Any) -> Callable[[object], bool]:
        return lambda instance: not _applies(schema, instance) or not validator(instance)

    return {name: predicate(validator, schema) for name, validator, schema in _typed_formats(standards)}


class MaxCharacters:
    """``x-max-characters`` as a ``jsonschema_rs`` keyword (the same rule as :data:`KikanValidator`'s)."""

    def __init__(self, parent_schema: Any, value: int, schema_path: Any) -> None:
        self.limit = value

    def validate(self, instance: object) -> None:
        problem = _over_limit(instance, self.limit)
        if problem:
            raise ValueError(problem)


def _over_limit(instance: object, limit: int) -> str | None:
    """Why ``instance`` breaks ``x-max-characters: limit`` (None when it does not)."""
    if isinstance(instance, str) and char_length(instance) > limit:
        return f"{char_length(instance)} characters is more than {limit}"
    return None


def _max_characters(validator: Any, limit: int, instance: object, schema: Any) -> Iterator[ValidationError]:
    problem = _over_limit(instance, limit)
    if problem:
        yield ValidationError(problem)


#: Draft 2020-12 plus ``x-max-characters``: a length limit in characters (base + IVS selector = 1).
KikanValidator = jsonschema_validators.extend(Draft202012Validator, {"x-max-characters": _max_characters})


def _pointer(path: Any) -> str:
    return "".join("/" + escape_pointer_token(token) for token in path)


def _extra_properties(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = set(schema.get("properties", {}))
    patterns = list(schema.get("patternProperties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [k for k in instance if k not in known and not any(re.search(p, k) for p in patterns)]


def _through_nullable(error: ValidationError) -> Iterator[ValidationError]:
    """A nullable item (``anyOf: [<schema>, {type: null}]``) holding a value that is not null has the
    problems of ``<schema>`` (its own codes, e.g. ``FURIGANA_CHARACTER``), not one ``INVALID``."""
    branches = error.validator_value if error.validator in ("anyOf", "oneOf") else None
    if isinstance(branches, list) and error.instance is not None and error.context:
        others = [i for i, b in enumerate(branches) if b != {"type": "null"}]
        if len(others) == 1 and len(branches) == 2:
            subs = [
                e for e in error.context if e.relative_schema_path and e.relative_schema_path[0] == others[0]
            ]
            if subs:
                for sub in subs:
                    yield from _through_nullable(sub)
                return
    yield error


def _problems_of(error: ValidationError) -> list[Problem]:
    at = _pointer(error.absolute_path)
    keyword = str(error.validator) if error.validator is not None else "false"
    if keyword == "format" and isinstance(error.cause, FormatProblems):
        return [p.under(at) for p in error.cause.problems]
    if keyword == "required" and isinstance(error.instance, dict):
        missing = [
            p for p in error.validator_value if p not in error.instance and error.message.startswith(repr(p))
        ]
        return [
            Problem(
                "REQUIRED", f"{at}/{escape_pointer_token(name)}", f"{name} は必須です", f"{name} is required"
            )
            for name in missing[:1]
        ]
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        return [
            Problem(
                "UNKNOWN_ITEM",
                f"{at}/{escape_pointer_token(k)}",
                f"未知の項目です: {k}",
                f"Unknown item: {k}",
            )
            for k in _extra_properties(error)
        ]
    if keyword == "false":
        return [Problem("UNKNOWN_ITEM", at, "この項目は指定できません", "This item is not allowed")]
    code = KEYWORD_CODES.get(keyword, "INVALID")
    return [Problem(code, at, _message_ja(keyword, error.validator_value), error.message)]


_MESSAGES_JA = {
    "type": "型が誤っています（{value} で指定してください）",
    "maxLength": "{value}文字以内で指定してください",
    "x-max-characters": "{value}文字以内で指定してください",
    "minLength": "{value}文字以上で指定してください",
    "pattern": "形式が誤っています（{value}）",
    "enum": "コード表にない値です",
    "const": "指定できない値です",
    "minimum": "{value}以上で指定してください",
    "maximum": "{value}以下で指定してください",
    "exclusiveMinimum": "{value}より大きい値で指定してください",
    "exclusiveMaximum": "{value}より小さい値で指定してください",
    "minItems": "{value}件以上で指定してください",
    "maxItems": "{value}件以内で指定してください",
    "uniqueItems": "同じ値が重複しています",
    "format": "{value} 形式ではありません",
}


def _message_ja(keyword: str, value: object) -> str:
    return _MESSAGES_JA.get(keyword, "項目の値が不正です（{value}）").format(
        value=value if keyword in _MESSAGES_JA else keyword
    )


def iter_problems(schema: dict[str, Any], instance: object, standards: Standards) -> list[Problem]:
    """Every problem of ``instance`` against ``schema`` (Draft 2020-12), sorted by pointer.

    Format failures carry the type validator's own codes (``KOJIN_BANGO_CHECK_DIGIT``); other
    failures map by keyword (``REQUIRED``, ``TYPE``, ``MAX_LENGTH``, ``PATTERN``, ``enum`` →
    ``CODE_NOT_IN_LIST``, ``additionalProperties`` → ``UNKNOWN_ITEM`` …). A schema problem that
    only repeats a type validator's problem at the same pointer (a failed ``pattern`` beside
    ``KOJIN_BANGO_FORMAT``) is dropped, and the same (code, pointer) is reported once.
    """
    return problem_finder(schema, standards)(instance)


def problem_finder(schema: dict[str, Any], standards: Standards) -> Callable[[object], list[Problem]]:
    """:func:`iter_problems` for one schema, built once: the function to call for many instances."""
    validator = KikanValidator(schema, format_checker=format_checker(standards))
    return lambda instance: _problems(validator, instance)


def _problems(validator: Any, instance: object) -> list[Problem]:
    format_found: list[Problem] = []
    schema_found: list[Problem] = []
    for error in (e for top in validator.iter_errors(instance) for e in _through_nullable(top)):
        target = format_found if error.validator == "format" else schema_found
        target.extend(_problems_of(error))
    format_pointers = {p.pointer for p in format_found}
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    tagged = [(p, False) for p in format_found] + [(p, True) for p in schema_found]
    for problem, from_schema in tagged:
        if from_schema and problem.code in _SUBSUMED_BY_FORMAT and problem.pointer in format_pointers:
            continue
        if (problem.code, problem.pointer) not in seen:
            seen.add((problem.code, problem.pointer))
            problems.append(problem)
    return sorted(problems, key=lambda p: p.pointer)


__all__ = [
    "FormatProblems",
    "KikanValidator",
    "format_checker",
    "format_predicates",
    "MaxCharacters",
    "iter_problems",
    "problem_finder",
    "resolve_validator",
]
