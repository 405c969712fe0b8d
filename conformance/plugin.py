"""pytest plugin of the conformance suite (registered through the ``pytest11`` entry point).

Kept thin and lazy: importing it must not import the suite's heavy modules.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requirement(*ids): the requirement ids a suite test verifies")
