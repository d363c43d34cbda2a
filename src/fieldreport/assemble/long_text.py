"""Coding a long text window by window (see :mod:`fieldreport.text.windows`), with exact offsets.

Each window is coded as an article of its own; every offset in its records (evidence spans, claims) is
then moved by the window's start, and each record gets the id it would have in the whole text. Time and
memory grow with the length of the text, not faster.
"""

from __future__ import annotations

from collections.abc import Callable

from fieldreport.schema.records import Article, EventRecord
from fieldreport.text.windows import WINDOW_CHARS, pipe_windows


def window_size(nlp, size: int = WINDOW_CHARS) -> int:
    """Windows are at most ``size`` characters, and never over the spaCy pipeline's ``max_length``."""
    return max(2, min(size, getattr(nlp, "max_length", size)))


def is_long(article: Article, nlp, size: int = WINDOW_CHARS) -> bool:
    """True when ``article`` is read in windows rather than whole."""
    return len(article.text) > window_size(nlp, size)


def shift_record(rec: EventRecord, offset: int, article_id: str) -> EventRecord:
    """``rec`` (coded from a window starting at ``offset``) with offsets into the whole text."""
    if offset == 0:
        return rec
    evidence = {k: [[s + offset, e + offset] for s, e in spans] for k, spans in rec.evidence.items()}
    claims = [c.model_copy(update={"start": c.start + offset, "end": c.end + offset}) for c in rec.claims]
    trigger = rec.evidence.get("event_type") or rec.evidence.get("sub_event_type")
    start = trigger[0][0] + offset if trigger else offset
    return rec.model_copy(update={
        "evidence": evidence, "claims": claims, "article_id": article_id,
        "record_id": EventRecord.make_id(article_id, start, rec.sub_event_type),
    })


def extract_long(
    article: Article,
    nlp,
    process: Callable[[Article, object], list[EventRecord]],
    same_event: Callable[[EventRecord, EventRecord], bool],
    size: int = WINDOW_CHARS,
) -> list[EventRecord]:
    """The records of a long article: ``process(window article, window Doc)`` for each window, offsets
    moved into the whole text, records that tell the same event as an earlier one left out."""
    records: list[EventRecord] = []
    for start, doc in pipe_windows(nlp, article.text, window_size(nlp, size)):
        part = article.model_copy(update={"text": article.text[start : start + len(doc.text)]})
        for rec in process(part, doc):
            rec = shift_record(rec, start, article.id)
            if not any(same_event(rec, r) for r in records):
                records.append(rec)
    return records
