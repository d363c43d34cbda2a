"""Analysts' reviews of records: corrected fields and confirm/reject, kept for good.

Every review is a row of the ``reviews`` table (who, when, the value before, the value after, a
note); nothing is overwritten. A corrected field wins over the machine's value: the store applies
the latest correction of each (record, field) whenever the record is written again (every re-ingest
of its article) and the exports say which fields of each record an analyst set. A record rejected
by an analyst is not an event: it stays in the store, but events and exports leave it out.

Reviews are keyed by ``record_id``, which the pipeline derives from the article and the event's
trigger, so the same article ingested again gives the same ids and the reviews find their records.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Any

from pydantic import ValidationError

from fieldreport.schema.records import EVENT_TYPES, SUB_TO_EVENT_TYPE, EventRecord

DDL = """
CREATE TABLE IF NOT EXISTS reviews (
    n INTEGER PRIMARY KEY, record_id VARCHAR NOT NULL, article_id VARCHAR, kind VARCHAR NOT NULL,
    field VARCHAR, value JSON, value_before JSON, note VARCHAR, analyst VARCHAR, made_at TIMESTAMP
);
"""

STATUSES = ("confirmed", "rejected")

#: Fields an analyst may set. Offsets (evidence, claims), ids and the machine's confidence are not
#: opinions about the event, so they are not reviewable.
REVIEWABLE_FIELDS: tuple[str, ...] = (
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
    "inter1", "actor2", "assoc_actor_2", "inter2", "country", "iso3", "admin1", "admin2", "location",
    "latitude", "longitude", "geo_precision", "geonameid", "fatalities", "fatalities_low",
    "fatalities_best", "fatalities_high", "injured", "source", "notes",
)  # fmt: skip

MAX_VALUE_CHARS = 2000
MAX_NOTE_CHARS = 2000


class ReviewError(ValueError):
    """A review that cannot be kept (unknown field, a value of the wrong kind); the message says why."""


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def ensure_table(con) -> None:
    con.execute(DDL)


def has_table(con) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'reviews'").fetchone()[0]
    )


def checked_value(rec: EventRecord, field: str, value: Any) -> dict[str, Any]:
    """The changes that setting ``field`` to ``value`` makes to ``rec`` (a sub-event type brings its
    event type along), checked against the record's schema. Raises ReviewError with a reason."""
    if field not in REVIEWABLE_FIELDS:
        raise ReviewError(f"{field!r} cannot be reviewed; fields that can: {', '.join(REVIEWABLE_FIELDS)}")
    if isinstance(value, str):
        value = value.strip()
        if len(value) > MAX_VALUE_CHARS:
            raise ReviewError(f"the value of {field} is longer than {MAX_VALUE_CHARS} characters")
        if value == "" and field not in ("fatalities", "event_type", "sub_event_type", "notes"):
            value = None
    if field == "event_date" and value is not None:
        try:
            value = date.fromisoformat(str(value)[:10]).isoformat()
        except ValueError as exc:
            raise ReviewError(f"event_date must be a date as YYYY-MM-DD, not {value!r}") from exc
    changes = {field: value}
    if field == "sub_event_type":
        if value not in SUB_TO_EVENT_TYPE:
            raise ReviewError(f"{value!r} is not one of ACLED's sub-event types")
        changes["event_type"] = SUB_TO_EVENT_TYPE[value]
    if field == "event_type":
        if value not in EVENT_TYPES:
            raise ReviewError(f"{value!r} is not one of ACLED's event types: {', '.join(EVENT_TYPES)}")
        if rec.sub_event_type not in EVENT_TYPES[value]:
            raise ReviewError(
                f"{rec.sub_event_type!r} is not a sub-event type of {value!r}: correct sub_event_type "
                f"(one of {', '.join(EVENT_TYPES[value])}) and the event type follows"
            )
    data = rec.model_dump()
    data.update(changes)
    try:
        checked = EventRecord.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ReviewError(f"{field}: {first['msg']} (got {value!r})") from exc
    out = {k: getattr(checked, k) for k in changes}
    for k in ("fatalities", "fatalities_low", "fatalities_best", "fatalities_high", "injured", "inter1", "inter2"):
        if k in out and out[k] is not None and out[k] < 0:
            raise ReviewError(f"{k} cannot be negative")
    if field == "fatalities":
        if out[field] is None:
            raise ReviewError("fatalities needs a whole number (0 when nobody was killed)")
        low, high = rec.fatalities_low, rec.fatalities_high
        if low is not None and high is not None and not low <= out[field] <= high:
            # the machine's range no longer holds the analyst's figure: the range is that figure
            out.update(fatalities_low=out[field], fatalities_best=out[field], fatalities_high=out[field])
    return out


