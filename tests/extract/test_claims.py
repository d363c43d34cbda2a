"""Says who: claimants, hedges, fields and the party test. Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from fieldreport.extract.claims import find_claims, is_party, normalise_claimant
from fieldreport.schema.records import Actor, ActorMention, Claim


@pytest.fixture(scope="module")
def nlp():
    from fieldreport.text.nlp import load_nlp

    return load_nlp()


def mention(text: str, words: str, actor: Actor, nth: int = 0) -> ActorMention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return ActorMention(start=start, end=start + len(words), text=words, actor=actor)


TALIBAN = Actor(name="Taliban", inter=2, kind="rebel")
RUSSIA_MIL = Actor(name="Military Forces of Russia (2000-)", inter=1, country="RUS", kind="military")


def claims(nlp, text: str, mentions: list[ActorMention] | None = None) -> list[Claim]:
    return find_claims(nlp(text), mentions or [])


def test_ministry_of_defence_in_three_spellings_is_one_claimant(nlp) -> None:
    text = (
        "Russian jets destroyed four tanks near the town, the Russian defence ministry said on Friday. "
        "Russia's Ministry of Defence added that 30 militants had been killed. "
        "The ministry said its aircraft had returned safely."
    )
    got = claims(nlp, text, [mention(text, "Russian jets", RUSSIA_MIL)])
    assert len(got) == 3
    for c in got:
        assert c.claimant == "Russian Ministry of Defence"
        assert c.claimant_country == "RUS"
        assert c.claimant_kind == "military"
        assert c.claimant_actor == "Military Forces of Russia (2000-)"  # the article's own actor name
        assert c.claimant_party is False  # set by the pipeline
    assert "materiel" in got[0].fields
    assert got[1].fields == ["fatalities"]
    assert got[2].fields == ["event"]


def test_military_actor_by_rule_when_the_article_names_none() -> None:
    got = normalise_claimant("the Ukrainian defence ministry")
    assert got["claimant"] == "Ukrainian Ministry of Defence"
    assert got["claimant_actor"] == "Military Forces of Ukraine"


def test_armed_group_speaks_for_itself(nlp) -> None:
    text = "The Taliban said their fighters killed 12 soldiers at a checkpoint in the valley."
    got = claims(nlp, text, [mention(text, "Taliban", TALIBAN)])
    assert len(got) == 1
    c = got[0]
    assert (c.claimant, c.claimant_kind, c.claimant_actor, c.claimant_country) == ("Taliban", "armed_group", "Taliban", None)
    assert c.fields == ["fatalities"]


@pytest.mark.parametrize(
    "text,claimant,kind",
    [
        ("At least 15 civilians died in the raids, according to the Syrian Observatory for Human Rights.", "Syrian Observatory for Human Rights", "ngo"),
        ("SOHR said 9 fighters were killed in the clashes.", "Syrian Observatory for Human Rights", "ngo"),
        ("Witnesses said the police fired tear gas at the crowd.", "witnesses", "witness"),
        ("The UN said some 3,000 families had fled the district.", "United Nations", "un"),
        ("Two soldiers were wounded in the blast, Reuters reported.", "Reuters", "media"),
        ("The Syrian army said it had retaken the hill.", "Syrian military", "military"),
        ("Seven people were killed, police said.", "police", "police"),
    ],
)
def test_claimant_kinds(nlp, text: str, claimant: str, kind: str) -> None:
    got = claims(nlp, text)
    assert got, text
    assert (got[0].claimant, got[0].claimant_kind) == (claimant, kind)


def test_pronoun_speaker_is_the_previous_claimant(nlp) -> None:
    text = 'Amnesty International said the strike hit a clinic. "Three nurses died," it said.'
    got = claims(nlp, text)
    assert [c.claimant for c in got] == ["Amnesty International", "Amnesty International"]
    assert got[1].fields == ["fatalities"]


@pytest.mark.parametrize(
    "text",
    [
        "Rebels reportedly seized the airport, a local official said.",
        "The group claimed it had shot down a helicopter.",
        "The ministry said 40 fighters were killed. The figure could not be independently verified.",
        "Activists said the attackers allegedly used chlorine.",
    ],
)
def test_hedges(nlp, text: str) -> None:
    got = claims(nlp, text)
    assert got and got[0].hedged


def test_plain_claim_is_not_hedged(nlp) -> None:
    got = claims(nlp, "Seven people were killed in the blast, police said.")
    assert got and not got[0].hedged


def test_claim_span_covers_clause_and_attribution(nlp) -> None:
    text = "Fighting went on all night. The army said 20 insurgents were killed near the dam."
    got = claims(nlp, text)
    assert len(got) == 1
    span = text[got[0].start : got[0].end]
    assert "The army said" in span and "20 insurgents were killed" in span
    assert "Fighting" not in span


def test_no_claim_without_attribution(nlp) -> None:
    assert claims(nlp, "Gunmen attacked a bus on the highway, killing four passengers.") == []


# ----------------------------------------------------------------------------------------------
# is_party


def _claim(**kw) -> Claim:
    base = dict(claimant="x", start=0, end=1)
    base.update(kw)
    return Claim(**base)  # type: ignore[arg-type]


def test_is_party_by_actor_name() -> None:
    c = _claim(claimant="Taliban", claimant_kind="armed_group", claimant_actor="Taliban")
    assert is_party(c, ["Taliban", "Military Forces of Afghanistan (2014-2021)"], [None, "AFG"])
    assert not is_party(c, ["Islamic State (Afghanistan)"], [None])


def test_is_party_by_state_country() -> None:
    c = _claim(claimant="Russian Ministry of Defence", claimant_kind="military", claimant_country="RUS", claimant_actor="Military Forces of Russia")
    # years in brackets do not matter
    assert is_party(c, ["Military Forces of Russia (2000-)"], ["RUS"])
    assert is_party(c, ["Some Other Name"], ["RUS"])
    assert not is_party(c, ["Military Forces of Ukraine (2019-)"], ["UKR"])


def test_ngos_media_and_witnesses_are_never_parties() -> None:
    for kind in ("ngo", "media", "witness", "un"):
        c = _claim(claimant="someone", claimant_kind=kind, claimant_country=None)
        assert not is_party(c, ["Military Forces of Syria (2000-)"], ["SYR"])
