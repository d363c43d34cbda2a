"""Long texts in pieces: windows cut at paragraph (else sentence, else word) boundaries.

spaCy refuses texts over ``nlp.max_length`` (error E088) and the extractors look across a whole Doc, so
time and memory would grow faster than length. A long text is read window by window instead: each window
is parsed and coded on its own, and every offset found in it is moved by the window's start, so offsets
stay exact in the whole text. Texts up to :data:`WINDOW_CHARS` are one window: short articles are read
exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

#: Longest window, in characters. A news article is shorter (a few thousand characters), so it is read
#: whole; a longer text (a report, a digest of many articles) is read in windows of about this size.
WINDOW_CHARS = 20_000

_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")


def windows(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """(start, end) pairs that cover ``text`` exactly, in order, each at most ``size`` characters.

    A window ends after a paragraph break where one lies in its second half, else after a sentence's
    end, else after a space, else at ``size`` characters (a text without spaces)."""
    if size < 2:
        raise ValueError("window size must be at least 2 characters")
    n = len(text)
    out: list[tuple[int, int]] = []
    start = 0
    while start < n:
        if n - start <= size:
            out.append((start, n))
            break
        cut = _cut(text, start + size // 2, start + size)
        out.append((start, cut))
        start = cut
    return out


def _cut(text: str, lo: int, hi: int) -> int:
    """Where to end a window that must end in (lo, hi]: just after a boundary, before the next word."""
    para = text.rfind("\n\n", lo, hi)
    if para >= 0:
        return _past_space(text, para, hi)
    last = None
    for m in _SENTENCE_END.finditer(text, lo, hi):
        last = m
    if last is not None:
        return last.end()
    space = max(text.rfind(" ", lo, hi), text.rfind("\n", lo, hi))
    if space >= 0:
        return _past_space(text, space, hi)
    return hi


def _past_space(text: str, i: int, hi: int) -> int:
    while i < hi and text[i].isspace():
        i += 1
    return i


def pipe_windows(nlp: Language, text: str, size: int = WINDOW_CHARS) -> Iterator[tuple[int, Doc]]:
    """(window start, Doc of the window) for each window of ``text``, parsed in one ``nlp.pipe`` stream."""
    spans = windows(text, size)
    docs = nlp.pipe((text[s:e] for s, e in spans), batch_size=4)
    for (start, _end), doc in zip(spans, docs):
        yield start, doc


def parse_long(nlp: Language, text: str, size: int = WINDOW_CHARS) -> Doc:
    """One Doc of the whole ``text`` (any length, no E088), built from windowed parses with
    ``Doc.from_docs``; ``doc.text == text``, so offsets in it are offsets in the text."""
    if len(text) <= size:
        return nlp(text)
    docs = [doc for _start, doc in pipe_windows(nlp, text, size)]
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    assert doc.text == text, "windows must cover the text exactly"
    return doc


def pipe_texts(nlp: Language, texts: list[str], size: int = WINDOW_CHARS) -> Iterator[Doc]:
    """``nlp.pipe(texts)`` for texts of any length, in order: a text longer than a window (or than
    ``nlp.max_length``) is parsed window by window into one Doc (:func:`parse_long`)."""
    size = max(2, min(size, nlp.max_length))
    short = iter(nlp.pipe([t for t in texts if len(t) <= size], batch_size=max(1, len(texts))))
    for t in texts:
        yield next(short) if len(t) <= size else parse_long(nlp, t, size)
