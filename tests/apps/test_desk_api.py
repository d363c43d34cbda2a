"""The desk's HTTP API, tested with httpx against `fieldreport serve` running as a user starts it."""

from __future__ import annotations

import csv
import io
import time

import duckdb
import httpx
import pyarrow.parquet as pq
import pytest

from fieldreport.apps.server import REFRESH_EVERY_S
from tests.desk_support import Server, cli, free_port, ingest, store_copy

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return store_copy(tmp_path_factory.getbasetemp(), "api")


@pytest.fixture(scope="module")
def server(db):
    with Server(db, TOKEN, env={"FIELDREPORT_WRITE_WAIT": "1"}) as s:
        yield s


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def two_source_event(http) -> dict:
    items = http.get("/api/events", params={"limit": 500}).json()["items"]
    multi = [e for e in items if len(e["record_ids"]) >= 2]
    assert multi, "the fixture articles tell one event twice (Monguno); the grouping should merge them"
    return multi[0]


def test_page_and_openapi(http):
    page = http.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<div id=\"map\"" in page.text
    paths = http.get("/openapi.json").json()["paths"]
    for p in ("/api/events", "/api/records", "/api/events/{event_id}", "/api/records/{record_id}",
              "/api/events.geojson", "/api/export", "/api/records/{record_id}/review", "/api/decisions"):  # fmt: skip
        assert p in paths
    for asset in ("/vendor/leaflet/leaflet.js", "/vendor/markercluster/leaflet.markercluster.js", "/static/desk.js"):
        assert http.get(asset).status_code == 200, asset


