"""Reading every kind of input, and recording the broken ones with a reason."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from veille import ingest
from veille.ingest import decode_bytes, read_inputs

FRENCH = "La France et l'Allemagne ont condamné lundi les essais de missiles de la Corée du Nord."


def docs_of(*paths: Path | str):
    return list(read_inputs([str(p) for p in paths]))


def test_text_file_with_meta(tmp_path: Path):
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "meta.jsonl").write_text(json.dumps({"doc_id": "doc-a", "file": "a.txt", "published": "2025-03-04",
                                                     "source": "test"}) + "\n", encoding="utf-8")
    [doc] = docs_of(tmp_path)
    assert (doc.doc_id, doc.published, doc.status, doc.text) == ("doc-a", "2025-03-04", "ok", FRENCH)


def test_ids_are_stable_without_meta(tmp_path: Path):
    (tmp_path / "b.txt").write_text(FRENCH, encoding="utf-8")
    assert docs_of(tmp_path)[0].doc_id == docs_of(tmp_path)[0].doc_id


def test_empty_and_binary_files_are_recorded(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "archive.txt").write_bytes(gzip.compress(FRENCH.encode()))
    statuses = {Path(d.path).name: (d.status, d.reason) for d in docs_of(tmp_path)}
    assert statuses["empty.txt"][0] == "skipped:empty"
    assert statuses["blank.txt"][0] == "skipped:empty"
    assert statuses["image.txt"] == ("error:binary", "binary content (png image)")
    assert statuses["archive.txt"] == ("error:binary", "binary content (gzip archive)")


def test_legacy_encodings_are_decoded():
    text = "Le ministre a déclaré à l'AFP qu'il était prêt à négocier."
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")
    assert decode_bytes(text.encode("utf-16")) == (text, "utf-16")
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")


def test_too_large_file_is_recorded(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_BYTES", 100)
    (tmp_path / "big.txt").write_text(FRENCH * 10, encoding="utf-8")
    [doc] = docs_of(tmp_path / "big.txt")
    assert doc.status == "error:too-large"


def test_jsonl_with_broken_and_incomplete_lines(tmp_path: Path):
    lines = [json.dumps({"id": "j1", "text": FRENCH, "published": "2025-01-02"}), "{not json",
             json.dumps({"id": "j3", "title": "sans texte"}), "",
             json.dumps({"id": "j4", "html": f"<html><body><article><p>{FRENCH}</p></article></body></html>"})]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    docs = {d.doc_id: d for d in docs_of(path)}
    assert docs["j1"].status == "ok" and docs["j1"].published == "2025-01-02"
    assert docs["in-line2"].status == "error:invalid-json"
    assert docs["j3"].status == "error:missing-text"
    assert docs["j4"].status == "ok" and "Corée du Nord" in docs["j4"].text


def test_html_file_goes_through_trafilatura(tmp_path: Path):
    html = ("<html><head><title>Essais nord-coréens</title></head><body><nav>Accueil | Monde</nav>"
            f"<article><h1>Essais nord-coréens</h1><p>{FRENCH}</p><p>{FRENCH.replace('lundi', 'mardi')}</p>"
            "</article><footer>Mentions légales</footer></body></html>")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    [doc] = docs_of(tmp_path / "page.html")
    assert doc.status == "ok" and doc.fmt == "html"
    assert "Mentions légales" not in doc.text and "Corée du Nord" in doc.text


def test_truncated_html_is_recorded_not_fatal(tmp_path: Path):
    (tmp_path / "cut.html").write_text("<html><body><div><p", encoding="utf-8")
    [doc] = docs_of(tmp_path / "cut.html")
    assert doc.status in {"skipped:empty", "ok"}
    assert doc.reason or doc.status == "ok"


def test_rss_feed(tmp_path: Path):
    rss = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Flux</title>"
           f"<item><title>Essais</title><link>http://example.org/1</link><description>{FRENCH}</description></item>"
           f"<item><title>Vide</title><link>http://example.org/2</link><description></description></item>"
           "</channel></rss>")
    (tmp_path / "feed.xml").write_text(rss, encoding="utf-8")
    docs = docs_of(tmp_path / "feed.xml")
    assert [d.status for d in docs] == ["ok", "skipped:empty"]
    assert docs[0].url == "http://example.org/1" and docs[0].source == "Flux"


def test_broken_feed_and_missing_path(tmp_path: Path):
    (tmp_path / "broken.xml").write_text("<rss><channel><item>", encoding="utf-8")
    [doc] = docs_of(tmp_path / "broken.xml")
    assert doc.status == "error:invalid-feed"
    [missing] = docs_of(tmp_path / "nope")
    assert missing.status == "error:not-found"


def test_unreachable_feed_url_times_out_cleanly():
    [doc] = list(ingest.fetch_url("http://127.0.0.1:9/feed.xml", timeout=2))
    assert doc.status == "error:fetch"
