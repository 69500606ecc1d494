"""Import Jupyter's notebook stack without the IRI grammars jsonschema would compile.

nbformat, papermill and nbconvert import ``jsonschema``, whose format checkers import
``rfc3987_syntax`` when it is installed (``jsonschema[format-nongpl]``, which JupyterLab
pulls in). That module compiles 39 Earley grammars with Lark at import time: 2-4 s
of CPU in every process that runs a report (python-jsonschema/jsonschema#1428), for
the ``iri`` and ``iri-reference`` formats, which no notebook schema uses.
"""

from __future__ import annotations

import sys

_SLOW = "rfc3987_syntax"


def import_jsonschema() -> None:
    """Import jsonschema with ``rfc3987_syntax`` refused; later imports of it still work.

    jsonschema then checks every format but ``iri`` and ``iri-reference`` (which it
    treats as unknown formats: any string passes). A process that imported jsonschema
    already keeps what it has.
    """
    if "jsonschema" in sys.modules or _SLOW in sys.modules:
        return
    sys.modules[_SLOW] = None  # type: ignore[assignment]  # refused: ImportError
    try:
        import jsonschema  # noqa: F401
    finally:
        if sys.modules.get(_SLOW, ...) is None:
            del sys.modules[_SLOW]
