"""The native SHACL engine gives pyshacl's reports, on every case of the shapes' tests and on
the seeds, and attributes each result to its own document of a batch.

pyshacl is the reference: each graph is validated by both engines and the reports compared
whole (focus, path, constraint component, severity, source shape, and also value, message,
wording and ``conforms``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from kg import ids
from kg.errors import KgError
from kg.manifest import find_manifest
from kg.mapping import to_graph
from kg.parse import parse_file
from kg.shacl_native import NativeEngine
from kg.shacl_sparql import UnsupportedShape
from kg.validate import (
    DEFAULT_ENGINE,
    Report,
    ShapeSet,
    default_engine,
    native_engine,
    validate_batch,
    validate_graph,
)
from kg.vocab import SH
from tests.shapes_fixtures import BASE, PREFIXES, SHP, VALID, VALID_VOID, build
from tests.test_shapes import CASES, OP1, OP2, PP2, VOID_CASES, Case, R, stub

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _key(report: Report) -> set[tuple[str, str | None, str, str, str | None]]:
    return {(v.focus, v.path, v.constraint, v.severity, v.shape) for v in report.violations}


def _assert_same(native: Report, reference: Report) -> None:
    assert _key(native) == _key(reference), f"{native.text}\n----\n{reference.text}"
    assert native.conforms is reference.conforms
    assert native.violations == reference.violations
    assert native.text == reference.text


def _case_graphs(cases: list[Case], valid: str) -> dict[str, Graph]:
    return {case.id: build(valid, case.add, case.remove) for case in cases}


Batch = tuple[dict[str, Graph], dict[str, Report]]


@pytest.fixture(scope="module")
def resolution_batch() -> Batch:
    """Every resolution case, validated by the native engine as one batch."""
    graphs = _case_graphs(CASES, VALID)
    decided = native_engine().validate(list(graphs.values()))
    undecided = [name for name, found in zip(graphs, decided, strict=True) if found is None]
    assert undecided == []  # the native engine decides every case itself
    return graphs, validate_batch(graphs, engine="native")


@pytest.fixture(scope="module")
def void_batch() -> Batch:
    graphs = _case_graphs(VOID_CASES, VALID_VOID)
    assert None not in native_engine("void").validate(list(graphs.values()))
    return graphs, validate_batch(graphs, shapes="void", engine="native")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_native_engine_reports_like_pyshacl_on_shape_case(
    case: Case, resolution_batch: Batch
) -> None:
    graphs, reports = resolution_batch
    reference = validate_graph(graphs[case.id], source=case.id, engine="pyshacl")
    assert reference.violations  # each case breaks something
    _assert_same(reports[case.id], reference)


@pytest.mark.parametrize("case", VOID_CASES, ids=[case.id for case in VOID_CASES])
def test_native_engine_reports_like_pyshacl_on_void_case(case: Case, void_batch: Batch) -> None:
    graphs, reports = void_batch
    reference = validate_graph(graphs[case.id], source=case.id, shapes="void", engine="pyshacl")
    _assert_same(reports[case.id], reference)


def _blank_body() -> Graph:
    graph = Graph()
    graph.add((BNode(), RDF.type, URIRef(BASE + "ontology#Body")))
    return graph


def _symbol_stub(symbol: str) -> Graph:
    iri = ids.resolution_iri(symbol)
    return build(
        "", f'<{iri}> a kg:Resolution ; kg:symbol "{symbol}" ; kg:adoptedBy <body/ecosoc> .'
    )


OTHER_GRAPHS: dict[str, Callable[[], Graph]] = {
    "valid": lambda: build(VALID),
    "valid-void": lambda: build(VALID_VOID),
    "empty": Graph,
    "stubs-only": lambda: build(
        "",
        add='<resolution/A/RES/57/173> a kg:Resolution ; kg:symbol "A/RES/57/173" ; '
        "kg:adoptedBy <body/general-assembly> . "
        '<document/E/CN.15/2003/5> a kg:Document ; kg:symbol "E/CN.15/2003/5" .',
    ),
    "warnings-only": lambda: build(
        VALID,
        remove=f'<{R}> kg:symbol "A/RES/58/135" ; kg:adoptionDate "2003-12-22"^^xsd:date . '
        f"<{PP2}> kg:action action:reaffirm .",
    ),
    "inverse-path": lambda: build(VALID, add=f"<{OP2}> kg:hasSubParagraph <{OP1}/b> ."),
    "reference-triple-restated": lambda: build(VALID, add="<body/unodc> a kg:Body ."),
    "reference-node-only-restated": lambda: build("", add="<body/member-states> a kg:Group ."),
    "group-adopts": lambda: build("", add=stub("kg:adoptedBy <body/member-states>")),
    "blank-body": _blank_body,
    "symbol-accepted": lambda: _symbol_stub("A/RES/2200 A (XXI)"),
    "symbol-rejected": lambda: build(
        "", add='<resolution/x> a kg:Resolution ; kg:symbol "A/RES/58/135." .'
    ),
    "literal-mentioned": lambda: build(VALID, add=f'<{R}> kg:mentions "UNTOC" .'),
    "own-iri-not-from-symbol": lambda: build(
        VALID, remove=f'<{R}> kg:symbol "A/RES/58/135" .', add=f'<{R}> kg:symbol "A/RES/58/13" .'
    ),
}


@pytest.mark.parametrize("name", sorted(OTHER_GRAPHS))
def test_native_engine_reports_like_pyshacl_on_other_graphs(name: str) -> None:
    graph = OTHER_GRAPHS[name]()
    shapes: ShapeSet = "void" if name.endswith("void") else "resolution"
    assert None not in native_engine(shapes).validate([graph])
    native = validate_graph(graph, source=name, shapes=shapes, engine="native")
    _assert_same(native, validate_graph(graph, source=name, shapes=shapes, engine="pyshacl"))


@pytest.fixture(scope="module")
def seed_graphs() -> dict[str, Graph]:
    manifest = find_manifest(CORPUS)
    paths = sorted(CORPUS.glob("*.txt"))
    assert len(paths) == 5
    return {path.name: to_graph(parse_file(path, manifest)) for path in paths}


def test_native_engine_reports_like_pyshacl_on_seeds(seed_graphs: dict[str, Graph]) -> None:
    assert None not in native_engine().validate(list(seed_graphs.values()))
    batch = validate_batch(seed_graphs, engine="native")
    for name, graph in seed_graphs.items():
        _assert_same(batch[name], validate_graph(graph, source=name, engine="pyshacl"))
    warned = {name: sorted(v.shape or "" for v in r.violations) for name, r in batch.items()}
    assert warned == {
        "000_255fffffb051a65e.txt": [],
        "001_e4a5895366382510.txt": [
            SHP + "DescribedResolutionHasDate",
            SHP + "DescribedResolutionHasSymbol",
        ],
        "002_e2bf1470f0b0be76.txt": [],
        "003_7df26a812a07999f.txt": [],
        "004_995286ed3bee909e.txt": [
            SHP + "DescribedResolutionHasDate",
            SHP + "DescribedResolutionHasSymbol",
        ],
    }


def test_validate_batch_attributes_results_to_their_own_document() -> None:
    # Both documents describe the same IRIs; only the second lacks the adopting body.
    docs = {
        "complete.ttl": build(VALID),
        "no-adopter.ttl": build(VALID, remove=f"<{R}> kg:adoptedBy <body/general-assembly> ."),
        "valid-again.ttl": build(VALID),
    }
    reports = validate_batch(docs, engine="native")
    assert list(reports) == ["complete.ttl", "no-adopter.ttl", "valid-again.ttl"]
    assert reports["complete.ttl"].violations == ()
    assert reports["valid-again.ttl"].violations == ()
    assert [(v.focus, v.shape) for v in reports["no-adopter.ttl"].violations] == [
        (BASE + R, SHP + "DescribedResolutionHasAdopter")
    ]
    assert reports["no-adopter.ttl"].text.startswith(
        "no-adopter.ttl: does not conform to the shapes (1 violation(s), 0 warning(s))"
    )


MAX_COUNT_CASES = [case for case in CASES if case.component == "MaxCount"]


@pytest.mark.parametrize("case", MAX_COUNT_CASES, ids=[case.id for case in MAX_COUNT_CASES])
def test_max_count_is_found_where_one_document_alone_repeats_a_value(
    case: Case, resolution_batch: Batch
) -> None:
    # The maxCount checks run only in a batch where some node has two values on one of
    # their predicates; here one document among valid ones has them.
    graphs, reports = resolution_batch
    text = graphs[case.id].serialize(format="nt")
    batch: dict[str, Graph | str] = {"valid": build(VALID), case.id: graphs[case.id], "nt": text}
    found = validate_batch(batch, engine="native")
    assert found["valid"].violations == ()
    assert found[case.id] == reports[case.id]
    assert found["nt"].violations == reports[case.id].violations
    assert case.component in {
        v.constraint.rsplit("#", 1)[-1][: -len("ConstraintComponent")]
        for v in found[case.id].violations
    }


def test_validate_batch_reads_n_triples_like_graphs() -> None:
    graph = build(VALID, add=f'<{OP2}> kg:aknEId "2" .')
    text = graph.serialize(format="nt")
    reports = validate_batch({"as-graph": graph, "as-text": text}, engine="native")
    assert reports["as-text"].violations == reports["as-graph"].violations
    assert [v.value for v in reports["as-text"].violations] == ['"2"']


def test_validate_batch_rejects_text_that_is_not_n_triples() -> None:
    with pytest.raises(KgError, match="cannot be read as N-Triples"):
        validate_batch({"broken.nt": "<a> <b> ."}, engine="native")


@pytest.mark.parametrize(
    ("name", "add", "remove"),
    [
        ("class-hierarchy", "kg:Paragraph rdfs:subClassOf kg:Footnote .", ""),
        # rdflib cannot read "58.0" as an integer; Oxigraph's reading is not consulted
        ("unusual-integer", f'<{R}> kg:session "58.0"^^xsd:integer .', f"<{R}> kg:session 58 ."),
    ],
)
def test_native_engine_leaves_undecidable_documents_to_pyshacl(
    name: str, add: str, remove: str
) -> None:
    graph = build(VALID, add=add, remove=remove)
    assert native_engine().validate([graph]) == [None]
    native = validate_graph(graph, source=name, engine="native")
    _assert_same(native, validate_graph(graph, source=name, engine="pyshacl"))


SHAPE_PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
"""
UNSUPPORTED = {
    "xone": "sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] )",
    "closed": "sh:closed true",
    "sequence-path": "sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ]",
    "language-in": 'sh:property [ sh:path ex:p ; sh:languageIn ( "en" ) ]',
    "look-ahead": 'sh:property [ sh:path ex:p ; sh:pattern "^(?=a)" ]',
    "word-class": 'sh:property [ sh:path ex:p ; sh:pattern "\\\\w+" ]',
    "large-count": "sh:property [ sh:path ex:p ; sh:minCount 5 ]",
    "sparql-minus": 'sh:sparql [ sh:select "SELECT $this WHERE { MINUS { $this ex:p ?o } }" ]',
    "sparql-transitive-ontology": (
        'sh:sparql [ sh:select "SELECT $this WHERE { $this rdfs:subClassOf+ ?c }" ; '
        'sh:prefixes [ sh:declare [ sh:prefix "rdfs" ; '
        'sh:namespace "http://www.w3.org/2000/01/rdf-schema#"^^xsd:anyURI ] ] ]'
    ),
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_native_engine_refuses_unsupported_shapes_when_compiling(name: str) -> None:
    shapes = Graph().parse(
        data=PREFIXES
        + SHAPE_PREFIXES
        + f"<https://example.org/S> a sh:NodeShape ; sh:targetClass ex:A ; {UNSUPPORTED[name]} .",
        format="turtle",
    )
    context = Graph().parse(
        data=PREFIXES + "kg:Paragraph rdfs:subClassOf kg:Text .", format="turtle"
    )
    with pytest.raises(UnsupportedShape) as raised:
        NativeEngine(shapes, context)
    assert "Validate with engine='pyshacl'" in str(raised.value)


def test_native_engine_validates_a_context_node_named_only_by_a_restated_triple() -> None:
    shapes = Graph().parse(
        data=PREFIXES + SHAPE_PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
        "sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message 'needs ex:p' ] .",
        format="turtle",
    )
    context = Graph().parse(
        data="<https://example.org/a> a <https://example.org/C> .", format="turtle"
    )
    engine = NativeEngine(shapes, context)
    typed = f"<https://example.org/a> <{RDF.type}> <https://example.org/C> ."
    named = Graph().parse(data=typed, format="nt")  # the same triple as the context's
    unnamed = Graph().parse(
        data='<https://example.org/b> <https://example.org/q> "1" .', format="nt"
    )
    found = engine.validate([named, unnamed])
    assert [[(v.focus, v.message) for v in f or []] for f in found] == [
        [("https://example.org/a", "needs ex:p")],
        [],
    ]


def test_native_engine_is_the_default_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KG_SHACL_ENGINE", raising=False)
    assert DEFAULT_ENGINE == "native"
    assert default_engine() == "native"
    monkeypatch.setenv("KG_SHACL_ENGINE", "pyshacl")
    assert default_engine() == "pyshacl"
    monkeypatch.setenv("KG_SHACL_ENGINE", "fast")
    with pytest.raises(KgError, match="KG_SHACL_ENGINE=fast: no such validation engine"):
        default_engine()


def test_shapes_are_compiled_once_per_process() -> None:
    assert native_engine() is native_engine()
    assert native_engine("void") is not native_engine()


def test_nested_shapes_apply_to_context_values_only_where_the_document_names_them() -> None:
    # A value read in the document's graph is named by it; one read in the context is
    # checked against a nested shape only where the document names it too.
    shapes = Graph().parse(
        data=PREFIXES + SHAPE_PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
        "sh:property [ sh:path ex:k ; sh:or ( [ sh:in ( ex:good ) ] [ sh:in ( ex:fine ) ] ) ; "
        "sh:message 'or' ] , [ sh:path ex:k ; sh:qualifiedMinCount 1 ; "
        "sh:qualifiedValueShape [ sh:in ( ex:good ) ] ; sh:message 'qualified' ] .",
        format="turtle",
    )
    ex = "https://example.org/"
    context = Graph().parse(data=f"<{ex}a> <{ex}k> <{ex}bad> .", format="nt")
    engine = NativeEngine(shapes, context)
    typed = f"<{ex}a> <{RDF.type}> <{ex}C> .\n"
    docs = [
        Graph().parse(data=typed, format="nt"),
        Graph().parse(data=typed + f'<{ex}bad> <{ex}q> "1" .', format="nt"),
        Graph().parse(
            data=f"<{ex}c> <{RDF.type}> <{ex}C> .\n<{ex}c> <{ex}k> <{ex}bad> .", format="nt"
        ),
    ]
    found = engine.validate(docs)
    assert [sorted((v.focus, v.message) for v in f or []) for f in found] == [
        [],
        [(f"{ex}a", "or"), (f"{ex}a", "qualified")],
        [(f"{ex}c", "or"), (f"{ex}c", "qualified")],
    ]


def test_context_values_are_checked_unless_every_document_would_pass_them() -> None:
    # A check that reads nothing but the value is answered for the context's values once,
    # when compiling; a context value that fails it is still reported in every document
    # that names its node, and a document's own values are always read.
    shapes = Graph().parse(
        data=PREFIXES + SHAPE_PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
        f"sh:property [ sh:path ex:label ; sh:datatype <{RDF.langString}> ; sh:message 'lang' ] , "
        "[ sh:path ex:code ; sh:pattern '^[a-z]+$' ; sh:message 'code' ] .",
        format="turtle",
    )
    ex = "https://example.org/"
    context = Graph().parse(
        data=f'<{ex}a> <{RDF.type}> <{ex}C> .\n<{ex}a> <{ex}label> "plain" .\n'
        f'<{ex}a> <{ex}code> "abc" .\n<{ex}b> <{RDF.type}> <{ex}C> .\n'
        f'<{ex}b> <{ex}label> "named"@en .\n<{ex}b> <{ex}code> "xyz" .',
        format="nt",
    )
    engine = NativeEngine(shapes, context)
    docs = [
        Graph().parse(data=f"<{ex}d> <{ex}q> <{ex}a> .", format="nt"),
        Graph().parse(data=f"<{ex}d> <{ex}q> <{ex}b> .", format="nt"),
        Graph().parse(data=f'<{ex}b> <{ex}code> "XYZ" .', format="nt"),
    ]
    found = engine.validate(docs)
    assert [sorted((v.focus, v.message, v.value) for v in f or []) for f in found] == [
        [(f"{ex}a", "lang", '"plain"')],
        [],
        [(f"{ex}b", "code", '"XYZ"')],
    ]
    assert [sorted(v.focus for v in f or []) for f in found] == [
        _pyshacl_focus_nodes(shapes, context, doc) for doc in docs
    ]


def test_context_is_read_for_a_fixed_node_only_where_it_has_triples_with_it() -> None:
    # A pattern with an IRI for subject or object reads the context only if the context
    # has such a triple; here it has one, for ex:a.
    ex = "https://example.org/"
    shapes = Graph().parse(
        data=PREFIXES + SHAPE_PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
        "sh:property [ sh:path ex:kind ; sh:hasValue ex:good ; sh:message 'has' ] ; "
        f'sh:sparql [ sh:select "SELECT $this WHERE {{ FILTER NOT EXISTS {{ $this <{ex}kind> '
        f"<{ex}good> }} }}\" ; sh:message 'sparql' ] .",
        format="turtle",
    )
    context = Graph().parse(data=f"<{ex}a> <{ex}kind> <{ex}good> .", format="nt")
    engine = NativeEngine(shapes, context)
    typed = f"<{RDF.type}> <{ex}C> ."
    docs = [
        Graph().parse(data=f"<{ex}a> {typed}", format="nt"),
        Graph().parse(data=f"<{ex}b> {typed}", format="nt"),
        Graph().parse(data=f"<{ex}b> {typed}\n<{ex}b> <{ex}kind> <{ex}good> .", format="nt"),
    ]
    found = engine.validate(docs)
    assert [sorted((v.focus, v.message) for v in f or []) for f in found] == [
        [],
        [(f"{ex}b", "has"), (f"{ex}b", "sparql")],
        [],
    ]
    assert [sorted(v.focus for v in f or []) for f in found] == [
        _pyshacl_focus_nodes(shapes, context, doc) for doc in docs
    ]


def test_context_targets_are_checked_unless_every_document_would_pass_them() -> None:
    # ex:S asks only what more triples cannot undo, so the context's targets that pass it
    # alone are not checked per document; ex:b and ex:zz fail it in the context itself.
    # ex:T's sh:maxCount and ex:U's sh:node can fail once a document adds a value.
    ex = "https://example.org/"
    shapes = Graph().parse(
        data=PREFIXES + SHAPE_PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
        "sh:pattern '^https://example.org/[a-b]$' ; sh:message 'pattern' ; "
        "sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:message 'label' ] .\n"
        "ex:T a sh:NodeShape ; sh:targetClass ex:C ; "
        "sh:property [ sh:path ex:code ; sh:maxCount 1 ; sh:message 'code' ] .\n"
        "ex:U a sh:NodeShape ; sh:targetClass ex:C ; sh:message 'node' ; "
        "sh:node [ sh:property [ sh:path ex:label ; sh:maxCount 1 ] ] .",
        format="turtle",
    )
    typed = f"<{RDF.type}> <{ex}C> ."
    context = Graph().parse(
        data=f'<{ex}a> {typed}\n<{ex}a> <{ex}label> "A" .\n<{ex}a> <{ex}code> "1" .\n'
        f'<{ex}b> {typed}\n<{ex}zz> {typed}\n<{ex}zz> <{ex}label> "Z" .',
        format="nt",
    )
    engine = NativeEngine(shapes, context)
    docs = [
        Graph().parse(
            data="".join(f"<{ex}d> <{ex}q> <{ex}{n}> .\n" for n in ["a", "b", "zz"]), format="nt"
        ),
        Graph().parse(data=f'<{ex}a> <{ex}code> "2" .', format="nt"),
        Graph().parse(data=f'<{ex}a> <{ex}label> "A2" .', format="nt"),
    ]
    found = engine.validate(docs)
    assert [sorted((v.focus, v.message) for v in f or []) for f in found] == [
        [(f"{ex}b", "label"), (f"{ex}zz", "pattern")],
        [(f"{ex}a", "code")],
        [(f"{ex}a", "Value does not conform to the MaxCount constraint"), (f"{ex}a", "node")],
    ]
    assert [sorted(v.focus for v in f or []) for f in found] == [
        _pyshacl_focus_nodes(shapes, context, doc) for doc in docs
    ]


def _pyshacl_focus_nodes(shapes: Graph, context: Graph, doc: Graph) -> list[str]:
    """The focus nodes of pyshacl's results on ``doc`` with ``context``, validating the IRIs
    ``doc`` names (as :mod:`kg.validate` runs it)."""
    data = Graph()
    for triple in [*context, *doc]:
        data.add(triple)
    named = sorted({str(n) for t in doc for n in (t[0], t[2]) if isinstance(n, URIRef)})
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference=None, advanced=False, focus_nodes=named
    )
    assert isinstance(results, Graph)
    return sorted(
        str(results.value(r, SH.focusNode)) for r in results.subjects(RDF.type, SH.ValidationResult)
    )
