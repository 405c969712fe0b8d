"""What each error code means, in words that name the kind of fault and never the value.

A report names the row, the item and the kind of fault; the validators' own messages (which quote
the value) are shown only when values are asked for (``--show-values``). The item codes are the
API's (``standards/common/types.yaml`` ``error_codes`` and ``standards.validation.KEYWORD_CODES``);
a test checks that every one of them has a text here. The codes across records are this file
validator's own.
"""

from __future__ import annotations

#: Codes of the rules across records and files (this validator's own).
RECORD_CODES: dict[str, tuple[str, str]] = {
    "DUPLICATE_KEY": ("キーが他の行と重複しています", "The key repeats that of an earlier row"),
    "DUPLICATE_VALUE": (
        "一意であるべき値が他の行と重複しています",
        "A value that must be unique repeats an earlier row's",
    ),
    "MORE_THAN_ONE_IN_GROUP": (
        "同じグループに該当する行が複数あります（世帯主が複数など）",
        "More than one row of the group meets the condition (e.g. two heads of one household)",
    ),
    "REFERENCE_NOT_FOUND": ("参照先の記録がありません", "The record it refers to does not exist"),
    "HISTORY_NUMBERING": (
        "履歴番号が1から欠番なく連続していません",
        "The history numbers do not run 1, 2, 3 … without gaps",
    ),
    "HISTORY_MISMATCH": (
        "最新の履歴行が現在の記録と一致しません",
        "The latest history row does not equal the current record",
    ),
    "HISTORY_MISSING": ("現在の記録に対応する履歴行がありません", "The current record has no history row"),
}

