"""JSON reading: the items of a JSON array or of JSON lines, each with its line and raw text."""

from __future__ import annotations

from pathlib import Path

from fdsa.ingest.errors import IngestError
from fdsa.ingest.scan import decode_bytes


def json_items(path: Path) -> tuple[list[tuple[int, str, object]], list[str]]:
    """Items of a JSON array or of JSON lines, each with its start line and raw text.

    Returns
    -------
    tuple
        ``[(line, raw_text, value_or_None)]`` (``None`` when the text is not valid
        JSON: the caller rejects it) and notes (the Latin-1 fallback).
    """
    import json

    text, latin1 = decode_bytes(Path(path).read_bytes())
    notes = ["file is not valid UTF-8: read as Latin-1"] if latin1 else []
    decoder = json.JSONDecoder()
    stripped = text.lstrip()
    items: list[tuple[int, str, object]] = []
    if stripped.startswith("["):
        position = len(text) - len(stripped) + 1
        line = 1 + text.count("\n", 0, position)
        while True:
            while position < len(text) and text[position] in " \t\r\n,":
                line += text[position] == "\n"
                position += 1
            if position >= len(text) or text[position] == "]":
                break
            try:
                value, end = decoder.raw_decode(text, position)
            except json.JSONDecodeError as exc:
                raise IngestError(
                    f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
                ) from None
            items.append((line, text[position:end], value))
            line += text.count("\n", position, end)
            position = end
        return items, notes
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = None
        items.append((number, raw, value))
    return items, notes


__all__ = ["json_items"]
