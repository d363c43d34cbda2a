"""The DuckDB store: re-ingest replaces, a failed batch leaves the store as it was, evidence is kept."""

from __future__ import annotations

import pytest

from fieldreport.schema.records import Article, ClaimOut, EventRecord, MaterielOut
from fieldreport.io.store import Store

TEXT = "Jets struck a convoy near Palmyra on Monday, killing 12 fighters, the ministry said."


def _rec(article_id: str, n: int = 0, fatalities: int = 12) -> EventRecord:
    return EventRecord(
        article_id=article_id,
        record_id=EventRecord.make_id(article_id, n, "Air/drone strike"),
        event_date="2024-01-01",
        time_precision=1,
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1="Military Forces of Syria",
        inter1=1,
        country="Syria",
        iso3="SYR",
        location="Palmyra",
        latitude=34.56,
        longitude=38.28,
        fatalities=fatalities,
        materiel=[MaterielOut(kind="truck", count=3, status="destroyed")],
        claims=[ClaimOut(claimant="Syrian Ministry of Defence", claimant_party=True, fields=["fatalities"], start=0, end=84)],
        evidence={"fatalities": [[53, 64]], "location": [[26, 33]]},
    )


def _art(i: str) -> Article:
    return Article(id=i, text=TEXT, outlet="Wire")


def test_records_round_trip_with_evidence_text(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.ingest([(_art("a"), [_rec("a")])])
        (rec,) = store.records()
        assert rec == _rec("a")
        rows = store.con.execute("SELECT field, text FROM evidence ORDER BY field").fetchall()
        assert rows == [("fatalities", "12 fighters"), ("location", "Palmyra")]


def test_reingesting_replaces_never_duplicates(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.ingest([(_art("a"), [_rec("a", 0), _rec("a", 5)]), (_art("b"), [_rec("b")])])
        store.ingest([(_art("a"), [_rec("a", 0, fatalities=30)])])
    with Store(path, read_only=True) as store:
        recs = store.records()
        assert sorted(r.article_id for r in recs) == ["a", "b"]
        assert [r.fatalities for r in recs if r.article_id == "a"] == [30]
        assert store.summary()["articles"] == 2
        n_ev = store.con.execute("SELECT count(*) FROM evidence").fetchone()[0]
        assert n_ev == 4  # two records, two evidence rows each


def test_a_failing_batch_leaves_the_store_consistent(tmp_path, monkeypatch):
    store = Store(tmp_path / "s.duckdb")
    store.ingest([(_art("a"), [_rec("a")])])
    original = store.con.execute

    def crash_on_evidence(sql, *args, **kw):  # the disk fills up half-way through the batch
        if sql.startswith("INSERT INTO evidence"):
            raise OSError("disk full")
        return original(sql, *args, **kw)

    monkeypatch.setattr(store, "con", _Proxy(store.con, crash_on_evidence))
    with pytest.raises(OSError):
        store.ingest([(_art("a"), []), (_art("b"), [_rec("b")])])
    monkeypatch.undo()
    assert [r.article_id for r in store.records()] == ["a"]  # "a" was not deleted by the failed batch
    assert store.summary()["articles"] == 1


class _Proxy:
    def __init__(self, con, execute):
        self._con, self.execute = con, execute

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_show_needs_an_existing_store(tmp_path):
    with pytest.raises(FileNotFoundError, match="fieldreport ingest"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_summary_counts_types_and_articles_without_events(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.ingest([(_art("a"), [_rec("a")]), (_art("quiet"), [])])
        s = store.summary()
    assert s["articles"] == 2 and s["articles_without_event"] == 1 and s["records"] == 1
    assert s["by_type"][0] == {
        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "records": 1, "fatalities": 12
    }


def test_an_article_stored_unchanged_is_known_by_its_content_hash(tmp_path):
    from fieldreport.io.store import content_hash

    with Store(tmp_path / "s.duckdb") as store:
        store.ingest([(Article(id="a", text=TEXT, url="https://example.org/a"), [_rec("a")])])
        same = Article(id="a", text=TEXT, url="https://example.org/a")
        edited = Article(id="a", text=TEXT + " Two more died later.", url="https://example.org/a")
        assert content_hash(same) == content_hash(Article(id="other", text=TEXT, url="https://example.org/a"))
        assert store.is_unchanged(same) and not store.is_unchanged(edited)
        assert store.unchanged([same, edited, Article(id="b", text=TEXT)]) == {"a"}
        assert store.seen_urls(["https://example.org/a", "https://example.org/b"]) == {
            "https://example.org/a": ("a", content_hash(same))
        }
