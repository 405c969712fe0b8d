"""Strategies for the 続柄 common type (zokugara): term codes joined by ``-`` (``"11-02"`` = 子の妻).

Everything is read from the standard's code list ``zokugara`` (its terms, which of them chain, and
``max_chain``) through ``standards.common.zokugara``, so a change of the list changes what is
generated. Invalid values are kept only when the standard's validator rejects them.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from conformance.strategies._checks import check_size
from standards.common.zokugara import SEPARATOR, validate_zokugara, zokugara_codelist


def _split_terms() -> tuple[list[str], list[str], int]:
    codelist = zokugara_codelist()
    chain = [c.code for c in codelist.codes if c.chain]
    alone = [c.code for c in codelist.codes if not c.chain]
    return chain, alone, codelist.max_chain or 1


def zokugaras(*, min_terms: int = 1, max_terms: int | None = None) -> st.SearchStrategy[str]:
    """Valid 続柄: a stand-alone term (世帯主, 縁故者, 同居人; only when ``min_terms`` is 1) or a chain
    of ``min_terms``..``max_terms`` chainable terms (default up to the list's ``max_chain``, 4).

    Shrinks towards a single term, the first chainable one of the list (妻 ``"02"``).
    """
    chain, alone, limit = _split_terms()
    lo = check_size("min_terms", min_terms, minimum=1)
    hi = limit if max_terms is None else check_size("max_terms", max_terms, minimum=1)
    if lo > hi or hi > limit:
        raise InvalidArgument(f"need 1 <= min_terms={lo} <= max_terms={hi} <= max_chain={limit}")
    chains = st.lists(st.sampled_from(chain), min_size=lo, max_size=hi).map(SEPARATOR.join)
    return st.one_of(chains, st.sampled_from(alone)) if lo == 1 else chains


def unlisted_zokugara_terms() -> st.SearchStrategy[str]:
    """Two-digit codes that are no term of the list (the wire form of 孫, 祖父, おじ … : not managed).

    Shrinks towards ``"00"``.
    """
    chain, alone, _ = _split_terms()
    listed = set(chain) | set(alone)
    return st.sampled_from([f"{n:02d}" for n in range(100) if f"{n:02d}" not in listed])


def invalid_zokugaras() -> st.SearchStrategy[str]:
    """続柄 the validator rejects: an unlisted term (alone or inside a chain), a chain one or more terms
    too deep, a stand-alone term (世帯主/縁故者/同居人) inside a chain, or an empty part (``"11-"``).

    Shrinks towards the unlisted code ``"00"`` on its own.
    """
    chain, alone, limit = _split_terms()
    terms = st.sampled_from(chain)
    unlisted = unlisted_zokugara_terms()
    inside = st.tuples(st.lists(terms, max_size=limit - 1), unlisted, st.lists(terms, max_size=limit - 1))
    too_deep = st.lists(terms, min_size=limit + 1, max_size=limit + 2)
    standalone = st.tuples(st.sampled_from(alone), terms, st.booleans()).map(
        lambda t: [t[0], t[1]] if t[2] else [t[1], t[0]]
    )
    empty = st.tuples(st.lists(terms, max_size=limit - 1), st.lists(terms, max_size=limit - 1)).map(
        lambda t: [*t[0], "", *t[1]]
    )
    return st.one_of(
        unlisted,
        inside.map(lambda t: SEPARATOR.join([*t[0], t[1], *t[2]])),
        too_deep.map(SEPARATOR.join),
        standalone.map(SEPARATOR.join),
        empty.map(SEPARATOR.join),
    ).filter(lambda v: bool(validate_zokugara(v)))
