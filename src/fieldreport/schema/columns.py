"""Every table shape derived from the one declaration of each field.

A record's fields are declared once, as the pydantic model :class:`~fieldreport.schema.records.EventRecord`
(and an event's as :class:`~fieldreport.events.grouping.Event`). Everything that needs a column list —
the DuckDB table, the Arrow tables the store loads and the Parquet export writes, the Spark schema,
ACLED-style CSV — reads it from the model here, so a field added to the model appears everywhere and
no list can drift from another.

Two markers, used as ``Annotated`` metadata on a model field, say what the Python type alone cannot:
:class:`StoredAsDate` (an ISO date kept as a DATE column) and :class:`Wide` (an integer that needs 64 bits).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

import pyarrow as pa
from pydantic import BaseModel


class StoredAsDate:
    """Marker: an ISO date string that tables keep as a DATE."""


class Wide:
    """Marker: an integer that needs 64 bits (GeoNames ids)."""


Kind = Literal["str", "int", "bigint", "float", "bool", "date", "list", "map", "model"]


@dataclass(frozen=True)
class Column:
    """One field as a column: its name, its logical kind, and for nested kinds the inner shape."""

    name: str
    kind: Kind
    nullable: bool
    inner: Any = None  # the item type of a list, the model class of a nested model, the value type of a map


def _strip_optional(tp: Any) -> tuple[Any, bool]:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _kind(tp: Any, metadata: list[Any]) -> tuple[Kind, Any]:
    if any(isinstance(m, StoredAsDate) or m is StoredAsDate for m in metadata):
        return "date", None
    origin = get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = get_args(tp)
        return _kind(base, [*metadata, *meta])
    if origin is Literal:
        tp = type(get_args(tp)[0])
    if tp is bool:
        return "bool", None
    if tp is int:
        return ("bigint" if any(isinstance(m, Wide) or m is Wide for m in metadata) else "int"), None
    if tp is float:
        return "float", None
    if tp is str:
        return "str", None
    if origin is list:
        return "list", get_args(tp)[0]
    if origin is dict:
        return "map", get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "model", tp
    return "str", None


def columns(model: type[BaseModel]) -> list[Column]:
    """The model's fields, in declaration order, as columns."""
    out = []
    for name, info in model.model_fields.items():
        tp, optional = _strip_optional(info.annotation)
        kind, inner = _kind(tp, list(info.metadata))
        out.append(Column(name, kind, optional or not info.is_required(), inner))
    return out


def field_names(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def is_nested(col: Column) -> bool:
    return col.kind in ("list", "map", "model")


# ---------------------------------------------------------------------------------------------------
# DuckDB

_SQL = {"str": "VARCHAR", "int": "INTEGER", "bigint": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN",
        "date": "DATE"}  # fmt: skip


def sql_type(col: Column) -> str:
    """DuckDB column type: nested values are kept as JSON."""
    return "JSON" if is_nested(col) else _SQL[col.kind]


# ---------------------------------------------------------------------------------------------------
# Arrow / Parquet

_ARROW = {"str": pa.string(), "int": pa.int32(), "bigint": pa.int64(), "float": pa.float64(),
          "bool": pa.bool_(), "date": pa.string()}  # fmt: skip


def _arrow_of(tp: Any) -> pa.DataType:
    tp, _ = _strip_optional(tp)
    kind, inner = _kind(tp, [])
    if kind == "list":
        return pa.list_(_arrow_of(inner))
    if kind == "map":
        return pa.string()
    if kind == "model":
        return pa.struct([(c.name, _arrow_type(c)) for c in columns(inner)])
    return _ARROW[kind]


def _arrow_type(col: Column) -> pa.DataType:
    if col.kind == "list":
        return pa.list_(_arrow_of(col.inner))
    if col.kind == "model":
        return _arrow_of(col.inner)
    if col.kind == "map":  # free-form (evidence): JSON text
        return pa.string()
    return _ARROW[col.kind]


def arrow_schema(model: type[BaseModel], nested_as_json: bool = False) -> pa.Schema:
    """The Arrow schema of a model's rows: typed lists of structs for nested fields (Parquet export),
    or JSON strings for them (``nested_as_json``, as the store loads them). Dates travel as ISO text."""
    return pa.schema(
        [(c.name, pa.string() if nested_as_json and is_nested(c) else _arrow_type(c)) for c in columns(model)]
    )


# ---------------------------------------------------------------------------------------------------
# Spark


def spark_type(tp_or_col: Any) -> Any:
    """The Spark SQL type of a column (or of a bare Python type, for nested items)."""
    from pyspark.sql import types as T

    if isinstance(tp_or_col, Column):
        kind, inner = tp_or_col.kind, tp_or_col.inner
    else:
        tp, _ = _strip_optional(tp_or_col)
        kind, inner = _kind(tp, [])
    simple = {"str": T.StringType(), "int": T.IntegerType(), "bigint": T.LongType(), "float": T.DoubleType(),
              "bool": T.BooleanType(), "date": T.StringType()}  # fmt: skip
    if kind in simple:
        return simple[kind]
    if kind == "list":
        return T.ArrayType(spark_type(inner))
    if kind == "map":
        return T.MapType(T.StringType(), spark_type(inner))
    return T.StructType([T.StructField(c.name, spark_type(c)) for c in columns(inner)])
