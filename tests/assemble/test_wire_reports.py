"""Six short wire reports of the kinds a new user brings (written for these tests), coded end to end.

Each asserts the event type and sub-event type of the main (first) record, how many records the
article gives, and the fields that the pipeline already codes right; the actor, figure and date
helpers tighten the rest.
"""

from __future__ import annotations

from datetime import date

import pytest

from fieldreport.assemble.pipeline import Pipeline
from fieldreport.schema.records import Article

REPORTS = {
    "column": (
        "Air force destroys militant column heading for Gao",
        "BAMAKO, March 4 (Example Wire) - Mali's air force has destroyed a large column of militants that was "
        "heading towards the northern city of Gao, the defence ministry said on Tuesday.\n\n"
        "More than 200 militants were killed in the strikes near the village of Tabankort on Monday, the "
        "ministry said in a statement. The figure could not be independently verified.\n\n"
        "The jihadist group JNIM has stepped up attacks in the region since last year.",
        date(2025, 3, 4),
    ),
    "drone_city": (
        "Drone strike hits Sumy",
        "KYIV, May 12 (Example Wire) - A Russian drone struck an apartment building in the city of Sumy "
        "overnight, killing three civilians and wounding nine, the regional governor said on Monday.\n\n"
        "Rescue workers pulled two people from the rubble, the governor said. Russia did not comment.",
        date(2025, 5, 12),
    ),
    "march": (
        "Police fire tear gas at Nairobi march",
        "NAIROBI, June 25 (Example Wire) - Several thousand people marched through central Nairobi on "
        "Wednesday to protest against a new finance bill. Police fired tear gas and water cannon to disperse "
        "the marchers near parliament, and arrested at least 20 people, witnesses said.\n\n"
        "The marchers had gathered at a downtown park in the morning.",
        date(2025, 6, 25),
    ),
    "base": (
        "Militants attack army base in Niger",
        "NIAMEY, Jan 9 (Example Wire) - Dozens of gunmen on motorcycles attacked an army base near the town "
        "of Tillaberi on Thursday, killing 11 soldiers, Niger's defence ministry said. The army said 30 "
        "attackers were killed when troops repelled the assault.",
        date(2025, 1, 10),
    ),
    "retaken": (
        "Army retakes Kidal",
        "BAMAKO, Nov 14 (Example Wire) - Malian troops have retaken the northern town of Kidal from "
        "separatist rebels, the army said on Tuesday, after several days of fighting. The rebels said they "
        "had withdrawn from the town.",
        date(2023, 11, 14),
    ),
    "statement": (
        "Minister calls for calm",
        "ADDIS ABABA, Feb 2 (Example Wire) - Ethiopia's foreign minister on Sunday urged all parties to "
        "respect the peace agreement and warned that the government would not tolerate any attempt to "
        "undermine it. He said talks with regional leaders would continue next month.",
        date(2025, 2, 2),
    ),
}


@pytest.fixture(scope="module")
def coded():
    pipe = Pipeline.default()
    out = {}
    for key, (title, body, published) in REPORTS.items():
        art = Article(id=key, text=f"{title}\n\n{body}", title=title, published=published)
        out[key] = pipe.extract(art)
    return out


def test_an_air_force_destroying_a_column_is_an_air_strike(coded):
    recs = coded["column"]
    assert recs, "no record"
    main = recs[0]
    assert (main.event_type, main.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert main.actor1 and "Mali" in main.actor1  # the air force is the state's
    assert main.fatalities == 200  # "more than 200" codes 200
    assert any("Defence" in c.claimant for c in main.claims)
    assert len(recs) == 1  # the background paragraph gives no record


def test_a_drone_strike_on_a_city(coded):
    recs = coded["drone_city"]
    assert [r.sub_event_type for r in recs] == ["Air/drone strike"]
    assert recs[0].fatalities == 3
    assert recs[0].injured == 9
    # the headline's event takes its attacker from the lead sentence
    assert recs[0].actor1 and recs[0].actor1.startswith("Military Forces of Russia")
    assert recs[0].actor2 == "Civilians (Ukraine)"


def test_a_march_dispersed_with_tear_gas_is_one_protest_with_intervention(coded):
    recs = coded["march"]
    assert [(r.event_type, r.sub_event_type) for r in recs] == [("Protests", "Protest with intervention")]
    assert recs[0].actor1 == "Protesters (Kenya)"
    assert recs[0].actor2 and recs[0].actor2.startswith("Police Forces of Kenya")
    assert recs[0].location == "Nairobi"


def test_an_attack_on_an_army_base_is_an_armed_clash(coded):
    recs = coded["base"]
    assert recs
    assert (recs[0].event_type, recs[0].sub_event_type) == ("Battles", "Armed clash")
    assert len(recs) == 1  # "repelled the assault" is the same event
    # the attackers are actor1, the troops that repelled them actor2
    assert recs[0].actor1 == "Unidentified Armed Group (Niger)"
    assert recs[0].actor2 and recs[0].actor2.startswith("Military Forces of Niger")


def test_a_town_retaken_by_the_army(coded):
    recs = coded["retaken"]
    assert recs
    assert (recs[0].event_type, recs[0].sub_event_type) == ("Battles", "Government regains territory")
    assert recs[0].actor1 and "Mali" in recs[0].actor1
    assert recs[0].actor2 == "Rebels (Mali)"  # unnamed separatists are the country's rebels, not Ukraine's
    assert recs[0].location == "Kidal"
    # the rebels' word that they withdrew tells the same battle, not a peaceful handover
    assert [r.sub_event_type for r in recs] == ["Government regains territory"]


def test_a_political_statement_gives_no_record(coded):
    assert coded["statement"] == []
