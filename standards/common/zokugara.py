"""Validator and display of the 続柄 (relationship to the 世帯主) common type.

Wire form (types.yaml ``zokugara``): the codes of the terms of the common code list ``zokugara``
joined by ``-``, read left to right as the 「の」 of the Japanese: ``"11-11-02"`` is 子の子の妻. A
term marked ``chain`` may be joined; the others (世帯主, 縁故者, 同居人) stand alone; a chain has at
most the list's ``max_chain`` terms (住民記録システム標準仕様書 1.1.11: 4世代). Everything is read
from the code list, so the terms and the limit are written once, in
``standards/common/codelists/zokugara.yaml``.
"""

from __future__ import annotations

from standards.common.problems import Problem
from standards.model import CodeList

#: Joins the term codes of a chain on the wire (the 「の」 of 子の子の妻).
SEPARATOR = "-"
CODELIST_ID = "zokugara"


def zokugara_codelist() -> CodeList:
    """The common code list ``zokugara`` of the package's standards (terms, chain marks, max_chain)."""
    from standards.loader import load_standards  # late: the loader must not need the validators

    return load_standards().codelist(CODELIST_ID)


def _terms(codelist: CodeList) -> dict[str, bool]:
    return {c.code: c.chain for c in codelist.codes}


def validate_zokugara(value: object, pointer: str = "", codelist: CodeList | None = None) -> list[Problem]:
    """Every problem with a 続柄 on the wire: unknown terms, stand-alone terms in a chain, a chain too deep.

    ``codelist`` defaults to the standard's ``zokugara`` list. Codes: ``ZOKUGARA_TERM`` (a part that
    is not a term of the list, including an empty part), ``ZOKUGARA_STANDALONE`` (世帯主, 縁故者 or
    同居人 joined with other terms), ``ZOKUGARA_TOO_DEEP`` (more terms than ``max_chain``).
    """
    if not isinstance(value, str):
        return [Problem("TYPE", pointer, "続柄は文字列で指定してください", "A relationship must be a string")]
    codelist = codelist or zokugara_codelist()
    terms = _terms(codelist)
    parts = value.split(SEPARATOR)
    problems: list[Problem] = []
    for index, part in enumerate(parts):
        if part not in terms:
            problems.append(
                Problem(
                    "ZOKUGARA_TERM",
                    pointer,
                    f"続柄の{index + 1}番目の語 {part!r} は続柄コード表にありません（孫・祖父・おじ等は管理しません）",
                    f"Term {index + 1} of the relationship, {part!r}, is not in the zokugara code list "
                    "(孫, 祖父, おじ … are not managed)",
                )
            )
        elif len(parts) > 1 and not terms[part]:
            problems.append(
                Problem(
                    "ZOKUGARA_STANDALONE",
                    pointer,
                    f"続柄の語 {part!r} は単独でのみ使えます（「の」でつなげられません）",
                    f"The relationship term {part!r} stands alone and cannot be part of a chain",
                )
            )
    limit = codelist.max_chain
    if limit is not None and len(parts) > limit:
        problems.append(
            Problem(
                "ZOKUGARA_TOO_DEEP",
                pointer,
                f"続柄は{limit}世代（{limit}語）までです（{len(parts)}語）",
                f"A relationship chain has at most {limit} terms (got {len(parts)})",
            )
        )
    return problems


def zokugara_label(value: str, codelist: CodeList | None = None) -> str:
    """The Japanese text of a valid 続柄: its terms' labels joined by 「の」 (``"11-11-02"`` → 子の子の妻).

    A part that is not a term is shown as it is.
    """
    codelist = codelist or zokugara_codelist()
    labels = {c.code: c.label.ja for c in codelist.codes}
    return "の".join(labels.get(part, part) for part in value.split(SEPARATOR))
