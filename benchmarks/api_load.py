"""Load of the REST API on a 100k-event SQLite database: requests/s, p50 and p99 latency.

Usage: python benchmarks/api_load.py [--events 100000] [--requests 200] [--concurrency 4] [--db FILE]

Builds a database of synthetic events (stored with ``Store.save``, as the pipeline stores them),
starts ``uvicorn`` in a subprocess on 127.0.0.1 and a free port, then sends a fixed number of
requests per scenario from one or more client threads. Loopback only; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from veille.group import assign_groups
from veille.models import Actor, Document, Event, Quantity, Source
from veille.ontology import describe, event_codes
from veille.store import Store

COUNTRIES = {"RUS": "Russie", "UKR": "Ukraine", "USA": "États-Unis", "CHN": "Chine", "FRA": "France",
             "DEU": "Allemagne", "GBR": "Royaume-Uni", "IRN": "Iran", "ISR": "Israël", "PSE": "Palestine",
             "TUR": "Turquie", "IND": "Inde", "MAR": "Maroc", "DZA": "Algérie", "MLI": "Mali", "NER": "Niger",
             "BFA": "Burkina Faso", "SDN": "Soudan", "ARM": "Arménie", "AZE": "Azerbaïdjan", "SAU": "Arabie saoudite",
             "JPN": "Japon", "BRA": "Brésil", "EUR": "Union européenne", "NAT": "OTAN"}
ROLES = {"": "", "GOV": "le gouvernement de ", "MIL": "l'armée de ", "BUS": "des entreprises de ",
         "OPP": "l'opposition de ", "MED": "la presse de "}
VERBS = ["a accusé", "a rencontré", "a signé un accord avec", "a menacé", "a salué", "a critiqué", "a soutenu",
         "a sanctionné", "a négocié avec", "a proposé une aide à"]
OUTLETS = ["Le Monde", "Le Figaro", "Les Echos", "Libération", "RFI", "France 24", "L'Opinion", "Mediapart"]
VIA = ["Reuters", "AFP", "RIA Novosti", "Bloomberg", "TASS", "Xinhua"]
COMMODITIES = ["terres rares", "aluminium", "énergie", "pétrole", "gaz", "engrais", "blé", "uranium", "lithium"]
MODALITIES = ["asserted"] * 12 + ["negated", "conditional", "hypothetical", "future", "question"]
EVENTS_PER_DOC = 20


def synthetic_actor(rng: random.Random, offset: int) -> tuple[Actor, str]:
    country = rng.choice(list(COUNTRIES))
    role = rng.choice(list(ROLES))
    text = ROLES[role] + COUNTRIES[country] if role else COUNTRIES[country]
    return Actor(text=text, name=text, code=country + role, country=country, role=role or None,
                 span=(offset, offset + len(text)), rule=f"bench:{country + role}"), text


def synthetic_document(rng: random.Random, number: int, start: date) -> tuple[Document, list[Event]]:
    """One article of EVENTS_PER_DOC sentences, each coded as one event with real offsets."""
    doc_id = f"bench-{number:06d}"
    published = (start + timedelta(days=rng.randrange(730))).isoformat()
    codes = list(event_codes())
    parts: list[str] = []
    found: list[Event] = []
    position = 0
    for index in range(EVENTS_PER_DOC):
        first, first_text = synthetic_actor(rng, position)
        verb = rng.choice(VERBS)
        verb_start = position + len(first_text) + 1
        second, second_text = synthetic_actor(rng, verb_start + len(verb) + 1)
        commodity = rng.choice(COMMODITIES) if rng.random() < 0.15 else None
        tail = f" au sujet de {commodity}" if commodity else " selon des sources diplomatiques"
        sentence = f"{first_text} {verb} {second_text}{tail}."
        code = describe(rng.choice(codes))
        quantities = [Quantity(value=2e6, unit="t", text="2 millions de tonnes", commodity=commodity)] \
            if commodity and rng.random() < 0.3 else []
        event = Event(doc_id=doc_id, sentence_index=index, evidence=sentence,
                      evidence_span=(position, position + len(sentence)), trigger=verb.split()[1],
                      trigger_span=(verb_start, verb_start + len(verb)), actor1=first, actor2=second,
                      cameo=code.code, plover=code.plover, goldstein=code.goldstein, quad_class=code.quad_class,
                      modality=rng.choice(MODALITIES),
                      source=Source(via=[rng.choice(VIA)] if rng.random() < 0.1 else []),
                      quantities=quantities, commodities=[commodity] if commodity else [],
                      date=(date.fromisoformat(published) - timedelta(days=rng.randrange(3))).isoformat(),
                      date_precision="day", date_basis="publication", rule=f"bench.{code.code}",
                      confidence=round(rng.uniform(0.4, 0.95), 2))
        event.compute_id()
        found.append(event)
        parts.append(sentence)
        position += len(sentence) + 1
    assign_groups(found)
    doc = Document(doc_id=doc_id, text=" ".join(parts), title=f"Dépêche {number}", published=published,
                   source=rng.choice(OUTLETS))
    return doc, found


def build_database(path: Path, total: int, seed: int = 7) -> float:
    rng = random.Random(seed)
    store = Store(str(path))
    started = time.perf_counter()
    for number in range(total // EVENTS_PER_DOC):
        store.save(*synthetic_document(rng, number, date(2024, 1, 1)))
    store.close()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = ("import uvicorn; from veille.api import create_app; "
            f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, log_level='warning', "
            "access_log=False)")
    process = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def scenarios(rng: random.Random) -> dict[str, Any]:
    """Name → function giving the n-th request's path; parameters rotate so no two requests repeat."""
    codes = list(COUNTRIES)
    return {
        "events, first page": lambda n: "/api/events?limit=50",
        "events, page 1000 (offset)": lambda n: f"/api/events?limit=50&offset={50_000 + n}",
        "actor prefix": lambda n: f"/api/events?actor={codes[n % len(codes)]}",
        "actor1 + actor2": lambda n: f"/api/events?actor1={codes[n % len(codes)]}&actor2={codes[(n + 3) % len(codes)]}",
        "country + root": lambda n: f"/api/events?country={codes[n % len(codes)]}&root={(n % 20) + 1:02d}",
        "dates + quad class": lambda n: f"/api/events?since=2024-{(n % 12) + 1:02d}-01&until=2024-{(n % 12) + 1:02d}-28"
                                        f"&quad_class={(n % 4) + 1}",
        "modality, sort goldstein": lambda n: "/api/events?modality=negated&sort=goldstein",
        "text in evidence": lambda n: f"/api/events?q={rng.choice(['accord', 'sanctionné', 'Maroc', 'armée'])}",
        "commodity": lambda n: f"/api/events?commodity={COMMODITIES[n % len(COMMODITIES)]}",
        "via (cited outlet)": lambda n: f"/api/events?via={VIA[n % len(VIA)]}",
        "one event": None,  # filled once ids are known
        "stats (filtered)": lambda n: f"/api/stats?actor={codes[n % len(codes)]}",
        "HTML event table": lambda n: f"/events?actor={codes[n % len(codes)]}&limit=50",
    }


