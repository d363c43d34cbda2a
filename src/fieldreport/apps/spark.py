"""The Spark job: fieldreport's extraction scaled out over a Spark cluster (or local cores).

An adapter around the core, never reaching into the extractors::

    JSON Lines ──textFile──▶ (line, number) ──mapPartitions──▶ records / articles / problems
                                               (one Pipeline per executor process)

* Input is the contract's JSON Lines (one object per line, ``text`` required), read with
  ``SparkContext.textFile`` so huge inputs stream; each line keeps its 1-based line number
  (``zipWithIndex``) for the problem messages.
* Each partition validates its lines with :func:`fieldreport.io.readers.article_from_mapping` and runs
  :meth:`fieldreport.assemble.pipeline.Pipeline.default` over the articles. The pipeline is loaded once per
  executor (Python worker) process and cached at module level, so with Spark's worker reuse (on by
  default) every later partition on that process reuses it.
* Output is a directory::

      OUT/records/      Parquet: one row per event record (the contract's fields, plus ``line`` and
                        ``rank``: the input line and the record's position in its article, main first)
      OUT/articles/     Parquet: every article that was processed (with its text, so evidence can be
                        read back and the records loaded into the store), ``n_records`` per article
      OUT/problems.jsonl  one JSON object per input problem: ``{"source", "line", "message", "skipped"}``

  Nothing is dropped silently: every non-blank input line ends up as an article, a problem or both
  (an article with an unreadable date is processed *and* gets a ``skipped: false`` warning).

Events are a global grouping (records from many articles): load the records into the DuckDB store with
:func:`records_parquet_to_store` and consolidate there (``fieldreport.events.sync.consolidate_store``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldreport.schema.columns import columns, field_names, spark_type
from fieldreport.schema.records import EventRecord

if TYPE_CHECKING:  # pyspark is an optional extra: import it only when the job runs
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType

    from fieldreport.assemble.pipeline import Pipeline

#: Names of the parts of a run's output directory.
RECORDS_DIR = "records"
ARTICLES_DIR = "articles"
PROBLEMS_FILE = "problems.jsonl"

#: Articles handed to spaCy's ``nlp.pipe`` at once inside a partition.
BATCH_SIZE = 16

#: Tags of the rows that a partition yields.
_RECORD, _ARTICLE, _PROBLEM = "record", "article", "problem"

# One pipeline per executor process and model name (see _pipeline).
_PIPELINES: dict[str | None, "Pipeline"] = {}


class SparkUnavailable(RuntimeError):
    """pyspark is not installed (it is the optional ``spark`` extra)."""


# ------------------------------------------------------------------------------------------------
# Executor side: pure Python, no pyspark needed (so it can be tested without a cluster).


def _pipeline(model: str | None) -> tuple["Pipeline", bool]:
    """The executor process's pipeline for ``model``, and whether this call loaded it."""
    pipe = _PIPELINES.get(model)
    if pipe is not None:
        return pipe, False
    from fieldreport.assemble.pipeline import Pipeline

    pipe = Pipeline.default(model)
    _PIPELINES[model] = pipe
    return pipe, True


def _problem_row(source: str, line: int | None, message: str, skipped: bool = True) -> tuple[str, str]:
    return _PROBLEM, json.dumps(
        {"source": source, "line": line, "message": message, "skipped": skipped}, ensure_ascii=False
    )


def parse_line(raw: str, lineno: int, source: str, max_chars: int | None = None) -> list[Any]:
    """Validate one input line (1-based ``lineno``): the same checks as ``fieldreport.io.readers.read_jsonl``.

    Returns :class:`~fieldreport.io.readers.InputProblem` and/or :class:`~fieldreport.schema.records.Article` items;
    an empty list for a blank line. Spark's text reader has already decoded the bytes as UTF-8,
    replacing invalid bytes with U+FFFD, so a line holding U+FFFD is reported as not valid UTF-8.
    """
    from fieldreport.io.readers import DEFAULT_MAX_CHARS, InputProblem, article_from_mapping

    if lineno == 1:
        raw = raw.lstrip("\ufeff")  # a byte-order mark before the first object
    if not raw.strip():
        return []
    if "\ufffd" in raw:
        col = raw.index("\ufffd") + 1
        return [InputProblem(source, lineno, f"not valid UTF-8 (replacement character at column {col})")]
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return [InputProblem(source, lineno, f"invalid JSON: {exc.msg} at column {exc.colno}")]
    if not isinstance(obj, dict):
        return [InputProblem(source, lineno, f"expected a JSON object, got {type(obj).__name__}")]
    return article_from_mapping(obj, source, lineno, max_chars or DEFAULT_MAX_CHARS)


