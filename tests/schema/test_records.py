"""Every table shape comes from the one declaration of the record's and the event's fields."""

from __future__ import annotations

import csv
import io

import duckdb
import pyarrow.parquet as pq
import pytest

from fieldreport.events.grouping import Event, build_event
from fieldreport.io.export import ACLED_COLUMNS, UCDP_COLUMNS, acled_row, events_to_ucdp_rows, export_events, write_acled_csv
from fieldreport.io.store import Store
from fieldreport.schema.columns import arrow_schema, columns, field_names, sql_type
from fieldreport.schema.records import Article, EventRecord
from fieldreport.schema.taxonomy import DISORDER_TYPE, EVENT_TYPES, FAMILY, SUB_TO_EVENT_TYPE


def _record(**kw) -> EventRecord:
    base = dict(
        article_id="art-1", record_id="r-1", event_date="2023-03-04", time_precision=1,
        event_type="Violence against civilians", sub_event_type="Attack",
        actor1="Unidentified Armed Group (Nigeria)", inter1=3, actor2="Civilians (Nigeria)", inter2=7,
        country="Nigeria", iso3="NGA", admin1="Zamfara", location="Gusau", latitude=12.17, longitude=6.66,
        geo_precision=1, geonameid=2339937, fatalities=4, fatalities_low=4, fatalities_best=4,
        fatalities_high=6, injured=2, source="Lagos Daily", notes="Gunmen killed four villagers.", confidence=0.8,
    )  # fmt: skip
    base.update(kw)
    return EventRecord(**base)


def test_the_store_has_a_column_for_every_record_field(tmp_path):
    db = tmp_path / "s.duckdb"
    with Store(db) as st:
        st.ingest([(Article(id="art-1", text="Gunmen killed four villagers in Gusau."), [_record()])])
        got = st.records()
    assert got == [_record()]
    con = duckdb.connect(str(db), read_only=True)
    cols = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name='records'").fetchall()]
    assert set(field_names(EventRecord)) <= set(cols)
    types = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name='records'").fetchall())
    assert types["event_date"] == "DATE" and types["geonameid"] == "BIGINT" and types["materiel"] == "JSON"


def test_an_older_store_gains_the_fields_added_since(tmp_path):
    db = tmp_path / "old.duckdb"
    with Store(db):
        pass
    con = duckdb.connect(str(db))
    con.execute('ALTER TABLE records DROP COLUMN "injured"')  # as if written before `injured` existed
    con.close()
    with Store(db) as st:
        st.ingest([(Article(id="art-1", text="x"), [_record()])])
        assert st.records()[0].injured == 2


def test_parquet_and_arrow_schemas_follow_the_model():
    schema = arrow_schema(EventRecord)
    assert schema.names == field_names(EventRecord)
    assert str(schema.field("materiel").type) == "list<item: struct<kind: string, count: int32, status: string>>"
    assert str(arrow_schema(EventRecord, nested_as_json=True).field("claims").type) == "string"
    assert {c.name: sql_type(c) for c in columns(EventRecord)}["confidence"] == "DOUBLE"


def test_spark_schema_follows_the_model():
    pytest.importorskip("pyspark")
    from fieldreport.apps.spark import record_schema

    names = [f.name for f in record_schema().fields]
    assert set(names) == set(field_names(EventRecord)) | {"line", "rank"}
    assert record_schema()["geonameid"].dataType.typeName() == "long"


def test_acled_rows_of_a_record_and_of_its_event_agree_on_every_shared_column():
    rec = _record()
    ev = build_event([rec])
    a, b = acled_row(rec, timestamp=1), acled_row(ev, timestamp=1)
    assert list(a) == list(b) == ACLED_COLUMNS
    differ = {k for k in ACLED_COLUMNS if a[k] != b[k]}
    # only what identifies the row, and what only grouping knows, may differ
    assert differ <= {"event_id_cnty", "corroboration", "independent_sources", "tags", "notes", "confidence"}, {k: (a[k], b[k]) for k in differ}
    assert a["iso"] == b["iso"] == 566 and a["interaction"] == b["interaction"] == 37


def test_event_exports_write_their_header_even_when_there_is_no_event(tmp_path):
    for fmt, cols in (("acled-csv", ACLED_COLUMNS), ("ucdp-csv", UCDP_COLUMNS)):
        out = tmp_path / f"{fmt}.csv"
        export_events([], fmt, str(out))
        assert next(csv.reader(out.open())) == cols
    out = tmp_path / "ev.parquet"
    export_events([build_event([_record()])], "parquet", str(out))
    assert pq.read_table(out).schema.names == field_names(Event)
    assert set(events_to_ucdp_rows([build_event([_record()])])[0]) == set(UCDP_COLUMNS)


def test_one_row_shape_for_csv_of_records_and_events():
    buf_r, buf_e = io.StringIO(), io.StringIO()
    write_acled_csv([_record()], buf_r)
    write_acled_csv([build_event([_record()])], buf_e)
    assert buf_r.getvalue().splitlines()[0] == buf_e.getvalue().splitlines()[0]


def test_the_taxonomy_is_acleds():
    assert len(EVENT_TYPES) == 6 and len(SUB_TO_EVENT_TYPE) == 25
    assert DISORDER_TYPE["Protests"] == "Demonstrations" and DISORDER_TYPE["Riots"] == "Political violence"
    assert FAMILY["Battles"] == "armed" and FAMILY["Riots"] == "crowd"
