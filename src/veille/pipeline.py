"""Wires the stages: ingest → clean → nlp → actors → coding → resolve → group → store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language

from veille.actors import DocumentContext
from veille.clean import clean_document
from veille.coding import code_sentence
from veille.dedup import DuplicateIndex
from veille.group import assign_groups, regroup
from veille.ingest import read_inputs
from veille.models import Document, Event, RunStats, stable_id
from veille.nlp import ParsedSentence, load_nlp, parse_documents
from veille.resolve import ResolveContext, parse_published, resolve_event
from veille.store import Store


def analyse(doc: Document, sentences: list[ParsedSentence]) -> list[Event]:
    """Events of one parsed document, in text order."""
    context = DocumentContext()
    published = parse_published(doc.published)
    iso = published.isoformat() if published else None
    found: list[Event] = []
    when = ResolveContext()  # "le même jour", "la veille" count from the article's last date
    for parsed in sentences:
        for event in code_sentence(parsed, doc.doc_id, context, iso):
            resolve_event(event, published, parsed.text, parsed.start, when)
            event.compute_id()
            found.append(event)
    assign_groups(found)
    return found


def process(docs: Iterable[Document], nlp: Language | None = None) -> Iterator[tuple[Document, list[Event]]]:
    """Clean, parse and code documents; documents that are not ``ok`` pass through without events."""
    pending: list[Document] = []

    def ok_docs() -> Iterator[Document]:
        yield from pending

    for doc in docs:
        try:
            clean_document(doc)
        except Exception as exc:  # a broken document is recorded, never the end of the run
            doc.status, doc.reason = "error:clean", f"{type(exc).__name__}: {exc}"
        if doc.status != "ok":
            yield doc, []
            continue
        pending.append(doc)
        if len(pending) >= 16:
            yield from _analyse_batch(pending, nlp)
            pending = []
    if pending:
        yield from _analyse_batch(pending, nlp)


def _analyse_batch(batch: list[Document], nlp: Language | None) -> Iterator[tuple[Document, list[Event]]]:
    nlp = nlp or load_nlp()
    try:
        parsed = list(parse_documents(batch, nlp))
    except Exception:
        parsed = []
        for doc in batch:  # find the one document that breaks the batch
            try:
                parsed.extend(parse_documents([doc], nlp))
            except Exception as exc:
                doc.status, doc.reason = "error:nlp", f"{type(exc).__name__}: {exc}"
                parsed.append((doc, []))
    for doc, sentences in parsed:
        if doc.status != "ok":
            yield doc, []
            continue
        try:
            yield doc, analyse(doc, sentences)
        except Exception as exc:
            doc.status, doc.reason = "error:coding", f"{type(exc).__name__}: {exc}"
            yield doc, []


def _save(store: Store, doc: Document, events: list[Event]) -> int:
    """Store one document; one the database refuses (a value its driver cannot bind) is stored as
    ``error:store`` and the run goes on. If that fails too, the database itself is gone: raise."""
    try:
        return store.save(doc, events)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
        failed = Document(doc_id=doc.doc_id, path=doc.path, fmt=doc.fmt, status="error:store", reason=reason)
        store.save(failed, [])
        doc.status, doc.reason = failed.status, failed.reason
        return 0


def _unique_ids(docs: Iterable[Document]) -> Iterator[Document]:
    """Two different inputs of one run under one id (files named alike in two folders, an id used twice in
    JSON Lines) would be one database row: the later gets an id of its own, with a reason, instead of
    replacing the earlier. The same text read twice keeps its id: it is one document."""
    seen: dict[str, str] = {}
    for doc in docs:
        identity = doc.content_hash if doc.status == "ok" else stable_id(doc.content_hash, doc.path)
        if seen.setdefault(doc.doc_id, identity) != identity:
            taken = doc.doc_id
            doc.doc_id = f"{taken}~{stable_id(doc.path, identity, length=8)}"
            doc.reason = "; ".join(filter(None, [doc.reason, f"id {taken} already used by another input"]))
            seen.setdefault(doc.doc_id, identity)
        yield doc


def run(inputs: list[str], store: Store, nlp: Language | None = None,
        on_document: Callable[[Document, int], None] | None = None) -> RunStats:
    """Ingest, analyse and store; documents already stored with the same content are left alone."""
    stats = RunStats()

    def fresh() -> Iterator[Document]:
        for doc in _unique_ids(read_inputs(inputs)):
            digest = doc.content_hash  # fixed on the text as read, before cleaning normalises it
            known = store.known_hash(doc.doc_id)
            if known and known[0] == digest and known[1] == "ok" and doc.status == "ok":
                stats.unchanged += 1
                stats.record(doc)
                if on_document:
                    on_document(doc, -1)
                continue
            yield doc

    duplicates: DuplicateIndex | None = None  # built on the first new article: a re-run reads no text
    for doc, events in process(fresh(), nlp):
        if doc.status == "ok":
            duplicates = duplicates or DuplicateIndex.from_store(store)
            duplicates.check(doc)  # a republished wire story keeps its events, flagged by duplicate_of
        count = _save(store, doc, events)
        stats.record(doc)
        stats.events += count
        if on_document:
            on_document(doc, count)
    regroup(store)  # across articles, over what is stored: existing groups keep their ids
    return stats
