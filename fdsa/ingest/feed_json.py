"""Format ``feed-json``: job-feed items (e.g. an RSS feed saved as JSON), lines or an array.

Each item is an object with ``title``, ``link`` (or ``guid``/``url``), a date in
``published``/``pubDate``/``published_at`` (RFC 822 like ``Sat, 17 Feb 2024 09:09:54
+0000``, or ISO 8601; a date without zone is taken as UTC) and a text in
``description``/``summary``/``content`` whose lines carry labelled fields, possibly
wrapped in HTML: ``Hourly Range: $15.00-$35.00``, ``Budget: $70``, ``Posted On: ...``,
``Category: ...``, ``Skills: a, b, c``, ``Country: ...``. Those fields are parsed out of
the text; the description is stored as given.
"""

from __future__ import annotations

import email.utils
import html
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from fdsa.ingest import reconcile
from fdsa.ingest.errors import IngestError
from fdsa.ingest.formats import Format
from fdsa.ingest.json_read import json_items
from fdsa.ingest.postings_sql import TEXT_COLUMNS
from fdsa.ingest.runs import LoadCounts, LoadJob
from fdsa.ingest.temp_tables import FEED_ROWS, STG_FEED

NAME = "feed-json"
DESCRIPTION = (
    "Job feed items as JSON lines or a JSON array (title, link, published/pubDate, "
    "description/summary with 'Budget: $70', 'Hourly Range: ...', 'Country: ...') → jobs"
)
KEY_FIELDS = ("link", "guid", "url")
DATE_FIELDS = ("published", "pubDate", "published_at", "date", "updated")
TEXT_FIELDS = ("description", "summary", "content")

