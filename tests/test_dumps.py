"""Dumps: round trips, determinism, the VoID/DCAT description and the checksums."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import NamedNode, RdfFormat, Store
from rdflib.compare import isomorphic

from kg.cli import cli
from kg.dumps import write_dumps
from kg.store import GraphStore, open_store
from kg.validate import validate_void
from kg.vocab import DCAT, DCTERMS, SPDX, VOID
from tests.store_fixtures import (
    GRAPH_BUILD,
    RES_58_135,
    oxigraph_server,
    sample_graphs,
)

ISSUED = date(2025, 1, 31)
FILES = [
    "kg.ttl",
    "kg.nt.gz",
    "kg.nq.gz",
    "kg.trig",
    "kg.jsonld",
    "context.jsonld",
    "resolutions/A_RES_56_120.ttl",
    "resolutions/A_RES_58_135.ttl",
    "void.ttl",
    "SHA256SUMS",
]


def expected_quads() -> set[str]:
    return {
        f"{triple} <{graph}>"
        for graph, triples in sample_graphs().items()
        if graph != GRAPH_BUILD
        for triple in triples
    }


def dump(store: GraphStore, out: Path) -> dict[str, bytes]:
    write_dumps(
        store, out, issued=ISSUED, version="0.1.0", endpoint_url="https://kg.example/sparql"
    )
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = open_store(None)
    store.replace_graphs(sample_graphs())
    out = tmp_path_factory.mktemp("dumps")
    dump(store, out)
    return out


def loaded(path: Path, fmt: RdfFormat) -> set[str]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    store = Store()
    store.load(data, fmt, to_graph=None if fmt.supports_datasets else NamedNode("urn:x:union"))
    return {str(q) for q in store} if fmt.supports_datasets else {str(q.triple) for q in store}


def test_write_dumps_returns_each_file_with_size_and_digest(tmp_path: Path) -> None:
    store = open_store(None)
    store.replace_graphs(sample_graphs())
    files = write_dumps(store, tmp_path, issued=ISSUED, version="0.1.0")
    assert [f.name for f in files] == FILES
    for f in files:
        data = (tmp_path / f.name).read_bytes()
        assert (f.byte_size, f.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert [f.compression for f in files[:3]] == [None, "application/gzip", "application/gzip"]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("kg.nq.gz", RdfFormat.N_QUADS),
        ("kg.trig", RdfFormat.TRIG),
        ("kg.jsonld", RdfFormat.JSON_LD),
    ],
)
def test_dataset_dumps_round_trip_with_their_named_graphs(
    dumps: Path, name: str, fmt: RdfFormat
) -> None:
    quads = loaded(dumps / name, fmt)
    assert quads == expected_quads()
    assert len(quads) == 190  # 191 quads less the build record


@pytest.mark.parametrize(
    ("name", "fmt"), [("kg.nt.gz", RdfFormat.N_TRIPLES), ("kg.ttl", RdfFormat.TURTLE)]
)
def test_graph_dumps_round_trip_as_the_union(dumps: Path, name: str, fmt: RdfFormat) -> None:
    triples = loaded(dumps / name, fmt)
    assert triples == {q.rsplit(" <", 1)[0] for q in expected_quads()}
    assert len(triples) == 184


def test_turtle_dump_is_isomorphic_in_rdflib(dumps: Path) -> None:
    dumped = rdflib.Graph().parse(dumps / "kg.ttl", format="turtle")
    ntriples = gzip.decompress((dumps / "kg.nt.gz").read_bytes())
    expected = rdflib.Graph().parse(data=ntriples, format="nt")
    assert len(dumped) == 184
    assert isomorphic(dumped, expected)


def test_dumps_leave_out_the_build_graph(dumps: Path) -> None:
    assert b"graph/build" not in gzip.decompress((dumps / "kg.nq.gz").read_bytes())
    assert b"generatedAtTime" not in (dumps / "kg.trig").read_bytes()


def test_nquads_dump_is_sorted_by_graph_then_line(dumps: Path) -> None:
    lines = gzip.decompress((dumps / "kg.nq.gz").read_bytes()).splitlines()
    graphs = [line.rsplit(b" ", 2)[1] for line in lines]
    assert graphs == sorted(graphs)
    for graph in set(graphs):
        mine = [line for line in lines if line.endswith(b" " + graph + b" .")]
        assert mine == sorted(mine)
    assert lines[0].startswith(b"<https://w3id.org/kg-un/body/general-assembly> ")
    assert lines[0].endswith(b" <https://w3id.org/kg-un/graph/links> .")


def test_gzip_dumps_carry_no_time_and_no_name(dumps: Path) -> None:
    header = (dumps / "kg.nt.gz").read_bytes()[:10]
    assert header[:3] == b"\x1f\x8b\x08"
    assert header[3] & 0x08 == 0  # no FNAME field
    assert header[4:8] == b"\0\0\0\0"  # MTIME 0


def test_resolution_files_hold_each_document_graph(dumps: Path) -> None:
    graph = rdflib.Graph().parse(dumps / "resolutions/A_RES_58_135.ttl", format="turtle")
    expected = rdflib.Graph()
    for triple in sample_graphs()[RES_58_135]:
        expected.parse(data=f"{triple} .", format="nt")
    assert len(graph) == 83
    assert isomorphic(graph, expected)


def test_jsonld_dump_uses_the_published_context(dumps: Path) -> None:
    context = json.loads((dumps / "context.jsonld").read_text())
    document = json.loads((dumps / "kg.jsonld").read_text())
    assert document["@context"] == context["@context"]
    assert context["@context"]["res"] == "https://w3id.org/kg-un/resolution/"
    graphs = {g["@id"]: g["@graph"] for g in document["@graph"]}
    node = next(
        n for n in graphs["res:A/RES/58/135"] if n["@id"] == "res:A/RES/58/135/operative/9/mandate"
    )
    assert node["@type"] == ["kg:Mandate"]
    assert node["kg:dueSession"] == [{"@value": "59", "@type": "xsd:integer"}]
    assert node["kg:task"] == ["to submit a report on the implementation of the present resolution"]


def test_dumps_are_byte_identical_across_processes_and_load_orders(
    dumps: Path, tmp_path: Path
) -> None:
    # Another process (other hash seed) loads the graphs in reverse order into a disk store.
    script = f"""
