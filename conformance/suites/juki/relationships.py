"""The 続柄 values the juki suite sends: the ones the standard manages and the ones it does not.

Read from the standard's code list ``zokugara`` (its terms, which of them chain, ``max_chain``), never
from the server: the wire form is the common type zokugara, term codes joined by ``-`` (``"11-02"`` =
子の妻). 住民記録システム標準仕様書 1.1.11 manages the terms and their chains up to 4世代 (JUKI-093)
and nothing else: 孫, 祖父, おじ … are not terms (JUKI-094).
"""

from __future__ import annotations

import random

from standards.common.zokugara import SEPARATOR
from standards.model import CodeList

#: 【実装しない】 relationships as a vendor keeping them as text might send them (JUKI-094's own list).
UNMANAGED_WORDS = ("孫", "祖父", "祖母", "おじ", "おば", "甥", "姪", "家事使用人", "準世帯主")


def _split(codelist: CodeList) -> tuple[list[str], list[str], int]:
    chain = [c.code for c in codelist.codes if c.chain]
    alone = [c.code for c in codelist.codes if not c.chain]
    return chain, alone, codelist.max_chain or 1


def managed(codelist: CodeList, head: str, rng: random.Random) -> list[str]:
    """Every term but the 世帯主 on its own, then chains: 子の妻, 子の夫, the longest chain of 子 (子の子の子の子
    at 4世代) and one random chain of each length from 2 to the limit."""
    chain, alone, limit = _split(codelist)
    child = codelist.code_of("子")
    out = [c for c in chain + alone if c != head]
    out += [
        SEPARATOR.join((child, codelist.code_of("妻"))),
        SEPARATOR.join((child, codelist.code_of("夫"))),
        SEPARATOR.join([child] * limit),
    ]
    out += [SEPARATOR.join(rng.choice(chain) for _ in range(n)) for n in range(2, limit + 1)]
    return list(dict.fromkeys(out))


def unmanaged(codelist: CodeList, rng: random.Random) -> list[tuple[str, str]]:
    """(value, the error code it must get at /zokugara): every two-digit code that is no term, the words
    of JUKI-094, a chain one term too deep (子の子の子の子の子), stand-alone terms inside a chain, a chain
    holding an unlisted term, and empty parts."""
    chain, alone, limit = _split(codelist)
    listed = set(chain) | set(alone)
    child = codelist.code_of("子")
    unlisted = [f"{n:02d}" for n in range(100) if f"{n:02d}" not in listed]
    out = [(code, "ZOKUGARA_TERM") for code in unlisted]
    out += [(word, "ZOKUGARA_TERM") for word in UNMANAGED_WORDS]
    out += [
        (SEPARATOR.join([child] * (limit + 1)), "ZOKUGARA_TOO_DEEP"),
        (SEPARATOR.join(rng.choice(chain) for _ in range(limit + 1)), "ZOKUGARA_TOO_DEEP"),
    ]
    out += [(SEPARATOR.join((child, a)), "ZOKUGARA_STANDALONE") for a in alone]
    out += [(SEPARATOR.join((a, child)), "ZOKUGARA_STANDALONE") for a in alone]
    out += [(SEPARATOR.join((child, rng.choice(unlisted))), "ZOKUGARA_TERM")]
    out += [
        (child + SEPARATOR, "ZOKUGARA_TERM"),
        (SEPARATOR + child, "ZOKUGARA_TERM"),
        (SEPARATOR.join((child, "", child)), "ZOKUGARA_TERM"),
    ]
    return out
