"""Consolidation of records into events: matching, determinism, decisions, blocking, fields, exports."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from fieldreport.events.grouping import (
    CONTRACT_FIELDS,
    Consolidator,
    Decision,
    Event,
    MatchConfig,
    build_event,
    consolidate,
    pair_score,
)
from fieldreport.io.export import events_to_acled_rows, events_to_ucdp_rows
from fieldreport.eval.grouping import evaluate_events, score_grouping
from fieldreport.schema.records import ClaimOut, EventRecord

# A few places (real coordinates) used to build records by hand.
PLACES = {
    "Avdiivka": (48.139, 37.743, "Donetsk"),
    "Yasynuvata": (48.129, 37.858, "Donetsk"),  # ~9 km from Avdiivka
    "Mariupol": (47.097, 37.543, "Donetsk"),  # ~118 km from Avdiivka
    "Luhansk": (48.567, 39.317, "Luhansk"),
}

UCDP_GOLD = Path("/work/shared/data/ucdp/ucdp_ged_ukraine_2014_2021.csv")


def rec(
    article: str,
    day: str = "2015-01-20",
    sub: str = "Shelling/artillery/missile attack",
    place: str | None = "Avdiivka",
    *,
    k: int = 0,
    outlet: str | None = None,
    fatalities: int = 0,
    low: int | None = None,
    best: int | None = None,
    high: int | None = None,
    precision: int = 1,
    actor1: str | None = None,
    actor2: str | None = None,
    admin1: str | None = None,
    claims: list[ClaimOut] | None = None,
    confidence: float = 0.5,
) -> EventRecord:
    """A record as the pipeline would write it, for the given article and facts."""
    from fieldreport.schema.records import SUB_TO_EVENT_TYPE

    lat = lon = None
    geo_precision = 3
    a1 = admin1
    if place is not None:
        lat, lon, a1 = PLACES[place]
        geo_precision = 1
    return EventRecord(
        article_id=article,
        record_id=EventRecord.make_id(article, k, sub),
        event_date=day,
        time_precision=precision,
        event_type=SUB_TO_EVENT_TYPE[sub],
        sub_event_type=sub,
        actor1=actor1,
        actor2=actor2,
        country="Ukraine",
        iso3="UKR",
        admin1=a1,
        location=place,
        latitude=lat,
        longitude=lon,
        geo_precision=geo_precision,
        fatalities=fatalities,
        fatalities_low=low,
        fatalities_best=best,
        fatalities_high=high,
        claims=claims or [],
        source=outlet,
        confidence=confidence,
    )


def grouping(events: list[Event]) -> set[frozenset[str]]:
    """The grouping of events by article ids (what a reader checks)."""
    return {frozenset(e.article_ids) for e in events}


# ---------------------------------------------------------------------------------------------
# Matching


def test_reports_of_one_shelling_become_one_event() -> None:
    records = [
        rec("a1", outlet="Outlet A", fatalities=3),
        rec("a2", outlet="Outlet B", fatalities=4),
        rec("a3", day="2015-01-20", place="Yasynuvata", outlet="Outlet C", fatalities=3),  # 9 km away
        rec("a4", day="2015-01-21", outlet="Outlet D", fatalities=3),  # a day late, same figure
    ]
    events = consolidate(records)
    assert grouping(events) == {frozenset({"a1", "a2", "a3", "a4"})}
    ev = events[0]
    assert ev.number_of_sources == 4
    assert ev.sources == ["Outlet A", "Outlet B", "Outlet C", "Outlet D"]
    assert ev.event_date == "2015-01-20"  # told by three of four reports
    assert (ev.date_start, ev.date_end) == ("2015-01-20", "2015-01-21")
    assert ev.fatalities == 3  # the lowest figure
    assert (ev.fatalities_low, ev.fatalities_best, ev.fatalities_high) == (3, 3, 4)


def test_records_of_one_article_are_never_merged() -> None:
    records = [rec("a1", k=0), rec("a1", k=1)]
    events = consolidate(records)
    assert len(events) == 2


def test_same_town_next_day_stays_apart_without_agreeing_details() -> None:
    events = consolidate([rec("a1", day="2015-01-20"), rec("a2", day="2015-01-21")])
    assert len(events) == 2


def test_same_day_town_100km_away_stays_apart() -> None:
    events = consolidate([rec("a1", place="Avdiivka"), rec("a2", place="Mariupol")])
    assert len(events) == 2


def test_week_precise_report_joins_day_precise_report() -> None:
    events = consolidate([rec("a1", day="2015-01-20"), rec("a2", day="2015-01-22", precision=2)])
    assert len(events) == 1
    assert events[0].event_date == "2015-01-20"
    assert events[0].time_precision == 1


def test_coarse_report_joins_event_in_its_admin1_only_when_details_agree() -> None:
    town = rec("a1", place="Avdiivka", fatalities=3)
    near = consolidate([town, rec("a2", place=None, admin1="Donetsk", fatalities=3)])
    far = consolidate([town, rec("a2", place=None, admin1="Luhansk", fatalities=3)])
    assert len(near) == 1 and near[0].location == "Avdiivka"  # the precise place wins
    assert len(far) == 2
    # "shelling in Donetsk region" with nothing else in common is not enough
    assert len(consolidate([town, rec("a2", place=None, admin1="Donetsk")])) == 2


def test_province_only_report_between_two_events_stays_alone() -> None:
    # Avdiivka and Mariupol are both in Donetsk region: a report naming only the region fits both
    records = [rec("a1", place="Avdiivka"), rec("a2", place="Mariupol"), rec("a3", place=None, admin1="Donetsk")]
    assert grouping(consolidate(records)) == {frozenset({"a1"}), frozenset({"a2"}), frozenset({"a3"})}


def test_country_only_reports_match_on_type_and_day() -> None:
    a = rec("a1", place=None, fatalities=4)  # "four killed in eastern Ukraine"
    b = rec("a2", place=None, fatalities=4)
    other_type = rec("a3", place=None, sub="Armed clash", fatalities=4)
    assert grouping(consolidate([a, b, other_type])) == {frozenset({"a1", "a2"}), frozenset({"a3"})}
    assert len(consolidate([a, b], config=MatchConfig(country_score=0))) == 2
    # a record naming no country takes the one its actors carry
    no_country = rec("a4", place=None, fatalities=4, actor2="Civilians (Ukraine)").model_copy(
        update={"country": None, "iso3": None}
    )
    assert pair_score(a, no_country) > 0
    assert pair_score(a, no_country.model_copy(update={"actor2": None})) == 0


def test_compatible_types_merge_and_incompatible_do_not() -> None:
    air = rec("a1", sub="Air/drone strike")
    shelling = rec("a2", sub="Shelling/artillery/missile attack")
    assert pair_score(air, shelling) > 0
    assert len(consolidate([air, shelling])) == 1
    arrests = rec("b1", sub="Arrests")
    agreement = rec("b2", sub="Agreement")
    assert pair_score(arrests, agreement) == 0
    assert len(consolidate([arrests, agreement])) == 2
    protest = rec("c1", sub="Peaceful protest")
    assert pair_score(protest, shelling) == 0


def test_disjoint_sides_veto_a_merge() -> None:
    a = rec("a1", actor1="Military Forces of Ukraine (2014-2019)", actor2="Donetsk People's Republic")
    b = rec("a2", actor1="Islamic State (Syria)", actor2="Civilians (Ukraine)")
    same = rec("a3", actor1="Donetsk People's Republic", actor2="Military Forces of Ukraine")
    assert pair_score(a, b) == 0
    assert pair_score(a, same) > 0  # swapped roles and regime years do not matter


def test_chain_does_not_stretch_an_event_over_many_days() -> None:
    # day-precise reports one day apart, each agreeing on the figure with its neighbour
    records = [rec(f"a{i}", day=f"2015-01-{10 + i:02d}", fatalities=5, actor1="X", actor2="Y") for i in range(6)]
    events = consolidate(records)
    for ev in events:
        days = sorted(r.event_date for r in records if r.record_id in ev.record_ids)
        assert days[-1] >= days[0]
        span = int(days[-1][-2:]) - int(days[0][-2:])
        assert span <= 2


# ---------------------------------------------------------------------------------------------
# Determinism, incrementality


def _many_records(seed: int = 7, n_events: int = 40) -> list[EventRecord]:
    rnd = random.Random(seed)
    subs = ["Shelling/artillery/missile attack", "Armed clash", "Air/drone strike"]
    out = []
    for e in range(n_events):
        place = rnd.choice(list(PLACES))
        day = f"2015-02-{rnd.randint(1, 20):02d}"
        sub = rnd.choice(subs)
        for j in range(rnd.randint(1, 4)):
            out.append(
                rec(f"e{e}-r{j}", day=day, sub=sub, place=place, fatalities=rnd.choice([0, 2, 3]), outlet=f"O{j}")
            )
    return out


def test_same_input_any_order_gives_same_events() -> None:
    records = _many_records()
    reference = [e.model_dump() for e in consolidate(records)]
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        assert [e.model_dump() for e in consolidate(shuffled)] == reference


def test_incremental_batches_equal_one_batch() -> None:
    records = _many_records(seed=3)
    reference = [e.model_dump() for e in consolidate(records)]
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    cons = Consolidator()
    for i in range(0, len(shuffled), 7):
        cons.add(shuffled[i : i + 7])
    assert [e.model_dump() for e in cons.events()] == reference


def test_event_id_comes_from_smallest_record_id() -> None:
    records = [rec("a1"), rec("a2")]
    ev = consolidate(records)[0]
    ev_again = consolidate(list(reversed(records)))[0]
    assert ev.event_id == ev_again.event_id
    assert ev.event_id.startswith("ev-")
    assert ev.record_ids == sorted(r.record_id for r in records)


def test_add_reports_changed_and_removed_events() -> None:
    cons = Consolidator()
    first = cons.add([rec("a2")])
    assert len(first) == 1
    old_id = first[0].event_id
    second = cons.add([rec("a1")])  # joins the event and brings the event's new smallest id
    assert len(second) == 1 and set(second[0].article_ids) == {"a1", "a2"}
    if second[0].event_id != old_id:
        assert cons.last_removed == [old_id]
    # an unrelated record leaves the existing event alone
    third = cons.add([rec("b1", place="Luhansk")])
    assert [e.article_ids for e in third] == [["b1"]]
    assert cons.last_removed == []
    # the same record again changes nothing
    assert cons.add([rec("b1", place="Luhansk")]) == []


def test_replaced_record_is_regrouped() -> None:
    cons = Consolidator()
    cons.add([rec("a1"), rec("a2")])
    assert len(cons) == 1
    moved = rec("a2", place="Mariupol")  # same record id, corrected place
    cons.add([moved])
    assert grouping(cons.events()) == {frozenset({"a1"}), frozenset({"a2"})}
    # after corrections the state equals a fresh run over the final records
    records = _many_records(seed=11)
    cons = Consolidator()
    cons.add(records)
    corrected = [r.model_copy(update={"event_date": "2015-03-28"}) for r in records[::3]]
    cons.add(corrected)
    final = {r.record_id: r for r in records} | {r.record_id: r for r in corrected}
    assert [e.model_dump() for e in cons.events()] == [e.model_dump() for e in consolidate(final.values())]


def test_blocking_keeps_comparisons_linear() -> None:
    # 3000 reports over ~3 years in two regions: pairs compared stay near-linear, far from n^2/2
    rnd = random.Random(5)
    records = []
    for i in range(3000):
        place = rnd.choice(["Avdiivka", "Luhansk"])
        day = 735600 + rnd.randint(0, 1000)
        from datetime import date as _date

        records.append(rec(f"x{i}", day=_date.fromordinal(day).isoformat(), place=place))
    cons = Consolidator()
    cons.add(records)
    n = len(records)
    assert cons.comparisons < 15 * n
    assert cons.comparisons < n * (n - 1) / 2 / 50


# ---------------------------------------------------------------------------------------------
# Analyst decisions


def test_split_decision_is_kept_on_reingest() -> None:
    a, b = rec("a1"), rec("a2")
    split = Decision(action="split", record_ids=[a.record_id, b.record_id], analyst="ana")
    cons = Consolidator(decisions=[split])
    cons.add([a, b])
    assert len(cons) == 2
    cons.add([rec("a3")])  # a third report arrives: may join one, never both
    for ev in cons.events():
        assert not {a.record_id, b.record_id} <= set(ev.record_ids)
    rebuilt = Consolidator.from_store([rec("a3"), b, a], decisions=[split], events=cons.events())
    assert rebuilt.drift == []
    assert [e.model_dump() for e in rebuilt.events()] == [e.model_dump() for e in cons.events()]


def test_merge_decision_overrides_the_matcher() -> None:
    a, b = rec("a1", place="Avdiivka"), rec("a2", place="Mariupol")
    cons = Consolidator()
    cons.add([a, b])
    assert len(cons) == 2
    changed = cons.apply(Decision(action="merge", record_ids=[a.record_id, b.record_id]))
    assert len(cons) == 1 and len(changed) == 1
    # kept when the state is rebuilt, and when the records come again in another order
    again = Consolidator(decisions=cons.decisions)
    again.add([b])
    again.add([a])
    assert len(again) == 1


def test_later_decision_wins() -> None:
    a, b = rec("a1"), rec("a2")
    merge = Decision(action="merge", record_ids=[a.record_id, b.record_id])
    split = Decision(action="split", record_ids=[a.record_id, b.record_id])
    assert len(consolidate([a, b], decisions=[merge, split])) == 2
    assert len(consolidate([a, b], decisions=[split, merge])) == 1


def test_from_store_reports_drift() -> None:
    a, b = rec("a1"), rec("a2")
    stale = build_event([a])
    rebuilt = Consolidator.from_store([a, b], events=[stale.model_dump()])
    assert rebuilt.drift == [stale.event_id]  # the stored event lacks a2: the store must replace it
    fresh = Consolidator.from_store([a, b], events=[e.model_dump(mode="json") for e in rebuilt.events()])
    assert fresh.drift == []


# ---------------------------------------------------------------------------------------------
# Consolidated fields


def _claim(party: bool, who: str = "Ministry of Defence") -> ClaimOut:
    return ClaimOut(claimant=who, claimant_party=party, fields=["fatalities"], start=0, end=10)


def test_corroboration_levels() -> None:
    single = build_event([rec("a1", outlet="A", fatalities=2)])
    assert single.corroboration == "single source"
    two = build_event([rec("a1", outlet="A", fatalities=2), rec("a2", outlet="B", fatalities=2)])
    assert two.corroboration == "independent sources"
    same_outlet = build_event([rec("a1", outlet="A", fatalities=2), rec("a2", outlet="A", fatalities=2)])
    assert same_outlet.number_of_sources == 1 and same_outlet.corroboration == "single source"
    claimed = build_event(
        [
            rec("a1", outlet="A", fatalities=50, claims=[_claim(True)]),
            rec("a2", outlet="B", fatalities=50, claims=[_claim(True)]),
        ]
    )
    assert claimed.corroboration == "claimed only by a side" and claimed.independent_sources == 0
    disagree = build_event(
        [
            rec("a1", outlet="A", fatalities=50, claims=[_claim(True)]),
            rec("a2", outlet="B", fatalities=40, claims=[_claim(True, "Rebel command")]),
        ]
    )
    assert disagree.corroboration == "sides disagree"
    assert disagree.claimants == ["Ministry of Defence", "Rebel command"]
    mixed = build_event(
        [rec("a1", outlet="A", fatalities=50, claims=[_claim(True)]), rec("a2", outlet="B", fatalities=8)]
    )
    assert mixed.corroboration == "independent sources"


def test_fatalities_prefer_independent_lowest_and_median_best() -> None:
    ev = build_event(
        [
            rec("a1", outlet="A", fatalities=200, low=200, best=200, high=250),
            rec("a2", outlet="B", fatalities=12, low=12, best=12, high=12),  # "dozens"
            rec("a3", outlet="C", fatalities=30, best=30),
            rec("a4", outlet="D", fatalities=5, claims=[_claim(True)]),  # a side's claim only
            rec("a5", outlet="E", fatalities=0),  # no figure
        ]
    )
    assert ev.fatalities == 12
    assert ev.fatalities_low == 5
    assert ev.fatalities_high == 250
    assert ev.fatalities_best == 12  # lower median of 5, 12, 30, 200


def test_event_without_figures_has_no_range() -> None:
    ev = build_event([rec("a1"), rec("a2")])
    assert ev.fatalities == 0 and ev.fatalities_best is None


def test_contract_dict_has_exactly_the_contract_fields() -> None:
    ev = build_event([rec("a1", outlet="A")])
    assert list(ev.contract_dict()) == list(CONTRACT_FIELDS)


# ---------------------------------------------------------------------------------------------
# Exports


def test_exports() -> None:
    ev = build_event(
        [
            rec("a1", outlet="Outlet B", fatalities=3, actor1="Military Forces of Russia (2000-)", actor2="X"),
            rec("a2", outlet="Outlet A", fatalities=5, day="2015-01-21", actor1="Military Forces of Russia (2000-)"),
        ]
    )
    (acled,) = events_to_acled_rows([ev])
    assert acled["source"] == "Outlet A; Outlet B"
    assert acled["fatalities"] == 3 and acled["event_date"] == ev.event_date and acled["year"] == 2015
    (ucdp,) = events_to_ucdp_rows([ev])
    assert ucdp["side_a"] == "Military Forces of Russia (2000-)" and ucdp["side_b"] == "X"
    assert (ucdp["low"], ucdp["best"], ucdp["high"]) == (3, 3, 5)
    assert ucdp["number_of_sources"] == 2
    assert ucdp["source_article"] == "a1; a2"
    assert ucdp["date_start"] == "2015-01-20" and ucdp["date_end"] == "2015-01-21"
    assert ucdp["date_prec"] == 2 and ucdp["where_prec"] == 1


# ---------------------------------------------------------------------------------------------
# Evaluation helpers


def test_bcubed_scores() -> None:
    gold = [["a", "b"], ["c"]]
    assert score_grouping(gold, gold)["f1"] == 1.0
    alone = score_grouping([["a"], ["b"], ["c"]], gold)
    assert alone["precision"] == 1.0 and alone["recall"] == pytest.approx(2 / 3, abs=1e-3)
    lumped = score_grouping([["a", "b", "c"]], gold)
    assert lumped["recall"] == 1.0 and lumped["precision"] == pytest.approx(5 / 9, abs=1e-3)
    as_mapping = score_grouping({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "y"})
    assert as_mapping["f1"] == 1.0


def test_evaluate_events_on_a_small_file(tmp_path: Path) -> None:
    path = tmp_path / "mini.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["event_id", "source_headline", "source_date"])
        w.writerow(["1", "Shelling hits Avdiivka ;; Avdiivka shelled overnight", "20.01.2015;20.01.2015"])
        w.writerow(["2", "Clashes near Luhansk ;; nan", "20.01.2015;21.01.2015"])
        w.writerow(["3", "Talks resume in the capital", "21.01.2015"])

    def fake(text: str, published, report_id: str) -> list[EventRecord]:
        if "Avdiivka" in text:
            return [rec(report_id, day=published.isoformat())]
        if "Luhansk" in text:
            return [rec(report_id, day=published.isoformat(), sub="Armed clash", place="Luhansk")]
        return []

    out = evaluate_events(path, fake)
    assert out["reports"] == 4  # "nan" is not a report
    assert out["gold_events"] == 3
    assert out["fieldreport"]["f1"] == 1.0
    assert out["baseline_singletons"]["recall"] < 1.0


@pytest.mark.skipif(not UCDP_GOLD.exists(), reason=f"UCDP gold file absent: {UCDP_GOLD}")
def test_evaluate_events_reads_the_ucdp_file() -> None:
    out = evaluate_events(UCDP_GOLD, lambda text, published, rid: [], limit=200)
    assert out["reports"] > 200
    assert out["fieldreport"] == out["baseline_singletons"]  # no records: every report alone
