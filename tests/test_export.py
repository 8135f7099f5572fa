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


def test_tsv_counts_mentions_from_the_group():
    from veille.models import EventGroup

    ev = make_event()
    ev.group_id = "g1"
    group = EventGroup(group_id="g1", cameo="0311", actor1="RUSGOV", actor2="USAGOV", date="2025-02-24",
                       num_mentions=6, num_articles=3, num_sources=2, first_seen="2025-02-24",
                       last_seen="2025-02-28", best_event_id=ev.event_id, mentions=[ev.event_id])
    out = io.StringIO()
    write_tsv([ev], out, groups={"g1": group})
    header, row = out.getvalue().splitlines()
    values = dict(zip(header.split("\t"), row.split("\t"), strict=True))
    assert (values["NumMentions"], values["NumArticles"], values["NumSources"]) == ("6", "3", "2")
    assert values["ActionGeo_CountryCode"] == "SAU"
