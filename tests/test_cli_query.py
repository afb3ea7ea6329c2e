"""`kg query` and `kg queries`: output formats, exit codes and messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store import EmbeddedGraphStore, open_store
from tests.queries_fixtures import SAMPLE

ANONYMOUS = "https://w3id.org/kg-un/resolution/text/0123456789abcdef"
INVITATION = [
    ANONYMOUS,
    f"{ANONYMOUS}/operative/1",
    "https://w3id.org/kg-un/body/member-states",
    "invitation",
    "to contribute",
]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An on-disk store holding the sample dataset, closed so `kg query` can open it."""
    location = tmp_path_factory.mktemp("queries") / "store"
    store = open_store(location)
    assert isinstance(store, EmbeddedGraphStore)
    from pyoxigraph import RdfFormat

    store.oxigraph.load(path=SAMPLE, format=RdfFormat.TRIG)
    store.flush()
    store.close()
    yield str(location)


def test_query_prints_an_aligned_table(runner: CliRunner, store_dir: str) -> None:
    result = runner.invoke(
        cli, ["query", "mandates", "-p", "kind=invitation", "--store", store_dir]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "resolution",
        "symbol",
        "paragraph",
        "addressee",
        "kind",
        "task",
        "reportTo",
        "dueSession",
    ]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split(maxsplit=4) == INVITATION
    assert lines[3:] == ["(1 row)"]
    assert result.stderr == ""


def test_query_csv_tsv_and_json(runner: CliRunner, store_dir: str) -> None:
    args = ["query", "mandates", "-p", "kind=invitation", "--store", store_dir, "--format"]
    csv = runner.invoke(cli, [*args, "csv"])
    assert csv.exit_code == 0
    assert csv.stdout_bytes.decode() == (
        "resolution,symbol,paragraph,addressee,kind,task,reportTo,dueSession\r\n"
        f"{ANONYMOUS},,{ANONYMOUS}/operative/1,https://w3id.org/kg-un/body/member-states,"
        "invitation,to contribute,,\r\n"
    )
    tsv = runner.invoke(cli, [*args, "tsv"])
    assert tsv.stdout.splitlines()[1] == (
        f"<{ANONYMOUS}>\t\t<{ANONYMOUS}/operative/1>\t<https://w3id.org/kg-un/body/member-states>"
        '\t"invitation"\t"to contribute"\t\t'
    )
    document = json.loads(runner.invoke(cli, [*args, "json"]).stdout)
    assert document["head"]["vars"][:2] == ["resolution", "symbol"]
    assert document["results"]["bindings"][0]["kind"] == {"type": "literal", "value": "invitation"}


def test_query_ad_hoc_sparql(runner: CliRunner, store_dir: str) -> None:
    ask = "ASK { ?m a <https://w3id.org/kg-un/ontology#Mandate> }"
    result = runner.invoke(cli, ["query", "--sparql", ask, "--store", store_dir])
    assert (result.exit_code, result.stdout) == (0, "true\n")
    select = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/kg-un/ontology#Mandate> }"
    result = runner.invoke(
        cli, ["query", "--sparql", "-", "--store", store_dir, "--format", "csv"], input=select
    )
    assert (result.exit_code, result.stdout_bytes) == (0, b"n\r\n5\r\n")


def test_query_note_for_a_name_that_names_nothing(runner: CliRunner, store_dir: str) -> None:
    result = runner.invoke(
        cli, ["query", "mandates", "-p", "addressee=UNDOC", "--store", store_dir]
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "(0 rows)"
    assert result.stderr == "Note: mandates: addressee: nothing in the store is named 'UNDOC'\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "stored query not found: nope. Run `kg queries` to list them"),
        (
            ["reporting-cycle", "-p", "session=59th"],
            "reporting-cycle: session: '59th' is not an integer. Give digits, e.g. 59",
        ),
        (
            ["bodies", "-p", "folow=true"],
            "bodies: unknown parameter 'folow'. Parameters of bodies: follow",
        ),
        (
            ["paragraphs"],
            "paragraphs: parameter 'resolution' is required (e.g. -p resolution=A/RES/58/135)",
        ),
        (["--sparql", "SELECT ?x WHERE {"], "query: error at 1:18: "),
    ],
)
def test_query_errors_exit_1(
    runner: CliRunner, store_dir: str, args: list[str], message: str
) -> None:
    result = runner.invoke(cli, ["query", *args, "--store", store_dir])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {message}")
    assert result.stdout == ""


def test_query_without_a_store_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["query", "resolutions", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'none'}: no store here. Build one first with `kg build --store PATH`\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["mandates", "--sparql", "ASK {}"],
        ["mandates", "-p", "kind"],
        ["mandates", "-p", "kind=request", "-p", "kind=call"],
        ["--sparql", "ASK {}", "-p", "kind=request"],
        ["mandates", "--format", "xml"],
    ],
)
def test_query_usage_errors_exit_2(runner: CliRunner, store_dir: str, args: list[str]) -> None:
    result = runner.invoke(cli, ["query", *args, "--store", store_dir])
    assert result.exit_code == 2


def test_queries_lists_names_summaries_and_parameters(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["queries"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    at = lines.index("mandates")
    assert lines[at + 1 : at + 4] == [
        "    Mandates given by operative paragraphs, to whom, of which kind, reporting when",
        "    -p addressee=<iri>  optional: Only mandates addressed to this body or group (IRI, "
        "name or short name). (e.g. Secretary-General)",
        "    -p kind=<string>  optional: Only mandates of this kind. One of: request, invitation, "
        "encouragement, urging, call. (e.g. request)",
    ]
    follow = (
        "    -p follow=<string>  default false: true to count former bodies under their latest "
        "successor. One of: false, true. (e.g. true)"
    )
    assert follow in lines
