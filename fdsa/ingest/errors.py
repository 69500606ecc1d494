"""The error of an import that cannot go ahead."""

from __future__ import annotations

from fdsa.warehouse.db import WarehouseError


class IngestError(WarehouseError):
    """A file that cannot be imported, explained in words; nothing is published."""


__all__ = ["IngestError"]
