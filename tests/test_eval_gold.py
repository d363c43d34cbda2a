"""`fieldreport eval` on event-coded gold: ACLED CSV (a file the test writes), PLOVER and UCDP (shared)."""

from __future__ import annotations

import csv

from fieldreport.eval import detect_kind, run_eval
from fieldreport.eval.gold import admin1_matches, side_matches, weighted_f1

from .conftest import shared_file

ACLED_ROWS = [
    {
        "event_id_cnty": "TST1", "event_date": "12 March 2023", "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED", "actor1": "Al Shabaab", "inter1": "2",
        "actor2": "Military Forces of Somalia (2022-)", "inter2": "1", "admin1": "Lower Shabeelle",
        "location": "Afgooye", "latitude": "2.1381", "longitude": "45.1212", "fatalities": "3",
        "notes": "On 12 March 2023, an IED planted by Al Shabaab militants struck a Somali army vehicle near "
                 "Afgooye in Lower Shabelle region, killing 3 soldiers.",
    },
    {
        "event_id_cnty": "TST2", "event_date": "14 March 2023", "event_type": "Protests",
        "sub_event_type": "Peaceful protest", "actor1": "Protesters (Kenya)", "inter1": "6", "actor2": "",
        "inter2": "", "admin1": "Nairobi", "location": "Nairobi", "latitude": "-1.2833", "longitude": "36.8167",
        "fatalities": "0",
        "notes": "On 14 March 2023, hundreds of traders held a peaceful demonstration in Nairobi against new "
                 "market fees.",
    },
]  # fmt: skip


def test_acled_csv_is_recognised_and_scored(tmp_path):
    path = tmp_path / "acled.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ACLED_ROWS[0]))
        w.writeheader()
        w.writerows(ACLED_ROWS)
    assert detect_kind(str(path)) == "acled"
    res = run_eval(str(path), workers=1)
    m = res["metrics"]
    assert res["n"] == 2 and m["detected"]["value"] == 1.0
    assert m["event_type"]["value"] == 1.0 and m["event_type"]["n"] == 2
    assert m["event_date"]["value"] == 1.0
    assert 0.0 <= m["sub_event_type weighted F1"]["value"] <= 1.0


def test_weighted_f1_counts_no_record_as_a_class():
    assert weighted_f1([("Attack", "Attack"), ("none", "none")]) == 1.0
    assert weighted_f1([("Attack", "none"), ("none", "none")]) < 1.0


def test_side_and_admin1_matching_rules():
    assert side_matches("Government of Ukraine", "Military Forces of Ukraine (2019-)")
    assert side_matches("IS", "Islamic State (Syria)")
    assert not side_matches("IS", "Military Forces of Syria (2000-2024)")
    assert side_matches("Syrian insurgents", "Some Brigade", inter=2)
    assert admin1_matches("Deir ez-Zor", "Deir ez Zor Governorate")
    assert admin1_matches("Donetsk", "Donetsk oblast")
    assert not admin1_matches("Aleppo", "Homs Governorate")


def test_plover_scorer_on_the_shared_sentences():
    path = shared_file("data", "plover", "plover_gsr_cameo.json")
    res = run_eval(str(path), workers=1)
    m = res["metrics"]
    assert m["violent/protest sentences with a record"]["value"] >= 0.6
    assert m["non-violent sentences left without a record"]["value"] >= 0.8
    assert m["death count right"]["value"] >= 0.7


def test_ucdp_scorer_on_a_slice_of_the_shared_file():
    path = shared_file("data", "ucdp", "ucdp_ged_syria_2016_2019.csv")
    res = run_eval(str(path), limit=150, workers=1)
    m = res["metrics"]
    assert m["detected (a record from the headline)"]["value"] >= 0.6
    assert m["place found"]["value"] >= 0.5
