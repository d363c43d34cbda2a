"""Nothing lost, never stuck: one store used by many processes, Ctrl-C, kill -9, ids by prefix.

Real DuckDB files and real `fieldreport` subprocesses; the articles are written here.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fieldreport.apps.cli import app
from fieldreport.io.store import AmbiguousId, Store, StoreBusy, UnknownId, WriterLock, integrity, is_whole
from fieldreport.schema.records import Article, EventRecord

EXE = str(Path(sys.executable).with_name("fieldreport"))
runner = CliRunner()

TOWNS = ["Konduga", "Pokrovsk", "Afgooye", "Kisumu", "Tsafe", "Hazaribagh", "Shabwah", "Kharkiv", "Sumy",
         "Gao", "Mopti", "Bama", "Idlib", "Marawi", "Quetta", "Kramatorsk"]
DEEDS = [
    "Gunmen attacked a police post in {town} on Tuesday, killing {n} officers, police said.",
    "Artillery shells hit a market in {town} on Monday, killing {n} civilians, local officials said.",
    "A roadside bomb struck an army truck near {town} on Sunday, killing {n} soldiers.",
    "Militants abducted {n} farmers from a village outside {town} on Friday, residents said.",
    "Hundreds of traders marched through {town} on Thursday to protest against a new market tax.",
]


def _articles(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        text = rng.choice(DEEDS).format(town=town, n=rng.randint(2, 30))
        text += f"\n\nResidents of {town} said the area had been calm for several weeks before."
        out.append({"id": f"t{i:03d}", "published": f"2024-03-{1 + i % 27:02d}", "text": text})
    return out


def _write(path: Path, arts: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in arts))
    return path


def _counts(db: Path) -> dict:
    return integrity(db)


def _consistent(c: dict) -> bool:
    return is_whole(c)


def _ingest(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, "ingest", *args, "--quiet", "--workers", "1"], capture_output=True, text=True,
                          timeout=600, **kw)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """24 articles and the store a clean ingest makes of them (the reference)."""
    d = tmp_path_factory.mktemp("corpus")
    src = _write(d / "arts.jsonl", _articles(24))
    ref = d / "ref.duckdb"
    r = _ingest(str(src), "--db", str(ref))
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("in 24 = coded ")
    return src, _counts(ref)


def _wait_for(db: Path, proc: subprocess.Popen, at_least: int, limit: float = 300) -> bool:
    t0 = time.time()
    while time.time() - t0 < limit and proc.poll() is None:
        try:
            if db.exists() and _counts(db)["articles"] >= at_least:
                return True
        except duckdb.Error:
            pass
        time.sleep(0.2)
    return False


# ------------------------------------------------------------------------------------------------
# one store, many processes


def test_a_reader_waits_while_a_writer_holds_the_file_and_gives_up_after_wait(tmp_path):
    db = tmp_path / "s.duckdb"
    writer = Store(db)  # this process holds the DuckDB file for writing
    try:
        r = subprocess.run([EXE, "show", "--db", str(db), "--wait", "1"], capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and "in use by another" in r.stderr and "Traceback" not in r.stderr
        p = subprocess.Popen([EXE, "show", "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert "waiting" in p.stderr.readline() and p.poll() is None
        writer.close()
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "0 articles" in out
    finally:
        writer.close()


def test_a_second_writer_waits_for_the_first_saying_so(tmp_path):
    db = tmp_path / "s.duckdb"
    src = _write(tmp_path / "a.jsonl", _articles(2))
    lock = WriterLock(str(db), what="test")  # another writer is at work
    try:
        r = _ingest(str(src), "--db", str(db), "--wait", "1")
        assert r.returncode == 2 and "is writing to" in r.stderr and "--wait" in r.stderr
        p = subprocess.Popen([EXE, "ingest", str(src), "--db", str(db), "--quiet", "--workers", "1"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        said = p.stderr.readline()  # it says it waits, and waits ...
        assert "waiting for it to finish" in said and p.poll() is None
        lock.release()  # ... until the first writer is done, then goes on
        rest = p.stderr.read()
        p.wait(timeout=300)
    finally:
        lock.release()
    assert p.returncode == 0, rest
    assert _counts(db)["articles"] == 2


def test_two_ingests_at_once_store_both_batches_once(tmp_path, corpus):
    src, ref = corpus
    arts = [json.loads(x) for x in src.read_text().splitlines()]
    a, b = _write(tmp_path / "a.jsonl", arts[:12]), _write(tmp_path / "b.jsonl", arts[12:])
    db = tmp_path / "two.duckdb"
    procs = [subprocess.Popen([EXE, "ingest", str(f), "--db", str(db), "--quiet", "--workers", "1", "--batch", "4"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in (a, b)]
    readers = []
    while any(p.poll() is None for p in procs):  # and readers all along, which never crash
        readers.append(subprocess.run([EXE, "show", "--db", str(db)], capture_output=True, text=True, timeout=300))
    outs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    got = _counts(db)
    assert _consistent(got) and (got["articles"], got["records"], got["events"]) == (
        ref["articles"], ref["records"], ref["events"])
    assert all(r.returncode in (0, 2) and "Traceback" not in r.stderr for r in readers)
    assert all(r.returncode == 0 for r in readers if "no store" not in r.stderr)


# ------------------------------------------------------------------------------------------------
# interruptions


def test_ctrl_c_stores_what_it_says_with_events_and_a_rerun_completes(tmp_path):
    # enough articles that the interrupt lands mid-run even on a fast, idle machine
    n = 120
    src = _write(tmp_path / "many.jsonl", _articles(n, seed=7))
    clean = _ingest(str(src), "--db", str(tmp_path / "clean.duckdb"))
    assert clean.returncode == 0, clean.stderr
    ref = _counts(tmp_path / "clean.duckdb")
    db = tmp_path / "c.duckdb"
    p = subprocess.Popen([EXE, "ingest", str(src), "--db", str(db), "--quiet", "--workers", "1", "--batch", "3"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait_for(db, p, 3)
    p.send_signal(signal.SIGINT)
    _out, err = p.communicate(timeout=300)
    assert p.returncode == 130, err
    assert "Traceback" not in err
    line = next(x for x in err.splitlines() if x.startswith("Interrupted"))
    mid = _counts(db)
    assert 0 < mid["articles"] < n
    assert f"stored {mid['articles']} of {n} articles; run again to go on" in line
    assert _consistent(mid) and mid["events"] > 0  # what was committed has its events
    r = _ingest(str(src), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert f"Skipped {mid['articles']} articles stored unchanged" in r.stderr
    got = _counts(db)
    assert _consistent(got) and (got["articles"], got["records"], got["events"]) == (
        ref["articles"], ref["records"], ref["events"])


def test_kill_9_at_random_moments_leaves_a_store_that_opens_and_a_rerun_completes(tmp_path, corpus):
    src, ref = corpus
    rng = random.Random(3)
    for k in range(2):
        db = tmp_path / f"k{k}.duckdb"
        p = subprocess.Popen([EXE, "ingest", str(src), "--db", str(db), "--quiet", "--workers", "1", "--batch", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(db, p, rng.randint(1, 20))
        time.sleep(rng.uniform(0, 1.0))
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
        if db.exists():
            assert _consistent(_counts(db))  # opens; no duplicates; records and events in step
        r = _ingest(str(src), "--db", str(db))
        assert r.returncode == 0, r.stderr
        got = _counts(db)
        assert _consistent(got) and (got["articles"], got["records"], got["events"]) == (
            ref["articles"], ref["records"], ref["events"])


# ------------------------------------------------------------------------------------------------
# the store's re-ingest, fuzzed


def _rec(article_id: str, n: int, fatalities: int) -> EventRecord:
    return EventRecord(
        article_id=article_id, record_id=EventRecord.make_id(article_id, n, "Attack"), event_date="2024-01-02",
        event_type="Violence against civilians", sub_event_type="Attack", fatalities=fatalities,
        evidence={"fatalities": [[0, 4]]},
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.tuples(st.sampled_from("abcde"), st.integers(0, 3), st.integers(0, 9)),
                         max_size=6), min_size=1, max_size=5))
def test_any_sequence_of_reingests_keeps_the_last_version_of_each_article_once(tmp_path_factory, batches):
    db = tmp_path_factory.mktemp("fuzz") / "s.duckdb"
    last: dict[str, tuple[str, int, int]] = {}
    with Store(db) as store:
        for batch in batches:
            pairs = [(Article(id=i, text=f"text {i} {v}"), [_rec(i, j, v) for j in range(n)]) for i, n, v in batch]
            store.ingest(pairs)
            for i, n, v in batch:
                last[i] = (f"text {i} {v}", n, v)
        assert store.summary()["articles"] == len(last)
        recs = store.records()
        assert len(recs) == len({r.record_id for r in recs}) == sum(n for _, n, _ in last.values())
        for i, (text, n, v) in last.items():
            assert store.article(i).text == text
            assert store.is_unchanged(Article(id=i, text=text))
            assert all(r.fatalities == v for r in recs if r.article_id == i)


# ------------------------------------------------------------------------------------------------
# ids: any unique prefix, and two different messages


def test_unique_prefixes_work_everywhere_and_missing_and_ambiguous_ids_say_which(tmp_path):
    db = tmp_path / "ids.duckdb"
    with Store(db) as store:
        recs = [EventRecord(article_id="a", record_id=rid, event_type="Protests", sub_event_type="Peaceful protest")
                for rid in ("r-aaa111", "r-aaa222", "r-bbb333")]
        store.ingest([(Article(id="a", text="Traders marched."), recs)])
        assert store.resolve_record_id("r-b") == "r-bbb333"
        with pytest.raises(AmbiguousId, match="more than one"):
            store.resolve_record_id("r-aaa")
        with pytest.raises(UnknownId, match="no record r-zzz"):
            store.resolve_record_id("r-zzz")
    shown = runner.invoke(app, ["show", "r-aaa1", "--db", str(db)])
    assert shown.exit_code == 0 and "r-aaa111" in shown.stdout
    ambiguous = runner.invoke(app, ["show", "r-aaa", "--db", str(db)])
    missing = runner.invoke(app, ["show", "r-zzz", "--db", str(db)])
    assert ambiguous.exit_code == missing.exit_code == 2
    assert "more than one record" in ambiguous.output and "no record r-zzz" in missing.output
    decided = runner.invoke(app, ["decide", "merge", "r-aaa1", "r-bb", "--db", str(db)])
    assert decided.exit_code == 0, decided.output
    assert "r-aaa111 r-bbb333" in decided.output
    assert runner.invoke(app, ["decide", "merge", "r-aaa", "r-bb", "--db", str(db)]).exit_code == 2
    with Store(db, read_only=True) as store:
        (merged,) = [e for e in store.events() if "r-aaa111" in e["record_ids"]]
        assert "r-bbb333" in merged["record_ids"]
        event_id = merged["event_id"]
    # events, export --events and show read the same stored events, with the decision applied
    lines = [json.loads(x) for x in runner.invoke(app, ["events", "--db", str(db)]).stdout.splitlines()]
    exported = runner.invoke(app, ["export", "--events", "-f", "jsonl", "--db", str(db)]).stdout.splitlines()
    exported = [json.loads(x) for x in exported]
    assert [(e["event_id"], e["record_ids"]) for e in lines] == [(e["event_id"], e["record_ids"]) for e in exported]
    assert len(lines) == 2
    one = runner.invoke(app, ["events", "--show", event_id[:6], "--db", str(db)])
    assert one.exit_code == 0 and "r-bbb333" in one.stdout


def test_stale_writer_locks_do_not_exist(tmp_path):
    """The writer lock is the system's: a writer killed with -9 leaves no lock behind."""
    db = tmp_path / "s.duckdb"
    code = f"from fieldreport.io.store import WriterLock; WriterLock({str(db)!r}); import os; os.kill(os.getpid(), 9)"
    subprocess.run([sys.executable, "-c", code], timeout=60)
    lock = WriterLock(str(db), wait=0)
    lock.release()
    with pytest.raises(StoreBusy):
        held = WriterLock(str(db), wait=0)
        try:
            WriterLock(str(db), wait=0.3)
        finally:
            held.release()
    assert os.path.exists(f"{db}.lock")


