"""The ``kg`` command line: one click group, one subcommand per verb.

Each command reads its input, makes one call into the core and formats the result.
Exit codes: 0 success, 1 any kg error (message on stderr), 2 usage error.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from kg import __version__
from kg import enrich as _enrich
from kg import linkgraph as _linkgraph
from kg.dumps import write_dumps
from kg.errors import KgError, StoreError
from kg.ids import BASE_IRI
from kg.links import LinkRecord
from kg.staging import staging_store
from kg.store import open_store


@click.group()
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """kg: publish United Nations resolutions as a knowledge graph."""


# ---------------------------------------------------------------- kg parse (issue 2)


@cli.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array, one model per text.")
@click.option("--strict", is_flag=True, help="Count a text with warnings as failed.")
def parse_command(paths: tuple[Path, ...], as_json: bool, strict: bool) -> None:
    """Parse resolution texts (files, or folders of .txt, .md, .html, .htm) into the model.

    Prints a summary per text (symbol, body, date, title, paragraph counts, mandates),
    or with --json one JSON array. Warnings and errors go to stderr; the exit status
    is 1 if any file failed (with --strict, also if any had warnings).
    """
    import json

    from kg.model import to_json
    from kg.parse import format_summary, parse_paths

    failed, documents = False, []
    for result in parse_paths(paths):
        if isinstance(result, KgError):
            click.echo(f"Error: {result}", err=True)
            failed = True
            continue
        for warning in result.warnings:
            click.echo(f"Warning: {result.source}: {warning}", err=True)
        failed = failed or (strict and bool(result.warnings))
        documents.append(result)
        if not as_json:
            click.echo(format_summary(result) + "\n")
    if as_json:
        click.echo(json.dumps([to_json(d) for d in documents], ensure_ascii=False, indent=2))
    if failed:
        raise SystemExit(1)


# ---------------------------------------------------------------- kg build, kg validate (issue 3)

_base_iri_option = click.option(
    "--base-iri",
    envvar="KG_BASE_IRI",
    default=BASE_IRI,
    show_default=True,
    help="Base IRI of the dataset: the identity of its resources.",
)


@cli.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--store",
    envvar="KG_STORE",
    default="data/store",
    show_default=True,
    metavar="DIR|URL",
    help="Store directory, or the URL of a SPARQL 1.1 server.",
)
@_base_iri_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes validating documents [default: 1; 2 for 200 files or more].",
)
def build_command(paths: tuple[Path, ...], store: str, base_iri: str, workers: int | None) -> None:
    """Build the dataset: parse, map, validate and load documents into the store.

    PATH is a file or a folder of .txt, .md, .html and .htm files (with its manifest.toml);
    without PATH the bundled corpus is built. Each document replaces its own named graph;
    a document that fails is reported and not loaded. A directory store is built beside the
    live one and swapped in at the end, so a running `kg serve` never sees half a build.
    Exit status: 0 if every document loaded, 1 if any was rejected or the store failed.
    """
    from kg.linkgraph import default_review_file
    from kg.pipeline import build
    from kg.resources import corpus_dir

    review = None if store.startswith(("http://", "https://")) else default_review_file(Path(store))
    with _BuildProgress() as progress:
        try:
            with staging_store(store) as graph_store:
                outcome = build(
                    list(paths) or [corpus_dir()],
                    graph_store,
                    base=base_iri,
                    progress=progress,
                    workers=workers,
                    review_file=review,
                )
        except KgError as e:
            _build_fail(e)
    for result in outcome.results:
        if result.error is not None:
            click.echo(f"Error: {result.error}", err=True)
    click.echo(outcome.stats.summary(), err=True)
    if outcome.stats.rejected:
        raise SystemExit(1)


def _build_fail(error: KgError) -> NoReturn:
    click.echo(f"Error: {error}", err=True)
    raise SystemExit(1)


class _BuildProgress:
    """A progress bar on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        import sys

        self.stream = sys.stderr
        self.enabled = self.stream.isatty()
        self.bar: Any = None

    def __call__(self, result: object, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Building", file=self.stream)
            self.bar.__enter__()
        self.bar.update(1)

    def __enter__(self) -> _BuildProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_base_iri_option
def validate_command(paths: tuple[Path, ...], base_iri: str) -> None:
    """Check documents against the shapes without loading them.

    Prints a report per file (which paragraph is wrong, what is wrong and how to fix it)
    on stdout and a count on stderr; without PATH the bundled corpus is checked.
    Exit status: 0 if every file conforms (warnings allowed), 1 if any does not.
    """
    from kg.pipeline import check
    from kg.resources import corpus_dir
    from kg.stages import check_report

    checked = failed = 0
    try:
        for prepared in check(list(paths) or [corpus_dir()], base=base_iri):
            checked += 1
            failed += prepared.failure is not None
            click.echo(check_report(prepared))
    except KgError as e:
        _build_fail(e)
    click.echo(f"{checked} file(s) checked: {checked - failed} conform, {failed} do not", err=True)
    if failed:
        raise SystemExit(1)


# ---------------------------------------------------------------- kg link (issue 5)


def _link_fail(error: Exception) -> NoReturn:
    click.echo(f"Error: {error}", err=True)
    raise SystemExit(1)


def _link_review_path(store: str | None, review_file: Path | None) -> Path:
    if review_file is not None:
        return review_file
    if store is None or store.startswith(("http://", "https://")):
        raise click.UsageError("give --review-file (or --store with a store directory)")
    return _linkgraph.default_review_file(Path(store))


def _link_row(record: LinkRecord, base_iri: str) -> str:
    return "\t".join(
        [record.id(base_iri), record.status, record.subject, record.target, record.note or ""]
    )


_link_store = click.option(
    "--store", envvar="KG_STORE", metavar="DIR", help="The store `kg build` wrote."
)
_link_review_file = click.option(
    "--review-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KG_LINKS_REVIEW",
    help="Turtle file of proposed and reviewed links [default: STORE-links-reviewed.ttl].",
)
_link_base_iri = click.option(
    "--base-iri",
    envvar="KG_BASE_IRI",
    default=BASE_IRI,
    show_default=True,
    help="Base IRI of the dataset.",
)


@cli.group()
def link() -> None:
    """Link the graph with other UN datasets: Wikidata proposals, review, dead links.

    Proposed and reviewed Wikidata links are kept in a review file beside the store
    (STORE-links-reviewed.ttl, or --review-file), which `kg build` reads back, so
    decisions survive rebuilds.
    """


@link.command("wikidata")
@click.option(
    "--endpoint",
    default=_enrich.WIKIDATA_ENDPOINT,
    show_default=True,
    help="SPARQL endpoint holding Wikidata-shaped data.",
)
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per answer.")
@_link_store
@_link_review_file
@_link_base_iri
def link_wikidata(
    endpoint: str, timeout: float, store: str | None, review_file: Path | None, base_iri: str
) -> None:
    """Propose Wikidata items whose English label matches a treaty or body, for review.

    Prints one line per new proposal: id, status, resource, Wikidata item, what matched.
    Without network access it fails after a short connect timeout and changes nothing.
    """
    path = _link_review_path(store, review_file)
    if store is None or not (store.startswith("http") or Path(store).is_dir()):
        _link_fail(StoreError(str(store), "no store here", "Build one with `kg build --store`"))
    try:
        with staging_store(store) as graph_store:
            result = _enrich.propose_wikidata_links(
                graph_store, path, endpoint, base_iri, timeout=timeout
            )
    except KgError as e:
        _link_fail(e)
    for record in result.proposed:
        click.echo(_link_row(record, base_iri))
    click.echo(
        f"{len(result.proposed)} new proposal(s) from {result.matches} match(es) of "
        f"{result.labels} label(s); see `kg link review --review-file {path}`",
        err=True,
    )


@link.command("review")
@click.option("--accept", multiple=True, metavar="ID", help="Accept the proposal with this id.")
@click.option("--reject", multiple=True, metavar="ID", help="Reject the proposal with this id.")
@click.option("--all", "show_all", is_flag=True, help="List every record, not only proposals.")
@_link_store
@_link_review_file
@_link_base_iri
def link_review(
    accept: tuple[str, ...],
    reject: tuple[str, ...],
    show_all: bool,
    store: str | None,
    review_file: Path | None,
    base_iri: str,
) -> None:
    """List proposed Wikidata links, or accept and reject them by id (a unique prefix).

    An accepted link is stated in the links graph from then on, also after rebuilds; a
    rejected one is not proposed again. With --store the links graph is updated at once.
    """
    path = _link_review_path(store, review_file)
    try:
        if not (accept or reject):
            records = [
                r
                for r in _linkgraph.read_review_file(path, base_iri)
                if show_all or r.status == "proposed"
            ]
        elif store is None:
            records = _enrich.review_links(path, accept, reject, None, base_iri)
        else:
            with staging_store(store) as graph_store:
                records = _enrich.review_links(path, accept, reject, graph_store, base_iri)
    except KgError as e:
        _link_fail(e)
    for record in records:
        click.echo(_link_row(record, base_iri))


@link.command("check")
@_link_store
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds per link.")
def link_check(store: str | None, timeout: float) -> None:
    """Dereference every external link of the links graph and list the dead ones.

    Prints status, target and resource of each dead link; exits 1 if there is any.
    """
    if store is None:
        raise click.UsageError("give --store (or set KG_STORE)")
    try:
        with open_store(store, read_only=True) as graph_store:
            checks = _enrich.check_links(graph_store, timeout)
    except KgError as e:
        _link_fail(e)
    dead = [c for c in checks if c.dead]
    for c in dead:
        click.echo(f"{c.status or '-'}\t{c.target}\t{c.subject}\t{c.error or ''}")
    targets = len({c.target for c in checks})
    click.echo(f"{len(dead)} dead link(s), {targets} target(s) checked", err=True)
    if dead:
        raise SystemExit(1)


# ---------------------------------------------------------------- kg dump (issue 4)


@cli.command("dump")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dumps"),
    show_default=True,
    help="Folder to write the dump files into.",
)
@click.option("--store", envvar="KG_STORE", metavar="DIR|URL", help="The store `kg build` wrote.")
@click.option(
    "--issued",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Release date, YYYY-MM-DD; give it to reproduce a release [default: today].",
)
@click.option(
    "--version",
    "release_version",
    default=__version__,
    show_default=True,
    help="Release version (owl:versionInfo).",
)
@click.option(
    "--base-iri",
    envvar="KG_BASE_IRI",
    default=BASE_IRI,
    show_default=True,
    help="Base IRI of the dataset.",
)
@click.option("--endpoint-url", envvar="KG_ENDPOINT_URL", help="Public SPARQL endpoint URL.")
@click.option("--public-url", envvar="KG_PUBLIC_URL", help="Server URL the dumps/ are under.")
def dump(
    out_dir: Path,
    store: str | None,
    issued: datetime | None,
    release_version: str,
    base_iri: str,
    endpoint_url: str | None,
    public_url: str | None,
) -> None:
    """Write the RDF dumps, per-resolution Turtle, void.ttl and SHA256SUMS to --out.

    The same store and --issued date give byte-identical files. Prints each file
    with its size.
    """
    if store is None:
        raise click.UsageError("give --store (or set KG_STORE)")
    try:
        with open_store(store, read_only=True) as graph_store:
            files = write_dumps(
                graph_store,
                out_dir,
                issued=(issued or datetime.now()).date(),
                version=release_version,
                base_iri=base_iri,
                endpoint_url=endpoint_url,
                public_url=public_url,
            )
    except KgError as e:
        click.echo(f"Error: {e}", err=True)
        raise SystemExit(1) from None
    for f in files:
        click.echo(f"{f.byte_size}\t{out_dir / f.name}")


