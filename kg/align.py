"""Paragraph alignment between two texts of a series: what was kept, amended, added, dropped.

Pure text, no RDF: :mod:`kg.lineage` feeds it paragraphs read from the store and writes
what it returns into the lineage graph. The method (issue 6, ``docs/lineage.md``):

1. **Normalise.** Typography only (Unicode compatibility forms, curly quotes, dashes,
   white space, footnote digits glued to punctuation), so that two renderings of one text
   compare equal.
2. **Carried over** = equal after :func:`normalise` *and* after masking what the ontology
   counts as routine (``change:carried-over``): punctuation, dates, years, symbols such as
   ``58/135`` and session ordinals. Anything else that differs is at best amended.
3. **Similarity** of the remaining pairs of the same part is the cosine of their word
   vectors weighted by inverse paragraph frequency *within the two texts compared*. Words
   every paragraph shares (the Convention's full name, "the", "of") weigh little; the words
   that make a paragraph what it is weigh much. Plain sequence or set ratios let two short
   paragraphs that only share the Convention's name look alike (56/120 op1 "Welcomes the
   signing of …" against 58/135 op1 "Takes note … of the report … on the ratification of
   …": word-sequence ratio 0.67, this measure 0.16).
4. **One-to-one assignment**, greedy: identical pairs first, then the most similar pair
   left, ties broken by closeness of relative position. A pair is *amended* when its
   similarity is at least :data:`AMENDED_THRESHOLD`; what is left over is *new* (later
   text) or *dropped* (earlier text).
5. **Word-level diff** of each amended pair (:mod:`kg.diff`, :mod:`difflib` on words).

The threshold 0.30 was read off the seeds' real pairs (56/120 → 58/135, 58/135 → the
Assembly's 2004 resolution, the ECOSOC draft → that resolution) after classifying every
paragraph by reading: the least similar pair a reader calls amended scores 0.35 (56/120
pp4 → 58/135 pp1, both recalling resolution 55/25), the most similar unrelated pair still
unassigned after assignment scores 0.22 (58/135 op4 → 2004 op4). 0.30 sits in that gap,
a little above its middle (0.285), so that a doubtful pair is reported as dropped and new
rather than as a misleading amendment.

>>> earlier = [Text("a1", "operative", 1, "Requests the Centre to report;")]
>>> later = [Text("b1", "operative", 1, "Requests the Office to report;"),
...          Text("b2", "operative", 2, "Urges States to ratify the Convention.")]
>>> [(c.kind, c.earlier_id, c.later_id) for c in align(earlier, later)]
[('amended', 'a1', 'b1'), ('new', None, 'b2')]
>>> format_diff(align(earlier, later)[0].diff)
'Requests the [-Centre-] {+Office+} to report;'
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import mul
from typing import Literal

from kg.diff import DiffOp, diff_words, format_diff, normal_words, normalise, parse_diff, word_diff

Part = Literal["preamble", "operative"]
ChangeKind = Literal["carried-over", "amended", "new", "dropped"]

CHANGE_KINDS: tuple[ChangeKind, ...] = ("carried-over", "amended", "new", "dropped")
AMENDED_THRESHOLD = 0.30
"""Least similarity for an amended pair; chosen from the seeds (see the module docstring)."""

_PARTS: tuple[Part, ...] = ("preamble", "operative")
_WORD = re.compile(r"\w+(?:[-'/.]\w+)*")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
_TENS = "twent|thirt|fort|fift|sixt|sevent|eight|ninet"
# Routine changes (see routine_key). Each alternative starts at a digit not preceded by a
# word character (a word boundary before a digit); writing the digit first lets the regex
# engine skip ahead to the next digit instead of trying every position.
_DATED = re.compile(
    r"\d(?<!\w\d)(?:"
    rf"\d?\s+(?:{_MONTHS})\s+\d{{4}}\b"  # dates: 22 December 2003
    r"|\d*(?:/\d+)+\b"  # resolution numbers: 58/135, 2004/23
    r"|(?:(?<=1)9|(?<=2)0)\d\d\b"  # years 19xx and 20xx, also in "December 2003"
    r")",
    re.IGNORECASE,
)
# Possessive: a word cut short is followed by a letter, never by the white space required.
_BEFORE_SESSION = re.compile(r"\b([A-Za-z]++(?:-[A-Za-z]++)?+)(?=\s+session\b)")
_SESSION_ORDINAL = re.compile(
    rf"(?:{_TENS})(?:ieth|y-(?:{_UNITS}))|thirteenth|fourteenth|fifteenth|sixteenth"
    rf"|seventeenth|eighteenth|nineteenth|{_UNITS}|hundredth",
    re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"[^\w\s#]")  # "#" marks what _DATED and ordinals masked
# The same for ASCII text, which str.translate rewrites faster than the regex.
_ASCII_PUNCTUATION = str.maketrans({c: " " for c in map(chr, range(128)) if _PUNCTUATION.match(c)})


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph to align: an id (its IRI in the graph), its part, position and wording."""

    id: str
    part: Part
    order: int
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    """How one paragraph fared between the earlier and the later text.

    ``earlier`` is ``None`` for a new paragraph, ``later`` for a dropped one.
    ``similarity`` is 1.0 for carried over, the measured value for amended and ``None``
    when there is no counterpart. ``diff`` is empty for new and dropped paragraphs.
    """

    kind: ChangeKind
    part: Part
    earlier: Text | None
    later: Text | None
    similarity: float | None
    diff: tuple[DiffOp, ...] = ()

    @property
    def earlier_id(self) -> str | None:
        return self.earlier.id if self.earlier else None

    @property
    def later_id(self) -> str | None:
        return self.later.id if self.later else None


