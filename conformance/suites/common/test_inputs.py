"""Invalid input is rejected and changes nothing; text round-trips exactly."""

from __future__ import annotations

import pytest

from conformance.checks.inputs import invalid_input_rejected, text_round_trips_exactly
from conformance.generate import round_trip_items


@pytest.mark.requirement(*invalid_input_rejected.requirements)
def test_invalid_input_rejected(kikan, kikan_command) -> None:
    """Each invalid body gets 422 with the item's pointer and code, and nothing changes."""
    invalid_input_rejected(kikan, kikan_command)


@pytest.mark.kikan_where(where=lambda s: bool(round_trip_items(s.operation, s.command)))
@pytest.mark.requirement(*text_round_trips_exactly.requirements)
def test_text_round_trips_exactly(kikan, kikan_command) -> None:
    """Non-BMP characters, IVS sequences and compatibility ideographs are read back unchanged."""
    text_round_trips_exactly(kikan, kikan_command)
