"""A real ``kg serve`` for the web and browser tests, on a free 127.0.0.1 port.

The store is built once per test session by the real pipeline from the bundled
corpus plus one hostile document: seed 000 renumbered as A/RES/58/999, with a
``<script>`` element and a quote-breaking attribute in a preambular paragraph. Then
``kg serve`` (the installed console script, as a user runs it) serves that store in a
subprocess with a short time limit and a small row cap, and writes the dumps.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kg.pipeline import ingest
from kg.resources import corpus_dir
from kg.store import open_store

SEED_000 = "000_255fffffb051a65e.txt"
HOSTILE_SYMBOL = "A/RES/58/999"
HOSTILE_MARKUP = '<script>alert("kg")</script><img src=x onerror="alert(1)">'
TIMEOUT_S = 2.0
MAX_ROWS = 1000
BASE = "https://w3id.org/kg-un/"


@dataclass(frozen=True)
class KgServer:
    url: str
    store: Path
    dumps: Path
    process: subprocess.Popen[bytes]

    def get(self, path: str, accept: str | None = None, **kwargs: object) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})  # type: ignore[call-overload]
        if accept is not None:
            headers["Accept"] = accept
        return httpx.get(self.url + path, headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hostile_text() -> str:
    """Seed 000 as another resolution, with markup in its fourth preambular paragraph."""
    text = (corpus_dir() / SEED_000).read_text(encoding="utf-8")
    text = text.replace("A/RES/58/135", HOSTILE_SYMBOL).replace("58/135.", "58/999.")
    return text.replace(
        "Reaffirming its deep concern",
        f"Reaffirming {HOSTILE_MARKUP} its deep concern",
        1,
    )


def build_store(folder: Path) -> Path:
    """The bundled corpus and the hostile document, built into ``folder/store``."""
    corpus = folder / "corpus"
    shutil.copytree(corpus_dir(), corpus)
    (corpus / "hostile_58_999.txt").write_text(hostile_text(), encoding="utf-8")
    store_dir = folder / "store"
    paths = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md"))
    with open_store(store_dir) as store:
        ingest(paths, store)
        store.flush()
    return store_dir


def kg_command() -> list[str]:
    """The installed ``kg`` script next to this Python (a user's ``kg serve``)."""
    script = Path(sys.executable).parent / "kg"
    if not script.exists():
        pytest.fail(f"{script}: the kg console script is not installed; run pip install -e .")
    return [str(script)]


def start_server(store: Path, dumps: Path, *extra: str, limit: float = 300) -> KgServer:
    """Start ``kg serve`` and wait until it answers; fail the test if it does not."""
    port = free_port()
    command = [*kg_command(), "serve", "--store", str(store), "--dumps", str(dumps)]
    command += ["--host", "127.0.0.1", "--port", str(port), *extra]
    log = store.parent / f"serve-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    server = KgServer(f"http://127.0.0.1:{port}", store, dumps, process)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            written = log.read_text(errors="replace")
            pytest.fail(f"kg serve exited with {process.returncode}:\n{written}")
        try:
            if httpx.get(server.url + "/-/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(server)
    pytest.fail(f"kg serve did not answer within {limit:.0f} s")


def stop_server(server: KgServer) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


_SERVERS: dict[str, KgServer] = {}


@pytest.fixture(scope="session")
def kg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KgServer]:
    """One server for the session, shared by the modules that import this fixture."""
    if "main" not in _SERVERS or _SERVERS["main"].process.poll() is not None:
        folder = tmp_path_factory.mktemp("web")
        store = build_store(folder)
        _SERVERS["main"] = start_server(
            store,
            folder / "dumps",
            "--timeout",
            str(TIMEOUT_S),
            "--max-rows",
            str(MAX_ROWS),
        )
    yield _SERVERS["main"]
    stop_server(_SERVERS["main"])


def chromium_path() -> str:
    """Debian's Chromium, which `.ci/run` installs; the browser tests fail without it."""
    path = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        pytest.fail(
            f"{path} not found: the browser tests need Debian's chromium "
            "(apt-get install -y chromium; .ci/run installs it), or set KG_CHROMIUM"
        )
    return path
