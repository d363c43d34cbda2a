"""Small helpers shared by the extractors."""

from __future__ import annotations

from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy rebuilds the string from its tokens on every access)."""
    text = doc.user_data.get("fr_text")
    if text is None:
        text = doc.user_data["fr_text"] = doc.text
    return text
