"""The embedded store: one DuckDB file with articles, records, their evidence, and events.

Ingesting an article again replaces its records (never duplicates them). Each batch is written in one
transaction, so a crash mid-batch leaves the store as it was before the batch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from fieldreport.schema.records import Article, EventRecord

ENV_DB = "FIELDREPORT_DB"
DEFAULT_DB = "fieldreport.duckdb"
SCHEMA_VERSION = 1

_SCALAR_FIELDS: list[tuple[str, str]] = [
    ("record_id", "VARCHAR PRIMARY KEY"),
    ("article_id", "VARCHAR NOT NULL"),
    ("rank", "INTEGER"),
    ("event_date", "DATE"),
    ("time_precision", "INTEGER"),
    ("event_type", "VARCHAR"),
    ("sub_event_type", "VARCHAR"),
    ("actor1", "VARCHAR"),
    ("assoc_actor_1", "VARCHAR"),
    ("inter1", "INTEGER"),
    ("actor2", "VARCHAR"),
    ("assoc_actor_2", "VARCHAR"),
    ("inter2", "INTEGER"),
    ("country", "VARCHAR"),
    ("iso3", "VARCHAR"),
    ("admin1", "VARCHAR"),
    ("admin2", "VARCHAR"),
    ("location", "VARCHAR"),
    ("latitude", "DOUBLE"),
    ("longitude", "DOUBLE"),
    ("geo_precision", "INTEGER"),
    ("geonameid", "BIGINT"),
    ("fatalities", "INTEGER"),
    ("fatalities_low", "INTEGER"),
    ("fatalities_best", "INTEGER"),
    ("fatalities_high", "INTEGER"),
    ("injured", "INTEGER"),
    ("materiel", "JSON"),
    ("claims", "JSON"),
    ("source", "VARCHAR"),
    ("notes", "VARCHAR"),
    ("evidence", "JSON"),
    ("confidence", "DOUBLE"),
]

_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.string(),  # cast on insert
    "JSON": pa.string(),
}

_DDL = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, title VARCHAR, published DATE, outlet VARCHAR, url VARCHAR,
    language VARCHAR, text VARCHAR, n_records INTEGER, ingested_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS records ({", ".join(f'"{n}" {t}' for n, t in _SCALAR_FIELDS)});
CREATE TABLE IF NOT EXISTS evidence (
    record_id VARCHAR, field VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR
);
CREATE TABLE IF NOT EXISTS events (event_id VARCHAR PRIMARY KEY, data JSON);
CREATE TABLE IF NOT EXISTS event_records (event_id VARCHAR, record_id VARCHAR PRIMARY KEY);
CREATE TABLE IF NOT EXISTS decisions (n INTEGER PRIMARY KEY, data JSON, made_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS seen_urls (
    url VARCHAR PRIMARY KEY, article_id VARCHAR, content_hash VARCHAR, etag VARCHAR, last_modified VARCHAR,
    stamp VARCHAR, outcome VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP
);
"""


def default_db_path() -> str:
    return os.environ.get(ENV_DB) or DEFAULT_DB


