"""REST API over a real SQLite database filled with hand-made events (no NLP model, so fast).

The fixture's texts are written so that every span is found by ``str.find``: the events look
like the pipeline's, with document offsets for the evidence, actors and trigger.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from veille.api import create_app, is_loopback, serve
from veille.api.schemas import MAX_PAGE, Modality
from veille.models import MODALITIES, Actor, Document, Event, Quantity, Source
from veille.store import Store

XSS = "<script>window.__xss=1</script>"
TEXTS = {
    "lemonde-1": (
        "Le Monde", "2025-02-24",
        "La Russie a accusé l'Ukraine de saboter les pourparlers. "
        "Selon Reuters, Moscou a proposé aux États-Unis un accord sur les terres rares. "
        "Le Kremlin a menacé Kiev de nouvelles frappes."),
    "echos-2": (
        "Les Echos", "2025-02-26",
        "Washington a salué l'offre russe sur les terres rares. "
        "Pékin a signé avec Bruxelles un contrat de 2 millions de tonnes d'aluminium."),
    "feed/item-3": (
        "Le Figaro", "2025-03-10",
        "L'armée russe a bombardé Kharkiv. Le gouvernement ukrainien n'a pas condamné Minsk."),
    "xss-4": (
        "Évil <b>Média</b>", "2025-03-11",
        f"Titre {XSS} : la France a critiqué l'Allemagne {XSS} hier."),
}


def actor(text: str, doc_text: str, code: str, name: str | None = None, after: int = 0) -> Actor:
    start = doc_text.index(text, after)
    return Actor(text=text, name=name or text, code=code, country=code[:3], span=(start, start + len(text)),
                 rule=f"test:{code}")


def make_event(doc_id: str, sentence: int, a1: tuple[str, str], trigger: str, a2: tuple[str, str] | None,
               cameo: str, quad: int, goldstein: float, date: str, *, modality: str = "asserted",
               via: tuple[str, ...] = (), commodities: tuple[str, ...] = (),
               quantities: tuple[Quantity, ...] = (), name1: str | None = None) -> Event:
    """An event whose spans point into the fixture document's text."""
    text = TEXTS[doc_id][2]
    sentences, pos = [], 0
    for chunk in text.split(". "):
        sentences.append((pos, pos + len(chunk) + (0 if pos + len(chunk) >= len(text) else 1)))
        pos += len(chunk) + 2
    s_start, s_end = sentences[sentence]
    first = actor(a1[0], text, a1[1], name1, s_start)
    trig_start = text.index(trigger, s_start)
    second = actor(a2[0], text, a2[1], after=s_start) if a2 else None
    ev = Event(doc_id=doc_id, sentence_index=sentence, evidence=text[s_start:s_end], evidence_span=(s_start, s_end),
               trigger=trigger, trigger_span=(trig_start, trig_start + len(trigger)), actor1=first, actor2=second,
               cameo=cameo, plover="X", goldstein=goldstein, quad_class=quad, modality=modality,
               source=Source(via=list(via)), commodities=list(commodities), quantities=list(quantities), date=date,
               date_precision="day", date_basis="publication", rule=f"test.{cameo}", confidence=0.8)
    ev.compute_id()
    return ev


