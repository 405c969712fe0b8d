"""Validator of the 画像 (image) common type: an image carried as base64 text.

An image is not free text: text rules (行政事務標準文字, round trips of 氏名) do not apply to it, which is
why it has a type of its own. What the decoded bytes must be (a PNG, a size limit) is the rule of the
operation that holds the image, answered with that operation's own error (e.g. 印鑑登録's
INKAN_IMAGE_NOT_PNG), so this validator checks only the wire type.
"""

from __future__ import annotations

from standards.common.problems import Problem


def validate_png_image(value: object, pointer: str = "") -> list[Problem]:
    """Every problem with an image item on the wire: it must be a string (base64 text)."""
    if isinstance(value, str):
        return []
    return [
        Problem(
            "TYPE",
            pointer,
            f"画像はbase64の文字列で指定してください（値: {type(value).__name__}）",
            f"An image must be base64 text (got {type(value).__name__})",
        )
    ]