def routine_key(text: str) -> str:
    """The wording with routine changes masked: punctuation, dates, symbols, session ordinals.

    Two paragraphs with the same key are carried over (``change:carried-over`` in the
    ontology: "word for word, or with changes only of numbering, dates of reference or
    punctuation").

    >>> routine_key("Recalling its resolution 57/173 of 18 December 2002,")
    'Recalling its resolution # of #'
    >>> routine_key("report at its fifty-ninth session.") == routine_key(
    ...     "report at its sixtieth session;")
    True
    """
    return _routine(normalise(text))


def _routine(normal: str) -> str:
    """:func:`routine_key` of a text already through :func:`normalise`."""
    masked = _DATED.sub("#", normal)
    if "session" in masked:
        masked = _BEFORE_SESSION.sub(_mask_ordinal, masked)
    if masked.isascii():
        return " ".join(masked.translate(_ASCII_PUNCTUATION).split())
    return " ".join(_PUNCTUATION.sub(" ", masked).split())


def _mask_ordinal(match: re.Match[str]) -> str:
    return "#" if _SESSION_ORDINAL.fullmatch(match.group(1)) else match.group(1)


def tokens(text: str) -> list[str]:
    """Lower-case words of a paragraph, keeping ``Secretary-General`` and ``55/25`` whole.

    >>> tokens("Requests the Secretary-General, under resolution 55/25;")
    ['requests', 'the', 'secretary-general', 'under', 'resolution', '55/25']
    """
    return _WORD.findall(normalise(text).lower())


@dataclass(frozen=True, slots=True)
class _Features:
    """What alignment needs of one wording, whatever it is compared with."""

    words: tuple[str, ...]  # distinct tokens, in first-seen order
    counts: tuple[int, ...]  # how often each of them occurs
    key: str  # routine_key
    split: tuple[str, ...]  # the normalised wording split at white space, for the diff


_FEATURES_CACHED = 8192
"""Wordings whose features are kept: a text compared with its predecessor and then with its
successor is read once, and paragraphs carried over verbatim along a series are shared."""