# ---------------------------------------------------------------- kg query, kg queries (issue 4)


@cli.command("query")
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the stored query; repeat for several.",
)
@click.option("--sparql", metavar="QUERY", help="Run this SELECT or ASK query ('-': stdin).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="table (aligned text) or a SPARQL 1.1 results format.",
)
@click.option(
    "--store",
    envvar="KG_STORE",
    default="data/store",
    show_default=True,
    metavar="DIR|URL",
    help="The store `kg build` wrote.",
)
@click.option(
    "--page",
    default="1",
    show_default=True,
    metavar="N|all",
    help="The page of a query whose header has `#+ pagination`, or all of them.",
)
def query_command(
    name: str | None,
    params: tuple[str, ...],
    sparql: str | None,
    fmt: str,
    store: str,
    page: str,
) -> None:
    """Run the stored query NAME with -p key=value parameters, or an ad-hoc one with --sparql.

    `kg queries` lists the stored queries and their parameters. A parameter that wants an
    IRI also takes a name (-p addressee=UNODC). A long listing comes in pages (--page).
    Rows go to stdout, notes to stderr.
    Exit status: 0 on success, 1 for an unknown query, a bad parameter or bad SPARQL.
    """
    from kg.queries import format_result, run_query, run_sparql

    if (name is None) == (sparql is None):
        raise click.UsageError("give either a stored query NAME or --sparql")
    if sparql is not None and params:
        raise click.UsageError("-p applies to stored queries only")
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key or key in values:
            raise click.UsageError(f"-p {item!r}: write each parameter once, as key=value")
        values[key] = value
    if page != "all" and not (page.isdigit() and int(page) >= 1):
        raise click.UsageError(f"--page {page!r}: give a page number from 1, or all")
    if sparql == "-":
        import sys

        sparql = sys.stdin.read()
    try:
        with open_store(store, read_only=True) as graph_store:
            if sparql is not None:
                result = run_sparql(graph_store, sparql)
            else:
                number = None if page == "all" else int(page)
                result = run_query(graph_store, name or "", values, page=number)
            output = format_result(result, fmt)
    except KgError as e:
        click.echo(f"Error: {e}", err=True)
        raise SystemExit(1) from None
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    if result.next_page is not None:
        click.echo(f"Note: more rows follow: --page {result.next_page}", err=True)
    click.echo(output, nl=False)


