"""Enrich the links graph over the network: Wikidata matches for review, dead-link checks.

``kg link wikidata`` sends ``queries/wikidata-match.rq`` (with SPARQLWrapper) to a
Wikidata-shaped endpoint, filled with the English labels and aliases of the treaties and
bodies in the reference data. Each match becomes a *proposed* ``skos:exactMatch`` record,
dated and sourced to the endpoint; proposed links are records only, not stated links.
``kg link review`` lists the proposals and accepts or rejects them; an accepted one is
stated in the links graph like a curated link.

Proposals and decisions live in a *review file* (Turtle) next to the store, not only in
the store, so that they survive ``kg build`` recomputing the links graph: the build reads
the file back (:func:`kg.linkgraph.build_links_graph`). Curated files in ``links/`` take
precedence over it; accepted records can be copied there to ship them with kg.

Nothing is written until the endpoint has answered: an unreachable endpoint raises
:class:`~kg.errors.LinkError` after a short connect timeout and changes nothing.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from json import JSONDecodeError
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rdflib import Literal, URIRef
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg import __version__
from kg.errors import KgError, LinkError, NotFoundError, QueryError
from kg.ids import BASE_IRI
from kg.linkgraph import build_links_graph, read_review_file, select
from kg.links import (
    ACCEPTED,
    ASSERTED,
    LINKS_GRAPH,
    PROPOSED,
    REJECTED,
    LinkRecord,
    curated_records,
    external_dataset_iri,
    records_graph,
)
from kg.resources import queries_dir
from kg.store import GraphStore
from kg.vocab import KG, SKOS, WD

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
"""Wikidata's public SPARQL endpoint, the default of ``kg link wikidata``."""

USER_AGENT = f"kg/{__version__} (linked data of United Nations resolutions)"
"""Sent with every request; Wikidata refuses clients that do not name themselves."""

_VALUES = re.compile(r"VALUES\s*\(\s*\?subject\s+\?label\s*\)\s*\{\s*\}")
_BATCH = 40


@dataclass(frozen=True, slots=True)
class Match:
    """A Wikidata item one of whose English labels or aliases equals a label of ours."""

    subject: str
    label: str
    item: str
    item_label: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class EnrichResult:
    """What ``kg link wikidata`` did: how many labels it sent, matches, new proposals."""

    labels: int
    matches: int
    proposed: tuple[LinkRecord, ...]


@dataclass(frozen=True, slots=True)
class LinkCheck:
    """The answer to dereferencing one link target; ``status`` is ``None`` on no answer."""

    subject: str
    target: str
    status: int | None
    error: str | None = None

    @property
    def dead(self) -> bool:
        return self.status is None or self.status >= 400


def reference_labels(store: GraphStore) -> list[tuple[str, str]]:
    """(resource, label) pairs: English labels, aliases and short names of treaties and bodies."""
    rows = select(
        store,
        """SELECT DISTINCT ?subject ?label WHERE {
             { ?subject a kg:Treaty } UNION { ?subject a kg:Body }
             { ?subject skos:prefLabel ?label } UNION { ?subject skos:altLabel ?label }
             UNION { ?subject kg:shortName ?label }
             FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
           }""",
    )
    return sorted({(row["subject"], row["label"]) for row in rows})


def wikidata_query(pairs: Sequence[tuple[str, str]]) -> str:
    """The text of ``queries/wikidata-match.rq`` with its VALUES block filled with ``pairs``.

    Raises:
        QueryError: if the file lacks its one empty ``VALUES (?subject ?label) {}`` block.
    """
    text = (queries_dir() / "wikidata-match.rq").read_text(encoding="utf-8")
    if len(_VALUES.findall(text)) != 1:
        raise QueryError(
            "wikidata-match",
            "expected one empty VALUES (?subject ?label) {} block",
            "Restore the block in queries/wikidata-match.rq",
        )
    rows = " ".join(
        f"({URIRef(subject).n3()} {Literal(label, lang='en').n3()})" for subject, label in pairs
    )
    return _VALUES.sub(lambda _: f"VALUES (?subject ?label) {{ {rows} }}", text)