def test_events_have_coordinates_and_filters_work(http):
    body = http.get("/api/events").json()
    assert body["total"] == len(body["items"]) >= 4
    located = [e for e in body["items"] if e["latitude"] is not None]
    assert located and all(-90 <= e["latitude"] <= 90 and -180 <= e["longitude"] <= 180 for e in located)
    types = {e["event_type"] for e in body["items"]}
    for t in types:
        only = http.get("/api/events", params={"event_type": t}).json()
        assert only["total"] == sum(e["event_type"] == t for e in body["items"])
        assert all(e["event_type"] == t for e in only["items"])
    page = http.get("/api/events", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == body["total"] and [e["event_id"] for e in page["items"]] == [
        e["event_id"] for e in body["items"][1:3]
    ]
    dated = sorted(e["event_date"] for e in body["items"] if e["event_date"])
    later = http.get("/api/events", params={"date_from": dated[-1]}).json()
    assert later["total"] >= 1 and all(e["event_date"] >= dated[-1] for e in later["items"])
    big = http.get("/api/events", params={"min_fatalities": 5}).json()
    assert all(e["fatalities"] >= 5 for e in big["items"]) and big["total"] < body["total"]
    recs = http.get("/api/records", params={"country": "Nigeria"}).json()
    assert recs["total"] >= 2 and all(r["country"] == "Nigeria" for r in recs["items"])
    assert all(r["event_id"] for r in recs["items"])


def test_geojson_is_a_feature_collection_of_points(http):
    fc = http.get("/api/events.geojson").json()
    assert fc["type"] == "FeatureCollection" and fc["features"]
    for f in fc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert (lat, lon) == (f["properties"]["latitude"], f["properties"]["longitude"])
        assert f["properties"]["event_type"] and "fatalities" in f["properties"]


def test_one_event_with_records_sources_claims_and_corroboration(http):
    ev = two_source_event(http)
    d = http.get(f"/api/events/{ev['event_id']}").json()
    assert d["event"]["event_id"] == ev["event_id"]
    assert {r["record_id"] for r in d["records"]} == set(ev["record_ids"])
    assert {s["outlet"] for s in d["sources"]} == set(ev["sources"]) and len(d["sources"]) == 2
    assert d["corroboration"]["status"] == ev["corroboration"]
    assert d["corroboration"]["number_of_sources"] == 2
    for c in d["claims"]:
        assert c["claimant"] and c["text"]
    # a unique prefix works like the whole id
    assert http.get(f"/api/events/{ev['event_id'][:10]}").json()["event"]["event_id"] == ev["event_id"]


def test_one_record_with_article_text_and_evidence(http):
    rid = two_source_event(http)["record_ids"][0]
    d = http.get(f"/api/records/{rid}").json()
    text = d["article"]["text"]
    assert d["record"]["record_id"] == rid and text
    fields = {s["field"] for s in d["evidence"]}
    assert {"fatalities", "location", "event_type"} <= fields
    for s in d["evidence"]:
        assert text[s["start"] : s["end"]] == s["text"]


def test_errors_are_json_and_inputs_are_limited(http):
    for path, status in [
        ("/api/nothing", 404), ("/api/events/ev-nope", 404), ("/api/records/r-nope", 404),
        ("/api/events?limit=100000", 422), ("/api/events?date_from=yesterday", 422),
        ("/api/records?min_fatalities=-1", 422), ("/api/export?format=xlsx", 422),
        ("/api/events?q=" + "x" * 500, 422),
    ]:  # fmt: skip
        r = http.get(path)
        assert r.status_code == status, path
        assert r.json()["error"], path
    r = http.post("/api/decisions", content=b"{" + b" " * 70000 + b"}", headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413 and "larger" in r.json()["error"]


def test_review_needs_the_token(http):
    rid = http.get("/api/records").json()["items"][0]["record_id"]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        r = http.post(f"/api/records/{rid}/review", json={"status": "confirmed"}, headers=headers)
        assert r.status_code == 401 and "token" in r.json()["error"]
        assert r.headers["www-authenticate"] == "Bearer"
    r = http.post("/api/decisions", json={"action": "split", "record_ids": [rid, rid]})
    assert r.status_code == 401


def test_corrected_field_is_kept_with_history_and_wins_in_exports(http, server, db):
    ev = two_source_event(http)
    rid = ev["record_ids"][0]
    before = http.get(f"/api/records/{rid}").json()["record"]
    new = before["fatalities"] + 5
    r = http.post(
        f"/api/records/{rid}/review",
        json={"field": "fatalities", "value": new, "note": "the hospital's count", "analyst": "ana"},
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    assert r.json()["record"]["fatalities"] == new
    d = http.get(f"/api/records/{rid}").json()
    assert d["record"]["fatalities"] == new and "fatalities" in d["record"]["reviewed_fields"]
    first = d["reviews"][0]
    assert (first["field"], first["value"], first["value_before"], first["analyst"], first["note"]) == (
        "fatalities", new, before["fatalities"], "ana", "the hospital's count"
    )
    assert first["made_at"].endswith("Z")
    # wrong values are refused with a reason, and nothing is kept
    bad = http.post(f"/api/records/{rid}/review", json={"field": "fatalities", "value": "many"}, headers=AUTH)
    assert bad.status_code == 422 and "fatalities" in bad.json()["error"]
    bad = http.post(f"/api/records/{rid}/review", json={"field": "record_id", "value": "x"}, headers=AUTH)
    assert bad.status_code == 422
    assert len(http.get(f"/api/records/{rid}/reviews").json()["items"]) == len(d["reviews"])

    # exports say which fields were reviewed
    rows = list(csv.DictReader(io.StringIO(http.get("/api/export", params={"format": "acled-csv", "of": "records"}).text)))
    mine = next(row for row in rows if row["event_id_cnty"] == rid)
    assert mine["fatalities"] == str(new) and "fatalities" in mine["reviewed_fields"].split("; ")
    events = list(csv.DictReader(io.StringIO(http.get("/api/export", params={"format": "acled-csv"}).text)))
    assert "fatalities" in next(e for e in events if e["event_id_cnty"] == http.get(f"/api/records/{rid}").json()["record"]["event_id"])["reviewed_fields"]
    ucdp = list(csv.DictReader(io.StringIO(http.get("/api/export", params={"format": "ucdp-csv"}).text)))
    assert "reviewed_fields" in ucdp[0]
    pq_bytes = http.get("/api/export", params={"format": "parquet", "of": "records"}).content
    table = pq.read_table(io.BytesIO(pq_bytes)).to_pylist()
    assert "fatalities" in next(t for t in table if t["record_id"] == rid)["reviewed_fields"]

    # the CLI export reads the same store and says the same
    out = cli("export", "--db", str(db), "--format", "acled-csv")
    assert out.returncode == 0
    assert "fatalities" in next(r for r in csv.DictReader(io.StringIO(out.stdout)) if r["event_id_cnty"] == rid)["reviewed_fields"]

    # and a re-ingest of the same articles keeps the analyst's value, also when they are extracted again
    for force in (False, True):
        ingest(db, force=force)
        time.sleep(REFRESH_EVERY_S + 0.3)
        after = http.get(f"/api/records/{rid}").json()
        assert after["record"]["fatalities"] == new
        assert len(after["reviews"]) == len(d["reviews"])
        ev_after = http.get(f"/api/events/{after['record']['event_id']}").json()
        assert rid in ev_after["event"]["record_ids"] and "fatalities" in ev_after["event"]["reviewed_fields"]


def test_sub_event_type_brings_its_event_type(http):
    rec = http.get("/api/records", params={"country": "Bangladesh"}).json()["items"][0]  # an event of one report
    r = http.post(f"/api/records/{rec['record_id']}/review", json={"field": "sub_event_type", "value": "Mob violence"}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert (r.json()["record"]["event_type"], r.json()["record"]["sub_event_type"]) == ("Riots", "Mob violence")
    bad = http.post(f"/api/records/{rec['record_id']}/review", json={"field": "event_type", "value": "Battles"}, headers=AUTH)
    assert bad.status_code == 422 and "sub_event_type" in bad.json()["error"]


def test_reject_confirm_and_decisions(http):
    ev = two_source_event(http)
    a, b = ev["record_ids"][:2]
    # split: the two reports become two events, and stay so
    r = http.post("/api/decisions", json={"action": "split", "record_ids": [a, b], "note": "two attacks"}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["event_of"][a] != r.json()["event_of"][b]
    # merge: one event again
    r = http.post("/api/decisions", json={"action": "merge", "record_ids": [a, b]}, headers=AUTH)
    assert r.status_code == 200 and r.json()["event_of"][a] == r.json()["event_of"][b]
    bad = http.post("/api/decisions", json={"action": "merge", "record_ids": [a, "r-nope"]}, headers=AUTH)
    assert bad.status_code == 404
    # reject: the record is no event any more, but stays in the store with its status
    total = http.get("/api/events").json()["total"]
    r = http.post(f"/api/records/{a}/review", json={"status": "rejected", "note": "not an event"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["record"]["review_status"] == "rejected"
    assert r.json()["record"]["event_id"] is None
    assert all(a not in e["record_ids"] for e in http.get("/api/events").json()["items"])
    assert http.get("/api/events").json()["total"] == total
    assert [x["record_id"] for x in http.get("/api/records", params={"status": "rejected"}).json()["items"]] == [a]
    rows = list(csv.DictReader(io.StringIO(http.get("/api/export", params={"format": "acled-csv", "of": "records"}).text)))
    assert a not in {row["event_id_cnty"] for row in rows}
    r = http.post(f"/api/records/{a}/review", json={"status": "confirmed"}, headers=AUTH)
    assert r.json()["record"]["event_id"] is not None
    hist = http.get(f"/api/records/{a}/reviews").json()["items"]
    assert [(h["value"], h["value_before"]) for h in hist if h["kind"] == "status"][-2:] == [("rejected", None), ("confirmed", "rejected")]


def test_reads_go_on_while_another_process_holds_the_store(http, db):
    before = http.get("/api/events").json()
    holder = duckdb.connect(str(db))  # as an ingest does: the file is locked for everyone else
    try:
        holder.execute("INSERT OR REPLACE INTO meta VALUES ('desk-test', 'held')")
        holder.execute("CHECKPOINT")
        time.sleep(REFRESH_EVERY_S + 0.3)  # the desk looks at the file at most once a second
        r = http.get("/api/events")
        assert r.status_code == 200 and r.json()["total"] == before["total"]
        assert r.headers.get("x-fieldreport-store-busy") == "1"
        rid = before["items"][0]["record_ids"][0]
        w = http.post(f"/api/records/{rid}/review", json={"status": "confirmed"}, headers=AUTH)
        assert w.status_code == 503 and "held by another process" in w.json()["error"]
    finally:
        holder.close()
    w = http.post(f"/api/records/{rid}/review", json={"status": "confirmed"}, headers=AUTH)
    assert w.status_code == 200
    time.sleep(REFRESH_EVERY_S + 0.3)
    assert "x-fieldreport-store-busy" not in http.get("/api/events").headers


def test_a_desk_started_while_an_ingest_holds_the_store_serves_once_it_lets_go(tmp_path_factory):
    db = store_copy(tmp_path_factory.getbasetemp(), "api-held")
    holder = duckdb.connect(str(db))
    try:
        with Server(db, env={"FIELDREPORT_WRITE_WAIT": "1"}, ready=(200, 503)) as s:
            r = httpx.get(s.url + "/api/events")
            assert r.status_code == 503 and "held by another process" in r.json()["error"]
            holder.close()
            time.sleep(REFRESH_EVERY_S + 0.3)
            assert httpx.get(s.url + "/api/events").json()["total"] >= 4
    finally:
        holder.close()


def test_token_from_environment_or_generated(tmp_path_factory):
    db = store_copy(tmp_path_factory.getbasetemp(), "api-token")
    with Server(db, token=None, env={"FIELDREPORT_TOKEN": "from-env"}) as s:
        rid = httpx.get(s.url + "/api/records").json()["items"][0]["record_id"]
        r = httpx.post(f"{s.url}/api/records/{rid}/review", json={"status": "confirmed"}, headers={"Authorization": "Bearer from-env"})
        assert r.status_code == 200
        assert "from-env" not in s.output()
    with Server(db, token=None) as s:
        line = next(l for l in s.output().splitlines() if l.startswith("review token:"))
        token = line.split(":", 1)[1].strip()
        assert len(token) >= 16
        r = httpx.post(f"{s.url}/api/records/{rid}/review", json={"status": "confirmed"}, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200


def test_serve_says_when_the_port_is_taken(tmp_path_factory, server):
    db = store_copy(tmp_path_factory.getbasetemp(), "api-port")
    done = cli("serve", "--db", str(db), "--port", str(server.port), timeout=60)
    assert done.returncode == 2 and "cannot serve" in done.stderr
    assert free_port() != server.port
