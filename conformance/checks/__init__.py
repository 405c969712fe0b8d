"""Checks: reusable properties a target must have, each bound to requirement ids.

``@check(name=..., requirements=(...))`` registers a function ``(ctx, subject) -> None`` that raises
:class:`Failure`. Importing this package registers every generic check of the common API standard.
"""

from conformance.checks.failure import Failure, Title
from conformance.checks.registry import REGISTRY, CheckRegistry, CheckSpec, Subject, check

__all__ = ["REGISTRY", "CheckRegistry", "CheckSpec", "Failure", "Subject", "Title", "check"]

# registering the generic checks of the common API standard (API-xxx)
from conformance.checks import audit, auth, clock, collections, commands, discovery, inputs, responses  # noqa: E402,F401
