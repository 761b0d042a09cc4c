"""Text folding shared by every app (pure Python: the linkage code uses it outside Django too)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case, no accents, single spaces (ñ becomes n, ü becomes u): the comparison key for names typed by hand."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def localized(text: object) -> str:
    """A {es, en, fr} label (instrument definitions, loaded data) in the reader's language, Spanish first."""
    from django.utils.translation import get_language

    if isinstance(text, dict):
        lang = (get_language() or "es")[:2]
        return str(text.get(lang) or text.get("es") or next(iter(text.values()), ""))
    return str(text or "")
