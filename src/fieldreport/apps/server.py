"""The analyst's desk: a JSON API and a browser page over the store (``fieldreport serve``).

An ASGI app (FastAPI, served by uvicorn) over the same ``Store`` and library calls as the CLI:
events and records with filters, one event with its reports and claims, one record with its article
and evidence, GeoJSON, the exports, and review (corrected fields, confirm/reject, merge/split)
behind a bearer token.

Reading while someone writes. DuckDB lets one process write a file, and no other process open it
meanwhile. The desk therefore never keeps the store open: it reads from a private snapshot (a copy
taken, under a shared lock, whenever the store has changed) and opens the store itself only for
the moment of a copy or a review. While an ingest holds the file, the desk goes on serving the last
snapshot (its responses say ``X-Fieldreport-Snapshot`` with the time it was taken) and a review
waits for the file, then says 503 if the ingest does not let go in time.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from fastapi import Body, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from fieldreport import __version__
from fieldreport.io.reviews import REVIEWABLE_FIELDS, ReviewError
from fieldreport.io.store import Store, StoreBusy, WriterLock, connect
from fieldreport.schema.records import EVENT_TYPES, EventRecord

ENV_TOKEN = "FIELDREPORT_TOKEN"
ENV_WEB = "FIELDREPORT_WEB_MODULES"

MAX_PAGE = 500  # items per page of /api/events and /api/records
MAX_FEATURES = 20000  # features of one /api/events.geojson
MAX_BODY = 64 * 1024  # bytes of a request body
MAX_TEXT_PARAM = 200  # characters of a text filter
MAX_RECORD_IDS = 200  # records named by one decision
WRITE_WAIT_S = float(os.environ.get("FIELDREPORT_WRITE_WAIT", "20"))
REFRESH_EVERY_S = 1.0  # at most one snapshot per second while the store keeps changing

STATIC = Path(__file__).parent / "static"


def _busy(path: Path, waited: float, what: str = "") -> StoreBusy:
    return StoreBusy(
        f"{path} is held by another process (an ingest?) after {waited:g} s{what}; try again when it is done"
    )


def _utcnow() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Desk:
    """The store behind the desk: reads from a private snapshot, writes to the file itself."""

    def __init__(self, db: str | Path, token: str) -> None:
        self.path = Path(db)
        self.token = token
        self._dir = Path(tempfile.mkdtemp(prefix="fieldreport-desk-"))
        self._lock = threading.RLock()  # one copy or write at a time
        self._n = 0
        self._snapshots: list[Path] = []
        self._signature: tuple | None = None
        self._checked = 0.0
        self.snapshot_at: str | None = None
        self.busy = False  # the last attempt to copy found the store held by another process
        self._anchor = None  # a connection kept open to the current snapshot: each request's open is then instant
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:  # a new store is created; one written by an older version gains the columns added since
            with self._open_for_writing(wait=3.0):
                pass
        except StoreBusy:
            pass  # an ingest is writing: it brings the store up to date itself
        except Exception as exc:  # a file we may not write: reading still works, reviews will say why not
            print(f"note: {self.path} is read-only for the desk ({exc})", file=sys.stderr, flush=True)
        try:
            self.refresh(force=True, wait=5.0)
        except StoreBusy:  # an ingest holds the store: serve 503 until it lets go, then its data
            self.busy = True

    # -- snapshots --------------------------------------------------------------------------------

    def _file_signature(self) -> tuple:
        sig = []
        for p in (self.path, Path(str(self.path) + ".wal")):
            try:
                st = p.stat()
                sig.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                sig.append(None)
        return tuple(sig)

    def refresh(self, force: bool = False, wait: float = 0.0) -> None:
        """Take a new snapshot if the store changed (and is free); keep the old one if it is held."""
        now = time.monotonic()
        if not force and self._snapshots and now - self._checked < REFRESH_EVERY_S:
            return
        with self._lock:
            self._checked = time.monotonic()
            sig = self._file_signature()
            if not force and sig == self._signature and self._snapshots:
                return
            try:
                src = connect(str(self.path), read_only=True, wait=wait)
            except StoreBusy:
                self.busy = True
                if not self._snapshots:
                    raise _busy(self.path, wait) from None
                return
            try:  # a shared lock is held: no writer can change the files while they are copied
                self._n += 1
                snap = self._dir / f"snapshot-{self._n}.duckdb"
                shutil.copyfile(self.path, snap)
                wal = Path(str(self.path) + ".wal")
                if wal.exists():
                    shutil.copyfile(wal, str(snap) + ".wal")
                sig = self._file_signature()
            finally:
                src.close()
            self._snapshots.append(snap)
            anchor, self._anchor = self._anchor, duckdb.connect(str(snap), read_only=True)
            if anchor is not None:
                anchor.close()
            for old in self._snapshots[:-2]:  # a request may still read the one before
                for p in (old, Path(str(old) + ".wal")):
                    p.unlink(missing_ok=True)
            self._snapshots = self._snapshots[-2:]
            self._signature = sig
            self.snapshot_at = _utcnow()
            self.busy = False

    @contextmanager
    def reader(self) -> Iterator[Store]:
        self.refresh()
        if not self._snapshots:
            raise _busy(self.path, 0)
        store = Store(self._snapshots[-1], read_only=True)
        try:
            yield store
        finally:
            store.close()

    @contextmanager
    def _open_for_writing(self, wait: float = WRITE_WAIT_S) -> Iterator[Store]:
        """The store for writing, as every writer takes it: the writer lock, then the file (each waited
        for up to ``wait`` seconds)."""
        try:
            lock = WriterLock(str(self.path), wait=wait, what="desk review")
        except StoreBusy:
            raise _busy(self.path, wait, ": the review was not kept") from None
        try:
            try:
                store = Store(self.path, wait=wait)
            except StoreBusy:
                raise _busy(self.path, wait, ": the review was not kept") from None
            try:
                yield store
            finally:
                store.close()
        finally:
            lock.release()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        with self._lock:
            opened = False
            try:
                with self._open_for_writing() as store:
                    opened = True
                    yield store
            finally:
                if opened:  # what was written is what the next read sees
                    self.refresh(force=True, wait=WRITE_WAIT_S)

    def close(self) -> None:
        if self._anchor is not None:
            self._anchor.close()
        shutil.rmtree(self._dir, ignore_errors=True)


# ------------------------------------------------------------------------------------------------
# request bodies


class ReviewIn(BaseModel):
    """Either a status, or a field with its corrected value (and a note for the next analyst)."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["confirmed", "rejected"] | None = None
    field: str | None = Field(None, max_length=40)
    value: Any = None
    note: str = Field("", max_length=2000)
    analyst: str | None = Field(None, max_length=100, description="Who reviews (shown in the history).")


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["merge", "split"]
    record_ids: list[Annotated[str, Field(max_length=80)]] = Field(min_length=2, max_length=MAX_RECORD_IDS)
    note: str = Field("", max_length=2000)
    analyst: str | None = Field(None, max_length=100)


