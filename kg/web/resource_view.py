"""What a resource page shows, read from the store: metadata, paragraphs, mandates, links.

The page for a resolution lists its paragraphs in order with the leading phrase
marked and the words that cite a resolution or name a treaty or body linked to it;
every resource page lists its properties, what refers to it and its labels. All
text is returned as plain strings: the templates escape it (document text is
untrusted). Queries here are the server's own, small and bounded, so they run in
this process; visitors' queries go to the workers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.errors import NotFoundError
from kg.rdfio import Term
from kg.store import GraphStore
from kg.vocab import ELI, KG, RDF, RDFS, SKOS

Href = Callable[[str], str]

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LABELS = (KG.symbol, SKOS.prefLabel, RDFS.label, KG.resolutionNumber, KG.shortName)
_NAMES = (*_LABELS, SKOS.altLabel, KG.citedAs)
_PARAGRAPH_LINKS = (ELI.cites, KG.mentionsTreaty, KG.mentionsBody, KG.createsMandate)
_HIDDEN_ON_DOCUMENTS = {str(KG.hasParagraph), str(KG.hasFootnote)}
_HIDDEN_INCOMING = {str(KG.paragraphOf), str(KG.footnoteOf), str(KG.subParagraphOf)}
INCOMING_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Link:
    """A value on a page: a link (``href``) to a resource, or a literal's text."""

    text: str
    href: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One property of a resource and its values."""

    label: str
    href: str
    values: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of paragraph text: ``kind`` is ``phrase``, ``link`` or ``text``."""

    text: str
    kind: str = "text"
    href: str | None = None


@dataclass(frozen=True, slots=True)
class ParagraphView:
    href: str
    anchor: str
    number: str | None
    segments: tuple[Segment, ...]
    links: tuple[Row, ...]
    subparagraphs: tuple[ParagraphView, ...] = ()


@dataclass(frozen=True, slots=True)
class MandateView:
    link: Link
    paragraph: Link
    kinds: tuple[Link, ...]
    addressees: tuple[Link, ...]
    tasks: tuple[str, ...]
    report_to: tuple[Link, ...]
    due: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FootnoteView:
    mark: str
    text: str
    paragraph: Link | None


@dataclass(frozen=True, slots=True)
class ResourceView:
    """Everything a resource page shows about ``iri``."""

    iri: str
    title: str
    types: tuple[Link, ...]
    properties: tuple[Row, ...]
    incoming: tuple[Row, ...]
    preamble: tuple[ParagraphView, ...] = ()
    operative: tuple[ParagraphView, ...] = ()
    mandates: tuple[MandateView, ...] = ()
    footnotes: tuple[FootnoteView, ...] = ()
    cited_by: tuple[Link, ...] = ()
    graph_size: int | None = None

    @property
    def is_document(self) -> bool:
        return bool(self.preamble or self.operative)


def iri_ref(iri: str) -> str:
    """``<iri>`` for a SPARQL query, for an IRI that came from a request path.

    Raises:
        NotFoundError: if ``iri`` holds characters no IRI may hold (it names nothing here).
    """
    if _IRI_FORBIDDEN.search(iri) or not iri:
        raise NotFoundError("resource", iri, "Not a valid IRI")
    return f"<{iri}>"


