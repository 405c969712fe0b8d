"""Strategies for the image common type (``png_image``: a PNG as base64 text).

:func:`png_base64` builds a small valid PNG (so suites can make distinct impressions from a number);
:func:`png_images` generates such images and shrinks towards the smallest, plainest one;
:func:`invalid_png_images` generates values the wire form rejects (not strings: the bytes of a string
are each operation's rule, e.g. INKAN_IMAGE_NOT_PNG).
"""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

from hypothesis import strategies as st


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_base64(shade: int, size: int = 2) -> str:
    """A ``size`` x ``size`` RGB PNG (grey ``shade`` with one red dot, ``shade`` in a text chunk), base64.

    Different shades give different images (different bytes), so a number names an impression.
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    rows = b""
    for y in range(size):
        pixels = b"".join(
            b"\xff\x00\x00" if (x, y) == (0, 0) else bytes([shade % 256] * 3) for x in range(size)
        )
        rows += b"\x00" + pixels
    raw = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + _chunk(b"tEXt", b"kikan\x00" + str(shade).encode())
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )
    return base64.b64encode(raw).decode("ascii")


def png_images(*, max_size: int = 8) -> st.SearchStrategy[str]:
    """Valid PNG images as base64 text, 1 to ``max_size`` pixels square; shrinks to a 1x1 image of shade 0."""
    if max_size < 1:
        raise ValueError(f"max_size must be at least 1, got {max_size}")
    return st.builds(png_base64, st.integers(0, 10_000), st.integers(1, max_size))


def invalid_png_images() -> st.SearchStrategy[Any]:
    """Values an image item rejects on the wire (TYPE): numbers, booleans, lists, objects."""
    return st.one_of(
        st.integers(),
        st.booleans(),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )
