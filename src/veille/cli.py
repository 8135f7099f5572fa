"""The ``veille`` command: run, events, docs, actors, evaluate, explain."""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from veille import __version__
from veille.models import Event, EventGroup
from veille.store import EventFilter, Store

app = typer.Typer(help="veille: French news to political event data (CAMEO), explainable.",
                  no_args_is_help=True, add_completion=False)
console = Console(width=None if sys.stdout.isatty() else 180)
err = Console(stderr=True)
DEFAULT_DB = "veille.db"
EXIT_PARTIAL = 3

DbOption = Annotated[str, typer.Option("--db", envvar="VEILLE_DB", help="SQLite file or database URL.")]


def _version_callback(value: bool) -> None:
    if value:
        import spacy

        from veille.dictionaries import version as dict_version

        console.print(f"veille {__version__} (spaCy {spacy.__version__}, dictionaries {dict_version()})")
        raise typer.Exit()


VersionOption = Annotated[bool | None, typer.Option("--version", callback=_version_callback, is_eager=True,
                                                    help="Show the version and exit.")]


@app.callback()
def main(version: VersionOption = None) -> None:
    """veille turns French news articles into CAMEO-coded event data with evidence."""


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or http(s) feed URLs.")],
    db: DbOption = DEFAULT_DB,
    lang: Annotated[str, typer.Option(help="Language of the articles (only 'fr' is supported).")] = "fr",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    version: VersionOption = None,
) -> None:
    """Ingest, analyse and store articles. Example: veille run articles/ --db veille.db"""
    from veille.pipeline import run as run_pipeline

    if lang != "fr":
        err.print(f"[red]Only French is supported (got --lang {lang}).[/red]")
        raise typer.Exit(2)
    store = Store(db)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, disable=quiet or not err.is_terminal, transient=True)
    with progress:
        task = progress.add_task("analysing", total=None)

        def tick(doc, count):  # type: ignore[no-untyped-def]
            progress.update(task, advance=1, description=f"{doc.doc_id[:30]}")

        stats = run_pipeline(paths, store, on_document=tick)
    skipped = ", ".join(f"{k}: {v}" for k, v in sorted(stats.skipped.items())) or "0"
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(stats.errors.items())) or "0"
    err.print(f"documents read: {stats.documents} (ok {stats.ok}, unchanged {stats.unchanged}) · "
              f"skipped: {skipped} · errors: {errors} · events stored: {stats.events}")
    store.close()
    if stats.failed:
        raise typer.Exit(EXIT_PARTIAL)


def _stored_groups(store: Store, stored: list[Event]) -> list[EventGroup]:
    """Group summaries over stored events, counting a republished article once with its original."""
    from veille.group import build_groups

    sources = {d["doc_id"]: d.get("source") for d in store.documents()}
    return build_groups(stored, sources, store.duplicates())


