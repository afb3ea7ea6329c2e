"""N-Triples written by the mapper (issue 7) against the rdflib graph of the same document.

A build writes each document's N-Triples directly (:func:`kg.mapping.to_ntriples`); these
tests read that text and rdflib's serialisation of :func:`kg.mapping.to_graph` with
pyoxigraph and require the same triples, term for term, on every seed, on a sample of the
synthetic benchmark corpus and on a document made of awkward strings.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from pyoxigraph import RdfFormat, Triple, parse
from rdflib import Graph, URIRef

from kg.drafts import DraftText
from kg.errors import MappingError
from kg.manifest import find_manifest
from kg.mapping import MappedResolution, subject_iri, to_graph, to_ntriples
from kg.model import Footnote, Mandate, Paragraph, Resolution, SubParagraph
from kg.parse import parse_file
from kg.resources import corpus_dir
from kg.vocab import KG
from tests.regenerate_expected import corpus_files

SEEDS = [p.name for p in corpus_files()]
SYNTHETIC = 60
OTHER_BASE = "https://data.example.org/un/"


def _load_corpus_module() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus.py"
    spec = importlib.util.spec_from_file_location("benchmark_corpus_nt", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[Resolution]:
    folder = tmp_path_factory.mktemp("synthetic-nt")
    paths = _load_corpus_module().generate(SYNTHETIC, folder, seed=11)
    manifest = find_manifest(folder)
    return [parse_file(path, manifest) for path in paths]


def _triples(data: str) -> set[Triple]:
    return {quad.triple for quad in parse(data, RdfFormat.N_TRIPLES)}


def _value(graph: Graph, subject: str, predicate: object) -> str | None:
    found = graph.value(URIRef(subject), URIRef(str(predicate)))
    return None if found is None else str(found)


def _draft(graph: Graph, subject: str) -> DraftText | None:
    draft = _value(graph, subject, KG.recommendsDraft)
    fingerprint = None if draft is None else _value(graph, draft, KG.textFingerprint)
    if draft is None or fingerprint is None:
        return None
    return DraftText(draft, fingerprint, _value(graph, subject, KG.recommendedTo))


def _assert_same_as_graph(resolution: Resolution, base: str = "https://w3id.org/kg-un/") -> None:
    graph = to_graph(resolution, base=base)
    mapped = to_ntriples(resolution, base=base)
    expected = _triples(graph.serialize(format="nt", encoding="utf-8").decode("utf-8"))
    written = _triples(mapped.ntriples)
    where = resolution.source
    assert written - expected == set(), f"{where}: written but not in the graph"
    assert expected - written == set(), f"{where}: in the graph but not written"
    lines = mapped.ntriples.splitlines()
    assert len(lines) == len(set(lines)) == mapped.triples == len(graph), where
    iri = subject_iri(resolution, base=base)
    assert mapped == MappedResolution(
        iri,
        mapped.ntriples,
        len(graph),
        _value(graph, iri, KG.textFingerprint),
        _value(graph, iri, KG.adoptedBy),
        _draft(graph, iri),
    ), where


@pytest.mark.parametrize("name", SEEDS)
def test_to_ntriples_writes_the_triples_of_to_graph_for_each_seed(name: str) -> None:
    resolution = parse_file(corpus_dir() / name, find_manifest(corpus_dir()))
    _assert_same_as_graph(resolution)
    if name == "002_e2bf1470f0b0be76.txt":  # the ECOSOC text that quotes a draft
        assert to_ntriples(resolution).draft is not None
    _assert_same_as_graph(resolution, base=OTHER_BASE)


def test_to_ntriples_writes_the_triples_of_to_graph_for_synthetic_documents(
    synthetic: list[Resolution],
) -> None:
    assert len(synthetic) == SYNTHETIC
    assert all(r.synthetic for r in synthetic)
    assert sum(bool(r.mandates and r.citations and r.footnotes) for r in synthetic) > 10
    for resolution in synthetic:
        _assert_same_as_graph(resolution)


def _awkward() -> Resolution:
    """A document whose strings need every N-Triples escape, and some that need none."""
    text = 'Takes note of the "report"\\n of C:\\path,\r\nwith\ttabs, \x07 bell and ü — \U0001d518'
    return Resolution(
        source='/tmp/dir with space/a "quoted" name.txt',
        format="plain",
        body="General Assembly",
        body_id="general-assembly",
        preamble=(Paragraph("preamble", 1, "Recalling", 'Recalling "its" \\ resolution,\n'),),
        operative=(
            Paragraph(
                "operative",
                1,
                "Takes note",
                text,
                number="1",
                action="take-note",
                subparagraphs=(SubParagraph("a", "\r"), SubParagraph("b", "  ")),
            ),
        ),
        footnotes=(Footnote("1", 'A "footnote" with a \\ and\na break.', "op1"),),
        symbol="A/RES/99/2",
        title='Title with "quotes" and \\',
        adopted="2004-02-30",
        distributed="2004-12-20Z",
        session=99,
        meeting="\n",
        synthetic=True,
        warnings=('a warning with "quotes"\r\n and a \\ backslash',),
        mandates=(Mandate("op1", "request", 'A "new" working group', "to \\ report\n", None),),
    )


def test_to_ntriples_escapes_quotes_backslashes_and_line_breaks_as_rdflib_reads_them() -> None:
    resolution = _awkward()
    _assert_same_as_graph(resolution)
    mapped = to_ntriples(resolution)
    assert '"Title with \\"quotes\\" and \\\\"@en' in mapped.ntriples
    assert "\r" not in mapped.ntriples
    assert '"2004-02-30"^^<http://www.w3.org/2001/XMLSchema#date>' in mapped.ntriples
    assert '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>' in mapped.ntriples


def test_to_ntriples_refuses_a_base_that_cannot_start_an_iri() -> None:
    with pytest.raises(MappingError, match="base"):
        to_ntriples(_awkward(), base="https://example.org/a b/")


def test_to_ntriples_refuses_a_malformed_symbol_as_to_graph_does() -> None:
    with pytest.raises(MappingError, match=r"a/res/99/1.*not a UN document symbol"):
        to_ntriples(replace(_awkward(), symbol="a/res/99/1"))
