"""Canonical JSON, digest, seal and signature verification, including tamper detection."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_factory import make_report

from reports.digest import canonical_json, digest, generate_keypair, seal
from reports.verify import signature_state, verify


def reordered(value):
    """The same JSON value with every object's keys in reverse order."""
    if isinstance(value, dict):
        return {k: reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(v) for v in value]
    return value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"b": 1, "a": [True, None, "x"]}, '{"a":[true,null,"x"],"b":1}'),
        (
            {"n": 61.0, "m": 0.1, "s": 1e-7, "l": 1e21, "t": 1e20},
            '{"l":1e+21,"m":0.1,"n":61,"s":1e-7,"t":100000000000000000000}',
        ),
        ({"氏名": "𠮷野\u0001", "é": "\u2028"}, '{"é":"\u2028","氏名":"𠮷野\\u0001"}'),
        # RFC 8785 orders by UTF-16 code units: U+FF61 sorts after U+1F600 (a surrogate pair, 0xD83D)
        ({"\uff61": 1, "\U0001f600": 2}, '{"\U0001f600":2,"\uff61":1}'),
    ],
)
def test_canonical_json(value, expected: str) -> None:
    assert canonical_json(value) == expected.encode("utf-8")


def test_canonical_json_rejects_what_json_cannot_hold() -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})
    with pytest.raises(TypeError):
        canonical_json({1: "x"})


def test_digest_is_stable_under_key_order_and_ignores_the_seal() -> None:
    report = make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]})
    sealed = seal(report)
    assert digest(reordered(report)) == digest(report) == sealed["digest"]["value"]
    expected = hashlib.sha256(canonical_json({k: v for k, v in report.items()})).hexdigest()
    assert sealed["digest"]["value"] == expected
    assert digest(json.loads(json.dumps(sealed))) == digest(report)  # survives a JSON round trip


def test_digest_changes_when_any_status_changes() -> None:
    report = make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"], "JUKI-003": ["skipped"]})
    base = digest(report)
    for index, requirement in enumerate(report["requirements"]):
        for status in ("passed", "failed", "not_verified"):
            if status == requirement["status"]:
                continue
            changed = copy.deepcopy(report)
            changed["requirements"][index]["status"] = status
            assert digest(changed) != base, (requirement["id"], status)


def test_unsigned_seal_verifies_and_detects_tampering() -> None:
    sealed = seal(make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]}))
    assert verify(sealed) == []
    assert signature_state(sealed) == "unsigned"
    tampered = copy.deepcopy(sealed)
    tampered["target"]["system"]["name"] = "別のシステム"
    problems = verify(tampered)
    assert len(problems) == 1 and problems[0].startswith("/digest/value:"), problems


def test_unsealed_report_is_reported() -> None:
    problems = verify(make_report({"JUKI-001": ["passed"]}))
    assert problems == ["/digest: the report has no digest (封印されていません / not sealed)"]


def test_signature_round_trip_and_tamper_detection() -> None:
    private_pem, public_pem = generate_keypair()
    sealed = seal(make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]}), private_pem)
    assert sealed["signature"]["algorithm"] == "ed25519"
    assert verify(sealed) == []
    assert verify(sealed, public_pem) == []
    assert verify(sealed, sealed["signature"]["public_key"]) == []  # the raw base64 form works too
    assert verify(sealed, (sealed["signature"]["public_key"] + "\n").encode()) == []  # as read from a file
    assert signature_state(sealed) == "valid"

    tampered = copy.deepcopy(sealed)
    tampered["requirements"][1]["status"] = "passed"
    problems = verify(tampered, public_pem)
    assert any(p.startswith("/digest/value") for p in problems), problems

    # re-sealing without the key cannot keep a valid signature
    resealed = seal(tampered)
    assert "signature" not in resealed
    assert verify(resealed, public_pem)[0].startswith("/signature: 署名がありません")

    # forging the digest too leaves the signature invalid
    forged = copy.deepcopy(tampered)
    forged["digest"]["value"] = digest(forged)
    problems = verify(forged)
    assert "/signature/value: 署名が無効です / the signature does not match the digest" in problems
    assert signature_state(forged) == "invalid"


def test_signed_with_another_key_is_reported() -> None:
    private_pem, _ = generate_keypair()
    _, other_public = generate_keypair()
    sealed = seal(make_report({"JUKI-001": ["passed"]}), private_pem)
    problems = verify(sealed, other_public)
    assert len(problems) == 1 and problems[0].startswith("/signature/public_key: 署名者の鍵が一致しません")


def test_sealed_with_edited_statuses_is_inconsistent() -> None:
    report = make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]})
    report["requirements"][1]["status"] = "passed"  # edited, then sealed: digest fine, rules not
    problems = verify(seal(report))
    assert any(p.startswith("/requirements/1/status") for p in problems), problems


def test_seal_rejects_a_key_that_is_not_ed25519() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="not an Ed25519 private key"):
        seal(make_report({"JUKI-001": ["passed"]}), pem)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
@settings(max_examples=200, deadline=None)
def test_canonical_json_round_trips_and_is_order_independent(value) -> None:
    text = canonical_json(value)
    # JCS writes a float in its shortest ECMAScript form, which Python may read back as an int
    assert json.loads(text, parse_int=float) == json.loads(json.dumps(value), parse_int=float)
    assert canonical_json(reordered(value)) == text
    assert canonical_json(json.loads(text)) == text  # idempotent


def test_a_garbage_public_key_is_a_problem_not_a_crash() -> None:
    private_pem, _ = generate_keypair()
    sealed = seal(make_report({"JUKI-001": ["passed"]}), private_pem)
    problems = verify(sealed, b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    assert len(problems) == 1 and problems[0].startswith("public key: the given key is not a valid Ed25519")