def measure(client: httpx.Client, base: str, make_path: Any, requests: int, concurrency: int) -> dict[str, float]:
    def one(n: int) -> float:
        started = time.perf_counter()
        response = client.get(base + make_path(n))
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{make_path(n)} answered {response.status_code}: {response.text[:200]}")
        return elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = sorted(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    return {"requests": requests, "rps": requests / wall, "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
            "max_ms": latencies[-1] * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="Requests per scenario.")
    parser.add_argument("--concurrency", type=int, default=1, help="Client threads.")
    parser.add_argument("--db", type=Path, help="Reuse or keep this database (built when missing).")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "api-load.db"
        if not db.exists():
            seconds = build_database(db, args.events)
            print(f"built {args.events} events in {seconds:.1f} s → {db}", flush=True)
        counts = Store(str(db)).counts()
        print(f"database: {counts['documents']} documents, {counts['events']} events", flush=True)
        port = free_port()
        server = start_server(db, port)
        base = f"http://127.0.0.1:{port}"
        results: dict[str, dict[str, float]] = {}
        try:
            with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=args.concurrency)) as client:
                ids = [e["event_id"] for e in client.get(base + "/api/events?limit=200&sort=code").json()["items"]]
                rng = random.Random(1)
                for name, make_path in scenarios(rng).items():
                    if make_path is None:
                        def make_path(n: int) -> str:
                            return f"/api/events/{ids[n % len(ids)]}"
                    client.get(base + make_path(0))  # warm-up
                    results[name] = measure(client, base, make_path, args.requests, args.concurrency)
                    r = results[name]
                    print(f"{name:30} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:7.1f} ms   p99 {r['p99_ms']:7.1f} ms"
                          f"   max {r['max_ms']:7.1f} ms", flush=True)
        finally:
            server.terminate()
            server.wait(10)
        if args.json:
            args.json.write_text(json.dumps({"events": counts["events"], "concurrency": args.concurrency,
                                             "results": results}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