class Store:
    def __init__(self, path: str | Path | None = None, read_only: bool = False) -> None:
        self.path = str(path or default_db_path())
        if read_only and not Path(self.path).exists():
            raise FileNotFoundError(
                f"no store at {self.path}; run `fieldreport ingest` first or name one with --db"
            )
        self.con = duckdb.connect(self.path, read_only=read_only)
        if not read_only:
            self.con.execute(_DDL)
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------------

    def ingest(self, batch: Sequence[tuple[Article, list[EventRecord]]]) -> int:
        """Store articles with their records, replacing any earlier records of the same articles.
        One transaction per batch. Returns the number of records written."""
        if not batch:
            return 0
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        ids = [a.id for a, _ in batch]
        if len(set(ids)) != len(ids):  # the same article twice in one batch: the last one wins
            last = {a.id: (a, r) for a, r in batch}
            batch = list(last.values())
            ids = list(last)
        art_table = pa.table(
            {
                "article_id": ids,
                "title": [a.title for a, _ in batch],
                "published": [a.published.isoformat() if a.published else None for a, _ in batch],
                "outlet": [a.outlet for a, _ in batch],
                "url": [a.url for a, _ in batch],
                "language": [a.language for a, _ in batch],
                "text": [a.text for a, _ in batch],
                "n_records": pa.array([len(r) for _, r in batch], pa.int32()),
                "ingested_at": [now] * len(batch),
            }
        )
        rows: dict[str, list] = {n: [] for n, _ in _SCALAR_FIELDS}
        ev_rows: dict[str, list] = {"record_id": [], "field": [], "start": [], "end": [], "text": []}
        for art, recs in batch:
            for rank, rec in enumerate(recs):
                d = rec.model_dump()
                d["rank"] = rank
                for name, typ in _SCALAR_FIELDS:
                    v = d.get(name)
                    rows[name].append(json.dumps(v, ensure_ascii=False) if typ == "JSON" else v)
                for fname, spans in rec.evidence.items():
                    for start, end in spans:
                        ev_rows["record_id"].append(rec.record_id)
                        ev_rows["field"].append(fname)
                        ev_rows["start"].append(start)
                        ev_rows["end"].append(end)
                        ev_rows["text"].append(art.text[start:end])
        rec_table = pa.table(
            {n: pa.array(rows[n], _ARROW_TYPES[t.split()[0]]) for n, t in _SCALAR_FIELDS}
        )
        ev_table = pa.table(
            {
                "record_id": pa.array(ev_rows["record_id"], pa.string()),
                "field": pa.array(ev_rows["field"], pa.string()),
                "start": pa.array(ev_rows["start"], pa.int32()),
                "end": pa.array(ev_rows["end"], pa.int32()),
                "text": pa.array(ev_rows["text"], pa.string()),
            }
        )
        con = self.con
        con.register("_new_articles", art_table)
        con.register("_new_records", rec_table)
        con.register("_new_evidence", ev_table)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "DELETE FROM evidence WHERE record_id IN (SELECT record_id FROM records "
                "WHERE article_id IN (SELECT article_id FROM _new_articles))"
            )
            con.execute("DELETE FROM records WHERE article_id IN (SELECT article_id FROM _new_articles)")
            con.execute("DELETE FROM records WHERE record_id IN (SELECT record_id FROM _new_records)")
            con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM _new_articles)")
            con.execute(
                "INSERT INTO articles SELECT article_id, title, CAST(published AS DATE), outlet, url, "
                "language, text, n_records, ingested_at FROM _new_articles"
            )
            cols = ", ".join(
                f'CAST("{n}" AS DATE)' if t == "DATE" else f'"{n}"' for n, t in _SCALAR_FIELDS
            )
            con.execute(f"INSERT INTO records SELECT {cols} FROM _new_records")
            con.execute("INSERT INTO evidence SELECT * FROM _new_evidence")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            for name in ("_new_articles", "_new_records", "_new_evidence"):
                con.unregister(name)
        return len(rec_table)

    def ingest_stream(
        self, pairs: Iterable[tuple[Article, list[EventRecord]]], batch: int = 200
    ) -> tuple[int, int]:
        """Ingest (article, records) pairs in transactions of ``batch`` articles. Returns (articles, records)."""
        n_articles = n_records = 0
        pending: list[tuple[Article, list[EventRecord]]] = []
        for pair in pairs:
            pending.append(pair)
            if len(pending) >= batch:
                n_records += self.ingest(pending)
                n_articles += len(pending)
                pending = []
        if pending:
            n_records += self.ingest(pending)
            n_articles += len(pending)
        return n_articles, n_records

    # -- reading -----------------------------------------------------------------------------------

    def records(self, where: str = "", params: Sequence = ()) -> list[EventRecord]:
        names = [n for n, _ in _SCALAR_FIELDS if n != "rank"]
        sql = f"SELECT {', '.join(chr(34) + n + chr(34) for n in names)} FROM records"
        sql += f" WHERE {where}" if where else ""
        sql += " ORDER BY article_id, rank"
        out = []
        for row in self.con.execute(sql, list(params)).fetchall():
            d = dict(zip(names, row))
            for key in ("materiel", "claims", "evidence"):
                d[key] = json.loads(d[key]) if d[key] else ([] if key != "evidence" else {})
            if d["event_date"] is not None:
                d["event_date"] = d["event_date"].isoformat()
            out.append(EventRecord(**d))
        return out

    def iter_records(self, batch: int = 5000) -> Iterable[EventRecord]:
        yield from self.records()

    def article(self, article_id: str) -> Article | None:
        row = self.con.execute(
            "SELECT article_id, title, published, outlet, url, language, text FROM articles "
            "WHERE article_id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            return None
        return Article(
            id=row[0], title=row[1], published=row[2], outlet=row[3], url=row[4], language=row[5], text=row[6]
        )

    def record(self, record_id: str) -> EventRecord | None:
        found = self.records("record_id = ?", [record_id])
        if not found:
            found = self.records("record_id LIKE ?", [record_id + "%"])
        return found[0] if len(found) == 1 else None

    def summary(self) -> dict:
        con = self.con
        n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        n_records = con.execute("SELECT count(*) FROM records").fetchone()[0]
        n_empty = con.execute("SELECT count(*) FROM articles WHERE n_records = 0").fetchone()[0]
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        by_type = con.execute(
            "SELECT event_type, sub_event_type, count(*) AS n, sum(fatalities) AS f FROM records "
            "GROUP BY ALL ORDER BY n DESC, event_type, sub_event_type"
        ).fetchall()
        by_country = con.execute(
            "SELECT coalesce(country, '(unknown)'), count(*), sum(fatalities) FROM records "
            "GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 15"
        ).fetchall()
        span = con.execute("SELECT min(event_date), max(event_date) FROM records").fetchone()
        return {
            "articles": n_articles,
            "articles_without_event": n_empty,
            "records": n_records,
            "events": n_events,
            "first_date": span[0].isoformat() if span[0] else None,
            "last_date": span[1].isoformat() if span[1] else None,
            "by_type": [
                {"event_type": e, "sub_event_type": s, "records": n, "fatalities": int(f or 0)}
                for e, s, n, f in by_type
            ],
            "by_country": [{"country": c, "records": n, "fatalities": int(f or 0)} for c, n, f in by_country],
        }

    def recent_records(self, limit: int = 20) -> list[EventRecord]:
        return self.records(
            "record_id IN (SELECT record_id FROM records ORDER BY event_date DESC NULLS LAST, "
            f"confidence DESC LIMIT {int(limit)})"
        )

    # -- events (consolidation results) ------------------------------------------------------------

    def save_events(self, events: Sequence[dict], removed: Sequence[str] = ()) -> None:
        """Write new or changed events (each with its record_ids) and drop the removed ones, atomically."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            gone = [*removed, *(ev["event_id"] for ev in events)]
            if gone:
                con.execute("DELETE FROM event_records WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
                con.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
            for ev in events:
                con.execute(
                    "DELETE FROM event_records WHERE record_id IN (SELECT unnest(?::VARCHAR[]))",
                    [list(ev["record_ids"])],
                )
                con.execute("INSERT INTO events VALUES (?, ?)", [ev["event_id"], json.dumps(ev, default=str)])
                con.executemany(
                    "INSERT INTO event_records VALUES (?, ?)", [[ev["event_id"], r] for r in ev["record_ids"]]
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def events(self, where: str = "", params: Sequence = ()) -> list[dict]:
        sql = "SELECT data FROM events" + (f" WHERE {where}" if where else "") + " ORDER BY event_id"
        return [json.loads(d) for (d,) in self.con.execute(sql, list(params)).fetchall()]

    def neighbourhood(self, article_ids: Sequence[str], days: int) -> tuple[list[EventRecord], list[dict]]:
        """What new records of ``article_ids`` can merge with: the stored records within ``days`` of their
        dates (or undated, or of the same articles), every record of the events those belong to, and those
        events, plus events left with records that no longer exist (their articles were re-ingested)."""
        ids = list(article_ids)
        window = self.con.execute(
            "SELECT min(event_date) - ?::INTEGER, max(event_date) + ?::INTEGER FROM records "
            "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [days, days, ids],
        ).fetchone()
        near = (
            "(article_id IN (SELECT unnest(?::VARCHAR[])) OR event_date IS NULL "
            "OR event_date BETWEEN ?::DATE AND ?::DATE)"
        )
        params = [ids, window[0], window[1]]
        touched = (
            "SELECT event_id FROM event_records WHERE record_id IN "
            f"(SELECT record_id FROM records WHERE {near}) "
            "UNION SELECT event_id FROM event_records WHERE record_id NOT IN (SELECT record_id FROM records)"
        )
        records = self.records(
            f"{near} OR record_id IN (SELECT record_id FROM event_records WHERE event_id IN ({touched}))",
            params + params,
        )
        events = self.events(f"event_id IN ({touched})", params)
        return records, events

    def add_decision(self, decision: dict) -> None:
        n = self.con.execute("SELECT coalesce(max(n), 0) + 1 FROM decisions").fetchone()[0]
        self.con.execute(
            "INSERT INTO decisions VALUES (?, ?, ?)",
            [n, json.dumps(decision), datetime.now(timezone.utc).replace(tzinfo=None)],
        )

    def decisions(self) -> list[dict]:
        return [json.loads(d) for (d,) in self.con.execute("SELECT data FROM decisions ORDER BY n").fetchall()]

    # -- URLs read (seen once) ---------------------------------------------------------------------

    def seen_urls(self, urls: Sequence[str]) -> dict:
        """What the store remembers of these (normalised) URLs: url -> readers.SeenEntry."""
        from fieldreport.io.readers import SeenEntry

        if not urls:
            return {}
        rows = self.con.execute(
            "SELECT url, article_id, content_hash, etag, last_modified, stamp, outcome FROM seen_urls "
            "WHERE url IN (SELECT unnest(?::VARCHAR[]))",
            [list(urls)],
        ).fetchall()
        return {r[0]: SeenEntry(*r) for r in rows}

    def remember_urls(self, entries: Iterable) -> int:
        """Remember URLs read (readers.SeenEntry). Call it once their articles are stored, so that a
        crash in between makes the next run read them again rather than miss them."""
        rows = [[e.url, e.article_id, e.content_hash, e.etag, e.last_modified, e.stamp, e.outcome] for e in entries]
        if not rows:
            return 0
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            for row in rows:
                con.execute(
                    "INSERT INTO seen_urls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                    "article_id = excluded.article_id, content_hash = excluded.content_hash, etag = excluded.etag, "
                    "last_modified = excluded.last_modified, stamp = excluded.stamp, outcome = excluded.outcome, "
                    "last_seen = excluded.last_seen",
                    [*row, now, now],
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return len(rows)
