"""The response check's fast path agrees with the exact one.

``ResponseSchemas.check`` asks ``jsonschema_rs`` whether a body conforms and asks ``jsonschema`` for
the problems only when it does not. A fast path more lenient than the exact validator would be a
false pass, so: real responses of a run against the reference server (they conform), and each of
them changed in the ways a faulty server breaks a body (a wrong type deep inside, a string over its
character limit, an impossible date, a required member missing, a member the schema does not
allow), must get the same verdict from both.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from faulty import Exchange as FaultExchange
from faulty import Fault, reference_app, run

from conformance.exchange import Exchange, Request, Response
from conformance.response_schemas import ResponseSchemas
from standards.compile import openapi
from standards.loader import load_standards

OPS = ("juki", "inkan")


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, int, Any]]:
    """(method, path, status, body) of every JSON answer the reference server gave one quick run."""
    seen: list[tuple[str, str, int, Any]] = []

    def keep(ex: FaultExchange) -> None:
        doc = ex.response_json()
        if doc is not None:
            seen.append((ex.method, ex.path, ex.status, doc))

    app = Fault(reference_app(tmp_path_factory.mktemp("db"), OPS), None, keep)
    run(
        app,
        ["juki/test_commands.py", "juki/test_history.py", "inkan/test_reads.py"],
        tmp_path_factory.mktemp("out"),
        operations=OPS,
    )
    assert len(seen) > 100
    return seen


@pytest.fixture(scope="module")
def schemas() -> ResponseSchemas:
    standards = load_standards()
    return ResponseSchemas(openapi(standards, None), standards)


def _exchange(method: str, path: str, status: int, body: Any) -> Exchange:
    ctype = "application/problem+json" if status >= 400 else "application/json"
    return Exchange(
        Request(method, f"http://testserver{path}", {}, None),
        Response(status, {"content-type": ctype}, json.dumps(body, ensure_ascii=False).encode()),
    )


def _leaves(doc: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in _leaves(v, (*at, k))] or [at]
    if isinstance(doc, list):
        return [p for i, v in enumerate(doc) for p in _leaves(v, (*at, i))] or [at]
    return [at]


def _set(doc: Any, at: tuple[Any, ...], value: Any) -> None:
    for step in at[:-1]:
        doc = doc[step]
    doc[at[-1]] = value


def _mutants(body: Any, rng: random.Random) -> list[Any]:
    """The body broken in the ways a faulty server breaks one."""
    out = []
    leaves = [p for p in _leaves(body) if p]
    for at in rng.sample(leaves, min(4, len(leaves))):
        for value in (12345, "x" * 300, "2026-02-30", None, {"unexpected": True}, [1]):
            changed = copy.deepcopy(body)
            _set(changed, at, value)
            out.append(changed)
        if len(at) > 0:
            dropped = copy.deepcopy(body)
            parent = dropped
            for step in at[:-1]:
                parent = parent[step]
            if isinstance(parent, dict):
                del parent[at[-1]]
                out.append(dropped)
    if isinstance(body, dict):
        out.append({**body, "x_not_in_the_schema": 1})
    return out


class ExactOnly(ResponseSchemas):
    """The response check with ``jsonschema`` alone (no fast path)."""

    def _fast_validator(self, location: str) -> None:
        return None


def test_the_fast_path_and_the_exact_validator_agree(captured, schemas: ResponseSchemas) -> None:
    standards = load_standards()
    exact = ExactOnly(openapi(standards, None), standards)
    rng = random.Random(7)
    compared = failing = 0
    for method, path, status, body in captured:
        problems = exact.check(_exchange(method, path, status, body))
        if problems is None:
            continue  # an exchange the document does not describe is not checked
        assert problems == [], (method, path, problems[:3])
        for mutant in _mutants(body, rng):
            ex = _exchange(method, path, status, mutant)
            want = exact.check(ex)
            assert schemas.check(ex) == want, (method, path, mutant, (want or [])[:3])
            compared += 1
            failing += bool(want)
    # the fast validator was built for every schema it met (else the comparison proves nothing)
    assert schemas._fast and all(v is not None for v in schemas._fast.values()), schemas._fast
    print(f"compared {compared}, not conforming {failing}")
    assert compared > 1000 and failing > 300, (compared, failing)


def test_a_wrong_type_deep_inside_is_found_with_its_place(captured, schemas: ResponseSchemas) -> None:
    method, path, status, body = next(
        c for c in captured if c[0] == "GET" and isinstance(c[3], dict) and c[3].get("items")
    )
    broken = copy.deepcopy(body)
    first = broken["items"][0]
    key = next(k for k, v in first.items() if isinstance(v, str))
    first[key] = 42
    problems = schemas.check(_exchange(method, path, status, broken))
    assert problems and any(p.pointer == f"/items/0/{key}" for p in problems), problems
