"""The embedded store: one DuckDB file with articles, records, their evidence, and events.

Ingesting an article again replaces its records (never duplicates them). Each batch is written in one
transaction, so a crash mid-batch leaves the store as it was before the batch.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from fieldreport.io import reviews as _reviews
from fieldreport.schema.columns import arrow_schema, columns, sql_type
from fieldreport.schema.records import Article, EventRecord

ENV_DB = "FIELDREPORT_DB"
DEFAULT_DB = "fieldreport.duckdb"
SCHEMA_VERSION = 2  # 2: articles.content_hash (what a re-run compares to skip unchanged articles)

#: The records table: the record's own fields (declared once, in EventRecord) plus the record's rank
#: within its article. Nested fields (materiel, claims, evidence) are JSON.
_KEYS = {"record_id": "VARCHAR PRIMARY KEY", "article_id": "VARCHAR NOT NULL"}
_SCALAR_FIELDS: list[tuple[str, str]] = [
    *_KEYS.items(),
    ("rank", "INTEGER"),
    *((c.name, sql_type(c)) for c in columns(EventRecord) if c.name not in _KEYS),
]
_ARROW_SCHEMA = pa.schema(
    [("rank", pa.int32()), *arrow_schema(EventRecord, nested_as_json=True)]
)

_COLUMN_TYPES = {n: t.split()[0] for n, t in _SCALAR_FIELDS}

_DDL = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, title VARCHAR, published DATE, outlet VARCHAR, url VARCHAR,
    language VARCHAR, text VARCHAR, n_records INTEGER, ingested_at TIMESTAMP, content_hash VARCHAR
);
ALTER TABLE articles ADD COLUMN IF NOT EXISTS content_hash VARCHAR;
CREATE TABLE IF NOT EXISTS records ({", ".join(f'"{n}" {t}' for n, t in _SCALAR_FIELDS)});
CREATE TABLE IF NOT EXISTS evidence (
    record_id VARCHAR, field VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR
);
CREATE TABLE IF NOT EXISTS events (event_id VARCHAR PRIMARY KEY, data JSON);
CREATE TABLE IF NOT EXISTS event_records (event_id VARCHAR, record_id VARCHAR PRIMARY KEY);
CREATE TABLE IF NOT EXISTS decisions (n INTEGER PRIMARY KEY, data JSON, made_at TIMESTAMP);
"""


def content_hash(article: Article) -> str:
    """A digest of everything about an article that its records depend on (text and metadata, not its id).

    An article stored with the same id and the same hash is stored unchanged: a re-run skips it."""
    parts = [article.text, article.title, article.published.isoformat() if article.published else None,
             article.outlet, article.url, article.language]
    blob = json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return "sha256-" + hashlib.sha256(blob).hexdigest()[:32]


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
            self._add_new_columns()
            _reviews.ensure_table(self.con)
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    def _add_new_columns(self) -> None:
        """A store written by an older version lacks the record fields added since: add them (empty)."""
        have = {r[0] for r in self.con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'records'").fetchall()}
        for name, typ in _SCALAR_FIELDS:
            if name not in have:
                self.con.execute(f'ALTER TABLE records ADD COLUMN "{name}" {typ}')

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
                "content_hash": [content_hash(a) for a, _ in batch],
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
            {n: pa.array(rows[n], _ARROW_SCHEMA.field(n).type) for n, _ in _SCALAR_FIELDS}
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
                "INSERT INTO articles (article_id, title, published, outlet, url, language, text, n_records, "
                "ingested_at, content_hash) SELECT article_id, title, CAST(published AS DATE), outlet, url, "
                "language, text, n_records, ingested_at, content_hash FROM _new_articles"
            )
            cols = ", ".join(
                f'CAST("{n}" AS DATE)' if t == "DATE" else f'"{n}"' for n, t in _SCALAR_FIELDS
            )
            names = ", ".join(f'"{n}"' for n, _ in _SCALAR_FIELDS)
            con.execute(f"INSERT INTO records ({names}) SELECT {cols} FROM _new_records")
            con.execute("INSERT INTO evidence SELECT * FROM _new_evidence")
            # analysts' corrections win over the machine's values, on every re-ingest
            _reviews.apply(con, _COLUMN_TYPES, "article_id IN (SELECT article_id FROM _new_articles)")
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

    # -- what is stored already (a re-run skips it) --------------------------------------------------

    def unchanged(self, articles: Iterable[Article]) -> set[str]:
        """The ids of those ``articles`` that are stored already with the same content (see
        :func:`content_hash`): extracting them again would change nothing."""
        pairs = [(a.id, content_hash(a)) for a in articles]
        if not pairs:
            return set()
        rows = self.con.execute(
            "SELECT a.article_id FROM articles a JOIN (SELECT unnest(?::VARCHAR[]) AS id, "
            "unnest(?::VARCHAR[]) AS h) q ON a.article_id = q.id AND a.content_hash = q.h",
            [[i for i, _ in pairs], [h for _, h in pairs]],
        ).fetchall()
        return {r[0] for r in rows}

    def is_unchanged(self, article: Article) -> bool:
        """True when ``article`` is stored already, with the same content."""
        return article.id in self.unchanged([article])

    def stored_hashes(self) -> dict[str, str | None]:
        """Every stored article id with its content hash (None for articles stored before hashes were kept)."""
        return dict(self.con.execute("SELECT article_id, content_hash FROM articles").fetchall())

    def seen_urls(self, urls: Iterable[str]) -> dict[str, tuple[str, str | None]]:
        """For each of ``urls`` already stored: (article id, content hash). Feeds and crawls ask this to
        fetch a page once."""
        urls = [u for u in urls if u]
        if not urls:
            return {}
        rows = self.con.execute(
            "SELECT url, article_id, content_hash FROM articles WHERE url IN (SELECT unnest(?::VARCHAR[]))",
            [urls],
        ).fetchall()
        return {u: (i, h) for u, i, h in rows}

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

    # -- analysts' reviews (see fieldreport.io.reviews) ---------------------------------------------

    def review(
        self, record_id: str, *, field: str | None = None, value: object = None, status: str | None = None,
        note: str = "", analyst: str | None = None,
    ) -> list[dict]:
        """Keep an analyst's review of one record (a corrected field, or confirmed/rejected) and apply
        it to the stored record, in one transaction. Raises KeyError for an unknown record and
        ``reviews.ReviewError`` for a review that cannot be kept."""
        rec = self.record(record_id)
        if rec is None:
            raise KeyError(record_id)
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            rows = _reviews.add(con, rec, field=field, value=value, status=status, note=note, analyst=analyst)
            _reviews.apply(con, _COLUMN_TYPES, "record_id = ?", [rec.record_id])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return rows

    def review_history(self, record_id: str) -> list[dict]:
        return _reviews.history(self.con, record_id)

    def review_summary(self, record_ids: Sequence[str] | None = None) -> dict[str, dict]:
        """record_id -> {"status", "reviewed_fields"} for the reviewed records among ``record_ids``."""
        return _reviews.summary(self.con, record_ids)

    def rejected_ids(self) -> set[str]:
        """Records an analyst rejected: not events; events and exports leave them out."""
        return _reviews.rejected(self.con)
