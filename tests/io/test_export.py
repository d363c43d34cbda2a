"""Exports in the field's formats read back as their users' tools would read them."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq

from fieldreport.io.export import ACLED_COLUMNS, export_records
from fieldreport.schema.records import EventRecord, MaterielOut


def _recs() -> list[EventRecord]:
    base = dict(
        event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Russia (2000-)", inter1=8, actor2="Civilians (Ukraine)", inter2=7,
        country="Ukraine", iso3="UKR", admin1="Donetsk", location="Pokrovsk", event_date="2024-05-02",
        time_precision=1, fatalities=3, fatalities_low=3, fatalities_best=4, fatalities_high=5, injured=9,
        materiel=[MaterielOut(kind="truck", count=None, status="damaged")], source="Wire",
        notes="On 2 May 2024, shelling.",
    )  # fmt: skip
    return [
        EventRecord(article_id="a", record_id="r1", latitude=48.28, longitude=37.18, **base),
        EventRecord(article_id="b", record_id="r2", **base),  # no coordinates
    ]


def test_acled_csv_has_acled_columns_and_values(tmp_path):
    out = tmp_path / "e.csv"
    export_records(_recs(), "acled-csv", str(out))
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0].keys()) == ACLED_COLUMNS
    r = rows[0]
    assert r["event_date"] == "2024-05-02" and r["year"] == "2024" and r["iso"] == "804"
    assert r["interaction"] == "78" and r["civilian_targeting"] == "Civilian targeting"
    assert r["disorder_type"] == "Political violence" and r["fatalities"] == "3" and r["fatalities_high"] == "5"


def test_geojson_is_a_feature_collection_and_says_what_it_left_out(tmp_path):
    out = tmp_path / "e.geojson"
    msg = export_records(_recs(), "geojson", str(out))
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    assert data["features"][0]["geometry"]["coordinates"] == [37.18, 48.28]
    assert "1 without coordinates left out" in msg


def test_parquet_keeps_types_and_nested_materiel(tmp_path):
    out = tmp_path / "e.parquet"
    export_records(_recs(), "parquet", str(out))
    t = pq.read_table(out)
    assert t.num_rows == 2
    assert t.column("fatalities_best").to_pylist() == [4, 4]
    assert t.column("materiel").to_pylist()[0] == [{"kind": "truck", "count": None, "status": "damaged"}]


def test_jsonl_round_trips(tmp_path):
    out = tmp_path / "e.jsonl"
    export_records(_recs(), "jsonl", str(out))
    back = [EventRecord.model_validate_json(line) for line in out.read_text().splitlines()]
    assert back == _recs()
