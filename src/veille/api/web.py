"""Server-rendered pages of the explorer, French by default (``?lang=en`` for English).

Article text reaches a page only through Jinja's autoescaping or :func:`markup_spans`, which
escapes every piece it cuts; the Content-Security-Policy forbids inline scripts besides.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from pydantic import BaseModel, ValidationError

from veille import __version__
from veille.api.i18n import LANGS, translate, translate_count
from veille.api.schemas import (
    ID_PATTERN,
    DocumentListQuery,
    EventListQuery,
    StatsQuery,
    check_doc_id,
)
from veille.group import build_groups
from veille.models import MODALITIES, Event
from veille.store import EventFilter, Store

HERE = Path(__file__).resolve().parent
router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                                            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True))
ROOTS = [f"{i:02d}" for i in range(1, 21)]
NETWORK_PAIRS = 80
TIMELINE_WIDTH, TIMELINE_HEIGHT = 960, 280


# -- highlighting -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Span:
    """A range of document offsets to mark, with its CSS classes and optionally a link."""

    start: int
    end: int
    classes: str
    href: str | None = None
    title: str | None = None


def markup_spans(text: str, base: int, spans: Iterable[Span]) -> Markup:
    """``text`` (which starts at document offset ``base``) cut at span edges, each piece escaped.

    Overlapping spans are allowed: a piece carries the classes of every span covering it and
    the first link among them, so nesting never produces broken or nested tags.
    """
    size = len(text)
    kept = []
    for span in spans:
        start, end = max(span.start - base, 0), min(span.end - base, size)
        if start < end:
            kept.append(Span(start, end, span.classes, span.href, span.title))
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for index, span in enumerate(kept):
        starts[span.start].append(index)
        ends[span.end].append(index)
    cuts = sorted({0, size, *starts, *ends})
    active: dict[int, Span] = {}
    out: list[str] = []
    for left, right in pairwise(cuts):
        for index in ends.get(left, ()):
            active.pop(index, None)
        for index in starts.get(left, ()):
            active[index] = kept[index]
        piece = str(escape(text[left:right]))
        if not active:
            out.append(piece)
            continue
        covering = [active[i] for i in sorted(active)]
        classes = " ".join(sorted({c for s in covering for c in s.classes.split()}))
        href = next((s.href for s in covering if s.href), None)
        title = " · ".join(dict.fromkeys(s.title for s in covering if s.title))
        attrs = f' class="{escape(classes)}"' + (f' title="{escape(title)}"' if title else "")
        if href:
            out.append(f'<a href="{escape(href)}"{attrs}>{piece}</a>')
        else:
            out.append(f"<mark{attrs}>{piece}</mark>")
    return Markup("".join(out))


def role_spans(ev: Event, href: str | None = None) -> list[Span]:
    """Actor and trigger spans of an event (document offsets)."""
    spans = []
    if ev.actor1 and ev.actor1.span:
        spans.append(Span(*ev.actor1.span, "hl hl-a1", href, f"{ev.actor1.code} · {ev.actor1.name}"))
    if ev.actor2 and ev.actor2.span:
        spans.append(Span(*ev.actor2.span, "hl hl-a2", href, f"{ev.actor2.code} · {ev.actor2.name}"))
    if ev.trigger_span:
        spans.append(Span(*ev.trigger_span, "hl hl-trigger", href, f"{ev.cameo} · {ev.trigger}"))
    return spans


def evidence_html(ev: Event) -> Markup:
    return markup_spans(ev.evidence, ev.evidence_span[0], role_spans(ev))


# -- page helpers --------------------------------------------------------------------------
def page_lang(request: Request) -> str:
    lang = request.query_params.get("lang", "fr")
    return lang if lang in LANGS else "fr"


def doc_path(doc_id: str) -> str:
    return quote(doc_id, safe="")


class Page:
    """What every template gets: the language, translations and link builders that keep it."""

    def __init__(self, request: Request, store: Store):
        self.request = request
        self.store = store
        self.lang = page_lang(request)

    @cached_property
    def counts(self) -> dict[str, int]:
        return self.store.counts()

    def t(self, key: str, **values: object) -> str:
        return translate(self.lang, key, **values)

    def n(self, key: str, count: int, name: str = "total") -> str:
        return translate_count(self.lang, key, count, name)

    def link(self, path: str, **params: Any) -> str:
        """``path`` with ``params`` (None dropped) and the page's language."""
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        if self.lang != "fr":
            query["lang"] = self.lang
        return path + ("?" + urlencode(query) if query else "")

    def here(self, **changes: Any) -> str:
        """The current page with some query parameters changed (None removes one)."""
        params = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return self.link(self.request.url.path, **params)

    def switch_lang(self) -> str:
        params = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        if self.lang == "fr":
            params["lang"] = "en"
        return self.request.url.path + ("?" + urlencode(params) if params else "")

    def event_link(self, event_id: str) -> str:
        return self.link(f"/events/{event_id}")

    def doc_link(self, doc_id: str) -> str:
        return self.link(f"/documents/{doc_path(doc_id)}")

    def quad(self, quad_class: int | None) -> str:
        return self.t(f"quad.{quad_class}") if quad_class else "—"

    def modality(self, modality: str) -> str:
        return self.t(f"mod.{modality}")


