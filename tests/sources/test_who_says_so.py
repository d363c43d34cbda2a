"""Issue 15's bar, end to end: reports of one air strike, ingested into a real DuckDB store through
the command line, then read back as events.

Two state outlets of the attacking country relay its defence ministry: the event is `claimed only
by a side`, no independent source, and the ministry's claim is a side's. A wire agency citing a
monitor then makes it `independent sources`; the ministry's figure is the top of the range and the
monitor's the fatalities. (The articles are written for this test; the outlets are real ones the
registry knows, named only by their outlet field, URL or dateline.)
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fieldreport.apps.cli import app

runner = CliRunner()

STATE_OUTLET = {  # named by its outlet field and its dateline
    "id": "strike-state-1",
    "outlet": "TASS",
    "published": "2024-03-05",
    "text": (
        "MOSCOW, March 5 (TASS) - Russian aircraft struck a militant headquarters near the town of Saraqib "
        "in Idlib province on Monday, killing 60 militants, the Russian Defence Ministry said. The ministry "
        "said the strike also destroyed eight pickup trucks fitted with heavy machine guns."
    ),
}
STATE_OUTLET_2 = {  # named by its URL only
    "id": "strike-state-2",
    "url": "https://www.rt.com/news/591234-idlib-saraqib-strike/",
    "published": "2024-03-05",
    "text": (
        "Russian warplanes hit a militant command post near Saraqib in Idlib province on Monday, killing 60 "
        "militants, Russia's Defence Ministry said in a statement on Tuesday."
    ),
}
WIRE = {  # an independent wire agency citing a monitor; named by its dateline only
    "id": "strike-wire",
    "published": "2024-03-05",
    "text": (
        "BEIRUT, March 5 (Reuters) - Air strikes hit a militant base near Saraqib in Idlib province and "
        "killed 14 fighters on Monday, the Syrian Observatory for Human Rights said. The Britain-based war "
        "monitor said the jets were Russian."
    ),
}


def _write(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def _ingest(db: Path, src: Path) -> None:
    res = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--workers", "1", "--quiet"])
    assert res.exit_code == 0, res.output


def _events(db: Path) -> list[dict]:
    res = runner.invoke(app, ["events", "--db", str(db)])
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


def _records(db: Path) -> list[dict]:
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


def _strike(events: list[dict], article_ids: set[str]) -> dict:
    found = [e for e in events if article_ids <= set(e["article_ids"])]
    assert len(found) == 1, events
    return found[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("who-says-so") / "store.duckdb"


def test_two_state_outlets_relaying_their_ministry_are_one_side(store: Path, tmp_path: Path) -> None:
    _ingest(store, _write(tmp_path / "state.jsonl", [STATE_OUTLET, STATE_OUTLET_2]))
    ev = _strike(_events(store), {"strike-state-1", "strike-state-2"})
    assert ev["sub_event_type"] == "Air/drone strike"
    assert sorted(ev["sources"]) == ["RT", "TASS"] and ev["number_of_sources"] == 2
    assert ev["corroboration"] == "claimed only by a side"
    assert ev["independent_sources"] == 0
    assert ev["fatalities_claimed"] == 60 and ev["fatalities_independent"] is None

    recs = [r for r in _records(store) if r["article_id"].startswith("strike-state")]
    assert len(recs) == 2
    for r in recs:
        (claim,) = [c for c in r["claims"] if c["claimant"] == "Russian Ministry of Defence"]
        assert claim["claimant_party"] is True
        assert claim["claimant_kind"] == "military" and claim["claimant_country"] == "RUS"
        assert claim["outlet"] == r["source"] and claim["outlet_tied"] is True  # state media of its own state
        assert r["outlet"]["kind"] == "state" and r["outlet"]["state"] == "RUS"
    tass = next(r for r in recs if r["article_id"] == "strike-state-1")
    (s, e), = tass["evidence"]["source"]  # the dateline says who wrote it
    assert STATE_OUTLET["text"][s:e] == "TASS"


def test_a_wire_citing_a_monitor_makes_it_independent(store: Path, tmp_path: Path) -> None:
    _ingest(store, _write(tmp_path / "wire.jsonl", [WIRE]))
    ev = _strike(_events(store), {"strike-state-1", "strike-state-2", "strike-wire"})
    assert ev["corroboration"] == "independent sources"
    assert ev["independent_sources"] >= 1
    assert ev["number_of_sources"] == 3
    # the side's claim is the high end of the range, the monitor's figure the fatalities
    assert ev["fatalities"] == 14 and ev["fatalities_independent"] == 14
    assert ev["fatalities_high"] == 60 and ev["fatalities_claimed"] == 60
    assert ev["fatalities_low"] == 14

    wire = next(r for r in _records(store) if r["article_id"] == "strike-wire")
    assert wire["source"] == "Reuters" and wire["outlet"]["kind"] == "wire"
    (claim,) = [c for c in wire["claims"] if c["claimant"] == "Syrian Observatory for Human Rights"]
    assert claim["claimant_party"] is False and claim["outlet_tied"] is False


def test_acled_exports_carry_source_and_source_scale(store: Path) -> None:
    res = runner.invoke(app, ["export", "--db", str(store), "--events", "--format", "acled-csv"])
    assert res.exit_code == 0, res.output
    rows = [r for r in csv.DictReader(io.StringIO(res.stdout)) if "Reuters" in r["source"]]
    assert len(rows) == 1
    assert set(rows[0]["source"].split("; ")) == {"RT", "Reuters", "TASS"}
    assert rows[0]["source_scale"] == "International"  # all three sell abroad
    assert rows[0]["independent_sources"] == "1"

    res = runner.invoke(app, ["export", "--db", str(store), "--format", "acled-csv"])
    assert res.exit_code == 0, res.output
    by_source = {r["source"]: r["source_scale"] for r in csv.DictReader(io.StringIO(res.stdout))}
    assert by_source["Reuters"] == "International" and by_source["TASS"] == "International"