def fixture_events() -> dict[str, list[Event]]:
    alu = Quantity(value=2_000_000, unit="t", text="2 millions de tonnes", commodity="aluminium")
    out = {
        "lemonde-1": [
            make_event("lemonde-1", 0, ("Russie", "RUS"), "accusé", ("Ukraine", "UKR"), "112", 3, -2.0, "2025-02-24"),
            make_event("lemonde-1", 1, ("Moscou", "RUSGOV"), "proposé", ("États-Unis", "USA"), "0311", 1, 5.2,
                       "2025-02-24", via=("Reuters",), commodities=("terres rares",)),
            make_event("lemonde-1", 2, ("Kremlin", "RUSGOV"), "menacé", ("Kiev", "UKRGOV"), "138", 3, -7.0,
                       "2025-02-24", modality="future"),
        ],
        "echos-2": [
            make_event("echos-2", 0, ("Washington", "USAGOV"), "salué", None, "051", 1, 3.4, "2025-02-26",
                       commodities=("terres rares",)),
            make_event("echos-2", 1, ("Pékin", "CHNGOV"), "signé", ("Bruxelles", "EUR"), "057", 1, 8.0, "2025-02-26",
                       commodities=("aluminium",), quantities=(alu,)),
        ],
        "feed/item-3": [
            make_event("feed/item-3", 0, ("armée russe", "RUSMIL"), "bombardé", ("Kharkiv", "UKR"), "195", 4, -10.0,
                       "2025-03-10", via=('agence "Ukrinform"',)),
            make_event("feed/item-3", 1, ("gouvernement ukrainien", "UKRGOV"), "condamné", ("Minsk", "BLRGOV"),
                       "111", 3, -2.0, "2025-03-10", modality="negated"),
        ],
        "xss-4": [
            make_event("xss-4", 0, ("France", "FRA"), "critiqué", ("Allemagne", "DEU"), "111", 3, -2.0, "2025-03-11",
                       name1='<img src=x onerror="window.__xss=2">'),
        ],
    }
    # groups as veille.group makes them: the two Russia-US cooperation mentions share one
    out["lemonde-1"][1].group_id = "gRUSUSA03"
    out["echos-2"][0].group_id = "gRUSUSA03"
    for doc_id, evs in out.items():
        for n, ev in enumerate(evs):
            ev.group_id = ev.group_id or f"g{doc_id.replace('/', '')}{n}"
    return out


def fill(db: str) -> dict[str, list[Event]]:
    store = Store(db)
    events = fixture_events()
    for doc_id, (source, published, text) in TEXTS.items():
        title = f"Titre {XSS}" if doc_id == "xss-4" else f"Article {doc_id}"
        store.save(Document(doc_id=doc_id, text=text, title=title, published=published, source=source),
                   events[doc_id])
    store.save(Document(doc_id="empty-5", status="skipped:empty", reason="empty file"), [])
    store.close()
    return events


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, list[Event]]]:
    db = str(tmp_path_factory.mktemp("api") / "api.db")
    return db, fill(db)


@pytest.fixture(scope="module")
def client(filled: tuple[str, dict[str, list[Event]]]) -> Iterator[TestClient]:
    with TestClient(create_app(filled[0])) as c:
        yield c


@pytest.fixture(scope="module")
def by_id(filled: tuple[str, dict[str, list[Event]]]) -> dict[str, Event]:
    return {e.event_id: e for evs in filled[1].values() for e in evs}


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["event_id"] for item in response.json()["items"]}


def select(by_id: dict[str, Event], predicate: Any) -> set[str]:
    return {i for i, e in by_id.items() if predicate(e)}


# -- events --------------------------------------------------------------------------------
def test_list_is_the_event_record_with_links(client: TestClient, by_id: dict[str, Event]):
    body = client.get("/api/events").json()
    assert body["total"] == len(by_id) == 8
    dates = [item["date"] for item in body["items"]]
    assert dates == sorted(dates, reverse=True)
    first = body["items"][0]
    expected = by_id[first["event_id"]].to_dict()
    assert {k: first[k] for k in expected} == expected
    assert first["links"]["html"] == f"/events/{first['event_id']}"
    assert first["links"]["document"].startswith("/api/documents/")


@pytest.mark.parametrize(("params", "predicate"), [
    ({"actor": "RUS"}, lambda e: any(a and a.code.startswith("RUS") for a in (e.actor1, e.actor2))),
    ({"actor": "rusgov"}, lambda e: any(a and a.code == "RUSGOV" for a in (e.actor1, e.actor2))),
    ({"actor1": "UKR"}, lambda e: e.actor1.code.startswith("UKR")),
    ({"actor2": "UKR"}, lambda e: e.actor2 is not None and e.actor2.code.startswith("UKR")),
    ({"country": "ukr"}, lambda e: any(a and a.country == "UKR" for a in (e.actor1, e.actor2))),
    ({"code": "11"}, lambda e: e.cameo.startswith("11")),
    ({"code": "0311"}, lambda e: e.cameo == "0311"),
    ({"root": "19"}, lambda e: e.cameo_root == "19"),
    ({"quad_class": 3}, lambda e: e.quad_class == 3),
    ({"modality": "negated"}, lambda e: e.modality == "negated"),
    ({"via": "reuters"}, lambda e: "Reuters" in e.source.via),
    ({"via": 'AGENCE "ukrinform"'}, lambda e: 'agence "Ukrinform"' in e.source.via),  # JSON-escaped in the record
    ({"outlet": "echos"}, lambda e: e.doc_id == "echos-2"),
    ({"commodity": "terres rares"}, lambda e: "terres rares" in e.commodities),
    ({"commodity": "alu"}, lambda e: "aluminium" in e.commodities),
    ({"since": "2025-02-25", "until": "2025-03-10"}, lambda e: "2025-02-25" <= e.date <= "2025-03-10"),
    ({"doc": "feed/item-3"}, lambda e: e.doc_id == "feed/item-3"),
    ({"group": "gRUSUSA03"}, lambda e: e.group_id == "gRUSUSA03"),
    ({"q": "terres rares"}, lambda e: "terres rares" in e.evidence),
    ({"q": "<script>"}, lambda e: "<script>" in e.evidence),
    ({"actor": "RUS", "quad_class": 3, "since": "2025-02-24"}, lambda e: e.quad_class == 3 and e.doc_id == "lemonde-1"),
])
def test_filters(client: TestClient, by_id: dict[str, Event], params: dict[str, Any], predicate: Any):
    expected = select(by_id, predicate)
    assert expected, "each filter case should select something"
    response = client.get("/api/events", params=params)
    assert ids(response) == expected
    assert response.json()["total"] == len(expected)