# ------------------------------------------------------------------------------------------------
# helpers over the store


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, "status": status, **extra}, status_code=status)


def _text(value: str | None, name: str) -> str | None:
    if value is None or value.strip() == "":
        return None
    if len(value) > MAX_TEXT_PARAM:
        raise HTTPException(422, f"{name} is longer than {MAX_TEXT_PARAM} characters")
    return value.strip()


def _day(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


class Filters:
    """The filters every list takes (events, records, GeoJSON, exports)."""

    def __init__(
        self,
        country: str | None = Query(None, description="Country name or ISO3 code."),
        event_type: str | None = Query(None, description="ACLED event type."),
        sub_event_type: str | None = Query(None, description="ACLED sub-event type."),
        actor: str | None = Query(None, description="Part of an actor's name (either side, or associated)."),
        date_from: str | None = Query(None, description="First day, YYYY-MM-DD."),
        date_to: str | None = Query(None, description="Last day, YYYY-MM-DD."),
        min_fatalities: int | None = Query(None, ge=0, le=10_000_000),
        q: str | None = Query(None, description="Words in the notes, place, actors or sources."),
    ) -> None:
        self.country = _text(country, "country")
        self.event_type = _text(event_type, "event_type")
        self.sub_event_type = _text(sub_event_type, "sub_event_type")
        self.actor = _text(actor, "actor")
        self.date_from = _day(date_from, "date_from")
        self.date_to = _day(date_to, "date_to")
        self.min_fatalities = min_fatalities
        self.q = _text(q, "q")

    def records_sql(self) -> tuple[str, list]:
        where, params = [], []
        if self.country:
            where.append("(lower(country) = lower(?) OR upper(iso3) = upper(?))")
            params += [self.country, self.country]
        if self.event_type:
            where.append("event_type = ?")
            params.append(self.event_type)
        if self.sub_event_type:
            where.append("sub_event_type = ?")
            params.append(self.sub_event_type)
        if self.actor:
            where.append(
                "(actor1 ILIKE ? OR actor2 ILIKE ? OR assoc_actor_1 ILIKE ? OR assoc_actor_2 ILIKE ?)"
            )
            params += [f"%{self.actor}%"] * 4
        if self.date_from:
            where.append("event_date >= ?::DATE")
            params.append(self.date_from)
        if self.date_to:
            where.append("event_date <= ?::DATE")
            params.append(self.date_to)
        if self.min_fatalities is not None:
            where.append("fatalities >= ?")
            params.append(self.min_fatalities)
        if self.q:
            where.append(
                "(notes ILIKE ? OR location ILIKE ? OR admin1 ILIKE ? OR actor1 ILIKE ? OR actor2 ILIKE ? "
                "OR source ILIKE ? OR article_id IN (SELECT article_id FROM articles WHERE title ILIKE ?))"
            )
            params += [f"%{self.q}%"] * 7
        return " AND ".join(where), params

    def events_sql(self) -> tuple[str, list]:
        def f(name: str) -> str:
            return f"json_extract_string(data, '$.{name}')"

        where, params = [], []
        if self.country:
            where.append(f"(lower({f('country')}) = lower(?) OR upper({f('iso3')}) = upper(?))")
            params += [self.country, self.country]
        if self.event_type:
            where.append(f"{f('event_type')} = ?")
            params.append(self.event_type)
        if self.sub_event_type:
            where.append(f"{f('sub_event_type')} = ?")
            params.append(self.sub_event_type)
        if self.actor:
            where.append(
                f"({f('actor1')} ILIKE ? OR {f('actor2')} ILIKE ? OR {f('assoc_actor_1')} ILIKE ? "
                f"OR {f('assoc_actor_2')} ILIKE ?)"
            )
            params += [f"%{self.actor}%"] * 4
        if self.date_from:
            where.append(f"{f('event_date')} >= ?")
            params.append(self.date_from)
        if self.date_to:
            where.append(f"{f('event_date')} <= ?")
            params.append(self.date_to)
        if self.min_fatalities is not None:
            where.append(f"CAST({f('fatalities')} AS INTEGER) >= ?")
            params.append(self.min_fatalities)
        if self.q:
            where.append(
                f"({f('notes')} ILIKE ? OR {f('location')} ILIKE ? OR {f('admin1')} ILIKE ? "
                f"OR {f('actor1')} ILIKE ? OR {f('actor2')} ILIKE ? OR CAST(data -> '$.sources' AS VARCHAR) ILIKE ?)"
            )
            params += [f"%{self.q}%"] * 6
        return " AND ".join(where), params


def _page(store, table: str, key: str, cond: str, params: list, order: str, limit: int,
          offset: int) -> tuple[int, str]:
    """How many rows of ``table`` match ``cond``, and the condition that picks one page of them in
    ``order`` (only that page is then read, whatever the size of the store)."""
    total = store.con.execute(f"SELECT count(*) FROM {table} WHERE {cond}", params).fetchone()[0]
    return total, f"{key} IN (SELECT {key} FROM {table} WHERE {cond} ORDER BY {order} LIMIT {limit} OFFSET {offset})"


def _sorted_events(events: list[dict]) -> list[dict]:
    return sorted(events, key=lambda e: (e.get("event_date") or "", e["event_id"]), reverse=True)


def _event_items(store: Store, events: list[dict]) -> list[dict]:
    """Events with what analysts did to their records."""
    rids = [r for e in events for r in e["record_ids"]]
    reviewed = store.review_summary(rids) if rids else {}
    out = []
    for e in events:
        fields = sorted({f for r in e["record_ids"] for f in (reviewed.get(r) or {}).get("reviewed_fields", ())})
        stats = {r: (reviewed.get(r) or {}).get("status") for r in e["record_ids"]}
        out.append({**e, "reviewed_fields": fields, "review_status": {r: s for r, s in stats.items() if s}})
    return out


def _record_item(rec: EventRecord, review: dict | None, event_id: str | None = None) -> dict:
    return {
        **rec.model_dump(),
        "event_id": event_id,
        "review_status": (review or {}).get("status"),
        "reviewed_fields": (review or {}).get("reviewed_fields", []),
    }


def _event_ids_of(store: Store, record_ids: list[str]) -> dict[str, str]:
    if not record_ids:
        return {}
    rows = store.con.execute(
        "SELECT record_id, event_id FROM event_records WHERE record_id IN (SELECT unnest(?::VARCHAR[]))",
        [record_ids],
    ).fetchall()
    return dict(rows)


def _records_with_status(desk: "Desk", status: str) -> list[str]:
    """Ids of the records with this review status (``reviewed``: any review; ``unreviewed``: the same
    list, for the caller to exclude)."""
    with desk.reader() as store:
        summary = store.review_summary()
    if status in ("reviewed", "unreviewed"):
        return list(summary)
    return [rid for rid, r in summary.items() if r.get("status") == status]


def _find_event(store: Store, event_id: str) -> dict:
    found = store.events("event_id = ?", [event_id])
    if not found and len(event_id) >= 4:
        found = store.events("event_id LIKE ?", [event_id.replace("%", "") + "%"])
    if len(found) != 1:
        raise HTTPException(404, f"no event {event_id!r}" + (" (the prefix is ambiguous)" if found else ""))
    return found[0]


def _find_record(store: Store, record_id: str) -> EventRecord:
    rec = store.record(record_id) if len(record_id) >= 4 or record_id.startswith("r-") else None
    if rec is None:
        raise HTTPException(404, f"no record {record_id!r} (or the prefix is ambiguous)")
    return rec


def _evidence(store: Store, rec: EventRecord, text: str | None) -> list[dict]:
    spans = []
    for field, pairs in sorted(rec.evidence.items()):
        for start, end in pairs:
            spans.append(
                {"field": field, "start": start, "end": end, "text": text[start:end] if text is not None else None}
            )
    for i, c in enumerate(rec.claims):
        spans.append(
            {"field": f"claim:{i}", "start": c.start, "end": c.end, "text": text[c.start : c.end] if text else None}
        )
    return spans


# ------------------------------------------------------------------------------------------------
# the app


def _assets() -> dict[str, Path | None]:
    """Where the page's libraries are: Leaflet from PyPI (xstatic), the Natural Earth outlines and the
    TopoJSON reader from the npm registry (installed by scripts/setup.sh into web/node_modules)."""
    import xstatic.pkg.leaflet as xleaflet
    import xstatic.pkg.leaflet_markercluster as xcluster

    candidates = [Path(p) for p in (os.environ.get(ENV_WEB),) if p]
    candidates += [Path(__file__).resolve().parents[3] / "web" / "node_modules", Path.cwd() / "web" / "node_modules"]
    modules = next((c for c in candidates if (c / "world-atlas" / "countries-50m.json").exists()), None)
    return {
        "leaflet": Path(xleaflet.BASE_DIR),
        "markercluster": Path(xcluster.BASE_DIR),
        "modules": modules,
    }


def create_app(db: str | Path, token: str) -> FastAPI:
    desk = Desk(db, token)
    assets = _assets()
    app = FastAPI(
        title="fieldreport desk",
        version=__version__,
        description=(
            "Events and event records coded by fieldreport, with their evidence; review (corrected fields, "
            "confirm/reject, merge/split) with `Authorization: Bearer TOKEN`. Errors are JSON: "
            '`{"error": message, "status": code}`.'
        ),
        docs_url=None,  # FastAPI's docs page loads its scripts from a CDN: the desk stays offline
        redoc_url=None,
    )
    app.state.desk = desk
    app.add_middleware(GZipMiddleware, minimum_size=2048)

    @app.middleware("http")
    async def limits_and_snapshot(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY:
            return _error(413, f"the request body is larger than {MAX_BODY} bytes")
        response = await call_next(request)
        if request.url.path.startswith("/api") and desk.snapshot_at:
            response.headers["X-Fieldreport-Snapshot"] = desk.snapshot_at
            if desk.busy:
                response.headers["X-Fieldreport-Store-Busy"] = "1"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        resp = _error(exc.status_code, message)
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")} for e in exc.errors()
        ]
        msg = "; ".join(f"{p['where']}: {p['problem']}" for p in problems[:5])
        return _error(422, f"invalid request: {msg}", problems=problems)

    @app.exception_handler(StoreBusy)
    async def busy(request: Request, exc: StoreBusy):
        return _error(503, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        return _error(500, f"the desk failed: {type(exc).__name__}: {exc}")

    @app.exception_handler(ReviewError)
    async def bad_review(request: Request, exc: ReviewError):
        return _error(422, str(exc))

    def authorised(authorization: Annotated[str | None, Header(description="Bearer TOKEN")] = None) -> None:
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), desk.token.encode()):
            raise HTTPException(
                401,
                "reviews need the desk's token: send `Authorization: Bearer TOKEN` (the token given to "
                "`fieldreport serve --token`, $FIELDREPORT_TOKEN, or the one it printed at start)",
                headers={"WWW-Authenticate": "Bearer"},
            )

    # -- reading ----------------------------------------------------------------------------------

    @app.get("/api", summary="What the store holds")
    def about() -> dict:
        with desk.reader() as store:
            s = store.summary()
        return {
            "fieldreport": __version__,
            "store": str(desk.path),
            "snapshot_at": desk.snapshot_at,
            "store_busy": desk.busy,
            "summary": s,
            "reviewable_fields": list(REVIEWABLE_FIELDS),
            "event_types": {k: list(v) for k, v in EVENT_TYPES.items()},
        }

    @app.get("/api/filters", summary="Values to filter by: countries, types, actors, date range")
    def filters() -> dict:
        with desk.reader() as store:
            con = store.con
            countries = con.execute(
                "SELECT country, any_value(iso3), count(*) FROM records WHERE country IS NOT NULL "
                "GROUP BY country ORDER BY 3 DESC, 1"
            ).fetchall()
            types = con.execute(
                "SELECT event_type, sub_event_type, count(*) FROM records GROUP BY ALL ORDER BY 1, 2"
            ).fetchall()
            actors = con.execute(
                "SELECT a, count(*) FROM (SELECT actor1 AS a FROM records UNION ALL SELECT actor2 FROM records) "
                "WHERE a IS NOT NULL GROUP BY a ORDER BY 2 DESC, 1 LIMIT 200"
            ).fetchall()
            span = con.execute("SELECT min(event_date), max(event_date) FROM records").fetchone()
        return {
            "countries": [{"country": c, "iso3": i, "records": n} for c, i, n in countries],
            "event_types": [{"event_type": e, "sub_event_type": s, "records": n} for e, s, n in types],
            "actors": [{"actor": a, "records": n} for a, n in actors],
            "date_from": span[0].isoformat() if span[0] else None,
            "date_to": span[1].isoformat() if span[1] else None,
        }

    @app.get("/api/events", summary="Events (records merged across reports), newest first")
    def list_events(
        f: Annotated[Filters, Depends()],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict:
        where, params = f.events_sql()
        cond = where or "TRUE"
        order = "json_extract_string(data, '$.event_date') DESC NULLS LAST, event_id DESC"
        with desk.reader() as store:  # one page is read, whatever the size of the store
            total, where = _page(store, "events", "event_id", cond, params, order, limit, offset)
            page = store.events(where, params)
            items = _event_items(store, _sorted_events(page))
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @app.get("/api/events.geojson", summary="Events as a GeoJSON FeatureCollection of Points")
    def events_geojson(
        f: Annotated[Filters, Depends()],
        limit: Annotated[int, Query(ge=1, le=MAX_FEATURES)] = MAX_FEATURES,
    ) -> Response:
        where, params = f.events_sql()
        with desk.reader() as store:
            found = [e for e in _sorted_events(store.events(where, params)) if e.get("latitude") is not None]
            items = _event_items(store, found[:limit])
        features = [
            {
                "type": "Feature",
                "id": e["event_id"],
                "geometry": {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]},
                "properties": e,
            }
            for e in items
            if e.get("longitude") is not None and math.isfinite(e["latitude"]) and math.isfinite(e["longitude"])
        ]
        body = {"type": "FeatureCollection", "features": features, "total": len(found)}
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/geo+json")

    @app.get("/api/timeline", summary="Events per day and event type (the filters apply)")
    def timeline(f: Annotated[Filters, Depends()]) -> dict:
        where, params = f.events_sql()
        days: dict[str, dict[str, int]] = {}
        with desk.reader() as store:
            for e in store.events(where, params):
                if e.get("event_date"):
                    counts = days.setdefault(e["event_date"][:10], {})
                    counts[e["event_type"]] = counts.get(e["event_type"], 0) + 1
        ordered = sorted(days)
        return {
            "days": [{"day": d, "counts": days[d]} for d in ordered],
            "date_from": ordered[0] if ordered else None,
            "date_to": ordered[-1] if ordered else None,
        }

    @app.get("/api/events/{event_id}", summary="One event: its records, sources, claims and corroboration")
    def one_event(event_id: str) -> dict:
        with desk.reader() as store:
            ev = _find_event(store, event_id)
            recs = store.records("record_id IN (SELECT unnest(?::VARCHAR[]))", [ev["record_ids"]])
            reviewed = store.review_summary([r.record_id for r in recs])
            articles = {r.article_id: store.article(r.article_id) for r in recs}
            (item,) = _event_items(store, [ev])
        records, sources, claims = [], [], []
        for r in recs:
            art = articles.get(r.article_id)
            records.append(_record_item(r, reviewed.get(r.record_id), ev["event_id"]))
            sources.append(
                {
                    "record_id": r.record_id,
                    "article_id": r.article_id,
                    "outlet": r.source or (art.outlet if art else None),
                    "title": art.title if art else None,
                    "published": art.published.isoformat() if art and art.published else None,
                    "url": art.url if art else None,
                    "event_date": r.event_date,
                    "fatalities": r.fatalities,
                }
            )
            for c in r.claims:
                claims.append(
                    {**c.model_dump(), "record_id": r.record_id, "outlet": r.source,
                     "text": art.text[c.start : c.end] if art else None}
                )  # fmt: skip
        return {
            "event": item,
            "records": records,
            "sources": sources,
            "claims": claims,
            "corroboration": {
                "status": ev.get("corroboration"),
                "number_of_sources": ev.get("number_of_sources"),
                "independent_sources": ev.get("independent_sources"),
                "claimants": ev.get("claimants", []),
            },
        }

    @app.get("/api/records", summary="Event records (one event as one article reports it)")
    def list_records(
        f: Annotated[Filters, Depends()],
        status: Annotated[
            Literal["confirmed", "rejected", "unreviewed", "reviewed"] | None,
            Query(description="Only records an analyst confirmed, rejected, reviewed at all, or not yet."),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict:
        where, params = f.records_sql()
        cond = where or "TRUE"
        if status:  # the reviewed records are few: pick them first
            reviewed_ids = _records_with_status(desk, status)
            if status == "unreviewed":
                cond += " AND record_id NOT IN (SELECT unnest(?::VARCHAR[]))"
            else:
                cond += " AND record_id IN (SELECT unnest(?::VARCHAR[]))"
            params = [*params, reviewed_ids]
        order = "event_date DESC NULLS LAST, record_id DESC"
        with desk.reader() as store:  # one page is read, whatever the size of the store
            total, where = _page(store, "records", "record_id", cond, params, order, limit, offset)
            page = store.records(where, params)
            page.sort(key=lambda r: (r.event_date or "", r.record_id), reverse=True)
            reviewed = store.review_summary([r.record_id for r in page])
            events = _event_ids_of(store, [r.record_id for r in page])
        items = [_record_item(r, reviewed.get(r.record_id), events.get(r.record_id)) for r in page]
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @app.get("/api/records/{record_id}", summary="One record with its article text, evidence spans and reviews")
    def one_record(record_id: str) -> dict:
        with desk.reader() as store:
            rec = _find_record(store, record_id)
            art = store.article(rec.article_id)
            review = store.review_summary([rec.record_id]).get(rec.record_id)
            history = store.review_history(rec.record_id)
            event_id = _event_ids_of(store, [rec.record_id]).get(rec.record_id)
        return {
            "record": _record_item(rec, review, event_id),
            "article": art.model_dump(mode="json") if art else None,
            "evidence": _evidence(store, rec, art.text if art else None),
            "reviews": history,
        }

    @app.get("/api/export", summary="Events or records in the field's formats")
    def export(
        f: Annotated[Filters, Depends()],
        format: Annotated[
            Literal["acled-csv", "ucdp-csv", "parquet", "geojson", "jsonl"], Query(description="The format.")
        ] = "acled-csv",
        of: Annotated[Literal["events", "records"], Query(description="Export events or records.")] = "events",
    ) -> Response:
        from fieldreport.io.export import export_events
        from fieldreport.io.export import export_records

        if of == "records" and format == "ucdp-csv":
            raise HTTPException(422, "ucdp-csv is a format of events: use of=events")
        with desk.reader() as store:
            reviews = store.review_summary()
            if of == "events":
                where, params = f.events_sql()
                items: list = _sorted_events(store.events(where, params))
            else:
                where, params = f.records_sql()
                items = store.records(where, params)
        suffix = {"acled-csv": ".csv", "ucdp-csv": ".csv", "parquet": ".parquet", "geojson": ".geojson",
                  "jsonl": ".jsonl"}[format]  # fmt: skip
        media = {".csv": "text/csv; charset=utf-8", ".parquet": "application/vnd.apache.parquet",
                 ".geojson": "application/geo+json", ".jsonl": "application/x-ndjson"}[suffix]  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="fieldreport-export-") as tmp:
            path = str(Path(tmp) / f"out{suffix}")
            if of == "events":
                export_events(items, format, path, reviews=reviews)
            else:
                export_records(items, format, path, reviews=reviews)
            data = Path(path).read_bytes() if Path(path).exists() else b""
        name = f"fieldreport-{of}-{format}{suffix}"
        return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # -- review -------------------------------------------------------------------------------------

    @app.post(
        "/api/records/{record_id}/review",
        summary="Review a record: a corrected field, or confirmed/rejected (needs the bearer token)",
        dependencies=[Depends(authorised)],
    )
    def review(record_id: str, body: Annotated[ReviewIn, Body()]) -> dict:
        from fieldreport.events.sync import consolidate_store

        if (body.status is None) == (body.field is None):
            raise HTTPException(422, 'give either {"status": "confirmed"|"rejected"} or {"field": NAME, "value": VALUE}')
        analyst = body.analyst or "analyst"
        with desk.writer() as store:
            rec = _find_record(store, record_id)
            rows = store.review(
                rec.record_id, field=body.field, value=body.value, status=body.status, note=body.note, analyst=analyst
            )
            consolidate_store(store, [rec.article_id])
        with desk.reader() as store:
            rec = _find_record(store, rec.record_id)
            review_ = store.review_summary([rec.record_id]).get(rec.record_id)
            event_id = _event_ids_of(store, [rec.record_id]).get(rec.record_id)
        return {
            "kept": [{k: v for k, v in r.items() if k != "made_at"} | {"made_at": r["made_at"].isoformat() + "Z"}
                     for r in rows],
            "record": _record_item(rec, review_, event_id),
        }  # fmt: skip

    @app.get("/api/records/{record_id}/reviews", summary="Every review of a record, oldest first")
    def reviews_of(record_id: str) -> dict:
        with desk.reader() as store:
            rec = _find_record(store, record_id)
            return {"record_id": rec.record_id, "items": store.review_history(rec.record_id)}

    @app.post(
        "/api/decisions",
        summary="Merge records into one event, or split them apart (needs the bearer token)",
        dependencies=[Depends(authorised)],
    )
    def decide(body: Annotated[DecisionIn, Body()]) -> dict:
        from fieldreport.events.sync import record_decision

        with desk.writer() as store:
            ids = []
            for rid in body.record_ids:
                ids.append(_find_record(store, rid).record_id)
            if len(set(ids)) < 2:
                raise HTTPException(422, "name two or more different records")
            try:
                counts = record_decision(store, body.action, ids, note=body.note, analyst=body.analyst or "analyst")
            except ValueError as exc:
                raise HTTPException(422, str(exc)) from exc
        with desk.reader() as store:
            events = _event_ids_of(store, ids)
        return {"action": body.action, "record_ids": ids, "event_of": events, "counts": counts}

    # -- the page -----------------------------------------------------------------------------------

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/vendor/basemap.json", include_in_schema=False)
    def basemap() -> FileResponse:
        if assets["modules"] is None:
            raise HTTPException(
                404, "the country outlines (npm package world-atlas) are not installed: run scripts/setup.sh"
            )
        return FileResponse(assets["modules"] / "world-atlas" / "countries-50m.json", media_type="application/json")

    @app.get("/vendor/topojson-client.js", include_in_schema=False)
    def topojson_client() -> FileResponse:
        if assets["modules"] is None:
            raise HTTPException(404, "topojson-client is not installed: run scripts/setup.sh")
        return FileResponse(
            assets["modules"] / "topojson-client" / "dist" / "topojson-client.min.js", media_type="text/javascript"
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/vendor/leaflet", StaticFiles(directory=assets["leaflet"]), name="leaflet")
    app.mount("/vendor/markercluster", StaticFiles(directory=assets["markercluster"]), name="markercluster")
    return app


def resolve_token(token: str | None) -> tuple[str, bool]:
    """The token from --token, then $FIELDREPORT_TOKEN, else a new one. Returns (token, generated)."""
    given = token or os.environ.get(ENV_TOKEN)
    if given:
        return given, False
    return secrets.token_urlsafe(18), True


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    import uvicorn

    import socket

    token, generated = resolve_token(token)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:  # a taken port: say so, before loading
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    app = create_app(db, token)
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    print(f"fieldreport desk on {where}  (store: {app.state.desk.path})", file=sys.stderr, flush=True)
    if generated:
        print(f"review token: {token}", file=sys.stderr, flush=True)
        print(f"open {where}#token={token} to review in the browser", file=sys.stderr, flush=True)
    else:
        print("review token: the one given (--token or $FIELDREPORT_TOKEN)", file=sys.stderr, flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        app.state.desk.close()
