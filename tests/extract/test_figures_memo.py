"""The per-Doc memo of figures: a sentence's casualty and materiel figures are read once per Doc, so the
claims (the whole text), each record's scope and the earlier-whole test share the work. Reading a stretch
after other stretches of the same Doc must give what a fresh Doc gives.

Every sentence here was written for these tests.
"""

from __future__ import annotations

from fieldreport.extract.figures import find_casualties, find_materiel
from fieldreport.text.spans import parsed_from, sentences

TEXT = (
    "Gunmen attacked a market in the north on Tuesday, killing five traders and wounding two others. "
    "Two of the wounded later died in hospital, a medical officer said. "
    "Residents said the attackers burned three shops and destroyed a police pickup truck. "
    "Five soldiers and a civilian were killed in a separate ambush the next day. "
    "The army said it had killed twelve of the attackers, a figure that could not be verified."
)


def _stretches(doc) -> list[tuple[int | None, int | None]]:
    sents = sentences(doc)
    out: list[tuple[int | None, int | None]] = [(None, None)]
    for i, s in enumerate(sents):
        out.append((s.start_char, s.end_char))  # one sentence
        out.append((s.start_char, sents[min(i + 2, len(sents) - 1)].end_char))  # a scope of several
        out.append((s.start_char + 3, s.end_char - 2))  # a stretch that cuts its sentence
    return out


def test_casualties_read_again_equal_a_fresh_reading(nlp):
    shared = nlp(TEXT)
    find_casualties(shared)  # fills the memo, as the claims do
    trigger = (TEXT.index("attacked"), TEXT.index("attacked") + len("attacked"))
    for lo, hi in _stretches(shared):
        for trig in (None, trigger):
            again = find_casualties(shared, lo, hi, trigger=trig)
            fresh = find_casualties(nlp(TEXT), lo, hi, trigger=trig)
            assert again == fresh, (lo, hi, trig)
    assert any(f.kind == "killed" for f in find_casualties(shared))


def test_coordinated_groups_do_not_leak_between_readings(nlp):
    """Coordination gives each conjunct a group of its own; a reading of part of the text must not see
    the groups a reading of the whole text set (the memo hands out copies)."""
    shared = nlp(TEXT)
    whole = find_casualties(shared)
    start = TEXT.index("Five soldiers")
    end = TEXT.index("day.") + 4
    assert find_casualties(shared, start, end) == find_casualties(nlp(TEXT), start, end)
    assert find_casualties(shared) == whole


def test_materiel_read_again_equals_a_fresh_reading(nlp):
    shared = nlp(TEXT)
    assert find_materiel(shared)  # the shops and the truck
    for lo, hi in _stretches(shared):
        assert find_materiel(shared, lo, hi) == find_materiel(nlp(TEXT), lo, hi), (lo, hi)


def test_parsed_from_gives_the_text_spacy_rebuilds(nlp):
    doc = parsed_from(nlp(TEXT), TEXT)
    assert doc.user_data["fr_text"] == doc.text == TEXT