def check_reachable(endpoint: str, timeout: float = 5.0) -> None:
    """Open (and close) a TCP connection to the endpoint's host, to fail fast when offline.

    Raises:
        LinkError: if the URL is not http(s) or nothing answers within ``timeout`` seconds.
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LinkError(endpoint, "not an http(s) URL", "Pass --endpoint http://host/sparql")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            pass
    except OSError as e:
        raise LinkError(
            endpoint,
            f"cannot connect to {parts.hostname}:{port} ({e.strerror or e})",
            "Check the network connection or pass --endpoint; nothing was changed",
        ) from e


def fetch_matches(
    endpoint: str,
    pairs: Sequence[tuple[str, str]],
    timeout: float = 60.0,
    connect_timeout: float = 5.0,
) -> list[Match]:
    """Ask a Wikidata-shaped SPARQL endpoint which items carry these English labels.

    Raises:
        LinkError: if the endpoint cannot be reached or answers with an error.
        QueryError: if ``queries/wikidata-match.rq`` is broken.
    """
    check_reachable(endpoint, connect_timeout)
    matches: set[Match] = set()
    for start in range(0, len(pairs), _BATCH):
        answer = _ask(endpoint, wikidata_query(pairs[start : start + _BATCH]), timeout)
        for binding in answer.get("results", {}).get("bindings", []):
            match = _match(binding)
            if match is not None:
                matches.add(match)
    return sorted(matches, key=lambda m: (m.subject, m.item, m.label))


def _ask(endpoint: str, query: str, timeout: float) -> dict[str, Any]:
    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(max(1, round(timeout)))
    client.setQuery(query)
    try:
        answer = client.queryAndConvert()
    except SPARQLWrapperException as e:
        raise LinkError(endpoint, f"the endpoint refused the query ({e.msg})") from e
    except urllib.error.HTTPError as e:
        raise LinkError(endpoint, f"HTTP {e.code} {e.reason}") from e
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise LinkError(
            endpoint, f"no answer ({reason})", "Retry later or raise --timeout; nothing was changed"
        ) from e
    except (JSONDecodeError, ValueError) as e:
        raise LinkError(endpoint, f"the answer is not SPARQL JSON results ({e})") from e
    if not isinstance(answer, dict):
        raise LinkError(endpoint, "the answer is not SPARQL JSON results")
    return answer


def _match(binding: dict[str, dict[str, str]]) -> Match | None:
    def value(name: str) -> str | None:
        return binding.get(name, {}).get("value")

    subject, label, item = value("subject"), value("label"), value("item")
    if not (subject and label and item and item.startswith(str(WD))):
        return None
    return Match(subject, label, item, value("itemLabel"), value("description"))


def proposal(match: Match, endpoint: str, today: date, base: str = BASE_IRI) -> LinkRecord:
    """The proposed ``skos:exactMatch`` record of a match, sourced to the endpoint."""
    seen = f"{match.item_label} ({match.description})" if match.description else match.item_label
    return LinkRecord(
        subject=match.subject,
        predicate=str(SKOS.exactMatch),
        target=match.item,
        dataset=external_dataset_iri("wikidata", base),
        source=endpoint,
        status=PROPOSED,
        verified=False,
        checked_at=today.isoformat(),
        note=f'Matched the label "{match.label}"; the item is {seen or "unlabelled"}.',
    )


def propose_wikidata_links(
    store: GraphStore,
    review_file: Path,
    endpoint: str = WIKIDATA_ENDPOINT,
    base: str = BASE_IRI,
    today: date | None = None,
    timeout: float = 60.0,
) -> EnrichResult:
    """Record Wikidata matches of the reference treaties and bodies as proposals.

    Links already curated, proposed, accepted or rejected are not proposed again. The
    review file and the store's links graph are written only after the endpoint answered.

    Raises:
        LinkError: if the endpoint is unreachable or fails (nothing is changed).
        KgError: if the store holds no reference data, or a links file is broken.
    """
    pairs = reference_labels(store)
    if not pairs:
        raise KgError(
            "store: no treaties or bodies with English labels",
            "Run `kg build` first so the reference data is loaded",
        )
    matches = fetch_matches(endpoint, pairs, timeout=timeout)
    existing = read_review_file(review_file, base)
    curated, _ = curated_records(base)
    known = {record.id(base) for record in [*existing, *curated]}
    new: dict[str, LinkRecord] = {}
    for match in matches:
        record = proposal(match, endpoint, today or date.today(), base)
        if record.id(base) not in known:
            new.setdefault(record.id(base), record)
    if new:
        write_review_file(review_file, [*existing, *new.values()], base)
        build_links_graph(store, base, review_file)
    return EnrichResult(len(pairs), len(matches), tuple(new.values()))


def write_review_file(path: Path, records: Iterable[LinkRecord], base: str = BASE_IRI) -> None:
    """Write link records to the review file, atomically (a crash leaves the old file)."""
    graph = records_graph(
        sorted(records, key=lambda r: (r.subject, r.predicate, r.target)), base, links=False
    )
    graph.bind("kg", str(KG))
    graph.bind("skos", str(SKOS))
    graph.bind("wd", str(WD))
    body = graph.serialize(format="turtle")
    header = (
        "# Wikidata links proposed by `kg link wikidata` and reviewed with `kg link review`.\n"
        "# kg build reads this file back into the links graph; keep it with the store.\n\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(header + body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def find_record(records: Sequence[LinkRecord], key: str, base: str = BASE_IRI) -> LinkRecord:
    """The record whose id starts with ``key`` (at least 4 hex digits).

    Raises:
        NotFoundError: if no record, or more than one, has such an id.
    """
    found = [r for r in records if len(key) >= 4 and r.id(base).startswith(key.lower())]
    if len(found) != 1:
        raise NotFoundError(
            "link record" if not found else "unique link record",
            key,
            "Run `kg link review --all` to list the ids",
        )
    return found[0]


def review_links(
    review_file: Path,
    accept: Sequence[str] = (),
    reject: Sequence[str] = (),
    store: GraphStore | None = None,
    base: str = BASE_IRI,
    today: date | None = None,
) -> list[LinkRecord]:
    """Accept or reject proposed links by id; return the changed records.

    An accepted link is stated in the links graph (with ``kg:verified true``) from then
    on, including after rebuilds; a rejected one is never proposed again.

    Raises:
        NotFoundError: if an id matches no record of the review file.
        KgError: if an id is both accepted and rejected.
    """
    records = read_review_file(review_file, base)
    day = (today or date.today()).isoformat()
    chosen = {find_record(records, key, base).id(base): ACCEPTED for key in accept}
    for key in reject:
        record_id = find_record(records, key, base).id(base)
        if chosen.get(record_id) == ACCEPTED:
            raise KgError(f"link record {record_id}: both accepted and rejected", "Choose one")
        chosen[record_id] = REJECTED
    changed: list[LinkRecord] = []
    updated: list[LinkRecord] = []
    for record in records:
        status = chosen.get(record.id(base))
        if status is not None:
            record = replace(record, status=status, verified=status == ACCEPTED, checked_at=day)
            changed.append(record)
        updated.append(record)
    if changed:
        write_review_file(review_file, updated, base)
        if store is not None:
            build_links_graph(store, base, review_file)
    return changed


def check_links(store: GraphStore, timeout: float = 10.0, workers: int = 8) -> list[LinkCheck]:
    """Dereference every stated http(s) link target in the links graph; dead ones first.

    A target answers if a HEAD (or, where HEAD is refused, a GET) ends, after redirects,
    with a status below 400.

    Raises:
        LinkError: if no target answered at all (no network), rather than call all dead.
        StoreError: if the store cannot be read.
    """
    statuses = ", ".join(f'"{status}"' for status in sorted(ASSERTED))
    rows = select(
        store,
        f"""SELECT DISTINCT ?subject ?target WHERE {{ GRAPH <{LINKS_GRAPH}> {{
              ?record kg:linkSubject ?subject ; kg:linkTarget ?target ; kg:reviewStatus ?status .
              FILTER(?status IN ({statuses}) && STRSTARTS(STR(?target), "http"))
            }} }}""",
    )
    pairs = sorted((row["subject"], row["target"]) for row in rows)
    targets = sorted({target for _, target in pairs})
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        answers = dict(zip(targets, pool.map(lambda t: _probe(t, timeout), targets), strict=True))
    if targets and all(status is None for status, _ in answers.values()):
        raise LinkError(
            "links graph",
            f"none of {len(targets)} link targets answered ({answers[targets[0]][1]})",
            "`kg link check` needs network access",
        )
    checks = [LinkCheck(subject, target, *answers[target]) for subject, target in pairs]
    return sorted(checks, key=lambda c: (not c.dead, c.target, c.subject))


def _probe(url: str, timeout: float) -> tuple[int | None, str | None]:
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return int(response.status), None
        except urllib.error.HTTPError as e:
            if method == "HEAD" and e.code in (405, 501):
                continue
            return e.code, str(e.reason)
        except (urllib.error.URLError, OSError) as e:
            return None, str(getattr(e, "reason", e))
    return None, "no answer"
