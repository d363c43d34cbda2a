"""The embedded store: one DuckDB file with articles, records, their evidence, and events.

Ingesting an article again replaces its records (never duplicates them). Each batch is written in one
transaction, together with the events it changes, so a crash mid-batch leaves the store as it was before
the batch, and events are never out of step with records.

Many processes may use one store. DuckDB lets one process open a file for writing, or several for
reading, never both at once; so:

* writers (ingest, decide) take the store's writer lock (``<db>.lock``, an advisory ``flock`` the system
  drops when the process ends, however it ends) for their whole run: a second writer waits for the
  first, says so, and then goes on;
* a writer that opens the store with ``brief=True`` holds the DuckDB file only while it writes a batch,
  and lets go between batches, while it parses the next one;
* every open (reader or writer) that finds the file held waits and tries again, up to ``wait`` seconds,
  so readers (show, export, events, a server) read committed data or wait, and never crash on the lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from fieldreport.io import reviews as _reviews
from fieldreport.settings import Settings
from fieldreport.schema.columns import arrow_schema, columns, sql_type
from fieldreport.schema.records import Article, EventRecord

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
_OPTIONAL_JSON = [n for n, t in _SCALAR_FIELDS if t == "JSON" and n not in ("materiel", "claims", "evidence")]
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
CREATE TABLE IF NOT EXISTS fetch_state (
    url VARCHAR PRIMARY KEY, etag VARCHAR, last_modified VARCHAR, stamp VARCHAR, outcome VARCHAR,
    first_seen TIMESTAMP, last_seen TIMESTAMP
);
"""


def content_hash(article: Article) -> str:
    """A digest of everything about an article that its records depend on (text and metadata, not its id).

    An article stored with the same id and the same hash is stored unchanged: a re-run skips it."""
    parts = [article.text, article.title, article.published.isoformat() if article.published else None,
             article.outlet, article.url, article.language]
    blob = json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return "sha256-" + hashlib.sha256(blob).hexdigest()[:32]


def default_db_path() -> str:
    return Settings.from_env().db or DEFAULT_DB


def integrity(path: str | Path) -> dict[str, int]:
    """What a store file holds and whether it is whole, read directly (read-only): counts of articles,
    records and events, duplicates, records in no event and event links to missing records. A store
    written by any sequence of ingests, crashes and re-runs has no duplicates and no loose ends."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": q("SELECT count(*) FROM articles"),
            "duplicate_articles": q("SELECT count(*) - count(DISTINCT article_id) FROM articles"),
            "records": q("SELECT count(*) FROM records"),
            "duplicate_records": q("SELECT count(*) - count(DISTINCT record_id) FROM records"),
            "events": q("SELECT count(*) FROM events"),
            "records_without_event": q(
                "SELECT count(*) FROM records WHERE record_id NOT IN (SELECT record_id FROM event_records)"),
            "event_links_to_missing_records": q(
                "SELECT count(*) FROM event_records WHERE record_id NOT IN (SELECT record_id FROM records)"),
        }
    finally:
        con.close()


def is_whole(counts: dict[str, int]) -> bool:
    """No duplicates and no loose ends in :func:`integrity`'s counts."""
    return not any(counts[k] for k in ("duplicate_articles", "duplicate_records", "records_without_event",
                                       "event_links_to_missing_records"))


class UnknownId(LookupError):
    """No record (or event) has this id, nor an id that starts with it."""


class AmbiguousId(LookupError):
    """More than one record (or event) id starts with this prefix."""


class CommittedThenInterrupted(KeyboardInterrupt):
    """Ctrl-C came while a transaction committed: the commit went through, then the interrupt."""


class StoreBusy(RuntimeError):
    """The store stayed held by another process for longer than the caller would wait."""


def _quiet(_msg: str) -> None:
    pass


