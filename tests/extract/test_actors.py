"""Actors: the dictionary (data), mentions in text, actor1/actor2 from the parse, inter codes.

All sentences here are written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldreport.data import load_yaml
from fieldreport.extract.actors import ActorDictionary, ActorExtractor, Roles
from fieldreport.schema.records import ActorMention


@pytest.fixture(scope="module")
def nlp():
    from fieldreport.text.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def ex() -> ActorExtractor:
    return ActorExtractor(ActorDictionary.load(use_env=False))


def _find(nlp, ex, text: str, iso3: str | None = None, year: int | None = None) -> list[ActorMention]:
    return ex.find(nlp(text), iso3, year=year)


def _names(ms: list[ActorMention]) -> list[str]:
    return [m.actor.name for m in ms]


def _roles(nlp, ex, text: str, trigger: str, iso3: str | None, sub: str, year: int | None = None) -> Roles:
    doc = nlp(text)
    ms = ex.find(doc, iso3, year=year)
    start = text.index(trigger)
    return ex.roles(doc, start, start + len(trigger), ms, iso3, sub, year=year)


def _n(m: ActorMention | None) -> str | None:
    return m.actor.name if m else None


# ------------------------------------------------------------------------------------------------
# shared/demonyms.yaml


def test_demonyms_cover_every_country_with_a_name():
    data = load_yaml("shared/demonyms.yaml")
    for c in pycountry.countries:
        assert c.alpha_3 in data, c.name
        assert data[c.alpha_3]["name"]
    assert data["XKX"]["name"] == "Kosovo"


@pytest.mark.parametrize(
    ("iso3", "demonym"),
    [("SYR", "Syrian"), ("UKR", "Ukrainian"), ("RUS", "Russian"), ("ISR", "Israeli"), ("PSE", "Palestinian"),
     ("MLI", "Malian"), ("BFA", "Burkinabe"), ("COD", "Congolese"), ("COG", "Congolese"), ("ARE", "Emirati")],
)  # fmt: skip
def test_demonyms_written_for_conflict_countries(iso3, demonym):
    assert demonym in load_yaml("shared/demonyms.yaml")[iso3]["demonyms"]


def test_country_aliases_keep_official_names():
    data = load_yaml("shared/demonyms.yaml")
    assert "Syrian Arab Republic" in data["SYR"]["aliases"]
    assert data["COD"]["name"] == "Democratic Republic of Congo"


# ------------------------------------------------------------------------------------------------
# the dictionary


def test_every_country_has_state_forces(ex):
    d = ex.dict
    assert d.state_actor("RUS").name == "Military Forces of Russia (2000-)"
    assert d.state_actor("IND", "police").name == "Police Forces of India (2014-)"
    assert d.state_actor("USA", "military", 2019).name == "Military Forces of the United States (2017-)"
    assert d.state_actor("TUV", "government").name == "Government of Tuvalu"
    assert d.state_actor("SYR", "military", 2016).name == "Military Forces of Syria (2000-)"


def test_period_names_as_at_the_event_or_closed():
    closed = ActorDictionary.load(use_env=False, period_naming="closed")
    assert closed.state_actor("SYR", "military", 2016).name == "Military Forces of Syria (2000-2024)"
    assert closed.state_actor("SYR", "military").name == "Military Forces of Syria (2024-)"
    assert closed.state_actor("USA", "military", 2023).name == "Military Forces of the United States (2021-2025)"
    event = ActorDictionary.load(use_env=False)
    assert event.state_actor("USA", "military", 2023).name == "Military Forces of the United States (2021-)"
    assert event.state_actor("KEN", "police", 2024).name == "Police Forces of Kenya (2022-)"


def test_shipped_entries_have_valid_inter_codes(ex):
    for e in ex.dict.entries.values():
        assert e.inter in range(1, 9), e.name


# ------------------------------------------------------------------------------------------------
# mentions: aliases


@pytest.mark.parametrize(
    "text",
    [
        "IS fighters held the ridge for a week.",
        "ISIS claimed it had set the fire.",
        "The group, known as ISIL, withdrew at dawn.",
        "Daesh lost the town after a long siege.",
        "Officials said the Islamic State was behind it.",
        "IS militants crossed the river at night.",
        "Jihadists of Islamic State seized two checkpoints.",
    ],
)
def test_islamic_state_aliases_collapse_to_one_actor_in_syria(nlp, ex, text):
    ms = _find(nlp, ex, text, "SYR")
    assert "Islamic State (Syria)" in _names(ms)


def test_islamic_state_named_after_the_event_country(nlp, ex):
    assert "Islamic State (Iraq)" in _names(_find(nlp, ex, "Daesh cells struck a farm.", "IRQ"))
    assert "Islamic State (Libya)" in _names(_find(nlp, ex, "Daesh cells struck a farm.", "LBY"))
    assert "Islamic State (West Africa)" in _names(_find(nlp, ex, "ISIS fighters raided a base.", "NGA"))
    assert "Islamic State (Syria)" in _names(_find(nlp, ex, "ISIS fighters raided a base.", None))


def test_the_verb_is_is_not_islamic_state(nlp, ex):
    ms = _find(nlp, ex, "The road is closed and it is unclear who is responsible.", "SYR")
    assert "Islamic State (Syria)" not in _names(ms)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Houthi rebels fired a drone at the port.", "Military Forces of Yemen (2017-) Houthi"),
        ("Ansar Allah said it would respond.", "Military Forces of Yemen (2017-) Houthi"),
        ("Al-Shabaab fighters stormed the hotel.", "Al Shabaab"),
        ("HTS took control of the crossing.", "Hayat Tahrir al Sham"),
        ("Boko Haram insurgents burned the market.", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"),
        ("The RSF shelled the city again.", "Rapid Support Forces"),
        ("M23 rebels entered the town.", "M23: March 23 Movement"),
        ("Wagner mercenaries guarded the mine.", "Wagner Group"),
    ],
)
def test_armed_group_aliases(nlp, ex, text, name):
    assert name in _names(_find(nlp, ex, text))


def test_longest_match_wins(nlp, ex):
    ms = _find(nlp, ex, "The Free Syrian Army and the Syrian Democratic Forces agreed a truce.", "SYR")
    assert _names(ms)[:2] == ["Free Syrian Army", "QSD: Syrian Democratic Forces"]
    assert not any(m.actor.name.startswith("Military Forces of Syria") for m in ms)


def test_mention_offsets_point_into_the_text(nlp, ex):
    text = "Overnight, Russian warplanes and Hezbollah units hit the hills."
    for m in _find(nlp, ex, text, "SYR"):
        assert text[m.start : m.end] == m.text


# ------------------------------------------------------------------------------------------------
# mentions: demonym + force noun, bare force nouns, generic actors


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Russian jets circled the town.", "Military Forces of Russia (2000-)"),
        ("The Russian defence ministry published a map.", "Military Forces of Russia (2000-)"),
        ("The Russian Air Force flew many sorties.", "Military Forces of Russia (2000-)"),
        ("The Ukrainian military moved north.", "Military Forces of Ukraine (2019-)"),
        ("The Israeli air force hit a depot.", "Military Forces of Israel (2022-)"),
        ("The IDF closed the crossing.", "Military Forces of Israel (2022-)"),
        ("Syrian regime forces advanced on the hill.", "Military Forces of Syria (2024-)"),
        ("Syrian government troops took the village.", "Military Forces of Syria (2024-)"),
        ("Indian police blocked the march.", "Police Forces of India (2014-)"),
        ("Israel's military said the strike was precise.", "Military Forces of Israel (2022-)"),
        ("The Myanmar junta bombed a school.", "Military Forces of Myanmar (2021-)"),
    ],
)
def test_demonym_forces(nlp, ex, text, name):
    assert name in _names(_find(nlp, ex, text))


def test_two_demonyms_share_one_force_noun(nlp, ex):
    names = _names(_find(nlp, ex, "Russian and Syrian jets bombed the market.", "SYR", year=2017))
    assert names[:2] == ["Military Forces of Russia (2000-)", "Military Forces of Syria (2000-)"]


def test_bare_force_nouns_take_the_event_country(nlp, ex):
    names = _names(_find(nlp, ex, "Government troops and police sealed off the area.", "NGA"))
    assert "Military Forces of Nigeria (2023-)" in names
    assert "Police Forces of Nigeria (2023-)" in names
    # without a country, a bare "the army" is not attributed to anyone
    assert not any(n.startswith("Military Forces") for n in _names(_find(nlp, ex, "The army moved in.", None)))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Thousands of demonstrators gathered downtown.", "Protesters (Chile)"),
        ("Rioters set cars on fire.", "Rioters (Chile)"),
        ("Villagers fled the fighting.", "Civilians (Chile)"),
        ("Unknown assailants threw stones.", "Unidentified Armed Group (Chile)"),
        ("Gunmen opened fire on the bus.", "Unidentified Armed Group (Chile)"),
        ("Students blocked the avenue.", "Students (Chile)"),
    ],
)
def test_generic_actors_take_the_event_country(nlp, ex, text, name):
    assert name in _names(_find(nlp, ex, text, "CHL"))


def test_demonym_sets_the_country_of_a_generic_actor(nlp, ex):
    assert "Civilians (Syria)" in _names(_find(nlp, ex, "Syrian civilians crossed the border.", "TUR"))


# ------------------------------------------------------------------------------------------------
# unknown organisations and user files


def test_unknown_armed_organisation_is_kept_with_a_guessed_inter(nlp, ex):
    ms = _find(nlp, ex, "The Northern Kivu Liberation Front attacked a patrol on Monday.", "COD")
    guessed = [m for m in ms if m.actor.guessed]
    assert guessed, _names(ms)
    assert "Liberation Front" in guessed[0].actor.name
    assert guessed[0].actor.inter == 2


def test_unknown_ethnic_militia_is_an_identity_militia(nlp, ex):
    ms = _find(nlp, ex, "Dinka militiamen raided the cattle camp.", "SSD")
    assert "Dinka Ethnic Militia (South Sudan)" in _names(ms)
    m = next(m for m in ms if m.actor.name.startswith("Dinka"))
    assert m.actor.inter == 4 and m.actor.guessed


def test_user_extra_file_adds_and_replaces_actors(nlp, tmp_path: Path, monkeypatch):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "actors:\n"
        "- name: Sons of the Delta Brigade\n  inter: 3\n  country: NGA\n  kind: militia\n"
        "  aliases: [Delta Sons, the Delta boys]\n"
        "- name: Hezbollah\n  inter: 8\n  country: LBN\n  kind: external\n  aliases: [Hezbollah]\n",
        encoding="utf-8",
    )
    ex2 = ActorExtractor(ActorDictionary.load(extra_paths=[extra], use_env=False))
    ms = ex2.find(nlp("Fighters of the Delta boys seized a barge."), "NGA")
    assert "Sons of the Delta Brigade" in _names(ms)
    assert ex2.dict.entries["Hezbollah"].inter == 8
    # the same file through the environment variable
    monkeypatch.setenv("FIELDREPORT_ACTORS", str(extra))
    assert "Sons of the Delta Brigade" in ActorDictionary.load().entries


def test_user_file_errors_say_what_is_wrong(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n- name: Somebody\n  inter: 12\n", encoding="utf-8")
    with pytest.raises(ValueError, match="inter codes are 1..8"):
        ActorDictionary.load(extra_paths=[bad], use_env=False)
    with pytest.raises(FileNotFoundError):
        ActorDictionary.load(extra_paths=[tmp_path / "missing.yaml"], use_env=False)


# ------------------------------------------------------------------------------------------------
# search and inter codes


def test_search_finds_actors_by_alias(ex):
    assert ex.search("Daesh")[0].name == "Islamic State (Syria)"
    assert ex.search("Houthis")[0].name == "Military Forces of Yemen (2017-) Houthi"
    assert ex.search("Military Forces of Ukraine")[0].name == "Military Forces of Ukraine (2019-)"
    assert ex.search("police india")[0].name == "Police Forces of India (2014-)"
    assert ex.search("russian army")[0].name == "Military Forces of Russia (2000-)"


def test_foreign_state_forces_are_inter_8(ex):
    russia = ex.dict.state_actor("RUS")
    assert ex.inter_for(russia, "SYR") == 8
    assert ex.inter_for(russia, "RUS") == 1
    assert ex.inter_for(ex.dict.entries["Hamas Movement"].actor(), "PSE") == 2
    assert ex.inter_for(None, "SYR") is None


# ------------------------------------------------------------------------------------------------
# roles


def test_active_clause(nlp, ex):
    text = "Russian jets bombed IS positions near Palmyra on Tuesday."
    r = _roles(nlp, ex, text, "bombed", "SYR", "Air/drone strike")
    assert _n(r.actor1) == "Military Forces of Russia (2000-)"
    assert _n(r.actor2) == "Islamic State (Syria)"
    assert ex.inter_for(r.actor1.actor, "SYR") == 8


def test_passive_killed_by(nlp, ex):
    r = _roles(nlp, ex, "Four farmers were killed by Boko Haram fighters near Maiduguri.", "killed", "NGA", "Attack")
    assert _n(r.actor1) == "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"
    assert _n(r.actor2) == "Civilians (Nigeria)"


def test_passive_shelled_by(nlp, ex):
    text = "The Houthi-held port was shelled by Saudi-led coalition warships, residents said."
    r = _roles(nlp, ex, text, "shelled", "YEM", "Shelling/artillery/missile attack")
    assert _n(r.actor1) == "Operation Restoring Hope"


def test_nominal_trigger_with_by_and_on(nlp, ex):
    text = "An air strike by the Russian Air Force on IS militants left a crater near the bridge."
    r = _roles(nlp, ex, text, "air strike", "SYR", "Air/drone strike")
    assert _n(r.actor1) == "Military Forces of Russia (2000-)"
    assert _n(r.actor2) == "Islamic State (Syria)"


def test_demonym_adjective_on_nominal_trigger(nlp, ex):
    r = _roles(nlp, ex, "A Turkish drone strike hit a car near Qamishli.", "strike", "SYR", "Air/drone strike")
    assert _n(r.actor1) == "Military Forces of Turkey (2016-)"


def test_clashes_between(nlp, ex):
    text = "Heavy clashes between the SDF and Turkish-backed rebels erupted near Manbij."
    r = _roles(nlp, ex, text, "clashes", "SYR", "Armed clash")
    assert _n(r.actor1) == "QSD: Syrian Democratic Forces"
    assert _n(r.actor2) == "Syrian National Army"


def test_two_sides_clashed(nlp, ex):
    r = _roles(nlp, ex, "The Taliban and ISKP fighters clashed in Kunar.", "clashed", "AFG", "Armed clash", year=2019)
    assert {_n(r.actor1), _n(r.actor2)} == {"Taliban", "Islamic State Khorasan Province"}


def test_allies_attacking_together_are_associated(nlp, ex):
    text = "Hezbollah and Syrian army fighters attacked a column of IS militants near Qusayr."
    r = _roles(nlp, ex, text, "attacked", "SYR", "Armed clash", year=2017)
    assert _n(r.actor1) == "Hezbollah"
    assert _n(r.assoc_actor_1) == "Military Forces of Syria (2000-)"
    assert _n(r.actor2) == "Islamic State (Syria)"


def test_apposition_names_the_actor(nlp, ex):
    text = "Fighters, members of the Arakan Army, overran a junta outpost in Rakhine."
    r = _roles(nlp, ex, text, "overran", "MMR", "Non-state actor overtakes territory")
    assert _n(r.actor1) == "ULA/AA: United League of Arakan/Arakan Army"
    assert _n(r.actor2) == "Military Forces of Myanmar (2021-)"


def test_relative_clause_agent(nlp, ex):
    text = "Police hunted the gunmen who attacked the church in Owo."
    r = _roles(nlp, ex, text, "attacked", "NGA", "Attack")
    assert _n(r.actor1) == "Unidentified Armed Group (Nigeria)"
    assert _n(r.actor2) == "Civilians (Nigeria)"


def test_unnamed_attackers_are_unidentified_armed_group(nlp, ex):
    r = _roles(nlp, ex, "Unknown assailants shot dead a teacher in Kandahar.", "shot", "AFG", "Attack")
    assert _n(r.actor1) == "Unidentified Armed Group (Afghanistan)"
    assert _n(r.actor2) == "Civilians (Afghanistan)"
    assert _n(r.assoc_actor_2) == "Teachers (Afghanistan)"


def test_violence_against_civilians_without_named_victims(nlp, ex):
    r = _roles(nlp, ex, "A house in Beni was set on fire during the night.", "set on fire", "COD", "Attack")
    assert _n(r.actor2) == "Civilians (Democratic Republic of Congo)"
    assert _n(r.actor1) == "Unidentified Armed Group (Democratic Republic of Congo)"


def test_peaceful_protest_has_no_actor2(nlp, ex):
    text = "Hundreds of protesters marched in Delhi against the new farm law."
    r = _roles(nlp, ex, text, "marched", "IND", "Peaceful protest")
    assert _n(r.actor1) == "Protesters (India)"
    assert r.actor2 is None


def test_protest_with_intervention_has_police_as_actor2(nlp, ex):
    text = "Police fired tear gas at students protesting in Dhaka."
    r = _roles(nlp, ex, text, "protesting", "BGD", "Protest with intervention")
    assert _n(r.actor1) == "Protesters (Bangladesh)"
    assert _n(r.assoc_actor_1) == "Students (Bangladesh)"
    assert _n(r.actor2) == "Police Forces of Bangladesh (2024-)"


def test_arrests(nlp, ex):
    text = "Police arrested three ELN guerrillas in Arauca."
    r = _roles(nlp, ex, text, "arrested", "COL", "Arrests", year=2023)
    assert _n(r.actor1) == "Police Forces of Colombia (2022-)"
    assert _n(r.actor2) == "ELN: National Liberation Army"


def test_arrests_without_named_agent(nlp, ex):
    r = _roles(nlp, ex, "Two Hamas members were arrested in Hebron.", "arrested", "PSE", "Arrests")
    assert _n(r.actor2) == "Hamas Movement"
    assert r.actor1 is None or r.actor1.actor.kind in ("police", "military")


def test_country_as_subject_of_an_attack_is_its_military(nlp, ex):
    text = "Russia launched missiles at Kyiv overnight."
    r = _roles(nlp, ex, text, "launched", "UKR", "Shelling/artillery/missile attack")
    assert _n(r.actor1) == "Military Forces of Russia (2000-)"
    assert ex.inter_for(r.actor1.actor, "UKR") == 8


def test_roles_on_an_empty_trigger_are_empty(nlp, ex):
    doc = nlp("Nothing happened.")
    assert ex.roles(doc, 0, 0, [], "SYR", "Attack") == Roles()


# ------------------------------------------------------------------------------------------------
# affiliations, ambiguous acronyms, typography


def test_linked_fighters_are_the_group_and_backers_are_not(nlp, ex):
    ms = _find(nlp, ex, "Hamas-linked gunmen seized the soldier near the fence.", "PSE")
    assert [(m.text, m.actor.name) for m in ms][0] == ("Hamas-linked gunmen", "Hamas Movement")
    names = _names(_find(nlp, ex, "Iran-backed militias fired rockets at the base.", "IRQ"))
    assert not any("Iran" in n for n in names)
    assert "Unidentified Armed Group (Iraq)" in names


def test_group_members_stay_one_mention(nlp, ex):
    ms = _find(nlp, ex, "Two Taliban commanders surrendered in Helmand.", "AFG", year=2019)
    assert [(m.text, m.actor.name) for m in ms] == [("Taliban commanders", "Taliban")]


def test_ambiguous_acronym_only_in_its_home_country(nlp, ex):
    text = "One soldier KIA after shelling near the village."
    assert "KIA: Kachin Independence Army" not in _names(_find(nlp, ex, text, "UKR"))
    assert "KIA: Kachin Independence Army" in _names(_find(nlp, ex, "The KIA shelled a junta base.", "MMR"))


def test_same_acronym_read_by_event_country(nlp, ex):
    assert "Syrian National Army" in _names(_find(nlp, ex, "The SNA shelled Tal Rifaat.", "SYR"))
    names = _names(_find(nlp, ex, "The SNA shelled a camp near Jilib.", "SOM"))
    assert names[0].startswith("Military Forces of Somalia")


def test_curly_apostrophes_match(nlp, ex):
    text = "The People\u2019s Protection Units held Kobani."
    assert "YPG: People's Protection Units" in _names(_find(nlp, ex, text, "SYR"))


def test_unnamed_rebels_are_rebels_of_the_country(nlp, ex):
    assert "Rebels (Colombia)" in _names(_find(nlp, ex, "Rebels blew up a pipeline.", "COL"))
    # in Ukraine the unnamed rebels of the news are the pro-Russian separatists
    assert "Pro-Russian Separatists (Ukraine)" in _names(_find(nlp, ex, "Rebels shelled the town.", "UKR"))


# ------------------------------------------------------------------------------------------------
# roles through an event noun


def test_killed_in_a_strike_by(nlp, ex):
    text = "Six fighters were killed in an air strike by Israeli jets near Tyre."
    r = _roles(nlp, ex, text, "killed", "LBN", "Air/drone strike")
    assert _n(r.actor1) == "Military Forces of Israel (2022-)"
    assert ex.inter_for(r.actor1.actor, "LBN") == 8


def test_killed_in_clashes_with(nlp, ex):
    text = "Five rebels were killed in clashes with regime forces in Quneitra."
    r = _roles(nlp, ex, text, "killed", "SYR", "Armed clash", year=2016)
    assert _n(r.actor1) == "Military Forces of Syria (2000-)"
    assert _n(r.actor2) == "Rebels (Syria)"


def test_captured_by_linked_militants(nlp, ex):
    text = "The corporal was captured by Hezbollah-allied fighters and taken across the border."
    r = _roles(nlp, ex, text, "captured", "LBN", "Abduction/forced disappearance")
    assert _n(r.actor1) == "Hezbollah"


def test_people_of_a_country_are_civilians_unless_they_fight(nlp, ex):
    text = "Israeli forces raided the camp in Jenin, killing two Palestinians."
    r = _roles(nlp, ex, text, "raided", "PSE", "Armed clash")
    assert _n(r.actor1) == "Military Forces of Israel (2022-)"
    assert _n(r.actor2) == "Civilians (Palestine)"
    assert ex.inter_for(r.actor1.actor, "PSE") == 8
    text = "The Russians shelled Kherson again overnight."
    r = _roles(nlp, ex, text, "shelled", "UKR", "Shelling/artillery/missile attack")
    assert _n(r.actor1) == "Military Forces of Russia (2000-)"


def test_made_in_is_not_an_actor(nlp, ex):
    text = "A Russian-made missile struck a block of flats in Kharkiv."
    r = _roles(nlp, ex, text, "struck", "UKR", "Shelling/artillery/missile attack")
    assert r.actor1 is None or not r.actor1.actor.name.startswith("Military Forces of Russia")


def test_roles_name_actors_for_the_event_country_not_the_article_focus(nlp, ex):
    # mentions read with the article's main country (Syria), event located in Iraq
    text = "ISIS gunmen attacked a checkpoint near Qaim and the army repelled them."
    doc = nlp(text)
    ms = ex.find(doc, "SYR")
    start = text.index("attacked")
    r = ex.roles(doc, start, start + len("attacked"), ms, "IRQ", "Armed clash", year=2017)
    assert _n(r.actor1) == "Islamic State (Iraq)"
    start = text.index("repelled")
    r = ex.roles(doc, start, start + len("repelled"), ms, "IRQ", "Armed clash", year=2017)
    assert _n(r.actor2) == "Military Forces of Iraq (2014-)"  # the side that repelled is actor2 (ACLED)
    assert _n(r.actor1) == "Islamic State (Iraq)"
    # a force named with its country keeps it
    text = "Syrian troops shelled the border crossing."
    doc = nlp(text)
    r = ex.roles(doc, 14, 21, ex.find(doc, "SYR", year=2017), "IRQ", "Shelling/artillery/missile attack", year=2017)
    assert _n(r.actor1) == "Military Forces of Syria (2000-)"


# ------------------------------------------------------------------------------------------------
# responsibility elsewhere in the text, agreements, parenthesised acronyms


def test_claim_of_responsibility_names_the_attacker(nlp, ex):
    text = (
        "A bomb hidden in a cart went off outside a police post in Baidoa, killing two officers. "
        "The Al Shabaab group said it carried out the attack."
    )
    r = _roles(nlp, ex, text, "went off", "SOM", "Remote explosive/landmine/IED")
    assert _n(r.actor1) == "Al Shabaab"
    text = "Gunmen stormed a church in Kaya on Sunday. JNIM later claimed responsibility for the attack."
    r = _roles(nlp, ex, text, "stormed", "BFA", "Attack")
    assert _n(r.actor1) == "JNIM: Group for Support of Islam and Muslims"


def test_group_the_police_suspected(nlp, ex):
    text = "A suicide bomber killed six traders at a market in Gwoza. Police suspected Boko Haram."
    r = _roles(nlp, ex, text, "killed", "NGA", "Suicide bomb")
    assert _n(r.actor1) == "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"
    assert _n(r.actor2) == "Civilians (Nigeria)"


def test_no_claim_keeps_the_unidentified_group(nlp, ex):
    text = "Gunmen killed a chief in Zamfara. The governor condemned the attack."
    r = _roles(nlp, ex, text, "killed", "NGA", "Attack")
    assert _n(r.actor1) == "Unidentified Armed Group (Nigeria)"


def test_linked_group_as_descriptor_is_not_the_actor(nlp, ex):
    text = "Fighters of the al Qaeda-linked group JNIM seized the town of Boni."
    r = _roles(nlp, ex, text, "seized", "MLI", "Non-state actor overtakes territory")
    assert _n(r.actor1) == "JNIM: Group for Support of Islam and Muslims"


def test_agreement_has_both_parties(nlp, ex):
    text = "The army and the ELN agreed on Monday to a three-day truce in Arauca."
    r = _roles(nlp, ex, text, "agreed", "COL", "Agreement", year=2023)
    assert _n(r.actor1) == "Military Forces of Colombia (2022-)"
    assert _n(r.actor2) == "ELN: National Liberation Army"


def test_dateline_country_is_not_the_actor(nlp, ex):
    text = "BENI, Democratic Republic of Congo, March 3 (Wire) - ADF rebels attacked a farm near Beni."
    r = _roles(nlp, ex, text, "attacked", "COD", "Attack")
    assert _n(r.actor1) == "ADF: Allied Democratic Forces"


def test_unknown_organisation_gets_acled_style_acronym_name(nlp, ex):
    ms = _find(nlp, ex, "Members of the Sahel Liberation Movement (SLM) ambushed a patrol.", "NER")
    guessed = [m for m in ms if m.actor.guessed]
    assert guessed and guessed[0].actor.name == "SLM: Sahel Liberation Movement"


def test_actors_implied_by_convention_point_at_words_that_name_them(nlp, ex):
    text = "Thousands marched through Kisumu on Tuesday. Police watched as the demonstrators sang."
    r = _roles(nlp, ex, text, "marched", "KEN", "Peaceful protest")
    assert _n(r.actor1) == "Protesters (Kenya)"
    assert r.actor1.text == "demonstrators"  # named in another sentence
    r = _roles(nlp, ex, "Thousands marched through Kisumu on Tuesday.", "marched", "KEN", "Peaceful protest")
    assert _n(r.actor1) == "Protesters (Kenya)"
    assert r.actor1.text == "marched"  # nothing names them: the trigger is the evidence


# ------------------------------------------------------------------------------------------------
# agreement with gold data kept outside the project (skipped when absent); figures are floors

SHARED = Path("/work/shared/data")
PLOVER = SHARED / "plover" / "plover_gsr_cameo.json"
UCDP_SYRIA = SHARED / "ucdp" / "ucdp_ged_syria_2016_2019.csv"


def plover_agreement(nlp, ex) -> tuple[float, float]:
    """Share of PLOVER sentences whose actor1 (actor2) country is one of the source (target) codes."""
    import json
    import re

    isos = {c.alpha_3 for c in pycountry.countries}
    rows = []
    for r in json.loads(PLOVER.read_text(encoding="utf-8")):
        info = r.get("textInfo") if isinstance(r.get("textInfo"), dict) else {}
        m = re.search(r"\(EVT: ([^)]*)\)", info.get("markup", ""))
        if not m or not r.get("text") or m.group(1) not in r["text"]:
            continue
        i = r["text"].index(m.group(1))
        codes = {
            side: [a["code"][:3] for a in (r.get(side) or []) if isinstance(a, dict) and a.get("code", "")[:3] in isos]
            for side in ("source", "target")
        }
        rows.append((r["text"], i, i + len(m.group(1)), codes))
    ok = {"source": [0, 0], "target": [0, 0]}
    for doc, (_t, s, e, codes) in zip(nlp.pipe([r[0] for r in rows]), rows):
        roles = ex.roles(doc, s, e, ex.find(doc, None), None, None)
        for side, m in (("source", roles.actor1), ("target", roles.actor2)):
            if codes[side]:
                ok[side][1] += 1
                ok[side][0] += bool(m and m.actor.country in codes[side])
    return ok["source"][0] / ok["source"][1], ok["target"][0] / ok["target"][1]


@pytest.mark.skipif(not PLOVER.exists(), reason="PLOVER gold file not present under /work/shared/data")
def test_plover_source_and_target_countries(nlp, ex):
    a1, a2 = plover_agreement(nlp, ex)
    assert a1 >= 0.55, a1  # measured 0.62
    assert a2 >= 0.25, a2  # measured 0.32


def _ucdp_side(side: str, actor) -> bool:
    """Does an ACLED-style actor stand for a UCDP side name? (UCDP and ACLED name the same groups differently.)"""
    if actor is None:
        return False
    n = actor.name
    if side == "Government of Syria":
        return actor.kind in ("military", "police", "government") and actor.country == "SYR"
    if side == "IS":
        return n.startswith("Islamic State")
    if side == "SDF":
        return n.startswith(("SDF", "QSD", "YPG"))
    if side == "Syrian insurgents" or "SNA" in side:
        return actor.country == "SYR" and actor.inter == 2 and not n.startswith(("Islamic State", "SDF", "QSD", "YPG"))
    if side == "Civilians":
        return n.startswith("Civilians")
    return False


@pytest.mark.skipif(not UCDP_SYRIA.exists(), reason="UCDP GED Syria file not present under /work/shared/data")
def test_ucdp_headline_sides(nlp, ex):
    import csv
    import random

    with UCDP_SYRIA.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["source_headline"].strip()]
    random.Random(1).shuffle(rows)
    rows = rows[:400]
    found = acted = 0
    heads = [r["source_headline"].split(";;")[0][:300] for r in rows]
    for doc, r in zip(nlp.pipe(heads), rows):
        ms = ex.find(doc, "SYR", year=2017)
        sides = (r["side_a"], r["side_b"])
        found += any(_ucdp_side(s, m.actor) for s in sides for m in ms)
        root = next(iter(doc.sents)).root
        roles = ex.roles(doc, root.idx, root.idx + len(root.text), ms, "SYR", None, year=2017)
        acted += any(_ucdp_side(s, m.actor if m else None) for s in sides for m in (roles.actor1, roles.actor2))
    assert found / len(rows) >= 0.45, found / len(rows)  # a side is named in the headline (measured 0.49)
    assert acted / len(rows) >= 0.32, acted / len(rows)  # ... and is actor1 or actor2 (measured 0.38)


# ------------------------------------------------------------------------------------------------
# robustness


_WORDS = [
    "Russian", "jets", "bombed", "IS", "is", "the", "army", "police", "gunmen", "killed", "by", "on", "and",
    "Hamas-linked", "militants", "Syria's", "protesters", "clashes", "between", "SDF", "(", ")", ",", ".", "’s",
    "Islamic", "State", "Liberation", "Front", "were", "shelled", "Congolese", "troops", "civilians", "KIA", "\n",
]  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=25), cut=st.integers(0, 200))
def test_find_and_roles_never_fail_and_keep_offsets(nlp, ex, words, cut):
    text = " ".join(words)
    doc = nlp(text)
    ms = ex.find(doc, "SYR")
    for m in ms:
        assert text[m.start : m.end] == m.text and m.start < m.end
    r = ex.roles(doc, min(cut, len(text)), min(cut + 6, len(text)), ms, "SYR", "Attack")
    for m in (r.actor1, r.actor2, r.assoc_actor_1, r.assoc_actor_2):
        if m is not None:
            assert text[m.start : m.end] == m.text


def test_territory_sub_types_fix_who_took_the_ground(nlp, ex):
    text = "The town of Kidal fell to the army after rebels withdrew."
    r = _roles(nlp, ex, text, "fell", "MLI", "Government regains territory")
    assert _n(r.actor1) == "Military Forces of Mali (2021-)"
    text = "Soldiers abandoned the base at Boni to JNIM fighters."
    r = _roles(nlp, ex, text, "abandoned", "MLI", "Non-state actor overtakes territory")
    assert _n(r.actor1) == "JNIM: Group for Support of Islam and Muslims"
    assert _n(r.actor2) == "Military Forces of Mali (2021-)"


def test_claimant_in_the_same_sentence_is_actor1_and_victims_are_civilians(nlp, ex):
    text = "At least nine people died when a car bomb went off near a bakery in Galkayo; al-Shabaab claimed the attack."
    r = _roles(nlp, ex, text, "went off", "SOM", "Remote explosive/landmine/IED")
    assert _n(r.actor1) == "Al Shabaab"
    assert _n(r.actor2) == "Civilians (Somalia)"


def test_protesting_villagers_are_not_an_associated_actor(nlp, ex):
    text = "Hundreds of villagers blocked the highway near Ludhiana to protest against the land law."
    r = _roles(nlp, ex, text, "blocked", "IND", "Peaceful protest")
    assert _n(r.actor1) == "Protesters (India)"
    assert r.assoc_actor_1 is None and r.actor2 is None


def test_excessive_force_keeps_the_protesters_as_actor1():
    # ACLED's protest events always start with the protesters; the force that fired on them is actor2
    from fieldreport.schema.records import Article
    from fieldreport.assemble.pipeline import Pipeline

    text = "On 4 May 2024, police opened live fire on demonstrators in Nairobi, killing at least five protesters."
    (rec,) = Pipeline.default().extract(Article(id="ef", text=text))
    assert rec.sub_event_type == "Excessive force against protesters"
    assert rec.actor1 == "Protesters (Kenya)" and rec.actor2.startswith("Police Forces of Kenya")
    assert rec.inter1 == 6 and rec.inter2 == 1


# ------------------------------------------------------------------------------------------------
# issue 10: names as ACLED writes them (sentences written for these tests)


@pytest.mark.parametrize(
    ("text", "iso3", "name"),
    [
        ("Military police officers raided a favela in Recife overnight.", "BRA",
         "Military Forces of Brazil (2023-) Military Police"),
        ("Civil police agents detained the suspect in Manaus.", "BRA", "Police Forces of Brazil (2023-) Civil Police"),
        ("Gendarmes stopped the convoy outside Zinder.", "NER", "Military Forces of Niger (2023-) Gendarmerie"),
        ("Gendarmes stopped the convoy outside Parakou.", "BEN", "Police Forces of Benin (2016-) Gendarmerie"),
        ("Customs officers seized two rifles at the crossing.", "BEN", "Police Forces of Benin (2016-) Customs"),
        ("Forest guards were ambushed in the reserve.", "BEN", "Police Forces of Benin (2016-) Forest Guards"),
        ("State police officers exchanged fire with a cell in Tabasco.", "MEX",
         "Police Forces of Mexico (2024-) State Police"),
    ],
)  # fmt: skip
def test_sub_units_are_written_after_the_state(nlp, ex, text, iso3, name):
    assert name in _names(_find(nlp, ex, text, iso3))


def test_unit_words_restricted_to_their_countries_name_the_plain_force(nlp, ex):
    # "state police" is a unit only where the codebook has one; elsewhere it is the police
    assert _names(_find(nlp, ex, "State police officers guarded the court.", "KEN")) == [
        "Police Forces of Kenya (2022-)"
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Houthi troops shelled a district west of Taiz.", "Military Forces of Yemen (2017-) Houthi"),
        ("The Popular Mobilization Forces set up a checkpoint.", "Military Forces of Iraq (2022-) Popular Mobilization Forces"),
        ("A CRPF patrol was attacked in Sukma.", "Police Forces of India (2014-) Central Reserve Police Force"),
    ],
)  # fmt: skip
def test_de_facto_authorities_and_named_units_of_one_state(nlp, ex, text, name):
    assert name in _names(_find(nlp, ex, text))


def test_air_and_drone_strikes_of_the_war_states_go_to_their_air_force(nlp, ex):
    r = _roles(nlp, ex, "Ukrainian forces struck a depot in Kursk region with six drones.", "struck", "RUS",
               "Air/drone strike")  # fmt: skip
    assert _n(r.actor1) == "Military Forces of Ukraine (2019-) Air Force"
    # elsewhere the same kind of strike keeps the plain name
    r = _roles(nlp, ex, "Turkish warplanes struck positions near Qandil in Iraq.", "struck", "IRQ", "Air/drone strike")
    assert _n(r.actor1) == "Military Forces of Turkey (2016-)"


def test_intercepted_drones_name_their_side_or_an_unknown_military(nlp, ex):
    text = "Russian air defence units shot down three Ukrainian drones over Bryansk region."
    r = _roles(nlp, ex, text, "shot down", "RUS", "Disrupted weapons use")
    assert _n(r.actor1) == "Military Forces of Russia (2000-)"
    assert _n(r.actor2) == "Military Forces of Ukraine (2019-) Air Force"
    r = _roles(nlp, ex, "Russian troops shot down two drones over Tula region.", "shot down", "RUS",
               "Disrupted weapons use")  # fmt: skip
    assert _n(r.actor2) == "Unidentified Military Forces"


def test_remote_violence_victims_named_in_a_later_sentence_are_civilians(nlp, ex):
    text = "Israeli aircraft bombed a street in Khan Younis on Monday. Medics said three civilians died."
    r = _roles(nlp, ex, text, "bombed", "PSE", "Air/drone strike")
    assert _n(r.actor2) == "Civilians (Palestine)"
    text = "Israeli aircraft bombed a street in Khan Younis on Monday, leaving four dead."
    assert _n(_roles(nlp, ex, text, "bombed", "PSE", "Air/drone strike").actor2) == "Civilians (Palestine)"
    text = "Israeli aircraft bombed a street in Khan Younis on Monday. No casualties were reported."
    assert _roles(nlp, ex, text, "bombed", "PSE", "Air/drone strike").actor2 is None


def test_unnamed_attackers_in_organised_crime_are_a_gang(nlp, ex):
    text = "Two armed men on a motorbike shot dead a shopkeeper in Morelia in a drive-by on Friday."
    assert _n(_roles(nlp, ex, text, "shot dead", "MEX", "Attack").actor1) == "Unidentified Gang (Mexico)"
    text = "Suspected drug traffickers shot dead a shopkeeper in Morelia on Friday."
    assert _n(_roles(nlp, ex, text, "shot dead", "MEX", "Attack").actor1) == "Unidentified Gang (Mexico)"
    # where the codebook cannot tell a gang from a police militia, the joint name
    text = "Two armed men on a motorbike shot dead a trader in Belem in a drive-by on Friday."
    assert _n(_roles(nlp, ex, text, "shot dead", "BRA", "Attack").actor1) == "Unidentified Gang and/or Police Militia"
    # nothing criminal said: an unidentified armed group
    text = "Two armed men shot dead a shopkeeper in Morelia on Friday."
    assert _n(_roles(nlp, ex, text, "shot dead", "MEX", "Attack").actor1) == "Unidentified Armed Group (Mexico)"


def test_villagers_and_farmers_who_attack_are_a_communal_militia(nlp, ex):
    text = "Farmers armed with machetes attacked a herders' camp near Nikki, burning huts."
    r = _roles(nlp, ex, text, "attacked", "BEN", "Attack")
    assert _n(r.actor1) == "Unidentified Communal Militia (Benin)" and r.actor1.actor.inter == 4
    assert _n(r.assoc_actor_1) == "Farmers (Benin)"
    assert _n(r.actor2) == "Civilians (Benin)"
    text = "Youths from Kpako attacked a herders' camp near Nikki at dawn."
    assert _n(_roles(nlp, ex, text, "attacked", "BEN", "Attack").actor1) == "Kpako Communal Militia (Benin)"
    text = "A group of herders attacked and wounded a farmer near Segbana."
    r = _roles(nlp, ex, text, "attacked", "BEN", "Attack")
    assert _n(r.actor1) == "Unidentified Ethnic Militia (Benin)" and _n(r.assoc_actor_1) == "Pastoralists (Benin)"
    # the same people as victims stay civilians
    text = "Gunmen attacked farmers in their fields near Segbana."
    assert _n(_roles(nlp, ex, text, "attacked", "BEN", "Attack").actor2) == "Civilians (Benin)"


def test_destroyed_property_has_civilians_as_actor2(nlp, ex):
    text = "Villagers from Toko set fire to a herders' granary near Tchaourou."
    r = _roles(nlp, ex, text, "set fire", "BEN", "Looting/property destruction")
    assert _n(r.actor1) == "Toko Communal Militia (Benin)" and _n(r.actor2) == "Civilians (Benin)"


def test_a_label_trigger_takes_the_subject_that_follows_as_actor1(nlp, ex):
    # the trigger only names the event; the clause after it says who acted
    text = "Looting: on Tuesday night, JNIM fighters took forty cattle from herders near Karimama."
    r = _roles(nlp, ex, text, "Looting", "BEN", "Looting/property destruction")
    assert _n(r.actor1) == "JNIM: Group for Support of Islam and Muslims"
    assert _n(r.actor2) == "Civilians (Benin)"


def test_rioters_fighting_rioters_and_riot_police(nlp, ex):
    text = "Young men of two rival quarters clashed with sticks and stones in Djougou, leaving six hurt."
    r = _roles(nlp, ex, text, "clashed", "BEN", "Mob violence")
    assert _n(r.actor1) == "Rioters (Benin)" and _n(r.actor2) == "Rioters (Benin)"
    text = "A mob beat a suspected thief to death in a market in Parakou."
    assert _n(_roles(nlp, ex, text, "beat", "BEN", "Mob violence").actor2) == "Civilians (Benin)"
    text = "Demonstrators set a tax office on fire in Save. Gendarmes later restored order."
    r = _roles(nlp, ex, text, "set", "BEN", "Violent demonstration")
    assert _n(r.actor1) == "Rioters (Benin)" and _n(r.actor2) == "Police Forces of Benin (2016-) Gendarmerie"


def test_a_group_that_became_the_authorities_is_named_so_from_that_year(nlp, ex):
    text = "Taliban fighters raided a village in Kunar."
    assert _names(_find(nlp, ex, text, "AFG", year=2019)) == ["Taliban"]
    assert _names(_find(nlp, ex, text, "AFG", year=2023)) == ["Military Forces of Afghanistan (2021-)"]
    assert _names(_find(nlp, ex, text, "PAK", year=2023)) == ["TTP: Tehreek-i-Taliban Pakistan"]
    text = "DPR forces shelled a village near Donetsk."
    assert _names(_find(nlp, ex, text, "UKR", year=2016))[0] == "DPR: Donetsk People's Republic"
    assert _names(_find(nlp, ex, text, "UKR", year=2024))[0] == "Military Forces of Russia (2000-) Donetsk People's Militia"


def test_words_local_to_one_country_name_its_group_only_there(nlp, ex):
    text = "Leftist rebels ambushed an army patrol."
    assert "NPA: New People's Army" in _names(_find(nlp, ex, text, "PHL"))
    assert "NPA: New People's Army" not in _names(_find(nlp, ex, text, "COL"))


def test_unnamed_baloch_separatists_and_pakistan_groups(nlp, ex):
    assert _names(_find(nlp, ex, "Baloch militants attacked a checkpoint in Turbat.", "PAK")) == [
        "Baloch Separatists (Pakistan)"
    ]
    assert "BRA: Baloch Republican Army" in _names(_find(nlp, ex, "The BRA claimed the blast in Dera Bugti.", "PAK"))


def test_victims_of_a_headline_participle_are_actor2(nlp, ex):
    # "six soldiers killed in shelling": headline English drops the auxiliary; the soldiers were hit
    r = _roles(nlp, ex, "Four Indian soldiers killed in shelling.", "shelling", "IND",
               "Shelling/artillery/missile attack")  # fmt: skip
    assert r.actor1 is None or _n(r.actor1) != "Military Forces of India (2014-)"
    assert _n(r.actor2) == "Military Forces of India (2014-)"


def test_a_states_fire_is_its_military(nlp, ex):
    ms = _find(nlp, ex, "Three villagers were killed by Pakistani firing near the border.", "IND")
    assert ("Pakistani firing", "Military Forces of Pakistan (2024-)") in [(m.text, m.actor.name) for m in ms]


def test_a_verbless_sentence_with_an_air_weapon_is_read_in_bounded_time(nlp):
    """A headline-like sentence with no verb ("Russian drone strike on Kharkiv.") once sent the air-force
    rule walking up to the sentence root forever (spaCy makes a new Token on every .head)."""
    import signal

    from fieldreport.extract.actors import default_extractor

    ax = default_extractor()
    doc = nlp("Russian drone strike on Kharkiv.")

    def boom(*_):
        raise TimeoutError("the air-weapon rule did not finish")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(20)
    try:
        assert ax._air_weapon_in_clause(doc, doc[0:1]) in (True, False)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# ------------------------------------------------------------------------------------------------
# Sides as ACLED codes them: the attacker first, across sentences


def test_the_side_that_repelled_an_attack_is_actor2(nlp, ex):
    text = "Gunmen stormed a border post near Kalale on Friday and were repelled by the gendarmerie."
    r = _roles(nlp, ex, text, "repelled", "BEN", "Armed clash", 2021)
    assert _n(r.actor1) == "Unidentified Armed Group (Benin)"
    assert _n(r.actor2) is not None and _n(r.actor2).startswith("Police Forces of Benin")


def test_a_repelled_attack_takes_its_attacker_from_the_sentence_before(nlp, ex):
    text = "Rebels of the M23 raided a camp at dawn. Congolese soldiers repulsed the assault after an hour."
    r = _roles(nlp, ex, text, "repulsed", "COD", "Armed clash", 2022)
    assert _n(r.actor1) == "M23: March 23 Movement"  # the named group before the generic word
    assert _n(r.actor2) == "Military Forces of the Democratic Republic of Congo (2019-)"


def test_pushing_forward_is_not_a_defence(nlp, ex):
    text = "Russian troops pushed into the village of Robotyne on Tuesday."
    r = _roles(nlp, ex, text, "pushed", "UKR", "Armed clash", 2023)
    assert _n(r.actor1) == "Military Forces of Russia (2000-)"


def test_a_pronoun_subject_takes_the_side_named_in_the_sentence_before(nlp, ex):
    text = "Al Shabaab fighters entered the town of Afgoye overnight. They exchanged fire with Somali troops for hours."
    r = _roles(nlp, ex, text, "exchanged fire", "SOM", "Armed clash", 2023)
    assert _n(r.actor1) == "Al Shabaab"
    assert _n(r.actor2) is not None and _n(r.actor2).startswith("Military Forces of Somalia")


def test_a_side_supported_by_others_that_clashed_is_not_a_victim(nlp, ex):
    text = "Sudanese army units, backed by allied fighters, clashed with the RSF near Omdurman."
    r = _roles(nlp, ex, text, "clashed", "SDN", "Armed clash", 2024)
    assert _n(r.actor1) == "Military Forces of Sudan (2019-)"
    assert _n(r.actor2) is not None and "Rapid Support Forces" in _n(r.actor2)


def test_a_states_drones_called_uavs_are_its_military(nlp, ex):
    ms = _find(nlp, ex, "A Turkish UAV hit a vehicle near Qamishli.", "SYR", 2024)
    assert "Military Forces of Turkey (2016-)" in _names(ms)


def test_two_groups_a_report_cannot_tell_apart_are_one_joint_actor(nlp, ex):
    ms = _find(nlp, ex, "Fishermen on Lake Chad were seized by Boko Haram or ISWAP fighters on Monday.", "TCD", 2024)
    joint = "Islamic State (West Africa) and/or Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"
    assert joint in _names(ms)  # the order the dataset fixed for the pair, whatever the text's order
    ms = _find(nlp, ex, "Soldiers found a mine laid by IS Sahel/JNIM near Kompienga.", "BFA", 2024)
    assert "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Sahel)" in _names(ms)
    # both groups together are not a joint actor
    ms = _find(nlp, ex, "Al Shabaab and ISIS fighters were both active near Bosaso.", "SOM", 2024)
    assert not any("and/or" in n for n in _names(ms))


def test_pirates_are_named_by_the_coast_they_attack_from(nlp, ex):
    r = _roles(nlp, ex, "Sea pirates boarded an oil tanker off Lome and kidnapped six sailors.", "kidnapped", "TGO",
               "Abduction/forced disappearance")  # fmt: skip
    assert _n(r.actor1) == "Pirates (Togo)"
    assert r.actor1.actor.inter == 3


def test_a_peoples_herders_or_farmers_attacking_are_its_militia_and_attacked_are_civilians(nlp, ex):
    r = _roles(nlp, ex, "Fulani pastoralists hacked a farmer to death near Nikki.", "hacked", "BEN", "Attack", 2021)
    assert _n(r.actor1) == "Fulani Ethnic Militia (Benin)"
    r = _roles(nlp, ex, "Unknown gunmen shot two Fulani pastoralists near Kalale.", "shot", "BEN", "Attack", 2021)
    assert _n(r.actor2) == "Civilians (Benin)"
    r = _roles(nlp, ex, "A crowd of farmers beat a Fulani herder in the market of Kandi.", "beat", "BEN",
               "Mob violence", 2021)  # fmt: skip
    assert _n(r.actor2) == "Civilians (Benin)"
    ms = _find(nlp, ex, "On Sunday, Lobi farmers armed with bows ambushed a patrol.", "BFA", 2021)
    assert "Lobi Ethnic Militia (Burkina Faso)" in _names(ms)
    # "Women farmers" at the head of a sentence are no people
    ms = _find(nlp, ex, "Women farmers marched to the prefecture.", "BFA", 2021)
    assert not any("Ethnic Militia" in n for n in _names(ms))


def test_a_groups_own_activity_makes_it_actor1(nlp, ex):
    text = "Dozens of fighters of an unidentified armed group were spotted on motorbikes near Segbana."
    r = _roles(nlp, ex, text, "spotted", "BEN", "Change to group/activity", 2022)
    assert _n(r.actor1) == "Unidentified Armed Group (Benin)" and r.actor2 is None


def test_a_security_measure_with_no_side_named_is_the_governments(nlp, ex):
    text = "A night curfew was imposed on the district of Banikoara after the attacks."
    r = _roles(nlp, ex, text, "curfew", "BEN", "Other", 2022)
    assert _n(r.actor1) == "Government of Benin (2016-)"
    r = _roles(nlp, ex, "Refugees crossed into Niger from the north.", "crossed", "NER", "Other", 2022)
    assert r.actor1 is None or _n(r.actor1) != "Government of Niger (2021-)"


def test_park_rangers_are_forest_guards(nlp, ex):
    ms = _find(nlp, ex, "Rangers exchanged fire with poachers inside the park.", "BEN", 2021)
    assert any(n.startswith("Police Forces of Benin") and n.endswith("Forest Guards") for n in _names(ms))


def test_a_coders_statement_after_a_generic_word_names_the_actor(nlp, ex):
    ms = _find(nlp, ex, "Unknown militants (coded as TTP) ambushed a police van near Bannu.", "PAK", 2024)
    assert "TTP: Tehreek-i-Taliban Pakistan" in _names(ms)
    assert "Unidentified Armed Group (Pakistan)" not in _names(ms)
    ms = _find(nlp, ex, "Gunmen [coded as Kordofan communal militia] raided a market.", "SDN", 2024)
    m = next(m for m in ms if m.text == "Gunmen")
    assert m.actor.name == "Kordofan Communal Militia (Sudan)" and m.actor.inter == 4


def test_the_side_that_fired_back_is_actor2(nlp, ex):
    text = "Bandits ambushed a patrol near Gusau and the police fired back."
    r = _roles(nlp, ex, text, "fired back", "NGA", "Armed clash", 2024)
    assert _n(r.actor1) == "Unidentified Armed Group (Nigeria)"
    assert _n(r.actor2) == "Police Forces of Nigeria (2023-)"


def test_both_sides_exchanging_fire_are_the_two_sides_named_before(nlp, ex):
    text = "The army raided a camp of the Arakan Army and both sides then exchanged fire for an hour."
    r = _roles(nlp, ex, text, "exchanged fire", "MMR", "Armed clash", 2024)
    assert _n(r.actor1) == "Military Forces of Myanmar (2021-)"
    assert _n(r.actor2) == "ULA/AA: United League of Arakan/Arakan Army"


def test_a_headline_takes_its_sides_from_the_lead_sentence(nlp, ex):
    text = ("Shelling hits market in Kherson\n\nKHERSON, March 3 (Example Wire) - Russian artillery struck a covered "
            "market in the city on Friday, killing two vendors, the regional governor said.")
    r = _roles(nlp, ex, text, "Shelling", "UKR", "Shelling/artillery/missile attack", 2024)
    assert _n(r.actor1) is not None and _n(r.actor1).startswith("Military Forces of Russia (2000-)")


def test_unnamed_separatists_are_the_countrys_rebels_outside_ukraine(nlp, ex):
    assert "Rebels (Mali)" in _names(_find(nlp, ex, "Separatist rebels withdrew from Kidal.", "MLI", 2023))
    assert "Pro-Russian Separatists (Ukraine)" in _names(_find(nlp, ex, "Separatists shelled Avdiivka.", "UKR", 2015))


def test_the_side_that_planted_a_bomb_is_actor1_and_the_side_that_hit_it_actor2(nlp, ex):
    text = "A Malian army truck hit a mine planted by JNIM fighters near Boni, wounding three soldiers."
    r = _roles(nlp, ex, text, "mine", "MLI", "Remote explosive/landmine/IED", 2023)
    assert _n(r.actor1) == "JNIM: Group for Support of Islam and Muslims"
    assert _n(r.actor2) == "Military Forces of Mali (2021-)"


def test_security_forces_policing_a_crowd_are_the_police(nlp, ex):
    text = "Youths burned tyres in Porto-Novo and security forces dispersed them with tear gas."
    r = _roles(nlp, ex, text, "burned", "BEN", "Violent demonstration", 2021)
    assert _n(r.actor2) is not None and _n(r.actor2).startswith("Police Forces of Benin")
    r = _roles(nlp, ex, "Security forces clashed with JNIM militants near Karimama.", "clashed", "BEN", "Armed clash")
    assert _n(r.actor1) is not None and _n(r.actor1).startswith("Military Forces of Benin")


def test_attackers_killed_in_the_clash_that_followed_stay_actor1(nlp, ex):
    text = "Al Shabaab fighters stormed a police station in Jowhar. Four Al Shabaab fighters died in the ensuing clash."
    r = _roles(nlp, ex, text, "clash", "SOM", "Armed clash", 2024)
    assert _n(r.actor1) == "Al Shabaab"
    assert _n(r.actor2) is not None and _n(r.actor2).startswith("Police Forces of Somalia")


def test_the_force_named_in_a_counter_claim_is_not_actor1(nlp, ex):
    text = ("A drone strike hit a crowded market in Kostiantynivka on Sunday, killing five civilians, local officials "
            "said. Russia's defence ministry said Ukrainian forces had shelled the market themselves.")
    r = _roles(nlp, ex, text, "drone strike", "UKR", "Air/drone strike", 2024)
    assert r.actor1 is None or "Ukraine" not in _n(r.actor1)
    assert _n(r.actor2) == "Civilians (Ukraine)"


def test_victims_read_for_another_country_of_the_article_are_named_for_the_events(nlp, ex):
    text = "A missile hit a school in Kharkiv, killing two civilians."
    doc = nlp(text)
    ms = ex.find(doc, "RUS", 2024)  # the article's focus was another country
    s = text.index("missile")
    r = ex.roles(doc, s, s + len("missile"), ms, "UKR", "Shelling/artillery/missile attack", 2024)
    assert _n(r.actor2) == "Civilians (Ukraine)"


def test_weapons_shot_down_in_a_two_state_war_are_the_other_states(nlp, ex):
    text = "Ukrainian air defence units shot down 14 drones over the Odesa region overnight."
    r = _roles(nlp, ex, text, "shot down", "UKR", "Disrupted weapons use", 2024)
    assert _n(r.actor2) == "Military Forces of Russia (2000-) Air Force"
    r = _roles(nlp, ex, "Soldiers shot down two drones near Goma.", "shot down", "COD", "Disrupted weapons use", 2024)
    assert _n(r.actor2) == "Unidentified Military Forces"


def test_fighting_among_one_kind_of_side_puts_it_on_both_sides(nlp, ex):
    r = _roles(nlp, ex, "Clashes broke out among unknown gunmen in the town of Tafas.", "Clashes", "SYR", "Armed clash")
    assert _n(r.actor1) == _n(r.actor2) == "Unidentified Armed Group (Syria)"


def test_islamist_militia_in_cabo_delgado_is_its_own_actor(nlp, ex):
    ms = _find(nlp, ex, "Islamist militants raided a village near Macomia.", "MOZ", 2024)
    assert "Islamist Militia (Mozambique)" in _names(ms)
    ms = _find(nlp, ex, "Islamist militants raided a village near Mopti.", "MLI", 2024)
    assert not any("Ethnic Militia" in n or "Mozambique" in n for n in _names(ms))


def test_herders_armed_with_machetes_who_attack_are_a_militia_even_when_the_parse_strays(nlp, ex):
    text = "On Monday, a group of herders armed with clubs and machetes attacked and badly wounded a farmer near Nikki."
    r = _roles(nlp, ex, text, "attacked", "BEN", "Attack", 2021)
    assert _n(r.actor1) == "Unidentified Ethnic Militia (Benin)"
    assert _n(r.actor2) == "Civilians (Benin)"
    # villagers named before the trigger as its victims stay victims
    r = _roles(nlp, ex, "Villagers were attacked by gunmen near Kandi.", "attacked", "BEN", "Attack", 2021)
    assert _n(r.actor1) == "Unidentified Armed Group (Benin)"


def test_an_unknown_acronym_acting_as_a_side_is_kept(nlp, ex):
    ms = _find(nlp, ex, "On Friday, the KLFX clashed with Congolese troops near Beni.", "COD", 2024)
    m = next((m for m in ms if m.text == "KLFX"), None)
    assert m is not None and m.actor.guessed and m.actor.inter == 3
    ms = _find(nlp, ex, "Gunmen clashed with troops near Beni, the UN said.", "COD", 2024)
    assert "UN" not in [m.text for m in ms]


def test_a_suspect_named_in_brackets_after_generic_attackers_is_the_actor(nlp, ex):
    ms = _find(nlp, ex, "A band of gunmen (Ansaroul Islam is suspected) burned the town hall of Djibo.", "BFA", 2022)
    assert _names(ms)[0] == "Ansaroul Islam"
    ms = _find(nlp, ex, "Attackers (likely JNIM) ambushed a convoy near Boni.", "MLI", 2022)
    assert _names(ms)[0] == "JNIM: Group for Support of Islam and Muslims"


def test_a_security_measure_keeps_the_government_first_even_when_a_group_is_named(nlp, ex):
    text = "Security measures: park officials decided to expel all herders from the reserve."
    r = _roles(nlp, ex, text, "Security measures", "BEN", "Change to group/activity", 2022)
    assert _n(r.actor1) == "Government of Benin (2016-)"


def test_a_state_force_named_in_a_security_measure_is_actor1(nlp, ex):
    text = "Security measures: the home of an opposition leader was cordoned off by gendarmes in Porto-Novo."
    r = _roles(nlp, ex, text, "Security measures", "BEN", "Change to group/activity", 2021)
    assert _n(r.actor1) == "Police Forces of Benin (2016-) Gendarmerie"


def test_partisans_who_clash_are_a_communal_militia(nlp, ex):
    r = _roles(nlp, ex, "Partisans of two rival chiefs clashed with machetes near Bante.", "clashed", "BEN",
               "Armed clash", 2021)  # fmt: skip
    assert _n(r.actor1) == "Unidentified Communal Militia (Benin)"


@pytest.mark.parametrize("opening", ["KANDI, March 3 (Test Wire) - ", "KANDI (Test Wire) - ", "KANDI - "])
def test_a_dateline_in_capitals_is_no_unknown_group(pipeline, opening):
    # Written for this test: the dateline's town is spelled in capitals like an acronym and the small
    # parser makes it the subject of the lead's verb; it is a place, never a guessed armed group.
    text = opening + "Gunmen attacked a police post near the town on Sunday, killing two officers, residents said."
    from fieldreport import Article

    recs = pipeline.extract(Article(id="t", text=text, published="2024-03-03"))
    assert recs and all("KANDI" not in (r.actor1 or "") and "KANDI" not in (r.actor2 or "") for r in recs)


def test_a_datelines_capitals_are_no_actor(nlp, ex):
    ms = _find(nlp, ex, "NIAMEY, May 3 (Example Wire) - Gunmen clashed with soldiers near Ayorou.", "NER", 2024)
    assert "NIAMEY" not in [m.text for m in ms]
