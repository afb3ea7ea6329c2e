"""Series detection: which resolutions re-adopt one another's text, and in which order.

Pure data, no RDF: :mod:`kg.lineage` reads one :class:`Candidate` per resolution from the
store and writes the :class:`Series` found here into the lineage graph. Two resolutions
are linked into one series (issue 6, ``docs/lineage.md``) when they are adopted by the
same body and

1. one **cites** the other and their titles share at least :data:`CITED_TITLE_THRESHOLD`
   of their content words (Jaccard), as 58/135 does in "Recalling further its resolution
   56/120 … on action against transnational organized crime …"; or
2. their **titles** alone share at least :data:`TITLE_THRESHOLD` of their content words.
   Candidate pairs come from an inverted index over the rarest words of each title
   (prefix filtering: two word sets with Jaccard ≥ t must share one of the
   ``n - ceil(t·n) + 1`` rarest words of either), so titles are never compared all
   against all; words found in more than :data:`MAX_WORD_TITLES` titles propose no pairs.
   Titles with the same words, as most members of a series have, are compared only once.
3. A resolution that **adopts a draft** recommended by another organ (seed 001 adopting
   the draft of E/RES/2004/23) takes the draft's title when it has none of its own, and is
   placed after the recommendation; the lineage module also compares it with the draft.

Series are the connected groups of these links with two members or more. Members are
ordered by adoption date, then symbol; a member without a date is placed by its relations:
after the latest member it cites and after the draft recommendation it adopts, before the
earliest member that cites it.

The thresholds come from the seeds' titles: 56/120 and 58/135, one series whose title
changed from "Action against …" to "International cooperation in the fight against …",
share 0.79 of their words; the closest title of another series (the Commission's 2013
"Renewed efforts to ensure the effective implementation of the … Convention …") shares
0.40 with 56/120 and 0.37 with 58/135. Titles alone link from 0.6; a citation, which is
evidence of its own, lowers the bar to 0.5.

>>> a = Candidate("r1", "A/RES/1/1", "Action against crime: assistance to States", "ga",
...               "2001-12-19")
>>> b = Candidate("r2", "A/RES/2/2", "Cooperation against crime: assistance to States", "ga",
...               "2003-12-22", cites=frozenset({"r1"}))
>>> [(s.slug, s.members) for s in find_series([b, a])]
[('A-RES-1-1', ('r1', 'r2'))]
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

TITLE_THRESHOLD = 0.6
"""Least title similarity (Jaccard of content words) linking two resolutions on its own."""

CITED_TITLE_THRESHOLD = 0.5
"""Least title similarity linking a resolution to one it cites."""

MAX_WORD_TITLES = 2000
"""A title word found in more titles than this is too common to propose pairs with.

It bounds the work per title whatever the corpus size; a title whose rarest words are all
that common ("International cooperation …") is linked by its citations only.
"""

_STOPWORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "its", "of", "on", "or"}
    | {"the", "their", "to", "with"}
)
_WORD = re.compile(r"\w+(?:-\w+)*")
_NUMBERS = re.compile(r"\d+")
_NO_DATE = "9999-12-31"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A resolution that may belong to a series, as the store describes it.

    ``title`` and ``body`` are the effective ones (from the adopted draft when the text has
    none); ``date`` is the ISO adoption date; ``cites`` the IRIs it cites;
    ``not_before`` an ISO date it cannot precede (the recommendation of a draft it adopts).
    """

    iri: str
    symbol: str | None
    title: str | None
    body: str | None
    date: str | None = None
    cites: frozenset[str] = frozenset()
    not_before: str | None = None


@dataclass(frozen=True, slots=True)
class Series:
    """A series: its members in order, oldest first, and a slug for its IRI."""

    slug: str
    members: tuple[str, ...]
    title: str | None = None
    links: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)


