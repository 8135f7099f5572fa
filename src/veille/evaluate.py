"""Scoring system events against gold events, as ``shared/spec/annotation-guide.md`` §9 says.

A system event matches a gold event in the same document when their evidence spans overlap,
actor1's and actor2's countries agree (either way for symmetric events; a null actor2 matches
a gold ``implicit_target``) and the CAMEO root agrees (``alt_codes`` accepted). Optional gold
events are neither missed nor false positives.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.models import Event


@dataclass(slots=True)
class Pair:
    gold: dict[str, Any]
    system: Event
    score: int


@dataclass(slots=True)
class Report:
    pairs: list[Pair] = field(default_factory=list)
    false_positives: list[Event] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    optional_matched: int = 0
    gold_total: int = 0
    system_total: int = 0
    docs: int = 0


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def _country(actor: Any) -> str | None:
    if actor is None:
        return None
    if isinstance(actor, dict):
        return actor.get("country") or (actor.get("code") or "")[:3] or None
    return actor.country or (actor.code[:3] if actor.code else None)


def _code(actor: Any) -> str | None:
    if actor is None:
        return None
    return actor.get("code") if isinstance(actor, dict) else actor.code


def _codes(gold: dict[str, Any]) -> list[str]:
    return [gold["cameo"], *(gold.get("alt_codes") or [])]


def _overlap(a: tuple[int, int] | list[int], b: tuple[int, int] | list[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def actors_match(gold: dict[str, Any], ev: Event) -> bool:
    g1, g2 = _country(gold.get("actor1")), _country(gold.get("actor2"))
    s1, s2 = _country(ev.actor1), _country(ev.actor2)
    if g1 == s1 and (g2 == s2 or (gold.get("implicit_target") and s2 is None)):
        return True
    symmetric = gold.get("symmetric") or ev.symmetric
    return bool(symmetric and g1 == s2 and g2 == s1)


def match_score(gold: dict[str, Any], ev: Event) -> int:
    """0 = no match; higher = better (full code > base code > root)."""
    if gold["doc_id"] != ev.doc_id or not _overlap(gold["evidence_span"], ev.evidence_span):
        return 0
    if not actors_match(gold, ev):
        return 0
    codes = _codes(gold)
    if ev.cameo in codes:
        return 3
    if any(ev.cameo[:3] == c[:3] for c in codes):
        return 2
    if any(ev.cameo[:2] == c[:2] for c in codes):
        return 1
    return 0


def match(gold: list[dict[str, Any]], system: list[Event], docs: Iterable[str] | None = None) -> Report:
    """Best one-to-one matching, greedily by score, then by span closeness."""
    doc_set = set(docs) if docs is not None else {g["doc_id"] for g in gold}
    gold = [g for g in gold if g["doc_id"] in doc_set]
    system = [e for e in system if e.doc_id in doc_set]
    report = Report(docs=len(doc_set), system_total=len(system))
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        by_doc[g["doc_id"]].append(i)
    options = []
    for j, ev in enumerate(system):
        for i in by_doc.get(ev.doc_id, []):
            score = match_score(gold[i], ev)
            if score:
                distance = abs(gold[i]["evidence_span"][0] - ev.evidence_span[0])
                options.append((-score, gold[i].get("optional", False), distance, i, j))
    options.sort()
    used_gold: set[int] = set()
    used_sys: set[int] = set()
    for neg_score, _, _, i, j in options:
        if i in used_gold or j in used_sys:
            continue
        used_gold.add(i)
        used_sys.add(j)
        if gold[i].get("optional"):
            report.optional_matched += 1
        else:
            report.pairs.append(Pair(gold[i], system[j], -neg_score))
    report.false_positives = [e for j, e in enumerate(system) if j not in used_sys]
    report.misses = [g for i, g in enumerate(gold) if i not in used_gold and not g.get("optional")]
    report.gold_total = sum(1 for g in gold if not g.get("optional"))
    return report


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def _accuracy(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _actor_codes_ok(gold: dict[str, Any], ev: Event) -> bool:
    """Full codes (country and role) of the actors both sides name; either order for symmetric events.
    A null system actor2 matched to an implicit gold target is not counted against the codes."""
    g1, g2 = _code(gold.get("actor1")), _code(gold.get("actor2"))
    s1, s2 = _code(ev.actor1), _code(ev.actor2)
    if s2 is None and gold.get("implicit_target"):
        g2 = None
    straight = g1 == s1 and g2 == s2
    crossed = (gold.get("symmetric") or ev.symmetric) and g1 == s2 and g2 == s1
    return bool(straight or crossed)


def _source_ok(gold: dict[str, Any], ev: Event) -> bool:
    src = gold.get("source") or {}
    speaker = src.get("speaker")
    gold_speaker_country = speaker[:3] if speaker else None
    sys_speaker_country = ev.source.speaker[:3] if ev.source.speaker else None
    return gold_speaker_country == sys_speaker_country and list(src.get("via") or []) == list(ev.source.via)


def _quantity_ok(gold: dict[str, Any], ev: Event) -> bool:
    wanted = [q["value"] for q in gold.get("quantities") or []]
    found = [q.value for q in ev.quantities]
    return all(any(abs(f - w) <= 0.01 * max(abs(w), 1e-9) for f in found) for w in wanted)


def bcubed(pairs: list[Pair]) -> dict[str, float]:
    items = [(p.gold["group"], p.system.group_id or p.system.event_id) for p in pairs if p.gold.get("group")]
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    precision = recall = 0.0
    for g, s in items:
        same_sys = [x for x in items if x[1] == s]
        same_gold = [x for x in items if x[0] == g]
        precision += sum(1 for x in same_sys if x[0] == g) / len(same_sys)
        recall += sum(1 for x in same_gold if x[1] == s) / len(same_gold)
    precision, recall = precision / len(items), recall / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def figures(report: Report) -> dict[str, Any]:
    """The figures under the keys scripts and CI read."""
    fn_root = len(report.misses)
    fp_root = len(report.false_positives)
    out: dict[str, Any] = {"root": _prf(len(report.pairs), fp_root, fn_root)}
    for level, minimum in (("base", 2), ("full", 3)):
        tp = sum(1 for p in report.pairs if p.score >= minimum)
        wrong = len(report.pairs) - tp
        out[level] = _prf(tp, fp_root + wrong, fn_root + wrong)
    pairs = report.pairs
    out["actor_code_accuracy"] = _accuracy([_actor_codes_ok(p.gold, p.system) for p in pairs])
    out["modality_accuracy"] = _accuracy([p.gold.get("modality", "asserted") == p.system.modality for p in pairs])
    out["source_accuracy"] = _accuracy([_source_ok(p.gold, p.system) for p in pairs])
    out["date_accuracy"] = _accuracy([p.gold["date"] == p.system.date for p in pairs if p.gold.get("date")])
    out["place_accuracy"] = _accuracy([
        ((p.gold.get("location") or {}).get("country")) == (p.system.location.country if p.system.location else None)
        for p in pairs])
    out["quantity_accuracy"] = _accuracy([_quantity_ok(p.gold, p.system) for p in pairs if p.gold.get("quantities")])
    out["grouping"] = bcubed(pairs)
    out["docs"] = report.docs
    out["gold_events"] = report.gold_total
    out["system_events"] = report.system_total
    return out


def breakdown(report: Report, by: str) -> dict[str, dict[str, float | int]]:
    """P/R/F1 per document, per gold/system root, or per rule."""
    def key_sys(ev: Event) -> str:
        if by == "doc":
            return ev.doc_id
        if by == "rule":
            return ev.rule.split("[")[0]
        return ev.cameo[:2]

    def key_gold(g: dict[str, Any]) -> str:
        return g["doc_id"] if by == "doc" else ("(gold)" if by == "rule" else g["cameo"][:2])

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in report.pairs:
        counts[key_sys(p.system) if by == "rule" else key_gold(p.gold)][0] += 1
    for ev in report.false_positives:
        counts[key_sys(ev)][1] += 1
    for g in report.misses:
        counts[key_gold(g)][2] += 1
    return {k: _prf(*v) for k, v in sorted(counts.items())}
