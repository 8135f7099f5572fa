"""Exports keep GDELT column names and order, and CAMEO codes as text."""

from __future__ import annotations

import io
from pathlib import Path

from test_models import make_event
from veille.export import gdelt_columns, write_jsonl, write_parquet, write_tsv


def test_tsv_has_gdelt_columns_first_and_keeps_zeros():
    out = io.StringIO()
    write_tsv([make_event()], out)
    header, row = out.getvalue().splitlines()
    columns = header.split("\t")
    assert columns[: len(gdelt_columns())] == list(gdelt_columns())
    values = dict(zip(columns, row.split("\t"), strict=True))
    assert values["EventCode"] == "0311" and values["EventRootCode"] == "03" and values["EventBaseCode"] == "031"
    assert values["Actor1Code"] == "RUSGOV" and values["Actor1Type1Code"] == "GOV"
    assert values["SQLDATE"] == "20250224" and values["QuadClass"] == "1"
    assert values["AvgTone"] == ""


def test_jsonl_and_parquet_round_trip(tmp_path: Path):
    import pyarrow.parquet as pq

    out = io.StringIO()
    assert write_jsonl([make_event()], out) == 1
    assert '"cameo": "0311"' in out.getvalue()
    path = tmp_path / "e.parquet"
    write_parquet([make_event()], path)
    table = pq.read_table(path)
    assert table.column("EventCode").to_pylist() == ["0311"]
    assert str(table.schema.field("EventCode").type) == "string"