import sys
from datetime import date
from kg.dumps import write_dumps
from kg.store import open_store
from tests.store_fixtures import sample_graphs
store = open_store({str(tmp_path / "store")!r})
for graph, triples in reversed(list(sample_graphs().items())):
    store.replace_graphs({{graph: triples}})
write_dumps(store, {str(tmp_path / "out")!r}, issued=date(2025, 1, 31), version="0.1.0",
            endpoint_url="https://kg.example/sparql")
"""
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=Path.cwd())
    first = {p.relative_to(dumps): p.read_bytes() for p in dumps.rglob("*") if p.is_file()}
    second = {
        p.relative_to(tmp_path / "out"): p.read_bytes()
        for p in (tmp_path / "out").rglob("*")
        if p.is_file()
    }
    assert sorted(map(str, second)) == sorted(FILES)
    assert second == first


def test_dumps_give_blank_nodes_canonical_labels(tmp_path: Path) -> None:
    data = """<http://ex.org/r> <http://ex.org/annex> _:a .
_:a <http://ex.org/label> "annex" .
_:a <http://ex.org/part> _:b .
_:b <http://ex.org/label> "part" .
"""
    outputs = []
    for run in range(2):
        store = open_store(None)
        # Fresh random blank node labels on each load.
        store.replace_graphs({"http://ex.org/g1": data, "http://ex.org/g2": data})
        outputs.append(dump(store, tmp_path / str(run)))
    assert outputs[0] == outputs[1]
    nquads = gzip.decompress(outputs[0]["kg.nq.gz"]).decode()
    assert "_:c14n" in nquads
    assert len(nquads.splitlines()) == 8
    assert len(loaded(tmp_path / "0" / "kg.jsonld", RdfFormat.JSON_LD)) == 8


def test_void_description_validates_against_the_shapes(dumps: Path) -> None:
    graph = rdflib.Graph().parse(dumps / "void.ttl", format="turtle")
    report = validate_void(graph, source="void.ttl")
    assert report.conforms, report.text


def test_void_description_counts_and_describes_the_files(dumps: Path) -> None:
    graph = rdflib.Graph().parse(dumps / "void.ttl", format="turtle")
    dataset = rdflib.URIRef("https://w3id.org/kg-un/dataset")
    assert graph.value(dataset, VOID.triples) == rdflib.Literal(184)
    assert graph.value(dataset, DCTERMS.issued) == rdflib.Literal(ISSUED)
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef("https://kg.example/sparql")
    assert graph.value(dataset, DCTERMS.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    sizes = {}
    for distribution in graph.objects(dataset, DCAT.distribution):
        url = str(graph.value(distribution, DCAT.downloadURL))
        checksum = graph.value(distribution, SPDX.checksum)
        name = url.removeprefix("https://w3id.org/kg-un/dumps/")
        data = (dumps / name).read_bytes()
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        sizes[name] = int(graph.value(distribution, DCAT.byteSize))  # type: ignore[arg-type]
        assert sizes[name] == len(data)
    assert sorted(sizes) == ["kg.jsonld", "kg.nq.gz", "kg.nt.gz", "kg.trig", "kg.ttl"]
    entities = {
        str(graph.value(p, VOID["class"])): int(graph.value(p, VOID.entities))  # type: ignore[arg-type]
        for p in graph.objects(dataset, VOID.classPartition)
    }
    assert entities["https://w3id.org/kg-un/ontology#Mandate"] == 3
    assert entities["https://w3id.org/kg-un/ontology#Resolution"] == 3


def test_void_linksets_count_links_per_external_dataset(dumps: Path) -> None:
    graph = rdflib.Graph().parse(dumps / "void.ttl", format="turtle")
    linksets = {
        str(graph.value(s, VOID.objectsTarget)).rsplit("/", 1)[-1]: (
            int(graph.value(s, VOID.triples)),  # type: ignore[arg-type]
            sorted(str(p) for p in graph.objects(s, VOID.linkPredicate)),
        )
        for s in graph.subjects(rdflib.RDF.type, VOID.Linkset)
    }
    assert linksets == {
        "undocs": (2, ["http://xmlns.com/foaf/0.1/page"]),
        "ods": (2, ["http://www.w3.org/2000/01/rdf-schema#seeAlso"]),
        "wikidata": (2, ["http://www.w3.org/2004/02/skos/core#exactMatch"]),
        "untc": (1, ["http://xmlns.com/foaf/0.1/page"]),
        "unbis": (1, ["http://purl.org/dc/terms/subject"]),
        "sdg": (1, ["http://purl.org/dc/terms/subject"]),
    }


def test_checksums_file_lists_every_other_file(dumps: Path) -> None:
    lines = (dumps / "SHA256SUMS").read_text().splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    assert names == sorted(set(FILES) - {"SHA256SUMS"})
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((dumps / name).read_bytes()).hexdigest() == digest


def test_write_dumps_removes_resolution_files_of_graphs_gone(tmp_path: Path) -> None:
    store = open_store(None)
    store.replace_graphs(sample_graphs())
    dump(store, tmp_path)
    store.replace_graphs({RES_58_135: ""})
    files = dump(store, tmp_path)
    assert "resolutions/A_RES_58_135.ttl" not in files
    assert "resolutions/A_RES_56_120.ttl" in files


def test_remote_store_dumps_match_the_embedded_store(dumps: Path, tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "server") as url:
        store = open_store(url)
        store.replace_graphs(sample_graphs())
        files = dump(store, tmp_path / "out")
    first = {str(p.relative_to(dumps)): p.read_bytes() for p in dumps.rglob("*") if p.is_file()}
    assert files == first


def test_turtle_dump_uses_prefixes(dumps: Path) -> None:
    text = (dumps / "kg.ttl").read_text()
    assert "@prefix res: <https://w3id.org/kg-un/resolution/> ." in text
    assert "res:A\\/RES\\/58\\/135\\/operative\\/9\\/mandate a kg:Mandate ;" in text


def test_cli_dump_writes_the_release_of_a_store(dumps: Path, tmp_path: Path) -> None:
    with open_store(tmp_path / "store") as store:
        store.replace_graphs(sample_graphs())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "dump",
            "--store",
            str(tmp_path / "store"),
            "--out",
            str(out),
            "--issued",
            "2025-01-31",
            "--version",
            "0.1.0",
            "--endpoint-url",
            "https://kg.example/sparql",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"{(out / 'kg.ttl').stat().st_size}\t{out / 'kg.ttl'}"
    assert len(result.stdout.splitlines()) == len(FILES)
    for name in FILES:
        assert (out / name).read_bytes() == (dumps / name).read_bytes()


def test_cli_dump_without_a_store_fails(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["dump", "--store", str(tmp_path / "none"), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'none'}: no store here. Build one first with `kg build --store PATH`\n"
    )
    result = runner.invoke(cli, ["dump", "--out", str(tmp_path)], env={"KG_STORE": None})
    assert result.exit_code == 2
