"""Which language an article is in, with Lingua (lingua-language-detector; its models ship in the
package, nothing is downloaded). fieldreport's pipeline reads English only; other languages are named
and skipped."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Texts with fewer words than this are let through unjudged (a headline or a one-line note).
MIN_WORDS = 8
#: How much of a long text is read to judge its language.
SAMPLE_CHARS = 3000
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector():
    from lingua import LanguageDetectorBuilder

    # Low-accuracy mode reads trigrams only: accurate on news paragraphs and much lighter in memory.
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect(text: str) -> tuple[str | None, str | None]:
    """(ISO 639-1 code, English name) of the text's language, or (None, None) when too short or unsure."""
    sample = text[:SAMPLE_CHARS]
    if len(_WORD.findall(sample)) < MIN_WORDS:
        return None, None
    with _lock:
        lang = _detector().detect_language_of(sample)
    if lang is None:
        return None, None
    return lang.iso_code_639_1.name.lower(), lang.name.title()


def non_english(text: str) -> str | None:
    """The name of the language when the text is not English, else None."""
    code, name = detect(text)
    return name if code and code != "en" else None