@lru_cache(maxsize=_FEATURES_CACHED)
def _features(text: str) -> _Features:
    normal, split = normal_words(text)
    counts = Counter(_WORD.findall(normal.lower()))
    return _Features(tuple(counts), tuple(counts.values()), _routine(normal), tuple(split))


def word_weights(texts: Iterable[Sequence[str]]) -> dict[str, float]:
    """Inverse paragraph frequency of each word over the token lists given (never zero).

    ``log((n + 1) / (df + 0.5))``: a word found in every paragraph keeps a small weight.
    """
    return _inverse_frequency([set(words) for words in texts])


def _inverse_frequency(word_sets: Sequence[Iterable[str]]) -> dict[str, float]:
    """Weights from the distinct words of each paragraph (no word twice in one of them)."""
    frequency = Counter(chain.from_iterable(word_sets))
    count = len(word_sets)
    weight = [math.log((count + 1) / (df + 0.5)) for df in range(count + 1)]
    return dict(zip(frequency, map(weight.__getitem__, frequency.values()), strict=True))


@dataclass(frozen=True, slots=True)
class _Vector:
    words: tuple[str, ...]
    values: tuple[float, ...]  # the weight of each word, in the same order
    weights: dict[str, float]  # word -> weight
    norm: float


def _vector(words: Sequence[str], idf: dict[str, float]) -> _Vector:
    counts = Counter(words)
    return _weighted(tuple(counts), tuple(counts.values()), idf)


def _weighted(words: tuple[str, ...], counts: Iterable[int], idf: dict[str, float]) -> _Vector:
    values = tuple(map(mul, counts, map(idf.get, words, repeat(1.0))))
    norm = math.sqrt(sum(map(mul, values, values)))
    return _Vector(words, values, dict(zip(words, values, strict=True)), norm)


def _cosine(a: _Vector, b: _Vector) -> float:
    if not a.norm or not b.norm:
        return 0.0
    if len(a.words) > len(b.words):
        a, b = b, a
    # Products summed in a's word order (map keeps the loop in C; the sum is the same).
    dot: float = sum(map(mul, a.values, map(b.weights.get, a.words, repeat(0.0))))
    return min(1.0, dot / (a.norm * b.norm))


def similarity(a: str, b: str, idf: dict[str, float] | None = None) -> float:
    """Cosine similarity of two paragraphs' word vectors, weighted by ``idf`` if given.

    >>> round(similarity("Requests the Centre to report", "Requests the Office to report"), 2)
    0.8
    """
    weights = idf or {}
    return _cosine(_vector(tokens(a), weights), _vector(tokens(b), weights))


@dataclass(frozen=True, slots=True)
class _Side:
    texts: list[Text]
    features: list[_Features]


