"""Canonical JSON, the report digest and its Ed25519 signature.

Canonicalisation follows RFC 8785 (JSON Canonicalization Scheme): object members sorted by the
UTF-16 code units of their names, no insignificant whitespace, strings escaped minimally
(only ``"``, ``\\`` and control characters; everything else as UTF-8), numbers in the ECMAScript
shortest form (``61.0`` is written ``61``, ``1e-7`` as ``1e-7``). Any JCS implementation in any
language therefore computes the same digest. (Integers are written exactly; JCS reads every number
as an IEEE double, so keep integers within ±2**53 for other implementations to agree.)

The digest is SHA-256 (hex) over the canonical JSON of the report without its ``digest`` and
``signature`` members. The signature is Ed25519 over the ASCII bytes of that hex digest; the
public key (raw 32 bytes, base64) is embedded so anyone can check it, and a municipality compares
it with the key the vendor published.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

#: members left out of the digested content
SEAL_MEMBERS = ("digest", "signature")


def _number(value: int | float) -> str:
    """A number as ECMAScript's Number.prototype.toString writes it (RFC 8785 section 3.2.2.3)."""
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be represented in JSON")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr() gives the shortest digits that round-trip, as ECMAScript does; only the layout differs
    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = int(exponent) + k  # value = 0.digits × 10^n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e > 0 else "-") + str(abs(e))
    return sign + text


def _serialise(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int | float):
        out.append(_number(value))
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Mapping):
        out.append("{")
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
        for index, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be"))):
            if index:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _serialise(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _serialise(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not JSON")


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical form of a JSON value, as UTF-8 bytes."""
    out: list[str] = []
    _serialise(value, out)
    return "".join(out).encode("utf-8")


def digest(report: Mapping[str, Any]) -> str:
    """SHA-256 (hex) over the canonical JSON of ``report`` without ``digest`` and ``signature``."""
    content = {k: v for k, v in report.items() if k not in SEAL_MEMBERS}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def generate_keypair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as ``(private_pem, public_pem)`` (PKCS#8 and SubjectPublicKeyInfo)."""
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def load_private_key(private_key_pem: bytes) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM; ``ValueError`` when it is not one."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"not an Ed25519 private key but {type(key).__name__}")
    return key


def load_public_key(public_key: bytes | str) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM or from the base64 of its 32 raw bytes."""
    data = (public_key.encode("ascii") if isinstance(public_key, str) else public_key).strip()
    if data.startswith(b"-----BEGIN"):
        key = serialization.load_pem_public_key(data)
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"not an Ed25519 public key but {type(key).__name__}")
        return key
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(data, validate=True))


def raw_public_key_b64(key: Ed25519PublicKey) -> str:
    """The base64 of the raw 32 bytes of a public key (the form embedded in reports)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def seal(report: Mapping[str, Any], private_key_pem: bytes | None = None) -> dict[str, Any]:
    """A copy of ``report`` with a fresh ``digest``, and a ``signature`` when a key is given.

    An earlier digest or signature is replaced; an unsigned seal drops an old signature, which
    would no longer match.
    """
    result = copy.deepcopy({k: v for k, v in report.items() if k not in SEAL_MEMBERS})
    value = digest(result)
    result["digest"] = {"algorithm": "sha256", "canonicalization": "RFC8785", "value": value}
    if private_key_pem is not None:
        key = load_private_key(private_key_pem)
        result["signature"] = {
            "algorithm": "ed25519",
            "public_key": raw_public_key_b64(key.public_key()),
            "value": base64.b64encode(key.sign(value.encode("ascii"))).decode("ascii"),
        }
    return result
