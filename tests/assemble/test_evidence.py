"""Provenance: every field of every example record that was read from the text has evidence spans, and
each span, read back from the article, holds the words that support its field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from fieldreport.extract.figures import find_quantities
from fieldreport.extract.dates import find_dates
from fieldreport.geo.normalize import place_key
from fieldreport.io.readers import InputProblem, iter_inputs

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REPORTING = re.compile(
    r"\b(said|says|say|claimed|claims|claim|according to|reported|reports|announced|told|stated|statement|"
    r"confirmed|added|quoted|tweeted|posted|wrote|insisted|blamed|alleged)\b",
    re.I,
)
ONE = re.compile(r"\b(a|an|one|single|another)\b", re.I)


@pytest.fixture(scope="module")
def walked(pipeline):
    arts = [a for a in iter_inputs([str(EXAMPLES)]) if not isinstance(a, InputProblem)]
    return [(a, r) for a in arts for r in pipeline.extract(a)]


def _texts(art, spans):
    return [art.text[s:e] for s, e in spans]


def test_fields_read_from_the_text_have_evidence(walked):
    assert walked
    for art, rec in walked:
        ev = rec.evidence
        assert ev.get("event_type") and ev.get("sub_event_type"), rec.record_id
        for name in ("actor1", "actor2", "location"):
            if getattr(rec, name):
                assert ev.get(name), f"{art.id}: {name}={getattr(rec, name)!r} has no evidence"
        if rec.fatalities:
            assert ev.get("fatalities"), f"{art.id}: fatalities without evidence"
        if rec.injured:
            assert ev.get("injured"), f"{art.id}: injured without evidence"
        if rec.materiel:
            assert ev.get("materiel")
        if rec.claims:
            assert ev.get("claims")
        for spans in ev.values():
            for s, e in spans:
                assert 0 <= s < e <= len(art.text)


def test_number_fields_have_their_number_in_the_span(walked):
    for art, rec in walked:
        for name in ("fatalities", "injured"):
            value = getattr(rec, name)
            spans = rec.evidence.get(name, [])
            if not value or not spans:
                continue
            found = set()
            for text in _texts(art, spans):
                qs = find_quantities(text)
                assert qs or ONE.search(text), f"{art.id}: no number in {name} evidence {text!r}"
                for _s, _e, q in qs:
                    found |= {q.low, q.best, q.high, q.conservative}
            if len(spans) == 1 and found:
                assert value in found, f"{art.id}: {name}={value} but the span says {_texts(art, spans)}"


def test_place_fields_name_the_place(walked):
    for art, rec in walked:
        if not rec.location:
            continue
        for text in _texts(art, rec.evidence.get("location", [])):
            a, b = place_key(text), place_key(rec.location)
            assert a == b or fuzz.partial_ratio(a, b) >= 75 or fuzz.ratio(a, b) >= 60, (
                f"{art.id}: location {rec.location!r} from {text!r}"
            )


def test_date_evidence_resolves_to_the_event_date(walked):
    for art, rec in walked:
        spans = rec.evidence.get("event_date", [])
        for text in _texts(art, spans):
            got = {f.date.isoformat() for f in find_dates(text, art.published)}
            assert rec.event_date in got, f"{art.id}: event_date {rec.event_date} from {text!r} -> {got}"


def test_claim_evidence_holds_an_attribution(walked):
    for art, rec in walked:
        for text in _texts(art, rec.evidence.get("claims", [])):
            assert REPORTING.search(text), f"{art.id}: claim span without attribution: {text!r}"


def _bare(name: str) -> str:
    return name.split(" (")[0]


def test_actor_evidence_names_the_actor(walked, pipeline):
    """The span names the actor, or (for an actor inferred by convention, e.g. "Civilians (X)" from
    "a teacher", the protesters of a protest) it is the event's own trigger or a word the dictionary
    reads as an actor of the same kind and country."""
    for art, rec in walked:
        year = art.published.year if art.published else None
        for name in ("actor1", "actor2"):
            value = getattr(rec, name)
            for s, e in rec.evidence.get(name, []):
                if [s, e] in rec.evidence.get("event_type", []):
                    continue
                doc = pipeline.nlp(art.text[s:e])
                found = {_bare(m.actor.name) for m in pipeline.actors.find(doc, rec.iso3, year)}
                country = _bare(value).split(" of ")[-1] if " of " in value else None
                ok = _bare(value) in found or (country and any(f.endswith(country) for f in found))
                assert ok, f"{art.id}: {name}={value!r} but {art.text[s:e]!r} gives {found}"
