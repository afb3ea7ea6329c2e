"""Names of bodies, groups and treaties in a text, with anaphors resolved.

An anaphor ("the Centre", "the Convention", "the Office") refers to the entity of
that kind named in full most recently; "the Protocols thereto" to all protocols of
the convention named most recently. Naming a treaty also brings its treaty body
into play, so "the Conference of the Parties" finds the conference of the treaty
under discussion. The adopting body counts as named from the start, so "the
Assembly" in an Assembly text, or "the Commission" in a commission's, is itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.gazetteer import Gazetteer
from kg.model import Mention

# "\b(Assembly|Council|…)" with each "\bX" written "X(?<=\bX)", so that the search skips
# ahead to each "A" and "C".
_BARE = re.compile(
    r"(?:A(?<=\bA)ssembly|C(?<=\bC)(?:ouncil|ommission|onference|ommittee))"
    r"(?=\s+resolutions?\b)"
)


class Span(NamedTuple):
    """Where a text names an entity (or, for a plural anaphor, several).

    A named tuple rather than a frozen dataclass: as immutable, and quicker to create.
    """

    start: int
    end: int
    ids: tuple[str, ...]
    surface: str
    anaphor: bool = False


class Tracker:
    """Reads texts in document order and remembers which entities they named last.

    ``context`` lists bodies that count as named before the issuer: for a draft, the
    body recommending it ("the Commission" in a draft the Commission wrote).
    """

    def __init__(
        self, gazetteer: Gazetteer, issuer_id: str | None = None, context: tuple[str, ...] = ()
    ) -> None:
        self.gazetteer = gazetteer
        self._recent: dict[str, int] = {}
        self._clock = 0
        tables = _tables(gazetteer)
        self._related, self._inner, self._lead_ins = tables.related, tables.inner, tables.lead_ins
        for entity_id in (*context, issuer_id or ""):
            if entity_id in gazetteer.entities:
                self._touch(entity_id)

    def annotate(self, text: str) -> list[Span]:
        """The entities ``text`` names, in order; anaphors resolved as they come."""
        spans: list[Span] = []
        position = 0
        names = self.gazetteer.names
        nested = False
        for start, end, surface in self._candidates(text):
            if start < position:
                continue
            entity_id = names.get(surface)
            if entity_id:
                inner = self._nested(surface, start)
                if inner:
                    spans.extend(inner)
                    nested = True
                spans.append(Span(start, end, (entity_id,), surface))
                self._touch(entity_id)
            else:
                ids = self.resolve(surface)
                if ids:
                    spans.append(Span(start, end, ids, surface, anaphor=True))
                    for resolved in ids:
                        self._touch(resolved)
            position = end
        if nested:  # otherwise each span starts after the one before
            spans.sort(key=lambda span: (span.start, -span.end))
        return spans

    def resolve(self, anaphor: str) -> tuple[str, ...]:
        """The entity (or entities) an anaphor refers to now; empty if none was named."""
        if anaphor in self.gazetteer.anaphors:
            candidates = self.gazetteer.anaphors[anaphor]
        else:
            candidates = self.gazetteer.anaphors.get("the " + anaphor, ())
        if len(candidates) == 1:  # most anaphors
            return candidates if candidates[0] in self._recent else ()
        if not candidates:
            return ()
        entities = self.gazetteer.entities
        parents = {entities[c].supplements for c in candidates}
        if len(candidates) > 1 and None not in parents:
            named = [p for p in parents if p is not None and p in self._recent]
            if not named:
                return ()
            parent = max(named, key=self._recent.__getitem__)
            return tuple(c for c in candidates if entities[c].supplements == parent)
        named_candidates = [c for c in candidates if c in self._recent]
        if not named_candidates:
            return ()
        return (max(named_candidates, key=self._recent.__getitem__),)

    def _candidates(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        pattern = self.gazetteer.pattern
        names = self.gazetteer.names
        for match in pattern.finditer(text):
            surface = match.group()
            if surface in self._lead_ins:
                # "the Centre for International Crime Prevention": the full name wins.
                start, end = match.span()
                inner = pattern.match(text, start + 4)
                if inner and inner.end() > end and inner.group() in names:
                    found.append((inner.start(), inner.end(), inner.group()))
                    continue
            found.append((*match.span(), surface))
        # The names found so far start in order (a full name after "the " starts before
        # the next match): only the bare names need sorting in.
        if "resolution" in text:  # what _BARE's lookahead needs
            found.extend((m.start(), m.end(), m.group()) for m in _BARE.finditer(text))
            found.sort(key=lambda item: (item[0], -item[1]))
        return found

    def _nested(self, surface: str, offset: int) -> list[Span]:
        """Names inside a longer name: the Convention in "Conference of the Parties to …"."""
        found = self._inner.get(surface)
        if found is None:
            found = self._inner[surface] = _inner_names(self.gazetteer, surface)
        inner: list[Span] = []
        for start, end, entity_id, name in found:
            inner.append(Span(offset + start, offset + end, (entity_id,), name))
            self._touch(entity_id)
        return inner

    def _touch(self, entity_id: str) -> None:
        self._clock += 1
        for related in self._related.get(entity_id, ()):
            self._recent[related] = self._clock
        self._clock += 1
        self._recent[entity_id] = self._clock


_Inner = tuple[tuple[int, int, str, str], ...]


@dataclass(slots=True)
class _Tables:
    """What trackers over one gazetteer share: the entities related to each, the
    anaphors "the X" where X starts a longer name, and the names inside each name
    (filled as names are met)."""

    gazetteer: Gazetteer
    related: dict[str, list[str]]
    lead_ins: frozenset[str]
    inner: dict[str, _Inner] = field(default_factory=dict)


_TABLES: dict[int, _Tables] = {}


def _tables(gazetteer: Gazetteer) -> _Tables:
    cached = _TABLES.get(id(gazetteer))
    if cached and cached.gazetteer is gazetteer:
        return cached
    related: dict[str, list[str]] = {}
    for entity in gazetteer.entities.values():
        for other in entity.related:
            related.setdefault(other, []).append(entity.id)
    names = gazetteer.names
    lead_ins = frozenset(
        anaphor
        for anaphor in gazetteer.anaphors
        if anaphor.startswith("the ")
        and anaphor not in names
        and any(name.startswith(anaphor[4:]) and len(name) > len(anaphor) - 4 for name in names)
    )
    tables = _TABLES[id(gazetteer)] = _Tables(gazetteer, related, lead_ins)
    return tables


def _inner_names(gazetteer: Gazetteer, surface: str) -> _Inner:
    """(start, end, id, name) of each name, other than a group's, inside ``surface``."""
    found: list[tuple[int, int, str, str]] = []
    for match in gazetteer.pattern.finditer(surface, 1):
        entity_id = gazetteer.names.get(match.group())
        if entity_id and gazetteer.entities[entity_id].kind != "group":
            found.append((match.start(), match.end(), entity_id, match.group()))
    return tuple(found)


def mentions_in(key: str, spans: list[Span], gazetteer: Gazetteer) -> list[Mention]:
    """One mention per treaty or body a paragraph names (groups are not mentions)."""
    seen: set[str] = set()
    mentions: list[Mention] = []
    for span in spans:
        for entity_id in span.ids:
            entity = gazetteer.entities[entity_id]
            if entity.kind == "group" or entity_id in seen:
                continue
            seen.add(entity_id)
            mentions.append(Mention(key, entity.kind, entity_id, entity.name, span.surface))
    return mentions


def span_ending_at(spans: list[Span], text: str, position: int) -> Span | None:
    """The span that ends right before ``position`` (only spaces between)."""
    for span in reversed(spans):
        if span.end <= position:
            return span if not text[span.end : position].strip() else None
    return None


def span_starting_at(spans: list[Span], text: str, position: int) -> Span | None:
    """The first span at or after ``position`` with only spaces before it."""
    for span in spans:
        if span.start >= position:
            return span if not text[position : span.start].strip() else None
    return None
