"""Adapter between the store and consolidation: keeps the stored events in step with the stored records.

Consolidation is a pure function of records and analysts' decisions (``fieldreport.events.grouping``); this
module loads them from DuckDB, regroups, and writes back only the events that are new, changed or gone.
After an ingest only the new records' neighbourhood is regrouped (records within a week of theirs and
the whole events those belong to); no article is parsed again.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from typing import IO

from fieldreport.events.grouping import Consolidator, Decision, Event, consolidate, events_to_acled_rows, events_to_ucdp_rows
from fieldreport.schema.records import EventRecord

EVENT_FORMATS = ("acled-csv", "ucdp-csv", "geojson", "parquet", "jsonl")


#: Records further apart in time than this never tell the same event (the matcher allows a few days).
NEIGHBOURHOOD_DAYS = 7


def consolidate_store(store, article_ids: Sequence[str] | None = None) -> dict:
    """Regroup stored records into events and write what changed. Returns counts.

    With ``article_ids`` (the articles just ingested) only their neighbourhood is regrouped: stored
    records within a week of theirs, with the whole events those belong to. Without, everything is.
    """
    decisions = [Decision.model_validate(d) for d in store.decisions()]
    if article_ids is None:
        records, stored = store.records(), store.events()
    else:
        records, stored = store.neighbourhood(article_ids, NEIGHBOURHOOD_DAYS)
    rejected = store.rejected_ids()  # an analyst said these are no events
    records = [r for r in records if r.record_id not in rejected]
    cons = Consolidator.from_store(records, decisions, stored)
    current = {e.event_id: e for e in cons.events()}
    stored_by_id = {e["event_id"]: e for e in stored}
    drift = set(cons.drift)
    # an event whose records are the same but whose fields moved (an analyst corrected one) is rewritten
    changed = [
        e for eid, e in current.items()
        if eid not in stored_by_id or eid in drift or e.model_dump(mode="json") != stored_by_id[eid]
    ]  # fmt: skip
    stored_ids = set(stored_by_id)
    removed = sorted(stored_ids - set(current))
    store.save_events([e.model_dump(mode="json") for e in changed], removed=removed)
    total = len(current) if article_ids is None else store.summary()["events"]
    return {"events": total, "changed": len(changed), "removed": len(removed), "regrouped": len(records)}


def record_decision(store, action: str, record_ids: Sequence[str], note: str = "", analyst: str | None = None) -> dict:
    """Keep an analyst's merge/split decision in the store and regroup."""
    known = {r.record_id for r in store.records("record_id IN (SELECT unnest(?::VARCHAR[]))", [list(record_ids)])}
    missing = [r for r in record_ids if r not in known]
    if missing:
        raise ValueError(f"no record {', '.join(missing)} in the store")
    d = Decision(action=action, record_ids=list(record_ids), note=note, analyst=analyst)
    store.add_decision(d.model_dump(mode="json"))
    return consolidate_store(store)


def consolidate_records(records: Iterable[EventRecord]) -> list[Event]:
    return consolidate(records)


def event_to_row(ev: Event) -> dict:
    return ev.contract_dict()


def _events(items: Iterable[Event | dict]) -> list[Event]:
    return [e if isinstance(e, Event) else Event.model_validate(e) for e in items]


def _reviewed_of(ev: Event, reviews) -> list[str]:
    """The fields an analyst set in any of the event's records."""
    return sorted({f for rid in ev.record_ids for f in ((reviews or {}).get(rid) or {}).get("reviewed_fields", ())})


def export_events(items: Iterable[Event | dict], fmt: str, output: str, reviews=None) -> str:
    """Write events in ``fmt``. With ``reviews`` (``Store.review_summary()``) every row says which fields
    an analyst set in the event's records (column ``reviewed_fields``)."""
    events = _events(items)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if output == "-":
            raise ValueError("parquet is binary: give --output a file path")
        rows = [e.model_dump(mode="json") for e in events]
        if reviews is not None:
            for e, row in zip(events, rows):
                row["reviewed_fields"] = _reviewed_of(e, reviews)
        pq.write_table(pa.Table.from_pylist(rows), output)
        return f"{len(rows)} events written to {output}"
    if fmt not in EVENT_FORMATS:
        raise ValueError(f"unknown format {fmt!r} for events; choose one of {', '.join(EVENT_FORMATS)}")
    fh: IO[str] = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
    try:
        if fmt in ("acled-csv", "ucdp-csv"):
            rows = events_to_acled_rows(events) if fmt == "acled-csv" else events_to_ucdp_rows(events)
            if reviews is not None:
                for e, row in zip(events, rows):
                    row["reviewed_fields"] = "; ".join(_reviewed_of(e, reviews))
            if rows:
                w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
                w.writeheader()
                w.writerows(rows)
        elif fmt == "jsonl":
            for e in events:
                line = e.contract_dict()
                if reviews is not None:
                    line["reviewed_fields"] = _reviewed_of(e, reviews)
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        elif fmt == "geojson":
            feats = [
                {"type": "Feature", "id": e.event_id,
                 "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]},
                 "properties": {**e.model_dump(mode="json"),
                                **({"reviewed_fields": _reviewed_of(e, reviews)} if reviews is not None else {})}}
                for e in events if e.latitude is not None and e.longitude is not None
            ]  # fmt: skip
            json.dump({"type": "FeatureCollection", "features": feats}, fh, ensure_ascii=False)
            fh.write("\n")
    finally:
        if fh is not sys.stdout:
            fh.close()
    return f"{len(events)} events" + ("" if output == "-" else f" written to {output}")
