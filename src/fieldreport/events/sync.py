"""Adapter between the store and consolidation: keeps the stored events in step with the stored records.

Consolidation is a pure function of records and analysts' decisions (``fieldreport.events.grouping``); this
module loads them from DuckDB, regroups, and writes back only the events that are new, changed or gone.
After an ingest only the new records' neighbourhood is regrouped (records within a week of theirs and
the whole events those belong to); no article is parsed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fieldreport.events.grouping import Consolidator, Decision, Event, consolidate
from fieldreport.schema.records import EventRecord

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
    stored_ids = set(stored_by_id)
    drift = set(cons.drift)
    # an event whose records are the same but whose fields moved (an analyst corrected one) is rewritten
    changed = [
        e for eid, e in current.items()
        if eid not in stored_ids or eid in drift or e.model_dump(mode="json") != stored_by_id[eid]
    ]  # fmt: skip
    removed = sorted(stored_ids - set(current))
    store.save_events([e.model_dump(mode="json") for e in changed], removed=removed)
    total = len(current) if article_ids is None else store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    return {"events": total, "changed": len(changed), "removed": len(removed), "regrouped": len(records)}


def record_decision(store, action: str, record_ids: Sequence[str], note: str = "", analyst: str | None = None) -> dict:
    """Keep an analyst's merge/split decision in the store and regroup, in one transaction.

    Record ids may be given as any unique prefix (as ``show`` accepts them); an unknown id raises
    ``fieldreport.io.store.UnknownId`` and an ambiguous prefix ``AmbiguousId`` (both LookupErrors)."""
    full = [store.resolve_record_id(r) for r in record_ids]
    d = Decision(action=action, record_ids=list(dict.fromkeys(full)), note=note, analyst=analyst)
    with store.transaction():
        store.add_decision(d.model_dump(mode="json"))
        counts = consolidate_store(store)
    return {**counts, "record_ids": d.record_ids}


def stored_events(store) -> list[Event]:
    """The events as the store holds them: kept in step with the records at every commit and with every
    analyst decision applied. ``events``, ``export --events`` and ``show`` all read these."""
    return [Event.model_validate(e) for e in store.events()]


def consolidate_records(records: Iterable[EventRecord]) -> list[Event]:
    return consolidate(records)


def event_to_row(ev: Event) -> dict:
    return ev.contract_dict()