def _article_row(art: Any, line: int, n_records: int) -> tuple[str, tuple]:
    return _ARTICLE, (
        art.id,
        line,
        art.title,
        art.published.isoformat() if art.published else None,
        art.outlet,
        art.url,
        art.language,
        art.text,
        n_records,
    )


def _record_row(rec: Any, line: int, rank: int) -> tuple[str, tuple]:
    d = rec.model_dump(mode="json")
    d["line"] = line
    d["rank"] = rank
    for name in ("latitude", "longitude", "confidence"):  # a double column must never get an int
        if d.get(name) is not None:
            d[name] = float(d[name])
    return _RECORD, tuple(d.get(name) for name in _RECORD_COLUMNS)


def extract_partition(
    lines: Iterable[tuple[str, str, int]],
    model: str | None = None,
    max_chars: int | None = None,
    on_load: Any = None,
) -> Iterator[tuple[str, Any]]:
    """The work of one partition: ``(source, line text, 0-based line index)`` triples in, tagged rows out.

    Yields ``("record", tuple)`` in :data:`_RECORD_COLUMNS` order, ``("article", tuple)`` in
    :data:`_ARTICLE_COLUMNS` order and ``("problem", json string)``. ``on_load`` (a Spark accumulator or
    anything with ``add``) is told each time a process loads the pipeline. An article whose extraction
    raises becomes a problem instead of failing the whole job.
    """
    pending: list[tuple[Any, str, int]] = []
    pipe: Pipeline | None = None

    def flush() -> Iterator[tuple[str, Any]]:
        nonlocal pipe
        if pipe is None:
            pipe, loaded = _pipeline(model)
            if loaded and on_load is not None:
                on_load.add(1)
        arts = [a for a, _, _ in pending]
        try:
            results = [recs for _, recs in pipe.extract_many(arts, workers=1, batch_size=BATCH_SIZE)]
        except Exception:  # one bad article must not hide the others: retry them one by one
            results = []
            for art, _, _ in pending:
                try:
                    results.append(pipe.extract(art))
                except Exception as exc:  # noqa: BLE001 - reported, never dropped
                    results.append(exc)
        for (art, source, line), recs in zip(pending, results):
            if isinstance(recs, Exception):
                yield _problem_row(source, line, f"extraction failed: {type(recs).__name__}: {recs}")
                continue
            yield _article_row(art, line, len(recs))
            for rank, rec in enumerate(recs):
                yield _record_row(rec, line, rank)
        pending.clear()

    from fieldreport.io.readers import InputProblem

    for source, raw, index in lines:
        lineno = index + 1
        for item in parse_line(raw, lineno, source, max_chars):
            if isinstance(item, InputProblem):
                yield _problem_row(item.source, item.line, item.message, item.skipped)
            else:
                pending.append((item, source, lineno))
        if len(pending) >= BATCH_SIZE:
            yield from flush()
    if pending:
        yield from flush()


# ------------------------------------------------------------------------------------------------
# The output schema


#: The records' columns: the job's own bookkeeping (input line, rank in the article) and the record's
#: fields, declared once in EventRecord.
_RECORD_COLUMNS: list[str] = ["article_id", "record_id", "line", "rank",
                              *(n for n in field_names(EventRecord) if n not in ("article_id", "record_id"))]
_ARTICLE_COLUMNS: list[str] = [
    "article_id", "line", "title", "published", "outlet", "url", "language", "text", "n_records",
]  # fmt: skip


def record_schema() -> "StructType":
    """The Parquet schema of ``OUT/records``: the contract's record fields, typed, plus line and rank."""
    from pyspark.sql import types as T

    by_name = {c.name: c for c in columns(EventRecord)}
    fields = []
    for name in _RECORD_COLUMNS:
        typ = T.IntegerType() if name in ("line", "rank") else spark_type(by_name[name])
        fields.append(T.StructField(name, typ, nullable=name not in {"article_id", "record_id"}))
    return T.StructType(fields)


def article_schema() -> "StructType":
    """The Parquet schema of ``OUT/articles``."""
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField(name, T.IntegerType() if name in {"line", "n_records"} else T.StringType())
            for name in _ARTICLE_COLUMNS
        ]
    )


# ------------------------------------------------------------------------------------------------
# Driver side


def _require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable(
            "pyspark is not installed; install fieldreport's Spark extra: pip install 'fieldreport[spark]'"
        ) from exc