def render(request: Request, store: Store, name: str, status: int = 200, page: Page | None = None,
           **context: Any) -> Response:
    page = page or Page(request, store)
    context.setdefault("nav", "")
    return templates.TemplateResponse(request, name, {"page": page, "t": page.t, "version": __version__,
                                                      "roots": ROOTS, "modalities": MODALITIES,
                                                      "cameo_label": cameo_label, **context},
                                      status_code=status)


def error_page(request: Request, status: int, messages: Sequence[str]) -> Response:
    return render(request, request.app.state.store, "error.html", status=status, status_code=status,
                  messages=list(messages))


def validation_messages(errors: Sequence[Any]) -> list[str]:
    out = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        out.append(f"{'.'.join(loc) + ': ' if loc else ''}{error.get('msg', '')}")
    return out


def parse(request: Request, model: type[BaseModel]) -> Any:
    """Query parameters into ``model`` (the API's own validation), the page's language set aside."""
    return model.model_validate({k: v for k, v in request.query_params.items() if k != "lang"})


def cameo_label(code: str) -> str:
    from veille.ontology import event_codes

    codes = event_codes()
    while code and code not in codes:
        code = code[:-1]
    return codes[code].label if code else ""


def event_row(page: Page, ev: Event) -> dict[str, Any]:
    """What the event tables show for one event."""
    source = ev.source.speaker or ""
    if ev.source.via:
        source = (source + " via " if source else "via ") + ", ".join(ev.source.via)
    return {"ev": ev, "evidence": evidence_html(ev), "source": source, "label": cameo_label(ev.cameo),
            "href": page.event_link(ev.event_id), "doc_href": page.doc_link(ev.doc_id)}


# -- charts -------------------------------------------------------------------------------
def _bucket(day: date, unit: str) -> tuple[date, date]:
    if unit == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if unit == "month":
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    return day, day