def _event_table(events: list, title: str) -> Table:  # type: ignore[type-arg]
    table = Table(title=title, show_lines=True, expand=True)
    widths = {"date": 10, "actor1": 16, "code": 9, "actor2": 16, "modality": 11, "source": 12}
    for col in ("date", "actor1", "code", "actor2", "modality", "source", "evidence"):
        table.add_column(col, overflow="fold", min_width=widths.get(col), ratio=1 if col == "evidence" else None)
    for ev in events:
        src = ev.source.speaker or ""
        if ev.source.via:
            src = (src + " via " if src else "via ") + ", ".join(ev.source.via)
        table.add_row(ev.date or "", f"{ev.actor1.code}\n{ev.actor1.name}" if ev.actor1 else "",
                      f"{ev.cameo}\n{ev.plover or ''}", f"{ev.actor2.code}\n{ev.actor2.name}" if ev.actor2 else "—",
                      ev.modality + (f"\n({ev.condition})" if ev.condition else ""), src,
                      f"{ev.evidence}\n[dim]{ev.rule}[/dim]")
    return table


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, jsonl, tsv or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file (parquet needs it).")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor code or prefix (either side).")] = None,
    country: Annotated[str | None, typer.Option(help="Country code of either actor.")] = None,
    code: Annotated[str | None, typer.Option(help="CAMEO code prefix, e.g. 19 or 0311.")] = None,
    modality: Annotated[str | None, typer.Option(help="asserted, negated, conditional, …")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date (YYYY-MM-DD).")] = None,
    doc: Annotated[str | None, typer.Option(help="Only this document id.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    version: VersionOption = None,
) -> None:
    """List stored events. Example: veille events --code 19 --format jsonl"""
    from veille import export

    if fmt not in {"table", "jsonl", "tsv", "parquet"}:
        err.print(f"[red]Unknown format {fmt!r}.[/red]")
        raise typer.Exit(2)
    store = Store(db)
    flt = EventFilter(actor=actor, country=country, code=code, modality=modality, since=since, until=until,
                      doc=doc, limit=limit)
    selected = list(store.iter_events(flt))
    groups = {}
    if fmt in {"tsv", "parquet"}:  # GDELT's NumMentions/NumSources/NumArticles come from the whole store
        groups = {g.group_id: g for g in _stored_groups(store, list(store.iter_events()))}
    if fmt == "table":
        console.print(_event_table(selected, f"{len(selected)} events"))
    elif fmt == "parquet":
        if out is None:
            err.print("[red]--format parquet needs --out FILE.[/red]")
            raise typer.Exit(2)
        export.write_parquet(selected, out, groups)
    elif fmt == "jsonl":
        if out:
            with out.open("w", encoding="utf-8") as handle:
                export.write_jsonl(selected, handle)
        else:
            export.write_jsonl(selected, sys.stdout)
    elif out:
        with out.open("w", encoding="utf-8") as handle:
            export.write_tsv(selected, handle, groups=groups)
    else:
        export.write_tsv(selected, sys.stdout, groups=groups)
    store.close()


@app.command()
def docs(db: DbOption = DEFAULT_DB, version: VersionOption = None) -> None:
    """Documents with status, language, date, title and event count."""
    store = Store(db)
    table = Table(title="documents")
    for col in ("doc_id", "status", "reason", "lang", "published", "title", "events"):
        table.add_column(col, overflow="fold")
    for row in store.documents():
        table.add_row(row["doc_id"], row["status"], row["reason"] or "", row["lang"] or "",
                      row["published"] or "", (row["title"] or "")[:60], str(row["event_count"]))
    console.print(table)
    store.close()


@app.command()
def actors(db: DbOption = DEFAULT_DB, limit: int = 50, version: VersionOption = None) -> None:
    """Actors with counts, codes and example mentions."""
    store = Store(db)
    counts: Counter[str] = Counter()
    examples: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for ev in store.iter_events():
        for actor in (ev.actor1, ev.actor2):
            if actor and actor.code:
                counts[actor.code] += 1
                names.setdefault(actor.code, actor.name)
                examples.setdefault(actor.code, set()).add(actor.text)
    table = Table(title="actors")
    for col in ("code", "name", "events", "examples"):
        table.add_column(col, overflow="fold")
    for code, n in counts.most_common(limit):
        table.add_row(code, names[code], str(n), " · ".join(sorted(examples[code])[:4]))
    console.print(table)
    store.close()


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Gold events (JSON Lines).")],
    inputs: Annotated[list[str] | None, typer.Argument(help="Inputs to run first; none = read --db.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database to use (temporary if not given).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the figures as JSON.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Break down by doc, root or rule.")] = None,
    errors: Annotated[bool, typer.Option("--errors/--no-errors", help="List false positives and misses.")] = True,
    version: VersionOption = None,
) -> None:
    """Score events against gold. Example: veille evaluate --gold gold.jsonl articles/"""
    from veille import evaluate as ev
    from veille.pipeline import run as run_pipeline

    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = str(Path(tmp.name) / "eval.db")
    store = Store(db)
    if inputs:
        run_pipeline(inputs, store)
    docs_seen = [d["doc_id"] for d in store.documents()]
    system = list(store.iter_events())
    gold_rows = ev.load_gold(gold)
    report = ev.match(gold_rows, system, docs_seen if inputs else None)
    figures = ev.figures(report)
    table = Table(title=f"veille evaluate · {gold.name}")
    for col in ("level", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(col)
    for level in ("root", "base", "full"):
        f = figures[level]
        table.add_row(level, f"{f['precision']:.3f}", f"{f['recall']:.3f}", f"{f['f1']:.3f}", str(f["tp"]),
                      str(f["fp"]), str(f["fn"]))
    console.print(table)
    for key in ("actor_code_accuracy", "modality_accuracy", "source_accuracy", "date_accuracy", "place_accuracy",
                "quantity_accuracy"):
        value = figures[key]
        console.print(f"{key}: {'n/a' if value is None else f'{value:.3f}'}")
    g = figures["grouping"]
    console.print(f"grouping (B-cubed): P {g['precision']:.3f} R {g['recall']:.3f} F1 {g['f1']:.3f}")
    console.print(f"docs {figures['docs']} · gold events {figures['gold_events']} · "
                  f"system events {figures['system_events']}")
    if by:
        table = Table(title=f"by {by}")
        for col in (by, "precision", "recall", "F1", "tp", "fp", "fn"):
            table.add_column(col)
        for key, f in ev.breakdown(report, by).items():
            table.add_row(key, f"{f['precision']:.2f}", f"{f['recall']:.2f}", f"{f['f1']:.2f}", str(f["tp"]),
                          str(f["fp"]), str(f["fn"]))
        console.print(table)
    if errors:
        for fp in report.false_positives:
            console.print(f"[yellow]FP[/yellow] {fp.doc_id} {fp.actor1.code if fp.actor1 else '-'} {fp.cameo} "
                          f"{fp.actor2.code if fp.actor2 else '-'} [dim]{fp.rule}[/dim] | {fp.evidence[:160]}",
                          markup=True, highlight=False)
        for miss in report.misses:
            a1 = (miss.get("actor1") or {}).get("code", "-")
            a2 = (miss.get("actor2") or {}).get("code", "-") if miss.get("actor2") else "-"
            console.print(f"[red]MISS[/red] {miss['doc_id']} {a1} {miss['cameo']} {a2} | {miss['evidence'][:160]}",
                          highlight=False)
    if json_out:
        json_out.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    store.close()
    if tmp:
        tmp.cleanup()


@app.command()
def explain(sentence: Annotated[str, typer.Argument(help="A French sentence or paragraph.")],
            published: Annotated[str | None, typer.Option(help="Publication date for relative dates.")] = None,
            version: VersionOption = None) -> None:
    """Show the parse, actors, rules and events for a sentence."""
    from veille.actors import DocumentContext, SentenceActors
    from veille.coding import SentenceCoder, load_predicates
    from veille.nlp import parse_text
    from veille.resolve import parse_published, resolve_event

    context = DocumentContext()
    pub = parse_published(published)
    for parsed in parse_text(sentence):
        console.print(f"[bold]sentence {parsed.index}[/bold]: {parsed.text}")
        parse = Table(show_header=True)
        for col in ("i", "token", "lemma", "pos", "dep", "head"):
            parse.add_column(col)
        for t in parsed.span:
            parse.add_row(str(t.i), t.text, t.lemma_, t.pos_, t.dep_, f"{t.head.i}:{t.head.text}")
        console.print(parse)
        actors = SentenceActors(parsed.span, parsed.offset, context, pub.isoformat() if pub else None)
        for m in actors.mentions:
            console.print(f"  actor mention: {m.text!r} -> {m.entry.code} ({m.entry.kind}, {m.entry.rule})")
        coder = SentenceCoder(parsed, actors, load_predicates())
        found = coder.events("explain")
        for line in coder.trace:
            console.print(f"  rule: {line}", highlight=False)
        for event in found:
            resolve_event(event, pub, parsed.text)
            console.print(f"  [green]EVENT[/green] {event.actor1.code if event.actor1 else '-'} {event.cameo} "
                          f"{event.actor2.code if event.actor2 else '-'} · {event.modality} · "
                          f"source {event.source.speaker} via {event.source.via} · {event.rule}", highlight=False)
        if not found:
            console.print("  no event")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    allow_ingest: Annotated[bool, typer.Option("--allow-ingest", help="Accept POST /api/documents.")] = False,
    token: Annotated[str | None, typer.Option(envvar="VEILLE_TOKEN", help="Token required for ingestion.")] = None,
    version: VersionOption = None,
) -> None:
    """Serve the REST API and the web explorer. Example: veille serve --db veille.db"""
    from veille.api import serve as serve_app

    serve_app(db=db, host=host, port=port, allow_ingest=allow_ingest, token=token)


@app.command()
def batch(
    input_path: Annotated[str, typer.Argument(metavar="INPUT", help="Folder, JSON Lines or Parquet corpus.")],
    output: Annotated[str, typer.Argument(help="Output folder for Parquet files.")],
    engine: Annotated[str, typer.Option(help="Batch engine: spark.")] = "spark",
    master: Annotated[str, typer.Option(help="Spark master, e.g. local[2], spark://host:7077, yarn.")] = "local[2]",
    db: Annotated[str | None, typer.Option("--db", envvar="VEILLE_DB",
                                           help="Also store the results in this database.")] = None,
    version: VersionOption = None,
) -> None:
    """Run the pipeline over a large corpus on a batch engine. Example: veille batch corpus/ out/"""
    from veille.batch import run_batch

    result = run_batch(input_path, output, engine=engine, master=master, db=db)
    stats = result.stats
    err.print(f"documents read: {stats.documents} (ok {stats.ok}) · skipped: {sum(stats.skipped.values())} · "
              f"errors: {stats.failed} · events: {stats.events} · groups: {result.groups} · "
              f"{result.seconds:.1f} s → {result.output}")
    if stats.failed:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def groups(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
    limit: Annotated[int, typer.Option(help="At most this many groups (0 = all).")] = 50,
    version: VersionOption = None,
) -> None:
    """Events as reported across articles: mentions, articles, outlets, first and last seen, biggest first.
    A republished article (near-duplicate) counts once with its original."""
    from dataclasses import asdict

    if fmt not in {"table", "jsonl"}:
        err.print(f"[red]Unknown format {fmt!r}.[/red]")
        raise typer.Exit(2)
    store = Store(db)
    stored = list(store.iter_events())
    found = sorted(_stored_groups(store, stored),
                   key=lambda g: (-g.num_mentions, -g.num_articles, g.first_seen or "", g.group_id))
    found = found[:limit] if limit else found
    store.close()
    if fmt == "jsonl":
        for group in found:
            sys.stdout.write(json.dumps(asdict(group), ensure_ascii=False) + "\n")
        return
    evidence = {e.event_id: e.evidence for e in stored}
    table = Table(title=f"{len(found)} event groups", expand=True)
    for col in ("group", "code", "actor1", "actor2", "mentions", "articles", "sources", "first", "last", "evidence"):
        table.add_column(col, overflow="fold", ratio=4 if col == "evidence" else 1)
    for g in found:
        table.add_row(g.group_id, g.cameo, g.actor1 or "", g.actor2 or "—", str(g.num_mentions), str(g.num_articles),
                      str(g.num_sources), g.first_seen or "", g.last_seen or "", evidence.get(g.best_event_id, ""))
    console.print(table)


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
    limit: Annotated[int, typer.Option(help="At most this many stories (0 = all).")] = 30,
    min_groups: Annotated[int, typer.Option(help="Leave out stories with fewer event groups.")] = 2,
    version: VersionOption = None,
) -> None:
    """Event groups and articles about the same matter, labelled by their most frequent terms."""
    from dataclasses import asdict

    from veille.stories import build_stories

    if fmt not in {"table", "jsonl"}:
        err.print(f"[red]Unknown format {fmt!r}.[/red]")
        raise typer.Exit(2)
    store = Store(db)
    titles = {d["doc_id"]: d.get("title") for d in store.documents()}
    found = [s for s in build_stories(store.iter_events(), titles) if len(s.groups) >= min_groups]
    found = found[:limit] if limit else found
    store.close()
    if fmt == "jsonl":
        for story in found:
            sys.stdout.write(json.dumps(asdict(story), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(found)} stories", expand=True)
    for col in ("story", "label", "groups", "articles", "mentions", "first", "last", "titles"):
        table.add_column(col, overflow="fold", ratio=3 if col in {"label", "titles"} else 1)
    for s in found:
        table.add_row(s.story_id, s.label, str(len(s.groups)), str(len(s.articles)), str(s.num_mentions),
                      s.first or "", s.last or "", "\n".join(s.titles[:3]))
    console.print(table)


if __name__ == "__main__":
    app()