ITEM_CODES: dict[str, tuple[str, str]] = {
    "REQUIRED": ("必須項目が空です", "A required item is empty"),
    "TYPE": ("値の型が誤っています", "The value is of the wrong type"),
    "MAX_LENGTH": ("桁数（文字数）の上限を超えています", "The value is longer than allowed"),
    "MIN_LENGTH": ("桁数（文字数）が不足しています", "The value is shorter than allowed"),
    "PATTERN": ("形式が誤っています", "The value does not have the required form"),
    "CODE_NOT_IN_LIST": ("コード表にない値です", "The value is not in the code list"),
    "UNKNOWN_ITEM": ("未知の項目です", "Unknown item"),
    "OUT_OF_RANGE": ("値が範囲外です", "The value is out of range"),
    "MIN_ITEMS": ("要素の数が不足しています", "Too few elements"),
    "MAX_ITEMS": ("要素の数が多すぎます", "Too many elements"),
    "DUPLICATE_ITEMS": ("要素が重複しています", "Repeated elements"),
    "FORMAT": ("形式が誤っています", "The value does not have the required format"),
    "INVALID": ("値が不正です", "The value is not valid"),
    "KOJIN_BANGO_FORMAT": ("個人番号は半角数字12桁です", "A 個人番号 is 12 ASCII digits"),
    "KOJIN_BANGO_CHECK_DIGIT": ("個人番号の検査数字が誤っています", "The 個人番号 check digit is wrong"),
    "HOUJIN_BANGO_FORMAT": ("法人番号は半角数字13桁です", "A 法人番号 is 13 ASCII digits"),
    "HOUJIN_BANGO_CHECK_DIGIT": ("法人番号の検査数字が誤っています", "The 法人番号 check digit is wrong"),
    "LG_CODE_FORMAT": ("地方公共団体コードは半角数字6桁です", "An LG code is 6 ASCII digits"),
    "LG_CODE_PREFECTURE": (
        "地方公共団体コードの都道府県コードが01〜47ではありません",
        "The LG code's prefecture is not 01-47",
    ),
    "LG_CODE_CHECK_DIGIT": ("地方公共団体コードの検査数字が誤っています", "The LG code check digit is wrong"),
    "JUMINHYO_CODE_FORMAT": ("住民票コードは半角数字11桁です", "A 住民票コード is 11 ASCII digits"),
    "ATENA_NO_FORMAT": ("宛名番号の形式が誤っています", "The 宛名番号 does not have its form"),
    "SETAI_NO_FORMAT": ("世帯番号の形式が誤っています", "The 世帯番号 does not have its form"),
    "ZOKUGARA_TERM": (
        "続柄に続柄コード表にない語があります",
        "A term of the relationship is not in the code list",
    ),
    "ZOKUGARA_STANDALONE": (
        "単独でのみ使える続柄が連結されています",
        "A stand-alone relationship term is chained",
    ),
    "ZOKUGARA_TOO_DEEP": ("続柄の世代が上限を超えています", "The relationship chain is too deep"),
    "DATE_FORMAT": ("日付は YYYY-MM-DD 形式です", "A date is YYYY-MM-DD"),
    "NOT_A_DATE": ("存在しない日付です", "Not a calendar day"),
    "PARTIAL_DATE_FORMAT": ("不詳日の形式が誤っています", "The partial date does not have its form"),
    "PARTIAL_DATE_INCONSISTENT": (
        "不詳日の項目が互いに矛盾しています",
        "The parts of the partial date contradict each other",
    ),
    "TIMESTAMP_FORMAT": ("日時は RFC 3339 形式です", "A timestamp is RFC 3339"),
    "TIMESTAMP_OFFSET_REQUIRED": ("日時に時差（+09:00 など）がありません", "The timestamp has no offset"),
    "NOT_A_TIMESTAMP": ("存在しない日時です", "Not a valid point in time"),
    "SHIMEI_FORMAT": ("氏名が文字列ではありません", "The name is not text"),
    "SHIMEI_EMPTY": ("氏名が空です", "The name is empty"),
    "SHIMEI_CHARACTER": ("氏名に使えない文字があります", "The name holds a character not allowed in names"),
    "SHIMEI_CONTROL_CHARACTER": ("氏名に制御文字があります", "The name holds a control character"),
    "SHIMEI_LONE_SELECTOR": (
        "異体字セレクタが漢字の直後にありません",
        "A variation selector does not follow an ideograph",
    ),
    "FURIGANA_FORMAT": ("フリガナが文字列ではありません", "The furigana is not text"),
    "FURIGANA_EMPTY": ("フリガナが空です", "The furigana is empty"),
    "FURIGANA_CHARACTER": (
        "フリガナに全角カタカナ以外の文字があります",
        "The furigana holds a character that is not katakana",
    ),
    "FURIGANA_CONTROL_CHARACTER": ("フリガナに制御文字があります", "The furigana holds a control character"),
    "ALPHABET_NAME_FORMAT": ("アルファベット氏名が文字列ではありません", "The alphabet name is not text"),
    "ALPHABET_NAME_EMPTY": ("アルファベット氏名が空です", "The alphabet name is empty"),
    "ALPHABET_NAME_CHARACTER": (
        "アルファベット氏名に使えない文字があります",
        "The alphabet name holds a character not allowed",
    ),
    "POSTAL_CODE_FORMAT": ("郵便番号は半角数字7桁です", "A postal code is 7 ASCII digits"),
    "ADDRESS_FORMAT": ("住所の形式が誤っています", "The address does not have its form"),
    "ADDRESS_CHARACTER": ("住所に使えない文字があります", "The address holds a character not allowed"),
    "ADDRESS_CONTROL_CHARACTER": ("住所に制御文字があります", "The address holds a control character"),
    "ADDRESS_LONE_SELECTOR": (
        "住所の異体字セレクタが漢字の直後にありません",
        "A variation selector in the address does not follow an ideograph",
    ),
    "ADDRESS_LG_CODE_MISMATCH": (
        "地方公共団体コードが都道府県と一致しません",
        "The LG code is not of the address's prefecture",
    ),
    "MACHIAZA_ID_FORMAT": ("町字IDは半角数字7桁です", "A 町字ID is 7 ASCII digits"),
    "YEN_TYPE": ("金額は整数（円）です", "An amount is an integer number of yen"),
    "YEN_NEGATIVE": ("金額が負です", "The amount is negative"),
}

MESSAGES: dict[str, tuple[str, str]] = {**ITEM_CODES, **RECORD_CODES}


def message(code: str) -> tuple[str, str]:
    """The Japanese and English text of ``code`` (a plain restatement for a code without one)."""
    return MESSAGES.get(code, ("値が不正です（" + code + "）", f"Invalid value ({code})"))
