"""Places: toponym recognition, disambiguation and event location on sentences we wrote."""

from __future__ import annotations

import pytest

from fieldreport.extract.places import PlaceExtractor, mention_to_row
from fieldreport.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def ex():
    return PlaceExtractor.default()


def places(nlp, ex, text):
    doc = nlp(text)
    return doc, {m.text: m for m in ex.find(doc)}


def test_offsets_point_into_the_text(nlp, ex):
    doc, found = places(nlp, ex, "Artillery fire hit Idlib and Aleppo overnight.")
    for m in found.values():
        assert doc.text[m.start : m.end] == m.text


def test_finds_places_the_statistical_model_misses(nlp, ex):
    _, found = places(
        nlp, ex,
        "Gunmen stormed a checkpoint near Gao in northern Mali. Later, militias shelled El Fasher, "
        "and Ukrainian units withdrew from Bakhmut.",
    )
    assert found["Gao"].place.iso2 == "ML"
    assert found["El Fasher"].place.iso2 == "SD"
    assert found["Bakhmut"].place.iso2 == "UA"


@pytest.mark.parametrize("spelling", ["Deir ez-Zor", "Deir al-Zor", "Deir Ezzor", "Dayr az Zawr"])
def test_transliterations_in_text_resolve_to_the_same_town(nlp, ex, spelling):
    _, found = places(nlp, ex, f"Coalition jets bombed positions in {spelling} on Sunday.")
    m = found[spelling]
    assert m.place is not None and m.place.iso3 == "SYR"
    assert abs(m.place.latitude - 35.3) < 0.5 and abs(m.place.longitude - 40.1) < 0.6


def test_homs_goes_to_syria(nlp, ex):
    _, found = places(nlp, ex, "Government helicopters dropped barrel bombs on Homs, residents said.")
    assert found["Homs"].place.iso2 == "SY"
    assert found["Homs"].place.feature == "city"


def test_country_focus_breaks_a_tie(nlp, ex):
    # Pokrovsk exists in Russia and Ukraine; the article is about Ukraine
    doc, found = places(
        nlp, ex,
        "Ukrainian defenders repelled an assault on Pokrovsk. Kyiv said fighting continued "
        "across the Donetsk region.",
    )
    m = found["Pokrovsk"]
    assert m.place.iso2 == "UA"
    assert m.reason  # says which evidence decided


def test_x_in_y_pattern_decides(nlp, ex):
    _, found = places(nlp, ex, "Drones struck Pokrovsk in Donetsk region overnight.")
    assert found["Pokrovsk"].place.iso2 == "UA"
    assert "pattern" in found["Pokrovsk"].reason


def test_x_comma_state_abbreviation(nlp, ex):
    _, found = places(nlp, ex, "A woman from Alexandria, La., was charged with arson on Friday.")
    m = found["Alexandria"]
    assert m.place.iso2 == "US" and m.place.admin1 == "Louisiana"


def test_a_person_named_like_a_place_is_not_a_place(nlp, ex):
    _, found = places(nlp, ex, "Jordan said he would sign with the team before the playoffs.")
    assert "Jordan" not in found


def test_a_place_inside_an_organisation_name_is_not_a_place(nlp, ex):
    _, found = places(nlp, ex, "The Paris Police Department opened an inquiry into the theft.")
    assert "Paris" not in found


def test_common_words_are_not_places(nlp, ex):
    _, found = places(nlp, ex, "No one was hurt. Police said the March rally went ahead in peace.")
    assert not any(m.place is not None for m in found.values())


def test_province_word_selects_the_region(nlp, ex):
    _, found = places(nlp, ex, "Air strikes intensified across Idlib province this week.")
    m = next(m for t, m in found.items() if t.startswith("Idlib"))
    assert m.place.feature == "admin1" and m.place.iso2 == "SY"


