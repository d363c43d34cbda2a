"""Places: toponym recognition, disambiguation and event location on sentences we wrote."""

from __future__ import annotations

import pytest

from fieldreport.extract.places import PlaceExtractor, mention_to_row
from fieldreport.text.nlp import load_nlp, load_places_nlp


@pytest.fixture(scope="module", params=["full pipeline", "entity recogniser only"])
def nlp(request):
    """Every recognition test runs on both spaCy pipelines: the full one (what `extract` runs and
    `places --parse`) and the entity recogniser alone (what `places` runs by default), where the
    rules read spelling instead of tags and dependencies."""
    return load_nlp() if request.param == "full pipeline" else load_places_nlp()


@pytest.fixture(scope="module")
def parsed():
    """Event location reads the dependency parse: the full pipeline only."""
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


@pytest.mark.parametrize("text", [
    "Grayson also said the bridge over the river would reopen in spring.",
    "The bridge will reopen next week, said Grayson.",
    "Grayson wrote to the council about the flooding.",
])
def test_a_town_name_that_speaks_or_writes_is_a_person(nlp, ex, text):
    """Grayson (Kentucky) as the subject of a person's verb: read from the parse in the full
    pipeline, from the words around it in the entity-only one."""
    _, found = places(nlp, ex, text)
    assert "Grayson" not in found or found["Grayson"].place is None


@pytest.mark.parametrize("text, name, iso2", [
    ('"We cannot reach them," an aid official in Goma said.', "Goma", "CD"),
    ("The district commissioner of Afgooye told reporters the road was closed.", "Afgooye", "SO"),
])
def test_a_place_before_a_speech_verb_after_a_preposition_is_a_place(nlp, ex, text, name, iso2):
    _, found = places(nlp, ex, text)
    assert found[name].place is not None and found[name].place.iso2 == iso2


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


def test_event_location_is_where_it_happened_not_where_it_was_said(parsed, ex):
    text = ("Officials in Damascus said that rebels shelled a market in Aleppo on Tuesday, "
            "killing four people.")
    doc = parsed(text)
    ms = ex.find(doc)
    m, prec, reason = ex.event_location(doc, ms, *_trigger(text, "shelled"))
    assert m is not None and m.text == "Aleppo"
    assert prec == 1
    assert reason


def test_event_location_near_gives_precision_two(parsed, ex):
    text = "A roadside bomb exploded near Kirkuk, wounding two soldiers."
    doc = parsed(text)
    m, prec, _ = ex.event_location(doc, ex.find(doc), *_trigger(text, "exploded"))
    assert m.text == "Kirkuk" and prec == 2


def test_event_location_region_only_gives_precision_three(parsed, ex):
    text = "Fighting broke out in Idlib province on Friday."
    doc = parsed(text)
    m, prec, _ = ex.event_location(doc, ex.find(doc), *_trigger(text, "broke"))
    assert m is not None and m.place.feature == "admin1" and prec == 3


def test_event_location_without_places(parsed, ex):
    text = "Gunmen attacked a convoy at dawn."
    doc = parsed(text)
    m, prec, reason = ex.event_location(doc, ex.find(doc), *_trigger(text, "attacked"))
    assert m is None and prec is None and reason


def test_a_surname_used_alone_is_the_person(nlp, ex):
    _, found = places(
        nlp, ex,
        "The producer Andy Trapani opened a studio last year. Trapani hopes to hire ten people.",
    )
    assert "Trapani" not in found or found["Trapani"].place is None


def test_unknown_village_is_kept_unresolved_and_can_be_the_event_location(parsed, ex):
    text = "Gunmen killed five farmers in the village of Qarrat Nuwayfil near Kirkuk on Monday."
    doc = parsed(text)
    ms = ex.find(doc)
    unknown = [m for m in ms if m.text == "Qarrat Nuwayfil"]
    assert unknown and unknown[0].place is None and unknown[0].reason.startswith("unknown")
    m, prec, _ = ex.event_location(doc, ms, *_trigger(text, "killed"))
    assert m is not None and m.text == "Qarrat Nuwayfil"


