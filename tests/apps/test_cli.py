"""The command line as a user drives it: the contract's commands, exit codes and messages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fieldreport.apps.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
# The example articles (the folder also holds their golden records and a README, which a directory
# ingest names as not read, exit 3).
ARTICLES = [str(p) for p in sorted(EXAMPLES.glob("[0-9]*.md"))]
runner = CliRunner()

STRIKE = (
    "KABUL, March 3 - A roadside bomb struck a police vehicle in Kandahar province on Sunday, killing four "
    "officers and wounding two others, the provincial police chief said."
)


def _bin() -> str:
    exe = Path(sys.executable).parent / "fieldreport"
    return str(exe) if exe.exists() else shutil.which("fieldreport") or "fieldreport"


def test_extract_with_the_real_console_script_and_a_bad_line(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        json.dumps({"id": "k1", "text": STRIKE, "published": "2024-03-05", "outlet": "Wire"}) + "\n"
        + "{broken\n"
        + json.dumps({"id": "flood", "text": "Heavy rain flooded several villages and the river burst its banks, "
                      "officials said, and thousands of families moved to higher ground."}) + "\n"
    )
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [_bin(), "extract", "--input", str(inp), "--output", str(out)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 3, proc.stderr
    assert "in.jsonl:2" in proc.stderr and "invalid JSON" in proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["article_id"] for r in rows] == ["k1"]
    r = rows[0]
    assert r["sub_event_type"] == "Remote explosive/landmine/IED"
    assert r["event_date"] == "2024-03-03" and r["fatalities"] == 4 and r["injured"] == 2
    assert r["admin1"] and "kandahar" in r["admin1"].lower()
    contract = {"article_id", "record_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "country", "iso3", "admin1", "admin2",
                "location", "latitude", "longitude", "geo_precision", "geonameid", "fatalities", "fatalities_low",
                "fatalities_best", "fatalities_high", "injured", "materiel", "claims", "source", "notes", "evidence",
                "confidence"}  # fmt: skip
    assert contract <= set(r)


def test_a_clean_run_exits_zero_and_stdin_works():
    # (with its publication date: a record that cannot be dated at all is warned about, exit 3)
    res = runner.invoke(
        app, ["extract", "--input", "-", "--quiet"],
        input=json.dumps({"id": "s", "text": STRIKE, "published": "2024-03-04"}) + "\n",
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout.splitlines()[0])["article_id"] == "s"


def test_wrong_command_line_exits_2():
    res = runner.invoke(app, ["extract", "--no-such-option"])
    assert res.exit_code == 2


def test_ingest_twice_never_duplicates_then_show_and_export(tmp_path):
    db = str(tmp_path / "fr.duckdb")
    first = runner.invoke(app, ["ingest", *ARTICLES, "--db", db, "--quiet"])
    assert first.exit_code == 0, first.output
    assert "Records by type" in first.stdout
    second = runner.invoke(app, ["ingest", *ARTICLES, "--db", db, "--quiet"])
    assert second.exit_code == 0
    assert "Skipped 15 articles stored unchanged" in second.output  # nothing parsed again
    forced = runner.invoke(app, ["ingest", *ARTICLES, "--db", db, "--quiet", "--force"])
    assert forced.exit_code == 0 and "Skipped" not in forced.output
    from fieldreport.io.store import Store

    with Store(db, read_only=True) as store:
        recs = store.records()
        ids = [r.record_id for r in recs]
        assert len(ids) == len(set(ids)) and store.summary()["articles"] == 15
    shown = runner.invoke(app, ["show", recs[0].record_id[:12], "--db", db])
    assert shown.exit_code == 0 and "evidence" in shown.stdout and recs[0].sub_event_type in shown.stdout
    for fmt, name in [("acled-csv", "e.csv"), ("geojson", "e.geojson"), ("parquet", "e.parquet"), ("jsonl", "e.jsonl")]:
        res = runner.invoke(app, ["export", "--format", fmt, "--output", str(tmp_path / name), "--db", db])
        assert res.exit_code == 0, res.output
        assert (tmp_path / name).stat().st_size > 100
    bad = runner.invoke(app, ["export", "--format", "xlsx", "--db", db])
    assert bad.exit_code == 2 and "unknown format" in bad.output


def test_show_without_a_store_says_what_to_do(tmp_path):
    res = runner.invoke(app, ["show", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2 and "fieldreport ingest" in res.output


def test_places_writes_the_contract_rows(tmp_path):
    out = tmp_path / "p.jsonl"
    res = runner.invoke(app, ["places", "--input", str(EXAMPLES / "02-pokrovsk-shelling.md"), "--output", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert rows and set(rows[0]) == {"article_id", "start", "end", "text", "geonameid", "name", "latitude",
                                     "longitude", "country", "admin1", "feature"}  # fmt: skip
    assert any(r["name"].startswith("Pokrovsk") and r["country"] == "Ukraine" for r in rows)


def test_places_with_and_without_the_parse_find_the_same_places(tmp_path):
    """`places` runs spaCy's entity recogniser alone; `--parse` the full pipeline. On the examples
    both resolve exactly the same places (the rules read spelling where tags are missing)."""
    rows = {}
    for flag in ([], ["--parse"]):
        out = tmp_path / f"p{len(flag)}.jsonl"
        res = runner.invoke(app, ["places", *(x for a in ARTICLES for x in ("--input", a)), "--output", str(out), "--quiet",
                                  "--workers", "2", *flag])
        assert res.exit_code == 0, res.output
        rows[bool(flag)] = {(r["article_id"], r["start"], r["geonameid"])
                            for r in map(json.loads, out.read_text().splitlines())}
    assert len(rows[False]) > 50
    assert rows[False] == rows[True]


def test_eval_on_a_small_ucdp_file_prints_a_table_and_json(tmp_path):
    gold = tmp_path / "g.csv"
    gold.write_text(
        "event_id,side_a,side_b,date_start,date_end,adm_1,latitude,longitude,best,source_headline,source_date\n"
        "1,Government of Ukraine,DPR,03.03.2015,03.03.2015,Donetsk oblast,48.0159,37.8028,2,"
        "Two Ukrainian soldiers killed in shelling near Donetsk,03.03.2015\n"
    )
    res = runner.invoke(app, ["eval", str(gold), "--json"])
    assert res.exit_code == 0, res.output
    (out,) = json.loads(res.stdout)
    assert out["kind"] == "ucdp" and out["n"] == 1
    assert out["metrics"]["detected (a record from the headline)"]["value"] == 1.0
    table = runner.invoke(app, ["eval", str(gold)])
    assert "place within 25 km" in table.stdout


def test_actors_lists_and_searches():
    res = runner.invoke(app, ["actors", "daesh"])
    assert res.exit_code == 0 and "Islamic State" in res.stdout


def test_events_and_an_analysts_decision_that_survives_reingest(tmp_path):
    db = str(tmp_path / "ev.duckdb")
    first = EXAMPLES / "02-pokrovsk-shelling.md"
    second = EXAMPLES / "14-kharkiv-sumy-two-attacks.md"
    assert runner.invoke(app, ["ingest", str(first), str(second), "--db", db, "--quiet", "--workers", "1"]).exit_code == 0
    res = runner.invoke(app, ["events", "--db", db])
    assert res.exit_code == 0, res.output
    events = [json.loads(x) for x in res.stdout.splitlines()]
    assert all(e["number_of_sources"] == 1 for e in events)
    r1, r2 = events[0]["record_ids"][0], events[1]["record_ids"][0]
    decided = runner.invoke(app, ["decide", "merge", r1, r2, "--db", db, "--note", "same barrage"])
    assert decided.exit_code == 0, decided.output
    runner.invoke(app, ["ingest", str(first), str(second), "--db", db, "--quiet", "--workers", "1"])
    from fieldreport.io.store import Store

    with Store(db, read_only=True) as store:
        merged = [e for e in store.events() if r1 in e["record_ids"]]
        assert len(merged) == 1 and r2 in merged[0]["record_ids"]
    unknown = runner.invoke(app, ["decide", "split", r1, "r-nope", "--db", db])
    assert unknown.exit_code == 2 and "no record r-nope" in unknown.output
    out = tmp_path / "events.csv"
    exported = runner.invoke(app, ["export", "--events", "--format", "ucdp-csv", "--output", str(out), "--db", db])
    assert exported.exit_code == 0 and "side_a" in out.read_text().splitlines()[0]


def test_incremental_ingest_gives_the_events_a_full_regroup_gives(tmp_path):
    from fieldreport.events.sync import consolidate_store
    from fieldreport.io.store import Store

    outlets = sorted((ROOT / "tests" / "fixtures" / "outlets").glob("*.jsonl"))
    assert len(outlets) >= 2
    db = str(tmp_path / "inc.duckdb")
    for f in outlets:  # one outlet at a time, as articles arrive
        assert runner.invoke(app, ["ingest", str(f), "--db", db, "--quiet", "--workers", "1"]).exit_code == 0
    with Store(db) as store:
        incremental = sorted(sorted(e["record_ids"]) for e in store.events())
        consolidate_store(store)  # everything regrouped from scratch
        full = sorted(sorted(e["record_ids"]) for e in store.events())
    assert incremental == full
    assert any(len(ids) > 1 for ids in full)  # several outlets told one event