def test_blank_parameters_count_as_absent(client: TestClient, by_id: dict[str, Event]):
    assert len(ids(client.get("/api/events", params={"actor": "", "since": "", "q": " "}))) == len(by_id)


def test_pagination_covers_everything_once(client: TestClient, by_id: dict[str, Event]):
    seen: list[str] = []
    url: str | None = "/api/events?limit=2&sort=code"
    while url:
        body = client.get(url).json()
        assert len(body["items"]) <= 2
        seen += [item["event_id"] for item in body["items"]]
        url = body["next"]
    assert sorted(seen) == sorted(by_id) and len(seen) == len(set(seen))
    beyond = client.get("/api/events", params={"offset": 100}).json()
    assert beyond["items"] == [] and beyond["total"] == len(by_id) and beyond["next"] is None


def test_sorting(client: TestClient):
    values = [i["goldstein"] for i in client.get("/api/events", params={"sort": "goldstein"}).json()["items"]]
    assert values == sorted(values)
    codes = [i["cameo"] for i in client.get("/api/events", params={"sort": "-code"}).json()["items"]]
    assert codes == sorted(codes, reverse=True)


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": MAX_PAGE + 1}, {"limit": 10**9}, {"offset": -1}, {"limit": "many"},
    {"since": "2025-13-01"}, {"since": "hier"}, {"until": "2025-02-30"}, {"since": "20250224"},
    {"since": "2025-03-01", "until": "2025-02-01"}, {"quad_class": 5}, {"root": "21"}, {"code": "3a"},
    {"modality": "maybe"}, {"sort": "event_id; DROP TABLE events"}, {"acteur": "RUS"}, {"q": "x" * 201},
])
def test_invalid_parameters_are_422(client: TestClient, params: dict[str, Any]):
    response = client.get("/api/events", params=params)
    assert response.status_code == 422, params
    assert response.json()["message"]


def test_event_detail(client: TestClient, filled: tuple[str, dict[str, list[Event]]]):
    ev = filled[1]["lemonde-1"][1]
    body = client.get(f"/api/events/{ev.event_id}").json()
    assert body["event"]["evidence"] == ev.evidence and body["event"]["rule"] == ev.rule
    assert body["document"]["doc_id"] == "lemonde-1" and body["document"]["source"] == "Le Monde"
    assert body["group"]["num_mentions"] == 2 and body["group"]["num_articles"] == 2
    assert client.get("/api/events/ffffffffffffffff").status_code == 404
    assert client.get("/api/events/not%20an%20id").status_code == 422


# -- groups, stories, actors, statistics -----------------------------------------------------
def test_groups(client: TestClient):
    body = client.get("/api/groups").json()
    assert body["total"] == 7
    top = body["items"][0]
    assert top["group_id"] == "gRUSUSA03" and top["num_mentions"] == 2 and top["num_sources"] == 2
    detail = client.get("/api/groups/gRUSUSA03").json()
    assert {m["document"]["source"] for m in detail["mentions"]} == {"Le Monde", "Les Echos"}
    assert client.get("/api/groups/gnothing").status_code == 404
    assert client.get("/api/groups", params={"actor": "CHN"}).json()["total"] == 1