def title_words(title: str | None) -> frozenset[str]:
    """The content words of a title, lower-case, without the commonest function words.

    >>> sorted(title_words("Action against crime: assistance to States"))
    ['action', 'against', 'assistance', 'crime', 'states']
    """
    if not title:
        return frozenset()
    return frozenset(w for w in _WORD.findall(title.lower()) if w not in _STOPWORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over all words; 0.0 when both are empty.

    >>> jaccard(frozenset("abc"), frozenset("bcd"))
    0.5
    """
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0


def find_series(candidates: Iterable[Candidate]) -> tuple[Series, ...]:
    """Group ``candidates`` into ordered series of two or more members.

    Deterministic: the same candidates in any order give the same series, sorted by slug.

    Raises:
        ValueError: if two candidates share an IRI.
    """
    items = sorted(candidates, key=lambda c: c.iri)
    index = {c.iri: n for n, c in enumerate(items)}
    if len(index) != len(items):
        raise ValueError("find_series: two candidates share an IRI. Read each resolution once")
    words = [title_words(c.title) for c in items]
    parent = list(range(len(items)))
    links: list[tuple[int, int, str]] = []

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def link(i: int, j: int, why: str) -> None:
        links.append((min(i, j), max(i, j), why))
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    for i, c in enumerate(items):
        for cited in sorted(c.cites):
            j = index.get(cited)
            if j is None or j == i or items[j].body != c.body or c.body is None:
                continue
            if jaccard(words[i], words[j]) >= CITED_TITLE_THRESHOLD:
                link(i, j, "citation")
    # Titles with the same words (a series re-adopting its title) are compared once: each
    # is linked to the first of them, the first alone is compared with the other titles.
    frequency = Counter(word for w in words for word in w)
    first_of: dict[tuple[str | None, frozenset[str]], int] = {}
    for n, c in enumerate(items):
        first = first_of.setdefault((c.body, words[n]), n)
        if first != n and c.body is not None and _prefix(words[n], frequency, TITLE_THRESHOLD):
            link(first, n, "title")
    distinct = sorted(first_of.values())
    similar, _ = similar_titles(
        [items[n] for n in distinct], [words[n] for n in distinct], TITLE_THRESHOLD, frequency
    )
    for i, j in similar:
        link(distinct[i], distinct[j], "title")

    groups: dict[int, list[int]] = defaultdict(list)
    for n in range(len(items)):
        groups[find(n)].append(n)
    reasons: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
    for i, j, reason in links:
        reasons[find(i)].add((items[i].iri, items[j].iri, reason))
    found: list[Series] = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        ordered = order_members([items[n] for n in members])
        why = tuple(sorted(reasons[root]))
        titled = [c.title for c in ordered if c.title]
        found.append(
            Series(
                slug=series_slug(ordered[0]),
                members=tuple(c.iri for c in ordered),
                title=titled[-1] if titled else None,
                links=why,
            )
        )
    return tuple(sorted(found, key=lambda s: (s.slug, s.members)))


def similar_titles(
    items: Sequence[Candidate],
    words: Sequence[frozenset[str]],
    threshold: float,
    frequency: Mapping[str, int] | None = None,
) -> tuple[list[tuple[int, int]], int]:
    """Index pairs of the same body with title Jaccard ≥ ``threshold``, by prefix filtering.

    ``words[n]`` are the :func:`title_words` of ``items[n]``; ``frequency`` counts the
    titles each word is in (by default, over ``words``). Pairs come in order of their
    second index, then their first. Also returns how many pairs were compared, the work
    done, which the benchmark prints per resolution.

    >>> titles = ["crime aid states", "crime aid states now", "ozone layer"]
    >>> items = [Candidate(str(n), None, t, "ga") for n, t in enumerate(titles)]
    >>> similar_titles(items, [title_words(c.title) for c in items], 0.6)
    ([(0, 1)], 1)
    """
    if frequency is None:
        frequency = Counter(word for w in words for word in w)
    postings: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    pairs: list[tuple[int, int]] = []
    compared = 0
    for i, c in enumerate(items):
        mine = words[i]
        if not mine or c.body is None:
            continue
        size = len(mine)
        lists = [postings[(c.body, word)] for word in _prefix(mine, frequency, threshold)]
        others = set().union(*lists)
        compared += len(others)
        for j in sorted(others):
            theirs = words[j]
            shared = len(mine & theirs)
            # jaccard(), inlined: this loop runs once per pair compared.
            if shared / (size + len(theirs) - shared) >= threshold:
                pairs.append((j, i))
        for found in lists:
            found.append(i)
    return pairs, compared


def _prefix(words: frozenset[str], frequency: Mapping[str, int], threshold: float) -> list[str]:
    """The rarest words of a title, of which a similar title must share one (prefix filter).

    Two word sets with Jaccard ≥ t share one of the ``n - ceil(t·n) + 1`` rarest words of
    either; those found in more than :data:`MAX_WORD_TITLES` titles are left out.
    """
    rare_first = sorted(words, key=lambda w: (frequency[w], w))
    size = len(rare_first)
    return [
        w
        for w in rare_first[: size - math.ceil(threshold * size - 1e-9) + 1]
        if frequency[w] <= MAX_WORD_TITLES
    ]


def order_members(members: Sequence[Candidate]) -> list[Candidate]:
    """Oldest first: by date, then symbol; undated members placed by their relations.

    >>> a = Candidate("a", "A/RES/58/135", None, "ga", "2003-12-22")
    >>> b = Candidate("b", None, None, "ga", None, cites=frozenset({"a"}), not_before="2004-07-21")
    >>> c = Candidate("c", "A/RES/56/120", None, "ga", "2001-12-19")
    >>> [m.iri for m in order_members([a, b, c])]
    ['c', 'a', 'b']
    """
    dates = {m.iri: m.date for m in members if m.date}

    def key(m: Candidate) -> tuple[str, int, tuple[object, ...], str]:
        if m.date:
            return (m.date, 0, _symbol_key(m.symbol), m.iri)
        after = [dates[c] for c in m.cites if c in dates]
        if m.not_before:
            after.append(m.not_before)
        if after:
            return (max(after), 1, _symbol_key(m.symbol), m.iri)
        before = [dates[o.iri] for o in members if m.iri in o.cites and o.iri in dates]
        if before:
            return (min(before), -1, _symbol_key(m.symbol), m.iri)
        return (_NO_DATE, 0, _symbol_key(m.symbol), m.iri)

    return sorted(members, key=key)


def _symbol_key(symbol: str | None) -> tuple[object, ...]:
    """Sort key of a symbol with its numbers compared as numbers (A/RES/58/9 < 58/10)."""
    if not symbol:
        return (1,)
    parts = _NUMBERS.split(symbol)
    numbers = [int(n) for n in _NUMBERS.findall(symbol)]
    return (0, *[x for pair in zip(parts, [*numbers, -1], strict=True) for x in pair])


def series_slug(first: Candidate) -> str:
    """The slug of a series' IRI, from the symbol of its first member (or its IRI).

    >>> series_slug(Candidate("x", "A/RES/56/120", None, None))
    'A-RES-56-120'
    """
    source = first.symbol or first.iri.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9]+", "-", source).strip("-") or "series"


__all__ = [
    "CITED_TITLE_THRESHOLD",
    "MAX_WORD_TITLES",
    "TITLE_THRESHOLD",
    "Candidate",
    "Series",
    "find_series",
    "jaccard",
    "order_members",
    "series_slug",
    "similar_titles",
    "title_words",
]