def timeline_chart(page: Page, by_day: list[dict[str, Any]], filters: dict[str, str]) -> dict[str, Any] | None:
    """Stacked bars of events per day (or week, month on long spans) and quad class, as SVG geometry."""
    counts: dict[date, dict[int, int]] = {}
    for row in by_day:
        try:
            day = date.fromisoformat(row["date"])
        except (TypeError, ValueError):
            continue
        counts.setdefault(day, {})
        quad = row["quad_class"] or 0
        counts[day][quad] = counts[day].get(quad, 0) + row["count"]
    if not counts:
        return None
    first, last = min(counts), max(counts)
    length = (last - first).days + 1
    unit = "day" if length <= 120 else "week" if length <= 1100 else "month"
    buckets: dict[date, dict[int, int]] = {}
    cursor = _bucket(first, unit)[0]
    while cursor <= last:
        buckets[cursor] = {}
        cursor = _bucket(cursor, unit)[1] + timedelta(days=1)
    for day, per_quad in counts.items():
        slot = buckets[_bucket(day, unit)[0]]
        for quad, n in per_quad.items():
            slot[quad] = slot.get(quad, 0) + n
    left, bottom, top, right = 44, 36, 10, 10
    plot_w, plot_h = TIMELINE_WIDTH - left - right, TIMELINE_HEIGHT - top - bottom
    peak = max(sum(v.values()) for v in buckets.values()) or 1
    step = plot_w / len(buckets)
    gap = 1.0 if step > 4 else 0.0
    bars, labels = [], []
    label_every = max(1, math.ceil(len(buckets) / 8))
    base = {k: v for k, v in filters.items() if k not in ("since", "until", "quad_class", "offset")}
    for index, (start, per_quad) in enumerate(sorted(buckets.items())):
        end = _bucket(start, unit)[1]
        x = left + index * step
        y = top + plot_h
        segments = []
        for quad in (1, 2, 3, 4, 0):
            n = per_quad.get(quad, 0)
            if not n:
                continue
            height = plot_h * n / peak
            y -= height
            segments.append({"x": round(x + gap / 2, 2), "y": round(y, 2), "w": round(max(step - gap, 0.5), 2),
                             "h": round(height, 2), "quad": quad, "count": n,
                             "href": page.link("/events", **base, since=start.isoformat(), until=end.isoformat(),
                                               quad_class=quad or None),
                             "title": f"{start.isoformat()}{' → ' + end.isoformat() if end != start else ''} · "
                                      f"{page.quad(quad or None)} : {n}"})
        bars.append(segments)
        if index % label_every == 0:
            labels.append({"x": round(x + step / 2, 2), "text": start.isoformat()})
    ticks = [{"y": round(top + plot_h - plot_h * v / peak, 2), "value": v} for v in sorted({0, peak // 2, peak})]
    return {"width": TIMELINE_WIDTH, "height": TIMELINE_HEIGHT, "left": left, "top": top, "bottom": top + plot_h,
            "right": TIMELINE_WIDTH - right, "bars": bars, "labels": labels, "ticks": ticks, "unit": unit,
            "first": first.isoformat(), "last": last.isoformat()}


def network_data(page: Page, pairs: list[dict[str, Any]], filters: dict[str, str]) -> dict[str, Any]:
    """Nodes and weighted edges for network.js; links are built here, properly encoded."""
    base = {k: v for k, v in filters.items() if k not in ("actor", "actor1", "actor2", "offset")}
    weight: dict[str, int] = defaultdict(int)
    for pair in pairs:
        weight[pair["actor1"]] += pair["count"]
        weight[pair["actor2"]] += pair["count"]
    codes = sorted(weight, key=lambda c: (-weight[c], c))
    index = {c: i for i, c in enumerate(codes)}
    nodes = [{"id": c, "count": weight[c], "href": page.link("/events", **base, actor=c)} for c in codes]
    edges = []
    for pair in pairs:
        mean = pair["goldstein"]
        edges.append({"source": index[pair["actor1"]], "target": index[pair["actor2"]], "count": pair["count"],
                      "goldstein": round(mean, 2) if mean is not None else None,
                      "href": page.link("/events", **base, actor1=pair["actor1"], actor2=pair["actor2"]),
                      "title": f"{pair['actor1']} → {pair['actor2']} : {pair['count']} · Goldstein "
                               f"{'—' if mean is None else f'{mean:+.1f}'}"})
    return {"nodes": nodes, "edges": edges}


# -- pages --------------------------------------------------------------------------------
def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _events_page(request: Request, template: str, nav: str, has_commodity: bool = False) -> Response:
    store = _store(request)
    try:
        params = parse(request, EventListQuery)
    except ValidationError as exc:
        return error_page(request, 422, validation_messages(exc.errors()))
    page = Page(request, store)
    conditions = store.event_conditions(**params.store_kwargs(), has_commodity=has_commodity)
    total = store.count_events(conditions)
    rows = [event_row(page, ev) for ev in store.page_events(conditions, params.sort, params.limit, params.offset)]
    extra: dict[str, Any] = {}
    if has_commodity:
        others = params.store_kwargs() | {"commodity": None}
        chips = store.commodity_counts(store.event_conditions(**others, has_commodity=True), limit=30)
        extra["commodities"] = [{"name": name, "count": n, "href": page.here(commodity=name, offset=None),
                                 "active": (params.commodity or "").lower() == name.lower()} for name, n in chips]
    return render(request, store, template, page=page, nav=nav, params=params, filters=params.active(), rows=rows,
                  total=total, pager=_pager(page, params.offset, params.limit, total), **extra)


def _pager(page: Page, offset: int, limit: int, total: int) -> dict[str, Any]:
    return {"first": offset + 1 if total else 0, "last": min(offset + limit, total), "total": total,
            "prev": page.here(offset=max(offset - limit, 0) or None) if offset > 0 else None,
            "next": page.here(offset=offset + limit) if offset + limit < total else None}


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    store = _store(request)
    counts = store.counts()
    if counts["events"] == 0:
        return render(request, store, "welcome.html", nav="events", allow_ingest=request.app.state.allow_ingest,
                      token_required=bool(request.app.state.token))
    return _events_page(request, "events.html", "events")


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request) -> Response:
    return _events_page(request, "events.html", "events")


@router.get("/resources", response_class=HTMLResponse)
def resources_page(request: Request) -> Response:
    return _events_page(request, "resources.html", "resources", has_commodity=True)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> Response:
    store = _store(request)
    if not re.match(ID_PATTERN, event_id):
        return error_page(request, 422, ["event_id: not an event id"])
    ev = store.event(event_id)
    if ev is None:
        return error_page(request, 404, [f"event {event_id}"])
    page = Page(request, store)
    members = store.group_events([ev.group_id]) if ev.group_id else [ev]
    meta = store.document_meta({e.doc_id for e in members} | {ev.doc_id})
    groups = build_groups(members, {d: m.get("source") for d, m in meta.items()}) if ev.group_id else []
    mentions = [{**event_row(page, e), "doc": meta.get(e.doc_id, {}), "current": e.event_id == ev.event_id}
                for e in members]
    return render(request, store, "event.html", page=page, nav="events", ev=ev, row=event_row(page, ev),
                  doc=meta.get(ev.doc_id), group=groups[0] if groups else None, mentions=mentions,
                  record=json.dumps(ev.to_dict(), ensure_ascii=False, indent=2))


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request) -> Response:
    store = _store(request)
    try:
        params = parse(request, StatsQuery)
    except ValidationError as exc:
        return error_page(request, 422, validation_messages(exc.errors()))
    page = Page(request, store)
    stats = store.event_stats(store.event_conditions(**params.store_kwargs()), pairs=1)
    root_rows = [{**r, "label": cameo_label(r["root"]),
                  "href": page.link("/events", **(params.active() | {"root": r["root"]}))} for r in stats["by_root"]]
    peak = max((r["count"] for r in root_rows), default=1)
    return render(request, store, "timeline.html", page=page, nav="timeline", params=params, filters=params.active(),
                  chart=timeline_chart(page, stats["by_day"], params.active()), total=stats["total"],
                  root_rows=root_rows, root_peak=peak)


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> Response:
    store = _store(request)
    try:
        params = parse(request, StatsQuery)
    except ValidationError as exc:
        return error_page(request, 422, validation_messages(exc.errors()))
    page = Page(request, store)
    limit = params.pairs if "pairs" in request.query_params else NETWORK_PAIRS
    stats = store.event_stats(store.event_conditions(**params.store_kwargs()), pairs=limit)
    data = network_data(page, stats["by_pair"], params.active())
    return render(request, store, "network.html", page=page, nav="network", params=params, filters=params.active(),
                  graph=data, pairs=stats["by_pair"])


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request) -> Response:
    store = _store(request)
    try:
        params = parse(request, DocumentListQuery)
    except ValidationError as exc:
        return error_page(request, 422, validation_messages(exc.errors()))
    page = Page(request, store)
    total, rows = store.document_page(status=params.status, text=params.q, limit=params.limit, offset=params.offset)
    for row in rows:
        row["href"] = page.doc_link(row["doc_id"])
    return render(request, store, "documents.html", page=page, nav="documents", params=params, rows=rows, total=total,
                  pager=_pager(page, params.offset, params.limit, total))


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> Response:
    store = _store(request)
    try:
        check_doc_id(doc_id)
    except ValueError as exc:
        return error_page(request, 422, [str(exc)])
    doc = store.document(doc_id)
    if doc is None:
        return error_page(request, 404, [f"document {doc_id}"])
    page = Page(request, store)
    found = list(store.iter_events(EventFilter(doc=doc_id)))
    spans: list[Span] = []
    for ev in found:
        href = page.event_link(ev.event_id)
        spans.append(Span(*ev.evidence_span, f"ev q{ev.quad_class or 0}", href,
                          f"{ev.cameo} {cameo_label(ev.cameo)}"))
        spans.extend(role_spans(ev, href))
    text = doc.get("text") or ""
    return render(request, store, "document.html", page=page, nav="documents", doc=doc,
                  text=markup_spans(text, 0, spans), rows=[event_row(page, ev) for ev in found])


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """Swagger UI from vendored files: the explorer never loads anything from a CDN."""
    return render(request, _store(request), "docs.html", nav="api")


@router.get("/groups/{group_id}")
def group_page(request: Request, group_id: str) -> Response:
    """A group is shown on the page of its best mention, which lists all the others."""
    store = _store(request)
    events = store.group_events([group_id]) if re.match(ID_PATTERN, group_id) else []
    if not events:
        return error_page(request, 404, [f"group {group_id[:64]}"])
    best = build_groups(events)[0].best_event_id
    return RedirectResponse(Page(request, store).event_link(best), status_code=307)
