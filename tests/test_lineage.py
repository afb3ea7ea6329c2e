"""Series and alignments in a real store built by the real pipeline from the seeds (issue 6)."""

from __future__ import annotations

import jinja2
import pytest
from rdflib.compare import isomorphic

from kg.changes import changes_for, comparisons_for, previous_in_series
from kg.errors import NotFoundError
from kg.lineage import LINEAGE_GRAPH, build_lineage_graph
from kg.queries import run_query
from kg.resources import data_dir
from kg.series import Candidate, find_series, order_members
from kg.store import GraphStore
from kg.validate import validate_graph

BASE = "https://w3id.org/kg-un/"
RES = BASE + "resolution/"
R56_120 = RES + "A/RES/56/120"
R58_135 = RES + "A/RES/58/135"
E2004_23 = RES + "E/RES/2004/23"
DRAFT = E2004_23 + "/draft"
SERIES = BASE + "series/A-RES-56-120"
PREFIX = "PREFIX kg: <https://w3id.org/kg-un/ontology#>\n"


@pytest.fixture(scope="module")
def store(corpus_store: GraphStore) -> GraphStore:
    """The session's store: the real pipeline over the bundled corpus (read only here)."""
    return corpus_store


def _rows(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    _, rows = store.select_rows(PREFIX + sparql)
    return [{k: v.value for k, v in row.items()} for row in rows]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def ga_2004(store: GraphStore) -> str:
    """The Assembly's 2004 resolution (seed 001): no symbol, so a content-derived IRI."""
    rows = _rows(
        store,
        """PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?r WHERE { ?r a kg:Resolution ; prov:wasDerivedFrom/kg:sourceFile ?f .
                          FILTER(STRENDS(?f, "001_e4a5895366382510.txt")) }""",
    )
    assert len(rows) == 1
    return rows[0]["r"]


def test_lineage_series_holds_the_assembly_resolutions_in_order(
    store: GraphStore, ga_2004: str
) -> None:
    rows = _rows(
        store,
        "SELECT ?s ?r ?n WHERE { ?r kg:inSeries ?s ; kg:seriesOrder ?n } ORDER BY ?s ?n",
    )
    assert [(r["s"], r["r"], r["n"]) for r in rows] == [
        (SERIES, R56_120, "1"),
        (SERIES, R58_135, "2"),
        (SERIES, ga_2004, "3"),
    ]
    previous = _rows(store, "SELECT ?r ?p WHERE { ?r kg:previousInSeries ?p } ORDER BY ?p")
    assert [(r["r"], r["p"]) for r in previous] == [(R58_135, R56_120), (ga_2004, R58_135)]


def test_lineage_series_leaves_out_ecosoc_and_the_commission(store: GraphStore) -> None:
    members = {r["r"] for r in _rows(store, "SELECT ?r WHERE { ?r kg:inSeries ?s }")}
    assert E2004_23 not in members
    assert not any(m.startswith(RES + "text/") and m.endswith("15cb75bc92ae7658") for m in members)
    label = _rows(
        store,
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"SELECT ?l WHERE {{ <{SERIES}> a kg:Series ; rdfs:label ?l }}",
    )
    assert [r["l"] for r in label] == [
        "International cooperation in the fight against transnational organized crime: "
        "assistance to States in capacity-building with a view to facilitating the "
        "implementation of the United Nations Convention against Transnational Organized "
        "Crime and the Protocols thereto"
    ]


def test_lineage_adoption_is_aligned_with_the_ecosoc_draft(store: GraphStore, ga_2004: str) -> None:
    adoption = _rows(store, "SELECT ?r ?d WHERE { ?r kg:adoptsDraft ?d }")
    assert adoption == [{"r": ga_2004, "d": DRAFT}]
    rows = _rows(
        store,
        f"""SELECT ?later ?kind WHERE {{
          ?a kg:earlierText <{DRAFT}> ; kg:laterText <{ga_2004}> ;
             kg:changeKind ?k ; kg:alignmentOf ?later ; kg:alignedWith ?earlier .
          BIND(STRAFTER(STR(?k), "/change/") AS ?kind)
          FILTER(STRAFTER(STR(?later), "{ga_2004}") = STRAFTER(STR(?earlier), "{DRAFT}"))
        }}""",
    )
    kinds = {r["later"].removeprefix(ga_2004): r["kind"] for r in rows}
    assert len(kinds) == 14
    assert {k for k, v in kinds.items() if v == "amended"} == {
        "/preamble/1",
        "/preamble/2",
        "/operative/5",
    }
    assert {
        v for k, v in kinds.items() if k not in {"/preamble/1", "/preamble/2", "/operative/5"}
    } == {"carried-over"}


def test_lineage_revision_links_follow_the_alignment(store: GraphStore, ga_2004: str) -> None:
    rows = _rows(store, "SELECT ?p ?q WHERE { ?p kg:revisionOf ?q }")
    links = {(r["p"], r["q"]) for r in rows}
    assert (R58_135 + "/preamble/4", R56_120 + "/preamble/1") in links
    assert (R58_135 + "/operative/8", R56_120 + "/operative/4") in links
    assert (ga_2004 + "/operative/3", R58_135 + "/operative/3") in links
    assert (ga_2004 + "/operative/7", R58_135 + "/operative/8") in links
    assert (ga_2004 + "/operative/3", DRAFT + "/operative/3") in links
    # New in 2004: no counterpart in 58/135 (only in the draft it adopts).
    assert not {q for p, q in links if p == ga_2004 + "/operative/5" and q.startswith(R58_135)}
    # 56/120 → 58/135: 5 amended; 58/135 → 2004: 4 carried over + 7 amended; draft: 14.
    assert len(links) == 5 + 11 + 14


def test_changes_query_lists_58_135_against_its_predecessor(store: GraphStore) -> None:
    result = run_query(store, "changes", {"to": "A/RES/58/135"})
    assert result.variables[:3] == ("from", "part", "kind")
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.values()]
    assert {r["from"] for r in rows} == {R56_120}
    assert [(str(r["part"])[0], r["kind"], r["fromOrder"], r["toOrder"]) for r in rows] == [
        ("p", "dropped", "2", None),
        ("p", "dropped", "3", None),
        ("p", "amended", "4", "1"),
        ("p", "new", None, "2"),
        ("p", "new", None, "3"),
        ("p", "amended", "1", "4"),
        ("p", "new", None, "5"),
        ("p", "dropped", "5", None),
        ("o", "new", None, "1"),
        ("o", "new", None, "2"),
        ("o", "new", None, "3"),
        ("o", "new", None, "4"),
        ("o", "dropped", "1", None),
        ("o", "dropped", "2", None),
        ("o", "amended", "3", "5"),
        ("o", "new", None, "6"),
        ("o", "new", None, "7"),
        ("o", "amended", "4", "8"),
        ("o", "amended", "5", "9"),
    ]
    op9 = rows[-1]
    assert op9["similarity"] == "0.438"
    assert op9["diff"] is not None
    assert "[-eleventh-] {+fifty-ninth+} session." in op9["diff"]


