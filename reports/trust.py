"""Who vouches for a report: key fingerprints, the reader's trusted keys, and one verdict per report.

A digest proves only that the file has not changed since it was sealed, against accidental change:
anyone who edits a report can recompute it. A signature proves that the holder of one private key
vouched for exactly this content, and it means something only when the reader knows whose key that
is. So a signature is *trusted* only against a key the reader names (``--public-key``,
``--fingerprint``) or keeps in a trusted-keys file; a mathematically valid signature by any other
key is *unknown signer*, reported with the key's fingerprint (docs/trust-model.md).

A trusted-keys file has one key a line: the key (the base64 of its 32 raw bytes, as embedded in
reports) or its fingerprint (``sha256:`` and 64 hex digits), then optionally a name (the vendor);
``#`` starts a comment. Public-key PEM blocks are read too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm

from reports.digest import load_public_key, raw_public_key_b64

#: the environment variable naming a trusted-keys file (read by the command line, not here)
TRUSTED_KEYS_ENV = "KIKAN_TRUSTED_KEYS"

_HEX64 = re.compile(r"^[0-9a-f]{64}$")

#: the state of a report's seal as seen by one reader -> (ja, en)
STATES = {
    "trusted": ("署名者を確認済み", "Signed by a trusted key"),
    "unknown_signer": ("署名者不明", "Signed, signer unknown"),
    "unsigned": ("署名なし", "Unsigned"),
    "invalid": ("検証失敗", "Verification failed"),
}


def fingerprint(public_key: bytes | str) -> str:
    """``sha256:<hex>`` of the raw 32 bytes of an Ed25519 public key (PEM or base64 of the raw key)."""
    raw = base64.b64decode(raw_public_key_b64(load_public_key(public_key)))
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as the user typed it (``sha256:`` optional, colons and spaces, any case) in
    canonical form; ``ValueError`` when it is not 64 hex digits."""
    value = text.strip().lower()
    value = value.removeprefix("sha256:")
    value = re.sub(r"[\s:]", "", value)
    if not _HEX64.match(value):
        raise ValueError(f"not a key fingerprint (sha256: and 64 hex digits): {text.strip()!r}")
    return "sha256:" + value


def short(fp: str | None) -> str:
    """The first 16 hex digits of a fingerprint, grouped by 4, for display (the full one beside)."""
    if not fp:
        return "—"
    hexpart = fp.removeprefix("sha256:")[:16]
    return " ".join(hexpart[i : i + 4] for i in range(0, len(hexpart), 4))


@dataclass
class TrustStore:
    """The keys a reader trusts: fingerprint -> a name (may be empty)."""

    keys: dict[str, str] = field(default_factory=dict)

    def add_key(self, public_key: bytes | str, name: str = "") -> str:
        """Trust a public key (PEM or base64 raw); returns its fingerprint."""
        fp = fingerprint(public_key)
        self.keys[fp] = name or self.keys.get(fp, "")
        return fp

    def add_fingerprint(self, text: str, name: str = "") -> str:
        """Trust a key by its fingerprint; returns the canonical fingerprint."""
        fp = normalise_fingerprint(text)
        self.keys[fp] = name or self.keys.get(fp, "")
        return fp

    def add_file_text(self, text: str, *, source: str = "trusted keys") -> None:
        """Trust every key of a trusted-keys file; ``ValueError`` naming the line of a bad entry."""
        for pem in re.findall(r"-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----", text, re.S):
            self.add_key(pem.encode("ascii"))
        text = re.sub(r"-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----", "", text, flags=re.S)
        for number, line in enumerate(text.splitlines(), start=1):
            entry = line.split("#", 1)[0].strip()
            if not entry:
                continue
            token, _, name = entry.partition(" ")
            try:
                if token.lower().startswith("sha256:") or _HEX64.match(token.lower()):
                    self.add_fingerprint(token, name.strip())
                else:
                    self.add_key(token, name.strip())
            except (ValueError, binascii.Error, UnsupportedAlgorithm) as exc:
                raise ValueError(f"{source}:{number}: not a public key or fingerprint ({exc})") from None

    def __bool__(self) -> bool:
        return bool(self.keys)

    def name(self, fp: str | None) -> str | None:
        """The name of a trusted fingerprint (``""`` when unnamed), ``None`` when not trusted."""
        return self.keys.get(fp) if fp else None


@dataclass(frozen=True)
class Assessment:
    """What one reader can say about one report: its problems, its signer and the resulting state."""

    state: str  # one of STATES
    problems: list[str]
    signer: str | None  # the embedded key's fingerprint, when signed
    signer_name: str | None  # the name the reader's trust store gives the signer, when trusted
    digest: str | None

    @property
    def label(self) -> tuple[str, str]:
        """``(ja, en)`` of the state."""
        return STATES[self.state]


def embedded_fingerprint(report: Mapping[str, Any]) -> str | None:
    """The fingerprint of the key embedded in the report's signature; ``None`` if unsigned or unreadable."""
    signature = report.get("signature")
    if not isinstance(signature, Mapping):
        return None
    try:
        return fingerprint(str(signature.get("public_key", "")))
    except (ValueError, binascii.Error, UnsupportedAlgorithm):
        return None


def assess(report: Mapping[str, Any], trust: TrustStore | None = None) -> Assessment:
    """The state of ``report`` for a reader who trusts the keys in ``trust``.

    ``invalid`` when anything fails (schema, digest, signature, status rules); ``trusted`` when
    the signature is valid and its key is trusted; ``unknown_signer`` when it is valid by a key the
    reader does not trust (or the reader trusts none); ``unsigned`` when intact but unsigned: the
    digest then only shows the file did not change by accident, since anyone can recompute it.
    """
    from reports.verify import verify

    trust = trust or TrustStore()
    problems = verify(report)
    signer = embedded_fingerprint(report)
    sealed = report.get("digest") if isinstance(report.get("digest"), Mapping) else {}
    value = sealed.get("value") if isinstance(sealed, Mapping) else None
    digest_value = value if isinstance(value, str) else None
    if problems:
        return Assessment("invalid", problems, signer, trust.name(signer), digest_value)
    if signer is None:
        return Assessment("unsigned", [], None, None, digest_value)
    name = trust.name(signer)
    if name is None:
        return Assessment("unknown_signer", [], signer, None, digest_value)
    return Assessment("trusted", [], signer, name, digest_value)


def assess_all(reports: Iterable[Mapping[str, Any]], trust: TrustStore | None = None) -> list[Assessment]:
    """:func:`assess` for each report."""
    return [assess(r, trust) for r in reports]
