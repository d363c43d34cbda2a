"""The pinned spaCy pipeline: a re-upload of en_core_web_sm 3.8.0 whose NER weights could not be checked
against the official release, so its behaviour on fixed sentences is pinned here. A change of model that
changes these results must be noticed (and the figures in README measured again)."""

from __future__ import annotations

import pytest

from fieldreport.nlp import DEFAULT_MODEL_VERSION, ModelNotFound, load_nlp

CASES = [
    (
        "Russian warplanes struck a convoy near Palmyra on Monday, killing 12 fighters.",
        [("Russian", "NORP"), ("Palmyra", "PERSON"), ("Monday", "DATE"), ("12", "CARDINAL")],
        [("warplanes", "nsubj"), ("struck", "ROOT"), ("convoy", "dobj"), ("fighters", "dobj")],
    ),
    (
        "Police in Nairobi fired tear gas at hundreds of protesters on Tuesday, the Kenya Red Cross said.",
        [("Nairobi", "GPE"), ("hundreds", "CARDINAL"), ("Tuesday", "DATE"), ("the Kenya Red Cross", "ORG")],
        [("Police", "nsubj"), ("gas", "dobj"), ("Cross", "nsubj"), ("said", "ROOT")],
    ),
    (
        "Gunmen abducted 30 villagers in Zamfara state, Nigeria.",
        [("30", "CARDINAL"), ("Zamfara", "LOC"), ("Nigeria", "GPE")],
        [("Gunmen", "nsubj"), ("abducted", "ROOT"), ("villagers", "dobj")],
    ),
]


def test_the_default_pipeline_is_the_pinned_release(nlp):
    assert nlp.meta["version"] == DEFAULT_MODEL_VERSION
    assert {"tagger", "parser", "lemmatizer", "ner"} <= set(nlp.pipe_names)


@pytest.mark.parametrize("text, ents, deps", CASES)
def test_fixed_sentences_parse_as_pinned(nlp, text, ents, deps):
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == ents
    assert [(t.text, t.dep_) for t in doc if t.dep_ in ("ROOT", "nsubj", "dobj", "nsubjpass")] == deps


def test_a_pipeline_that_is_not_installed_is_named_in_the_error():
    with pytest.raises(ModelNotFound, match="no_such_pipeline"):
        load_nlp("no_such_pipeline")