def spark_session(master: str = "local[*]", app_name: str = "fieldreport") -> "SparkSession":
    """A SparkSession set up for fieldreport: workers use this Python, no UI, modest memory.

    An already active session is returned as it is (its master and settings win).
    """
    _require_pyspark()
    from pyspark.sql import SparkSession

    # Workers must run the interpreter that has fieldreport and its models installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.python.worker.reuse", "true")
        .config("spark.executorEnv.PYSPARK_PYTHON", os.environ["PYSPARK_PYTHON"])
    )
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


_REMOTE = ("hdfs:", "s3a:", "s3:", "s3n:", "gs:", "abfs:", "abfss:", "wasb:", "wasbs:", "dbfs:", "file:")


def input_files(input_path: str) -> list[str]:
    """The JSON Lines files that ``input_path`` names, in a stable order.

    A local file is itself; a local directory gives its ``.jsonl``/``.ndjson``/``.json`` files (recursively,
    sorted, hidden ones left out); a local glob its matches. A URI (``hdfs:``, ``s3a:``, …) is passed to
    Spark as it is: then line numbers count across all the files it names. Raises FileNotFoundError
    when nothing local matches.
    """
    from fieldreport.io.readers import JSONL_SUFFIXES

    if input_path.startswith(_REMOTE):
        return [input_path]
    path = Path(input_path)
    if path.is_file():
        return [input_path]
    if path.is_dir():
        found = sorted(
            str(p)
            for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in JSONL_SUFFIXES and not p.name.startswith((".", "_"))
        )
        if not found:
            raise FileNotFoundError(f"{input_path} holds no .jsonl, .ndjson or .json files")
        return found
    if any(ch in input_path for ch in "*?["):
        import glob

        found = sorted(p for p in glob.glob(input_path, recursive=True) if Path(p).is_file())
        if found:
            return found
    raise FileNotFoundError(f"no such input: {input_path}")


def _numbered_lines(sc: Any, path: str) -> Any:
    """``(source, line text, 0-based line index)`` for each line of one file."""
    return sc.textFile(path).zipWithIndex().map(lambda pair: (path, pair[0], pair[1]))


