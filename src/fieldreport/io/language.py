"""Which language an article is in, with Lingua (lingua-language-detector; its models ship in the
package, nothing is downloaded). fieldreport's pipeline reads English only; other languages are named
and skipped.

Lingua chooses among the languages most news is published in (a text in another language is judged by
the nearest of them). A quick, light pass (trigrams) reads every text; only a text it takes for another
language is read again by the accurate one (n-grams of one to five letters, loaded on first need), and
is called non-English when both agree and English is a distant second. Place and people's names make
short English notes look foreign to the quick pass alone; on the ACLED-style development notes
(4,828 English notes) the quick pass alone flags 8, the two together 2.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Texts with fewer words than this are let through unjudged (a headline or a one-line note).
MIN_WORDS = 8
#: How much of a long text is read to judge its language.
SAMPLE_CHARS = 3000
#: A text is not English when its English confidence is below this (and another language leads).
ENGLISH_FLOOR = 0.1
NEWS_LANGUAGES = (
    "ENGLISH FRENCH SPANISH PORTUGUESE GERMAN ITALIAN DUTCH RUSSIAN UKRAINIAN ARABIC PERSIAN TURKISH URDU "
    "HINDI BENGALI CHINESE JAPANESE KOREAN INDONESIAN MALAY SWAHILI SOMALI POLISH ROMANIAN GREEK HEBREW "
    "VIETNAMESE THAI"
).split()
_lock = threading.Lock()


@lru_cache(maxsize=2)
def _detector(accurate: bool):
    from lingua import Language, LanguageDetectorBuilder

    b = LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in NEWS_LANGUAGES))
    return b.build() if accurate else b.with_low_accuracy_mode().build()


def _foreign(detector, sample: str):
    """The leading language when it is not English and English is far behind, else None."""
    vals = detector.compute_language_confidence_values(sample)
    if not vals or vals[0].language.name == "ENGLISH":
        return None
    english = next((v.value for v in vals if v.language.name == "ENGLISH"), 0.0)
    return vals[0].language if english < ENGLISH_FLOOR else None


def detect(text: str) -> tuple[str | None, str | None]:
    """(ISO 639-1 code, English name) of a text that is not English, ("en", "English") for English, or
    (None, None) when the text is too short to judge."""
    sample = text[:SAMPLE_CHARS]
    if len(_WORD.findall(sample)) < MIN_WORDS:
        return None, None
    with _lock:
        lang = _foreign(_detector(False), sample) and _foreign(_detector(True), sample)
    if lang is None:
        return "en", "English"
    return lang.iso_code_639_1.name.lower(), lang.name.title()


def non_english(text: str) -> str | None:
    """The name of the language when the text is not English, else None."""
    code, name = detect(text)
    return name if code and code != "en" else None