def connect(path: str, read_only: bool, wait: float | None = None, on_wait: Callable[[str], None] = _quiet):
    """``duckdb.connect``, waiting while another process holds the file (``wait`` seconds at most; None:
    as long as it takes). ``on_wait`` is told once, when the wait begins."""
    deadline = None if wait is None else time.monotonic() + wait
    delay, told = 0.02, False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if deadline is not None and time.monotonic() >= deadline:
                raise StoreBusy(
                    f"{path} is still in use by another fieldreport process after {wait:g} s; "
                    "try again later or wait longer with --wait"
                ) from None
            if not told:
                on_wait(f"{path} is in use by another process; waiting for it"
                        + ("" if wait is None else f" (up to {wait:g} s)"))
                told = True
            time.sleep(delay)
            delay = min(delay * 1.5, 0.25)


class WriterLock:
    """One writer per store at a time: an exclusive ``flock`` on ``<db>.lock``, held until :meth:`release`
    (or until the process ends, however it ends: the system drops the lock with it)."""

    def __init__(self, db_path: str, wait: float | None = None, on_wait: Callable[[str], None] = _quiet,
                 what: str = "writing") -> None:
        self.path = f"{db_path}.lock"
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a+")
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    self._fh.close()
                    raise StoreBusy(
                        f"another fieldreport process ({self._holder()}) is still writing to {db_path} after "
                        f"{wait:g} s; try again later or wait longer with --wait"
                    ) from None
                if not told:
                    on_wait(f"another fieldreport process ({self._holder()}) is writing to {db_path}; "
                            "waiting for it to finish" + ("" if wait is None else f" (up to {wait:g} s)")
                            + "; Ctrl-C to give up")
                    told = True
                time.sleep(0.2)
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(f"pid {os.getpid()} {what}\n")
        self._fh.flush()

    def _holder(self) -> str:
        try:
            with open(self.path) as fh:
                return fh.read().strip() or "unknown"
        except OSError:
            return "unknown"

    def release(self) -> None:
        if not self._fh.closed:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()


@contextmanager
def _sigint_deferred() -> Iterator[list]:
    """Ctrl-C waits until the block is done (a commit is never cut in half); the caller finds it in the
    list yielded and raises it then."""
    caught: list[object] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = signal.signal(signal.SIGINT, lambda *a: caught.append(a))
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, previous)


