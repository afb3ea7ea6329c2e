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
from dataclasses import dataclass

from kg.gazetteer import Gazetteer
from kg.model import Mention

_BARE = re.compile(r"\b(Assembly|Council|Commission|Conference|Committee)(?=\s+resolutions?\b)")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a text names an entity (or, for a plural anaphor, several)."""

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
        self._related: dict[str, list[str]] = {}
        for entity in gazetteer.entities.values():
            for other in entity.related:
                self._related.setdefault(other, []).append(entity.id)
        for entity_id in (*context, issuer_id or ""):
            if entity_id in gazetteer.entities:
                self._touch(entity_id)

    def annotate(self, text: str) -> list[Span]:
        """The entities ``text`` names, in order; anaphors resolved as they come."""
        spans: list[Span] = []
        position = 0
        for start, end, surface in self._candidates(text):
            if start < position:
                continue
            entity_id = self.gazetteer.names.get(surface)
            if entity_id:
                spans.extend(self._nested(surface, start))
                spans.append(Span(start, end, (entity_id,), surface))
                self._touch(entity_id)
            else:
                ids = self.resolve(surface)
                if ids:
                    spans.append(Span(start, end, ids, surface, anaphor=True))
                    for resolved in ids:
                        self._touch(resolved)
            position = end
        spans.sort(key=lambda span: (span.start, -span.end))
        return spans

    def resolve(self, anaphor: str) -> tuple[str, ...]:
        """The entity (or entities) an anaphor refers to now; empty if none was named."""
        if anaphor in self.gazetteer.anaphors:
            candidates = self.gazetteer.anaphors[anaphor]
        else:
            candidates = self.gazetteer.anaphors.get("the " + anaphor, ())
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
        for match in pattern.finditer(text):
            start, end, surface = match.start(), match.end(), match.group()
            if surface.startswith("the ") and surface not in self.gazetteer.names:
                # "the Centre for International Crime Prevention": the full name wins.
                inner = pattern.match(text, start + 4)
                if inner and inner.end() > end and inner.group() in self.gazetteer.names:
                    start, end, surface = inner.start(), inner.end(), inner.group()
            found.append((start, end, surface))
        found.extend((m.start(), m.end(), m.group()) for m in _BARE.finditer(text))
        found.sort(key=lambda item: (item[0], -item[1]))
        return found

    def _nested(self, surface: str, offset: int) -> list[Span]:
        """Names inside a longer name: the Convention in "Conference of the Parties to …"."""
        inner: list[Span] = []
        for match in self.gazetteer.pattern.finditer(surface, 1):
            entity_id = self.gazetteer.names.get(match.group())
            if entity_id and self.gazetteer.entities[entity_id].kind != "group":
                inner.append(
                    Span(offset + match.start(), offset + match.end(), (entity_id,), match.group())
                )
                self._touch(entity_id)
        return inner

    def _touch(self, entity_id: str) -> None:
        self._clock += 1
        for related in self._related.get(entity_id, ()):
            self._recent[related] = self._clock
        self._clock += 1
        self._recent[entity_id] = self._clock


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
