"""Name keys for place names: one key for the many ways a name is written.

``place_key`` folds case, diacritics, apostrophes, hyphens and the Arabic article's spellings
(al-/el-/ad-/ar-/as-/az-/ash-/ez-/..., written apart, hyphenated or assimilated as in "Ezzor"), so
that "Deir ez-Zor", "Deir al-Zor", "Deir Ezzor" and "DEIR EZ ZOR" give the same key. ``light_key``
folds the same things except the article: it tells an exact spelling from a looser one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that Unicode decomposition does not reduce to ASCII.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ð": "d",
        "ß": "ss",
        # apostrophes, ayn/hamza signs and accents written as separate characters: dropped
        "'": None,
        "’": None,
        "‘": None,
        "`": None,
        "´": None,
        "ʼ": None,
        "ʻ": None,
        "ʿ": None,
        "ʾ": None,
        "′": None,
    }
)

#: Spellings of the Arabic definite article (and its sun-letter assimilations) met in
#: transliterated place names.
ARTICLES: frozenset[str] = frozenset(
    "al el il ul ad ed ud ar er ur as es us az ez uz ash esh ush at et ut ath eth adh edh "
    "an en un ech".split()
)
# An article glued to its noun by assimilation: "Ezzor" = ez + zor, "Assuwayda" = as + suwayda.
_GLUED = re.compile(r"^(?:a|e|u)(sh|th|dh|[tdrzsn])(?=\1)")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Transliterations of the Slavic adjective ending of district names: "Glushkovskiy",
# "Glushkovskii", "Glushkovsky", "Pokrovskyi" are one name
_SKY = re.compile(r"(?<=[a-z]{3})(sk|ck|tsk|zk)(?:iy|ii|ij|yi|yy|yj)\b")


@lru_cache(maxsize=200_000)
def light_key(name: str) -> str:
    """Fold case, diacritics, apostrophes and punctuation; keep every word."""
    s = unicodedata.normalize("NFKD", name.translate(_FOLD))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().translate(_FOLD)
    return _NON_ALNUM.sub(" ", s).strip()


@lru_cache(maxsize=200_000)
def place_key(name: str) -> str:
    """The lookup key of a place name: ``light_key`` without the Arabic article's spellings.

    An article word is dropped when another word follows it ("al Bab" -> "bab", "Deir ez Zor" ->
    "deir zor"); a glued, assimilated article is dropped from any word but the first
    ("Deir Ezzor" -> "deir zor"). A name that is only an article keeps it. The Slavic adjective
    ending is written one way ("Shebekinskiy", "Pokrovskyi" -> "shebekinsky", "pokrovsky").
    """
    words = _SKY.sub(r"\1y", light_key(name)).split()
    if len(words) <= 1:
        return " ".join(words)
    out: list[str] = []
    for i, w in enumerate(words):
        if w in ARTICLES and i < len(words) - 1:
            continue
        if i > 0:
            m = _GLUED.match(w)
            if m and len(w) - m.end() >= 3:
                w = w[m.end() :]
        out.append(w)
    return " ".join(out) if out else " ".join(words)


def is_latin_name(name: str) -> bool:
    """True when the name is written in Latin letters (alternate names in other scripts and
    machine romanisations in lower case are left out of the index)."""
    if not name or not name[0].isupper():
        return False
    key = light_key(name)
    return bool(key) and len(key.replace(" ", "")) >= 2 and all(
        ("LATIN" in unicodedata.name(c, "") or not c.isalpha()) for c in name
    )
