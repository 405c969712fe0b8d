"""Validators and check-digit functions of the common identifiers.

個人番号 (kojin_bango), 法人番号 (houjin_bango), 全国地方公共団体コード (lg_code), 住民票コード
(juminhyo_code), 宛名番号 (atena_no) and 世帯番号 (setai_no). Formulas and test vectors: DOMAIN.md A.
Every ``validate_*`` returns every problem (empty list when valid); the ``*_check_digit``
functions are for generators and never validate their input beyond its shape.
"""

from __future__ import annotations

import re
from typing import TypeGuard

from standards.common.problems import Problem

#: Left-to-right weights of the 11-digit 個人番号 base (平成26年総務省令第85号 第5条).
KOJIN_BANGO_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
#: Left-to-right weights of the 5-digit base of a 全国地方公共団体コード.
LG_CODE_WEIGHTS = (6, 5, 4, 3, 2)
#: Project convention (not in any published spec): 宛名番号 is 12 digits, 世帯番号 10 digits.
ATENA_NO_LENGTH = 12
SETAI_NO_LENGTH = 10
JUMINHYO_CODE_LENGTH = 11


def _digits(value: object, length: int) -> TypeGuard[str]:
    return isinstance(value, str) and len(value) == length and re.fullmatch(r"[0-9]+", value) is not None


def _shape_problem(
    code: str, pointer: str, value: object, label_ja: str, label_en: str, length: int
) -> Problem:
    return Problem(
        code,
        pointer,
        f"{label_ja}は半角数字{length}桁で指定してください（値: {value!r}）",
        f"{label_en} must be a string of {length} ASCII digits (got {value!r})",
    )


def _require_digits(base: str, length: int, what: str) -> None:
    if not _digits(base, length):
        raise ValueError(f"{what} must be {length} ASCII digits, got {base!r}")


def kojin_bango_check_digit(base11: str) -> str:
    """The check digit of a 個人番号 whose first 11 digits are ``base11``.

    cd = 11 − (Σ Pn×Qn mod 11), and 0 when the remainder is 0 or 1 (DOMAIN.md A1).
    """
    _require_digits(base11, 11, "a 個人番号 base")
    remainder = sum(int(d) * w for d, w in zip(base11, KOJIN_BANGO_WEIGHTS, strict=True)) % 11
    return "0" if remainder <= 1 else str(11 - remainder)


def houjin_bango_check_digit(base12: str) -> str:
    """The check digit (the FIRST digit) of a 法人番号 whose 12-digit 基礎番号 is ``base12``.

    cd = 9 − (Σ Pn×Qn mod 9), Pn counted from the right, Qn = 1 for odd n and 2 for even n; the sum
    is taken before mod 9, so the result is always 1–9 (DOMAIN.md A2).
    """
    _require_digits(base12, 12, "a 法人番号 base")
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return str(9 - total % 9)


def lg_code_check_digit(base5: str) -> str:
    """The check digit of a 全国地方公共団体コード whose 5-digit JIS X 0402 code is ``base5``.

    r = Σ digit×(6,5,4,3,2) mod 11; cd = last digit of 11 − r, so r=0 → 1 and r=1 → 0 (DOMAIN.md A3).
    """
    _require_digits(base5, 5, "a 全国地方公共団体コード base")
    remainder = sum(int(d) * w for d, w in zip(base5, LG_CODE_WEIGHTS, strict=True)) % 11
    return str((11 - remainder) % 10)


def validate_kojin_bango(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 個人番号: 12 ASCII digits whose last digit is the check digit."""
    if not _digits(value, 12):
        return [_shape_problem("KOJIN_BANGO_FORMAT", pointer, value, "個人番号", "Kojin bango", 12)]
    expected = kojin_bango_check_digit(value[:11])
    if value[11] != expected:
        return [
            Problem(
                "KOJIN_BANGO_CHECK_DIGIT",
                pointer,
                f"個人番号の検査数字が誤っています（{value[11]}、正しくは {expected}）",
                f"Kojin bango check digit is {value[11]}, expected {expected}",
                position=11,
            )
        ]
    return []


def validate_houjin_bango(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 法人番号: 13 ASCII digits whose FIRST digit is the check digit."""
    if not _digits(value, 13):
        return [_shape_problem("HOUJIN_BANGO_FORMAT", pointer, value, "法人番号", "Houjin bango", 13)]
    expected = houjin_bango_check_digit(value[1:])
    if value[0] != expected:
        return [
            Problem(
                "HOUJIN_BANGO_CHECK_DIGIT",
                pointer,
                f"法人番号の検査数字（先頭の桁）が誤っています（{value[0]}、正しくは {expected}）",
                f"Houjin bango check digit (the first digit) is {value[0]}, expected {expected}",
                position=0,
            )
        ]
    return []


def validate_lg_code(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 全国地方公共団体コード: 6 digits, prefecture 01–47, check digit last."""
    if not _digits(value, 6):
        return [_shape_problem("LG_CODE_FORMAT", pointer, value, "地方公共団体コード", "LG code", 6)]
    problems = []
    if not 1 <= int(value[:2]) <= 47:
        problems.append(
            Problem(
                "LG_CODE_PREFECTURE",
                pointer,
                f"地方公共団体コードの先頭2桁（都道府県コード）は01〜47です（値: {value[:2]}）",
                f"The first two digits of an LG code (prefecture code) must be 01-47, got {value[:2]}",
                position=0,
            )
        )
    expected = lg_code_check_digit(value[:5])
    if value[5] != expected:
        problems.append(
            Problem(
                "LG_CODE_CHECK_DIGIT",
                pointer,
                f"地方公共団体コードの検査数字が誤っています（{value[5]}、正しくは {expected}）",
                f"LG code check digit is {value[5]}, expected {expected}",
                position=5,
            )
        )
    return problems


def validate_juminhyo_code(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 住民票コード: 11 ASCII digits.

    The code has a check digit (住民基本台帳法施行規則 第1条), but its formula (平成14年総務省告示
    第436号) is not public in any source we could read, so it is deliberately NOT checked.
    """
    if not _digits(value, JUMINHYO_CODE_LENGTH):
        return [_shape_problem("JUMINHYO_CODE_FORMAT", pointer, value, "住民票コード", "Juminhyo code", 11)]
    return []


def validate_atena_no(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 宛名番号: 12 ASCII digits (this project's convention, no check digit)."""
    if not _digits(value, ATENA_NO_LENGTH):
        return [
            _shape_problem("ATENA_NO_FORMAT", pointer, value, "宛名番号", "Atena number", ATENA_NO_LENGTH)
        ]
    return []


def validate_setai_no(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 世帯番号: 10 ASCII digits (this project's convention, no check digit)."""
    if not _digits(value, SETAI_NO_LENGTH):
        return [
            _shape_problem("SETAI_NO_FORMAT", pointer, value, "世帯番号", "Household number", SETAI_NO_LENGTH)
        ]
    return []