def test_changes_query_from_58_135_to_2004(store: GraphStore, ga_2004: str) -> None:
    result = run_query(store, "changes", {"to": ga_2004, "from": "A/RES/58/135"})
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.values()]
    op3 = next(r for r in rows if r["part"] == "operative" and r["toOrder"] == "3")
    assert op3["kind"] == "amended"
    assert op3["diff"] is not None
    assert op3["diff"].startswith(
        "Commends the [-Centre for International Crime Prevention of the-] United Nations "
        "Office on Drugs and Crime for its work"
    )
    assert op3["diff"].endswith(
        "invites the [-Centre-] {+Office+} to finalize the legislative "
        "guides and to disseminate them as widely as possible;"
    )
    dropped = [r["fromOrder"] for r in rows if r["kind"] == "dropped"]
    assert dropped == ["4", "6", "7"]
    new = [r["toOrder"] for r in rows if r["kind"] == "new"]
    assert new == ["4", "5", "8"]
    also_urges = next(r for r in rows if r["toOrder"] == "5" and r["part"] == "operative")
    assert also_urges["toText"] is not None
    assert also_urges["toText"].startswith("Also urges all States")
    assert "extradition and mutual legal assistance" in also_urges["toText"]


def test_changes_query_without_from_defaults_to_the_predecessor(
    store: GraphStore, ga_2004: str
) -> None:
    default = run_query(store, "changes", {"to": ga_2004}).values()
    explicit = run_query(store, "changes", {"to": ga_2004, "from": R58_135}).values()
    assert default == explicit
    assert len(default) == 4 + 7 + 3 + 3
    assert run_query(store, "changes", {"to": "A/RES/56/120"}).values() == []


def test_changes_for_reads_the_stored_comparison(store: GraphStore, ga_2004: str) -> None:
    view = changes_for(store, ga_2004)
    assert view is not None
    assert view.stored
    assert view.earlier.symbol == "A/RES/58/135"
    assert view.counts == {"carried-over": 4, "amended": 7, "new": 3, "dropped": 3}
    op7 = next(c for c in view.changes if c.later and c.later.id == ga_2004 + "/operative/7")
    assert op7.earlier is not None
    assert op7.earlier.id == R58_135 + "/operative/8"
    assert [(op.tag, op.text) for op in op7.diff[1:3]] == [
        ("delete", "Centre"),
        ("insert", "United Nations Office on Drugs and Crime"),
    ]
    assert changes_for(store, R56_120) is None
    assert previous_in_series(store, ga_2004) == R58_135


