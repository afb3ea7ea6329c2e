"""One serialisation per graph, several files: the union, the TriG and the N-Quads agree."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest
from pyoxigraph import Dataset, NamedNode, RdfFormat, parse

from kg.dumpgraphs import GraphSerialiser, Union
from kg.dumps import dump_prefixes, write_dumps
from kg.store import open_store

RES = "https://w3id.org/kg-un/resolution/"
KG = "https://w3id.org/kg-un/ontology#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# Subjects in one graph, in several with the same triples, in several with others;
# a subject whose IRI begins another's; literals that look like N-Triples.
GRAPHS = {
    RES + "A/RES/1/1": f"""
<{RES}A/RES/1/1> {TYPE} <{KG}Resolution> .
<{RES}A/RES/1/1> <{KG}title> "One .\\n _:x << \\"quoted\\" \\u0007"@en .
<{RES}A/RES/1/1> <{KG}cites> <{RES}A/RES/1/2> .
<{RES}A/RES/1/1/op1> <{KG}text> "é — \\U0001D518" .
<{RES}A/RES/1/2> {TYPE} <{KG}Resolution> .
<{RES}A/RES/9/9> {TYPE} <{KG}Resolution> .
""",
    RES + "A/RES/1/2": f"""
<{RES}A/RES/1/2> {TYPE} <{KG}Resolution> .
<{RES}A/RES/1/2> <{KG}session> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<{RES}A/RES/1/1> <{KG}citedBy> <{RES}A/RES/1/2> .
<{RES}A/RES/9/9> {TYPE} <{KG}Resolution> .
_:annex <{KG}label> "annex" .
<{RES}A/RES/1/2> <{KG}annex> _:annex .
""",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = open_store(None)
    store.replace_graphs(GRAPHS)
    folder = tmp_path_factory.mktemp("dumps")
    write_dumps(store, folder, issued=date(2025, 1, 31), version="0.1.0")
    return folder


def test_union_ntriples_are_every_triple_once_sorted(out: Path) -> None:
    lines = gzip.decompress((out / "kg.nt.gz").read_bytes()).splitlines()
    assert lines == sorted(set(lines))
    assert len(lines) == 10  # 12 triples less the two in both graphs
    # "/" sorts before ">": a paragraph comes before its resolution.
    assert lines[0].startswith(b"<https://w3id.org/kg-un/resolution/A/RES/1/1/op1> ")
    assert lines[1].startswith(b"<https://w3id.org/kg-un/resolution/A/RES/1/1> ")


def test_union_turtle_is_pyoxigraph_turtle_of_the_union(out: Path) -> None:
    ntriples = gzip.decompress((out / "kg.nt.gz").read_bytes())
    expected = GraphSerialiser(dump_prefixes()).turtle(ntriples)
    assert (out / "kg.ttl").read_bytes() == expected


def test_union_serialises_again_only_subjects_whose_lines_differ() -> None:
    serialiser = GraphSerialiser(dump_prefixes())
    union = Union(serialiser)
    a = [
        b'<http://ex.org/s> <http://ex.org/p> "a" .\n',
        b'<http://ex.org/t> <http://ex.org/p> "t" .\n',
    ]
    b = [
        b'<http://ex.org/s> <http://ex.org/p> "b" .\n',
        b'<http://ex.org/t> <http://ex.org/p> "t" .\n',
    ]
    for lines in (a, b):
        ntriples = b"".join(lines)
        union.add(ntriples, lines, serialiser.body(ntriples))
    chunks, turtle = union.finish()
    ntriples = b"".join(chunks)
    assert ntriples == b"".join(sorted(set(a + b)))
    assert turtle == serialiser.turtle(ntriples)
    assert b'<http://ex.org/s> <http://ex.org/p> "a" , "b" .' in turtle


def test_trig_blocks_are_the_resolution_files(out: Path) -> None:
    trig = (out / "kg.trig").read_bytes()
    header = GraphSerialiser(dump_prefixes()).header
    assert trig.startswith(header)
    for name, graph in (("A_RES_1_1.ttl", "A/RES/1/1"), ("A_RES_1_2.ttl", "A/RES/1/2")):
        turtle = (out / "resolutions" / name).read_bytes()
        assert turtle.startswith(header)
        block = f"<{RES}{graph}> {{\n".encode() + turtle[len(header) :] + b"}\n"
        assert block in trig


def test_trig_and_nquads_hold_the_same_quads(out: Path) -> None:
    trig = Dataset(parse(path=out / "kg.trig", format=RdfFormat.TRIG))
    nquads = Dataset(parse(gzip.decompress((out / "kg.nq.gz").read_bytes()), RdfFormat.N_QUADS))
    assert len(trig) == len(nquads) == 12
    assert set(map(str, trig)) == set(map(str, nquads))
    graphs = {q.graph_name for q in nquads}
    assert graphs == {NamedNode(g) for g in GRAPHS}


def test_serialiser_header_is_the_prefixes() -> None:
    serialiser = GraphSerialiser({"ex": "http://ex.org/"})
    assert serialiser.header == b"@prefix ex: <http://ex.org/> .\n"
    assert serialiser.body(b"<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .\n") == (
        b"ex:a ex:b ex:c .\n"
    )