def _clear(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def run_spark_extract(
    input_path: str,
    output_path: str,
    *,
    partitions: int | None = None,
    model: str | None = None,
    master: str = "local[*]",
    spark: "SparkSession | None" = None,
    max_chars: int | None = None,
) -> dict:
    """Extract event records from a JSON Lines file (or directory / glob of them) with Spark.

    Writes ``output_path/records`` and ``output_path/articles`` (Parquet, replaced when present) and
    ``output_path/problems.jsonl`` (on the driver's file system). ``partitions`` defaults to at least
    four per core; ``model`` names the spaCy model (None: fieldreport's pinned one); ``master`` is used
    only when no session is active and ``spark`` is not given. A session this function creates is
    stopped at the end.

    Returns ``{"articles", "records", "problems", "skipped", "partitions", "pipeline_loads", "seconds",
    "output"}``: ``problems`` counts every line of problems.jsonl, ``skipped`` those whose article was
    not processed, ``pipeline_loads`` how many executor processes loaded the pipeline.
    """
    _require_pyspark()
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession

    t0 = time.perf_counter()
    files = input_files(input_path)
    own_session = spark is None and SparkSession.getActiveSession() is None
    spark = spark or spark_session(master)
    sc = spark.sparkContext
    out = Path(output_path)
    try:
        lines = sc.union([_numbered_lines(sc, f) for f in files]) if len(files) > 1 else _numbered_lines(sc, files[0])
        n = partitions or max(lines.getNumPartitions(), 4 * sc.defaultParallelism)
        if n != lines.getNumPartitions():
            lines = lines.repartition(n)
        loads = sc.accumulator(0)

        def work(part: Iterable[tuple[str, str, int]]) -> Iterator[tuple[str, Any]]:
            return extract_partition(part, model, max_chars, loads)

        rows = lines.mapPartitions(work).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            counts = rows.map(lambda r: (r[0], 1)).reduceByKey(lambda a, b: a + b).collectAsMap()
            out.mkdir(parents=True, exist_ok=True)
            for name in (RECORDS_DIR, ARTICLES_DIR, PROBLEMS_FILE):
                _clear(out / name)
            records_df = spark.createDataFrame(
                rows.filter(lambda r: r[0] == _RECORD).map(lambda r: r[1]), record_schema(), verifySchema=False
            )
            records_df.write.mode("overwrite").parquet(str(out / RECORDS_DIR))
            articles_df = spark.createDataFrame(
                rows.filter(lambda r: r[0] == _ARTICLE).map(lambda r: r[1]), article_schema(), verifySchema=False
            )
            articles_df.write.mode("overwrite").parquet(str(out / ARTICLES_DIR))
            skipped = 0
            problems = rows.filter(lambda r: r[0] == _PROBLEM).map(lambda r: r[1])
            tmp = out / (PROBLEMS_FILE + ".tmp")
            with tmp.open("w", encoding="utf-8") as fh:
                for doc in sorted(problems.collect(), key=_problem_order):
                    fh.write(doc + "\n")
                    skipped += bool(json.loads(doc)["skipped"])
            tmp.replace(out / PROBLEMS_FILE)
        finally:
            rows.unpersist()
        return {
            "articles": int(counts.get(_ARTICLE, 0)),
            "records": int(counts.get(_RECORD, 0)),
            "problems": int(counts.get(_PROBLEM, 0)),
            "skipped": skipped,
            "partitions": n,
            "pipeline_loads": int(loads.value),
            "seconds": round(time.perf_counter() - t0, 3),
            "output": str(out),
        }
    finally:
        if own_session:
            spark.stop()


def _problem_order(doc: str) -> tuple[int, str]:
    d = json.loads(doc)
    return (d["line"] if d["line"] is not None else -1, d["message"])


# ------------------------------------------------------------------------------------------------
# Back to the store, for consolidation


def _as_dict(value: Any) -> dict:
    """A Parquet map read back by pyarrow (list of key/value pairs) or by DuckDB (dict)."""
    if value is None:
        return {}
    if isinstance(value, dict):
        if set(value) == {"key", "value"} and isinstance(value["key"], list):
            return dict(zip(value["key"], value["value"]))
        return value
    return dict(value)


def _records_dir(parquet_dir: Path) -> tuple[Path, Path | None]:
    if (parquet_dir / RECORDS_DIR).is_dir():
        arts = parquet_dir / ARTICLES_DIR
        return parquet_dir / RECORDS_DIR, arts if arts.is_dir() else None
    arts = parquet_dir.parent / ARTICLES_DIR
    return parquet_dir, arts if arts.is_dir() else None


def iter_parquet_results(parquet_dir: str | Path, batch_size: int = 2000) -> Iterator[tuple[Any, list[Any]]]:
    """``(Article, [EventRecord, …])`` pairs read back from a run's output, records in their article's
    order (main event first), articles in input order. ``parquet_dir`` is the run's output directory
    (or its ``records`` folder)."""
    import pyarrow.dataset as ds

    from fieldreport.schema.records import Article, EventRecord

    records_dir, articles_dir = _records_dir(Path(parquet_dir))
    if articles_dir is None:
        raise FileNotFoundError(f"no {ARTICLES_DIR}/ beside {records_dir}; was it written by run_spark_extract?")
    by_article: dict[str, list[tuple[int, EventRecord]]] = {}
    fields = [f for f in EventRecord.model_fields]
    for batch in ds.dataset(records_dir, format="parquet").to_batches(batch_size=batch_size):
        for row in batch.to_pylist():
            row["evidence"] = {k: [list(p) for p in v] for k, v in _as_dict(row["evidence"]).items()}
            rec = EventRecord.model_validate({k: row[k] for k in fields if k in row})
            by_article.setdefault(rec.article_id, []).append((row["rank"] or 0, rec))
    table = ds.dataset(articles_dir, format="parquet").to_table().sort_by("line")
    for row in table.to_pylist():
        row["id"] = row.pop("article_id")
        art = Article.model_validate({k: row[k] for k in Article.model_fields if k in row})
        recs = [r for _, r in sorted(by_article.pop(art.id, []), key=lambda p: p[0])]
        yield art, recs


def records_parquet_to_store(parquet_dir: str | Path, db_path: str | Path, batch: int = 500) -> dict:
    """Load a Spark run's output into the DuckDB store (idempotent: re-loading replaces, never
    duplicates). Returns ``{"articles", "records", "db"}``. Consolidate afterwards with
    ``fieldreport.events.sync.consolidate_store(store)`` (or ``fieldreport events --db``).

    Records are held in memory per run while they are matched to their articles: fine for millions
    of records on a workstation; beyond that, load the run's Parquet part files one by one.
    """
    from fieldreport.io.store import Store

    with Store(db_path) as store:
        n_articles, n_records = store.ingest_stream(iter_parquet_results(parquet_dir), batch=batch)
    return {"articles": n_articles, "records": n_records, "db": str(db_path)}


__all__ = [
    "SparkUnavailable",
    "article_schema",
    "extract_partition",
    "input_files",
    "iter_parquet_results",
    "parse_line",
    "record_schema",
    "records_parquet_to_store",
    "run_spark_extract",
    "spark_session",
]
