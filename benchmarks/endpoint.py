"""Drive `kg serve` and `oxigraph serve-read-only` on the same store and compare them.

Both servers read the same RocksDB directory (both read-only), so they answer over
the same data. Eight concurrent clients on loopback send one query over and over,
for a bounded number of requests and a bounded time, first a simple lookup, then an
aggregate; the script prints requests per second and p50/p99 latency per server and
query, and the `endpoint_vs_oxigraph` ratio of throughputs (kg / oxigraph).

    python benchmarks/endpoint.py [--store DIR] [--clients 8] [--requests 2000] [--seconds 20]

Without --store, the bundled corpus is built into a temporary store by `kg serve`
itself (its first start builds it). kg runs every visitor query in a worker process
so it can be stopped at the time limit; the ratio is the price of that isolation.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PREFIXES = """PREFIX kg: <https://w3id.org/kg-un/ontology#>
PREFIX res: <https://w3id.org/kg-un/resolution/>
"""
QUERIES = {
    "simple": PREFIXES + 'SELECT ?r ?title WHERE { ?r kg:symbol "A/RES/58/135" ; kg:title ?title }',
    "aggregate": PREFIXES
    + "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)",
}
ACCEPT = {"Accept": "application/sparql-results+json"}


@dataclass(frozen=True)
class Figures:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}: {url}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, headers=ACCEPT, timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server did not answer within {limit:.0f} s: {url}")


@contextmanager
def running(command: list[str], url: str, limit: float) -> Iterator[None]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(url, process, limit)
        yield
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def drive(url: str, query: str, clients: int, requests: int, seconds: float) -> Figures:
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors, sent
        while sent < requests and time.perf_counter() < deadline:
            sent += 1
            started = time.perf_counter()
            response = await http.get(url, params={"query": query}, headers=ACCEPT)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        for _ in range(20):  # warm up connections and caches
            await http.get(url, params={"query": query}, headers=ACCEPT)
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Figures(len(latencies), errors, elapsed, cuts[49] * 1000, cuts[98] * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store `kg build` wrote (default: build one)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000, help="per server and query")
    parser.add_argument("--seconds", type=float, default=20.0, help="per server and query")
    args = parser.parse_args()

    bin_dir = Path(sys.executable).parent
    kg = shutil.which("kg", path=str(bin_dir)) or "kg"
    oxigraph = shutil.which("oxigraph", path=str(bin_dir)) or "oxigraph"
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        store = args.store or Path(scratch) / "store"
        kg_port, ox_port = free_port(), free_port()
        kg_cmd = [kg, "serve", "--store", str(store), "--port", str(kg_port)]
        kg_cmd += ["--dumps", str(Path(scratch) / "dumps"), "--max-rows", "100000"]
        ox_cmd = [oxigraph, "serve-read-only", "--location", str(store)]
        ox_cmd += ["--bind", f"127.0.0.1:{ox_port}", "--union-default-graph"]
        servers = {
            "kg": (kg_cmd, f"http://127.0.0.1:{kg_port}/sparql"),
            "oxigraph": (ox_cmd, f"http://127.0.0.1:{ox_port}/query"),
        }
        results: dict[tuple[str, str], Figures] = {}
        # kg first: its first start builds the store when there is none.
        for name, (command, url) in servers.items():
            with running(command, url, limit=600):
                for label, query in QUERIES.items():
                    figures = asyncio.run(
                        drive(url, query, args.clients, args.requests, args.seconds)
                    )
                    results[(name, label)] = figures

    print(f"{args.clients} concurrent clients on loopback, store {store}")
    print(
        f"{'server':<10}{'query':<11}{'requests':>9}{'errors':>7}{'req/s':>9}"
        f"{'p50 ms':>9}{'p99 ms':>9}"
    )
    for (name, label), f in results.items():
        print(
            f"{name:<10}{label:<11}{f.requests:>9}{f.errors:>7}{f.rps:>9.1f}"
            f"{f.p50_ms:>9.2f}{f.p99_ms:>9.2f}"
        )
    for label in QUERIES:
        kg_f, ox_f = results[("kg", label)], results[("oxigraph", label)]
        ratio = kg_f.rps / ox_f.rps if ox_f.rps else float("nan")
        print(f"endpoint_vs_oxigraph[{label}]: {ratio:.2f} (kg req/s / oxigraph req/s)")


if __name__ == "__main__":
    main()
