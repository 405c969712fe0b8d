"""The one problem type every validator of the standards returns.

A validator never raises on bad data and never stops at the first error: it returns a list of
:class:`Problem`, empty when the value is valid. The API puts each one in the ``errors`` member of
an RFC 9457 problem response (``docs/api-conventions.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Problem:
    """One problem with one value.

    ``code`` is a stable error code (``KOJIN_BANGO_CHECK_DIGIT``); ``pointer`` a JSON Pointer to the
    offending item (``""`` for the value itself); the messages say what is wrong, Japanese first.
    ``position`` is the 0-based code-point index of the offending character inside a text value,
    when the problem is about one character (a JSON Pointer cannot point inside a string).
    """

    code: str
    pointer: str
    message_ja: str
    message_en: str
    position: int | None = None

    def under(self, prefix: str) -> Problem:
        """The same problem with ``prefix`` (a JSON Pointer) put before its pointer."""
        return replace(self, pointer=prefix + self.pointer)

    def to_error(self) -> dict[str, object]:
        """The problem as an ``errors[]`` member of an RFC 9457 response."""
        out: dict[str, object] = {
            "pointer": self.pointer,
            "code": self.code,
            "detail": f"{self.message_ja} / {self.message_en}",
        }
        if self.position is not None:
            out["position"] = self.position
        return out


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token of a JSON Pointer (RFC 6901: ``~`` → ``~0``, ``/`` → ``~1``)."""
    return str(token).replace("~", "~0").replace("/", "~1")
