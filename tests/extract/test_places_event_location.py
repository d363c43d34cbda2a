"""The place of an event as conflict coders name it: "City - Part" names, local division nouns
before a qualifier, a district seat written with its seat word. Sentences written for
fieldreport; real spaCy and the real GeoNames data (rules in data/places/event_location.yaml)."""

from __future__ import annotations

from fieldreport.geo.gazetteer import haversine_km

# the same pipelines, extractor and helpers as the other places tests (each rule runs on both pipelines)
from tests.extract.test_places import ex, nlp, parsed, places  # noqa: E402,F401  (fixtures)
from tests.extract.test_places_divisions import where


def _km(place, lat, lon):
    return haversine_km(place.latitude, place.longitude, lat, lon)


# -- "City - Part" --------------------------------------------------------------------------


def test_a_part_of_a_city_is_placed_in_that_city(nlp, ex):
    _, found = places(nlp, ex, "Students marched through Dhaka - Uttara (Uttara) on Sunday evening.")
    m = found["Dhaka - Uttara"]
    assert m.place is not None and m.place.iso2 == "BD"
    assert _km(m.place, 23.72, 90.41) < 25


def test_the_parenthesis_after_a_city_part_is_not_another_place(parsed, ex):
    # "(New Market)" names the part's police division; elsewhere in the world it is a district
    text = "Rioters set a bus on fire in Chittagong - Kotwali (New Market) late on Monday."
    m, prec, _ = where(parsed, ex, text, "set")
    assert m is not None and m.text == "Chittagong - Kotwali" and prec == 1
    assert m.place.iso2 == "BD"


def test_two_cities_joined_by_a_dash_are_no_city_part(nlp, ex):
    _, found = places(nlp, ex, "Traffic on the Dhaka - Chittagong highway stopped for hours.")
    assert "Dhaka - Chittagong" not in found


def test_a_country_after_the_dash_is_no_city_part(nlp, ex):
    _, found = places(nlp, ex, "Envoys shuttled along the Moscow - Ukraine channel all week.")
    assert "Moscow - Ukraine" not in found


# -- local division nouns before a qualifier ------------------------------------------------


def test_a_sub_district_noun_before_the_qualifier(parsed, ex):
    # the sub-district is not in the gazetteer: coded to the district its qualifier names (Comilla),
    # not to the division (Chittagong, about 150 km away)
    text = "Villagers clashed with police in Brahmanpara upazila (Comilla, Chittagong) on Friday."
    m, prec, _ = where(parsed, ex, text, "clashed")
    assert m is not None and m.text == "Brahmanpara"
    assert prec == 2 and _km(m.place, 23.46, 91.18) < 25
    assert m.place.admin1 == "Chittagong"


# -- a seat word after a known town ---------------------------------------------------------


def test_a_district_seat_written_with_its_seat_word(parsed, ex):
    # "Noakhali Sadar" is the sub-district around the town of Noakhali (Maijdi); the division's
    # point (its qualifier) lies far away
    text = "A crowd looted a warehouse in Noakhali Sadar (Chittagong) on Tuesday."
    m, prec, _ = where(parsed, ex, text, "looted")
    assert m is not None and m.text == "Noakhali Sadar"
    assert prec == 2 and _km(m.place, 22.87, 91.10) < 25


def test_a_city_part_s_own_division_is_no_homonym_abroad(nlp, ex):
    # "Rampura" is also a town in India: in the parenthesis after a part of Dhaka it is not that
    _, found = places(nlp, ex, "Police fired tear gas at marchers in Dhaka - Rampura (Rampura) on Monday.")
    assert found["Dhaka - Rampura"].place.iso2 == "BD"
    inner = found.get("Rampura")
    assert inner is None or inner.place is None or inner.place.iso2 == "BD"


def test_coded_as_reads_like_coded_to(parsed, ex):
    text = "Workers blocked a highway in Kaliakair upazila (coded as Gazipur, Dhaka) on Sunday."
    m, prec, _ = where(parsed, ex, text, "blocked")
    assert m is not None and m.text == "Kaliakair" and prec == 2
    assert m.place.iso2 == "BD" and _km(m.place, 24.0, 90.42) < 25


def test_a_town_word_after_a_name_wants_the_town(nlp, ex):
    # "Chittagong" names a division, a district and (by its other spelling) the city
    _, found = places(nlp, ex, "Protesters gathered outside the court in Chittagong city on Wednesday.")
    assert found["Chittagong"].place.feature == "city"


# -- "coded to X": the coder's own choice of place ---------------------------------------------


