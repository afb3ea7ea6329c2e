"""Helpers for the store tests: a real ``oxigraph serve`` process and the sample dataset."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Triple, parse

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "sample.trig"
BASE = "https://w3id.org/kg-un/"
RES_58_135 = BASE + "resolution/A/RES/58/135"
RES_56_120 = BASE + "resolution/A/RES/56/120"
GRAPH_BUILD = BASE + "graph/build"
GRAPH_LINKS = BASE + "graph/links"
GRAPH_ONTOLOGY = BASE + "graph/ontology"
GRAPH_REFERENCE = BASE + "graph/reference"


def sample_graphs(path: Path = SAMPLE) -> dict[str, list[Triple]]:
    """The sample dataset as ``{graph IRI: triples}``."""
    graphs: dict[str, list[Triple]] = defaultdict(list)
    for quad in parse(path=path, format=RdfFormat.TRIG):
        assert isinstance(quad.graph_name, NamedNode)
        graphs[quad.graph_name.value].append(quad.triple)
    return dict(graphs)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server binary installed with the dev dependencies."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    assert Path(found).exists(), "install the dev extra: pip install -e '.[dev]'"
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """Run ``oxigraph serve`` on a free local port; yield its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    stderr = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"oxigraph serve did not start: {stderr}") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def clear_server(url: str) -> None:
    """Empty a test server through the SPARQL update endpoint."""
    request = urllib.request.Request(
        url + "/update",
        data=b"DROP ALL",
        method="POST",
        headers={"Content-Type": "application/sparql-update"},
    )
    with urllib.request.urlopen(request, timeout=10):
        pass
