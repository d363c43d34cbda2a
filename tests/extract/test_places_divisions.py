"""Provinces and districts as coders write them, ACLED-style qualifiers, unknown villages and the
country a text states. Sentences written for fieldreport; real spaCy and the real GeoNames data."""

from __future__ import annotations

import pytest

from fieldreport.extract.places import event_location
from fieldreport.geo import subdivisions
from fieldreport.geo.gazetteer import F_ADMIN1, F_ADMIN2, default_gazetteer
from fieldreport.text.nlp import load_places_nlp


# the same pipelines, extractor and helper as tests/extract/test_places.py (each rule runs on both pipelines)
from tests.extract.test_places import ex, nlp, parsed, places  # noqa: E402,F401  (fixtures)


def where(parsed, ex, text, trigger):
    doc = parsed(text)
    ms = ex.find(doc)
    a = text.index(trigger)
    return event_location(doc, ms, a, a + len(trigger))


# -- the index: provinces and districts ---------------------------------------------------------


def _division(name: str, iso2: str, feat: int) -> int:
    g = default_gazetteer()
    ids = [i for i in g.lookup(name) if g.feat[i] == feat and g.iso2(i) == iso2]
    assert ids, (name, iso2)
    return ids[0]


@pytest.mark.parametrize("spelling, iso2, english", [
    ("Dayr az Zawr", "SY", "Deir ez-Zor"),     # ISO 3166-2 transliteration
    ("Deir ez-Zor Governorate", "SY", "Deir ez-Zor"),
    ("Idleb", "SY", "Idlib"),                  # French-style spelling
    ("Donetska oblast", "UA", "Donetsk"),      # Ukrainian adjective form
    ("Donetsk Oblast", "UA", "Donetsk"),
    ("Halab", "SY", "Aleppo"),                 # the Arabic name folded to ASCII
])
def test_a_province_is_found_by_its_spellings_and_written_in_english(spelling, iso2, english):
    g = default_gazetteer()
    ids = [i for i in g.lookup(spelling) if g.feat[i] == F_ADMIN1 and g.iso2(i) == iso2]
    assert ids, spelling
    assert g.names[ids[0]] == english


def test_provinces_and_countries_carry_their_geonameid():
    g = default_gazetteer()
    assert g.gid[_division("Idlib", "SY", F_ADMIN1)] > 0
    assert g.gid[_division("Alibori", "BJ", F_ADMIN1)] > 0
    assert g.gid[_division("Karimama", "BJ", F_ADMIN2)] > 0  # a district without a town in cities500
    i = g.country_entry("SY")
    assert i is not None and g.gid[i] > 0


def test_a_town_knows_its_district():
    g = default_gazetteer()
    town = next(i for i in g.lookup("Kramatorsk") if g.feature(i) == "city" and g.iso2(i) == "UA")
    assert g.admin1(town) == "Donetsk"
    assert g.admin2(town)


def test_english_name_prefers_the_name_written_with_an_english_division_word():
    d = subdivisions.Division(row=1, name="Qandahor viloyati", iso_code="", gn_code="AF.23", geonameid=1,
                              kind="", aliases=["Kandahar Province", "Qandahar"], level=1, parent=None,
                              iso2="AF")
    assert subdivisions.english_name(d, ["province", "district"]) == "Kandahar"
    foreign = subdivisions.Division(row=2, name="Muhafazat Hadramawt", iso_code="", gn_code="", geonameid=2,
                                    kind="", aliases=[], level=1, parent=None, iso2="YE")
    assert subdivisions.english_name(foreign, ["province"]) == "Hadramawt"


# -- qualifiers "(District, Province)" ----------------------------------------------------------


def test_a_qualifier_picks_the_homonym_in_the_named_province(nlp, ex):
    # Two Kalale-style homonyms are common in West Africa; the parenthesis says which
    _, found = places(nlp, ex, "On 3 May 2021, farmers clashed with herders in Malanville (Malanville, Alibori).")
    m = found["Malanville"]
    assert m.place.iso2 == "BJ" and m.place.admin1 == "Alibori"
    # the words inside the parenthesis describe the place: they are marked as qualifiers
    assert found["Alibori"].reason.startswith("qualifier")


def test_an_unknown_village_is_coded_to_its_district_and_keeps_its_name(nlp, ex, parsed):
    text = "On 9 June 2021, gunmen abducted two traders in Zorobotou (Karimama, Alibori)."
    _, found = places(nlp, ex, text)
    m = found["Zorobotou"]
    assert m.place is not None and m.place.geonameid is None
    assert m.place.name == "Zorobotou"
    assert m.place.admin1 == "Alibori" and m.place.admin2 == "Karimama"
    assert "district" in m.reason
    loc, precision, _why = where(parsed, ex, text, "abducted")
    assert loc.text == "Zorobotou" and precision == 2