class Store:
    """The DuckDB store. ``read_only`` opens for reading; ``wait`` is how long an open waits while another
    process holds the file (None: as long as it takes); with ``brief`` the file is held only inside
    :meth:`transaction` blocks (and by reads, until :meth:`release`)."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False, wait: float | None = None,
                 brief: bool = False, on_wait: Callable[[str], None] = _quiet) -> None:
        self.path = str(path or default_db_path())
        if read_only and not Path(self.path).exists():
            raise FileNotFoundError(
                f"no store at {self.path}; run `fieldreport ingest` first or name one with --db"
            )
        self.read_only, self.wait, self.brief, self.on_wait = read_only, wait, brief, on_wait
        self._con = None
        self._ready = False
        self._depth = 0
        if not brief:
            self.con  # noqa: B018  open now

    @property
    def con(self):
        if self._con is None:
            self._con = connect(self.path, self.read_only, self.wait, self.on_wait)
            if not self.read_only and not self._ready:
                self._con.execute(_DDL)
                self._add_new_columns(self._con)
                _reviews.ensure_table(self._con)
                self._con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
                )
                self._ready = True
        return self._con

    @con.setter
    def con(self, value) -> None:
        self._con = value

    def release(self) -> None:
        """Let go of the DuckDB file (other processes may open it); the next use opens it again."""
        if self._con is not None and self._depth == 0:
            self._con.close()
            self._con = None

    @staticmethod
    def _add_new_columns(con) -> None:
        """A store written by an older version lacks the record fields added since: add them (empty)."""
        sql = "SELECT column_name FROM duckdb_columns() WHERE table_name = 'records'"
        have = {r[0] for r in con.execute(sql).fetchall()}
        for name, typ in _SCALAR_FIELDS:
            if name not in have:
                con.execute(f'ALTER TABLE records ADD COLUMN "{name}" {typ}')

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """All writes inside are one transaction (blocks nest: the outermost commits). Ctrl-C during the
        commit waits for it. A ``brief`` store lets go of the file afterwards."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        con = self.con
        con.execute("BEGIN TRANSACTION")
        self._depth = 1
        interrupted: list = []
        try:
            yield self
            with _sigint_deferred() as interrupted:
                con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise
        finally:
            self._depth = 0
            if self.brief:
                self.release()
        if interrupted:  # Ctrl-C came during the commit: it is done; now stop
            raise CommittedThenInterrupted

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------------

    def ingest(self, batch: Sequence[tuple[Article, list[EventRecord]]],
               after: Callable[[list[str]], object] | None = None) -> int:
        """Store articles with their records, replacing any earlier records of the same articles.
        One transaction per batch; ``after(article_ids)`` runs inside it (to bring the events in step).
        Returns the number of records written."""
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
        with self.transaction():
            con = self.con
            con.register("_new_articles", art_table)
            con.register("_new_records", rec_table)
            con.register("_new_evidence", ev_table)
            try:
                self._replace(con)
            finally:
                for name in ("_new_articles", "_new_records", "_new_evidence"):
                    con.unregister(name)
            if after is not None:
                after(ids)
        return len(rec_table)

    @staticmethod
    def _replace(con) -> None:
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

    def ingest_stream(
        self, pairs: Iterable[tuple[Article, list[EventRecord]]], batch: int = 200,
        after: Callable[[list[str]], object] | None = None, progress: dict | None = None,
    ) -> tuple[int, int]:
        """Ingest (article, records) pairs in transactions of ``batch`` articles, each with ``after`` (see
        :meth:`ingest`). Returns (articles, records); ``progress`` (when given) holds the counts committed
        so far, for a caller that is interrupted.

        Ctrl-C while the pairs are being made (the slow part) first stores the pairs made so far, then
        stops: a re-run skips them. A second Ctrl-C during that last commit stops at once (it rolls back)."""
        done = progress if progress is not None else {}
        done.setdefault("articles", 0)
        done.setdefault("records", 0)
        pending: list[tuple[Article, list[EventRecord]]] = []

        def commit() -> None:
            try:
                n = self.ingest(pending, after)
            except CommittedThenInterrupted:
                done["articles"] += len(pending)
                done["records"] += sum(len(r) for _, r in pending)
                pending.clear()
                raise
            done["records"] += n
            done["articles"] += len(pending)
            pending.clear()

        try:
            for pair in pairs:
                pending.append(pair)
                if len(pending) >= batch:
                    commit()
        except KeyboardInterrupt:
            if pending:
                try:
                    commit()
                except CommittedThenInterrupted:
                    pass
            raise
        if pending:
            commit()
        return done["articles"], done["records"]

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
            for key in _OPTIONAL_JSON:  # nested models that may be absent ("outlet")
                d[key] = json.loads(d[key]) if d[key] else None
            if d["event_date"] is not None:
                d["event_date"] = d["event_date"].isoformat()
            out.append(EventRecord(**d))
        return out

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

    def _resolve(self, table: str, column: str, what: str, ref: str) -> str:
        ref = ref.strip()
        if ref and self.con.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", [ref]).fetchone():
            return ref
        found = [r[0] for r in self.con.execute(
            f"SELECT {column} FROM {table} WHERE starts_with({column}, ?) ORDER BY 1 LIMIT 4", [ref]
        ).fetchall()] if ref else []
        if not found:
            raise UnknownId(f"no {what} {ref} in {self.path}")
        if len(found) > 1:
            more = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
            raise AmbiguousId(f"{ref} is the start of more than one {what} id ({more}); give more of it")
        return found[0]

    def resolve_record_id(self, ref: str) -> str:
        """The full id of the record whose id is ``ref`` or starts with it (what ``show`` prints).
        Raises :class:`UnknownId` or :class:`AmbiguousId` (different messages)."""
        return self._resolve("records", "record_id", "record", ref)

    def resolve_event_id(self, ref: str) -> str:
        """The full id of the event whose id is ``ref`` or starts with it; see :meth:`resolve_record_id`."""
        return self._resolve("events", "event_id", "event", ref)

    def record(self, record_id: str) -> EventRecord | None:
        """The record with this id or unique id prefix; None when there is none or several."""
        try:
            full = self.resolve_record_id(record_id)
        except LookupError:
            return None
        found = self.records("record_id = ?", [full])
        return found[0] if found else None

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
        with self.transaction():
            con = self.con
            gone = [*removed, *(ev["event_id"] for ev in events)]
            if gone:
                con.execute("DELETE FROM event_records WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
                con.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
            latest = {ev["event_id"]: ev for ev in events}  # written in bulk: one statement per table
            owner = {r: eid for eid, ev in latest.items() for r in ev["record_ids"]}
            if owner:
                con.execute("DELETE FROM event_records WHERE record_id IN (SELECT unnest(?::VARCHAR[]))", [list(owner)])
            if latest:
                ev_table = pa.table({
                    "event_id": pa.array(list(latest), pa.string()),
                    "data": pa.array([json.dumps(ev, default=str) for ev in latest.values()], pa.string()),
                })
                link_table = pa.table({
                    "event_id": pa.array(list(owner.values()), pa.string()),
                    "record_id": pa.array(list(owner), pa.string()),
                })
                con.register("_new_events", ev_table)
                con.register("_new_links", link_table)
                try:
                    con.execute("INSERT INTO events SELECT event_id, data FROM _new_events")
                    con.execute("INSERT INTO event_records SELECT event_id, record_id FROM _new_links")
                finally:
                    con.unregister("_new_events")
                    con.unregister("_new_links")

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
        with self.transaction():
            rows = _reviews.add(self.con, rec, field=field, value=value, status=status, note=note, analyst=analyst)
            _reviews.apply(self.con, _COLUMN_TYPES, "record_id = ?", [rec.record_id])
        return rows

    def review_history(self, record_id: str) -> list[dict]:
        return _reviews.history(self.con, record_id)

    def review_summary(self, record_ids: Sequence[str] | None = None) -> dict[str, dict]:
        """record_id -> {"status", "reviewed_fields"} for the reviewed records among ``record_ids``."""
        return _reviews.summary(self.con, record_ids)

    def rejected_ids(self) -> set[str]:
        """Records an analyst rejected: not events; events and exports leave them out."""
        return _reviews.rejected(self.con)

    # -- URLs fetched (beside the articles stored from them) -----------------------------------------

    def fetch_states(self) -> dict:
        """Every URL fetched before (normalised) -> readers.FetchState: the server's validators, the feed's
        stamp for the item, and whether the page was stored or skipped for good."""
        from fieldreport.io.readers import FetchState

        rows = self.con.execute("SELECT url, etag, last_modified, stamp, outcome FROM fetch_state").fetchall()
        return {r[0]: FetchState(*r) for r in rows}

    def remember_fetches(self, states: Iterable) -> int:
        """Keep the fetch states of URLs read (readers.FetchState). Call it once their articles are stored:
        a crash in between makes the next run read them again rather than miss them."""
        rows = [[s.url, s.etag, s.last_modified, s.stamp, s.outcome] for s in states]
        if not rows:
            return 0
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self.transaction():
            self.con.executemany(
                "INSERT INTO fetch_state VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "etag = excluded.etag, last_modified = excluded.last_modified, stamp = excluded.stamp, "
                "outcome = excluded.outcome, last_seen = excluded.last_seen",
                [[*row, now, now] for row in rows],
            )
        return len(rows)
