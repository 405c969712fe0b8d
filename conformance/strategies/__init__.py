"""Hypothesis strategies for the common domain types, valid and invalid.

Valid values are built from the standard (check digits from ``standards.common``); invalid ones
are valid values with one defect, kept only when the standard's validator rejects them. Each
strategy's docstring says what it generates and how it shrinks. :data:`BY_TYPE` maps every common
type id of ``standards/common/types.yaml`` to its (valid, invalid) strategy factories.
"""

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from conformance.strategies.address import (
    addresses,
    invalid_addresses,
    invalid_postal_codes,
    invalid_yens,
    postal_codes,
    yens,
)
from conformance.strategies.dates import (
    impossible_dates,
    invalid_iso_dates,
    invalid_partial_dates,
    invalid_timestamps,
    iso_dates,
    partial_dates,
    timestamps,
)
from conformance.strategies.identifiers import (
    atena_nos,
    houjin_bangos,
    invalid_atena_nos,
    invalid_digit_strings,
    invalid_houjin_bangos,
    invalid_juminhyo_codes,
    invalid_kojin_bangos,
    invalid_lg_codes,
    invalid_setai_nos,
    juminhyo_codes,
    kojin_bangos,
    lg_codes,
    local_government_houjin_bangos,
    setai_nos,
)
from conformance.strategies.images import invalid_png_images, png_images
from conformance.strategies.text import (
    alphabet_names,
    furiganas,
    invalid_alphabet_names,
    invalid_furiganas,
    invalid_shimeis,
    shimeis,
)
from conformance.strategies.zokugara import invalid_zokugaras, unlisted_zokugara_terms, zokugaras

Factory = Callable[[], st.SearchStrategy[Any]]

#: common type id → (valid values, values its validator rejects)
BY_TYPE: dict[str, tuple[Factory, Factory]] = {
    "kojin_bango": (kojin_bangos, invalid_kojin_bangos),
    "houjin_bango": (houjin_bangos, invalid_houjin_bangos),
    "lg_code": (lg_codes, invalid_lg_codes),
    "juminhyo_code": (juminhyo_codes, invalid_juminhyo_codes),
    "atena_no": (atena_nos, invalid_atena_nos),
    "setai_no": (setai_nos, invalid_setai_nos),
    "iso_date": (iso_dates, invalid_iso_dates),
    "partial_date": (partial_dates, invalid_partial_dates),
    "timestamp": (timestamps, invalid_timestamps),
    "shimei": (shimeis, invalid_shimeis),
    "furigana": (furiganas, invalid_furiganas),
    "alphabet_name": (alphabet_names, invalid_alphabet_names),
    "postal_code": (postal_codes, invalid_postal_codes),
    "address": (addresses, invalid_addresses),
    "yen": (yens, invalid_yens),
    "png_image": (png_images, invalid_png_images),
    "zokugara": (zokugaras, invalid_zokugaras),
}


def for_type(type_id: str, *, valid: bool = True) -> st.SearchStrategy[Any]:
    """The strategy of common type ``type_id``: valid values, or (``valid=False``) rejected ones.

    Raises ``KeyError`` for a type without strategies.
    """
    good, bad = BY_TYPE[type_id]
    return good() if valid else bad()


__all__ = [
    "BY_TYPE",
    "addresses",
    "alphabet_names",
    "atena_nos",
    "for_type",
    "furiganas",
    "houjin_bangos",
    "impossible_dates",
    "invalid_addresses",
    "invalid_alphabet_names",
    "invalid_atena_nos",
    "invalid_digit_strings",
    "invalid_furiganas",
    "invalid_houjin_bangos",
    "invalid_iso_dates",
    "invalid_juminhyo_codes",
    "invalid_kojin_bangos",
    "invalid_lg_codes",
    "invalid_partial_dates",
    "invalid_png_images",
    "invalid_postal_codes",
    "invalid_setai_nos",
    "invalid_shimeis",
    "invalid_timestamps",
    "invalid_yens",
    "invalid_zokugaras",
    "iso_dates",
    "juminhyo_codes",
    "kojin_bangos",
    "lg_codes",
    "local_government_houjin_bangos",
    "png_images",
    "partial_dates",
    "postal_codes",
    "setai_nos",
    "shimeis",
    "timestamps",
    "unlisted_zokugara_terms",
    "yens",
    "zokugaras",
]
