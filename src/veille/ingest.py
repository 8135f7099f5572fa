"""Read articles from files, folders, JSON Lines, HTML, RSS/Atom and feed URLs.

Every input becomes a :class:`Document`, including broken ones: they carry an ``error:`` or
``skipped:`` status and a reason, so a run never loses track of what it was given.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from veille.models import Document, stable_id

log = logging.getLogger(__name__)

MAX_BYTES = 20_000_000
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES
BINARY_MAGIC = {
    b"\x89PNG": "png image",
    b"\x1f\x8b": "gzip archive",
    b"%PDF": "pdf file",
    b"PK\x03\x04": "zip archive",
    b"\xff\xd8\xff": "jpeg image",
    b"GIF8": "gif image",
}
FETCH_TIMEOUT = 10.0
META_FIELDS = ("title", "published", "url", "source", "lang")
REPLACEMENT = "\ufffd"


class DecodeError(ValueError):
    """Raised when bytes cannot be read as text; the message is the recorded reason."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Bytes to text and the encoding used: UTF-8 first, then the encodings French sites still use."""
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise DecodeError(f"binary content ({what})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:  # cut at an odd byte or a lone surrogate: keep the readable rest
            text = data.decode("utf-16", errors="replace")
            return text, f"utf-16 with {text.count(REPLACEMENT)} invalid units replaced"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise DecodeError("binary content (NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few stray bytes (a cut download, a bad paste) would become mojibake as cp1252; legacy
    # French text has no valid multi-byte sequences at all, so more valid ones than bad bytes means UTF-8.
    text = data.decode("utf-8", errors="replace")
    bad = text.count(REPLACEMENT) - data.count(REPLACEMENT.encode("utf-8"))
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - text.count(REPLACEMENT)
    if valid > bad:
        return text, f"utf-8 with {bad} invalid sequences replaced"
    try:
        text = data.decode("cp1252")
        return text, "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _error_doc(doc_id: str, path: str | None, status: str, reason: str, fmt: str = "txt") -> Document:
    return Document(doc_id=doc_id, path=path, status=status, reason=reason, fmt=fmt)


def _read_meta(folder: Path) -> dict[str, dict[str, Any]]:
    meta_file = folder / "meta.jsonl"
    meta: dict[str, dict[str, Any]] = {}
    if not meta_file.exists():
        return meta
    try:
        content, _ = decode_bytes(meta_file.read_bytes())
    except (OSError, DecodeError) as exc:  # the articles are still read, without their metadata
        log.warning("meta.jsonl: not read in %s: %s", folder, exc)
        return meta
    for line in json_lines(content):
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            log.warning("meta.jsonl: skipped a line that is not JSON in %s", folder)
            continue
        if isinstance(row, dict) and row.get("file"):
            meta[str(row["file"])] = plain_meta(row, str(meta_file))
    return meta


def json_lines(content: str) -> list[str]:
    """Lines of a JSON Lines text: split at \\n only, because U+2028, U+0085 or a form feed may stand raw
    inside a JSON string, where ``str.splitlines`` would cut a good record in two."""
    return content.split("\n")


def plain_meta(row: dict[str, Any], origin: str) -> dict[str, Any]:
    """Metadata fields as text or None: numbers become text, lists and objects are dropped (and logged),
    so that a badly typed field in someone's JSON never reaches the coder or the database driver."""
    plain = dict(row)
    for key in META_FIELDS:
        value = row.get(key)
        if value is None or isinstance(value, str):
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            plain[key] = str(value)
        else:
            plain[key] = None
            log.warning("%s: ignored '%s' of type %s", origin, key, type(value).__name__)
    return plain


def html_to_document(html: str, doc_id: str, path: str | None, meta: dict[str, Any]) -> Document:
    """HTML through trafilatura: text, title, date and site name."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        return _error_doc(doc_id, path, "skipped:empty", "no article text found in the HTML", "html")
    title = meta.get("title") or getattr(extracted, "title", None)
    if title and text.startswith(title):
        text = text[len(title) :].lstrip("\n")
    if title:
        text = f"{title}\n\n{text}"
    return Document(
        doc_id=doc_id,
        text=text,
        title=title,
        published=meta.get("published") or getattr(extracted, "date", None),
        url=meta.get("url") or getattr(extracted, "url", None),
        source=meta.get("source") or getattr(extracted, "sitename", None),
        lang=meta.get("lang"),
        path=path,
        fmt="html",
    )


def _doc_id_for(path: Path, data: bytes, meta: dict[str, Any]) -> str:
    if meta.get("doc_id"):
        return str(meta["doc_id"])
    return f"{path.stem}-{stable_id(data, length=8)}"


def read_file(path: Path, meta: dict[str, Any] | None = None) -> Iterator[Document]:
    """One file to one or more documents (JSONL and feeds hold several)."""
    meta = meta or {}
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield _error_doc(f"{path.stem}-missing", str(path), "error:unreadable", str(exc))
        return
    if size > MAX_BYTES:
        doc_id = str(meta.get("doc_id") or f"{path.stem}-{stable_id(path.name, size, length=8)}")
        yield _error_doc(doc_id, str(path), "error:too-large", f"{size} bytes > limit of {MAX_BYTES}")
        return
    data = path.read_bytes()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_bytes(data, str(path))
        return
    if suffix in FEED_SUFFIXES:
        yield from read_feed_bytes(data, str(path))
        return
    doc_id = _doc_id_for(path, data, meta)
    fmt = "html" if suffix in HTML_SUFFIXES else "txt"
    if not data.strip():
        yield _error_doc(doc_id, str(path), "skipped:empty", "empty file", fmt)
        return
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        yield _error_doc(doc_id, str(path), "error:binary", str(exc), fmt)
        return
    if fmt == "html":
        yield html_to_document(text, doc_id, str(path), meta)
        return
    yield Document(
        doc_id=doc_id,
        text=text,
        title=meta.get("title"),
        published=meta.get("published"),
        url=meta.get("url"),
        source=meta.get("source"),
        lang=meta.get("lang"),
        path=str(path),
        reason=None if encoding == "utf-8" else f"decoded as {encoding}",
    )


def _record_to_document(record: dict[str, Any], origin: str, line_no: int) -> Document:
    doc_id = str(record.get("id") or record.get("doc_id") or f"{Path(origin).stem}-{line_no}")
    if record.get("html"):
        return html_to_document(str(record["html"]), doc_id, origin, record)
    text = record.get("text")
    if not isinstance(text, str):
        return _error_doc(doc_id, origin, "error:missing-text", f"line {line_no} has no 'text' or 'html'", "jsonl")
    return Document(
        doc_id=doc_id,
        text=text,
        title=record.get("title"),
        published=record.get("published"),
        url=record.get("url"),
        source=record.get("source"),
        lang=record.get("lang"),
        path=origin,
        fmt="jsonl",
    )


def read_jsonl_bytes(data: bytes, origin: str) -> Iterator[Document]:
    try:
        content, _ = decode_bytes(data)
    except DecodeError as exc:
        yield _error_doc(f"{Path(origin).stem}-1", origin, "error:binary", str(exc), "jsonl")
        return
    for line_no, line in enumerate(json_lines(content), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:  # RecursionError: nesting too deep
            doc_id = f"{Path(origin).stem}-line{line_no}"
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield _error_doc(doc_id, origin, "error:invalid-json", f"line {line_no}: {reason}", "jsonl")
            continue
        if not isinstance(record, dict):
            doc_id = f"{Path(origin).stem}-line{line_no}"
            yield _error_doc(doc_id, origin, "error:invalid-json", f"line {line_no} is not an object", "jsonl")
            continue
        yield _record_to_document(plain_meta(record, f"{origin}:{line_no}"), origin, line_no)


def read_feed_bytes(data: bytes, origin: str) -> Iterator[Document]:
    """RSS/Atom entries as documents; each entry's HTML goes through the HTML path."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = str(getattr(parsed, "bozo_exception", "no entries"))
        yield _error_doc(f"{Path(origin).stem}-feed", origin, "error:invalid-feed", reason, "feed")
        return
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link")
        doc_id = stable_id(link or origin, entry.get("id") or index, length=16)
        content = ""
        if entry.get("content"):
            content = entry["content"][0].get("value", "")
        content = content or entry.get("summary", "")
        title = entry.get("title")
        meta = {
            "title": title,
            "published": entry.get("published") or entry.get("updated"),
            "url": link,
            "source": parsed.feed.get("title"),
        }
        if not content.strip():
            if parsed.bozo:
                reason = f"broken feed entry: {getattr(parsed, 'bozo_exception', 'malformed XML')}"
                yield _error_doc(doc_id, origin, "error:invalid-feed", reason, "feed")
            else:
                yield _error_doc(doc_id, origin, "skipped:empty", "feed entry without content", "feed")
            continue
        if "<" in content:
            doc = html_to_document(f"<html><body><article>{content}</article></body></html>", doc_id, origin, meta)
            if doc.status != "ok" and title:
                doc = Document(doc_id=doc_id, text=f"{title}\n\n{content}", path=origin, **meta)
        else:
            doc = Document(doc_id=doc_id, text=f"{title}\n\n{content}" if title else content, path=origin, **meta)
        doc.fmt = "feed"
        yield doc


def fetch_url(url: str, timeout: float = FETCH_TIMEOUT) -> Iterator[Document]:
    """A feed or page over HTTP(S); network failures and timeouts become error documents."""
    doc_id = stable_id(url, length=16)
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "veille/0.1"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
            ctype = response.headers.get("Content-Type", "")
    except Exception as exc:  # network errors of every kind end the same way: recorded
        yield _error_doc(doc_id, url, "error:fetch", f"{type(exc).__name__}: {exc}", "url")
        return
    if len(data) > MAX_BYTES:
        yield _error_doc(doc_id, url, "error:too-large", f"more than {MAX_BYTES} bytes", "url")
        return
    head = data[:500].lower()
    if "xml" in ctype or b"<rss" in head or b"<feed" in head:
        yield from read_feed_bytes(data, url)
        return
    try:
        text, _ = decode_bytes(data)
    except DecodeError as exc:
        yield _error_doc(doc_id, url, "error:binary", str(exc), "url")
        return
    yield html_to_document(text, doc_id, url, {"url": url})


def _guarded(docs: Iterator[Document], origin: str) -> Iterator[Document]:
    """A reader's documents; a failure it did not foresee (an I/O error, a parser bug) is recorded as
    ``error:unreadable`` instead of ending the run. Documents it gave before failing are kept."""
    try:
        yield from docs
    except Exception as exc:
        doc_id = f"{Path(origin).stem}-{stable_id(origin, 'unreadable', length=8)}"
        yield _error_doc(doc_id, origin, "error:unreadable", f"{type(exc).__name__}: {exc}")


def read_inputs(inputs: list[str]) -> Iterator[Document]:
    """Every document of every input, in a stable order."""
    for item in inputs:
        if item.startswith(("http://", "https://")):
            yield from _guarded(fetch_url(item), item)
            continue
        path = Path(item)
        if path.is_dir():
            meta = _read_meta(path)
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED and child.name != "meta.jsonl":
                    yield from _guarded(read_file(child, meta.get(child.name)), str(child))
        elif path.is_file():
            yield from _guarded(read_file(path, _read_meta(path.parent).get(path.name)), str(path))
        else:
            yield _error_doc(stable_id(item, length=16), item, "error:not-found", f"no such file or folder: {item}")