def test_stories_cluster_groups_by_country_pair(client: TestClient):
    stories = client.get("/api/stories", params={"min_groups": 1}).json()
    pairs = {tuple(s["countries"]): s for s in stories}
    assert pairs[("RUS", "UKR")]["num_groups"] == 3
    assert pairs[("RUS", "UKR")]["events"] == 3
    assert all(s["story_id"].startswith("s") for s in stories)
    assert [s["countries"] for s in client.get("/api/stories").json()] == [["RUS", "UKR"]]


def test_actors(client: TestClient):
    body = client.get("/api/actors").json()
    rows = {a["code"]: a for a in body["items"]}
    assert rows["RUSGOV"]["count"] == 2 and rows["RUSGOV"]["as_actor1"] == 2
    assert set(rows["RUSGOV"]["examples"]) == {"Moscou", "Kremlin"}
    assert rows["UKR"]["count"] == 2 and rows["UKR"]["as_actor2"] == 2
    assert body["total"] == len(rows)


def test_stats(client: TestClient, by_id: dict[str, Event]):
    body = client.get("/api/stats").json()
    assert body["total"] == len(by_id)
    assert sum(d["count"] for d in body["by_day"]) == len(by_id)
    assert {(d["date"], d["quad_class"]): d["count"] for d in body["by_day"]}[("2025-02-24", 3)] == 2
    roots = {r["root"]: r for r in body["by_root"]}
    assert roots["11"]["count"] == 3 and roots["19"]["label"]
    pair = next(p for p in body["by_pair"] if (p["actor1"], p["actor2"]) == ("RUSGOV", "USA"))
    assert pair["count"] == 1 and pair["goldstein"] == pytest.approx(5.2)
    assert client.get("/api/stats", params={"country": "CHN"}).json()["total"] == 1


# -- documents -------------------------------------------------------------------------------
def test_documents(client: TestClient):
    body = client.get("/api/documents").json()
    assert body["total"] == 5
    assert "text" not in body["items"][0]
    assert [d["doc_id"] for d in client.get("/api/documents", params={"status": "skipped"}).json()["items"]] == [
        "empty-5"]
    assert client.get("/api/documents", params={"q": "echos"}).json()["total"] == 1


def test_document_text_with_event_spans(client: TestClient, filled: tuple[str, dict[str, list[Event]]]):
    body = client.get("/api/documents/feed%2Fitem-3").json()
    text = body["text"]
    assert text == TEXTS["feed/item-3"][2]
    assert len(body["events"]) == 2
    for span, ev in zip(body["events"], filled[1]["feed/item-3"], strict=True):
        assert text[slice(*span["evidence_span"])] == ev.evidence
        assert text[slice(*span["actor1_span"])] == ev.actor1.text
        assert text[slice(*span["trigger_span"])] == ev.trigger
    assert client.get("/api/documents/feed/item-3").json()["doc_id"] == "feed/item-3"


@pytest.mark.parametrize("path", [
    "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd", "/api/documents/../../../etc/passwd",
    "/api/documents/%2e%2e/%2e%2e/pyproject.toml", "/api/documents/..\\..\\pyproject.toml",
    "/static/..%2F..%2F..%2Fpyproject.toml", "/static/../../store.py", "/documents/..%2F..%2Fetc%2Fpasswd",
])
def test_path_traversal_reads_no_file(client: TestClient, path: str):
    response = client.get(path)
    assert response.status_code in (404, 422), path
    assert "root:" not in response.text and "[project]" not in response.text


def test_control_characters_in_document_id_are_422(client: TestClient):
    assert client.get("/api/documents/a%00b").status_code == 422
    assert client.get("/api/documents/" + "x" * 3000).status_code == 422
    long_url_id = "https://example.org/" + "a" * 300
    assert client.get("/api/documents/" + long_url_id.replace("/", "%2F")).status_code == 404


# -- export ----------------------------------------------------------------------------------
def test_export_jsonl_is_the_filtered_selection(client: TestClient, by_id: dict[str, Event]):
    response = client.get("/api/export", params={"format": "jsonl", "actor": "RUS"})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in response.text.splitlines()]
    assert {r["event_id"] for r in records} == select(
        by_id, lambda e: any(a and a.code.startswith("RUS") for a in (e.actor1, e.actor2)))
    assert all(r == by_id[r["event_id"]].to_dict() for r in records)