def test_embedded_option_reports_places_inside_organisation_names(parsed, ex):
    text = "The Paris Police Department opened an inquiry into the theft."
    doc = parsed(text)
    wide = PlaceExtractor(ex.gazetteer, embedded=True)
    found = {m.text: m for m in wide.find(doc)}
    assert found["Paris"].place is not None and found["Paris"].reason.startswith("inside a name")
    assert "Paris" not in {m.text for m in ex.find(doc)}
    # a place inside a name is never the event location
    m, _, _ = wide.event_location(doc, list(found.values()), *_trigger(text, "opened"))
    assert m is None or m.text != "Paris"


def test_embedded_per_call_matches_the_embedded_extractor(nlp, ex):
    text = "A spokesman for the Nairobi County Assembly said the Kisumu Water Board had resigned."
    doc = nlp(text)
    wide = PlaceExtractor(ex.gazetteer, embedded=True)
    per_call = [(m.text, m.place and m.place.geonameid) for m in ex.find(doc, embedded=True)]
    assert per_call == [(m.text, m.place and m.place.geonameid) for m in wide.find(doc)]
    assert ex.embedding(True).embedded and not ex.embedded  # the default stays as it was
    assert ex.embedding(False) is ex


def test_a_small_town_inside_a_name_needs_the_article_to_name_it_elsewhere(nlp, ex):
    wide = ex.embedding(True)
    text = ("Pupils of the Webb Middle School raised money for the Haven House shelter, "
            "and the Ohio Department of Health thanked them.")
    found = {m.text for m in wide.find(nlp(text)) if m.place is not None}
    assert "Webb" not in found and "Haven" not in found  # surnames and words, not towns here
    assert "Ohio" in found  # a state is a place inside a name too
    text = ("Officers of the Carthage Police Department arrested two men. The store in Carthage "
            "had been robbed twice this year.")
    found = [m.text for m in wide.find(nlp(text)) if m.place is not None]
    assert found.count("Carthage") == 2  # named outside the name as well


def test_a_county_by_its_full_name_inside_a_name_is_a_place(nlp, ex):
    text = "Deputies of the Stearns County Sheriff's Office searched the lake on Sunday."
    found = {m.text: m for m in ex.embedding(True).find(nlp(text)) if m.place is not None}
    assert found["Stearns County"].place.feature == "admin2"
    assert found["Stearns County"].place.admin1 == "Minnesota"


def test_a_street_named_after_a_small_place_is_not_that_place(nlp, ex):
    text = "A fire destroyed a house on Main Street, and Cooper Road was closed in Damascus."
    found = {m.text: m for m in ex.find(nlp(text))}
    assert all(m.place is None for k, m in found.items() if k.startswith(("Main", "Cooper")))
    text = "Protesters gathered on Baghdad Street in Damascus."
    found = {m.text: m for m in ex.find(nlp(text)) if m.place is not None}
    assert found["Baghdad"].place.iso2 == "IQ"  # a street named after a capital keeps it


def test_a_capital_outweighs_a_small_homonym_near_the_states_the_story_names(nlp, ex):
    # the states named pull towards the small Washington in Pennsylvania; the capital's
    # population must still win
    text = "WASHINGTON — Lawmakers from Pennsylvania and Ohio debated the farm budget on Tuesday."
    found = {m.text: m for m in ex.find(nlp(text)) if m.place is not None}
    assert found["WASHINGTON"].place.admin1 == "Washington, D.C."


def test_a_saints_name_in_the_possessive_is_a_school_not_a_town(nlp, ex):
    text = "Pupils of St. Michael's Catholic School and St. Mary's High School sang carols."
    found = {m.text for m in ex.find(nlp(text)) if m.place is not None}
    assert not any(t.startswith("St.") for t in found)
    found = {m.text: m for m in ex.find(nlp("He moved to St. Cloud in 2001.")) if m.place}
    assert found["St. Cloud"].place.iso2 == "US"


