"""Request and response models: they validate every parameter (422) and document the API at /docs.

Query models forbid unknown parameters, so a misspelt filter is an error rather than a silently
ignored one; empty values (what an HTML form sends for a blank field) count as absent.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_PAGE = 200
MAX_OFFSET = 10_000_000
MAX_EXPORT = 1_000_000
MAX_TEXT_CHARS = 200_000
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"
DOC_ID_MAX = 2048  # ids may be long URLs (jsonl inputs); the column itself is unbounded
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

Sort = Literal["date", "-date", "goldstein", "-goldstein", "code", "-code", "quad", "-quad", "doc", "-doc"]
Modality = Literal["asserted", "negated", "conditional", "hypothetical", "future", "question"]


def _drop_blank(data: Any) -> Any:
    """An empty field of a submitted form means 'no filter', not 'match the empty string'."""
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
    return data


def check_doc_id(value: str) -> str:
    """Document ids are database keys only, never paths; still refuse what no reader produces."""
    if not value or len(value) > DOC_ID_MAX or _CONTROL_RE.search(value):
        raise ValueError(f"a document id has 1 to {DOC_ID_MAX} printable characters")
    return value


class EventFilters(BaseModel):
    """The event filters shared by the list, the export, the statistics and the web pages."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    actor: str | None = Field(None, pattern=r"^[A-Za-z]{1,30}$", description="Actor code or prefix, either side.")
    actor1: str | None = Field(None, pattern=r"^[A-Za-z]{1,30}$", description="Source actor code or prefix.")
    actor2: str | None = Field(None, pattern=r"^[A-Za-z]{1,30}$", description="Target actor code or prefix.")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2,5}$", description="Country code of either actor.")
    code: str | None = Field(None, pattern=r"^\d{1,4}$", description="CAMEO code prefix, e.g. 19 or 0311.")
    root: str | None = Field(None, pattern=r"^(0[1-9]|1\d|20)$", description="CAMEO root, 01 to 20.")
    quad_class: int | None = Field(None, ge=1, le=4, description="1 verbal / 2 material cooperation, 3 / 4 conflict.")
    modality: Modality | None = None
    via: str | None = Field(None, max_length=100, description="Outlet the text cites (source.via), substring.")
    outlet: str | None = Field(None, max_length=100, description="Outlet that published the document, substring.")
    commodity: str | None = Field(None, max_length=100, description="Commodity the event is about, substring.")
    since: date | None = Field(None, description="Earliest event date, YYYY-MM-DD.")
    until: date | None = Field(None, description="Latest event date, YYYY-MM-DD.")
    doc: str | None = Field(None, max_length=DOC_ID_MAX, description="Only this document id.")
    group: str | None = Field(None, pattern=ID_PATTERN, description="Only this event group.")
    q: str | None = Field(None, max_length=200, description="Text the evidence sentence contains.")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        return _drop_blank(data)

    @field_validator("since", "until", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if isinstance(value, str) and not _DATE_RE.match(value.strip()):
            raise ValueError("dates are written YYYY-MM-DD")
        return value

    @field_validator("doc")
    @classmethod
    def _doc_id(cls, value: str | None) -> str | None:
        return check_doc_id(value) if value is not None else None

    @model_validator(mode="after")
    def _range(self) -> EventFilters:
        if self.since and self.until and self.since > self.until:
            raise ValueError("since is after until")
        return self

    def store_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``Store.event_conditions``."""
        def upper(value: str | None) -> str | None:  # codes are stored upper-case
            return value.upper() if value else None

        return {
            "actor": upper(self.actor), "actor1": upper(self.actor1), "actor2": upper(self.actor2),
            "country": upper(self.country), "code": self.code, "root": self.root, "quad_class": self.quad_class,
            "modality": self.modality, "via": self.via, "outlet": self.outlet, "commodity": self.commodity,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "doc": self.doc, "group": self.group, "text": self.q,
        }

    def active(self) -> dict[str, str]:
        """The filters in use, as query-string values (for links and the web forms)."""
        out = {}
        for name in EventFilters.model_fields:
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, date) else str(value)
        return out


class EventListQuery(EventFilters):
    sort: Sort = Field("-date", description="date, goldstein, code, quad or doc; a leading '-' sorts descending.")
    limit: int = Field(50, ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ExportQuery(EventFilters):
    format: Literal["jsonl", "tsv", "parquet"] = "jsonl"
    sort: Sort = "-date"
    limit: int | None = Field(None, ge=1, le=MAX_EXPORT, description=f"At most this many events ({MAX_EXPORT}).")


class StatsQuery(EventFilters):
    pairs: int = Field(50, ge=1, le=500, description="How many actor pairs, most frequent first.")


class GroupListQuery(EventFilters):
    sort: Literal["mentions", "date"] = "mentions"
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class StoryQuery(EventFilters):
    limit: int = Field(20, ge=1, le=100)
    min_groups: int = Field(2, ge=1, le=1000, description="Only pairs with at least this many groups.")


class ActorListQuery(EventFilters):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DocumentListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: Literal["ok", "skipped", "error"] | None = None
    q: str | None = Field(None, max_length=200, description="Text in the title, id or outlet.")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        return _drop_blank(data)


# -- responses ----------------------------------------------------------------------------
class ActorOut(BaseModel):
    text: str
    name: str
    code: str
    country: str | None = None
    role: str | None = None
    kind: str = "state"
    span: list[int] | None = None
    rule: str | None = None
    title: str | None = None


class QuantityOut(BaseModel):
    value: float
    unit: str
    text: str
    approx: bool = False
    commodity: str | None = None


class LocationOut(BaseModel):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


class SourceOut(BaseModel):
    speaker: str | None = None
    via: list[str] = []


class EventOut(BaseModel):
    """One event mention: the record of shared/spec/event-schema.md, plus links."""

    event_id: str
    doc_id: str
    sentence_index: int
    evidence: str
    evidence_span: list[int]
    trigger: str
    trigger_span: list[int] | None = None
    actor1: ActorOut | None = None
    actor2: ActorOut | None = None
    cameo: str
    cameo_root: str
    plover: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    modality: str
    condition: str | None = None
    source: SourceOut
    quantities: list[QuantityOut] = []
    commodities: list[str] = []
    location: LocationOut | None = None
    date: str | None = None
    date_precision: str | None = None
    date_basis: str | None = None
    symmetric: bool = False
    rule: str
    confidence: float
    group_id: str | None = None
    links: dict[str, str] = {}


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None = Field(None, description="Address of the next page, when there is one.")
    items: list[EventOut]


class DocumentSummary(BaseModel):
    doc_id: str
    status: str
    reason: str | None = None
    lang: str | None = None
    published: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    event_count: int = 0
    added: str | None = None
    links: dict[str, str] = {}


class DocumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]


class EventSpan(BaseModel):
    """Where one event sits in the document text (character offsets)."""

    event_id: str
    cameo: str
    quad_class: int | None = None
    evidence_span: list[int]
    trigger_span: list[int] | None = None
    actor1_span: list[int] | None = None
    actor2_span: list[int] | None = None
    link: str


class DocumentOut(DocumentSummary):
    text: str
    fmt: str | None = None
    events: list[EventSpan]


class GroupOut(BaseModel):
    group_id: str
    cameo: str
    actor1: str | None = None
    actor2: str | None = None
    date: str | None = None
    num_mentions: int
    num_articles: int
    num_sources: int
    first_seen: str | None = None
    last_seen: str | None = None
    best_event_id: str
    mentions: list[str]
    links: dict[str, str] = {}


class EventDetail(BaseModel):
    event: EventOut
    document: DocumentSummary | None = None
    group: GroupOut | None = None


class GroupPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[GroupOut]


class Mention(BaseModel):
    event: EventOut
    document: DocumentSummary | None = None


class GroupDetail(BaseModel):
    group: GroupOut
    mentions: list[Mention]


class StoryGroup(BaseModel):
    group_id: str
    root: str
    mentions: int
    first: str | None = None


class StoryOut(BaseModel):
    """Groups sharing an (unordered) pair of actor countries: one running story."""

    story_id: str
    countries: list[str]
    events: int
    num_groups: int
    first: str | None = None
    last: str | None = None
    mean_goldstein: float | None = None
    groups: list[StoryGroup]


class ActorSummary(BaseModel):
    code: str
    name: str
    country: str | None = None
    count: int
    as_actor1: int
    as_actor2: int
    examples: list[str]
    links: dict[str, str] = {}


class ActorPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ActorSummary]


class DayCount(BaseModel):
    date: str
    quad_class: int | None = None
    count: int


class RootCount(BaseModel):
    root: str
    label: str | None = None
    count: int
    goldstein: float | None = None


class PairCount(BaseModel):
    actor1: str
    actor2: str
    count: int
    goldstein: float | None = None


class Stats(BaseModel):
    total: int
    by_day: list[DayCount]
    by_root: list[RootCount]
    by_pair: list[PairCount]


class IngestRequest(BaseModel):
    """One article, as a line of the JSON Lines input of ``veille run``: text or HTML, no URL fetching."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, max_length=DOC_ID_MAX, description="Document id (default: a hash of the text).")
    text: str | None = Field(None, max_length=MAX_TEXT_CHARS)
    html: str | None = Field(None, max_length=MAX_TEXT_CHARS * 3)
    title: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, max_length=40, description="Publication date, for relative dates.")
    url: str | None = Field(None, max_length=2000, description="Recorded only; never fetched.")
    source: str | None = Field(None, max_length=200, description="Outlet.")
    lang: str | None = Field(None, max_length=10)

    @field_validator("id")
    @classmethod
    def _doc_id(cls, value: str | None) -> str | None:
        return check_doc_id(value) if value is not None else None

    @model_validator(mode="after")
    def _one_body(self) -> IngestRequest:
        if not (self.text and self.text.strip()) and not (self.html and self.html.strip()):
            raise ValueError("give the article as 'text' or 'html'")
        if self.text and self.html:
            raise ValueError("give either 'text' or 'html', not both")
        return self


class IngestResult(BaseModel):
    doc_id: str
    status: str
    reason: str | None = None
    events: list[EventOut]
    links: dict[str, str] = {}


class Health(BaseModel):
    documents: int
    events: int
    allow_ingest: bool
