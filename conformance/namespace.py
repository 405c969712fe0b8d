"""The run namespace: what keeps one run's generated identifiers apart from everything already there.

A target is persistent (DESIGN.md "Reruns"): it holds the residents of earlier runs, of other seeds
and the vendor's own test data, and a standard makes some items unique (個人番号, 住民票コード …) and
refuses a duplicate. The seed alone cannot keep them apart: a rerun with the same seed would send the
same numbers again. So every identifier a standard makes unique, and every ``Idempotency-Key``, is
allocated here, from the seed *and* the run's namespace:

- the namespace is a short token, fresh for every run unless given (``kikan run --namespace N``); the
  report records it, so ``--seed S --namespace N`` sends the same requests again;
- :meth:`RunNamespace.stream` is a random stream for one subject (a test's session) derived from both,
  so the same test draws the same values in a reproduced run and other values in a new one;
- :meth:`RunNamespace.claim` remembers every value allocated in the run, so two allocations of one
  kind never repeat within a run (a stream redraws instead);
- discovery: a stream given ``exists`` (the operation session's lookup through a collection filter
  on that item, e.g. ``GET /juki/v1/residents?kojin_bango=…``) also redraws a value the target already
  holds, so not even the vendor's own data can collide with a generated identifier.

Everything else a run sends (names, dates, bodies) depends on the seed only, so reruns with fresh
namespaces test the same cases and only the identifiers differ.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

#: what a namespace may look like (it appears in Idempotency-Keys and on the command line)
NAMESPACE_PATTERN = re.compile(r"^[0-9a-z]{1,16}$")


class NamespaceError(ValueError):
    """A namespace given by the user is not a valid token."""


def new_namespace() -> str:
    """A fresh namespace token: 8 lowercase hex digits from the operating system's random source."""
    return secrets.token_hex(4)


def check_namespace(value: str) -> str:
    """``value`` when it is a valid namespace token (1-16 of ``0-9a-z``), else :class:`NamespaceError`."""
    if not isinstance(value, str) or not NAMESPACE_PATTERN.match(value):
        raise NamespaceError(
            f"名前空間が不正です / invalid namespace {value!r}: 1-16 characters of 0-9 and a-z"
        )
    return value


@dataclass
class RunNamespace:
    """The namespace of one run and the identifiers it allocated (see the module docstring).

    ``disabled=True`` makes every stream depend on the seed only, as before namespaces existed, and
    ``discovery=False`` stops the lookups of values the target holds: the project's tests use them to
    show that reruns then collide (the mechanism's teeth). A value the lookup finds is redrawn, so a
    run reproduces exactly against a target in the same state; with a fresh namespace that practically
    never happens.
    """

    value: str = field(default_factory=new_namespace)
    seed: int = 0
    disabled: bool = False
    discovery: bool = True
    _claimed: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        check_namespace(self.value)

    def _material(self, subject: str) -> str:
        namespace = "" if self.disabled else self.value
        return f"{self.seed}|{namespace}|{subject}"

    def stream(self, subject: str, *, exists: Exists | None = None) -> IdentifierStream:
        """The identifier stream of ``subject`` (e.g. ``juki-ids-<salt>``): deterministic from the seed,
        the namespace and the subject; ``exists(kind, value)`` says whether the target holds a value."""
        digest = hashlib.sha256(self._material(subject).encode("utf-8")).hexdigest()
        return IdentifierStream(self, random.Random(int(digest, 16)), exists if self.discovery else None)

    def claim(self, kind: str, value: str) -> bool:
        """Record ``value`` as allocated for ``kind``; False when this run already allocated it."""
        seen = self._claimed.setdefault(kind, set())
        if value in seen:
            return False
        seen.add(value)
        return True

    def key(self, label: str, number: int) -> str:
        """An ``Idempotency-Key`` for the ``number``-th use of ``label``, unique to this run."""
        namespace = "" if self.disabled else f"{self.value}-"
        return f"kikan-{namespace}{self.seed}-{label}-{number}"


#: (kind, value) -> True when the target already holds ``value`` as that item
Exists = Callable[[str, str], bool]

#: how many values in a row the target may say it holds before a stream gives up (a Precondition error)
MAX_DRAWS = 32


class IdentifierStream:
    """Random identifiers for one subject, unique within the run for each kind and new to the target."""

    def __init__(self, namespace: RunNamespace, rng: random.Random, exists: Exists | None = None) -> None:
        self.namespace = namespace
        self.rng = rng
        self.exists = exists

    def _draw(self, kind: str, make: Callable[[], str]) -> str:
        """The first value ``make()`` draws that this run has not allocated for ``kind`` and the target
        does not hold.

        Random values of eleven digits practically never collide with the target's, so a target said
        to hold :data:`MAX_DRAWS` of them in a row answers its lookup wrongly (a filter it ignores):
        the run cannot allocate a new identifier, a precondition it could not set up, never a loop
        without end.
        """
        held = 0
        while True:
            value = make()
            if not self.namespace.claim(kind, value):
                continue  # this run already used it (a small space; eleven digits never repeat)
            if self.exists is None or not self.exists(kind, value):
                return value
            held += 1
            if held >= MAX_DRAWS:
                break
        from conformance.checks.failure import Precondition, Title

        raise Precondition(
            Title(f"新しい識別子を割り当てる（{kind}）", f"allocate a new identifier ({kind})"),
            f"対象システムは試行した{MAX_DRAWS}個の値をすべて保有していると回答しました"
            f" / the target answered that it holds all {MAX_DRAWS} values drawn for {kind}",
        )

    def text(self, kind: str, make: Callable[[random.Random], str]) -> str:
        """A value ``make(rng)`` draws (an identifier with a shape, e.g. a 本籍 with a number), new to
        the run and to the target for ``kind``."""
        return self._draw(kind, lambda: make(self.rng))

    def digits(self, kind: str, length: int) -> str:
        """``length`` random ASCII digits not yet allocated for ``kind`` in this run."""
        return self._draw(kind, lambda: "".join(self.rng.choice("0123456789") for _ in range(length)))

    def number(self, kind: str, length: int, check_digit: object) -> str:
        """``length`` random digits plus ``check_digit(digits)``, unique for ``kind`` in this run."""
        assert callable(check_digit)

        def make() -> str:
            base = "".join(self.rng.choice("0123456789") for _ in range(length))
            return base + str(check_digit(base))

        return self._draw(kind, make)