def align(
    earlier: Sequence[Text], later: Sequence[Text], threshold: float = AMENDED_THRESHOLD
) -> tuple[Change, ...]:
    """Align the paragraphs of ``later`` with those of ``earlier``, part by part.

    Returns one :class:`Change` per paragraph of either text, in reading order of the later
    text, each dropped paragraph placed after the change of the earlier paragraph before it.

    Raises:
        ValueError: if ``threshold`` is not between 0 and 1.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"align: threshold {threshold} is outside (0, 1]. Use e.g. 0.3")
    old_features = [_features(t.text) for t in earlier]
    new_features = [_features(t.text) for t in later]
    idf: dict[str, float] = {}

    def weights() -> dict[str, float]:
        # Over both texts' paragraphs, both parts; needed only if some are not identical.
        if not idf:
            idf.update(_inverse_frequency([f.words for f in (*old_features, *new_features)]))
        return idf

    changes: list[Change] = []
    for part in _PARTS:
        old = _side(earlier, old_features, part)
        new = _side(later, new_features, part)
        changes.extend(_align_part(part, old, new, weights, threshold))
    return tuple(changes)


def _side(texts: Sequence[Text], features: list[_Features], part: Part) -> _Side:
    chosen = sorted(
        ((t, f) for t, f in zip(texts, features, strict=True) if t.part == part),
        key=lambda pair: pair[0].order,
    )
    return _Side([t for t, _ in chosen], [f for _, f in chosen])


def _align_part(
    part: Part, old: _Side, new: _Side, weights: Callable[[], dict[str, float]], threshold: float
) -> list[Change]:
    """Greedy one-to-one assignment: identical wordings first, then the most similar pairs.

    Every identical pair outranks every scored pair, so the similarity is computed only
    for the paragraphs left unmatched once the identical pairs are assigned.
    """
    m, n = len(old.texts), len(new.texts)

    def drift(i: int, j: int) -> float:
        return abs((i + 0.5) / m - (j + 0.5) / n)

    match_of_new: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()

    def assign(candidates: list[tuple[float, float, int, int]]) -> None:
        candidates.sort()
        for negative, _drift, i, j in candidates:
            if i in taken or j in match_of_new:
                continue
            taken.add(i)
            match_of_new[j] = (i, -negative)

    by_key: dict[str, list[int]] = defaultdict(list)
    for i, features in enumerate(old.features):
        by_key[features.key].append(i)
    assign(
        [
            (-2.0, drift(i, j), i, j)  # identical wording outranks any similarity
            for j, features in enumerate(new.features)
            for i in by_key.get(features.key, ())
        ]
    )
    old_left = [i for i in range(m) if i not in taken]
    new_left = [j for j in range(n) if j not in match_of_new]
    if old_left and new_left:
        idf = weights()
        old_vectors = {i: _vector_of(old.features[i], idf) for i in old_left}
        new_vectors = {j: _vector_of(new.features[j], idf) for j in new_left}
        scored = []
        for i in old_left:
            for j in new_left:
                score = _cosine(old_vectors[i], new_vectors[j])
                if score >= threshold:
                    scored.append((-score, drift(i, j), i, j))
        assign(scored)
    return _in_reading_order(part, old, new, match_of_new)


def _vector_of(features: _Features, idf: dict[str, float]) -> _Vector:
    return _weighted(features.words, features.counts, idf)


def _in_reading_order(
    part: Part, old: _Side, new: _Side, match_of_new: dict[int, tuple[int, float]]
) -> list[Change]:
    matched_old = {i for i, _ in match_of_new.values()}
    dropped = [i for i in range(len(old.texts)) if i not in matched_old]
    out: list[Change] = []

    def flush(upto: int) -> None:
        while dropped and dropped[0] < upto:
            out.append(Change("dropped", part, old.texts[dropped.pop(0)], None, None))

    for j, later in enumerate(new.texts):
        if j not in match_of_new:
            out.append(Change("new", part, None, later, None))
            continue
        i, score = match_of_new[j]
        flush(i)
        earlier = old.texts[i]
        diff = diff_words(old.features[i].split, new.features[j].split)
        if score > 1.0:
            out.append(Change("carried-over", part, earlier, later, 1.0, diff))
        else:
            out.append(Change("amended", part, earlier, later, round(score, 3), diff))
    flush(len(old.texts))
    return out


def summary(changes: Iterable[Change]) -> dict[ChangeKind, int]:
    """How many paragraphs of each kind, for reports and pages.

    >>> summary([])
    {'carried-over': 0, 'amended': 0, 'new': 0, 'dropped': 0}
    """
    counts = Counter(c.kind for c in changes)
    return {kind: counts.get(kind, 0) for kind in CHANGE_KINDS}


__all__ = [
    "AMENDED_THRESHOLD",
    "CHANGE_KINDS",
    "Change",
    "ChangeKind",
    "DiffOp",
    "Text",
    "align",
    "format_diff",
    "normalise",
    "parse_diff",
    "routine_key",
    "similarity",
    "summary",
    "tokens",
    "word_diff",
    "word_weights",
]
