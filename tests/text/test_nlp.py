"""The pinned spaCy pipeline: a re-upload of en_core_web_sm 3.8.0 whose NER weights could not be checked
against the official release, so its behaviour on fixed sentences is pinned here. A change of model that
changes these results must be noticed (and the figures in README measured again)."""

from __future__ import annotations

import pytest

from fieldreport.text.nlp import DEFAULT_MODEL_VERSION, ModelNotFound, load_nlp

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


# --- the places pipeline: the entity recogniser alone ---------------------------------------------


def test_places_pipeline_keeps_only_the_entity_recogniser():
    from fieldreport.text.nlp import load_places_nlp, places_components

    assert places_components() == ["ner"]  # en_core_web_sm's NER has its own embedding layer
    assert load_places_nlp().pipe_names == ["sentencizer", "ner"]


@pytest.mark.parametrize("text, ents, deps", CASES)
def test_places_pipeline_finds_the_same_entities(nlp, text, ents, deps):
    """Without the tagger and parser the entity recogniser gives exactly what it gives in the full
    pipeline (it reads nothing they write)."""
    from fieldreport.text.nlp import load_places_nlp

    doc = load_places_nlp()(text)
    assert [(e.text, e.label_) for e in doc.ents] == ents
    assert not doc.has_annotation("DEP") and not doc.has_annotation("TAG")


def test_places_pipeline_keeps_the_layer_a_listening_ner_needs(tmp_path):
    """A pipeline whose NER listens to a shared tok2vec (as transformer pipelines do) keeps that
    layer; one without NER is used whole."""
    import spacy

    from fieldreport.text.nlp import load_places_nlp, places_components

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("tagger")
    nlp.add_pipe("ner", config={"model": {"tok2vec": {
        "@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "tok2vec"}}})
    nlp.get_pipe("ner").add_label("GPE")
    nlp.get_pipe("tagger").add_label("NNP")
    nlp.initialize()
    nlp.to_disk(tmp_path / "listening")
    assert places_components(str(tmp_path / "listening")) == ["tok2vec", "ner"]
    loaded = load_places_nlp(str(tmp_path / "listening"))
    assert loaded.pipe_names == ["sentencizer", "tok2vec", "ner"]
    loaded("Shelling hit Homs.")  # runs: the listener has its upstream

    bare = spacy.blank("en")
    bare.add_pipe("sentencizer")
    bare.to_disk(tmp_path / "bare")
    assert places_components(str(tmp_path / "bare")) is None
    assert load_places_nlp(str(tmp_path / "bare")).pipe_names == ["sentencizer"]
