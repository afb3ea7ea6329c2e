"""Which resolution adopts which recommended draft: text fingerprints and their matching.

An organ such as the Economic and Social Council recommends a draft resolution to the
General Assembly by quoting it; months later the Assembly adopts it, usually with editorial
changes only ("in which" → "by which", "Urges" → "Also urges"). Nothing in the adopted text
names the draft, so the two are recognised by their paragraphs.

Every text described in full (a resolution with paragraphs, or a quoted draft) carries a
*fingerprint*: one short digest per paragraph, in reading order, each prefixed with its part
(``pp:3f2a…`` preambular, ``op:…`` operative). A digest covers the paragraph's lower-case
words only, so typography, footnote markers and line breaks never matter. A resolution
adopts a draft when at least :data:`ADOPTION_THRESHOLD` of the paragraphs of the longer of
the two are equal, part for part, and the resolution was adopted by the body the draft was
recommended to. Seed 001 shares 11 of its 14 paragraphs with the draft of E/RES/2004/23
(0.79); 58/135, the previous resolution of the series, only 2 (0.14).

Pure text and data, no RDF: :mod:`kg.mapping` writes the fingerprint, :mod:`kg.pipeline`
keeps a :class:`DraftIndex` and states the adoption.

>>> draft = text_fingerprint(["Recalling its resolution 55/25,"], ["1. Urges all States;"])
>>> adopted = text_fingerprint(["Recalling its resolution 55/25,"], ["1. Also urges all States;"])
>>> draft.split()[0] == adopted.split()[0], draft.split()[1] == adopted.split()[1]
(True, False)
>>> shared_share(draft, adopted)
0.5
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

ADOPTION_THRESHOLD = 0.6
"""Least share of equal paragraphs for an adoption (seed 001 against its draft: 0.79)."""

_DIGEST_CHARS = 12
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00ad": None,
    }
)


def normalise(text: str) -> str:
    """A paragraph's text with typography and white space made uniform.

    >>> normalise("“Recalling  its\\u00a0resolution\\n55/25 \\u2013 ”")
    '"Recalling its resolution 55/25 - "'
    """
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return _SPACE.sub(" ", text).strip()


def content_digest(paragraphs: Iterable[str]) -> str:
    """SHA-256 (hex) of the normalised paragraph texts, one per line, in reading order.

    It names a resolution whose text carries no symbol, so it depends on the words read
    and not on the file's bytes or layout.

    >>> content_digest(["Recalling …", "1. Requests …"])[:16]
    '458297ef8691628d'
    """
    joined = "\n".join(normalise(text) for text in paragraphs)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def paragraph_digest(text: str) -> str:
    """Twelve hex digits of SHA-256 over the paragraph's lower-case words.

    >>> paragraph_digest("Urges all States;") == paragraph_digest("urges  all States")
    True
    """
    words = " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).lower()))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:_DIGEST_CHARS]


def text_fingerprint(preamble: Sequence[str], operative: Sequence[str]) -> str:
    """The fingerprint of a text: ``pp:<digest>`` per preambular paragraph, then ``op:…``."""
    return " ".join(
        [f"pp:{paragraph_digest(t)}" for t in preamble]
        + [f"op:{paragraph_digest(t)}" for t in operative]
    )


def _tokens(fingerprint: str) -> Counter[str]:
    return Counter(fingerprint.split())


def shared_share(first: str, second: str) -> float:
    """Equal paragraphs of two fingerprints over the paragraphs of the longer one (0 to 1)."""
    return _share(_tokens(first), _tokens(second))


def _share(a: Counter[str], b: Counter[str]) -> float:
    longest = max(a.total(), b.total())
    if longest == 0:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(min(count, large[token]) for token, count in small.items() if token in large) / (
        longest
    )


@dataclass(frozen=True, slots=True)
class DraftText:
    """A draft as the index knows it: its IRI, fingerprint and the body it is recommended to.

    ``recommended_to`` is a body IRI, or ``None`` when the recommending text does not say.
    """

    iri: str
    fingerprint: str
    recommended_to: str | None = None


@dataclass(frozen=True, slots=True)
class Adoption:
    """A resolution that adopts a draft, with the share of paragraphs they have in common."""

    resolution: str
    draft: str
    share: float


@dataclass(slots=True)
class DraftIndex:
    """Drafts by paragraph digest, so a text is compared only with drafts sharing a paragraph.

    It holds a few bytes per draft paragraph and nothing of the texts themselves.
    """

    threshold: float = ADOPTION_THRESHOLD
    _drafts: dict[str, DraftText] = field(default_factory=dict)
    _by_digest: dict[str, set[str]] = field(default_factory=dict)
    _counts: dict[str, Counter[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self._drafts)

    def __iter__(self) -> Iterator[DraftText]:
        return iter(self._drafts.values())

    def add(self, draft: DraftText) -> None:
        """Index ``draft``, replacing an earlier entry with the same IRI."""
        self.discard(draft.iri)
        self._drafts[draft.iri] = draft
        self._counts[draft.iri] = tokens = _tokens(draft.fingerprint)
        for token in tokens:
            self._by_digest.setdefault(token, set()).add(draft.iri)

    def discard(self, iri: str) -> None:
        """Forget the draft ``iri`` if it is indexed."""
        old = self._drafts.pop(iri, None)
        if old is None:
            return
        for token in self._counts.pop(iri):
            holders = self._by_digest.get(token)
            if holders is not None:
                holders.discard(iri)
                if not holders:
                    del self._by_digest[token]

    def adopted_draft(
        self, resolution: str, fingerprint: str, adopted_by: str | None
    ) -> Adoption | None:
        """The draft that the resolution ``resolution`` adopts, or ``None``.

        The best share wins; on a tie, the smallest draft IRI, so the answer never depends
        on the order drafts were indexed in. A draft recommended to one body is never
        adopted by another; the resolution's own draft (``…/draft``) is not a candidate.
        """
        mine = _tokens(fingerprint)
        candidates: set[str] = set()
        for token in mine:
            candidates |= self._by_digest.get(token, set())
        best: Adoption | None = None
        for iri in sorted(candidates):
            draft = self._drafts[iri]
            if iri.startswith(resolution + "/"):
                continue
            if draft.recommended_to and adopted_by and draft.recommended_to != adopted_by:
                continue
            share = _share(self._counts[iri], mine)
            if share >= self.threshold and (best is None or share > best.share):
                best = Adoption(resolution, iri, share)
        return best


__all__ = [
    "ADOPTION_THRESHOLD",
    "Adoption",
    "DraftIndex",
    "DraftText",
    "content_digest",
    "normalise",
    "paragraph_digest",
    "shared_share",
    "text_fingerprint",
]
