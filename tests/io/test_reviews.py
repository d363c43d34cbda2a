"""Analysts' reviews in the store: kept with who/when/the value before, winning over every re-ingest."""

from __future__ import annotations

import pytest

from fieldreport.events.sync import consolidate_store
from fieldreport.io.export import export_records
from fieldreport.io.reviews import ReviewError
from fieldreport.io.store import Store
from tests.desk_support import store_copy


@pytest.fixture
def store(tmp_path_factory, request):
    db = store_copy(tmp_path_factory.getbasetemp(), f"reviews-{request.node.name}")
    with Store(db) as s:
        yield s


def _machine_pairs(store: Store, article_id: str):
    """The article and its records as the pipeline gave them (the reviews undone): what a re-ingest writes."""
    art = store.article(article_id)
    recs = store.records("article_id = ?", [article_id])
    for rec in recs:
        for row in reversed(store.review_history(rec.record_id)):
            if row["kind"] == "field":
                setattr(rec, row["field"], row["value_before"])
    return [(art, recs)]


def test_a_corrected_field_wins_over_a_re_ingest(store):
    rec = store.records("country = 'Nigeria'")[0]
    rows = store.review(rec.record_id, field="fatalities", value=rec.fatalities + 3, note="count", analyst="ana")
    assert rows[0]["value_before"] == rec.fatalities and rows[0]["analyst"] == "ana"
    store.ingest(_machine_pairs(store, rec.article_id))
    again = store.record(rec.record_id)
    assert again.fatalities == rec.fatalities + 3
    # a figure outside the machine's range brings the range along, so the record stays coherent
    assert again.fatalities_low == again.fatalities_best == again.fatalities_high == rec.fatalities + 3
    assert store.review_summary([rec.record_id])[rec.record_id]["reviewed_fields"] == [
        "fatalities", "fatalities_best", "fatalities_high", "fatalities_low"
    ]  # fmt: skip
    history = store.review_history(rec.record_id)
    assert [h["field"] for h in history] == ["fatalities", "fatalities_low", "fatalities_best", "fatalities_high"]
    assert all(h["made_at"].endswith("Z") and h["analyst"] == "ana" for h in history)


def test_the_latest_correction_wins_and_every_one_is_kept(store):
    rec = store.records("country = 'Bangladesh'")[0]
    store.review(rec.record_id, field="location", value="Motijheel")
    store.review(rec.record_id, field="location", value="Shahbagh")
    store.ingest(_machine_pairs(store, rec.article_id))
    assert store.record(rec.record_id).location == "Shahbagh"
    hist = [(h["value_before"], h["value"]) for h in store.review_history(rec.record_id)]
    assert hist == [(rec.location, "Motijheel"), ("Motijheel", "Shahbagh")]


def test_a_sub_event_type_brings_its_event_type_and_bad_values_are_refused(store):
    rec = store.records("country = 'Bangladesh'")[0]
    store.review(rec.record_id, field="sub_event_type", value="Violent demonstration")
    assert (store.record(rec.record_id).event_type, store.record(rec.record_id).sub_event_type) == (
        "Riots", "Violent demonstration"
    )
    for field, value in [("fatalities", "lots"), ("fatalities", -2), ("event_type", "Battles"),
                         ("sub_event_type", "Skirmish"), ("evidence", {}), ("event_date", "last week")]:  # fmt: skip
        with pytest.raises(ReviewError):
            store.review(rec.record_id, field=field, value=value)
    with pytest.raises(ReviewError):
        store.review(rec.record_id, status="maybe")
    assert len(store.review_history(rec.record_id)) == 2  # the refused ones left nothing


def test_a_rejected_record_is_no_event_and_leaves_the_exports(store, tmp_path):
    rec = store.records("country = 'Bangladesh'")[0]
    before = len(store.events())
    store.review(rec.record_id, status="rejected", note="a commemoration, not a protest")
    consolidate_store(store, [rec.article_id])
    assert all(rec.record_id not in e["record_ids"] for e in store.events())
    assert len(store.events()) == before - 1
    out = tmp_path / "r.csv"
    msg = export_records(store.records(), "acled-csv", str(out), reviews=store.review_summary())
    assert "1 rejected by an analyst left out" in msg and rec.record_id not in out.read_text()
    store.review(rec.record_id, status="confirmed")
    consolidate_store(store, [rec.article_id])
    assert any(rec.record_id in e["record_ids"] for e in store.events())
    assert store.review_summary([rec.record_id])[rec.record_id]["status"] == "confirmed"


def test_events_and_the_jsonl_export_agree_and_say_what_was_reviewed(store, tmp_path):
    import json

    from typer.testing import CliRunner

    from fieldreport.apps.cli import app

    rec = store.records("country = 'Nigeria'")[0]
    store.review(rec.record_id, field="actor2", value="Islamic State West Africa Province")
    consolidate_store(store, [rec.article_id])
    db = store.path
    store.close()
    runner = CliRunner()
    lines = [json.loads(x) for x in runner.invoke(app, ["events", "--db", db]).stdout.splitlines()]
    exported = [json.loads(x) for x in runner.invoke(app, ["export", "--events", "-f", "jsonl", "--db", db]).stdout.splitlines()]
    assert lines == exported
    assert [e["reviewed_fields"] for e in lines if rec.record_id in e["record_ids"]] == [["actor2"]]
    assert all("reviewed_fields" not in e for e in lines if rec.record_id not in e["record_ids"])
    recs = [json.loads(x) for x in runner.invoke(app, ["export", "-f", "jsonl", "--db", db]).stdout.splitlines()]
    assert next(r for r in recs if r["record_id"] == rec.record_id)["reviewed_fields"] == ["actor2"]
