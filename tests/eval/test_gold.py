"""`fieldreport eval` on event-coded gold: ACLED CSV (a file the test writes), PLOVER and UCDP (shared)."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from fieldreport.apps.cli import app
from fieldreport.eval import detect_kind, run_eval
from fieldreport.eval.gold import admin1_matches, side_matches, weighted_f1

from tests.conftest import shared_file

runner = CliRunner()

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


# ------------------------------------------------------------------------------------------------
# Only the columns a gold file has are scored; --mistakes writes every wrong field.

# Written for these tests: a file in the shape of an actors-and-types-only snapshot (no sub-event type,
# no inter codes, no admin1), with one row whose actor1 is left empty and one non-conflict row.
PARTIAL_ROWS = [
    {
        "event_id_cnty": "PRT1", "event_type": "Protests", "actor1": "Protesters (Kenya)", "sub_event_type": "",
        "inter1": "",
        "notes": "On 3 May 2023, some two hundred nurses marched peacefully through Kisumu to demand unpaid "
                 "wages.",
    },
    {
        "event_id_cnty": "PRT2", "event_type": "Battles", "actor1": "", "sub_event_type": "", "inter1": "",
        "notes": "On 9 May 2023, soldiers of the Nigerien army fought gunmen for two hours near Tillaberi.",
    },
    {
        "event_id_cnty": "PRT3", "event_type": "", "actor1": "", "sub_event_type": "", "inter1": "",
        "notes": "On 11 May 2023, the two foreign ministers met in Geneva to discuss trade and visas.",
    },
]  # fmt: skip


def _write_csv(path, rows):
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def test_eval_scores_only_the_columns_the_gold_file_fills(tmp_path):
    res = run_eval(str(_write_csv(tmp_path / "partial.csv", PARTIAL_ROWS)), workers=1)
    m = res["metrics"]
    # empty columns are not scored at all (they used to score 0)
    for absent in ("sub_event_type", "inter1", "inter2", "actor2", "fatalities", "event_date", "admin1",
                   "place within 25 km", "sub_event_type weighted F1"):  # fmt: skip
        assert absent not in m, absent
    assert m["detected"]["n"] == 2 and m["event_type"]["n"] == 2
    assert m["actor1"]["n"] == 1  # the row with an empty actor1 is not scored for it
    assert m["non-conflict rows left without a record"]["n"] == 1
    assert m["event_type weighted F1"]["n"] == 3


def test_eval_writes_every_wrong_field_as_json_lines(tmp_path):
    rows = [dict(r) for r in PARTIAL_ROWS[:2]]
    rows[0]["event_type"] = "Riots"  # a gold answer we cannot match: the mistake must be written
    rows[0]["actor1"] = "Rioters (Kenya)"
    gold = _write_csv(tmp_path / "gold.csv", rows)
    out_file = tmp_path / "wrong.jsonl"
    res = runner.invoke(app, ["eval", str(gold), "--mistakes", str(out_file), "--workers", "1"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in out_file.read_text().splitlines()]
    by_field = {(x["id"], x["field"]): x for x in lines}
    wrong_type = by_field[("PRT1", "event_type")]
    assert wrong_type["gold"] == "Riots" and wrong_type["ours"] == "Protests"
    assert wrong_type["text"] == rows[0]["notes"]
    # our evidence for the field: offsets into the text, and the words they cover
    assert wrong_type["evidence"] and all(
        rows[0]["notes"][e["start"] : e["end"]] == e["words"] for e in wrong_type["evidence"]
    )
    assert by_field[("PRT1", "actor1")]["ours"] == "Protesters (Kenya)"
    assert {x["field"] for x in lines} <= {"detected", "event_type", "actor1"}
    assert not any(x["id"] == "PRT2" and x["field"] == "actor1" for x in lines)  # empty gold: not scored


def test_eval_mistakes_file_that_cannot_be_written_is_a_clear_error(tmp_path):
    gold = _write_csv(tmp_path / "gold.csv", PARTIAL_ROWS[:1])
    res = runner.invoke(app, ["eval", str(gold), "--mistakes", str(tmp_path / "no" / "such" / "dir.jsonl")])
    assert res.exit_code == 2
    assert "dir.jsonl" in res.output


def test_inter_codes_spelled_out_in_words_are_read():
    from fieldreport.eval.gold import inter_code

    assert inter_code("6") == 6 and inter_code("Protesters") == 6 and inter_code("State forces") == 1
    assert inter_code("External/Other forces") == 8 and inter_code("") is None and inter_code("0") is None


def test_a_note_without_its_year_is_undated_and_counted_wrong(tmp_path):
    # a note with no publication date and no year: no date is given (never guessed), event_date
    # counts it wrong, and the diagnostic line says the dates given were right
    rows = [dict(ACLED_ROWS[0]), dict(ACLED_ROWS[1])]
    rows[1]["notes"] = "On 14 March, hundreds of traders held a peaceful demonstration in Nairobi against new market fees."
    path = tmp_path / "acled.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    m = run_eval(str(path), workers=1)["metrics"]
    assert m["event_date"] == {"value": 0.5, "n": 2}
    assert m["event_date, of records given a date"] == {"value": 1.0, "n": 1}


def test_ucdp_adm1_of_the_philippines_is_compared_at_the_province_level(tmp_path):
    # UCDP's adm_1 follows GADM's first level: in the Philippines a province, which is GeoNames'
    # second level (eval/gold_divisions.yaml). A headline written for this test.
    path = tmp_path / "ucdp.csv"
    row = {"id": "T1", "source_headline": "Soldiers clash with rebels in Makilala, Cotabato; two killed",
           "source_date": "2019-03-02", "iso3": "PHL", "adm_1": "Cotabato province",
           "latitude": "6.96", "longitude": "125.09", "side_a": "Government of Philippines",
           "side_b": "CPP", "best": "2", "date_start": "2019-03-01", "date_end": "2019-03-01"}
    _write_csv(path, [row])
    res = run_eval(str(path), workers=1)
    m = res["metrics"]
    assert m["admin1"]["value"] == 1.0 and m["admin1"]["n"] == 1
    assert any("admin2" in n for n in res["notes"])
