"""Records shared by every stage. Plain dataclasses, no I/O, so each stage can be tested alone.

The JSON form of an :class:`Event` is the contract of ``shared/spec/event-schema.md``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

MODALITIES = ("asserted", "negated", "conditional", "hypothetical", "future", "question")


def stable_id(*parts: object, length: int = 16) -> str:
    """Content hash used for every id, so that re-running on the same input changes nothing."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:length]


@dataclass(slots=True, kw_only=True)
class Document:
    """One article as read, with its status; ``text`` is what evidence spans point into."""

    doc_id: str
    text: str = ""
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    lang: str | None = None
    path: str | None = None
    status: str = "ok"
    reason: str | None = None
    fmt: str = "txt"
    # (start, end) character ranges of ``text`` kept by cleaning, each analysed as its own block.
    segments: list[tuple[int, int]] = field(default_factory=list)
    duplicate_of: str | None = None
    checksum: str | None = None

    @property
    def content_hash(self) -> str:
        """Hash of the text as read (fixed at first use, before cleaning normalises it)."""
        if self.checksum is None:
            self.checksum = stable_id(self.text, self.status, length=40)
        return self.checksum


@dataclass(slots=True, kw_only=True)
class Sentence:
    doc_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True, kw_only=True)
class Actor:
    """An actor as coded: CAMEO code plus what it was read from."""

    text: str
    name: str
    code: str
    country: str | None
    role: str | None = None
    kind: str = "state"  # state, person, organisation, group, media
    span: tuple[int, int] | None = None
    rule: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = list(self.span) if self.span else None
        return data


@dataclass(slots=True, kw_only=True)
class Quantity:
    value: float
    unit: str
    text: str
    approx: bool = False
    commodity: str | None = None


@dataclass(slots=True, kw_only=True)
class Location:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass(slots=True, kw_only=True)
class Source:
    speaker: str | None = None
    via: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Event:
    """One event mention: a sentence, two actors, an action, and the reason it was coded."""

    doc_id: str
    sentence_index: int
    evidence: str
    evidence_span: tuple[int, int]
    trigger: str
    actor1: Actor | None
    actor2: Actor | None
    cameo: str
    plover: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    modality: str = "asserted"
    condition: str | None = None
    source: Source = field(default_factory=Source)
    quantities: list[Quantity] = field(default_factory=list)
    commodities: list[str] = field(default_factory=list)
    location: Location | None = None
    date: str | None = None
    date_precision: str | None = None
    date_basis: str | None = None
    rule: str = ""
    confidence: float = 0.5
    symmetric: bool = False
    trigger_span: tuple[int, int] | None = None
    group_id: str | None = None
    event_id: str = ""

    @property
    def cameo_root(self) -> str:
        return self.cameo[:2]

    def compute_id(self) -> str:
        a1 = self.actor1.code if self.actor1 else ""
        a2 = self.actor2.code if self.actor2 else ""
        self.event_id = stable_id(
            self.doc_id, self.sentence_index, self.evidence_span[0], a1, self.cameo, a2, self.trigger_span
        )
        return self.event_id

    def to_dict(self) -> dict[str, Any]:
        """The JSON Lines record of the event schema."""
        return {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "sentence_index": self.sentence_index,
            "evidence": self.evidence,
            "evidence_span": list(self.evidence_span),
            "trigger": self.trigger,
            "trigger_span": list(self.trigger_span) if self.trigger_span else None,
            "actor1": self.actor1.to_dict() if self.actor1 else None,
            "actor2": self.actor2.to_dict() if self.actor2 else None,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "plover": self.plover,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "modality": self.modality,
            "condition": self.condition,
            "source": {"speaker": self.source.speaker, "via": list(self.source.via)},
            "quantities": [asdict(q) for q in self.quantities],
            "commodities": list(self.commodities),
            "location": asdict(self.location) if self.location else None,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "symmetric": self.symmetric,
            "rule": self.rule,
            "confidence": self.confidence,
            "group_id": self.group_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        def actor(d: dict[str, Any] | None) -> Actor | None:
            if not d:
                return None
            d = dict(d)
            span = d.pop("span", None)
            return Actor(span=tuple(span) if span else None, **d)

        loc = data.get("location")
        src = data.get("source") or {}
        return cls(
            event_id=data["event_id"],
            doc_id=data["doc_id"],
            sentence_index=data["sentence_index"],
            evidence=data["evidence"],
            evidence_span=tuple(data["evidence_span"]),
            trigger=data.get("trigger", ""),
            trigger_span=tuple(data["trigger_span"]) if data.get("trigger_span") else None,
            actor1=actor(data.get("actor1")),
            actor2=actor(data.get("actor2")),
            cameo=data["cameo"],
            plover=data.get("plover"),
            goldstein=data.get("goldstein"),
            quad_class=data.get("quad_class"),
            modality=data.get("modality", "asserted"),
            condition=data.get("condition"),
            source=Source(speaker=src.get("speaker"), via=list(src.get("via") or [])),
            quantities=[Quantity(**q) for q in data.get("quantities") or []],
            commodities=list(data.get("commodities") or []),
            location=Location(**loc) if loc else None,
            date=data.get("date"),
            date_precision=data.get("date_precision"),
            date_basis=data.get("date_basis"),
            symmetric=bool(data.get("symmetric")),
            rule=data.get("rule", ""),
            confidence=float(data.get("confidence", 0.5)),
            group_id=data.get("group_id"),
        )


@dataclass(slots=True, kw_only=True)
class EventGroup:
    """Mentions of one real-world happening (GDELT's NumMentions / NumSources / NumArticles)."""

    group_id: str
    cameo: str
    actor1: str | None
    actor2: str | None
    date: str | None
    num_mentions: int
    num_articles: int
    num_sources: int
    first_seen: str | None
    last_seen: str | None
    best_event_id: str
    mentions: list[str]


@dataclass(slots=True, kw_only=True)
class RunStats:
    documents: int = 0
    ok: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    events: int = 0
    unchanged: int = 0

    def record(self, doc: Document) -> None:
        self.documents += 1
        if doc.status == "ok":
            self.ok += 1
        elif doc.status.startswith("skipped"):
            self.skipped[doc.status] = self.skipped.get(doc.status, 0) + 1
        else:
            self.errors[doc.status] = self.errors.get(doc.status, 0) + 1

    @property
    def failed(self) -> int:
        return sum(self.errors.values())