_TAG = re.compile(r"<\s*br\s*/?\s*>|</\s*(p|div|li)\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_LABEL_WORDS = ("hourly range", "budget", "posted on", "category", "skills", "country")
_VALUE_END = r"(?=\s*\b(?:" + "|".join(_LABEL_WORDS) + r")\s*:|\n|$)"
"""Where a field's value ends: at the next label (a summary may hold all on one line)."""
_LABELS = {
    "hourly": re.compile(
        r"hourly range\s*:\s*([^\n-]*?\d[^\n-]*?)\s*-\s*([^\n]*?\d[\d,.]*)", re.IGNORECASE
    ),
    **{
        key: re.compile(rf"\b{word}\s*:\s*([^\n]+?)\s*{_VALUE_END}", re.IGNORECASE)
        for key, word in (
            ("budget", "budget"),
            ("posted", "posted on"),
            ("category", "category"),
            ("skills", "skills"),
            ("country", "country"),
        )
    },
}


def plain_text(text: str) -> str:
    """Text of an HTML fragment with line breaks kept, for finding labelled fields."""
    text = _TAG.sub("\n", text)
    return html.unescape(_ANY_TAG.sub("", text))


def labelled_fields(text: str | None) -> dict[str, str | list[str] | None]:
    """Labelled fields of a feed description.

    Keys: ``hourly_low``, ``hourly_high``, ``budget``, ``posted``, ``category``,
    ``skills`` (a list) and ``country``; None when the label is absent.

    Examples
    --------
    >>> labelled_fields("<b>Budget</b>: $70<br />Country: India")["budget"]
    '$70'
    >>> labelled_fields("Budget: $70 Country: India")["budget"]  # one line: up to the next label
    '$70'
    """
    plain = plain_text(text or "")
    found: dict[str, str | list[str] | None] = dict.fromkeys(
        ("hourly_low", "hourly_high", "budget", "posted", "category", "skills", "country")
    )
    if m := _LABELS["hourly"].search(plain):
        found["hourly_low"], found["hourly_high"] = m.group(1).strip(), m.group(2).strip()
    for label in ("budget", "posted", "category", "country"):
        if m := _LABELS[label].search(plain):
            found[label] = m.group(1).strip()
    if m := _LABELS["skills"].search(plain):
        found["skills"] = [s.strip() for s in m.group(1).split(",") if s.strip()]
    return found


def iso_timestamp(text: str | None) -> str | None:
    """ISO 8601 text of an RFC 822 or ISO date (zone kept; none means UTC); else as given."""
    if text is None or not str(text).strip():
        return None
    text = str(text).strip()
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        for pattern in ("%B %d, %Y %H:%M UTC", "%B %d, %Y %H:%M", "%b %d, %Y %H:%M UTC"):
            try:
                parsed = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if parsed is None:
        return text
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.isoformat()


def _text(value: str | list[str] | None) -> str | None:
    """A labelled field that should be one text (a list, if any, is not)."""
    return value if isinstance(value, str) else None


def _first(item: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        if item.get(name) not in (None, ""):
            return str(item[name])
    return None


def check(path: Path) -> None:
    """Refuse a file that is not a JSON feed (the first item must have a title and a link)."""
    with Path(path).open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] not in (b"[", b"{"):
        raise IngestError(f"{path} is not a {NAME} file: it does not start with JSON")
    items, _ = json_items(path)
    first = next((value for _, _, value in items if value is not None), None)
    if not isinstance(first, dict) or "title" not in first or _first(first, KEY_FIELDS) is None:
        keys = ", ".join(list(first)[:12]) if isinstance(first, dict) else type(first).__name__
        raise IngestError(
            f"{path} is not a {NAME} file: its first item has no title and link (found: {keys})"
        )


def _stage(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[int, list[dict], list[str]]:
    items, notes = json_items(path)
    rejects: list[dict[str, Any]] = []
    columns = ("ordinal", "line", *TEXT_COLUMNS, "raw_text")
    rows: dict[str, list[object]] = {c: [] for c in columns}
    for ordinal, (line, raw, item) in enumerate(items, start=1):
        if not isinstance(item, dict):
            reason = "not valid JSON" if item is None else "not a JSON object"
            rejects.append({"line": line, "field": None, "reason": reason, "raw_text": raw})
            continue
        text = _first(item, TEXT_FIELDS)
        fields = labelled_fields(text)
        budget = fields["budget"]
        is_hourly = "true" if fields["hourly_low"] is not None else "false" if budget else None
        values = {
            "ordinal": ordinal,
            "line": line,
            "source_key": _first(item, KEY_FIELDS),
            "title": None if item.get("title") is None else str(item["title"]),
            "description": text,
            "published": iso_timestamp(_first(item, DATE_FIELDS) or _text(fields["posted"])),
            "is_hourly": is_hourly,
            "job_type": None,
            "hourly_low": fields["hourly_low"],
            "hourly_high": fields["hourly_high"],
            "budget": budget,
            "country": fields["country"],
            "skills": fields["skills"] or [],
            "category": fields["category"],
            "raw_text": raw,
        }
        for c in columns:
            rows[c].append(values[c])
    types = {"ordinal": pa.int64(), "line": pa.int64(), "skills": pa.list_(pa.string())}
    table = pa.table({c: pa.array(rows[c], types.get(c, pa.string())) for c in columns})
    con.register(FEED_ROWS, table)
    con.execute(f"create or replace temp table {STG_FEED} as select * from {FEED_ROWS}")  # noqa: S608
    con.unregister(FEED_ROWS)
    return len(items), rejects, notes


def load(job: LoadJob) -> LoadCounts:
    """Load feed items into ``jobs`` (see :func:`fdsa.ingest.reconcile.load_jobs`)."""
    n_items, rejects, notes = _stage(job.con, job.path)
    job.read(n_items, rejects, notes)
    counts = reconcile.load_jobs(
        job.con,
        stg=STG_FEED,
        run_id=job.run_id,
        source=NAME,
        file=job.file,
        field_names={"source_key": "link", "published": "published"},
        raw_text_sql="raw_text",
    )
    job.con.execute(f"drop table {STG_FEED}")
    return counts


FORMAT = Format(NAME, DESCRIPTION, check, load)
"""The ``feed-json`` format (:class:`fdsa.ingest.formats.IngestFormat`)."""
