"""The web explorer: pages rendered by the server, then driven in a real headless Chromium.

The browser test needs Debian's chromium at /usr/bin/chromium (``make setup`` installs it with
apt-get); Playwright only drives it, its own browser download is never used. Screenshots go to
tests/artifacts/, which ignores itself.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from test_api import XSS, fill
from veille.api import create_app
from veille.api.web import Span, markup_spans, timeline_chart
from veille.models import Event

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, list[Event]]]:
    db = str(tmp_path_factory.mktemp("web") / "web.db")
    return db, fill(db)


@pytest.fixture(scope="module")
def client(filled: tuple[str, dict[str, list[Event]]]) -> Iterator[TestClient]:
    with TestClient(create_app(filled[0])) as c:
        yield c


@pytest.fixture(scope="module")
def events(filled: tuple[str, dict[str, list[Event]]]) -> dict[str, list[Event]]:
    return filled[1]


# -- pages rendered by the server ----------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/events", "/timeline", "/network", "/resources", "/documents",
                                  "/documents/lemonde-1", "/documents/feed%2Fitem-3", "/docs"])
def test_pages_render(client: TestClient, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "cdn" not in response.text.lower()


def test_french_by_default_english_on_request(client: TestClient):
    fr = client.get("/events").text
    assert '<html lang="fr">' in fr and "Événements" in fr and "Conflit verbal" in fr
    en = client.get("/events?lang=en").text
    assert '<html lang="en">' in en and "Verbal conflict" in en and "Actor network" in en
    assert 'href="/timeline?lang=en"' in en  # links keep the language
    assert client.get("/events?lang=xx").text.startswith("<!doctype html>\n<html lang=\"fr\">")


def test_event_table_highlights_actors_and_trigger(client: TestClient):
    page = client.get("/events", params={"actor": "RUSGOV", "code": "138"}).text
    assert re.search(r'<mark class="hl hl-a1"[^>]*>Kremlin</mark>', page)
    assert re.search(r'<mark class="hl hl-trigger"[^>]*>menacé</mark>', page)
    assert re.search(r'<mark class="hl hl-a2"[^>]*>Kiev</mark>', page)
    assert "1 événement<" in page


def test_event_page_lists_every_mention_of_its_group(client: TestClient, events: dict[str, list[Event]]):
    ev = events["lemonde-1"][1]
    page = client.get(f"/events/{ev.event_id}").text
    assert "Le Monde" in page and "Les Echos" in page
    assert f'/events/{events["echos-2"][0].event_id}' in page
    assert ev.rule in page and "2 mentions · 2 articles · 2 sources" in page


def test_document_page_marks_every_event(client: TestClient, events: dict[str, list[Event]]):
    page = client.get("/documents/feed%2Fitem-3").text
    for ev in events["feed/item-3"]:
        assert f'<a href="/events/{ev.event_id}" class="ev' in page
    assert re.search(r'class="ev hl hl-a1 q4"[^>]*>armée russe</a>', page)


def test_stored_markup_is_shown_as_text(client: TestClient, events: dict[str, list[Event]]):
    xss_event = events["xss-4"][0].event_id
    for path in ("/documents/xss-4", "/events", f"/events/{xss_event}", "/documents", "/resources",
                 "/events?q=%3Cscript%3E", "/network"):
        page = client.get(path).text
        assert "<script>window" not in page and "<img src=x" not in page, path
    page = client.get("/documents/xss-4").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert XSS in unescape(page)


def test_timeline_links_each_bar_to_its_events(client: TestClient):
    page = client.get("/timeline").text
    assert '<svg id="timeline"' in page
    assert unescape('href="/events?since=2025-02-24&amp;until=2025-02-24&amp;quad_class=3"') in unescape(page)
    assert "par jour" in page


def test_timeline_groups_long_spans_by_week_and_month():
    class FakePage:
        def link(self, path: str, **params: Any) -> str:
            return path

        def quad(self, quad: int | None) -> str:
            return str(quad)

    rows = [{"date": "2024-01-03", "quad_class": 1, "count": 2}, {"date": "2024-06-30", "quad_class": 4, "count": 1},
            {"date": "2024-07-01", "quad_class": 4, "count": 3}, {"date": "not a date", "quad_class": 1, "count": 9}]
    chart = timeline_chart(FakePage(), rows, {})  # type: ignore[arg-type]
    assert chart is not None and chart["unit"] == "week"
    assert sum(s["count"] for bar in chart["bars"] for s in bar) == 6
    assert max(t["value"] for t in chart["ticks"]) == 3  # 2024-06-30 (Sunday) and 07-01 are different weeks
    rows.append({"date": "2028-01-01", "quad_class": 2, "count": 1})
    assert timeline_chart(FakePage(), rows, {})["unit"] == "month"  # type: ignore[arg-type, index]
    assert timeline_chart(FakePage(), [], {}) is None  # type: ignore[arg-type]


def test_network_data_and_links(client: TestClient):
    page = client.get("/network").text
    data = json.loads(unescape(re.search(r'<script type="application/json" id="network-data">(.*?)</script>',
                                         page, re.S).group(1)))
    codes = [n["id"] for n in data["nodes"]]
    assert "RUSGOV" in codes and "UKR" in codes
    edge = next(e for e in data["edges"] if (codes[e["source"]], codes[e["target"]]) == ("RUSMIL", "UKR"))
    assert edge["count"] == 1 and edge["goldstein"] == -10.0 and edge["href"] == "/events?actor1=RUSMIL&actor2=UKR"
    assert client.get("/network", params={"quad_class": 1}).text.count('class="code"') < page.count('class="code"')


def test_resource_deals(client: TestClient):
    page = client.get("/resources").text
    assert "terres rares" in page and "aluminium" in page
    assert page.count("<tr class=") == 3  # the three events about a commodity
    page = client.get("/resources", params={"commodity": "aluminium"}).text
    assert page.count("<tr class=") == 1 and "2 millions de tonnes" in page


def test_first_run_page(tmp_path: Path):
    with TestClient(create_app(str(tmp_path / "empty.db"), allow_ingest=True)) as c:
        page = c.get("/").text
        assert "veille run articles/ --db veille.db" in page and "veille serve --db veille.db" in page
        assert "/api/documents" in page  # ingestion is on: the page says how to post
        assert "Aucun événement" in c.get("/events").text
        assert "Welcome to veille" in c.get("/?lang=en").text
        for path in ("/timeline", "/network", "/resources", "/documents", "/docs", "/events?lang=en"):
            assert c.get(path).status_code == 200, path


def test_errors_are_pages(client: TestClient):
    response = client.get("/events", params={"since": "demain"})
    assert response.status_code == 422 and "YYYY-MM-DD" in response.text and "<html" in response.text
    assert client.get("/events/ffffffffffffffff").status_code == 404
    assert client.get("/documents/nothing-here").status_code == 404
    assert client.get("/nowhere").status_code == 404
    assert client.get("/groups/gRUSUSA03", follow_redirects=False).status_code == 307


def test_markup_spans_escapes_and_nests():
    text = "a <b> c & d"
    spans = [Span(2, 5, "x", None, 't"t'), Span(0, 11, "y", "/e?a=1&b=2"), Span(50, 60, "z"), Span(7, 7, "w")]
    out = str(markup_spans(text, 0, spans))
    assert out == ('<a href="/e?a=1&amp;b=2" class="y">a </a><a href="/e?a=1&amp;b=2" class="x y" title="t&#34;t">'
                   '&lt;b&gt;</a><a href="/e?a=1&amp;b=2" class="y"> c &amp; d</a>')
    assert str(markup_spans("abc", 10, [Span(11, 12, "m")])) == 'a<mark class="m">b</mark>c'
    assert str(markup_spans("<i>", 0, [])) == "&lt;i&gt;"


# -- a real browser ------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(filled: tuple[str, dict[str, list[Event]]]) -> Iterator[str]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(filled[0]), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser_page(live_server: str) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("needs Debian's chromium at /usr/bin/chromium (make setup installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        page.problems = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: page.problems.append(f"script error: {exc}"))
        page.on("request", lambda req: req.url.startswith((live_server, "data:", "about:"))
                or page.problems.append(f"request outside the app: {req.url}"))
        yield page
        browser.close()


def test_browser_filters_highlights_and_opens_an_event(browser_page: Any, live_server: str):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server}/events")
    expect(page.locator("table.events tbody tr")).to_have_count(8)
    page.screenshot(path=str(ARTIFACTS / "events.png"), full_page=True)

    page.click('a[data-filter="quad_class"][data-value="3"]')  # a filter chip: verbal conflict
    page.wait_for_url(re.compile(r"quad_class=3"))
    expect(page.locator("table.events tbody tr")).to_have_count(4)

    page.click('table.events a.code:text-is("RUSGOV")')  # clicking an actor filters on it
    page.wait_for_url(re.compile(r"actor=RUSGOV"))
    row = page.locator("table.events tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("mark.hl-a1")).to_have_text("Kremlin")
    expect(row.locator("mark.hl-trigger")).to_have_text("menacé")
    expect(row.locator("mark.hl-a2")).to_have_text("Kiev")
    assert row.locator("mark.hl-trigger").evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(ARTIFACTS / "events-filtered.png"), full_page=True)

    row.locator("a.event-link").click()
    page.wait_for_url(re.compile(r"/events/[0-9a-f]{16}"))
    expect(page.locator("h1")).to_contain_text("138")
    expect(page.locator("#evidence mark.hl-trigger")).to_have_text("menacé")
    page.screenshot(path=str(ARTIFACTS / "event.png"), full_page=True)

    page.goto(f"{live_server}/events")
    page.fill('form.filters input[name="actor"]', "chn")  # the form: an actor by code
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"actor=chn"))
    expect(page.locator("table.events tbody tr")).to_have_count(1)
    expect(page.locator("table.events mark.hl-a1")).to_have_text("Pékin")
    assert page.problems == []


def test_browser_timeline_network_and_other_views(browser_page: Any, live_server: str):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server}/timeline?lang=en")
    expect(page.locator("h1")).to_contain_text("Events over time")
    page.screenshot(path=str(ARTIFACTS / "timeline.png"), full_page=True)
    page.locator("svg#timeline rect.bar.q4").first.click()
    page.wait_for_url(re.compile(r"/events\?.*quad_class=4"))
    expect(page.locator("table.events tbody tr")).to_have_count(1)

    page.goto(f"{live_server}/network")
    node = page.locator('svg#network a.node-link[data-code="RUSGOV"] circle')
    expect(node).to_have_count(1)  # drawn by network.js
    page.screenshot(path=str(ARTIFACTS / "network.png"), full_page=True)
    node.click()
    page.wait_for_url(re.compile(r"/events\?actor=RUSGOV$"))
    expect(page.locator("table.events tbody tr")).to_have_count(2)

    page.goto(f"{live_server}/resources")
    page.click('a[data-filter="commodity"]:has-text("aluminium")')
    page.wait_for_url(re.compile(r"commodity=aluminium"))
    expect(page.locator("table.events tbody tr")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "resources.png"), full_page=True)

    page.goto(f"{live_server}/documents/lemonde-1")
    expect(page.locator("#doc-text a.ev")).not_to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "document.png"), full_page=True)

    page.goto(f"{live_server}/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()  # vendored Swagger UI, no CDN
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
    assert page.problems == []


def test_browser_never_runs_stored_scripts(browser_page: Any, live_server: str, events: dict[str, list[Event]]):
    from playwright.sync_api import expect

    page = browser_page
    xss_event = events["xss-4"][0].event_id
    for path in ("/documents/xss-4", "/events?doc=xss-4", f"/events/{xss_event}", "/documents",
                 "/events?q=%3Cscript%3E", "/resources", "/network"):
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", path
    page.goto(f"{live_server}/documents/xss-4")
    expect(page.locator("#doc-text")).to_contain_text(XSS)  # shown as text
    expect(page.locator("h1")).to_have_text(f"Titre {XSS}")
    page.screenshot(path=str(ARTIFACTS / "xss-document.png"), full_page=True)
    assert page.problems == []