class _Reader:
    """Runs the page's queries and turns terms into links with labels."""

    def __init__(self, store: GraphStore, href: Href, prefixes: dict[str, str]) -> None:
        self.store = store
        self.href = href
        self.prefixes = prefixes
        self.header = "".join(f"PREFIX {p}: <{i}>\n" for p, i in prefixes.items())
        self.labels: dict[str, str] = {}
        self.names: dict[str, list[str]] = defaultdict(list)

    def rows(self, sparql: str) -> list[dict[str, Term]]:
        return self.store.select_rows(self.header + sparql, name="page")[1]

    def load_labels(self, iris: Iterable[str]) -> None:
        wanted = sorted({i for i in iris if i not in self.labels and not _IRI_FORBIDDEN.search(i)})
        if not wanted:
            return
        values = " ".join(f"<{i}>" for i in wanted)
        props = " ".join(f"<{p}>" for p in _NAMES)
        found: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for row in self.rows(
            f"SELECT DISTINCT ?x ?p ?l {{ VALUES ?x {{ {values} }} "
            f"VALUES ?p {{ {props} }} ?x ?p ?l }}"
        ):
            label = row["l"]
            if isinstance(label, Literal):
                found[_v(row["x"])][_v(row["p"])].append((label.value, label.language or ""))
        for iri in wanted:
            by_prop = found.get(iri, {})
            for prop in _NAMES:
                for text, lang in by_prop.get(str(prop), []):
                    if lang in ("", "en") and text not in self.names[iri]:
                        self.names[iri].append(text)
            best = next(
                (
                    text
                    for prop in _LABELS
                    for text, lang in sorted(by_prop.get(str(prop), []), key=lambda t: t[1] != "en")
                    if lang in ("", "en")
                ),
                None,
            )
            self.labels[iri] = best or self.fallback(iri)

    def fallback(self, iri: str) -> str:
        """A readable name for an IRI without a label: paragraphs and mandates by position."""
        if "/mandate" in iri:
            return _mandate_label(iri)
        match = re.search(r"^(.*?)/((?:draft/)?(?:preamble|operative|footnote)/.*)$", iri)
        if match:
            owner = self.labels.get(match.group(1)) or self.compact(match.group(1))
            return f"{owner} {match.group(2).replace('/', ' ')}"
        return self.compact(iri)

    def compact(self, iri: str) -> str:
        """A prefixed name for ``iri`` if a prefix fits, else the IRI."""
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def link(self, term: Term) -> Link:
        if isinstance(term, NamedNode):
            return Link(
                self.labels.get(term.value) or self.compact(term.value), self.href(term.value)
            )
        if isinstance(term, BlankNode):
            return Link(f"_:{term.value}")
        if isinstance(term, Literal):
            note = term.language or None
            datatype = term.datatype.value if term.datatype else ""
            if not note and not datatype.endswith(("#string", "#langString")):
                note = self.compact(datatype)
            return Link(term.value, None, note)
        return Link(str(term))


def build_view(
    store: GraphStore, iri: str, href: Href, prefixes: dict[str, str], graph_names: list[str]
) -> ResourceView:
    """Read everything the page for ``iri`` shows.

    Raises:
        NotFoundError: if ``iri`` occurs nowhere in the store.
        StoreError: if the store cannot be read.
    """
    ref = iri_ref(iri)
    reader = _Reader(store, href, prefixes)
    try:
        triples = store.describe(iri)
    except NotFoundError:
        triples = []
    own = [t for t in triples if isinstance(t.subject, NamedNode) and t.subject.value == iri]
    incoming = reader.rows(
        f"SELECT DISTINCT ?s ?p {{ ?s ?p {ref} }} ORDER BY ?p ?s LIMIT {INCOMING_LIMIT}"
    )
    is_graph = iri in graph_names
    if not own and not incoming and not is_graph:
        raise NotFoundError("resource", iri, "Browse from /about or query /sparql")
    document = any(t.predicate.value == str(KG.hasParagraph) for t in own)
    seen = {iri} | {t.predicate.value for t in own}
    seen |= {t.object.value for t in own if isinstance(t.object, NamedNode)}
    seen |= {_v(r["s"]) for r in incoming if isinstance(r["s"], NamedNode)}
    seen |= {_v(r["p"]) for r in incoming}
    parts = _read_document(reader, ref) if document else None
    if parts is not None:
        seen |= parts.iris
    reader.load_labels(seen)
    types = tuple(reader.link(t.object) for t in own if t.predicate.value == str(RDF.type))
    hidden = {str(RDF.type)} | (_HIDDEN_ON_DOCUMENTS if document else set())
    properties = _group(
        reader, [(t.predicate, t.object) for t in own if t.predicate.value not in hidden]
    )
    pointing = [
        (r["p"], r["s"]) for r in incoming if not document or _v(r["p"]) not in _HIDDEN_INCOMING
    ]
    cited_by = tuple(reader.link(s) for p, s in pointing if _v(p) == str(ELI.cites))
    view = ResourceView(
        iri=iri,
        title=reader.labels.get(iri) or reader.compact(iri),
        types=types,
        properties=properties,
        incoming=_group(reader, pointing),
        cited_by=cited_by,
        graph_size=store.count_triples(iri) if is_graph else None,
    )
    if parts is None:
        return view
    return _with_document(view, reader, parts)