def test_a_qualifier_naming_only_a_province_gives_precision_three(parsed, ex):
    loc, precision, _ = where(parsed, ex, "On 2 July 2024, residents marched in Oberkleinbach (Bayern) against a road.",
                              "marched")
    assert loc.text == "Oberkleinbach"
    assert loc.place.admin1 == "Bavaria" and precision == 3


def test_a_province_written_first_is_still_read(nlp, ex):
    _, found = places(nlp, ex, "On 4 May 2022, a mob burned a market in Kpatoulou (Donga, Copargo).")
    assert found["Kpatoulou"].place.admin1 == "Donga"


def test_names_listed_before_a_qualifier_share_it(nlp, ex):
    _, found = places(nlp, ex, "On 8 March 2022, herders attacked the villages Gbeto, Koko and Zanvie (Bante, Collines).")
    for name in ("Gbeto", "Koko", "Zanvie"):
        assert found[name].place is not None and found[name].place.iso2 == "BJ", name


def test_two_parts_that_name_no_place_together_are_not_a_qualifier(nlp, ex):
    # "FCT" is also Nigeria's capital territory; with Islamabad the pair makes no sense there
    _, found = places(nlp, ex, "On 20 June 2024, traders protested in Islamabad city (Islamabad, FCT) against taxes.")
    assert found["Islamabad"].place.iso2 == "PK"


def test_a_town_before_its_province_is_looked_for_there(nlp, ex):
    # no town of this name lies in Sumy province: it is coded to the province, not to a homonym
    _, found = places(nlp, ex, "On 21 June 2024, troops shelled positions near Bilokopytove, Sumy. Casualties unknown.")
    m = found.get("Bilokopytove")
    assert m is not None and m.place is not None
    assert m.place.iso2 == "UA" and m.place.admin1 == "Sumy"


# -- the country the text states ----------------------------------------------------------------


def test_a_foreign_homonym_needs_evidence_of_its_own(nlp, ex):
    text = ("On 20 October 2022, soldiers arrested several men in the locality of Diadi near "
            "Karimama (Karimama, Alibori). The army said the men helped armed groups in Alibori.")
    _, found = places(nlp, ex, text)
    assert found["Diadi"].place is None or found["Diadi"].place.iso2 == "BJ"


def test_a_foreign_homonym_with_its_country_named_is_kept(nlp, ex):
    text = ("On 5 May 2023, police in Kandi (Kandi, Alibori) arrested a trader from Gaya, Niger, "
            "after a fight at the market.")
    _, found = places(nlp, ex, text)
    assert found["Gaya"].place.iso2 == "NE"


def test_a_single_country_name_does_not_erase_places_abroad(nlp, ex):
    _, found = places(nlp, ex, "Militants struck near Gao in northern Mali, while troops left Bakhmut.")
    assert found["Bakhmut"].place.iso2 == "UA"


@pytest.mark.parametrize("text", [
    "Youths hurled a Molotov cocktail at the town hall in Kharkiv.",
    "Grad rockets fell on the outskirts of Kharkiv.",
])
def test_weapons_named_like_places_are_not_places(nlp, ex, text):
    _, found = places(nlp, ex, text)
    assert set(found) == {"Kharkiv"}


def test_a_neighbourhood_word_of_another_language_is_not_a_town(nlp, ex):
    _, found = places(nlp, ex, "In Hermosillo, Sonora, gunmen killed a man in Colonia Pitic on Friday.")
    assert "Colonia" not in found
    assert all(m.place is None or m.place.iso2 == "MX" for m in found.values())


def test_a_large_city_is_known_by_its_other_spellings(nlp, ex):
    # the city's main name is spelled "Zaporizhzhya"; a hamlet spelled "Zaporizhzhia" is not it
    _, found = places(nlp, ex, "Missiles hit Zaporizhzhia overnight, damaging apartment blocks.")
    assert found["Zaporizhzhia"].place.population > 500_000


def test_names_of_a_list_do_not_place_each_other(nlp, ex):
    _, found = places(nlp, ex, "The envoy visited Washington, New York and Boston last week.")
    assert found["Washington"].place.admin1 == "Washington, D.C."


def test_a_region_in_an_armed_groups_name_is_no_place(nlp, ex):
    _, found = places(nlp, ex, "Fighters of IS Sahel ambushed a patrol near Menaka on Sunday.")
    assert "Sahel" not in found
    assert found["Menaka"].place.iso2 == "ML"


def test_a_province_without_an_english_alternate_is_its_iso_name_folded():
    d = subdivisions.Division(row=3, name="Nangarhār", iso_code="", gn_code="", geonameid=3, kind="",
                              aliases=["Nangarhor"], level=1, parent=None, iso2="AF")
    assert subdivisions.english_name(d, ["province"]) == "Nangarhar"


def test_demonyms_are_a_setting_of_the_places_command(ex):
    doc = load_places_nlp()("Syrian troops shelled Idlib on Monday.")
    assert "Syrian" in {m.text for m in ex.find(doc)}
    assert "Syrian" not in {m.text for m in ex.find(doc, demonyms=False)}
