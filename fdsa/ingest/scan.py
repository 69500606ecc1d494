r"""The raw file: one streaming scan (SHA-256, line breaks), headers, and raw records.

Line numbers everywhere are physical lines of the file: ``\r\n``, ``\r`` and ``\n``
each end one, and a row's line is the line where it starts. :func:`scan_file` keeps
the byte offset of every line break, so the line of any byte is a binary search away.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fdsa.ingest.errors import IngestError

CHUNK_BYTES = 8 << 20
csv.field_size_limit(1 << 30)


@dataclass
class FileScan:
    r"""What one pass over the raw bytes of a file tells.

    Attributes
    ----------
    sha256
        Hex SHA-256 of the file.
    n_lines
        Physical lines (``\\r\\n``, ``\\r`` and ``\\n`` each end one; a last line
        without a terminator counts).
    size
        Bytes.
    breaks
        Sorted byte offsets of the line breaks (each ``\\r``, and each ``\\n`` not right
        after one): the line of the byte at offset ``x`` is one plus the breaks before
        ``x``. Eight bytes per line.
    """

    sha256: str
    n_lines: int
    size: int
    breaks: np.ndarray = field(repr=False)

    def lines_of(self, offsets: Sequence[int]) -> dict[int, int]:
        """Physical line (1-based) of the byte at each offset."""
        wanted = np.unique(np.asarray(offsets, dtype=np.int64))
        lines = 1 + np.searchsorted(self.breaks, wanted, side="left")
        return dict(zip(wanted.tolist(), lines.tolist(), strict=True))


def scan_file(path: Path) -> FileScan:
    """SHA-256, line count and line-break offsets of ``path`` in one streaming pass."""
    digest = hashlib.sha256()
    size = 0
    previous_cr = False
    last = b""
    breaks: list[np.ndarray] = []
    hashing: Future[None] | None = None
    # hashlib and numpy release the GIL: hash each chunk in a thread while scanning it.
    with Path(path).open("rb") as handle, ThreadPoolExecutor(max_workers=1) as pool:
        while chunk := handle.read(CHUNK_BYTES):
            if hashing is not None:
                hashing.result()
            hashing = pool.submit(digest.update, chunk)
            breaks.append(_break_offsets(chunk, previous_cr) + size)
            size += len(chunk)
            previous_cr = chunk[-1:] == b"\r"
            last = chunk[-1:]
        if hashing is not None:
            hashing.result()
    offsets = np.concatenate(breaks) if breaks else np.zeros(0, dtype=np.int64)
    n_lines = len(offsets) + (1 if size and last not in (b"\n", b"\r") else 0)
    return FileScan(sha256=digest.hexdigest(), n_lines=n_lines, size=size, breaks=offsets)


def _break_offsets(chunk: bytes, previous_cr: bool) -> np.ndarray:
    r"""Offsets in ``chunk`` of its line breaks: each ``\\r``, each ``\\n`` not after one.

    ``previous_cr`` says whether the byte before the chunk was a ``\\r``.
    """
    data = np.frombuffer(chunk, dtype=np.uint8)
    ends = data == 10
    if previous_cr or b"\r" in chunk:  # most files have no CR at all
        cr = data == 13
        after_cr = np.concatenate(([previous_cr], cr[:-1]))
        ends = (ends & ~after_cr) | cr
    return np.flatnonzero(ends).astype(np.int64, copy=False)


def decode_bytes(raw: bytes) -> tuple[str, bool]:
    """Text of ``raw`` as UTF-8 (BOM dropped), else Latin-1; also whether Latin-1 was used."""
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return raw.decode("latin-1"), True


def read_header(path: Path) -> list[str]:
    """Column names of the first CSV record of ``path`` (BOM and surrounding spaces removed)."""
    return read_header_rows(path, 1)[0]


def read_header_rows(path: Path, n: int) -> list[list[str]]:
    r"""The first ``n`` CSV records of ``path``, fields stripped (a header of ``n`` rows).

    Quoted line breaks inside a header cell and any line ends (``\\n``, ``\\r\\n``,
    ``\\r``) are read as in the data; a file that is not valid UTF-8 is read as Latin-1.
    """
    with Path(path).open("rb") as handle:
        head = handle.read(1 << 20)
    if not head.strip():
        raise IngestError(f"{path} is empty: expected a CSV file with a header line")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    rows = []
    # Latin-1 maps bytes 1:1 to characters; each field is then decoded as UTF-8 if it is.
    try:
        for record in csv.reader(io.StringIO(head.decode("latin-1"), newline="")):
            if record:
                rows.append([decode_bytes(f.encode("latin-1"))[0].strip() for f in record])
            if len(rows) == n:
                return rows
    except csv.Error as exc:
        raise IngestError(f"{path} is not a CSV file: {exc}") from None
    raise IngestError(f"{path}: expected {n} header rows, found {len(rows)}")


def suggest(name: str, choices: Sequence[str]) -> str:
    """`` did you mean 'x'?`` for the choices closest to ``name`` (case ignored), else ''."""
    import difflib

    lowered = {c.lower(): c for c in choices if c}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
    if not close:
        return ""
    return " did you mean " + " or ".join(repr(lowered[c]) for c in close) + "?"


def columns_listed(header: Sequence[str]) -> str:
    """The file's columns with their 1-based positions, for error messages."""
    return ", ".join(f"{i} {name!r}" for i, name in enumerate(header, start=1))