def test_coded_to_names_the_event_s_place(parsed, ex):
    # the province is named first; the note says which town the event is coded to
    text = "Militia commanders raised their alert level across Diyala province (coded to Baquba) for two days."
    m, prec, reason = where(parsed, ex, text, "raised")
    assert m is not None and m.text == "Baquba" and m.place.feature == "city"
    assert "coded to" in reason


def test_coded_to_wins_over_the_village_named_before_it(parsed, ex):
    text = "Gunmen were seen near Tondikou, coded to Banikoara (Banikoara, Alibori), on Sunday."
    m, _prec, _ = where(parsed, ex, text, "seen")
    assert m is not None and m.text == "Banikoara" and m.place.iso2 == "BJ"


def test_a_lone_qualifier_naming_a_province_and_its_district_means_the_district(parsed, ex):
    # "(Rajshahi)": Rajshahi district (seat: Rajshahi city) in Rajshahi division; the division's
    # middle lies some 35 km away
    text = "Rival supporters clashed with machetes in Premtali union (Rajshahi) on Friday."
    m, prec, _ = where(parsed, ex, text, "clashed")
    assert m is not None and m.text == "Premtali" and m.place.admin1 == "Rajshahi"
    assert _km(m.place, 24.37, 88.60) < 5


def test_a_homonym_abroad_is_not_the_event_s_place_when_the_qualifier_states_the_country(parsed, ex):
    # Fatehpur is also a large town in India; the qualifier places the story in Bangladesh and
    # the text names no other country
    text = "Two student groups fought with sticks in Fatehpur union, Hathazari upazila (Chittagong) on Monday."
    m, _prec, _ = where(parsed, ex, text, "fought")
    assert m is not None and m.place is not None and m.place.iso2 == "BD"


def test_a_place_abroad_stays_the_event_s_place_when_the_text_names_its_country(parsed, ex):
    text = ("Workers from Hathazari upazila (Chittagong) protested in Kolkata, India, on Monday "
            "over unpaid wages.")
    m, _prec, _ = where(parsed, ex, text, "protested")
    assert m is not None and m.place is not None and m.place.iso2 == "IN"


def test_a_town_spelled_by_a_minor_alternate_name_is_found_inside_its_qualifier(nlp, ex):
    # "Tyotkino" is only an alternate spelling of Tetkino (Tëtkino), a small town: alone it is
    # not trusted, inside its own district and province it is the place
    _, found = places(nlp, ex, "Drones struck a depot in Tyotkino (Glushkovskiy, Kursk) at dawn.")
    m = found["Tyotkino"]
    assert m.place is not None and m.place.geonameid is not None and m.place.admin1 == "Kursk"


def test_a_city_part_named_like_a_town_elsewhere_is_still_a_part(nlp, ex):
    # "Kyivskyi" is a district of Donetsk and a town of Poltava province
    _, found = places(nlp, ex, "Artillery hit a market in Donetsk - Kyivskyi on Tuesday.")
    m = found["Donetsk - Kyivskyi"]
    assert m.place.iso2 == "UA" and _km(m.place, 48.02, 37.80) < 25


def test_a_village_qualified_by_coders_names_of_lebanese_divisions(parsed, ex):
    # "(Tyr, South)": Tyre's district in South Lebanon; "South" alone names divisions of many countries
    text = "Shells fell on farmland near Kfarhouna town (Tyr, South) on Sunday."
    m, _prec, _ = where(parsed, ex, text, "fell")
    assert m is not None and m.place is not None and m.place.iso2 == "LB"
    assert _km(m.place, 33.27, 35.20) < 30


def test_x_comma_its_province_is_x(parsed, ex):
    # "Kharkiv" after the comma is the province (or its capital): it says where the village lies
    text = "Troops clashed with assault groups near Petropavlivka, Kharkiv, on Friday."
    m, _prec, _ = where(parsed, ex, text, "clashed")
    assert m is not None and m.text == "Petropavlivka" and m.place.admin1 == "Kharkiv"


def test_a_country_after_pro_or_anti_is_a_stance_not_the_place(parsed, ex):
    text = "Eleven soldiers died in a clash with pro-Russia fighters near Avdiivka on Sunday."
    m, _prec, _ = where(parsed, ex, text, "clash")
    assert m is not None and m.text == "Avdiivka"


def test_a_stance_names_no_country_of_the_event():
    from fieldreport.assemble.pipeline import Pipeline
    from fieldreport.schema.records import Article

    recs = Pipeline.default().extract(Article(id="s1", text="Nine Ukrainian soldiers killed in clash with pro-Russia rebels"))
    assert recs and recs[0].country != "Russia"
