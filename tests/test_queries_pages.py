"""Paged stored queries (`#+ pagination: N`, issue 7): pages of keys, their order and ends.

Each bundled paged query is copied with a page of one key, so that the five seeds fill
several pages; following `next_page` from page 1 must give every row, in order.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import QueryError
from kg.linkgraph import build_links_graph
from kg.pipeline import ingest
from kg.queries import QueryResult, list_queries, load_query, run_query
from kg.query_pages import find_page_span, key_query, page_query
from kg.resources import corpus_dir, queries_dir
from kg.statistics import write_statistics
from kg.store import GraphStore, open_store
from tests.queries_fixtures import BASE, write_query

PAGED = sorted(q.name for q in list_queries() if q.page is not None)
# Queries whose pages the build lists (kg.listings): one key is one of those pages, so the
# seeds fill several only when the build is told to list a few items a page.
LISTED = ("external-links", "reporting-cycle", "treaty-mentions")
# The columns that tell a page's keys apart: the first, or for reporting-cycle (whose keys
# are mandates) the resolution and the paragraph.
KEY_COLUMNS = {"reporting-cycle": (4, 7)}


def _examples(name: str) -> dict[str, str]:
    query = next(q for q in list_queries() if q.name == name)
    return {p.name: p.example or "" for p in query.params if p.required}


@pytest.fixture(scope="module")
def one_key_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled queries, each paged query cut to pages of one key."""
    folder = tmp_path_factory.mktemp("queries")
    for path in queries_dir().glob("*.rq"):
        text = path.read_text(encoding="utf-8")
        size = re.search(r"^#\+ pagination: (\d+)$", text, re.MULTILINE)
        if size:
            text = text.replace(size.group(0), "#+ pagination: 1")
            text = text.replace(f"LIMIT {size.group(1)}\n", "LIMIT 1\n")
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def listed_store() -> Iterator[GraphStore]:
    """The bundled corpus built with two resources a links page, one resolution a page of
    a treaty's mentions and one mandate a page of the requested reports."""
    store = open_store(None)
    ingest([corpus_dir()], store)
    build_links_graph(store, page_size=2)
    write_statistics(store, mention_page_size=1, report_page_size=1)
    yield store
    store.close()


def _follow(store: GraphStore, name: str, folder: Path) -> list[QueryResult]:
    pages = [run_query(store, name, _examples(name), folder)]
    while pages[-1].next_page is not None:
        assert pages[-1].next_page == len(pages) + 1
        pages.append(run_query(store, name, _examples(name), folder, page=pages[-1].next_page))
    return pages


def test_bundled_paged_queries() -> None:
    assert PAGED == [
        "bodies",
        "citations",
        "cited-by",
        "external-links",
        "mandates",
        "reporting-cycle",
        "resolutions",
        "treaty-mentions",
    ]


@pytest.mark.parametrize("name", PAGED)
def test_pages_of_one_key_give_every_row_in_order(
    name: str, corpus_store: GraphStore, listed_store: GraphStore, one_key_pages: Path
) -> None:
    store = listed_store if name in LISTED else corpus_store
    every = run_query(store, name, _examples(name), page=None)
    pages = _follow(store, name, one_key_pages)
    assert len(pages) > 1
    assert [page.page for page in pages] == list(range(1, len(pages) + 1))
    assert all(page.variables == every.variables for page in pages)
    # Keys that sort alike (the two undated seeds) come in the store's order, each page
    # sorted as the query says: the pages hold every row once, and no key on two pages.
    rows = [row for page in pages for row in page.values()]
    assert sorted(rows, key=str) == sorted(every.values(), key=str)
    columns = KEY_COLUMNS.get(name, (0,))
    keys = [{tuple(row[i] for i in columns) for row in page.values()} for page in pages]
    assert sum(len(k) for k in keys) == len(set().union(*keys))
    assert rows == _in_key_order(every, keys, columns)


def _in_key_order(
    every: QueryResult, keys: list[set[tuple[str | None, ...]]], columns: tuple[int, ...]
) -> list[Any]:
    """Every row, its key's page first, in the query's order within a page."""
    rows = every.values()
    return [row for page in keys for row in rows if tuple(row[i] for i in columns) in page]


