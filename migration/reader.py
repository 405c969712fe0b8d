"""Opening a migration file: encoding, dialect and header checked before any row is read.

A file is UTF-8 (a BOM is allowed), comma-separated with RFC 4180 quoting, its first row the
column names of one entity's layout. Anything else stops with one :class:`InputError` line naming
what was found: an empty file, another encoding (Shift_JIS, EUC-JP, UTF-16 … detected and named;
converted only when asked, with ``encoding``), another delimiter, broken quoting, unknown or
missing columns. Rows are then read by Polars in a stream (:func:`scan`), so a file larger than
memory is validated in bounded memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from migration.errors import InputError
from migration.layout import Layout

SAMPLE_BYTES = 1 << 16
BOM = codecs.BOM_UTF8
#: Encodings named when a file is not UTF-8, tried in this order on a sample of the file.
OTHER_ENCODINGS = (("cp932", "Shift_JIS (CP932)"), ("euc_jp", "EUC-JP"), ("iso2022_jp", "ISO-2022-JP"))
DELIMITERS = {"\t": "タブ / tab", ";": "セミコロン / semicolon", "|": "縦棒 / vertical bar"}


@dataclass(frozen=True)
class Opened:
    """A file ready to be scanned: its path (UTF-8, perhaps converted), header and layout."""

    path: Path
    shown: str  # the name the user gave, used in problems
    header: tuple[str, ...]
    layout: Layout
    converted: bool = False


def _sample(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(SAMPLE_BYTES)
    except FileNotFoundError:
        raise InputError(str(path), "ファイルがありません", "no such file") from None
    except IsADirectoryError:
        raise InputError(
            str(path), "フォルダです（ファイルを指定してください）", "is a folder, not a file"
        ) from None
    except PermissionError:
        raise InputError(str(path), "読み取る権限がありません", "permission denied") from None


def detect_encoding(sample: bytes, complete: bool) -> str | None:
    """None when ``sample`` is UTF-8 (with or without BOM), else the name of the encoding it looks like."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in sample[:4096]:
        return "UTF-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return None
    except UnicodeDecodeError:
        pass
    for codec, name in OTHER_ENCODINGS:
        try:
            sample.decode(codec)
            return name
        except UnicodeDecodeError:
            continue
    return "不明 / unknown (not UTF-8)"


def convert_to_utf8(path: Path, encoding: str, shown: str) -> Path:
    """A UTF-8 copy of ``path`` read as ``encoding`` (only when the user asks for it), in a temp file."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(
            shown, f"文字コード {encoding} を知りません", f"unknown encoding {encoding}"
        ) from None
    fd, name = tempfile.mkstemp(prefix="kikan-data-", suffix=".csv")
    try:
        with (
            path.open("r", encoding=encoding, newline="") as src,
            os.fdopen(fd, "w", encoding="utf-8", newline="") as dst,
        ):
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    except UnicodeDecodeError as exc:
        os.unlink(name)
        raise InputError(
            shown, f"{encoding} として読めません（{exc.start}バイト目付近）", f"cannot be read as {encoding}"
        ) from None
    return Path(name)


def _header(sample: bytes, shown: str) -> tuple[str, ...]:
    text = sample.removeprefix(BOM).decode("utf-8", errors="ignore")
    first = text.splitlines()[0] if text.splitlines() else ""
    if not first.strip():
        raise InputError(shown, "見出し行が空です", "the header row is empty")
    try:
        row = next(csv.reader(io.StringIO(first), strict=True))
    except (csv.Error, StopIteration):
        raise InputError(
            shown, "見出し行の引用符が壊れています", "broken quoting in the header row"
        ) from None
    if len(row) == 1:
        for delimiter, name in DELIMITERS.items():
            if delimiter in first:
                ja, en = name.split(" / ")
                raise InputError(
                    shown,
                    f"区切り文字が{ja}です（カンマ区切りで書いてください）",
                    f"the delimiter is a {en}; use commas",
                )
    return tuple(row)


def match_layout(header: Sequence[str], layouts: Sequence[Layout], shown: str) -> Layout:
    """The layout whose columns are exactly ``header``; an InputError naming the differences otherwise."""
    repeated = sorted({c for c in header if list(header).count(c) > 1})
    if repeated:
        raise InputError(
            shown, f"列名が重複しています: {', '.join(repeated)}", f"repeated columns: {', '.join(repeated)}"
        )
    names = set(header)
    best = max(layouts, key=lambda lay: len(names & {c.name for c in lay.columns}))
    expected = [c.name for c in best.columns]
    unknown = [c for c in header if c not in set(expected)]
    missing = [c for c in expected if c not in names]
    if not unknown and not missing:
        return best
    parts_ja, parts_en = [], []
    if unknown:
        parts_ja.append(f"未知の列 {', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}")
        parts_en.append(f"unknown columns {', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}")
    if missing:
        parts_ja.append(f"不足している列 {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}")
        parts_en.append(f"missing columns {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}")
    raise InputError(
        shown,
        f"見出しがレイアウト {best.file_name} と合いません（{'、'.join(parts_ja)}）",
        f"the header does not match layout {best.file_name} ({'; '.join(parts_en)}); see kikan data layout",
    )


def open_file(path: Path, layouts: Sequence[Layout], *, encoding: str | None = None) -> Opened:
    """Check ``path``'s encoding, dialect and header; the layout it follows."""
    shown = str(path)
    sample = _sample(path)
    if not sample.removeprefix(BOM).strip():
        raise InputError(shown, "ファイルが空です", "the file is empty")
    converted = False
    if encoding is not None and codecs.lookup(encoding).name != "utf-8":
        path = convert_to_utf8(path, encoding, shown)
        sample, converted = _sample(path), True
    else:
        found = detect_encoding(sample, complete=len(sample) < SAMPLE_BYTES)
        if found is not None:
            raise InputError(
                shown,
                f"文字コードが UTF-8 ではありません（{found} と思われます。変換するには --encoding を指定）",
                f"not UTF-8 (looks like {found}; pass --encoding to convert)",
            )
    try:
        header = _header(sample, shown)
        found = match_layout(header, layouts, shown)
    except InputError:
        if converted:
            path.unlink(missing_ok=True)
        raise
    return Opened(path, shown, header, found, converted)


def scan(opened: Opened) -> pl.LazyFrame:
    """The rows of ``opened`` as text columns, with ``__row`` (1-based, header not counted)."""
    columns = list(opened.header)
    return pl.scan_csv(
        opened.path,
        has_header=True,
        schema={c: pl.String for c in columns},
        separator=",",
        quote_char='"',
        encoding="utf8",
        raise_if_empty=True,
    ).with_row_index("__row", offset=1)


def polars_error(exc: Exception, shown: str) -> InputError:
    """A Polars parse error as one line (too many fields, broken quoting, invalid UTF-8 …)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = text.lower()
    if "utf-8" in lowered or "utf8" in lowered:
        return InputError(shown, "UTF-8 として読めない箇所があります", f"invalid UTF-8 ({text})")
    if "field" in lowered or "column" in lowered:
        return InputError(
            shown,
            "列の数が見出しと合わない行があります（引用符の崩れを含む）",
            f"a row does not fit the header ({text})",
        )
    return InputError(shown, "CSV として読めません", f"cannot be read as CSV ({text})")