def _group(reader: _Reader, pairs: list[tuple[Term, Term]]) -> tuple[Row, ...]:
    grouped: dict[str, list[Link]] = defaultdict(list)
    for predicate, value in pairs:
        link = reader.link(value)
        if link not in grouped[_v(predicate)]:
            grouped[_v(predicate)].append(link)
    rows = [
        Row(reader.labels.get(p) or reader.compact(p), reader.href(p), tuple(values))
        for p, values in grouped.items()
    ]
    return tuple(sorted(rows, key=lambda row: row.label.lower()))


# ---------------------------------------------------------------- documents


@dataclass(slots=True)
class _Parts:
    paragraphs: list[dict[str, Term]]
    subparagraphs: list[dict[str, Term]]
    links: list[dict[str, Term]]
    mandates: list[dict[str, Term]]
    footnotes: list[dict[str, Term]]
    iris: set[str]


def _read_document(reader: _Reader, ref: str) -> _Parts:
    paragraphs = reader.rows(
        f"""SELECT DISTINCT ?p ?type ?order ?number ?phrase ?text {{
          ?p kg:paragraphOf {ref} ; kg:order ?order ; a ?type .
          FILTER(?type IN (kg:PreambularParagraph, kg:OperativeParagraph))
          OPTIONAL {{ ?p kg:number ?number }} OPTIONAL {{ ?p kg:leadingPhrase ?phrase }}
          OPTIONAL {{ ?p kg:text ?text }} }}"""
    )
    subparagraphs = reader.rows(
        f"""SELECT DISTINCT ?parent ?p ?order ?label ?text {{
          ?parent kg:paragraphOf {ref} ; kg:hasSubParagraph ?p .
          OPTIONAL {{ ?p kg:order ?order }} OPTIONAL {{ ?p kg:label ?label }}
          OPTIONAL {{ ?p kg:text ?text }} }}"""
    )
    rels = " ".join(f"<{p}>" for p in _PARAGRAPH_LINKS)
    links = reader.rows(
        f"""SELECT DISTINCT ?p ?rel ?o {{
          ?top kg:paragraphOf {ref} . ?top kg:hasSubParagraph* ?p .
          VALUES ?rel {{ {rels} }} ?p ?rel ?o }}"""
    )
    mandates = reader.rows(
        f"""SELECT DISTINCT ?m ?p ?kind ?addressee ?task ?reportTo ?dueSession ?dueYear {{
          ?top kg:paragraphOf {ref} . ?top kg:hasSubParagraph* ?p . ?p kg:createsMandate ?m .
          OPTIONAL {{ ?m kg:mandateKind ?kind }} OPTIONAL {{ ?m kg:addressee ?addressee }}
          OPTIONAL {{ ?m kg:task ?task }} OPTIONAL {{ ?m kg:reportTo ?reportTo }}
          OPTIONAL {{ ?m kg:dueSession ?dueSession }} OPTIONAL {{ ?m kg:dueYear ?dueYear }} }}"""
    )
    footnotes = reader.rows(
        f"""SELECT DISTINCT ?f ?mark ?text ?p {{ ?f kg:footnoteOf {ref} ; kg:mark ?mark .
          OPTIONAL {{ ?f kg:text ?text }} OPTIONAL {{ ?f kg:inParagraph ?p }} }}"""
    )
    iris = {
        term.value
        for row in [*links, *mandates, *footnotes]
        for term in row.values()
        if isinstance(term, NamedNode)
    }
    return _Parts(paragraphs, subparagraphs, links, mandates, footnotes, iris)


