"""Word classes shared by several extractors, read once from ``data/shared/lexicon.yaml``."""

from __future__ import annotations

from fieldreport.data import load_yaml

_LEX = load_yaml("shared/lexicon.yaml")

#: Verbs of saying, as spaCy lemmas.
SPEECH_LEMMAS: frozenset[str] = frozenset(_LEX["speech_verbs"])
#: Verbs of saying as written (lemmas and inflected forms), for pipelines without a lemmatizer.
SPEECH_FORMS: frozenset[str] = SPEECH_LEMMAS | frozenset(f for forms in _LEX["speech_verbs"].values() for f in forms)
