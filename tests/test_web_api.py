"""The stored-query API in pages (issue 7): `?page=N` and the `Link` header, on a real server.

The store holds the bundled corpus and 26 copies of seed 000 under other symbols, so that
the mandates of its 31 resolutions fill two pages of 20.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.pipeline import ingest
from kg.queries import run_query
from kg.resources import corpus_dir
from kg.store import open_store
from tests.web_fixtures import SEED_000, KgServer, start_server, stop_server

COPIES = 26


def _build(folder: Path) -> Path:
    corpus = folder / "corpus"
    shutil.copytree(corpus_dir(), corpus)
    text = (corpus_dir() / SEED_000).read_text(encoding="utf-8")
    for number in range(COPIES):
        copy = text.replace("A/RES/58/135", f"A/RES/58/{700 + number}")
        copy = copy.replace("58/135.", f"58/{700 + number}.")
        (corpus / f"copy_{number:02}.txt").write_text(copy, encoding="utf-8")
    store_dir = folder / "store"
    paths = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md"))
    with open_store(store_dir) as store:
        results = ingest(paths, store)
        assert {r.status for r in results} == {"loaded"}
        store.flush()
    return store_dir


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KgServer]:
    folder = tmp_path_factory.mktemp("pages")
    server = start_server(_build(folder), folder / "dumps")
    yield server
    stop_server(server)


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


def _bindings(body: bytes) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(body)["results"]["bindings"]
    return rows


def test_api_pages_link_next_prev_and_end(many: KgServer) -> None:
    with open_store(many.store, read_only=True) as store:
        every = run_query(store, "mandates", page=None)
        keys = {row[0] for row in every.values()}
    assert len(keys) == 5 + COPIES - 1  # E/RES/2004/23 gives no mandate of its own
    first = many.get("/api/queries/mandates", accept="application/sparql-results+json")
    assert first.status_code == 200
    links = _links(first.headers["link"])
    assert set(links) == {"first", "next"}
    assert links["next"].endswith("/api/queries/mandates?page=2")
    second = many.get(links["next"].removeprefix(many.url))
    assert second.status_code == 200
    links = _links(second.headers["link"])
    assert set(links) == {"first", "prev"}
    assert links["prev"].endswith("/api/queries/mandates?page=1")
    rows = _bindings(first.content) + _bindings(second.content)
    assert len(rows) == len(every.rows)
    assert int(first.headers["x-kg-rows"]) + int(second.headers["x-kg-rows"]) == len(rows)
    resolutions = [row["resolution"]["value"] for row in rows]  # type: ignore[index]
    assert len(set(resolutions[: int(first.headers["x-kg-rows"])])) == 20
    beyond = many.get("/api/queries/mandates", params={"page": "3"})
    assert (beyond.status_code, _bindings(beyond.content)) == (200, [])
    assert set(_links(beyond.headers["link"])) == {"first", "prev"}


def test_api_page_keeps_the_other_parameters(many: KgServer) -> None:
    response = many.get("/api/queries/mandates.csv", params={"kind": "request", "page": "1"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    links = _links(response.headers["link"])
    assert links["next"].endswith("/api/queries/mandates.csv?kind=request&page=2")


def test_api_bad_page_is_a_400_in_the_error_shape(many: KgServer) -> None:
    for value in ("0", "two", "-1"):
        response = many.get("/api/queries/mandates", params={"page": value})
        assert response.status_code == 400
        body = response.json()
        assert body == {
            "ok": False,
            "status": 400,
            "error": f"mandates: page: {value!r} is not a page number. Pages start at 1",
        }


def test_api_query_without_pages_has_no_link(many: KgServer) -> None:
    response = many.get("/api/queries/drafts")
    assert response.status_code == 200
    assert "link" not in response.headers


def test_api_describes_the_page_parameter(many: KgServer) -> None:
    listed = {q["name"]: q for q in many.get("/api/queries").json()["queries"]}
    assert listed["mandates"]["pagination"] == 20
    assert listed["drafts"]["pagination"] is None
    document = many.get("/api/openapi.json").json()
    parameters = document["paths"]["/api/queries/mandates"]["get"]["parameters"]
    page = next(p for p in parameters if p["name"] == "page")
    assert page["schema"] == {"type": "integer", "minimum": 1, "default": 1}
    drafts = document["paths"]["/api/queries/drafts"]["get"]["parameters"]
    assert all(p["name"] != "page" for p in drafts)