def test_demonyms_are_reported_as_their_country(nlp, ex):
    _, found = places(nlp, ex, "Syrian troops entered the town on Monday.")
    assert found["Syrian"].place.iso2 == "SY"
    assert found["Syrian"].reason.startswith("demonym")


def test_row_has_the_contract_keys(nlp, ex):
    doc, found = places(nlp, ex, "Clashes erupted in Homs.")
    row = mention_to_row("a1", found["Homs"])
    assert set(row) == {"article_id", "start", "end", "text", "geonameid", "name", "latitude",
                        "longitude", "country", "admin1", "feature"}
    assert row["article_id"] == "a1" and row["country"] == "Syria" and row["feature"] == "city"


# --- event location -----------------------------------------------------------------------


def _trigger(text, word):
    i = text.index(word)
    return i, i + len(word)


def test_event_location_is_where_it_happened_not_where_it_was_said(nlp, ex):
    text = ("Officials in Damascus said that rebels shelled a market in Aleppo on Tuesday, "
            "killing four people.")
    doc = nlp(text)
    ms = ex.find(doc)
    m, prec, reason = ex.event_location(doc, ms, *_trigger(text, "shelled"))
    assert m is not None and m.text == "Aleppo"
    assert prec == 1
    assert reason


def test_event_location_near_gives_precision_two(nlp, ex):
    text = "A roadside bomb exploded near Kirkuk, wounding two soldiers."
    doc = nlp(text)
    m, prec, _ = ex.event_location(doc, ex.find(doc), *_trigger(text, "exploded"))
    assert m.text == "Kirkuk" and prec == 2


def test_event_location_region_only_gives_precision_three(nlp, ex):
    text = "Fighting broke out in Idlib province on Friday."
    doc = nlp(text)
    m, prec, _ = ex.event_location(doc, ex.find(doc), *_trigger(text, "broke"))
    assert m is not None and m.place.feature == "admin1" and prec == 3


def test_event_location_without_places(nlp, ex):
    text = "Gunmen attacked a convoy at dawn."
    doc = nlp(text)
    m, prec, reason = ex.event_location(doc, ex.find(doc), *_trigger(text, "attacked"))
    assert m is None and prec is None and reason


def test_a_surname_used_alone_is_the_person(nlp, ex):
    _, found = places(
        nlp, ex,
        "The producer Andy Trapani opened a studio last year. Trapani hopes to hire ten people.",
    )
    assert "Trapani" not in found or found["Trapani"].place is None


def test_unknown_village_is_kept_unresolved_and_can_be_the_event_location(nlp, ex):
    text = "Gunmen killed five farmers in the village of Qarrat Nuwayfil near Kirkuk on Monday."
    doc = nlp(text)
    ms = ex.find(doc)
    unknown = [m for m in ms if m.text == "Qarrat Nuwayfil"]
    assert unknown and unknown[0].place is None and unknown[0].reason.startswith("unknown")
    m, prec, _ = ex.event_location(doc, ms, *_trigger(text, "killed"))
    assert m is not None and m.text == "Qarrat Nuwayfil"


def test_embedded_option_reports_places_inside_organisation_names(nlp, ex):
    text = "The Paris Police Department opened an inquiry into the theft."
    doc = nlp(text)
    wide = PlaceExtractor(ex.gazetteer, embedded=True)
    found = {m.text: m for m in wide.find(doc)}
    assert found["Paris"].place is not None and found["Paris"].reason.startswith("inside a name")
    assert "Paris" not in {m.text for m in ex.find(doc)}
    # a place inside a name is never the event location
    m, _, _ = wide.event_location(doc, list(found.values()), *_trigger(text, "opened"))
    assert m is None or m.text != "Paris"


def test_x_comma_country(nlp, ex):
    _, found = places(nlp, ex, "Heavy fighting was reported in Homs, Syria, and in Tripoli, Libya.")
    assert found["Homs"].place.iso2 == "SY"
    assert found["Tripoli"].place.iso2 == "LY"
    assert "pattern" in found["Tripoli"].reason