def _with_document(view: ResourceView, reader: _Reader, parts: _Parts) -> ResourceView:
    links_of: dict[str, list[tuple[str, Term]]] = defaultdict(list)
    for row in parts.links:
        links_of[_v(row["p"])].append((_v(row["rel"]), row["o"]))
    subs_of: dict[str, list[dict[str, Term]]] = defaultdict(list)
    for row in parts.subparagraphs:
        subs_of[_v(row["parent"])].append(row)
    preamble: list[tuple[int, ParagraphView]] = []
    operative: list[tuple[int, ParagraphView]] = []
    done: set[str] = set()
    for row in parts.paragraphs:
        iri = _v(row["p"])
        if iri in done:
            continue
        done.add(iri)
        subs = sorted(subs_of.get(iri, []), key=lambda r: _number(r.get("order")))
        paragraph = ParagraphView(
            href=reader.href(iri),
            anchor=_anchor(iri),
            number=_text(row.get("number")),
            segments=_segments(
                reader,
                _text(row.get("text")) or "",
                _text(row.get("phrase")),
                links_of.get(iri, []),
            ),
            links=_paragraph_links(reader, links_of.get(iri, [])),
            subparagraphs=tuple(_subparagraph(reader, sub, links_of) for sub in subs),
        )
        target = operative if _v(row["type"]) == str(KG.OperativeParagraph) else preamble
        target.append((_number(row.get("order")), paragraph))
    return ResourceView(
        iri=view.iri,
        title=view.title,
        types=view.types,
        properties=view.properties,
        incoming=view.incoming,
        preamble=tuple(p for _, p in sorted(preamble, key=lambda x: x[0])),
        operative=tuple(p for _, p in sorted(operative, key=lambda x: x[0])),
        mandates=_mandates(reader, parts.mandates),
        footnotes=tuple(
            FootnoteView(
                mark=_text(r.get("mark")) or "",
                text=_text(r.get("text")) or "",
                paragraph=reader.link(r["p"]) if "p" in r else None,
            )
            for r in sorted(parts.footnotes, key=lambda r: _number(r.get("mark")))
        ),
        cited_by=view.cited_by,
        graph_size=view.graph_size,
    )


def _subparagraph(
    reader: _Reader, row: dict[str, Term], links_of: dict[str, list[tuple[str, Term]]]
) -> ParagraphView:
    iri = _v(row["p"])
    return ParagraphView(
        href=reader.href(iri),
        anchor=_anchor(iri),
        number=_text(row.get("label")),
        segments=_segments(reader, _text(row.get("text")) or "", None, links_of.get(iri, [])),
        links=_paragraph_links(reader, links_of.get(iri, [])),
    )


def _paragraph_links(reader: _Reader, links: list[tuple[str, Term]]) -> tuple[Row, ...]:
    names = {
        str(ELI.cites): "Cites",
        str(KG.mentionsTreaty): "Mentions treaty",
        str(KG.mentionsBody): "Mentions body",
        str(KG.createsMandate): "Creates mandate",
    }
    rows = []
    for rel, label in names.items():
        values = tuple(
            sorted({reader.link(o) for r, o in links if r == rel}, key=lambda link: link.text)
        )
        if values:
            rows.append(Row(label, reader.href(rel), values))
    return tuple(rows)


def _segments(
    reader: _Reader, text: str, phrase: str | None, links: list[tuple[str, Term]]
) -> tuple[Segment, ...]:
    """The text cut into the leading phrase, linked names and plain runs."""
    segments: list[Segment] = []
    if phrase and text.startswith(phrase):
        segments.append(Segment(phrase, "phrase"))
        text = text[len(phrase) :]
    needles: dict[str, str] = {}
    for rel, target in links:
        if rel == str(KG.createsMandate) or not isinstance(target, NamedNode):
            continue
        for name in reader.names.get(target.value, []):
            if len(name) >= 3:
                needles.setdefault(name, reader.href(target.value))
    if needles:
        alternatives = "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w/])(?:{alternatives})(?![\w/])")
        position = 0
        for match in pattern.finditer(text):
            if match.start() > position:
                segments.append(Segment(text[position : match.start()]))
            segments.append(Segment(match.group(), "link", needles[match.group()]))
            position = match.end()
        text = text[position:]
    if text:
        segments.append(Segment(text))
    return tuple(segments)


