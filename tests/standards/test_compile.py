"""The compiler: JSON Schemas that accept and reject what the standard says, and valid OpenAPI 3.1."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi
from standards_fixtures import GOOD

from standards.compile import build, entity_schema, openapi, page_schema, problem_schema, request_schema
from standards.loader import collect, load_standards
from standards.model import Standards


@pytest.fixture(scope="module")
def fixture_standards() -> Standards:
    return load_standards(GOOD)


def _errors(schema: dict, instance: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return sorted(
        f"{'/'.join(map(str, e.absolute_path))}:{e.validator}" for e in validator.iter_errors(instance)
    )


def test_request_schema_is_closed_and_writable_only(fixture_standards: Standards) -> None:
    schema = request_schema(fixture_standards, "demo", "touroku")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "shimei",
        "seibetsu",
        "seinengappi",
        "kyuuji",
        "kubun",
        "todokede_bi",
    }
    assert schema["required"] == ["shimei", "todokede_bi"]
    assert schema["x-kikan-requirements"] == ["DEMO-001"]
    good = {
        "shimei": "山田 太郎",
        "todokede_bi": "2024-04-01",
        "seibetsu": "9",
        "kyuuji": {"uji": "佐藤"},
        "kubun": "A",
    }
    assert _errors(schema, good) == []
    bad = {
        "shimei": "x" * 41,
        "seibetsu": "3",
        "kubun": "C",
        "atena_no": "1",
        "kyuuji": {"uji": "y", "kisai_bi": "2024-01-01"},
        "seinengappi": "2023-02-30",
    }
    assert _errors(schema, bad) == [
        ":additionalProperties",
        ":required",
        "kubun:enum",
        "kyuuji:additionalProperties",
        "seibetsu:enum",
        "seinengappi:format",
        "shimei:maxLength",
    ]


def test_max_length_is_loose_on_the_wire_and_exact_in_the_extension(fixture_standards: Standards) -> None:
    shimei = request_schema(fixture_standards, "demo", "touroku")["properties"]["shimei"]
    assert (shimei["maxLength"], shimei["x-kikan-max-chars"]) == (40, 20)
    assert shimei["allOf"] == [{"$ref": "#/$defs/shimei"}]
    assert shimei["x-kikan-label"] == {"ja": "氏名", "en": "Name"}


def test_common_types_go_to_defs(fixture_standards: Standards) -> None:
    schema = request_schema(fixture_standards, "demo", "henkou")
    assert schema["$defs"] == {
        "atena_no": {"type": "string", "pattern": "^[0-9]{1,15}$"},
        "shimei": {"type": "string", "minLength": 1},
    }
    assert _errors(schema, {"atena_no_target": "12a", "shimei": ""}) == [
        "atena_no_target:pattern",
        "shimei:minLength",
    ]


def test_entity_schema_is_the_response_form(fixture_standards: Standards) -> None:
    schema = entity_schema(fixture_standards, "demo", "person")
    assert schema["required"] == ["atena_no", "shimei", "updated_at"]
    assert schema["properties"]["atena_no"]["readOnly"] is True
    assert schema["properties"]["updated_at"]["format"] == "date-time"
    item = {"atena_no": "1", "shimei": "山田", "updated_at": "2024-04-01T10:00:00+09:00", "seibetsu": None}
    assert _errors(schema, item) == []
    assert _errors(schema, {"atena_no": "1", "shimei": "山田"}) == [":required"]
    history = entity_schema(fixture_standards, "demo", "person_history")
    assert list(history["properties"])[:3] == ["rireki_no", "atena_no", "shimei"]


def test_page_and_problem_schemas(fixture_standards: Standards) -> None:
    page = page_schema(fixture_standards, "demo", "persons")
    assert _errors(page, {"items": [], "next_cursor": None}) == []
    assert (
        _errors(page, {"items": [{}]}) == [":required"] + ["items/0:required"] * 3
    )  # atena_no, shimei, updated_at
    problem = problem_schema()
    ok = {
        "type": "about:blank",
        "title": "x",
        "status": 422,
        "code": "VALIDATION_FAILED",
        "errors": [{"pointer": "/kojin_bango", "code": "KOJIN_BANGO_CHECK_DIGIT"}],
    }
    assert _errors(problem, ok) == []
    assert _errors(problem, {"title": "x", "status": 200, "code": "bad"}) == [
        ":required",
        "code:pattern",
        "status:minimum",
    ]


def test_openapi_of_the_fixture_is_valid(fixture_standards: Standards) -> None:
    for op_id in (None, "demo", "seal"):
        validate_openapi(openapi(fixture_standards, op_id))


def test_openapi_paths_security_and_errors(fixture_standards: Standards) -> None:
    doc = openapi(fixture_standards)
    assert set(doc["paths"]) == {
        "/conformance",
        "/oauth/token",
        "/audit/events",
        "/demo/v2/persons",
        "/demo/v2/persons/{atena_no}",
        "/demo/v2/persons/{atena_no}/history",
        "/demo/v2/persons/{atena_no}/history/{rireki_no}",
        "/demo/v2/commands/touroku",
        "/demo/v2/commands/henkou",
    }
    scopes = doc["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["scopes"]
    assert set(scopes) == {"demo:read", "demo:write", "seal:read", "seal:write", "audit:read"}
    listing = doc["paths"]["/demo/v2/persons"]["get"]
    assert listing["security"] == [{"oauth2": ["demo:read"]}]
    assert [p["name"] for p in listing["parameters"]] == [
        "limit",
        "cursor",
        "seibetsu",
        "shimei",
        "as_of",
        "updated_since",
    ]
    assert listing["x-kikan-requirements"] == ["DEMO-002"]
    get = doc["paths"]["/demo/v2/persons/{atena_no}"]["get"]
    assert "ETag" in get["responses"]["200"]["headers"]
    touroku = doc["paths"]["/demo/v2/commands/touroku"]["post"]
    assert touroku["security"] == [{"oauth2": ["demo:write"]}]
    assert set(touroku["responses"]) == {"200", "201", "400", "401", "403", "409", "415", "422"}
    assert touroku["responses"]["409"]["x-kikan-error-codes"] == ["IDEMPOTENCY_KEY_REUSED", "DEMO_DUPLICATE"]
    assert touroku["responses"]["422"]["x-kikan-error-codes"] == ["VALIDATION_FAILED"]
    assert "404" not in touroku["responses"]  # no target: nothing to find
    assert touroku["responses"]["401"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    henkou = doc["paths"]["/demo/v2/commands/henkou"]["post"]
    assert [p["name"] for p in henkou["parameters"]] == ["Idempotency-Key", "If-Match"]
    assert {"200", "404", "412"} <= set(henkou["responses"])
    assert doc["paths"]["/conformance"]["get"]["security"] == []


def test_openapi_is_consumed_by_openapi_core(fixture_standards: Standards) -> None:
    from openapi_core import OpenAPI
    from openapi_core.testing import MockRequest, MockResponse

    spec = OpenAPI.from_dict(openapi(fixture_standards, "demo"))
    request = MockRequest("http://localhost", "get", "/demo/v2/persons/000000000001")
    body = {"atena_no": "000000000001", "shimei": "山田", "updated_at": "2024-04-01T10:00:00+09:00"}
    response = MockResponse(json.dumps(body).encode(), status_code=200, headers={"ETag": '"1"'})
    spec.validate_response(request, response)
    bad = MockResponse(json.dumps({"shimei": "山田"}).encode(), status_code=200, headers={"ETag": '"1"'})
    with pytest.raises(Exception, match="(?i)invalid|schema"):
        spec.validate_response(request, bad)


def test_build_writes_every_document(fixture_standards: Standards, tmp_path: Path) -> None:
    paths = build(fixture_standards, tmp_path)
    names = sorted(str(p.relative_to(tmp_path)) for p in paths)
    assert names == sorted(
        [
            "problem.schema.json",
            "command-result.schema.json",
            "openapi.json",
            "demo/openapi.json",
            "demo/person.schema.json",
            "demo/person_history.schema.json",
            "demo/persons.page.schema.json",
            "demo/person_history.page.schema.json",
            "demo/commands/touroku.request.schema.json",
            "demo/commands/henkou.request.schema.json",
            "seal/openapi.json",
        ]
    )
    for p in paths:
        doc = json.loads(p.read_text(encoding="utf-8"))
        if p.name != "openapi.json":
            jsonschema.Draft202012Validator.check_schema(doc)


def test_openapi_of_the_real_standards_is_valid() -> None:
    result = collect()
    if result.problems:
        pytest.skip(
            "the package's standards have problems (test_real_standards_load lists them): "
            + str(result.problems[0])
        )
    validate_openapi(openapi(result.standards))
    for op in result.standards.operations:
        validate_openapi(openapi(result.standards, op.id))


def test_openapi_is_consumed_by_schemathesis(fixture_standards: Standards) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_dict(openapi(fixture_standards))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "POST /demo/v2/commands/touroku",
        "GET /demo/v2/persons/{atena_no}/history",
    }
    seen = []
    for operation in operations:

        @given(operation.as_strategy())
        @settings(max_examples=1, database=None, deadline=None, suppress_health_check=list(HealthCheck))
        def generate(case: object) -> None:
            seen.append(case)

        generate()
    assert len(seen) == len(operations) == 9
