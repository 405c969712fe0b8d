"""Every response the suite receives, checked against the compiled OpenAPI document.

:class:`ResponseSchemas` is built once per run from the whole-system OpenAPI document: it matches
a request to its path template and method, and builds one validator per declared response (status,
media type) the first time it is needed, then keeps it. :class:`ResponseLedger` is what the client
calls with every exchange: it counts the responses checked and keeps what did not conform, by the
test that received it, for the check that judges the whole run
(:func:`conformance.checks.responses.every_response_conforms`).

A response is checked when its request matches a path and method of the document (requests the
suite sends to paths or methods the document does not have, to provoke 404 or 405, are counted as
not checked): its status must be declared, its media type the declared one, its body UTF-8 JSON
valid against the declared schema (common types with their own format checks).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from conformance.exchange import Exchange

if TYPE_CHECKING:
    from standards.model import Standards

#: base URI of the document inside the validators' registry
DOC_URI = "urn:kikan:openapi"
#: how many non-conforming responses are kept with their exchange (the rest are only counted)
KEEP = 50
#: how many of the latest non-conforming exchanges a test can ask about (ResponseLedger.problems_of)
RECENT = 64


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer(path: Any) -> str:
    """A JSON Pointer (RFC 6901) from a sequence of keys and indexes ('' for the whole document)."""
    return "".join("/" + _escape(str(p)) for p in path)


@dataclass(frozen=True)
class Problem:
    """One way one response departs from the document."""

    operation: str  # the OpenAPI operationId, e.g. juki.tenkyo
    method: str
    path: str  # the request path as sent
    status: int
    pointer: str  # where in the body ('' = the whole body)
    schema_location: str  # where in the OpenAPI document the rule is, e.g. #/components/schemas/…/type
    message: str

    def line(self) -> str:
        """The problem in one line: operation, request, pointer, schema location, message."""
        where = self.pointer or "(body)"
        return (
            f"{self.operation} {self.method} {self.path} → {self.status}: {where}: {self.message}"
            f" [{self.schema_location}]"
        )


@dataclass
class _Route:
    template: str
    regex: re.Pattern[str]
    literal_segments: int
    methods: dict[str, dict[str, Any]]


#: the keyword a common type's format becomes in the fast validator's copy of the document
TYPED_FORMAT = "x-kikan-typed-format"


class ResponseSchemas:
    """The compiled OpenAPI document's response rules, with validators built once and kept."""

    def __init__(
        self, document: dict[str, Any], standards: Standards, base_paths: dict[str, str] | None = None
    ) -> None:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        from standards.validation import format_checker

        self.document = document
        #: claimed base path -> the standard's base path (a target may serve an operation elsewhere)
        self.base_paths = {k.rstrip("/"): v.rstrip("/") for k, v in (base_paths or {}).items() if k != v}
        self._registry = Registry().with_resource(
            DOC_URI, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        self._format_checker = format_checker(standards)
        self._validators: dict[str, Any] = {}
        self._standards = standards
        self._fast: dict[str, Any] = {}
        self._predicates: dict[str, Any] | None = None  # the common types' formats, built once
        self._fast_doc: dict[str, Any] | None = None
        routes = []
        for template, item in (document.get("paths") or {}).items():
            parts = template.strip("/").split("/")
            regex = "/" + "/".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
            methods = {m.upper(): op for m, op in item.items() if isinstance(op, dict) and "responses" in op}
            literal = sum(not p.startswith("{") for p in parts)
            routes.append(_Route(template, re.compile(regex + "/?$"), literal, methods))
        # a literal segment wins over a parameter: /commands/tennyu before /{kojin_bango}
        self._routes = sorted(routes, key=lambda r: (-r.literal_segments, r.template))

    def route(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """(template, OpenAPI operation) for a request, or None when the document has no such path/method."""
        for claimed, standard in self.base_paths.items():
            if path == claimed or path.startswith(claimed + "/"):
                path = standard + path[len(claimed) :]
                break
        for route in self._routes:
            if route.regex.match(path):
                op = route.methods.get(method.upper())
                if op is not None:
                    return route.template, op
        return None

    def _validator(self, location: str) -> Any:
        found = self._validators.get(location)
        if found is None:
            from standards.validation import KikanValidator

            found = KikanValidator(
                {"$ref": f"{DOC_URI}#{location}"},
                registry=self._registry,
                format_checker=self._format_checker,
            )
            self._validators[location] = found
        return found

    def check(self, exchange: Exchange) -> list[Problem] | None:
        """Every problem of ``exchange``'s response (empty: it conforms); None when it is not checked."""
        resp = exchange.response
        if resp is None:
            return None
        req = exchange.request
        path = unquote(urlsplit(req.url).path)
        found = self.route(req.method, path)
        if found is None:
            return None
        template, op = found
        op_id = str(op.get("operationId") or f"{req.method} {template}")
        base = f"/paths/{_escape(template)}/{req.method.lower()}/responses"

        def problem(at: str, location: str, message: str) -> Problem:
            return Problem(op_id, req.method, path, resp.status, at, f"#{location}", message)

        responses = op["responses"]
        status = str(resp.status)
        declared = responses.get(status) or responses.get(f"{status[0]}XX") or responses.get("default")
        if declared is None:
            allowed = ", ".join(sorted(responses))
            return [problem("", base, f"status {resp.status} is not declared (declared: {allowed})")]
        key = (
            status
            if status in responses
            else f"{status[0]}XX"
            if f"{status[0]}XX" in responses
            else "default"
        )
        content = declared.get("content") or {}
        if not content:
            return []
        location = f"{base}/{_escape(key)}/content"
        media = resp.content_type
        if media not in content:
            got = media or "no Content-Type"
            return [
                problem("", location, f"media type {got} is not declared (declared: {', '.join(content)})")
            ]
        location += f"/{_escape(media)}/schema"
        try:
            body = json.loads(resp.body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            return [problem("", location, f"the body is not UTF-8 ({exc.reason} at byte {exc.start})")]
        except ValueError as exc:
            return [problem("", location, f"the body is not JSON ({exc})")]
        fast = self._fast_validator(location)
        if fast is not None and fast.is_valid(body):
            return []
        errors = sorted(self._validator(location).iter_errors(body), key=lambda e: list(e.absolute_path))
        return [problem(pointer(e.absolute_path), self._location(location, e), e.message) for e in errors]

    def _fast_validator(self, location: str) -> Any:
        """A ``jsonschema_rs`` validator of the same rules (Draft 2020-12, jsonschema's formats, the
        common types' formats, ``x-max-characters``): it only says whether a body conforms, far
        faster than ``jsonschema``, which then finds the problems of a body that does not (so a
        failure's messages never depend on it). None when it cannot be built; the run then checks
        everything with ``jsonschema`` alone."""
        if location not in self._fast:
            try:
                import jsonschema_rs

                from standards.validation import MaxCharacters

                self._fast[location] = jsonschema_rs.validator_for(
                    self._fast_schema(location),
                    validate_formats=True,
                    keywords={"x-max-characters": MaxCharacters, TYPED_FORMAT: self._typed_format()},
                )
            except Exception:  # an unsupported construct: the exact validator alone
                self._fast[location] = None
        return self._fast[location]

    def _fast_schema(self, location: str) -> dict[str, Any]:
        """The schema at ``location`` with only the component schemas it reaches: each compiled
        validator holds what it checks, not the whole document (hundreds of validators compiled
        from the whole document held a gigabyte of native memory)."""
        doc = self._fast_document()
        components: dict[str, dict[str, Any]] = {}
        seen: set[str] = set()
        todo = _refs(_at(doc, location))
        while todo:
            ref = todo.pop()
            tokens = _tokens(ref.lstrip("#"))
            if ref in seen or len(tokens) != 3 or tokens[0] != "components":
                continue  # a ref into the path item itself is kept whole below
            seen.add(ref)
            node = _at(doc, ref.lstrip("#"))
            components.setdefault(tokens[1], {})[tokens[2]] = node
            todo += _refs(node)
        path_item = _tokens(location)[1]
        return {
            "$schema": doc["$schema"],
            "components": components,
            "paths": {path_item: doc["paths"][path_item]},
            "$ref": "#" + quote(location, safe="/~"),  # {atena_no}
        }

    def _fast_document(self) -> dict[str, Any]:
        """The document for ``jsonschema_rs``, built once: each common type's ``format`` becomes the
        keyword :data:`TYPED_FORMAT`, because ``jsonschema_rs`` applies a format to strings only and
        a common type may be an object (an address), where ``jsonschema`` applies it too."""
        if self._fast_doc is None:
            from standards.validation import format_predicates

            self._predicates = format_predicates(self._standards)
            names = set(self._predicates)

            def rewrite(node: Any) -> Any:
                if isinstance(node, dict):
                    return {
                        (TYPED_FORMAT if k == "format" and v in names else k): rewrite(v)
                        for k, v in node.items()
                    }
                return [rewrite(v) for v in node] if isinstance(node, list) else node

            self._fast_doc = {
                **rewrite(self.document),
                "$schema": "https://json-schema.org/draft/2020-12/schema",
            }
        return self._fast_doc

    def _typed_format(self) -> type:
        predicates = self._predicates or {}

        class TypedFormat:
            def __init__(self, parent_schema: Any, value: str, schema_path: Any) -> None:
                self.conforms = predicates[value]

            def validate(self, instance: object) -> None:
                if not self.conforms(instance):
                    raise ValueError("format")

        return TypedFormat

    def _location(self, start: str, error: Any) -> str:
        """The absolute place in the document of the keyword that failed.

        jsonschema's ``schema_path`` leaves out the ``$ref`` it followed, so the walk follows a
        ``$ref`` whenever the next step is not a member of the schema it is at.
        """
        here, node = start, self._resolve(start)
        for step in error.schema_path:
            while isinstance(node, dict) and step not in node and isinstance(node.get("$ref"), str):
                here = node["$ref"].split("#", 1)[-1]
                node = self._resolve(here)
            here += "/" + _escape(str(step))
            try:
                node = node[int(step)] if isinstance(node, list) else node[step]
            except (KeyError, IndexError, TypeError, ValueError):
                node = None
        return here

    def _resolve(self, ref: str) -> Any:
        node: Any = self.document
        for token in _tokens(ref):
            node = node[int(token)] if isinstance(node, list) else node.get(token)
        return node


@dataclass
class ResponseLedger:
    """What the run's responses looked like against the document: counts, and what did not conform.

    The client calls :meth:`observe` with every exchange; ``current_test`` (set by the plugin) says
    which test received it. Only the first :data:`KEEP` non-conforming responses keep their exchange.
    """

    schemas_factory: Any  # () -> ResponseSchemas, called on the first response
    current_test: str | None = None
    checked: int = 0
    not_checked: int = 0
    not_conforming: int = 0
    by_test: Counter[str] = field(default_factory=Counter)
    findings: list[tuple[str, Exchange, list[Problem]]] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    _schemas: ResponseSchemas | None = None
    #: the latest non-conforming exchanges (by id, the exchange kept so the id stays its own)
    _recent: dict[int, tuple[Exchange, list[Problem]]] = field(default_factory=dict)

    @property
    def schemas(self) -> ResponseSchemas:
        """The run's :class:`ResponseSchemas`, built on first use."""
        if self._schemas is None:
            self._schemas = self.schemas_factory()
        return self._schemas

    def observe(self, exchange: Exchange) -> None:
        """Check ``exchange``'s response and record the outcome."""
        if exchange.response is None:
            return
        try:
            problems = self.schemas.check(exchange)
        except Exception as exc:  # a bug of the checker must not break the test that made the request
            self.not_checked += 1
            if len(self.internal_errors) < 5:
                self.internal_errors.append(f"{type(exc).__name__}: {exc}")
            return
        if problems is None:
            self.not_checked += 1
            return
        self.checked += 1
        if problems:
            self.not_conforming += 1
            test = self.current_test or "(outside a test)"
            self.by_test[test] += 1
            if len(self.findings) < KEEP:
                self.findings.append((test, exchange, problems))
            self._recent[id(exchange)] = (exchange, problems)
            while len(self._recent) > RECENT:
                del self._recent[next(iter(self._recent))]

    def problems_of(self, exchange: Exchange) -> list[Problem]:
        """How ``exchange``'s response departs from the document (empty when it conforms or is too
        old to be remembered: the last :data:`RECENT` non-conforming exchanges are)."""
        kept = self._recent.get(id(exchange))
        return kept[1] if kept is not None and kept[0] is exchange else []

    def counts(self) -> dict[str, int]:
        """``{"checked", "not_conforming", "not_checked"}`` for the report."""
        return {
            "checked": self.checked,
            "not_conforming": self.not_conforming,
            "not_checked": self.not_checked,
        }


def _refs(node: Any) -> list[str]:
    """Every local ``$ref`` inside ``node``."""
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#") else []
        return own + [r for k, v in node.items() if k != "$ref" for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _tokens(pointer: str) -> list[str]:
    """The unescaped tokens of a JSON Pointer (``/paths/~1juki~1v1~1residents/get``)."""
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.strip("/").split("/") if t]


def _at(doc: Any, pointer: str) -> Any:
    """The node of ``doc`` at a JSON Pointer."""
    node = doc
    for token in _tokens(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node
