"""Exports: JSON Lines (the event schema), TSV with GDELT 2.0 column names, Parquet."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import IO, Any

from veille.dictionaries import read_tsv
from veille.models import Actor, Event, EventGroup

EXTRA_COLUMNS = ["EventDate", "DateBasis", "Modality", "Condition", "Speaker", "Via", "Rule", "Confidence",
                 "DocID", "SentenceIndex", "Evidence", "EvidenceStart", "EvidenceEnd", "Trigger", "Plover",
                 "Quantities", "Commodities", "GroupID"]


@cache
def gdelt_columns() -> tuple[str, ...]:
    return tuple(r["name"] for r in read_tsv("ontology/gdelt_event_columns.tsv"))


def _actor_fields(prefix: str, actor: Actor | None) -> dict[str, Any]:
    if actor is None:
        return {}
    code = actor.code or ""
    roles = [code[i : i + 3] for i in range(3, len(code), 3)]
    return {
        f"{prefix}Code": code,
        f"{prefix}Name": actor.name,
        f"{prefix}CountryCode": actor.country or "",
        **{f"{prefix}Type{i + 1}Code": r for i, r in enumerate(roles[:3])},
    }


def gdelt_row(event: Event, numeric_id: int, group: EventGroup | None = None) -> dict[str, Any]:
    """The GDELT part of an event; fields we cannot fill stay empty, never invented. With its group,
    NumMentions / NumSources / NumArticles count every mention of the same happening."""
    day = (event.date or "").replace("-", "")
    row: dict[str, Any] = {
        "GLOBALEVENTID": numeric_id,
        "SQLDATE": day,
        "MonthYear": day[:6],
        "Year": day[:4],
        "FractionDate": "",
        "IsRootEvent": 1 if event.sentence_index == 0 else 0,
        "EventCode": event.cameo,
        "EventBaseCode": event.cameo[:3],
        "EventRootCode": event.cameo[:2],
        "QuadClass": event.quad_class,
        "GoldsteinScale": event.goldstein,
        "NumMentions": group.num_mentions if group else 1,
        "NumSources": group.num_sources if group else 1,
        "NumArticles": group.num_articles if group else 1,
        "ActionGeo_FullName": event.location.name if event.location else "",
        "ActionGeo_CountryCode": event.location.country if event.location else "",
        "ActionGeo_Type": 1 if event.location else "",
        "ActionGeo_Lat": event.location.lat if event.location and event.location.lat is not None else "",
        "ActionGeo_Long": event.location.lon if event.location and event.location.lon is not None else "",
        "ActionGeo_FeatureID": event.location.geonameid if event.location and event.location.geonameid else "",
    }
    if day:
        month_day = int(day[4:6]) * 30 + int(day[6:8])
        row["FractionDate"] = f"{int(day[:4]) + month_day / 365:.4f}"
    row.update(_actor_fields("Actor1", event.actor1))
    row.update(_actor_fields("Actor2", event.actor2))
    return row


def extra_row(event: Event) -> dict[str, Any]:
    return {
        "EventDate": event.date or "",
        "DateBasis": event.date_basis or "",
        "Modality": event.modality,
        "Condition": event.condition or "",
        "Speaker": event.source.speaker or "",
        "Via": ";".join(event.source.via),
        "Rule": event.rule,
        "Confidence": event.confidence,
        "DocID": event.doc_id,
        "SentenceIndex": event.sentence_index,
        "Evidence": event.evidence,
        "EvidenceStart": event.evidence_span[0],
        "EvidenceEnd": event.evidence_span[1],
        "Trigger": event.trigger,
        "Plover": event.plover or "",
        "Quantities": json.dumps([{"value": q.value, "unit": q.unit, "text": q.text} for q in event.quantities],
                                 ensure_ascii=False),
        "Commodities": ";".join(event.commodities),
        "GroupID": event.group_id or "",
    }


def _clean_cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")


def write_jsonl(events: Iterable[Event], out: IO[str]) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_tsv(events: Iterable[Event], out: IO[str], header: bool = True,
              groups: dict[str, EventGroup] | None = None) -> int:
    columns = list(gdelt_columns()) + EXTRA_COLUMNS
    if header:
        out.write("\t".join(columns) + "\n")
    groups = groups or {}
    count = 0
    for count, event in enumerate(events, start=1):
        row = gdelt_row(event, count, groups.get(event.group_id or "")) | extra_row(event)
        out.write("\t".join(_clean_cell(row.get(c)) for c in columns) + "\n")
    return count


def write_parquet(events: Iterable[Event], path: Path, groups: dict[str, EventGroup] | None = None) -> int:
    """Parquet with every code column typed as string, so '010' stays '010'."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = list(gdelt_columns()) + EXTRA_COLUMNS
    data: dict[str, list[str]] = {c: [] for c in columns}
    count = 0
    groups = groups or {}
    for count, event in enumerate(events, start=1):
        row = gdelt_row(event, count, groups.get(event.group_id or "")) | extra_row(event)
        for c in columns:
            data[c].append(_clean_cell(row.get(c)))
    table = pa.table({c: pa.array(v, type=pa.string()) for c, v in data.items()})
    pq.write_table(table, path)
    return count
