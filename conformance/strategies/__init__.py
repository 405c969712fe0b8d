"""Hypothesis strategies for the common domain types, valid and invalid.

Valid values are built from the standard (check digits from ``standards.common``); invalid ones
are valid values with one defect, kept only when the standard's validator rejects them. Each
strategy's docstring says what it generates and how it shrinks.
"""

from conformance.strategies.address import addresses, invalid_postal_codes, postal_codes, yens
from conformance.strategies.dates import (
    impossible_dates,
    invalid_timestamps,
    iso_dates,
    partial_dates,
    timestamps,
)
from conformance.strategies.identifiers import (
    atena_nos,
    houjin_bangos,
    invalid_digit_strings,
    invalid_houjin_bangos,
    invalid_kojin_bangos,
    invalid_lg_codes,
    juminhyo_codes,
    kojin_bangos,
    lg_codes,
    local_government_houjin_bangos,
    setai_nos,
)
from conformance.strategies.text import alphabet_names, furiganas, invalid_furiganas, invalid_shimeis, shimeis

__all__ = [
    "addresses",
    "alphabet_names",
    "atena_nos",
    "furiganas",
    "houjin_bangos",
    "impossible_dates",
    "invalid_digit_strings",
    "invalid_furiganas",
    "invalid_houjin_bangos",
    "invalid_kojin_bangos",
    "invalid_lg_codes",
    "invalid_postal_codes",
    "invalid_shimeis",
    "invalid_timestamps",
    "iso_dates",
    "juminhyo_codes",
    "kojin_bangos",
    "lg_codes",
    "local_government_houjin_bangos",
    "partial_dates",
    "postal_codes",
    "setai_nos",
    "shimeis",
    "timestamps",
    "yens",
]
