"""Reading a migration file in chunks of whole records, every record's field count checked.

The rows after the header are read in blocks of about :data:`CHUNK_BYTES`, each cut after the last
line break that ends a record (one outside any quoted field: an even number of quote characters
comes before it), and each chunk is parsed by Polars in memory. Memory stays bounded by the chunk
whatever the size of the file.

Polars fills a row that has too few fields with nulls and stops at one with too many; neither may
pass silently, nor shift columns. A chunk is right when Polars read it without finding a longer row
and its commas outside quoted fields number rows × (columns − 1), so that no row is shorter either:
two byte counts, no work per row. Otherwise its records are counted one by one with Python's csv
module, and the first wrong ones are named, by row and line, in one :class:`InputError` line.
Trailing blank lines at the end of the file are not records; a blank line between rows is a row
with one field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import polars as pl

from migration.errors import InputError
from migration.reader import Opened, polars_error

#: Bytes read at a time (a chunk is this, cut back to the end of its last whole record): about
#: 100,000 resident rows. Smaller chunks cost more, as each one pays for planning the rules
#: (some 30 ms for the resident file's).
CHUNK_BYTES = 1 << 26
#: A record longer than this is taken for a quoted field that is never closed.
MAX_RECORD_BYTES = 1 << 28
#: Rows named in the one line that reports wrong field counts.
NAMED_ROWS = 3
_QUOTED = re.compile(rb'"[^"]*"')
T = TypeVar("T")
_END = object()


def _record_end(buf: bytes) -> int:
    """The offset just after the last line break of ``buf`` outside quotes (-1: none)."""
    pos = buf.rfind(b"\n")
    if b'"' not in buf:
        return pos + 1 if pos >= 0 else -1
    quotes = buf.count(b'"', 0, pos) if pos >= 0 else 0
    while pos >= 0 and quotes % 2:
        earlier = buf.rfind(b"\n", 0, pos)
        quotes -= buf.count(b'"', max(earlier, 0), pos)
        pos = earlier
    return pos + 1 if pos >= 0 else -1


def _unclosed(shown: str, data: bytes, line: int) -> InputError:
    """The error of a quoted field that no quote closes before the end of ``data``."""
    cut = _record_end(data)
    at = line + (data.count(b"\n", 0, cut) if cut > 0 else 0)
    return InputError(
        shown,
        f"{at}行目からの引用符が閉じられていません（引用符の崩れ、またはファイルが途中で切れています）",
        f"the quoted field starting on line {at} is never closed (broken quoting, or a truncated file)",
    )


def _records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """Each record of ``data`` with the line (0-based, within ``data``) it starts on."""
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    start = 0
    for record in reader:
        yield start, record
        start = reader.line_num


def _describe(row: int, line: int, found: int, fields: int) -> tuple[str, str]:
    if found == 0:
        return f"行 {row}（{line}行目）が空行です", f"row {row} (line {line}) is blank"
    return (
        f"行 {row}（{line}行目）の列数が {found} です（見出しは {fields}）",
        f"row {row} (line {line}) has {found} fields, the header {fields}",
    )


def _field_count_error(
    shown: str, data: bytes, fields: int, row: int, line: int, *, truncated: bool, height: int | None
) -> InputError | None:
    """The error naming the records of ``data`` whose field count is not ``fields``; None when every
    record has ``fields`` fields and they are the ``height`` rows Polars read."""
    bad = []
    count = 0
    for start, record in _records(data):
        if len(record) != fields:
            bad.append((row + count, line + start, len(record)))
        count += 1
    if not bad:
        if count == height:
            return None
        return InputError(
            shown,
            f"行 {row}（{line}行目）からの行を一貫して読めません（引用符の崩れ）",
            f"the rows from row {row} (line {line}) cannot be read consistently (broken quoting)",
        )
    first_row, first_line, found = bad[0]
    if truncated and len(bad) == 1 and first_row == row + count - 1 and 0 < found < fields:
        return InputError(
            shown,
            f"ファイルが途中で切れています（最終行 {first_row}（{first_line}行目）の列数 {found}、見出しは {fields}）",
            f"the file is truncated (its last row, row {first_row} on line {first_line}, has {found} of {fields} fields)",
        )
    ja, en = _describe(first_row, first_line, found, fields)
    more = [str(r) for r, _, _ in bad[1 : 1 + NAMED_ROWS]]
    if more:
        rest = "" if len(bad) <= 1 + NAMED_ROWS else " …"
        ja += f"（他に 行 {', '.join(more)}{rest}）"
        en += f" (also rows {', '.join(more)}{rest})"
    return InputError(
        shown, f"列の数が見出しと合わない行があります: {ja}", f"a row does not fit the header: {en}"
    )


def _fields_add_up(data: bytes, frame: pl.DataFrame, fields: int) -> bool:
    """Whether the commas of ``data`` outside quoted fields number rows × (``fields`` − 1)."""
    if b'"' in data:
        commas = _QUOTED.sub(b"", data).count(b",")
    else:
        # Without quotes a cell is its bytes as written, so the commas are what the cells, the line
        # breaks and the carriage returns leave of the chunk's length: no scan of the bytes.
        cells = sum(v or 0 for v in frame.select(pl.all().str.len_bytes().sum()).row(0))
        breaks = frame.height - (0 if data.endswith(b"\n") else 1)
        returns = data.count(b"\r") if b"\r" in data else 0
        commas = len(data) - cells - breaks - returns
    return commas == frame.height * (fields - 1)


def _parse(opened: Opened, data: bytes, row: int, line: int, *, truncated: bool) -> pl.DataFrame:
    fields = len(opened.header)
    try:
        frame = pl.read_csv(
            data,
            has_header=False,
            new_columns=list(opened.header),
            schema={c: pl.String for c in opened.header},
            separator=",",
            quote_char='"',
            encoding="utf8",
            raise_if_empty=False,
            # Polars reads empty cells as text a third faster than as nulls; they become nulls after.
            empty_string_is_null=False,
        )
    except pl.exceptions.PolarsError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            at = line + data.count(b"\n", 0, bad.start)
            raise InputError(
                opened.shown,
                f"{at}行目に UTF-8 として読めない箇所があります",
                f"line {at} is not valid UTF-8",
            ) from None
        # A row longer than the header, or a first row shorter than it, stops Polars: name it.
        error = _field_count_error(opened.shown, data, fields, row, line, truncated=truncated, height=None)
        raise error or polars_error(exc, opened.shown) from None
    frame = frame.with_columns(
        pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in frame.columns
    )
    if not _fields_add_up(data, frame, fields):
        error = _field_count_error(
            opened.shown, data, fields, row, line, truncated=truncated, height=frame.height
        )
        if error is not None:
            raise error
    return frame


def read_chunks(opened: Opened, row_name: str) -> Iterator[pl.DataFrame]:
    """The records of ``opened`` as text columns, chunk by chunk, each with ``row_name`` (1-based,
    header not counted); InputError for a row that does not fit the header or broken quoting."""
    row, line = 1, 2
    with opened.path.open("rb") as f:
        f.readline()  # the header, checked by open_file
        carry, block = b"", f.read(CHUNK_BYTES)
        while block or carry:
            following = f.read(CHUNK_BYTES) if block else b""
            buf = carry + block if carry else block
            block = following
            if following:  # not the end of the file: cut after the last whole record
                cut = _record_end(buf)
                if cut < 0:
                    if len(buf) > MAX_RECORD_BYTES:
                        raise _unclosed(opened.shown, buf, line)
                    carry = buf
                    continue
                data, carry = buf[:cut], buf[cut:]
                truncated = False
            else:
                if buf.count(b'"') % 2:
                    raise _unclosed(opened.shown, buf, line)
                truncated = not buf.endswith(b"\n")
                data, carry = buf.rstrip(b"\r\n"), b""  # trailing blank lines are not records
                if not data:
                    return
                data += b"" if truncated else b"\n"
            frame = _parse(opened, data, row, line, truncated=truncated)
            yield frame.with_row_index(row_name, offset=row)
            row += frame.height
            line += data.count(b"\n")


def prefetched(items: Iterator[T]) -> Iterator[T]:
    """``items``, the next one made in a background thread while the caller works on the current one
    (Polars parses the next chunk while the rules run on this one: two items live at a time)."""
    with ThreadPoolExecutor(1, thread_name_prefix="kikan-read") as pool:
        pending = pool.submit(next, items, _END)
        while True:
            item = pending.result()
            if item is _END:
                return
            pending = pool.submit(next, items, _END)
            yield item  # type: ignore[misc]
