"""The REST API under /api: events, groups, stories, actors, documents, statistics, export, ingestion.

Routes only translate between HTTP and the store: validation lives in ``schemas``, SQL in
``veille.store``. Lists are paginated with a hard maximum page size.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path as PathLib
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from veille import export
from veille.api.schemas import (
    ID_PATTERN,
    ActorListQuery,
    ActorPage,
    ActorSummary,
    DocumentListQuery,
    DocumentOut,
    DocumentPage,
    DocumentSummary,
    EventDetail,
    EventListQuery,
    EventOut,
    EventPage,
    EventSpan,
    ExportQuery,
    GroupDetail,
    GroupListQuery,
    GroupOut,
    GroupPage,
    Health,
    IngestRequest,
    IngestResult,
    Mention,
    Stats,
    StatsQuery,
    StoryOut,
    StoryQuery,
    check_doc_id,
)
from veille.group import build_groups
from veille.models import Event, EventGroup, stable_id
from veille.store import EventFilter, Store

router = APIRouter(prefix="/api", tags=["api"])
EXPORT_CHUNK = 1000


def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


StoreDep = Annotated[Store, Depends(get_store)]
EventId = Annotated[str, Path(pattern=ID_PATTERN, description="Event id.")]
GroupId = Annotated[str, Path(pattern=ID_PATTERN, description="Group id.")]


# -- conversions ---------------------------------------------------------------------------
def doc_path(doc_id: str) -> str:
    return quote(doc_id, safe="")


def event_out(ev: Event) -> EventOut:
    data = ev.to_dict()
    data["links"] = {"self": f"/api/events/{ev.event_id}", "html": f"/events/{ev.event_id}",
                     "document": f"/api/documents/{doc_path(ev.doc_id)}"}
    if ev.group_id:
        data["links"]["group"] = f"/api/groups/{ev.group_id}"
    return EventOut.model_validate(data)


def document_summary(row: dict[str, Any]) -> DocumentSummary:
    fields = {k: row.get(k) for k in DocumentSummary.model_fields if k in row}
    fields["event_count"] = fields.get("event_count") or 0
    fields["links"] = {"self": f"/api/documents/{doc_path(row['doc_id'])}",
                       "html": f"/documents/{doc_path(row['doc_id'])}"}
    return DocumentSummary.model_validate(fields)


def group_out(group: EventGroup) -> GroupOut:
    data = {k: getattr(group, k) for k in GroupOut.model_fields if k != "links"}
    return GroupOut.model_validate({**data, "links": {"self": f"/api/groups/{group.group_id}",
                                                      "best_event": f"/api/events/{group.best_event_id}"}})


def groups_for(store: Store, group_ids: list[str]) -> tuple[list[EventGroup], list[Event], dict[str, dict[str, Any]]]:
    """Whole groups (every mention, whatever the filters) with the documents they come from."""
    members = store.group_events(group_ids)
    meta = store.document_meta(e.doc_id for e in members)
    groups = build_groups(members, {d: m.get("source") for d, m in meta.items()})
    order = {g: i for i, g in enumerate(group_ids)}
    return sorted(groups, key=lambda g: order.get(g.group_id, len(order))), members, meta


def next_page(request: Request, offset: int, limit: int, total: int) -> str | None:
    if offset + limit >= total:
        return None
    url = request.url.include_query_params(offset=offset + limit)
    return f"{url.path}?{url.query}"


# -- events --------------------------------------------------------------------------------
@router.get("/events", response_model=EventPage, summary="Events, filtered, sorted and paginated")
def list_events(request: Request, store: StoreDep, params: Annotated[EventListQuery, Query()]) -> EventPage:
    conditions = store.event_conditions(**params.store_kwargs())
    total = store.count_events(conditions)
    items = store.page_events(conditions, params.sort, params.limit, params.offset)
    return EventPage(total=total, limit=params.limit, offset=params.offset,
                     next=next_page(request, params.offset, params.limit, total), items=[event_out(e) for e in items])


@router.get("/events/{event_id}", response_model=EventDetail, summary="One event with its document and group")
def get_event(event_id: EventId, store: StoreDep) -> EventDetail:
    ev = store.event(event_id)
    if ev is None:
        raise HTTPException(404, f"no event {event_id}")
    doc = store.document_meta([ev.doc_id]).get(ev.doc_id)
    group = None
    if ev.group_id:
        groups, _, _ = groups_for(store, [ev.group_id])
        group = group_out(groups[0]) if groups else None
    return EventDetail(event=event_out(ev), document=document_summary(doc) if doc else None, group=group)


# -- groups and stories --------------------------------------------------------------------
@router.get("/groups", response_model=GroupPage, summary="Event groups (mentions of one happening)")
def list_groups(store: StoreDep, params: Annotated[GroupListQuery, Query()]) -> GroupPage:
    conditions = store.event_conditions(**params.store_kwargs())
    total, ids = store.group_page(conditions, params.sort, params.limit, params.offset)
    groups, _, _ = groups_for(store, ids)
    return GroupPage(total=total, limit=params.limit, offset=params.offset, items=[group_out(g) for g in groups])


@router.get("/groups/{group_id}", response_model=GroupDetail, summary="One group with all its mentions")
def get_group(group_id: GroupId, store: StoreDep) -> GroupDetail:
    groups, members, meta = groups_for(store, [group_id])
    if not groups:
        raise HTTPException(404, f"no group {group_id}")
    mentions = [Mention(event=event_out(e), document=document_summary(meta[e.doc_id]) if e.doc_id in meta else None)
                for e in members]
    return GroupDetail(group=group_out(groups[0]), mentions=mentions)


@router.get("/stories", response_model=list[StoryOut], summary="Groups clustered by the pair of countries involved")
def list_stories(store: StoreDep, params: Annotated[StoryQuery, Query()]) -> list[dict[str, Any]]:
    conditions = store.event_conditions(**params.store_kwargs())
    out = []
    for story in store.story_page(conditions, params.limit, params.min_groups):
        countries = [c for c in (story["c1"], story["c2"]) if c]
        out.append({
            "story_id": "s" + stable_id(story["c1"], story["c2"], length=12), "countries": countries,
            "events": story["n"], "num_groups": story["g"], "first": story["first"], "last": story["last"],
            "mean_goldstein": round(story["goldstein"], 2) if story["goldstein"] is not None else None,
            "groups": [{"group_id": g["group_id"], "root": g["root"], "mentions": g["n"], "first": g["first"]}
                       for g in story["groups"]],
        })
    return out


# -- actors, statistics --------------------------------------------------------------------
@router.get("/actors", response_model=ActorPage, summary="Actors with counts, names and example mentions")
def list_actors(store: StoreDep, params: Annotated[ActorListQuery, Query()]) -> ActorPage:
    conditions = store.event_conditions(**params.store_kwargs())
    total, rows = store.actor_page(conditions, params.limit, params.offset)
    items = [ActorSummary(**row, links={"events": f"/api/events?actor={quote(row['code'])}"}) for row in rows]
    return ActorPage(total=total, limit=params.limit, offset=params.offset, items=items)


@router.get("/stats", response_model=Stats, summary="Counts by day and quad class, by CAMEO root, by actor pair")
def stats(store: StoreDep, params: Annotated[StatsQuery, Query()]) -> Stats:
    from veille.ontology import event_codes

    conditions = store.event_conditions(**params.store_kwargs())
    data = store.event_stats(conditions, params.pairs)
    codes = event_codes()
    for row in data["by_root"]:
        row["label"] = codes[row["root"]].label if row["root"] in codes else None
    return Stats.model_validate(data)


# -- documents -----------------------------------------------------------------------------
@router.get("/documents", response_model=DocumentPage, summary="Documents with status and event count")
def list_documents(store: StoreDep, params: Annotated[DocumentListQuery, Query()]) -> DocumentPage:
    total, rows = store.document_page(status=params.status, text=params.q, limit=params.limit, offset=params.offset)
    return DocumentPage(total=total, limit=params.limit, offset=params.offset,
                        items=[document_summary(r) for r in rows])


@router.get("/documents/{doc_id:path}", response_model=DocumentOut, summary="A document's text with its events")
def get_document(doc_id: str, store: StoreDep) -> DocumentOut:
    try:
        check_doc_id(doc_id)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    row = store.document(doc_id)
    if row is None:
        raise HTTPException(404, "no such document")
    spans = [EventSpan(event_id=e.event_id, cameo=e.cameo, quad_class=e.quad_class,
                       evidence_span=list(e.evidence_span),
                       trigger_span=list(e.trigger_span) if e.trigger_span else None,
                       actor1_span=list(e.actor1.span) if e.actor1 and e.actor1.span else None,
                       actor2_span=list(e.actor2.span) if e.actor2 and e.actor2.span else None,
                       link=f"/api/events/{e.event_id}")
             for e in store.iter_events(EventFilter(doc=doc_id))]
    summary = document_summary(row)
    return DocumentOut(**summary.model_dump(), text=row.get("text") or "", fmt=row.get("fmt"), events=spans)


# -- export --------------------------------------------------------------------------------
@router.get("/export", summary="The filtered selection as JSON Lines, GDELT-style TSV or Parquet",
            response_class=StreamingResponse,
            responses={200: {"content": {"application/x-ndjson": {}, "text/tab-separated-values": {},
                                         "application/vnd.apache.parquet": {}}}})
def export_events(store: StoreDep, params: Annotated[ExportQuery, Query()]) -> Any:
    conditions = store.event_conditions(**params.store_kwargs())
    ids = store.event_ids(conditions, params.sort, params.limit)

    def batches() -> Iterator[list[Event]]:
        # One short read per chunk: no connection is held across the stream's threads.
        for start in range(0, len(ids), EXPORT_CHUNK):
            yield store.events_by_id(ids[start : start + EXPORT_CHUNK])

    name = f"veille-events.{params.format}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if params.format == "parquet":
        handle, path = tempfile.mkstemp(suffix=".parquet", prefix="veille-export-")
        os.close(handle)
        export.write_parquet((e for batch in batches() for e in batch), PathLib(path))
        return FileResponse(path, media_type="application/vnd.apache.parquet", headers=disposition,
                            background=BackgroundTask(os.unlink, path))
    if params.format == "jsonl":
        def jsonl() -> Iterator[str]:
            for batch in batches():
                buffer = io.StringIO()
                export.write_jsonl(batch, buffer)
                yield buffer.getvalue()

        return StreamingResponse(jsonl(), media_type="application/x-ndjson; charset=utf-8", headers=disposition)

    def tsv() -> Iterator[str]:
        header = io.StringIO()
        export.write_tsv([], header)
        yield header.getvalue()
        columns = list(export.gdelt_columns()) + export.EXTRA_COLUMNS
        number = 0
        for batch in batches():
            lines = []
            for ev in batch:
                number += 1  # GLOBALEVENTID numbers the whole file, as `veille events --format tsv` does
                row = export.gdelt_row(ev, number) | export.extra_row(ev)
                lines.append("\t".join(export._clean_cell(row.get(c)) for c in columns) + "\n")
            yield "".join(lines)

    return StreamingResponse(tsv(), media_type="text/tab-separated-values; charset=utf-8", headers=disposition)


# -- ingestion -----------------------------------------------------------------------------
@router.post("/documents", response_model=IngestResult, status_code=201,
             summary="Ingest one article (needs --allow-ingest, and the token off loopback)",
             responses={401: {"description": "token missing or wrong"}, 403: {"description": "read-only server"},
                        413: {"description": "body too large"}})
def ingest_document(body: IngestRequest, request: Request, store: StoreDep) -> IngestResult:
    from veille.ingest import read_jsonl_bytes
    from veille.nlp import load_nlp
    from veille.pipeline import process

    if not request.app.state.allow_ingest:  # the WriteGuard middleware already refuses; never rely on one lock
        raise HTTPException(403, "read-only server")
    record = body.model_dump(exclude_none=True)
    record["id"] = body.id or "api-" + stable_id(body.text or body.html, length=16)
    doc = next(read_jsonl_bytes(json.dumps(record, ensure_ascii=False).encode("utf-8"), "api"))
    with request.app.state.ingest_lock:  # one spaCy pipeline, one writer
        if request.app.state.nlp is None:
            request.app.state.nlp = load_nlp()
        doc, found = next(process([doc], request.app.state.nlp))
        store.save(doc, found)
    return IngestResult(doc_id=doc.doc_id, status=doc.status, reason=doc.reason,
                        events=[event_out(e) for e in found],
                        links={"document": f"/api/documents/{doc_path(doc.doc_id)}",
                               "html": f"/documents/{doc_path(doc.doc_id)}"})


@router.get("/health", response_model=Health, summary="Counts, and whether ingestion is enabled")
def health(request: Request, store: StoreDep) -> Health:
    counts = store.counts()
    return Health(documents=counts["documents"], events=counts["events"], allow_ingest=request.app.state.allow_ingest)