def test_changes_for_aligns_other_pairs_on_request(store: GraphStore, ga_2004: str) -> None:
    view = changes_for(store, ga_2004, R56_120)
    assert view is not None
    assert not view.stored
    assert view.counts["carried-over"] == 0
    pairs = {(c.earlier.id, c.later.id) for c in view.changes if c.earlier and c.later}
    assert (R56_120 + "/operative/4", ga_2004 + "/operative/7") in pairs
    with pytest.raises(NotFoundError, match="resolution with paragraphs"):
        changes_for(store, ga_2004, RES + "A/RES/55/25")


def test_comparisons_for_lists_the_predecessor_then_the_draft(
    store: GraphStore, ga_2004: str
) -> None:
    views = comparisons_for(store, ga_2004)
    assert [(v.earlier.iri, v.earlier.symbol, v.earlier.draft) for v in views] == [
        (R58_135, "A/RES/58/135", False),
        (DRAFT, "E/RES/2004/23", True),
    ]
    assert views[1].counts == {"carried-over": 11, "amended": 3, "new": 0, "dropped": 0}


def test_changes_partial_renders_a_colour_marked_comparison(
    store: GraphStore, ga_2004: str
) -> None:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("ontology").parent / "kg/web/templates")),
        autoescape=True,
    )
    template = env.from_string('{% from "_changes.html" import changes %}{{ changes(cmp) }}')
    html = template.render(cmp=changes_for(store, ga_2004))
    assert 'Changes from <a href="' + R58_135 + '">A/RES/58/135</a>' in html
    assert "invites the <del>Centre</del> <ins>Office</ins> to finalize" in html
    assert html.count('<tr class="change new">') == 3
    assert html.count('<tr class="change dropped">') == 3
    assert "<del>Welcomes the organization by the Secretary-General" in html


def test_lineage_graph_is_the_same_on_every_build(store: GraphStore) -> None:
    first = build_lineage_graph(store)
    second = build_lineage_graph(store)
    assert isomorphic(first, second)
    stored = store.count_triples(LINEAGE_GRAPH)
    assert stored == len(first)
    counted = _rows(
        store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{LINEAGE_GRAPH}> {{ ?a a kg:Alignment }} }}",
    )
    assert counted == [{"n": str(19 + 17 + 14)}]


def test_lineage_graph_conforms_to_the_shapes(store: GraphStore) -> None:
    report = validate_graph(build_lineage_graph(store), source="lineage graph")
    assert report.conforms, report.text
    assert report.violations == ()


# Series detection on plain candidates


def _candidate(
    iri: str, title: str, body: str = "ga", date: str | None = None, **kw: object
) -> Candidate:
    return Candidate(iri, kw.pop("symbol", None), title, body, date, **kw)  # type: ignore[arg-type]


def test_find_series_links_titles_without_citations_and_keeps_bodies_apart() -> None:
    title = "Assistance for humanitarian relief and rehabilitation of Somalia"
    found = find_series(
        [
            _candidate("a", title, date="2001-01-01", symbol="A/RES/56/1"),
            _candidate("b", title + " and its neighbours", date="2002-01-01"),
            _candidate("c", title, body="ecosoc", date="2002-06-01"),
            _candidate("d", "Question of the Falkland Islands", date="2003-01-01"),
        ]
    )
    assert [(s.slug, s.members) for s in found] == [("A-RES-56-1", ("a", "b"))]


def test_find_series_needs_a_citation_below_the_title_threshold() -> None:
    older = _candidate("a", "Action against transnational organized crime: assistance to States")
    newer = "International cooperation against transnational organized crime: help to States"
    assert find_series([older, _candidate("b", newer)]) == ()
    cited = _candidate("b", newer, cites=frozenset({"a"}))
    assert [s.members for s in find_series([older, cited])] == [("a", "b")]


def test_order_members_places_an_undated_adoption_after_what_it_cites() -> None:
    members = [
        _candidate("x", "t", date=None, cites=frozenset({"b"}), not_before="2004-07-21"),
        _candidate("b", "t", date="2003-12-22", symbol="A/RES/58/135"),
        _candidate("a", "t", date="2001-12-19", symbol="A/RES/56/120"),
        _candidate("z", "t", date=None),
        _candidate("y", "t", date=None),
    ]
    assert [m.iri for m in order_members(members)] == ["a", "b", "x", "y", "z"]
    undated_cited = [
        _candidate("u", "t"),
        _candidate("v", "t", "ga", "2005-01-01", cites=frozenset({"u"})),
    ]
    assert [m.iri for m in order_members(undated_cited)] == ["u", "v"]


def test_order_members_compares_symbol_numbers_as_numbers() -> None:
    members = [
        _candidate("ten", "t", date="2003-12-22", symbol="A/RES/58/10"),
        _candidate("nine", "t", date="2003-12-22", symbol="A/RES/58/9"),
    ]
    assert [m.iri for m in order_members(members)] == ["nine", "ten"]