def _mandates(reader: _Reader, rows: list[dict[str, Term]]) -> tuple[MandateView, ...]:
    by_mandate: dict[str, list[dict[str, Term]]] = defaultdict(list)
    for row in rows:
        by_mandate[_v(row["m"])].append(row)

    def links(group: list[dict[str, Term]], key: str) -> tuple[Link, ...]:
        return tuple(dict.fromkeys(reader.link(r[key]) for r in group if key in r))

    def texts(group: list[dict[str, Term]], *keys: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_text(r[k]) or "" for r in group for k in keys if k in r))

    views = []
    for iri, group in sorted(by_mandate.items(), key=lambda item: _natural(item[0])):
        views.append(
            MandateView(
                link=Link(_mandate_label(iri), reader.href(iri)),
                paragraph=reader.link(group[0]["p"]),
                kinds=links(group, "kind"),
                addressees=links(group, "addressee"),
                tasks=texts(group, "task"),
                report_to=links(group, "reportTo"),
                due=tuple(f"session {s}" for s in texts(group, "dueSession"))
                + texts(group, "dueYear"),
            )
        )
    return tuple(views)


def _text(term: Term | None) -> str | None:
    if term is None:
        return None
    return f"_:{term.value}" if isinstance(term, BlankNode) else _v(term)


def _v(term: Term) -> str:
    """The IRI, lexical form or label of a term; a triple term in N-Triples syntax."""
    return str(term) if isinstance(term, Triple) else term.value


def _number(term: Term | None) -> int:
    text = _text(term) or ""
    return int(text) if text.isdigit() else 10**6


def _natural(iri: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", iri)]


def _anchor(iri: str) -> str:
    """A fragment id for a paragraph: ``operative-7``, ``preamble-2``, ``operative-7-a``."""
    match = re.search(r"/((?:draft/)?(?:preamble|operative)/.*)$", iri)
    return (match.group(1) if match else iri.rsplit("/", 1)[-1]).replace("/", "-")


def _mandate_label(iri: str) -> str:
    """``mandate of operative 7`` (``… 2`` for a paragraph's second mandate)."""
    match = re.search(r"/((?:draft/)?(?:preamble|operative)/.*?)/mandate(?:/(\d+))?$", iri)
    if not match:
        return iri
    where = match.group(1).replace("/", " ")
    return f"mandate {match.group(2)} of {where}" if match.group(2) else f"mandate of {where}"


def resource_exists(store: GraphStore, iri: str, graph_names: list[str]) -> bool:
    """Whether ``iri`` occurs in the store as a subject, an object or a graph name.

    Raises:
        StoreError: if the store cannot be read.
    """
    if _IRI_FORBIDDEN.search(iri) or not iri:
        return False
    if iri in graph_names:
        return True
    ref = f"<{iri}>"
    answer = store.query(f"ASK {{ {{ {ref} ?p ?o }} UNION {{ ?s ?p {ref} }} }}", name="page")
    return bool(answer)


def resource_triples(store: GraphStore, iri: str, graph_names: list[str]) -> list[Term]:
    """The triples a program gets for ``iri``: its description; for a bare graph name, the
    graph; for an IRI only used as an object, the triples that point at it.

    Raises:
        NotFoundError: if ``iri`` occurs nowhere.
        StoreError: if the store cannot be read.
    """
    ref = iri_ref(iri)
    try:
        return list(store.describe(iri))
    except NotFoundError:
        pass
    if iri in graph_names:
        sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ref} {{ ?s ?p ?o }} }}"
    else:
        sparql = f"CONSTRUCT {{ ?s ?p {ref} }} WHERE {{ ?s ?p {ref} }} LIMIT {INCOMING_LIMIT}"
    triples = list(store.query(sparql, name="page"))  # type: ignore[arg-type]
    if not triples:
        raise NotFoundError("resource", iri)
    return triples
