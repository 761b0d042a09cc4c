"""Text folding shared by every app (pure Python: the linkage code uses it outside Django too)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case, no accents, single spaces (ñ becomes n, ü becomes u): the comparison key for names typed by hand."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