def test_the_gulf_in_a_story_on_egypt_is_not_a_province_of_papua_new_guinea(nlp, ex):
    text = "Egypt and Israel discussed the situation in the Gulf and regional security."
    found = {m.text: m for m in ex.find(nlp(text)) if m.place is not None}
    assert "Gulf" not in found or found["Gulf"].place.iso2 != "PG"
    # in a story on its country the division keeps its name
    text = "Militants attacked an oil pipeline in Delta, Nigeria, and in Bayelsa on Monday."
    found = {m.text: m for m in ex.find(nlp(text)) if m.place is not None}
    assert found["Delta"].place.iso2 == "NG"


def test_a_town_before_based_or_born_is_a_place(nlp, ex):
    text = "Officers of the Gori-based infantry brigade left on Monday."
    found = {m.text: m for m in ex.find(nlp(text)) if m.place is not None}
    assert found["Gori"].place.iso2 == "GE"


def test_a_union_whose_words_are_all_common_is_still_found(nlp, ex):
    text = "Slovakia joined the European Union in 2004 after long talks."
    found = {m.text: m for m in ex.find(nlp(text)) if m.place is not None}
    assert found["European Union"].place.feature == "other"


def test_a_demonym_inside_a_name_counts_for_a_state_institution_only(nlp, ex):
    wide = ex.embedding(True)
    text = "Officers of the Nigerian Army met volunteers of the American Heart Association in Lagos."
    found = {m.text: m for m in wide.find(nlp(text)) if m.place is not None}
    assert found["Nigerian"].place.iso2 == "NG"  # the army of that state
    assert "American" not in found  # a charity's name, not the United States


def test_a_two_word_demonym_the_model_calls_a_person_is_its_country(nlp, ex):
    text = "Analysts expect little change in Sri Lankan politics this year."
    found = {m.text: m for m in ex.find(nlp(text)) if m.place is not None}
    assert found["Sri Lankan"].place.iso2 == "LK"


def test_local_police_and_school_words_put_a_lone_town_in_the_united_states(nlp, ex):
    text = ("Paris police arrested a man on Friday. The Paris Police Department said the man, "
            "a former Paris High School student, was taken to the county jail, and the sheriff's "
            "office will assist the police department.")
    paris = [m for m in ex.find(nlp(text)) if m.text == "Paris" and m.place is not None]
    assert paris and all(m.place.iso2 == "US" for m in paris)
    # a story about France keeps its capital
    text = "French police in Paris arrested a man near the Louvre on Friday."
    paris = [m for m in ex.find(nlp(text)) if m.text == "Paris"]
    assert paris[0].place.iso2 == "FR"


def test_places_command_reports_names_inside_names_unless_asked_not_to(tmp_path):
    import json

    from typer.testing import CliRunner

    from fieldreport.apps.cli import app

    src = tmp_path / "a.txt"
    src.write_text("Officers of the Toronto Police Service searched the house on Friday.\n",
                   encoding="utf-8")
    runner = CliRunner()
    on = runner.invoke(app, ["places", "--input", str(src), "--quiet"])
    off = runner.invoke(app, ["places", "--input", str(src), "--quiet", "--no-embedded"])
    assert on.exit_code == 0 and off.exit_code == 0, on.output + off.output
    rows_on = [json.loads(x) for x in on.stdout.splitlines() if x.strip()]
    rows_off = [json.loads(x) for x in off.stdout.splitlines() if x.strip()]
    assert any(r["text"] == "Toronto" for r in rows_on)
    assert not any(r["text"] == "Toronto" for r in rows_off)


def test_x_comma_country(nlp, ex):
    _, found = places(nlp, ex, "Heavy fighting was reported in Homs, Syria, and in Tripoli, Libya.")
    assert found["Homs"].place.iso2 == "SY"
    assert found["Tripoli"].place.iso2 == "LY"
    assert "pattern" in found["Tripoli"].reason


# ----------------------------------------------------------------------------------------------
# recall rules (LGL / GeoWebNews): each rule with a sentence of our own


