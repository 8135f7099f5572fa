"""Near-duplicate articles: the same wire story republished by several outlets.

Each article is reduced to the set of its word 5-grams (shingles) and a MinHash signature of that
set; a locality-sensitive index finds earlier articles whose estimated Jaccard similarity reaches
``THRESHOLD``. The later article gets ``duplicate_of`` = the earlier one: its events are kept (they
are evidence too) but counted once with the original's in event groups. Headlines and articles of
a few lines are never called duplicates: their shingles are too few to tell a copy from a topic.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from datasketch import MinHash, MinHashLSH

from veille.dictionaries import fold

if TYPE_CHECKING:
    from veille.models import Document
    from veille.store import Store

SHINGLE_WORDS = 5
NUM_PERM = 128
THRESHOLD = 0.6  # a wire story with a paragraph added or cut stays above it; rewrites of one event do not
MIN_SHINGLES = 30
SEED = 1  # fixed, so signatures (and so decisions) are the same on every run


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word n-grams of the folded text; punctuation, case and accents do not tell copies apart."""
    words = re.findall(r"\w+", fold(text))
    return {" ".join(words[i : i + size]) for i in range(max(len(words) - size + 1, 0))}


def signature(grams: set[str]) -> MinHash:
    sig = MinHash(num_perm=NUM_PERM, seed=SEED)
    sig.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return sig


class DuplicateIndex:
    """Originals seen so far; ``check`` tells whether a new article copies one of them, else adds it."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        # The index is queried a little below the threshold, then each candidate's estimate is checked.
        self._lsh = MinHashLSH(threshold=max(threshold - 0.1, 0.1), num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, doc_id: str, text: str) -> None:
        grams = shingles(text)
        if len(grams) < MIN_SHINGLES or doc_id in self._signatures:
            return
        sig = signature(grams)
        self._lsh.insert(doc_id, sig)
        self._signatures[doc_id] = sig

    def original_of(self, doc_id: str, text: str) -> str | None:
        """The most similar original above the threshold (ties: the smallest id), or None."""
        grams = shingles(text)
        if len(grams) < MIN_SHINGLES:
            return None
        sig = signature(grams)
        scored = [(sig.jaccard(self._signatures[other]), other) for other in self._lsh.query(sig) if other != doc_id]
        scored = [(score, other) for score, other in scored if score >= self.threshold]
        return min(scored, key=lambda s: (-s[0], s[1]))[1] if scored else None

    def check(self, doc: Document) -> str | None:
        """Set ``doc.duplicate_of``; an article that copies none becomes an original others may copy."""
        if doc.status != "ok":
            return None
        doc.duplicate_of = self.original_of(doc.doc_id, doc.text)
        if doc.duplicate_of is None:
            self.add(doc.doc_id, doc.text)
        return doc.duplicate_of

    @classmethod
    def from_store(cls, store: Store, threshold: float = THRESHOLD) -> DuplicateIndex:
        """An index of the originals already stored (articles that are not themselves duplicates)."""
        from sqlalchemy import select

        from veille.store import documents

        index = cls(threshold)
        query = (select(documents.c.doc_id, documents.c.text)
                 .where(documents.c.status == "ok", documents.c.duplicate_of.is_(None))
                 .order_by(documents.c.doc_id))
        with store.engine.connect() as conn:
            for doc_id, text in conn.execute(query):
                index.add(doc_id, text or "")
        return index
