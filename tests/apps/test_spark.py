"""The Spark job gives the same records as the in-process pipeline, and drops nothing silently."""

from __future__ import annotations

import json
from pathlib import Path
import pytest

pytest.importorskip("pyspark")

from fieldreport.io.readers import InputProblem  # noqa: E402
from fieldreport.schema.records import Article, EventRecord  # noqa: E402
from fieldreport.apps.spark import (  # noqa: E402
    iter_parquet_results,
    parse_line,
    records_parquet_to_store,
    run_spark_extract,
    spark_session,
)

# Short articles written for this test. Line numbers (1-based) matter: problems name them.
LINES: list[str] = [
    # 1: an air strike
    json.dumps(
        {
            "id": "sp-air",
            "published": "2024-03-12",
            "outlet": "Test Wire",
            "text": "Government aircraft bombed a market in the town of Maarat al-Numan in Idlib province on "
            "Monday, killing at least 12 civilians, local rescuers said.",
        }
    ),
    # 2: a protest
    json.dumps(
        {
            "id": "sp-protest",
            "published": "2024-05-02",
            "text": "Hundreds of teachers marched through central Nairobi on Thursday to demand unpaid "
            "salaries. The rally ended peacefully after the teachers handed a petition to officials.",
        }
    ),
    # 3: a flood, not a political event
    json.dumps(
        {
            "id": "sp-flood",
            "published": "2024-07-20",
            "text": "Heavy rain caused the Indus to burst its banks near Sukkur on Saturday, flooding farmland "
            "and forcing hundreds of families to move to higher ground, officials said.",
        }
    ),
    # 4: broken JSON
    '{"id": "sp-broken", "text": "an unfinished line',
    # 5: no text
    json.dumps({"id": "sp-empty", "title": "A headline without a body"}),
    # 6: blank: ignored, but still counted as a line
    "",
    # 7: shelling, with a date that cannot be read (a warning; the article is still processed)
    json.dumps(
        {
            "id": "sp-shelling",
            "published": "last Tuesday",
            "text": "Russian forces shelled residential districts of Kharkiv on 14 June 2024, killing two "
            "people and wounding nine others, the regional governor said.",
        }
    ),
    # 8: an abduction
    json.dumps(
        {
            "id": "sp-abduction",
            "published": "2024-02-09",
            "text": "Gunmen abducted 15 passengers from a bus on the highway near Zaria in Kaduna State on "
            "Friday, police said.",
        }
    ),
    # 9: declared as French: not for an English pipeline
    json.dumps({"id": "sp-french", "language": "fr", "text": "Des manifestants ont défilé à Dakar mardi."}),
]
PROCESSED = ["sp-air", "sp-protest", "sp-flood", "sp-shelling", "sp-abduction"]


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", app_name="fieldreport-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def run(spark, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("spark")
    src = tmp / "articles.jsonl"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    out = tmp / "out"
    summary = run_spark_extract(str(src), str(out), partitions=6, spark=spark)
    return src, out, summary


@pytest.fixture(scope="module")
def expected(pipeline) -> dict[str, list[EventRecord]]:
    """What the in-process pipeline gives for the same articles."""
    arts = {}
    for i, line in enumerate(LINES, start=1):
        for item in parse_line(line, i, "articles.jsonl"):
            if isinstance(item, Article):
                arts[item.id] = item
    return {aid: pipeline.extract(art) for aid, art in arts.items()}


def test_records_match_in_process_pipeline(run, expected):
    _, out, summary = run
    got = list(iter_parquet_results(out))
    assert [a.id for a, _ in got] == PROCESSED  # in input order
    by_id = {a.id: recs for a, recs in got}
    for aid, want in expected.items():
        have = by_id[aid]
        assert [(r.record_id, r.sub_event_type) for r in have] == [(r.record_id, r.sub_event_type) for r in want]
        # Every field survives the trip through Parquet: offsets, claims, materiel, coordinates.
        assert [r.model_dump() for r in have] == [r.model_dump() for r in want]
    n_expected = sum(len(v) for v in expected.values())
    assert n_expected >= 2  # the air strike and the shelling at least: the comparison means something
    assert summary["records"] == n_expected
    assert summary["articles"] == len(PROCESSED)


def test_problems_name_bad_lines(run):
    _, out, summary = run
    problems = [json.loads(x) for x in (out / "problems.jsonl").read_text(encoding="utf-8").splitlines()]
    by_line = {p["line"]: p for p in problems}
    assert sorted(by_line) == [4, 5, 7, 9]
    assert by_line[4]["message"].startswith("invalid JSON") and by_line[4]["skipped"]
    assert "no 'text' field" in by_line[5]["message"] and by_line[5]["skipped"]
    assert "last Tuesday" in by_line[7]["message"] and not by_line[7]["skipped"]  # processed all the same
    assert "English only" in by_line[9]["message"] and by_line[9]["skipped"]
    assert all(p["source"].endswith("articles.jsonl") for p in problems)
    assert summary["problems"] == 4 and summary["skipped"] == 3


def test_pipeline_loaded_once_per_process_not_per_partition(run):
    _, _, summary = run
    assert summary["partitions"] == 6
    assert 1 <= summary["pipeline_loads"] < summary["partitions"]


def test_records_parquet_is_typed_and_ordered(run):
    import pyarrow.parquet as pq

    _, out, _ = run
    table = pq.read_table(out / "records")
    assert table.schema.field("fatalities").type == "int32"
    assert table.schema.field("latitude").type == "double"
    rows = table.select(["article_id", "line", "rank"]).to_pylist()
    assert {(r["article_id"], r["line"]) for r in rows if r["article_id"] == "sp-air"} == {("sp-air", 1)}
    for aid in {r["article_id"] for r in rows}:  # ranks of one article are 0..n-1: main event first
        ranks = sorted(r["rank"] for r in rows if r["article_id"] == aid)
        assert ranks == list(range(len(ranks)))


def test_records_load_into_store_idempotently(run, tmp_path, expected):
    from fieldreport.io.store import Store

    _, out, _ = run
    db = tmp_path / "fr.duckdb"
    first = records_parquet_to_store(out, db)
    again = records_parquet_to_store(out / "records", db)  # the records folder works as well
    assert first == again == {"articles": len(PROCESSED), "records": sum(map(len, expected.values())), "db": str(db)}
    with Store(db, read_only=True) as store:
        ids = sorted(r.record_id for r in store.records())
    assert ids == sorted(r.record_id for recs in expected.values() for r in recs)


def test_rerun_replaces_output(spark, run, tmp_path):
    src, _, _ = run
    out = tmp_path / "again"
    (out / "records").mkdir(parents=True)
    (out / "records" / "stale.parquet").write_text("not parquet")
    small = tmp_path / "two.jsonl"
    small.write_text("\n".join(LINES[:2]) + "\n", encoding="utf-8")
    summary = run_spark_extract(str(small), str(out), partitions=1, spark=spark)
    assert summary["articles"] == 2 and summary["problems"] == 0
    assert (out / "problems.jsonl").read_text() == ""
    assert not (out / "records" / "stale.parquet").exists()


def test_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such input"):
        run_spark_extract(str(tmp_path / "nope.jsonl"), str(tmp_path / "out"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"text": "caf\ufffd"}', "not valid UTF-8"),
        ("[1, 2]", "expected a JSON object"),
        ('{"text": 5}', "must be a string"),
    ],
)
def test_parse_line_reports_problems(raw, message):
    items = parse_line(raw, 3, "in.jsonl")
    assert len(items) == 1 and isinstance(items[0], InputProblem)
    assert message in items[0].message and items[0].line == 3