def test_export_tsv_numbers_the_whole_file(client: TestClient, by_id: dict[str, Event]):
    response = client.get("/api/export", params={"format": "tsv", "sort": "code"})
    rows = list(csv.DictReader(io.StringIO(response.text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == len(by_id)
    assert [r["GLOBALEVENTID"] for r in rows] == [str(n) for n in range(1, len(by_id) + 1)]
    assert rows[0]["EventCode"] == "0311" and rows[0]["Actor1Code"] == "RUSGOV"


def test_export_parquet_keeps_codes_as_strings(client: TestClient, tmp_path: Path):
    import pyarrow.parquet as pq

    response = client.get("/api/export", params={"format": "parquet", "code": "03"})
    assert response.status_code == 200
    path = tmp_path / "out.parquet"
    path.write_bytes(response.content)
    table = pq.read_table(path)
    assert table.column("EventCode").to_pylist() == ["0311"]


def test_export_validates_its_format(client: TestClient):
    assert client.get("/api/export", params={"format": "csv"}).status_code == 422
    assert client.get("/api/export", params={"format": "jsonl", "limit": 10**8}).status_code == 422


# -- hostile input -----------------------------------------------------------------------------
INJECTIONS = ["' OR 1=1 --", "\" OR \"\"=\"", "1; DROP TABLE events; --", "%' OR '%'='", "%", "_",
              "RUS' UNION SELECT record FROM events --", "') OR ('a'='a", "\\", "*/ OR 1=1 /*"]
FILTERS = ["actor", "actor1", "actor2", "country", "code", "root", "quad_class", "modality", "via", "outlet",
           "commodity", "since", "until", "doc", "group", "q", "sort", "limit", "offset"]


@pytest.mark.parametrize("name", FILTERS)
def test_sql_injection_is_harmless(client: TestClient, by_id: dict[str, Event], name: str):
    for payload in INJECTIONS:
        for path in ("/api/events", "/api/stats", "/api/groups", "/api/actors", "/api/export"):
            response = client.get(path, params={name: payload})
            assert response.status_code in (200, 422), (path, name, payload, response.text)
            if response.status_code == 200 and path == "/api/events":
                # only literal matches: '%' and '_' are characters here, not wildcards
                items = response.json()["items"]
                assert all(name == "q" and payload in i["evidence"] for i in items), (name, payload)
            if response.status_code == 200 and path == "/api/export" and name != "q":
                assert response.text == "", (name, payload)
    assert client.get("/api/events").json()["total"] == len(by_id)
    assert client.get("/api/documents").json()["total"] == 5


def test_injection_in_paths_is_harmless(client: TestClient, by_id: dict[str, Event]):
    assert client.get("/api/documents/x' OR '1'='1").status_code == 404
    assert client.get("/api/events/x' OR '1'='1").status_code == 422
    assert client.get("/api/groups/g' OR 1=1 --").status_code == 422
    assert client.get("/api/events").json()["total"] == len(by_id)


# -- writing ---------------------------------------------------------------------------------
ARTICLE = {"id": "api-test-1", "published": "2025-03-06", "source": "Test",
           "text": "La Russie a signé jeudi un accord avec la Chine sur les terres rares."}


def test_post_is_403_without_allow_ingest(client: TestClient):
    for body in (ARTICLE, {"nonsense": True}):
        response = client.post("/api/documents", json=body)
        assert response.status_code == 403
        assert "--allow-ingest" in response.json()["detail"]
    assert client.delete("/api/events/ffffffffffffffff").status_code == 403
    assert client.get("/api/documents/api-test-1").status_code == 404


def test_token_is_checked_before_anything(tmp_path: Path):
    with TestClient(create_app(str(tmp_path / "t.db"), allow_ingest=True, token="s3cret")) as c:
        assert c.post("/api/documents", json=ARTICLE).status_code == 401
        assert c.post("/api/documents", json=ARTICLE, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.post("/api/documents", json=ARTICLE, headers={"Authorization": "Basic s3cret"}).status_code == 401
        response = c.post("/api/documents", json={"id": "x"}, headers={"Authorization": "Bearer s3cret"})
        assert response.status_code == 422  # past the guard, stopped by validation


def test_request_bodies_are_limited(tmp_path: Path):
    with TestClient(create_app(str(tmp_path / "t.db"), allow_ingest=True)) as c:
        huge = {"id": "big", "text": "mot " * 400_000}
        assert c.post("/api/documents", json=huge).status_code == 413

        def chunks():  # no Content-Length: the limit still holds while reading
            for _ in range(300):
                yield b"x" * 10_000

        assert c.post("/api/documents", content=chunks(), headers={"Content-Type": "application/json"}
                      ).status_code == 413


@pytest.mark.parametrize("body", [
    {}, {"id": "x"}, {"text": "   "}, {"text": "a", "html": "<p>a</p>"}, {"text": "a", "unknown": 1},
    {"id": "bad\u0000id", "text": "Bonjour"}, {"text": "a" * 200_001}, ["not", "an", "object"],
])
def test_ingest_validates_the_body(tmp_path: Path, body: Any):
    with TestClient(create_app(str(tmp_path / "t.db"), allow_ingest=True)) as c:
        assert c.post("/api/documents", json=body).status_code in (413, 422)


@pytest.mark.slow
def test_ingest_runs_the_pipeline(tmp_path: Path):
    with TestClient(create_app(str(tmp_path / "t.db"), allow_ingest=True)) as c:
        response = c.post("/api/documents", json=ARTICLE)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["doc_id"] == "api-test-1" and body["status"] == "ok"
        codes = {(e["actor1"]["code"], e["cameo"], e["actor2"]["code"]) for e in body["events"]}
        assert ("RUS", "057", "CHN") in codes
        assert c.get("/api/events", params={"doc": "api-test-1"}).json()["total"] == len(body["events"])
        html = {"html": "<html><body><article><p>" + ARTICLE["text"] + "</p><p>La Chine a salué cet accord avec "
                "la Russie, a indiqué le ministère chinois des Affaires étrangères.</p></article></body></html>"}
        response = c.post("/api/documents", json=html)
        assert response.status_code == 201 and response.json()["doc_id"].startswith("api-")


def test_serve_refuses_public_ingestion_without_token(tmp_path: Path):
    with pytest.raises(SystemExit, match="token"):
        serve(str(tmp_path / "t.db"), host="0.0.0.0", allow_ingest=True)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")


# -- the rest --------------------------------------------------------------------------------
def test_empty_database(tmp_path: Path):
    with TestClient(create_app(str(tmp_path / "empty.db"))) as c:
        assert c.get("/api/events").json() == {"total": 0, "limit": 50, "offset": 0, "next": None, "items": []}
        assert c.get("/api/stats").json() == {"total": 0, "by_day": [], "by_root": [], "by_pair": []}
        for path in ("/api/groups", "/api/actors", "/api/documents"):
            assert c.get(path).json()["items"] == []
        assert c.get("/api/stories").json() == []
        assert c.get("/api/export").text == ""
        assert c.get("/api/health").json() == {"documents": 0, "events": 0, "allow_ingest": False}


def test_openapi_and_docs_need_no_cdn(client: TestClient):
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/export", "/api/stats", "/api/documents/{doc_id}"} <= set(spec["paths"])
    page = client.get("/docs")
    assert page.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_security_headers(client: TestClient):
    headers = client.get("/api/events").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff"


def test_modalities_match_the_model():
    assert set(Modality.__args__) == set(MODALITIES)


def test_api_over_the_seeds_filled_by_the_pipeline(tmp_path: Path, shared: Path):
    """The real path: the pipeline fills SQLite from the shared samples, the API serves what it stored."""
    from veille.pipeline import run
    from veille.store import Store

    db = str(tmp_path / "seeds.db")
    store = Store(db)
    run([str(shared / "samples" / "seeds")], store)
    stored = {e.event_id: e for e in store.iter_events()}
    store.close()
    assert stored
    with TestClient(create_app(db)) as c:
        listed = c.get("/api/events", params={"limit": 200}).json()
        assert {item["event_id"] for item in listed["items"]} == set(stored)
        russian = c.get("/api/events", params={"country": "RUS", "limit": 200}).json()["items"]
        assert russian and all("RUS" in {(i["actor1"] or {}).get("country"), (i["actor2"] or {}).get("country")}
                               for i in russian)
        one = next(iter(stored.values()))
        detail = c.get(f"/api/events/{one.event_id}").json()
        assert detail["event"]["evidence"] == one.evidence and detail["event"]["rule"] == one.rule
        docs = c.get("/api/documents").json()["items"]
        assert {d["doc_id"] for d in docs} == {e.doc_id for e in stored.values()}
