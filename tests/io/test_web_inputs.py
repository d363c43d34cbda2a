"""Real inputs: feeds and pages fetched from a news site served on 127.0.0.1 by the test itself, saved feeds,
and web archives written with warcio. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner


from tests import localsite as ls  # noqa: E402

from fieldreport.apps.cli import _interval, app  # noqa: E402
from fieldreport.io.feeds import parse_feed  # noqa: E402
from fieldreport.io.fetch import Fetcher, FetchFailure, FetchSettings, Request, normalize_url  # noqa: E402
from fieldreport.io.readers import InputProblem, iter_inputs  # noqa: E402
from fieldreport.io.store import Store  # noqa: E402

runner = CliRunner()
FAST = FetchSettings(timeout=1.0, retries=2, backoff=0.05)


@pytest.fixture(scope="module")
def site():
    s = ls.serve()
    for story in [*ls.STORIES, ls.UNDATED, ls.FRENCH]:
        s.add_page(story)
    s.add("/feed.xml", ls.rss(ls.STORIES, s.base), "application/rss+xml")
    s.add(
        "/mixed.xml",
        ls.rss([ls.STORIES[0], ls.UNDATED, ls.FRENCH], s.base, extra_links=[
            ("Forbidden page", "/private/secret.html"), ("Slow page", "/slow/late.html"),
            ("Broken page", "/broken/oops.html"), ("Gone page", "/news/gone.html")]),
        "application/rss+xml",
    )  # fmt: skip
    s.add("/nodates.xml", ls.rss([], s.base, extra_links=[(st.title, st.path) for st in ls.STORIES]),
          "application/rss+xml")  # fmt: skip
    s.add("/private/secret.html", ls.page_html(ls.STORIES[0], s.base))
    yield s
    ls.stop(s)


def _bin() -> str:
    exe = Path(sys.executable).parent / "fieldreport"
    return str(exe) if exe.exists() else shutil.which("fieldreport") or "fieldreport"


def _cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([_bin(), *args], capture_output=True, text=True, timeout=timeout)


def _articles(db: str) -> dict[str, tuple]:
    with duckdb.connect(db, read_only=True) as con:
        rows = con.execute("SELECT url, title, published, outlet, text FROM articles ORDER BY url").fetchall()
    return {r[0]: r[1:] for r in rows}


def _records(db: str) -> list[tuple]:
    with duckdb.connect(db, read_only=True) as con:
        return con.execute("SELECT * EXCLUDE (confidence), round(confidence, 6) FROM records ORDER BY record_id").fetchall()


def _check_stored(db: str, site) -> None:
    arts = _articles(db)
    assert sorted(arts) == sorted(site.base + st.path for st in ls.STORIES)
    for st in ls.STORIES:
        title, published, outlet, text = arts[site.base + st.path]
        assert title == st.title and published == date.fromisoformat(st.published) and outlet == ls.OUTLET
        for para in st.paragraphs:
            assert para in text
        for furniture in ls.FURNITURE:
            assert furniture not in text, (furniture, st.path)


# ------------------------------------------------------------------------------------------------
# The bar, end to end with the real console script


def test_bar_feed_then_rerun_then_warc_then_watch(site, tmp_path):
    feed = site.base + "/feed.xml"
    db = str(tmp_path / "feed.duckdb")
    first = _cli("ingest", feed, "--db", db, "--workers", "1")
    assert first.returncode == 0, first.stderr
    assert "Stored 3 articles" in first.stderr
    _check_stored(db, site)
    records = _records(db)
    assert records, "the three stories tell events"
    page_hits = {st.path: site.hits[st.path] for st in ls.STORIES}

    again = _cli("ingest", feed, "--db", db, "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert "Stored 0 articles" in again.stderr and "Nothing new. Skipped 3 articles stored unchanged already" in again.stderr
    assert _records(db) == records
    assert {st.path: site.hits[st.path] for st in ls.STORIES} == page_hits  # the feed said nothing changed

    warc = tmp_path / "site.warc.gz"
    ls.write_warc(warc, site, [st.path for st in ls.STORIES])
    wdb = str(tmp_path / "warc.duckdb")
    from_warc = _cli("ingest", str(warc), "--db", wdb, "--workers", "1")
    assert from_warc.returncode == 0, from_warc.stderr
    assert _articles(wdb) == _articles(db)
    assert _records(wdb) == records

    vdb = str(tmp_path / "watch.duckdb")
    watched = _cli("watch", feed, "--once", "--db", vdb, "--workers", "1")
    assert watched.returncode == 0, watched.stderr
    assert "poll 1: 3 new or changed articles" in watched.stdout
    assert _articles(vdb) == _articles(db) and _records(vdb) == records
    rewatched = _cli("watch", feed, "--once", "--db", vdb, "--workers", "1")
    assert rewatched.returncode == 0, rewatched.stderr
    assert "poll 1: 0 new or changed articles" in rewatched.stdout and "3 already stored unchanged" in rewatched.stdout
    assert _records(vdb) == records


# ------------------------------------------------------------------------------------------------
# Failures are named with their URL; the rest goes on


def test_every_failure_is_named_with_its_url_and_the_rest_go_on(site, tmp_path):
    db = str(tmp_path / "mixed.duckdb")
    res = runner.invoke(app, ["ingest", site.base + "/mixed.xml", "--db", db, "--quiet", "--workers", "1",
                              "--timeout", "1"])  # fmt: skip
    assert res.exit_code == 3, res.output
    err = res.stderr
    assert f"{site.base}/private/secret.html: skipped: robots.txt" in err
    assert f"{site.base}/slow/late.html: skipped: timed out" in err
    assert f"{site.base}/broken/oops.html: skipped: HTTP 500 (3 tries)" in err
    assert f"{site.base}/news/gone.html: skipped: HTTP 404" in err
    assert f"{site.base}{ls.FRENCH.path}: skipped:" in err and "French" in err
    assert site.hits.get("/private/secret.html", 0) == 0  # never asked for
    arts = _articles(db)
    assert sorted(arts) == sorted([site.base + ls.STORIES[0].path, site.base + ls.UNDATED.path])
    # the undated, bare page takes the feed's title and date; it names no site, so its host is the outlet
    title, published, outlet, text = arts[site.base + ls.UNDATED.path]
    assert (title, published) == (ls.UNDATED.title, date(2024, 5, 16)) and outlet.startswith("127.0.0.1")
    assert all(f not in text for f in ls.FURNITURE)
    # the non-English page is remembered as skipped; the failures are tried again next time
    with Store(db, read_only=True) as store:
        states = store.fetch_states()
    assert states[normalize_url(site.base + ls.FRENCH.path)].outcome.startswith("skipped: ")
    assert normalize_url(site.base + "/slow/late.html") not in states


def test_a_changed_page_is_read_again_and_conditional_requests_save_the_rest(site, tmp_path):
    db = str(tmp_path / "nodates.duckdb")
    feed = site.base + "/nodates.xml"
    first = runner.invoke(app, ["ingest", feed, "--db", db, "--quiet", "--workers", "1"])
    assert first.exit_code == 0, first.output
    assert len(_articles(db)) == 3
    before_304 = site.not_modified
    again = runner.invoke(app, ["ingest", feed, "--db", db, "--quiet", "--workers", "1"])
    assert "Skipped 3 articles stored unchanged already" in again.stderr
    assert site.not_modified - before_304 == 3  # the feed has no dates: each page was asked for conditionally

    story = ls.STORIES[1]
    changed = ls.Story(story.path, story.title, story.published,
                       [*story.paragraphs, "On Wednesday the police said eleven of the students had been freed."])
    original = site.routes[story.path]
    site.add_page(changed)
    try:
        third = runner.invoke(app, ["ingest", feed, "--db", db, "--quiet", "--workers", "1"])
    finally:
        site.routes[story.path] = original
    assert third.exit_code == 0, third.output
    assert "Stored 1 articles" in third.stderr and "Skipped 2 articles stored unchanged" in third.stderr
    assert "eleven of the students" in _articles(db)[site.base + story.path][3]
    assert len(_articles(db)) == 3


def test_a_saved_feed_file_and_a_page_url(site, tmp_path):
    saved = tmp_path / "courier.rss"
    saved.write_text(ls.rss(ls.STORIES[:2], site.base), encoding="utf-8")
    page = site.base + ls.STORIES[2].path
    items = list(iter_inputs([str(saved), page]))
    assert [i.url for i in items] == [site.base + st.path for st in ls.STORIES]
    assert all(i.outlet == ls.OUTLET and i.id.startswith("url-") for i in items)
    not_feed = tmp_path / "notes.xml"
    not_feed.write_text("<notes><note>hello</note></notes>")
    (problem,) = list(iter_inputs([str(not_feed)]))
    assert "not an RSS or Atom feed" in problem.message


# ------------------------------------------------------------------------------------------------
# Web archives


def test_a_warc_gives_every_html_response_and_feed_hints(site, tmp_path):
    warc = tmp_path / "crawl.warc"
    site.add("/crawl-feed.xml", ls.rss([ls.UNDATED], site.base), "application/rss+xml")
    ls.write_warc(warc, site, ["/crawl-feed.xml", ls.UNDATED.path, ls.STORIES[0].path, ls.FRENCH.path])
    items = list(iter_inputs([str(warc)]))
    arts = [i for i in items if not isinstance(i, InputProblem)]
    assert [a.url for a in arts] == [site.base + ls.UNDATED.path, site.base + ls.STORIES[0].path]
    undated = arts[0]
    assert undated.title == ls.UNDATED.title and undated.published == date(2024, 5, 16)
    (problem,) = [i for i in items if isinstance(i, InputProblem)]
    assert problem.source == site.base + ls.FRENCH.path and "French" in problem.message


def test_a_broken_warc_is_named_and_what_came_before_is_kept(site, tmp_path):
    whole = tmp_path / "whole.warc.gz"
    ls.write_warc(whole, site, [st.path for st in ls.STORIES])
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(gzip.decompress(data)[: int(len(gzip.decompress(data)) * 0.5)])  # halfway through a page
    items = list(iter_inputs([str(cut)]))
    arts = [i for i in items if not isinstance(i, InputProblem)]
    (problem,) = [i for i in items if isinstance(i, InputProblem)]
    assert [a.url for a in arts] == [site.base + ls.STORIES[0].path]
    assert problem.source.startswith(str(cut)) and "breaks off" in problem.message
    assert site.base + ls.STORIES[1].path in problem.message
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not an archive at all\n" * 5)
    (problem,) = list(iter_inputs([str(junk)]))
    assert "WARC" in problem.message


# ------------------------------------------------------------------------------------------------
# Fetching politely


def test_fetcher_user_agent_retries_size_limit_and_robots(site):
    site.add("/flaky/page.html", "<html><body><p>ok</p></body></html>")
    site.add("/big.html", "<html><body>" + "<p>word</p>" * 50_000 + "</body></html>")
    site.flaky_left = 2
    with Fetcher(FetchSettings(timeout=1.0, retries=2, backoff=0.05, max_bytes=100_000)) as f:
        ok = f.get(site.base + "/flaky/page.html")
        assert not isinstance(ok, FetchFailure) and ok.status == 200
        assert site.hits["/flaky/page.html"] == 3  # two 503s, then the page
        big = f.get(site.base + "/big.html")
        assert isinstance(big, FetchFailure) and "over the limit" in big.message
    with Fetcher(FetchSettings(max_bytes=10_000_000)) as f:
        assert not isinstance(f.get(site.base + "/big.html"), FetchFailure)
        forbidden = f.get(site.base + "/private/secret.html")
        assert isinstance(forbidden, FetchFailure) and "robots.txt" in forbidden.message
    assert site.agents and all(a.startswith("fieldreport/") for a in site.agents)


def test_at_most_n_requests_at_once_per_host(site):
    for i in range(6):
        site.add(f"/wait/{i}.html", f"<html><body><p>page {i}</p></body></html>")
    site.max_in_flight = 0
    with Fetcher(FetchSettings(per_host=2, workers=8)) as f:
        f.get(site.base + "/robots.txt")  # read robots.txt first, so only pages are counted below
        deadline = time.time() + 30  # a slow answer left over from an earlier test must not count here
        while site.in_flight and time.time() < deadline:
            time.sleep(0.05)
        site.max_in_flight = 0
        got = list(f.get_many(Request(f"{site.base}/wait/{i}.html") for i in range(6)))
    assert [r.url for r, _ in got] == [f"{site.base}/wait/{i}.html" for i in range(6)]
    assert all(not isinstance(res, FetchFailure) for _, res in got)
    assert 1 <= site.max_in_flight <= 2  # never more than per_host at once (how many overlap depends on the load)


def test_a_robots_txt_the_server_fails_to_give_forbids_the_host_and_a_missing_one_allows_it():
    other = ls.serve()
    try:
        other.add("/page.html", ls.page_html(ls.STORIES[0], other.base))
        other.robots_status = 503
        with Fetcher(FAST) as f:
            res = f.get(other.base + "/page.html")
        assert isinstance(res, FetchFailure) and "robots.txt" in res.message and "could not be read" in res.message
        assert other.hits.get("/page.html", 0) == 0
        for missing in (404, 0):  # not there, or a server that drops the connection for it
            other.robots_status = missing
            with Fetcher(FAST) as f:
                assert not isinstance(f.get(other.base + "/page.html"), FetchFailure)
    finally:
        ls.stop(other)
    with Fetcher(FAST) as f:  # nobody there at all: the page's own failure is named
        res = f.get("http://127.0.0.1:9/page.html")
    assert isinstance(res, FetchFailure) and res.message.startswith("could not connect")


def test_feeds_are_read_with_feedparser_and_links_made_absolute():
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        '<entry><title>One</title><link href="/a/1.html"/><updated>2024-02-03T10:00:00Z</updated><id>1</id></entry>'
        '<entry><title>Two</title><link rel="alternate" href="http://127.0.0.1:9/a/2.html"/><id>2</id></entry>'
        "</feed>"
    ).encode()
    feed = parse_feed(atom, "atom", base_url="http://127.0.0.1:9/feeds/atom.xml")
    assert feed.title == "Wire"
    assert [(i.url, i.title, i.published) for i in feed.items] == [
        ("http://127.0.0.1:9/a/1.html", "One", date(2024, 2, 3)),
        ("http://127.0.0.1:9/a/2.html", "Two", None),
    ]


def test_language_is_identified_and_other_languages_named():
    german = ("Bewaffnete Männer haben am Montag ein Dorf im Norden des Landes angegriffen und mehrere "
              "Menschen getötet, sagte ein Sprecher der Regierung.")
    from fieldreport.io.readers import english_problem

    assert "German" in english_problem(german, None)
    others = {
        "Portuguese": "Homens armados atacaram uma esquadra da polícia no norte do país na segunda-feira e mataram "
                      "dois agentes, disse o governador.",
        "Indonesian": "Orang-orang bersenjata menyerang sebuah pos polisi di utara negara itu pada hari Senin dan "
                      "menewaskan dua petugas, kata gubernur.",
        "Swahili": "Watu wenye silaha walishambulia kituo cha polisi kaskazini mwa nchi siku ya Jumatatu na kuwaua "
                   "maafisa wawili, gavana alisema.",
        "Arabic": "هاجم مسلحون مركزا للشرطة في شمال البلاد يوم الاثنين وقتلوا اثنين من رجال الشرطة، بحسب المحافظ.",
    }
    for name, text in others.items():
        assert name in english_problem(text, None)
    # an English note full of foreign place names stays English
    assert english_problem("Late on 9 March 2023 a taxi driver was shot dead near the Plaza de Armas of Culiacan, Sinaloa, "
                           "close to the Colonia Las Quintas market.", None) is None
    assert english_problem(ls.STORIES[0].paragraphs[0], None) is None
    assert english_problem("Clashes in Goma.", None) is None  # too short to judge: let through


# ------------------------------------------------------------------------------------------------
# watch


def test_watch_polls_until_ctrl_c_and_stops_cleanly(site, tmp_path):
    db = str(tmp_path / "w.duckdb")
    proc = subprocess.Popen([_bin(), "watch", site.base + "/feed.xml", "--every", "1s", "--db", db, "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 240
        while len(lines) < 2 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if " poll " in line:
                lines.append(line)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "poll 1: 3 new or changed articles" in lines[0] and "poll 2: 0 new or changed articles" in lines[1]
    assert "Stopped after" in err
    assert len(_articles(db)) == 3


def test_every_takes_durations():
    assert _interval("90") == 90 and _interval("30s") == 30 and _interval("15m") == 900
    assert _interval("1h30m") == 5400
    with pytest.raises(ValueError):
        _interval("soon")
    bad = runner.invoke(app, ["watch", "http://127.0.0.1:9/feed.xml", "--every", "soon"])
    assert bad.exit_code == 2 and "--every" in bad.output


# ------------------------------------------------------------------------------------------------
# progress


def _in_a_terminal(args: list[str], timeout: float = 300) -> str:
    """Run the console script under a pseudo-terminal (as a user at a shell would) and return all it drew."""
    import pty
    import re

    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the terminal as its standard streams
        os.execv(_bin(), [_bin(), *args])
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.decode("utf-8", "replace"))


def test_progress_shows_counts_and_rate_in_a_terminal_and_is_quiet_with_q(site, tmp_path):
    waits = [ls.Story(f"/wait/p{i}.html", f"Report {i}", "2024-05-20", ls.STORIES[i % 3].paragraphs) for i in range(8)]
    for st in waits:
        site.add_page(st)
    site.add("/progress-feed.xml", ls.rss(waits, site.base), "application/rss+xml")
    shown = _in_a_terminal(["ingest", site.base + "/progress-feed.xml", "--db", str(tmp_path / "p.duckdb"), "--workers", "1"])
    assert "fetching Sahel Courier" in shown and "/8" in shown and "/s" in shown
    assert "extracting articles" in shown and "Stored 8 articles" in shown
    quiet = _in_a_terminal(["ingest", site.base + "/progress-feed.xml", "--db", str(tmp_path / "q.duckdb"), "--workers", "1", "-q"])
    assert "Stored 8 articles" in quiet and "fetching" not in quiet and "extracting articles" not in quiet


def test_a_directory_holds_archives_and_feeds_too(site, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    ls.write_warc(folder / "crawl.warc.gz", site, [ls.STORIES[0].path])
    (folder / "courier.atom.xml").write_text(ls.rss(ls.STORIES[1:2], site.base), encoding="utf-8")
    (folder / "notes.xml").write_text("<notes><note>not a feed</note></notes>", encoding="utf-8")
    items = list(iter_inputs([str(folder)]))
    arts = [i for i in items if not isinstance(i, InputProblem)]
    (problem,) = [i for i in items if isinstance(i, InputProblem)]
    assert sorted(a.url for a in arts) == sorted(site.base + st.path for st in ls.STORIES[:2])
    assert problem.source.endswith("notes.xml") and "not an RSS or Atom feed" in problem.message
