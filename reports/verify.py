"""Verification of a report: schema, digest, signature and the status rules, every problem listed."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

from reports import schema, status
from reports.digest import digest, load_public_key, raw_public_key_b64


def verify(report: Mapping[str, Any], public_key: bytes | str | None = None) -> list[str]:
    """Every problem of ``report``; an empty list when it is intact and valid.

    Checks that the report is valid against the schema, that its digest matches its content,
    that its signature (if any) is valid for the embedded public key, and that the recorded
    statuses and summary follow the status rules. When ``public_key`` (PEM, or base64 of the
    raw key) is given, the report must be signed with exactly that key.
    """
    problems = schema.validate(report)
    if not isinstance(report, Mapping):
        return problems
    problems.extend(_digest_problems(report))
    problems.extend(_signature_problems(report, public_key))
    if not problems:
        # the rules need well-formed requirements and tests; schema problems come first
        problems.extend(status.inconsistencies(report))
    return problems


def _digest_problems(report: Mapping[str, Any]) -> list[str]:
    sealed = report.get("digest")
    if not isinstance(sealed, Mapping) or "value" not in sealed:
        return ["/digest: the report has no digest (封印されていません / not sealed)"]
    try:
        actual = digest(report)
    except (TypeError, ValueError) as exc:
        return [f"/digest: the content cannot be canonicalised: {exc}"]
    if sealed.get("value") != actual:
        return [
            f"/digest/value: 内容が改ざんされています / the content does not match its digest "
            f"(recorded {sealed.get('value')}, computed {actual})"
        ]
    return []


def _signature_problems(report: Mapping[str, Any], public_key: bytes | str | None) -> list[str]:
    signature = report.get("signature")
    if signature is None:
        if public_key is not None:
            return ["/signature: 署名がありません / the report is not signed, but a public key was given"]
        return []
    if not isinstance(signature, Mapping):
        return []  # the schema already says so
    try:
        embedded = load_public_key(str(signature.get("public_key", "")))
    except (ValueError, binascii.Error, UnsupportedAlgorithm) as exc:
        return [f"/signature/public_key: not a valid Ed25519 public key: {exc}"]
    problems = []
    if public_key is not None:
        try:
            given = load_public_key(public_key)
        except (ValueError, binascii.Error, UnsupportedAlgorithm) as exc:
            return [f"public key: the given key is not a valid Ed25519 public key: {exc}"]
        if raw_public_key_b64(given) != raw_public_key_b64(embedded):
            problems.append(
                "/signature/public_key: 署名者の鍵が一致しません / the report was signed with another key "
                f"({signature.get('public_key')}, expected {raw_public_key_b64(given)})"
            )
    sealed = report.get("digest")
    value = sealed.get("value") if isinstance(sealed, Mapping) else None
    if not isinstance(value, str):
        return problems + ["/signature: nothing to check it against: the digest is missing"]
    try:
        embedded.verify(
            base64.b64decode(str(signature.get("value", "")), validate=True), value.encode("ascii")
        )
    except (InvalidSignature, binascii.Error, ValueError):
        problems.append("/signature/value: 署名が無効です / the signature does not match the digest")
    return problems


def signature_state(report: Mapping[str, Any]) -> str:
    """``unsigned``, ``valid`` or ``invalid``: the state of the signature alone (for display)."""
    if report.get("signature") is None:
        return "unsigned"
    return "invalid" if _signature_problems(report, None) or _digest_problems(report) else "valid"