@cli.command("queries")
def queries_command() -> None:
    """List the stored queries (queries/*.rq): name, summary and parameters."""
    from kg.queries import list_queries

    try:
        queries = list_queries()
    except KgError as e:
        click.echo(f"Error: {e}", err=True)
        raise SystemExit(1) from None
    for query in queries:
        click.echo(f"{query.name}\n    {query.summary}")
        for p in query.params:
            need = "required" if p.required else f"default {p.default}" if p.default else "optional"
            values = f" One of: {', '.join(p.enum)}." if p.enum else ""
            example = f" (e.g. {p.example})" if p.example else ""
            click.echo(f"    -p {p.name}=<{p.type}>  {need}: {p.description}{values}{example}")


# ---------------------------------------------------------------- kg serve (issue 8)


@cli.command("serve")
@click.option(
    "--store",
    envvar="KG_STORE",
    default="data/store",
    show_default=True,
    metavar="DIR|URL",
    help="The store to serve (read-only); an empty one is built first.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    envvar="KG_QUERY_TIMEOUT",
    default=5.0,
    show_default=True,
    help="Seconds a SPARQL query may run before the client gets 503.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Most rows (or triples) one query returns.",
)
@click.option(
    "--dumps",
    "dumps_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KG_DUMPS",
    help="Dump folder served under /dumps/, written if empty [default: beside the store].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Processes running visitors' queries.",
)
@click.option("--public-url", envvar="KG_PUBLIC_URL", help="URL the server is reached at.")
@_base_iri_option
def serve_command(
    store: str,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    dumps_dir: Path | None,
    workers: int,
    public_url: str | None,
    base_iri: str,
) -> None:
    """Serve the store read-only: SPARQL endpoint, query page, resource pages, API, dumps.

    A missing or empty store is built from the bundled corpus first, and an empty dumps
    folder is filled. Stop with Ctrl-C. The routes are listed at /about.
    """
    from kg.config import Settings
    from kg.web.serve import serve

    remote = store.startswith(("http://", "https://"))
    if dumps_dir is None and not remote:
        dumps_dir = Path(store).parent / "dumps"
    settings = Settings(
        store=store,
        base_iri=base_iri,
        public_url=public_url,
        query_timeout=timeout,
        max_rows=max_rows,
        dumps_dir=dumps_dir,
        query_workers=workers,
    )
    try:
        serve(settings, host, port, report=lambda message: click.echo(message, err=True))
    except KgError as e:
        click.echo(f"Error: {e}", err=True)
        raise SystemExit(1) from None
