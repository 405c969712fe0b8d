"""郵便番号, 住所 and yen amounts on the wire.

- 郵便番号 (``postal_code``): 7 ASCII digits without a hyphen, ``"1000001"`` (this project's
  convention; display adds the hyphen: 〒100-0001).
- 住所 (``address``): a domestic address as an object::

      {"todofuken": "13", "shikuchoson": "千代田区", "machiaza": "千代田", "banchi": "1番1号",
       "katagaki": "○○マンション101号室", "lg_code": "131016", "machiaza_id": "0001001"}

  ``todofuken`` is a code of the common code list ``todofuken`` (JIS X 0401, 01–47);
  ``shikuchoson`` (市区町村) is required; ``machiaza`` (町字), ``banchi`` (番地), ``katagaki`` (方書)
  are optional text kept as written; ``lg_code`` (全国地方公共団体コード of the 市区町村) and
  ``machiaza_id`` (町字ID of the アドレス・ベース・レジストリ, 7 digits) are optional. Addresses abroad
  (転入前住所 国外) are not this type.
- yen (``yen``): a JSON integer, 0 or more.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from standards.common.identifiers import validate_lg_code
from standards.common.problems import Problem, escape_pointer_token
from standards.common.text import char_length, free_text_problems

TODOFUKEN_FILE = Path(__file__).resolve().parent / "codelists" / "todofuken.yaml"
ADDRESS_TEXT_ITEMS = ("shikuchoson", "machiaza", "banchi", "katagaki")
ADDRESS_KEYS = frozenset({"todofuken", "lg_code", "machiaza_id", *ADDRESS_TEXT_ITEMS})
#: Character limits of the text parts (this project's convention).
ADDRESS_MAX_LENGTH = {"shikuchoson": 40, "machiaza": 60, "banchi": 60, "katagaki": 100}


@functools.cache
def todofuken_codes() -> frozenset[str]:
    """The 都道府県 codes of the common code list ``todofuken`` (01–47)."""
    with open(TODOFUKEN_FILE, encoding="utf-8") as fh:
        return frozenset(str(c["code"]) for c in yaml.safe_load(fh)["codes"])


def format_postal_code(value: str) -> str:
    """A wire postal code for display: ``"1000001"`` → ``"100-0001"``."""
    return f"{value[:3]}-{value[3:]}"


def validate_postal_code(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a 郵便番号: 7 ASCII digits, no hyphen."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{7}", value):
        return []
    hint = "（ハイフンなし）" if isinstance(value, str) and re.fullmatch(r"[0-9]{3}-[0-9]{4}", value) else ""
    return [
        Problem(
            "POSTAL_CODE_FORMAT",
            pointer,
            f"郵便番号は半角数字7桁{hint}で指定してください（値: {value!r}）",
            f"A postal code must be 7 ASCII digits without a hyphen (got {value!r})",
        )
    ]


def validate_yen(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a yen amount: an integer (not a boolean, not a float), 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int):
        return [
            Problem(
                "YEN_TYPE",
                pointer,
                f"金額は整数（円）で指定してください（値: {value!r}）",
                f"An amount must be an integer number of yen (got {value!r})",
            )
        ]
    if value < 0:
        return [
            Problem(
                "YEN_NEGATIVE", pointer, f"金額が負です（{value}）", f"An amount cannot be negative ({value})"
            )
        ]
    return []


def validate_address(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with a domestic 住所 object (see the module docstring for its items)."""
    if not isinstance(value, dict):
        return [
            Problem(
                "ADDRESS_FORMAT",
                pointer,
                "住所はオブジェクトで指定してください",
                "An address must be an object",
            )
        ]
    problems: list[Problem] = []
    for key in sorted(set(value) - ADDRESS_KEYS, key=str):
        problems.append(
            Problem(
                "UNKNOWN_ITEM",
                f"{pointer}/{escape_pointer_token(key)}",
                f"未知の項目です: {key}",
                f"Unknown item: {key}",
            )
        )
    todofuken = value.get("todofuken")
    if todofuken is None:
        problems.append(
            Problem("REQUIRED", f"{pointer}/todofuken", "都道府県は必須です", "todofuken is required")
        )
    elif not isinstance(todofuken, str) or todofuken not in todofuken_codes():
        problems.append(
            Problem(
                "CODE_NOT_IN_LIST",
                f"{pointer}/todofuken",
                f"都道府県コードは01〜47です（値: {todofuken!r}）",
                f"todofuken must be a prefecture code 01-47 (got {todofuken!r})",
            )
        )
    if value.get("shikuchoson") is None:
        problems.append(
            Problem("REQUIRED", f"{pointer}/shikuchoson", "市区町村は必須です", "shikuchoson is required")
        )
    for key in ADDRESS_TEXT_ITEMS:
        problems.extend(_text_item(value.get(key), f"{pointer}/{key}", ADDRESS_MAX_LENGTH[key]))
    lg_code = value.get("lg_code")
    if lg_code is not None:
        found = validate_lg_code(lg_code, f"{pointer}/lg_code")
        problems.extend(found)
        if not found and isinstance(todofuken, str) and lg_code[:2] != todofuken:
            problems.append(
                Problem(
                    "ADDRESS_LG_CODE_MISMATCH",
                    f"{pointer}/lg_code",
                    f"地方公共団体コード {lg_code} は都道府県 {todofuken} のものではありません",
                    f"LG code {lg_code} does not belong to prefecture {todofuken}",
                )
            )
    machiaza_id = value.get("machiaza_id")
    if machiaza_id is not None and not (
        isinstance(machiaza_id, str) and re.fullmatch(r"[0-9]{7}", machiaza_id)
    ):
        problems.append(
            Problem(
                "MACHIAZA_ID_FORMAT",
                f"{pointer}/machiaza_id",
                f"町字IDは半角数字7桁です（値: {machiaza_id!r}）",
                f"machiaza_id must be 7 ASCII digits (got {machiaza_id!r})",
            )
        )
    return problems


def _text_item(text: object, pointer: str, max_length: int) -> list[Problem]:
    if text is None:
        return []
    if not isinstance(text, str):
        return [Problem("TYPE", pointer, "文字列で指定してください", "Must be a string")]
    problems = free_text_problems(text, pointer, "ADDRESS")
    if char_length(text) > max_length:
        problems.append(
            Problem(
                "MAX_LENGTH",
                pointer,
                f"{max_length}文字以内で指定してください（{char_length(text)}文字）",
                f"At most {max_length} characters (got {char_length(text)})",
            )
        )
    return problems