def add(
    con,
    rec: EventRecord,
    *,
    field: str | None = None,
    value: Any = None,
    status: str | None = None,
    note: str = "",
    analyst: str | None = None,
) -> list[dict]:
    """Keep one review of ``rec`` (a field's new value, or a status) and apply it to the stored record.
    Runs in the caller's transaction. Returns the review rows written."""
    if (field is None) == (status is None):
        raise ReviewError('give either {"status": "confirmed"|"rejected"} or {"field": NAME, "value": VALUE}')
    if len(note or "") > MAX_NOTE_CHARS:
        raise ReviewError(f"the note is longer than {MAX_NOTE_CHARS} characters")
    now = _now()
    rows: list[dict] = []
    if status is not None:
        if status not in STATUSES:
            raise ReviewError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        before = statuses(con, [rec.record_id]).get(rec.record_id)
        rows.append({"kind": "status", "field": None, "value": status, "value_before": before})
    else:
        assert field is not None
        for name, new in checked_value(rec, field, value).items():
            rows.append({"kind": "field", "field": name, "value": new, "value_before": getattr(rec, name)})
    n = con.execute("SELECT coalesce(max(n), 0) FROM reviews").fetchone()[0]
    for i, row in enumerate(rows, 1):
        row.update(record_id=rec.record_id, article_id=rec.article_id, note=note or "", analyst=analyst, made_at=now)
        con.execute(
            "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [n + i, rec.record_id, rec.article_id, row["kind"], row["field"], json.dumps(row["value"]),
             json.dumps(row["value_before"]), row["note"], analyst, now],
        )  # fmt: skip
    return rows


def apply(con, column_types: Mapping[str, str], where: str = "", params: Sequence = ()) -> int:
    """Write the latest correction of every field onto the stored records (those matching ``where``,
    an SQL condition on ``records``). Runs in the caller's transaction. Returns the cells set."""
    scope = f"SELECT record_id FROM records WHERE {where}" if where else "SELECT record_id FROM records"
    latest = con.execute(
        "SELECT record_id, field, value FROM reviews WHERE kind = 'field' "
        f"AND record_id IN ({scope}) "
        "QUALIFY row_number() OVER (PARTITION BY record_id, field ORDER BY n DESC) = 1",
        list(params),
    ).fetchall()
    for record_id, field, value in latest:
        typ = column_types.get(field)
        if typ is None:  # a field the store no longer has
            continue
        con.execute(
            f'UPDATE records SET "{field}" = CAST(? AS {typ}) WHERE record_id = ?',
            [json.loads(value) if value is not None else None, record_id],
        )
    return len(latest)


def statuses(con, record_ids: Sequence[str] | None = None) -> dict[str, str]:
    """The latest status (confirmed/rejected) of each reviewed record."""
    if not has_table(con):
        return {}
    sql = "SELECT record_id, value FROM reviews WHERE kind = 'status'"
    params: list = []
    if record_ids is not None:
        sql += " AND record_id IN (SELECT unnest(?::VARCHAR[]))"
        params.append(list(record_ids))
    sql += " QUALIFY row_number() OVER (PARTITION BY record_id ORDER BY n DESC) = 1"
    return {rid: json.loads(v) for rid, v in con.execute(sql, params).fetchall()}


def rejected(con) -> set[str]:
    return {rid for rid, s in statuses(con).items() if s == "rejected"}


def reviewed_fields(con, record_ids: Sequence[str] | None = None) -> dict[str, list[str]]:
    """Which fields of each record an analyst set (sorted names)."""
    if not has_table(con):
        return {}
    sql = "SELECT record_id, list(DISTINCT field ORDER BY field) FROM reviews WHERE kind = 'field'"
    params: list = []
    if record_ids is not None:
        sql += " AND record_id IN (SELECT unnest(?::VARCHAR[]))"
        params.append(list(record_ids))
    sql += " GROUP BY record_id"
    return {rid: list(fields) for rid, fields in con.execute(sql, params).fetchall()}


def history(con, record_id: str) -> list[dict]:
    """Every review of one record, oldest first."""
    if not has_table(con):
        return []
    rows = con.execute(
        "SELECT n, kind, field, value, value_before, note, analyst, made_at FROM reviews "
        "WHERE record_id = ? ORDER BY n",
        [record_id],
    ).fetchall()
    return [
        {"review": n, "kind": kind, "field": field, "value": json.loads(v) if v is not None else None,
         "value_before": json.loads(vb) if vb is not None else None, "note": note, "analyst": analyst,
         "made_at": made_at.isoformat() + "Z"}
        for n, kind, field, v, vb, note, analyst, made_at in rows
    ]  # fmt: skip


def summary(con, record_ids: Sequence[str] | None = None) -> dict[str, dict]:
    """record_id -> {"status": ..., "reviewed_fields": [...]} for every reviewed record."""
    out: dict[str, dict] = {}
    for rid, fields in reviewed_fields(con, record_ids).items():
        out.setdefault(rid, {"status": None, "reviewed_fields": []})["reviewed_fields"] = fields
    for rid, st in statuses(con, record_ids).items():
        out.setdefault(rid, {"status": None, "reviewed_fields": []})["status"] = st
    return out