def check_columns(path: Path, found: Sequence[str], expected: Sequence[str], what: str) -> None:
    """Refuse a file whose header is not exactly ``expected`` (any order is not accepted)."""
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    if missing or unexpected or list(found) != list(expected):
        parts = []
        if missing:
            parts.append("missing columns " + ", ".join(missing))
        if unexpected:
            parts.append("unexpected columns " + ", ".join(unexpected[:12]))
        if not parts:
            parts.append("columns in another order than " + ", ".join(expected))
        raise IngestError(f"{path} is not a {what} file: " + "; ".join(parts))


def record_at(path: Path, offset: int) -> tuple[bytes, list[str] | None, int]:
    """Raw bytes, fields (or None) and number of lines of the CSV record at ``offset``."""
    with Path(path).open("rb") as handle:
        return record_in(handle, offset)


def record_in(handle: io.BufferedReader, offset: int) -> tuple[bytes, list[str] | None, int]:
    """:func:`record_at` on an open file.

    Reads a 4 KiB window, grown fourfold while the record runs past it. A record that
    does not parse is judged on a window of at least 64 KiB (a quoted field cut by a
    smaller window would look unterminated).
    """
    size = 1 << 12
    while True:
        handle.seek(offset)
        raw = handle.read(size)
        text = raw.decode("latin-1")  # one char per byte: char offsets are byte offsets
        lines = text.splitlines(keepends=True)
        reader = csv.reader(iter(lines), strict=True)
        try:
            fields = next(reader)
            complete = reader.line_num < len(lines) or len(raw) < size
        except (csv.Error, StopIteration):
            fields, complete = None, len(raw) < size or size >= 1 << 16
        if complete or size >= 1 << 26:
            n_lines = max(reader.line_num, 1)
            consumed = sum(len(line) for line in lines[:n_lines])
            return raw[:consumed], fields, n_lines
        size *= 4


def record_start(path: Path, position: int) -> int:
    """Byte offset where the record around DuckDB's ``line_byte_position`` starts.

    DuckDB reports the start of a refused row give or take a byte (the preceding line
    break, the first character, or one past it): the row starts after the last line
    break at or before ``position``.
    """
    window = 1 << 16
    low = max(0, position - window)
    with Path(path).open("rb") as handle:
        handle.seek(low)
        head = handle.read(position - low + 1)
    last_break = max(head.rfind(b"\n"), head.rfind(b"\r"))
    return low + last_break + 1 if last_break >= 0 else low


def sha256_of(*parts: bytes) -> str:
    """Hex SHA-256 of the concatenated ``parts``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def file_label(path: Path) -> str:
    """How a file is named in ``ingest_runs.source`` and ``rejects.file``."""
    return os.fspath(path)


__all__ = [
    "CHUNK_BYTES",
    "FileScan",
    "check_columns",
    "columns_listed",
    "decode_bytes",
    "file_label",
    "read_header",
    "read_header_rows",
    "record_at",
    "record_in",
    "record_start",
    "scan_file",
    "sha256_of",
    "suggest",
]
