"""Small helpers shared by the extractors."""

from __future__ import annotations

import re

from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy rebuilds the string from its tokens on every access)."""
    text = doc.user_data.get("fr_text")
    if text is None:
        text = doc.user_data["fr_text"] = doc.text
    return text


def parsed_from(doc: Doc, text: str) -> Doc:
    """``doc`` (just parsed from ``text``) with ``text`` as its :func:`doc_text`: spaCy's tokenizer keeps
    every character, so the Doc's text is the text it was given, and rebuilding it costs a walk over
    every token."""
    doc.user_data["fr_text"] = text
    return doc


def sentences(doc: Doc) -> list:
    """``list(doc.sents)``, computed once per Doc (spaCy walks every token again on each ``doc.sents``)."""
    sents = doc.user_data.get("fr_sents")
    if sents is None:
        sents = doc.user_data["fr_sents"] = list(doc.sents)
    return sents


_DATELINE_RE = re.compile(
    r"^\s*[A-Z][A-Z .'\u2019-]{1,40}(?:,\s*[A-Z][A-Za-z .]{1,30})?"
    r"(?:,\s*(?:[A-Z][a-z]{2,9}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,9}\.?)(?:,?\s*\d{4})?)?"
    r"\s*(?:\([^)\n]{1,60}\))?\s*[-\u2013\u2014]{1,2}\s"
)


def dateline_end(text: str) -> int:
    """End offset of a wire dateline ("MOSCOW, Sept 5 (Reuters) - "), or 0 when the text has none.

    The dateline's date is the day of filing, not of the event, and its numbers count nothing.
    """
    m = _DATELINE_RE.match(text)
    return m.end() if m else 0


_TITLE_RE = re.compile(r"^[^\n]{1,200}\n\s*\n")
_DATELINE_AT = re.compile(_DATELINE_RE.pattern.lstrip("^"))


def dateline_span(text: str) -> tuple[int, int]:
    """(start, end) of a wire dateline, also when a title line comes first ("Army retakes Kidal\n\n
    BAMAKO, Nov 14 (Example Wire) - ..."); (0, 0) when there is none."""
    end = dateline_end(text)
    if end:
        return 0, end
    title = _TITLE_RE.match(text)
    if title and not title.group().rstrip().endswith((".", "!", "?")):
        m = _DATELINE_AT.match(text, title.end())
        if m:
            return title.end(), m.end()
    return 0, 0