def test_a_town_name_does_not_vote_for_its_own_country(nlp, ex):
    # Alexandria's big Egyptian namesake must not make Egypt the focus of a Louisiana story
    _, found = places(
        nlp, ex,
        "Police in Alexandria arrested two men on Friday. They were taken to the jail in "
        "Pineville, officers in Louisiana said.",
    )
    assert found["Alexandria"].place.iso2 == "US"
    assert found["Alexandria"].place.admin1 == "Louisiana"


def test_a_lone_foreign_place_does_not_pull_a_capital_abroad(nlp, ex):
    _, found = places(nlp, ex, "The president returned to Washington after the summit in Brussels.")
    assert found["Brussels"].place.iso2 == "BE"
    assert found["Washington"].place.admin1 == "Washington, D.C."  # the capital, not the state


def test_names_listed_before_counties_are_counties(nlp, ex):
    _, found = places(nlp, ex, "Schools in Barrow, Jackson and Madison counties will close early on Friday.")
    for name in ("Barrow", "Jackson", "Madison"):
        assert found[name].place.feature == "admin2", name
        assert found[name].place.name == f"{name} County"
        assert found[name].place.admin1 == "Georgia"  # the three lie side by side there


def test_legislator_party_and_home(nlp, ex):
    _, found = places(
        nlp, ex,
        "The bill was backed by Rep. Jane Doe, D-Ga., and by Sen. John Roe (R-Marietta) on Tuesday.",
    )
    assert found["Ga."].place.feature == "admin1" and found["Ga."].place.admin1 == "Georgia"
    assert found["Marietta"].place.iso2 == "US"


def test_georgia_in_a_us_story_is_the_state(nlp, ex):
    _, found = places(
        nlp, ex, "Lawmakers in Atlanta and Savannah debated the budget, and Georgia will vote next week."
    )
    assert found["Georgia"].place.iso2 == "US" and found["Georgia"].place.feature == "admin1"


def test_world_regions_and_seas_are_places(nlp, ex):
    _, found = places(nlp, ex, "Tensions in the Middle East rose as tankers crossed the Black Sea.")
    assert found["Middle East"].place.feature == "other"
    assert found["Middle East"].place.iso2 in (None, "")  # not the hamlet in Maryland
    assert 40 < found["Black Sea"].place.latitude < 47


def test_conflict_regions_keep_their_country(nlp, ex):
    _, found = places(
        nlp, ex, "Aid groups said the fighting in Darfur and in Eastern Ghouta had displaced thousands."
    )
    assert found["Darfur"].place.iso2 == "SD"
    assert found["Eastern Ghouta"].place.iso2 == "SY"


def test_a_place_name_inside_a_lake_or_mountain_name_is_not_resolved_alone(nlp, ex):
    _, found = places(nlp, ex, "Hikers camped near Lake Vermont before they climbed Mount Hood.")
    assert "Vermont" not in found and "Hood" not in found
    assert all(m.place is None for m in found.values())


def test_country_and_union_acronyms(nlp, ex):
    _, found = places(nlp, ex, "Officials from the UAE and the EU met in Cairo on Monday.")
    assert found["UAE"].place.iso2 == "AE"
    assert found["EU"].place.name == "European Union"


def test_a_region_that_speaks_is_still_a_place(nlp, ex):
    _, found = places(nlp, ex, "Tamil Nadu said it would appeal the ruling.")
    assert found["Tamil Nadu"].place.iso2 == "IN" and found["Tamil Nadu"].place.feature == "admin1"


@pytest.mark.parametrize(
    "text, word, iso2",
    [
        ("The Sri Lankan government rejected the claim.", "Sri Lankan", "LK"),
        ("Protesters voiced anti-Russian slogans outside the embassy.", "Russian", "RU"),
        ("The mines were laid by Azerbaijani soldiers during the war.", "Azerbaijani", "AZ"),
        ("Two men were poisoned in the English city of Salisbury.", "English", "GB"),
    ],
)
def test_demonyms_the_model_labels_otherwise(nlp, ex, text, word, iso2):
    _, found = places(nlp, ex, text)
    assert found[word].place.iso2 == iso2
    assert found[word].reason.startswith("demonym")


