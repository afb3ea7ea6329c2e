"""Reference data for the parser: bodies, groups, treaties and clause actions.

The names, aliases and anaphors the parser recognises, and the phrases that map to a
clause action, are data in ``ontology/reference/*.ttl``, not code. This module reads
them once per process with rdflib into plain frozen dataclasses, so the parser itself
never touches RDF.

>>> g = load_gazetteer()
>>> g.entities["unodc"].name
'United Nations Office on Drugs and Crime'
>>> g.action_for("Also requests").mandate_kind
'request'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal, cast

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from kg.errors import ParseError
from kg.ids import BASE_IRI
from kg.model import MANDATE_KINDS, MandateKind
from kg.resources import ontology_dir
from kg.vocab import ACTION, DCTERMS, KG, MANDATE_KIND, RDF, SKOS

EntityKind = Literal["body", "group", "treaty"]

_FILES = ("bodies.ttl", "treaties.ttl", "actions.ttl")


@dataclass(frozen=True, slots=True)
class Entity:
    """A body, group or treaty, with every name a text may use for it.

    ``names`` are full names (prefLabel, altLabels, short name) that identify it on
    their own; ``anaphors`` ("the Office") refer to it only once it has been named.
    """

    id: str
    kind: EntityKind
    name: str
    short_name: str | None = None
    names: tuple[str, ...] = ()
    anaphors: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()
    supplements: str | None = None
    related: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Action:
    """A clause action ("request") with the phrases that express it."""

    id: str
    label: str
    phrases: tuple[str, ...]
    mandate_kind: MandateKind | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Gazetteer:
    """Lookup tables built from the reference data.

    ``names`` maps each full name to its entity id; ``anaphors`` maps each short form
    to the ids it may refer to; ``phrases`` maps a case-folded phrase to an action id;
    ``phrase_starts`` holds the first one, two, … words of each phrase (case-folded, one
    space apart), so a reader can stop extending a phrase the lexicon cannot hold;
    ``pattern`` finds any name or anaphor in a text, longest first. Compared and hashed
    by identity, so that results computed with it can be cached.
    """

    entities: Mapping[str, Entity]
    actions: Mapping[str, Action]
    names: Mapping[str, str]
    anaphors: Mapping[str, tuple[str, ...]]
    phrases: Mapping[str, str]
    first_words: frozenset[str]
    phrase_starts: frozenset[str]
    pattern: re.Pattern[str]

    def action_for(self, phrase: str) -> Action | None:
        """The action a phrase expresses, or ``None`` if the lexicon lacks it."""
        action_id = self.phrases.get(" ".join(phrase.split()).casefold())
        return self.actions[action_id] if action_id else None

    def entity_named(self, name: str) -> Entity | None:
        """The entity a full name (not an anaphor) designates, if any."""
        entity_id = self.names.get(name)
        return self.entities[entity_id] if entity_id else None


@functools.cache
def load_gazetteer(folder: Path | None = None) -> Gazetteer:
    """Load the reference data from ``folder`` (default: the bundled ``ontology/reference``).

    Loaded once per process and folder.

    Raises:
        ParseError: if a file is missing or is not valid Turtle, or if two entities
            claim the same name.
    """
    folder = folder or ontology_dir() / "reference"
    graph = Graph()
    for name in _FILES:
        path = folder / name
        try:
            graph.parse(path, format="turtle", publicID=BASE_IRI)
        except FileNotFoundError as e:
            raise ParseError(
                str(path), "reference data file is missing", hint="Reinstall kg"
            ) from e
        except (SyntaxError, ValueError) as e:
            reason = " ".join(str(e).split())[:200]
            raise ParseError(str(path), f"not valid Turtle: {reason}", hint="Fix the file") from e
    entities = _read_entities(graph)
    actions = _read_actions(graph)
    return _build(entities, actions, source=str(folder))


def _term(term: object) -> URIRef:
    """A kg term as rdflib expects it (``DefinedNamespace`` attributes are typed loosely)."""
    return cast(URIRef, term)


def _read_entities(graph: Graph) -> dict[str, Entity]:
    kinds: list[tuple[URIRef, EntityKind]] = [
        (cast(URIRef, KG.Body), "body"),
        (cast(URIRef, KG.Group), "group"),
        (cast(URIRef, KG.Treaty), "treaty"),
    ]
    entities: dict[str, Entity] = {}
    for rdf_class, kind in kinds:
        for subject in sorted(graph.subjects(RDF.type, rdf_class), key=str):
            if not isinstance(subject, URIRef):
                continue
            name = _text(graph.value(subject, SKOS.prefLabel))
            if not name:
                raise ParseError(f"reference data {subject}", "has no skos:prefLabel")
            short = _text(graph.value(subject, _term(KG.shortName)))
            alts = _texts(graph.objects(subject, SKOS.altLabel))
            names = _unique([name, *alts, *([short] if short else [])])
            entities[_local_id(subject)] = Entity(
                id=_local_id(subject),
                kind=kind,
                name=name,
                short_name=short,
                names=names,
                anaphors=_texts(graph.objects(subject, _term(KG.anaphor))),
                parents=_ids(graph.objects(subject, _term(KG.parentBody))),
                predecessors=_ids(graph.objects(subject, _term(KG.predecessor))),
                successors=_ids(graph.objects(subject, _term(KG.successor))),
                supplements=next(iter(_ids(graph.objects(subject, _term(KG.supplements)))), None),
                related=_ids(graph.objects(subject, DCTERMS.relation)),
            )
    return entities


def _read_actions(graph: Graph) -> dict[str, Action]:
    actions: dict[str, Action] = {}
    kinds = {str(MANDATE_KIND[kind]): kind for kind in MANDATE_KINDS}
    for subject in sorted(graph.subjects(RDF.type, cast(URIRef, KG.Action)), key=str):
        action_id = str(subject).removeprefix(str(ACTION))
        kind_iri = graph.value(subject, _term(KG.mandateKind))
        phrases = _texts(graph.objects(subject, SKOS.altLabel))
        actions[action_id] = Action(
            id=action_id,
            label=_text(graph.value(subject, SKOS.prefLabel)) or action_id,
            phrases=tuple(sorted(phrases, key=lambda p: (-len(p), p))),
            mandate_kind=kinds.get(str(kind_iri)) if kind_iri is not None else None,
        )
    return actions


def _build(entities: dict[str, Entity], actions: dict[str, Action], source: str) -> Gazetteer:
    names: dict[str, str] = {}
    anaphors: dict[str, list[str]] = {}
    for entity in entities.values():
        for name in entity.names:
            other = names.setdefault(name, entity.id)
            if other != entity.id:
                raise ParseError(
                    source,
                    f"the name {name!r} belongs to both {other!r} and {entity.id!r}",
                    hint="Make it an anaphor of both, or keep it on one",
                )
        for anaphor in entity.anaphors:
            anaphors.setdefault(anaphor, []).append(entity.id)
    phrases: dict[str, str] = {}
    for action in actions.values():
        for phrase in action.phrases:
            phrases.setdefault(phrase.casefold(), action.id)
    surfaces = set(names) | set(anaphors)
    return Gazetteer(
        entities=MappingProxyType(entities),
        actions=MappingProxyType(actions),
        names=MappingProxyType(names),
        anaphors=MappingProxyType({k: tuple(v) for k, v in anaphors.items()}),
        phrases=MappingProxyType(phrases),
        first_words=frozenset(p.split()[0] for p in phrases),
        phrase_starts=frozenset(_starts(phrases)),
        pattern=re.compile(r"(?<![\w-])(?:" + trie_pattern(surfaces) + r")(?![\w-])"),
    )


def _starts(phrases: Iterable[str]) -> Iterable[str]:
    """Every run of first words of each phrase that :meth:`Gazetteer.action_for` can find."""
    for phrase in phrases:
        parts = phrase.split()
        if " ".join(parts) == phrase:  # a phrase with other spacing is never looked up
            yield from (" ".join(parts[:count]) for count in range(1, len(parts) + 1))


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, preferring the longest.

    Built as a character trie, so matching costs one pass instead of one try per word.

    >>> re.fullmatch(trie_pattern(["the Office", "the Office of X"]), "the Office of X") is not None
    True
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    ends = "" in node
    branches = [
        re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return "(?:" + body + ")?"
    return body


def _local_id(iri: Node) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _ids(nodes: Iterable[Node]) -> tuple[str, ...]:
    return tuple(sorted(_local_id(n) for n in nodes if isinstance(n, URIRef)))


def _text(node: Node | None) -> str | None:
    return str(node) if isinstance(node, RdfLiteral) else None


def _texts(nodes: Iterable[Node]) -> tuple[str, ...]:
    return tuple(sorted(str(n) for n in nodes if isinstance(n, RdfLiteral)))


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


__all__ = ["Action", "Entity", "EntityKind", "Gazetteer", "load_gazetteer", "trie_pattern"]
