"""A published page shows no missing value as a number, no warning and no traceback.

:func:`page_problems` reads a page as its reader would (visible text, table cells)
and lists what must not be there: ``nan``, ``NaN``, ``inf`` or ``NaT`` shown as a
value, a table cell reading ``None``, a Python warning or traceback, or a path into
an installed environment. The runner refuses to publish a page with any of them, so
a section that lacks its data says so in words instead.
"""

from __future__ import annotations

import html
import re

_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S | re.I)
_NOT_A_VALUE = re.compile(r"(?<![\w-])-?(nan|NaN|inf|NaT|<NA>)(?![\w-])")
_EMPTY_CELL = {"none", "nan", "-nan", "inf", "-inf", "nat", "<na>", "null"}
_NOISE = (
    (re.compile(r"Traceback \(most recent call last\)"), "a Python traceback"),
    (re.compile(r"\b\w+(Warning|Error): "), "a Python warning or error"),
    (re.compile(r"[\w./-]*/(site-packages|dist-packages|\.venv)/[\w./-]*"), "an environment path"),
)


def visible_text(page: str) -> str:
    """The text a reader sees: scripts and styles out, tags out, entities decoded."""
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page)))


def page_problems(page: str) -> list[str]:
    """What a reader must not see on ``page``, each with a little context ([] when clean)."""
    problems = []
    text = re.sub(r"\s+", " ", visible_text(page))
    for match in _NOT_A_VALUE.finditer(text):
        start = max(match.start() - 60, 0)
        problems.append(f"{match.group(0)!r} shown as a value: …{text[start : match.end() + 20]}…")
    for cell in _CELL.findall(_HIDDEN.sub(" ", page)):
        value = html.unescape(_TAG.sub("", cell)).strip()
        if value.lower() in _EMPTY_CELL:
            problems.append(f"a table cell reads {value!r}")
    for pattern, what in _NOISE:
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            problems.append(f"{what}: …{text[start : match.end() + 40]}…")
    return problems