def test_region_adjectives(nlp, ex):
    _, found = places(nlp, ex, "Leaders of Central American states met in Panama.")
    assert found["Central American"].place.name == "Central America"
    _, found = places(nlp, ex, "Two men were poisoned in the English city of Salisbury.")
    assert found["English"].place.name == "England"


def test_a_town_inside_a_county_the_article_names(nlp, ex):
    _, found = places(
        nlp, ex,
        "A barn burned near Paris on Monday. Firefighters from across Henry County helped put it out.",
    )
    assert found["Paris"].place.iso2 == "US" and found["Paris"].place.admin1 == "Tennessee"
    assert found["Henry County"].place.admin1 == "Tennessee"


def test_city_aliases_resolve(nlp, ex):
    _, found = places(nlp, ex, "She flew to D.C. on Monday to meet lawmakers.")
    assert found["D.C."].place.admin1 == "Washington, D.C."


@pytest.mark.parametrize(
    "text, name, iso2",
    [
        ("Town couple charged. CLINTON — A couple was charged on Tuesday after police searched "
         "their home.", "CLINTON", "US"),
        ("Council race widens. CROMWELL — A third candidate entered the race for mayor on Monday.",
         "CROMWELL", "US"),
        ("Coal mine to close. SEVIERVILLE, Tenn. (AP) Police say a man was found in a pool.",
         "SEVIERVILLE", "US"),
    ],
)
def test_all_caps_dateline_is_a_place_whatever_the_model_says(nlp, ex, text, name, iso2):
    _, found = places(nlp, ex, text)
    assert found[name].place is not None and found[name].place.iso2 == iso2


def test_a_list_of_cities_is_not_a_town_in_a_state(nlp, ex):
    """ "Washington, New York and Boston" lists three cities; it does not say "a Washington in
    New York state"."""
    _, found = places(nlp, ex, "The crown prince made stops in Washington, New York and Boston before flying home.")
    assert found["Washington"].place.admin1 == "Washington, D.C."


@pytest.mark.parametrize("text, name, region", [
    ("Hurricanes that form in the tropical Atlantic rarely reach Annapolis, Maryland, forecasters said.",
     "Atlantic", "Atlantic Ocean"),
    ("Sergeant Reed, of Frederick, Maryland, served three tours in the Middle East.", "Middle East", "Middle East"),
])
def test_a_sea_or_world_region_beats_a_village_in_the_articles_country(nlp, ex, text, name, region):
    """Atlantic, Virginia and Middle East, Maryland exist; a story set in the US still means the ocean
    and the region (they lie in no country, so the country focus neither helps nor hurts them)."""
    _, found = places(nlp, ex, text)
    assert found[name].place.name == region and found[name].place.country is None


def test_a_name_found_in_every_state_is_no_evidence_of_where_the_others_are(nlp, ex):
    """ "Washington" (60 candidates) has a town or county in almost every state: it must not pull
    Houston to Houston, Pennsylvania (population 1,300), which lies in a Washington County, away
    from Houston, Texas."""
    _, found = places(nlp, ex, "The senator left Washington for Houston on Saturday, aides in Franklin and Jackson said.")
    assert found["Houston"].place.admin1 == "Texas"


@pytest.mark.parametrize("text, name, admin1", [
    ("A Winona man was arrested after a chase on the interstate.", "Winona", "Minnesota"),
    ("Pataskala zoning rules allow the burned block to be rebuilt.", "Pataskala", "Ohio"),
    ("Grand Ledge investigators interviewed the neighbours on Tuesday.", "Grand Ledge", "Michigan"),
])
def test_a_town_before_a_noun_of_its_people_is_a_place(nlp, ex, text, name, admin1):
    """Local news names a town as the modifier of its people and offices; the model often labels
    such a name an organisation or a person."""
    _, found = places(nlp, ex, text)
    assert found[name].place is not None and found[name].place.admin1 == admin1
