"""SHACL reports as kg shows them: :class:`Violation`, :class:`Report` and their wording.

Both validation engines (pyshacl in :mod:`kg.validate`, the SPARQL engine of
:mod:`kg.shacl_native`) build these same objects, so the rest of kg never knows which engine
ran. ``Report.conforms`` is false only when a result of severity ``sh:Violation`` exists:
warnings are reported, but a document with warnings alone still loads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from kg.ids import ONTOLOGY_IRI
from kg.vocab import DCAT, DCTERMS, ELI, PROV, RDF, SH, SKOS, SPDX, VOID, XSD

SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}
SHAPES_NS = "https://w3id.org/kg-un/shapes#"
_KG = ONTOLOGY_IRI + "#"
_PREFIXES = {
    str(ns): f"{name}:"
    for name, ns in (
        ("kg", _KG), ("shp", SHAPES_NS), ("sh", SH), ("eli", ELI), ("skos", SKOS),
        ("prov", PROV), ("dcterms", DCTERMS), ("dcat", DCAT), ("void", VOID), ("spdx", SPDX),
        ("xsd", XSD), ("rdf", RDF),
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result.

    ``focus`` is the IRI (or blank-node label) of the offending node, ``path`` the property
    path (``^iri`` for an inverse path), ``constraint`` the IRI of the SHACL constraint
    component, ``severity`` ``"Violation"``, ``"Warning"`` or ``"Info"``, ``value`` the
    offending value when there is one. ``shape`` is the IRI of the named shape or SPARQL
    constraint that produced it; ``where`` says in words which node it is ("operative
    paragraph 7 of A/RES/58/135").
    """

    focus: str
    path: str | None
    constraint: str
    message: str
    severity: str
    value: str | None
    shape: str | None = None
    where: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating one graph; ``text`` is :func:`format_report` of it."""

    conforms: bool
    violations: tuple[Violation, ...]
    text: str

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The results that block loading (severity ``Violation``)."""
        return tuple(v for v in self.violations if v.severity == "Violation")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """The results that are reported but do not block loading."""
        return tuple(v for v in self.violations if v.severity != "Violation")


def make_report(violations: Iterable[Violation], source: str | None) -> Report:
    """Sort ``violations`` (errors first, then by node) and wrap them in a :class:`Report`."""
    ordered = tuple(sorted(violations, key=_sort_key))
    conforms = not any(v.severity == "Violation" for v in ordered)
    report = Report(conforms=conforms, violations=ordered, text="")
    return Report(conforms, ordered, format_report(report, source))


def pick_message(messages: Iterable[str]) -> str:
    """The one message a result shows: the first in order, ontology terms written ``kg:X``.

    SPARQL messages quote bound IRIs in full, so the ontology namespace is shortened here.
    """
    texts = sorted(m.replace(_KG, "kg:") for m in messages)
    return texts[0] if texts else "does not conform"


def format_report(report: Report, source: str | None = None) -> str:
    """Render ``report`` for a person: which node, what is wrong and how to fix it."""
    where = source or "graph"
    errors, warnings = len(report.errors), len(report.warnings)
    if not report.violations:
        return f"{where}: conforms to the shapes"
    verdict = "conforms to the shapes" if report.conforms else "does not conform to the shapes"
    lines = [f"{where}: {verdict} ({errors} violation(s), {warnings} warning(s))"]
    for v in report.violations:
        node = f"{v.where} <{v.focus}>" if v.where else f"<{v.focus}>"
        lines.append(f"- {v.severity.lower()} at {node}")
        detail = f"  {compact(v.path)}: " if v.path else "  "
        lines.append(detail + v.message)
        if v.value is not None:
            lines.append(f"  value: {v.value}")
        lines.append(f"  (shape {compact(v.shape or '?')}, {compact(v.constraint)})")
    return "\n".join(lines)


def _sort_key(v: Violation) -> tuple[str | int, ...]:
    # Every field takes part, so that two engines listing the same results agree on order.
    rank = SEVERITY_RANK.get(v.severity, 3)
    return (rank, v.focus, v.shape or "", v.path or "", v.value or "", v.constraint, v.message)


def compact(iri: str | None) -> str:
    """``iri`` with a known namespace written as its prefix (``^`` kept for inverse paths).

    >>> compact("^https://w3id.org/kg-un/ontology#hasParagraph")
    '^kg:hasParagraph'
    """
    if iri is None:
        return ""
    inverse = iri.startswith("^")
    bare = iri[1:] if inverse else iri
    for namespace, prefix in _PREFIXES.items():
        if bare.startswith(namespace):
            bare = prefix + bare[len(namespace) :]
            break
    return ("^" if inverse else "") + bare


N = TypeVar("N")


class NodeLookup(Protocol[N]):
    """Read access to the validated data, whatever holds it (rdflib graph or Oxigraph store)."""

    def value(self, node: N, local_name: str) -> N | None:
        """The value of ``kg:<local_name>`` of ``node`` whose text comes first, if any (so
        that a node with two values is described alike by both engines)."""

    def ontology_types(self, node: N) -> set[str]:
        """The local names of the ontology classes ``node`` is typed with."""

    def text(self, node: N) -> str:
        """The node as words show it: an IRI, or a literal's lexical form."""


def describe(data: NodeLookup[N], node: N | None, depth: int = 0) -> str | None:
    """Say in words which node this is, from its type, order, number and resolution."""
    if node is None or depth > 3:
        return None

    def get(name: str) -> N | None:
        return data.value(node, name)

    def shown(name: str) -> str | None:
        found = get(name)
        return None if found is None else data.text(found)

    types = data.ontology_types(node)
    if "SubParagraph" in types:
        parent = describe(data, get("subParagraphOf"), depth + 1)
        label = shown("label")
        text = f"sub-paragraph ({label})" if label is not None else "sub-paragraph"
        return f"{text} of {parent}" if parent else text
    for cls, name in (("OperativeParagraph", "operative"), ("PreambularParagraph", "preambular")):
        if cls in types:
            position = shown("number") or shown("order")
            text = f"{name} paragraph {position}" if position is not None else f"{name} paragraph"
            owner = describe(data, get("paragraphOf"), depth + 1)
            return f"{text} of {owner}" if owner else text
    if "Mandate" in types:
        paragraph = describe(data, get("createdBy"), depth + 1)
        return f"mandate of {paragraph}" if paragraph else "mandate"
    if "Footnote" in types:
        mark = shown("mark")
        return f"footnote {mark}" if mark is not None else "footnote"
    if "Resolution" in types:
        known_as = shown("symbol") or shown("resolutionNumber")
        return f"resolution {known_as}" if known_as is not None else "resolution"
    kinds = {"DraftResolution": "draft resolution", "Document": "document", "Body": "body"}
    kinds |= {"Group": "group", "Treaty": "treaty", "SourceRecord": "source record"}
    return next((text for cls, text in kinds.items() if cls in types), None)


def ontology_local_name(iri: str) -> str | None:
    """The local name of an ontology term IRI, or None for an IRI outside the ontology."""
    return iri[len(_KG) :] if iri.startswith(_KG) else None


__all__ = [
    "SHAPES_NS",
    "NodeLookup",
    "Report",
    "Violation",
    "compact",
    "describe",
    "format_report",
    "make_report",
    "ontology_local_name",
    "pick_message",
]