def test_parse_line_accepts_bom_on_first_line_and_skips_blank_lines():
    first = parse_line('\ufeff{"id": "b", "text": "Police arrested 4 people in Lagos."}', 1, "in.jsonl")
    assert [type(x) for x in first] == [Article] and first[0].id == "b"
    assert parse_line("   ", 2, "in.jsonl") == []



def test_directory_input_numbers_lines_per_file(spark, tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.jsonl").write_text(LINES[0] + "\n" + LINES[3] + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(LINES[4] + "\n" + LINES[1] + "\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not an input of the job", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_spark_extract(str(folder), str(out), spark=spark)
    problems = [json.loads(x) for x in (out / "problems.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted((Path(p["source"]).name, p["line"]) for p in problems) == [("a.jsonl", 2), ("b.jsonl", 1)]
    assert summary["articles"] == 2


def test_an_article_that_breaks_the_pipeline_becomes_a_problem(monkeypatch):
    """One failing article is reported with its line; the others of its batch still get their records."""
    import fieldreport.apps.spark as job

    class Flaky:
        def extract_many(self, arts, workers=1, batch_size=16):
            raise RuntimeError("batch failed")

        def extract(self, art):
            if art.id == "sp-protest":
                raise ValueError("parser crashed")
            return []

    monkeypatch.setitem(job._PIPELINES, "flaky-model", Flaky())
    rows = list(job.extract_partition([("f.jsonl", LINES[0], 0), ("f.jsonl", LINES[1], 1)], "flaky-model"))
    problems = [json.loads(r[1]) for r in rows if r[0] == "problem"]
    articles = [r[1][0] for r in rows if r[0] == "article"]
    assert articles == ["sp-air"]
    assert problems == [
        {"source": "f.jsonl", "line": 2, "message": "extraction failed: ValueError: parser crashed", "skipped": True}
    ]