@pytest.mark.parametrize("name", PAGED)
def test_first_page_of_the_seeds_is_every_row(name: str, corpus_store: GraphStore) -> None:
    first = run_query(corpus_store, name, _examples(name))
    assert first.page == 1
    assert first.next_page is None
    assert first == run_query(corpus_store, name, _examples(name), page=1)
    assert first.rows == run_query(corpus_store, name, _examples(name), page=None).rows


def test_page_boundary_of_resolutions(corpus_store: GraphStore, one_key_pages: Path) -> None:
    text = (one_key_pages / "resolutions.rq").read_text(encoding="utf-8")
    folder = one_key_pages.parent / "two"
    folder.mkdir(exist_ok=True)
    for path in one_key_pages.glob("*.rq"):
        shutil.copy(path, folder / path.name)
    two = text.replace("#+ pagination: 1", "#+ pagination: 2").replace("LIMIT 1\n", "LIMIT 2\n")
    write_query(folder, "resolutions", two)
    every = [row[0] for row in run_query(corpus_store, "resolutions", page=None).values()]
    assert len(every) == 5
    first = run_query(corpus_store, "resolutions", {}, folder)
    assert ([r[0] for r in first.values()], first.next_page) == (every[:2], 2)
    second = run_query(corpus_store, "resolutions", {}, folder, page=2)
    assert ([r[0] for r in second.values()], second.next_page) == (every[2:4], 3)
    last = run_query(corpus_store, "resolutions", {}, folder, page=3)
    assert ([r[0] for r in last.values()], last.next_page) == (every[4:], None)
    beyond = run_query(corpus_store, "resolutions", {}, folder, page=4)
    assert (beyond.rows, beyond.next_page, beyond.variables) == ((), None, first.variables)


def test_page_below_one_is_an_error(corpus_store: GraphStore) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(corpus_store, "resolutions", page=0)
    assert str(caught.value) == "resolutions: page: 0 is not a page number. Pages start at 1"


def test_query_without_pagination_ignores_the_page(corpus_store: GraphStore) -> None:
    first = run_query(corpus_store, "drafts")
    assert (first.page, first.next_page) == (None, None)
    assert run_query(corpus_store, "drafts", page=3) == first


def test_page_parameter_inside_the_keys(corpus_store: GraphStore, one_key_pages: Path) -> None:
    pages = [run_query(corpus_store, "resolutions", {"since": "2003-01-01"}, one_key_pages)]
    while pages[-1].next_page is not None:
        number = pages[-1].next_page
        pages.append(
            run_query(corpus_store, "resolutions", {"since": "2003-01-01"}, one_key_pages, number)
        )
    assert [[row[0] for row in page.values()] for page in pages] == [
        [BASE + "resolution/A/RES/58/135"],
        [BASE + "resolution/E/RES/2004/23"],
    ]


# ---------------------------------------------------------------- the header and the text

PAGED_QUERY = """#+ summary: Resolutions, two a page
#+ pagination: 2

PREFIX kg: <https://w3id.org/kg-un/ontology#>

SELECT ?resolution ?symbol
WHERE {
  {
    # The keys; a LIMIT 2 in this comment, "LIMIT 2 { in a string", <urn:x{}> do not count.
    SELECT ?resolution WHERE { GRAPH ?resolution { ?resolution a kg:Resolution } }
    ORDER BY ?resolution
    LIMIT 2
  }
  FILTER(?resolution != <urn:x:LIMIT-2> || "LIMIT 2 }" != "")
  OPTIONAL { GRAPH ?resolution { ?resolution kg:symbol ?symbol } }
}
ORDER BY ?resolution
"""


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(QueryError) as caught:
        load_query(write_query(tmp_path, "broken", text))
    return str(caught.value)


