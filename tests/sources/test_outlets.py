"""The outlet registry (data/outlets/outlets.yaml) and who speaks for whom: look-ups, ties, party logic,
corroboration by voices, and the `fieldreport outlets` command."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from fieldreport.apps.cli import app
from fieldreport.events.grouping import build_event
from fieldreport.extract.actors import ActorDictionary, ActorExtractor
from fieldreport.extract.claims import attribute_to, is_party, names_own_forces, normalise_claimant
from fieldreport.schema.records import Article, Claim, ClaimOut, EventRecord
from fieldreport.sources.outlets import (
    KINDS,
    SCALES,
    OutletRegistry,
    _norm,
    combine_scales,
    default_registry,
    tie_keys,
    tied_to_claimant,
)

runner = CliRunner()


@pytest.fixture(scope="module")
def reg() -> OutletRegistry:
    return OutletRegistry.load(use_env=False)


# ---------------------------------------------------------------------------------------------
# The data


def test_registry_is_large_and_well_formed(reg: OutletRegistry) -> None:
    assert len(reg) >= 500
    kinds = {o.kind for o in reg.outlets}
    assert kinds == set(KINDS)  # every kind is used
    assert all(o.scale in SCALES for o in reg.outlets)
    for o in reg.outlets:
        if o.kind == "state":
            assert o.state, o.name  # state media of which state
        if o.kind == "party":
            assert o.party, o.name  # party media of which party


def test_no_name_alias_or_domain_stands_for_two_outlets(reg: OutletRegistry) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for o in reg.outlets:
        for s in (o.name, *o.aliases):
            seen[_norm(s)].add(o.name)
        for d in o.domains:
            seen["domain:" + d].add(o.name)
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_parties_are_actors_of_the_dictionary(reg: OutletRegistry) -> None:
    ex = ActorExtractor(ActorDictionary.load(use_env=False))
    unknown = []
    for party in sorted({o.party for o in reg.outlets if o.party}):
        if party not in {a.name for a in ex.search(party, limit=3)}:
            unknown.append(party)
    assert unknown == []


@pytest.mark.parametrize(
    "name",
    ["Syrian Observatory for Human Rights", "OSCE SMM", "Airwars", "OCHA", "OHCHR", "UNHCR", "UNAMA", "ACLED",
     "UCDP", "Human Rights Watch", "Amnesty International"],
)  # fmt: skip
def test_monitors_are_there(reg: OutletRegistry, name: str) -> None:
    assert reg.get(name).kind == "monitor"


def test_the_conflicts_of_the_actor_dictionary_have_their_state_media(reg: OutletRegistry) -> None:
    covered = {o.state for o in reg.outlets if o.kind in ("state", "official") and o.state}
    for iso3 in ("RUS", "UKR", "SYR", "ISR", "PSE", "IRN", "IRQ", "TUR", "YEM", "NGA", "MLI", "BFA", "SOM", "ETH",
                 "SDN", "COD", "AFG", "PAK", "IND", "MMR", "PHL", "COL", "MEX", "BGD", "CMR", "KEN", "MOZ", "ZWE"):
        assert iso3 in covered, iso3


# ---------------------------------------------------------------------------------------------
# Look-ups


def test_names_aliases_and_domains_find_one_outlet(reg: OutletRegistry) -> None:
    rt = reg.get("RT")
    assert rt is not None and rt.kind == "state" and rt.state == "RUS"
    assert reg.get("Russia Today") is rt and reg.get("russia today") is rt and reg.get("rt.com") is rt
    assert reg.from_url("https://www.rt.com/news/1-x/") is rt
    assert reg.from_url("https://arabic.rt.com/middle_east/1") is rt  # a sub-domain
    assert reg.from_url("https://example.org/rt.com") is None  # the path is no domain
    assert reg.get("Example Wire") is None
    assert reg.get("TASS news agency") is reg.get("TASS") and reg.get("Al Jazeera TV").name == "Al Jazeera"
    assert reg.get("News") is None and reg.get("Steppe Wire Daily") is None


def test_outlets_named_in_running_text(reg: OutletRegistry) -> None:
    assert reg.find_in_text("Russia's state news agency TASS").name == "TASS"
    assert reg.find_in_text("the Hezbollah-run Al-Manar television").name == "Al-Manar"
    assert reg.find_in_text("the associated press").name == "Associated Press"  # long names: any case
    assert reg.find_in_text("at dawn") is None  # one-word names only as spelled


def test_datelines(reg: OutletRegistry) -> None:
    assert reg.dateline("KYIV, May 3 (Example Wire) - Russian drones ...")[0] == "Example Wire"
    assert reg.dateline("MOSCOW, May 3. /TASS/. The ministry said ...")[0] == "TASS"
    assert reg.dateline("Fighting resumed (2017) - a report ...") is None
    assert reg.dateline("x" * 200 + " (Reuters) - late") is None  # a dateline opens the article
    assert reg.dateline("Read https://example.org/News/today first.") is None  # a URL's path is no dateline


def test_an_articles_source(reg: OutletRegistry) -> None:
    text = "BEIRUT, March 5 (Reuters) - An air strike ..."
    assert reg.for_article(None, None, text)[0] == "Reuters"
    assert reg.for_article("Yahoo News", None, text)[0] == "Reuters"  # the wire that wrote the story
    assert reg.for_article("russia today", None, "Jets struck ...")[0] == "RT"
    assert reg.for_article(None, "https://www.aljazeera.com/news/x", "Jets ...")[0] == "Al Jazeera"
    assert reg.for_article(None, None, "KYIV (Example Wire) - Jets ...") == ("Example Wire", None)
    assert reg.for_article("Donbas Ledger", None, "Jets ...") == ("Donbas Ledger", None)
    assert reg.for_article(None, "https://news.example.net/a", "Jets ...") == ("news.example.net", None)


def test_search_ranks_what_it_names_first(reg: OutletRegistry) -> None:
    assert reg.search("RT")[0].name == "RT"
    assert all(o.country == "RUS" or o.state == "RUS" for o in reg.search("RUS")[:10])
    assert {o.kind for o in reg.search("monitor")[:20]} == {"monitor"}


# ---------------------------------------------------------------------------------------------
# Ties


def test_ties_between_outlets(reg: OutletRegistry) -> None:
    tass, ria, sputnik, reuters, afp = (reg.get(n) for n in ("TASS", "RIA Novosti", "Sputnik", "Reuters", "AFP"))
    assert tie_keys(tass) & tie_keys(ria)  # one state's media
    assert "owner:rossiya segodnya" in tie_keys(ria) & tie_keys(sputnik)
    assert not tie_keys(reuters) & tie_keys(afp)
    assert not tie_keys(reg.get("BBC")) & tie_keys(reg.get("Sky News"))
    assert tie_keys(None, "Donbas Ledger") == {"outlet:donbas ledger"}


def test_an_outlet_tied_to_its_claimant(reg: OutletRegistry) -> None:
    tass, reuters, manar = reg.get("TASS"), reg.get("Reuters"), reg.get("Al-Manar")
    assert tied_to_claimant(tass, "Russian Ministry of Defence", "military", "RUS")
    assert not tied_to_claimant(tass, "Ukrainian General Staff", "military", "UKR")
    assert not tied_to_claimant(reuters, "Russian Ministry of Defence", "military", "RUS")
    assert tied_to_claimant(manar, "Hezbollah", "armed_group", None, "Hezbollah")
    assert tied_to_claimant(reuters, "Reuters", "media", None)  # the outlet speaking for itself
    assert not tied_to_claimant(None, "Russian Ministry of Defence", "military", "RUS")


def test_source_scales_combine_in_acleds_order() -> None:
    assert combine_scales(["International", "National", None, "National"]) == "National-International"
    assert combine_scales(["Other", "Subnational"]) == "Subnational-Other"
    assert combine_scales([]) == ""


# ---------------------------------------------------------------------------------------------
# User files


def test_a_users_file_adds_and_replaces(tmp_path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text(
        "outlets:\n"
        "  - {name: Example Wire, kind: wire, country: GBR, domains: [examplewire.test]}\n"
        "  - {name: RT, kind: private, country: RUS}\n",
        encoding="utf-8",
    )
    reg = OutletRegistry.load([f], use_env=False)
    assert reg.get("examplewire.test").name == "Example Wire" and reg.get("Example Wire").scale == "International"
    assert reg.get("RT").kind == "private"
    bad = tmp_path / "bad.yaml"
    bad.write_text("outlets:\n  - {name: X, kind: tabloid}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yaml.*tabloid"):
        OutletRegistry.load([bad], use_env=False)
    with pytest.raises(FileNotFoundError, match="nowhere.yaml"):
        OutletRegistry.load([tmp_path / "nowhere.yaml"], use_env=False)


def test_the_environment_names_a_users_file(tmp_path, monkeypatch) -> None:
    f = tmp_path / "env.yaml"
    f.write_text("outlets:\n  - {name: Steppe Courier, kind: local, country: KAZ}\n", encoding="utf-8")
    monkeypatch.setenv("FIELDREPORT_OUTLETS", str(f))
    assert default_registry().get("Steppe Courier").kind == "local"
    monkeypatch.delenv("FIELDREPORT_OUTLETS")
    assert default_registry().get("Steppe Courier") is None


def test_the_outlets_command(tmp_path) -> None:
    res = runner.invoke(app, ["outlets", "Russia Today"])
    assert res.exit_code == 0 and "RT" in res.stdout and "state media (RUS)" in res.stdout
    f = tmp_path / "mine.yaml"
    f.write_text("outlets:\n  - {name: Example Wire, kind: wire, country: GBR}\n", encoding="utf-8")
    res = runner.invoke(app, ["outlets", "example", "--outlets", str(f), "--json"])
    assert res.exit_code == 0
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert rows[0]["name"] == "Example Wire" and rows[0]["kind"] == "wire"
    res = runner.invoke(app, ["outlets", "--outlets", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2 and "missing.yaml" in res.output


# ---------------------------------------------------------------------------------------------
# Who speaks


def test_claimants_the_registry_names() -> None:
    manar = normalise_claimant("the Hezbollah-run Al-Manar TV")
    assert (manar["claimant"], manar["claimant_kind"], manar["claimant_actor"]) == ("Al-Manar", "armed_group", "Hezbollah")
    ispr = normalise_claimant("the ISPR")
    assert (ispr["claimant"], ispr["claimant_kind"], ispr["claimant_country"]) == ("ISPR", "military", "PAK")
    kyiv = normalise_claimant("the Kyiv Independent newspaper")
    assert (kyiv["claimant"], kyiv["claimant_kind"], kyiv["claimant_country"]) == ("The Kyiv Independent", "media", None)
    un = normalise_claimant("the UN refugee agency")
    assert un["claimant_kind"] == "un"


def _mod(country: str = "RUS") -> Claim:
    return Claim(claimant="Russian Ministry of Defence", claimant_kind="military", claimant_country=country, start=0, end=5)


def test_a_ministry_claiming_its_own_strike_is_a_side_even_without_actor1() -> None:
    c = _mod()
    # the roles found only the target: the state that claims the strike is the side that struck
    assert is_party(c, ["Islamic State (Syria)"], [None], attacker_missing=True, military_event=True)
    # the text names Russian forces in the event, though the roles left them out
    assert is_party(c, ["Islamic State (Syria)"], [None], own_forces=["RUS"])
    # a known attacker of another state, and no Russian force named: not a side
    assert not is_party(c, ["Military Forces of Turkey (2016-)"], ["TUR"], military_event=True)
    # no strike or battle: a ministry's word on a protest does not make it a side
    assert not is_party(c, [], [], attacker_missing=True, military_event=False)
    # a witness or an outlet is never a side by these rules
    w = Claim(claimant="witnesses", claimant_kind="witness", start=0, end=5)
    assert not is_party(w, [], [], attacker_missing=True, military_event=True)


def test_a_claim_about_its_own_forces_is_a_sides() -> None:
    assert names_own_forces("the military said its fighter jets struck a depot")
    assert names_own_forces("“Our forces destroyed the column,” the spokesman said")
    assert not names_own_forces("the army said it killed 20 of their fighters")
    idf = Claim(claimant="Israeli military", claimant_kind="military", claimant_country="ISR", start=0, end=5)
    roles = (["Military Forces of Lebanon", "Hezbollah"], ["LBN", "LBN"])
    assert not is_party(idf, *roles)
    assert is_party(idf, *roles, speaks_of_own_forces=True)


def test_a_state_body_named_without_its_state() -> None:
    c = Claim(claimant="Ministry of Defence", claimant_text="the Defence Ministry", claimant_kind="military", start=0, end=5)
    got = attribute_to(c, "TUR")
    assert (got.claimant, got.claimant_country) == ("Turkish Ministry of Defence", "TUR")
    witness = Claim(claimant="witnesses", claimant_kind="witness", start=0, end=5)
    assert attribute_to(witness, "TUR") is witness


def test_state_media_relaying_an_unnamed_ministry_relay_their_states(pipeline) -> None:
    art = Article(
        id="trt-1", url="https://www.trtworld.com/turkey/strike", published="2023-10-09",
        text="Turkish warplanes struck PKK hideouts in the Gara region of northern Iraq on Sunday, killing 15 "
             "militants, the Defence Ministry said in a statement.",
    )  # fmt: skip
    (rec, *_rest) = pipeline.extract(art)
    (claim,) = [c for c in rec.claims if c.claimant_kind == "military"]
    assert (claim.claimant, claim.claimant_country) == ("Turkish Ministry of Defence", "TUR")
    assert claim.claimant_party and claim.outlet == "TRT" and claim.outlet_tied


def test_the_pipeline_marks_the_ministry_a_side_when_no_attacker_is_named(pipeline) -> None:
    art = Article(
        id="zvezda-1", outlet="Zvezda", published="2024-03-05",
        text="An air strike hit a militant depot near Saraqib in Idlib province on Monday, killing 30 militants, "
             "the Russian Defence Ministry said.",
    )  # fmt: skip
    (rec, *_rest) = pipeline.extract(art)
    (claim,) = [c for c in rec.claims if c.claimant == "Russian Ministry of Defence"]
    assert claim.claimant_party and claim.outlet == "Zvezda" and claim.outlet_tied


# ---------------------------------------------------------------------------------------------
# Corroboration by voices


def _rec(article: str, outlet: str | None, fatalities: int = 0, claims: list[ClaimOut] | None = None,
         actor1: str | None = None, actor2: str | None = None) -> EventRecord:  # fmt: skip
    reg = default_registry()
    o = reg.get(outlet) if outlet else None
    return EventRecord(
        article_id=article, record_id=EventRecord.make_id(article, 0, "Air/drone strike"), event_date="2024-03-04",
        time_precision=1, event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
        actor1=actor1, actor2=actor2, country="Syria", iso3="SYR", location="Saraqib", latitude=35.86,
        longitude=36.80, geo_precision=1, fatalities=fatalities, fatalities_low=fatalities or None,
        fatalities_best=fatalities or None, fatalities_high=fatalities or None, claims=claims or [],
        source=o.name if o else outlet, outlet=o.ref() if o else None,
    )  # fmt: skip


def _said(who: str, kind: str, country: str | None, party: bool, actor: str | None = None) -> ClaimOut:
    return ClaimOut(claimant=who, claimant_party=party, fields=["fatalities"], start=0, end=9, claimant_kind=kind,
                    claimant_country=country, claimant_actor=actor)  # fmt: skip


def test_state_media_of_a_side_are_that_side_even_unattributed() -> None:
    ev = build_event([
        _rec("a", "TASS", 60, actor1="Military Forces of Russia (2000-)"),
        _rec("b", "RIA Novosti", 60, actor1="Military Forces of Russia (2000-)"),
    ])  # fmt: skip
    assert ev.number_of_sources == 2 and ev.independent_sources == 0
    assert ev.corroboration == "claimed only by a side"


def test_outlets_of_one_owner_are_one_voice() -> None:
    ev = build_event([_rec("a", "Al Jazeera", 9), _rec("b", "AJ+", 9)])
    assert ev.number_of_sources == 2 and ev.independent_sources == 1
    assert ev.corroboration == "single source"
    ev = build_event([_rec("a", "Al Jazeera", 9), _rec("b", "AFP", 9)])
    assert ev.independent_sources == 2 and ev.corroboration == "independent sources"


def test_a_wire_relaying_only_a_side_is_that_side() -> None:
    mod = _said("Russian Ministry of Defence", "military", "RUS", True)
    ev = build_event([_rec("a", "TASS", 60, [mod]), _rec("b", "Reuters", 60, [mod])])
    assert ev.corroboration == "claimed only by a side" and ev.independent_sources == 0
    # state media quoted by a wire are their state's voice too
    tass = _said("TASS", "media", "RUS", False)
    ev = build_event([_rec("a", "TASS", 60, [mod]), _rec("b", "AFP", 60, [tass])])
    assert ev.corroboration == "claimed only by a side"


def test_a_factions_media_speak_for_the_faction_not_the_state() -> None:
    houthi = "Military Forces of Yemen (2017-) Houthi"
    ev = build_event([_rec("a", "Al-Masirah", 5, actor1=houthi), _rec("b", "Saba (Houthi)", 5, actor1=houthi)])
    assert ev.corroboration == "claimed only by a side" and ev.independent_sources == 0
    ev = build_event([_rec("a", "Al-Masirah", 5, actor1=houthi), _rec("b", "Saba (Government)", 5, actor1=houthi)])
    assert ev.independent_sources == 1  # the government's agency is no Houthi voice


def test_sides_disagree_and_an_independent_figure_splits_the_range() -> None:
    mod = _said("Russian Ministry of Defence", "military", "RUS", True)
    gs = _said("Ukrainian General Staff", "military", "UKR", True)
    a1, a2 = "Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)"
    both = [_rec("a", "TASS", 60, [mod], a1, a2), _rec("b", "Ukrinform", 4, [gs], a1, a2)]
    ev = build_event(both)
    assert ev.corroboration == "sides disagree" and ev.independent_sources == 0
    assert ev.fatalities_claimed == 60 and ev.fatalities_independent is None
    one_report = _rec("d", "AFP", 4, [mod, gs], a1, a2)
    one_report.fatalities_high = 60  # the wire tells both sides' tolls
    ev = build_event([one_report])
    assert ev.corroboration == "sides disagree" and ev.number_of_sources == 1
    monitor = _said("OHCHR", "un", None, False)
    ev = build_event([*both, _rec("c", "Associated Press", 2, [monitor], a1, a2)])
    assert ev.corroboration == "independent sources" and ev.independent_sources == 1
    assert (ev.fatalities, ev.fatalities_independent, ev.fatalities_high, ev.fatalities_claimed) == (2, 2, 60, 60)
    assert ev.source_scale == "National-International"