def test_ctrl_c_during_a_commit_waits_for_it_and_is_counted(tmp_path):
    from fieldreport.io.store import CommittedThenInterrupted

    store = Store(tmp_path / "s.duckdb")
    real = store.con

    class _CtrlCAtCommit:  # the user presses Ctrl-C just as the batch commits
        def __getattr__(self, name):
            return getattr(real, name)

        def execute(self, sql, *args):
            if sql == "COMMIT":
                os.kill(os.getpid(), signal.SIGINT)
            return real.execute(sql, *args)

    store.con = _CtrlCAtCommit()
    progress: dict = {}
    pairs = [(Article(id=f"a{i}", text="Traders marched."), []) for i in range(3)]
    with pytest.raises(CommittedThenInterrupted):
        store.ingest_stream(iter(pairs), batch=2, progress=progress)
    store.con = real
    assert progress == {"articles": 2, "records": 0}  # the first batch went in, and is counted
    assert store.summary()["articles"] == 2
    store.close()


def test_ctrl_c_while_extracting_stores_what_was_extracted_first(tmp_path):
    def extracted():
        for i in range(5):
            yield Article(id=f"a{i}", text="Traders marched."), []
        raise KeyboardInterrupt  # the user presses Ctrl-C while the sixth article is being parsed

    progress: dict = {}
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(KeyboardInterrupt):
            store.ingest_stream(extracted(), batch=3, progress=progress)
        assert progress["articles"] == 5 and store.summary()["articles"] == 5