def test_page_span_skips_comments_strings_and_iris(tmp_path: Path) -> None:
    query = load_query(write_query(tmp_path, "paged", PAGED_QUERY))
    span = query.page
    assert span is not None and span.size == 2
    text = query.sparql
    assert text[span.group_start : span.group_start + 5] == "{\n   "
    assert text[span.limit_start : span.limit_end] == "LIMIT 2"
    assert text[span.group_end - 1] == "}"
    assert key_query(text, span, 3).endswith("ORDER BY ?resolution\n    LIMIT 3 OFFSET 4\n  }\n")
    assert key_query(text, span, 3).startswith(text[: text.index("SELECT ?resolution ?symbol")])
    rows: list[list[Any]] = [["<urn:a>"], [None]]
    replaced = page_query(text, span, ["resolution"], rows)
    assert "{ VALUES (?resolution) {\n  (<urn:a>)\n  (UNDEF)\n} }\n  FILTER" in replaced


def test_paged_query_runs(tmp_path: Path, corpus_store: GraphStore) -> None:
    write_query(tmp_path, "paged", PAGED_QUERY)
    first = run_query(corpus_store, "paged", {}, tmp_path)
    assert (len(first.rows), first.next_page) == (2, 2)


def test_pagination_needs_one_limit_of_its_size(tmp_path: Path) -> None:
    message = _error(tmp_path, PAGED_QUERY.replace("LIMIT 2\n", "LIMIT 3\n"))
    assert message.startswith(
        f"{tmp_path / 'broken.rq'}:1: `#+ pagination: 2` needs one `LIMIT 2`, found none"
    )
    twice = PAGED_QUERY + "LIMIT 2\n"
    message = _error(tmp_path, twice)
    assert message.startswith(
        f"{tmp_path / 'broken.rq'}:18: `#+ pagination: 2` needs one `LIMIT 2`, found 2"
    )


def test_pagination_limit_must_end_a_sub_select(tmp_path: Path) -> None:
    flat = "#+ summary: x\n#+ pagination: 2\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 2\n"
    assert _error(tmp_path, flat).startswith(
        f"{tmp_path / 'broken.rq'}:3: `LIMIT 2` must end a `{{ SELECT … }}` sub-query"
    )


@pytest.mark.parametrize("value", ["0", "ten", "-1"])
def test_pagination_must_be_a_number(tmp_path: Path, value: str) -> None:
    message = _error(tmp_path, PAGED_QUERY.replace("pagination: 2", f"pagination: {value}"))
    assert message.startswith(
        f"{tmp_path / 'broken.rq'}:2: `pagination` must be a whole number above 0"
    )


def test_find_page_span_reports_the_line() -> None:
    with pytest.raises(ValueError, match=r"^4: `LIMIT 5` must end"):
        find_page_span("PREFIX x: <urn:x>\nSELECT *\nWHERE { ?s ?p ?o }\nLIMIT 5\n", 5)


# ---------------------------------------------------------------- kg query --page


@pytest.fixture(scope="module")
def corpus_dir_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("store") / "store"
    with open_store(location) as store:
        ingest([corpus_dir()], store)
        store.flush()
    return location


def test_cli_query_pages(runner: CliRunner, corpus_dir_store: Path) -> None:
    store = ["--store", str(corpus_dir_store), "--format", "csv"]
    first = runner.invoke(cli, ["query", "resolutions", *store])
    assert first.exit_code == 0, first.output
    every = runner.invoke(cli, ["query", "resolutions", *store, "--page", "all"])
    assert every.stdout == first.stdout
    assert len(first.stdout.splitlines()) == 6
    beyond = runner.invoke(cli, ["query", "resolutions", *store, "--page", "2"])
    assert beyond.exit_code == 0
    assert beyond.stdout.splitlines() == first.stdout.splitlines()[:1]
    bad = runner.invoke(cli, ["query", "resolutions", *store, "--page", "0"])
    assert bad.exit_code == 2
    assert "--page '0': give a page number from 1, or all" in bad.output


def test_reporting_cycle_pages_of_one_session(listed_store: GraphStore) -> None:
    # One mandate a page: over all sessions, four pages; for one session, its own page.
    first = run_query(listed_store, "reporting-cycle")
    assert ([row[1] for row in first.values()], first.next_page) == (["11"], 2)
    for session in ("11", "23", "59", "60"):
        result = run_query(listed_store, "reporting-cycle", {"session": session})
        assert [row[1] for row in result.values()] == [session]
        assert result.next_page is None
    assert run_query(listed_store, "reporting-cycle", {"session": "12"}).rows == ()
