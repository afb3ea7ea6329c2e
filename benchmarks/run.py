"""The scale benchmark (issue 7): build, query, dump and serve synthetic corpora; print figures.

    python benchmarks/run.py            # 1,000 and 20,000 resolutions
    python benchmarks/run.py --quick    # 200 and 2,000

For each size a corpus is generated (benchmarks/corpus.py) and built into an on-disk store
by the real pipeline in a child process (benchmarks/steps.py), so the peak memory measured
is the build's own: the child and its worker processes, sampled from /proc. Then, on the
large store: the same quads bulk-loaded straight into pyoxigraph, every stored query, the
dump files against a plain ``Store.dump``, `kg serve` against `oxigraph serve-read-only`
under load (benchmarks/endpoint.py), and a smaller build into a real `oxigraph serve` over
HTTP.

Every step runs with a time limit, so a step that does not scale is reported (in
``timeouts``) instead of stopping the run: ``--limit`` for builds, bulk loads and dumps
(300 s quick, 3,600 s full), ``--derived-limit`` for the lineage and links graphs (120 s,
900 s) and ``--query-limit`` for each stored query (30 s, 60 s). The last line printed
is one JSON object with all the figures; ``--json FILE`` also writes it to a file.
Everything is written under a temporary folder that is removed at the end (``--keep DIR``
works there instead).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from endpoint import QUERIES, drive, free_port, running  # noqa: E402

from corpus import generate  # noqa: E402

TARGETS = {
    "build_s_large": ("<", 300.0),
    "build_vs_bulk_load": (">=", 0.3),
    "per_doc_growth": ("<=", 1.2),
    "build_peak_rss_mb": ("<", 2048.0),
    "query_p95_ms_max": ("<", 100.0),
    "dump_vs_store_dump": (">=", 0.5),
    "endpoint_vs_oxigraph_simple": (">=", 0.7),
}
"""The issue's targets, printed beside the figures (nothing here asserts them)."""


# ---------------------------------------------------------------- running children


class Timeout(Exception):
    """A step ran past its time limit."""


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        for pid, parent in parents.items():
            if parent == current and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree) / 1048576


def run_child(kind: str, *args: Any, limit: float) -> dict[str, Any]:
    """Run one step in a child process; its result, with the peak RSS of its process tree.

    Raises:
        Timeout: if the step runs past ``limit`` seconds (the child is killed).
        RuntimeError: if the child fails.
    """
    command = [sys.executable, str(HERE / "steps.py"), kind, *map(str, args)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(process.pid))
            done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_tree(process)
        raise Timeout(f"{kind} ran past {limit:.0f} s") from None
    finally:
        done.set()
        sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{kind} failed ({process.returncode}): {err.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["tree_rss_mb"] = peak
    return result


def _kill_tree(process: subprocess.Popen[str]) -> None:
    """Stop a child and the worker processes it started (they are its descendants)."""
    children = _descendants(process.pid)
    process.kill()
    for pid in children:
        with contextlib.suppress(OSError):
            os.kill(pid, 9)
    process.communicate()


def _descendants(root: int) -> list[int]:
    found: list[int] = []
    frontier = [root]
    while frontier:
        current = frontier.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children") as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            kids = []
        found += kids
        frontier += kids
    return found


# ---------------------------------------------------------------- the run


class Run:
    """The figures collected so far, the steps that timed out, and the work folder."""

    def __init__(self, work: Path, limit: float, derived_limit: float, query_limit: float) -> None:
        self.work = work
        self.limit = limit
        self.derived_limit = derived_limit
        self.query_limit = query_limit
        self.figures: dict[str, Any] = {}
        self.timeouts: list[str] = []
        self.failures: list[str] = []

    def step(self, label: str, kind: str, *args: Any, limit: float | None = None) -> Any:
        """Run a step; ``None`` (and a note) if it timed out or failed."""
        started = time.perf_counter()
        print(f"  {label} …", file=sys.stderr, flush=True)
        try:
            result = run_child(kind, *args, limit=limit or self.limit)
        except Timeout as e:
            self.timeouts.append(f"{label}: {e}")
            return None
        except RuntimeError as e:
            self.failures.append(f"{label}: {e}")
            return None
        print(f"  {label}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        return result


def build_size(run: Run, n: int) -> dict[str, Any]:
    """Generate and build ``n`` resolutions; the store is kept for the later steps."""
    corpus, store = run.work / f"corpus-{n}", run.work / f"store-{n}"
    started = time.perf_counter()
    generate(n, corpus)
    generated = time.perf_counter() - started
    print(f"N={n}: corpus generated in {generated:.1f} s", file=sys.stderr, flush=True)
    built = run.step(f"build N={n}", "build", corpus, store)
    if built is None:
        return {"n": n}
    figures: dict[str, Any] = {"n": n, "build": built, "store": str(store), "corpus": str(corpus)}
    seconds = built["seconds"]
    complete = True
    for step in ("lineage", "links", "statistics"):
        derived = run.step(f"{step} N={n}", "derived", store, step, limit=run.derived_limit)
        figures[step] = derived
        if derived is None:
            complete = False
        else:
            seconds += derived["seconds"]
    peaks = [built["tree_rss_mb"]] + [
        figures[s]["tree_rss_mb"] for s in ("lineage", "links", "statistics") if figures[s]
    ]
    figures |= {"seconds": seconds, "complete": complete, "peak_rss_mb": max(peaks)}
    return figures


def bulk_load(run: Run, size: dict[str, Any]) -> dict[str, Any] | None:
    """Dump the built store to N-Quads, then bulk-load that file into a fresh store."""
    nquads = run.work / f"store-{size['n']}.nq"
    dumped = run.step("Store.dump N-Quads", "store_dump", size["store"], nquads)
    if dumped is None:
        return None
    disk = run.step("bulk load (disk)", "bulk", nquads, run.work / f"bulk-{size['n']}")
    memory = run.step("bulk load (memory)", "bulk", nquads, ":memory:")
    nquads.unlink(missing_ok=True)
    shutil.rmtree(run.work / f"bulk-{size['n']}", ignore_errors=True)
    return {"store_dump": dumped, "disk": disk, "memory": memory}


def query_params(store: str) -> dict[str, dict[str, str]]:
    """Each stored query's required parameters, from its example."""
    from kg.queries import list_queries

    return {
        q.name: {p.name: p.example or "" for p in q.params if p.required} for q in list_queries()
    }


def endpoint(run: Run, store: str, dumps: Path, seconds: float) -> dict[str, Any]:
    """`kg serve` and `oxigraph serve-read-only` on the same store, 8 clients each."""
    bin_dir = Path(sys.executable).parent
    kg = shutil.which("kg", path=str(bin_dir)) or "kg"
    oxigraph = shutil.which("oxigraph", path=str(bin_dir)) or "oxigraph"
    kg_port, ox_port = free_port(), free_port()
    servers = {
        "kg": (
            [
                kg,
                "serve",
                "--store",
                store,
                "--port",
                str(kg_port),
                "--dumps",
                str(dumps),
                "--max-rows",
                "100000",
            ],
            f"http://127.0.0.1:{kg_port}/sparql",
        ),
        "oxigraph": (
            [
                oxigraph,
                "serve-read-only",
                "--location",
                store,
                "--bind",
                f"127.0.0.1:{ox_port}",
                "--union-default-graph",
            ],
            f"http://127.0.0.1:{ox_port}/query",
        ),
    }
    out: dict[str, Any] = {}
    for name, (command, url) in servers.items():
        try:
            with running(command, url, limit=300):
                for label, query in QUERIES.items():
                    f = asyncio.run(drive(url, query, 8, 100_000, seconds))
                    out[f"{name}_{label}"] = {
                        "requests": f.requests,
                        "errors": f.errors,
                        "rps": f.rps,
                        "p50_ms": f.p50_ms,
                        "p99_ms": f.p99_ms,
                    }
        except (SystemExit, OSError) as e:
            run.failures.append(f"endpoint {name}: {e}")
    return out


def remote_build(run: Run, corpus: str, documents: int) -> dict[str, Any] | None:
    """Build ``documents`` files into `oxigraph serve` on loopback, over the protocols."""
    oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    port = free_port()
    location = run.work / "remote-store"
    command = [
        oxigraph,
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    url = f"http://127.0.0.1:{port}"
    try:
        with running(command, f"{url}/query", limit=60):
            return run.step("remote build", "remote_build", corpus, url, documents)
    except SystemExit as e:
        run.failures.append(f"remote build: {e}")
        return None
    finally:
        shutil.rmtree(location, ignore_errors=True)


def machine() -> dict[str, Any]:
    import pyoxigraph
    import pyshacl
    import rdflib

    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) // 1024
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_mb": memory,
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "pyshacl": pyshacl.__version__,
        "rdflib": rdflib.__version__,
    }


def collect(run: Run, small: dict[str, Any], large: dict[str, Any]) -> None:
    """The build figures of the JSON line, from the two sizes."""
    f = run.figures
    if "build" not in large:
        return
    built = large["build"]
    f["docs_per_s"] = large["n"] / large["seconds"]
    f["triples_per_s"] = built["triples"] / large["seconds"]
    f["build_s_large"] = large["seconds"]
    f["build_documents_s_large"] = built["seconds"]
    f["lineage_s_large"] = large["lineage"]["seconds"] if large["lineage"] else None
    f["links_s_large"] = large["links"]["seconds"] if large["links"] else None
    f["statistics_s_large"] = large["statistics"]["seconds"] if large["statistics"] else None
    f["build_complete"] = large["complete"]
    stages = {s: built["stages"].get(s, 0.0) for s in ("parse", "map", "validate", "load")}
    total = sum(stages.values()) or 1.0
    f["stage_share"] = {s: round(v / total, 3) for s, v in stages.items()}
    f["stage_ms_per_doc"] = {s: v * 1000 / large["n"] for s, v in stages.items()}
    f["build_workers"] = built["workers"]
    f["build_rejected"] = built["rejected"]
    f["build_peak_rss_mb"] = large["peak_rss_mb"]
    # Compare like with like: whole builds if both finished, else the documents alone.
    whole = large["complete"] and small.get("complete", False)
    f["per_doc_basis"] = "whole build" if whole else "documents only"
    f["per_doc_ms_large"] = (large["seconds"] if whole else built["seconds"]) * 1000 / large["n"]
    if "build" in small:
        spent = small["seconds"] if whole else small["build"]["seconds"]
        f["per_doc_ms_small"] = spent * 1000 / small["n"]
        f["per_doc_growth"] = f["per_doc_ms_large"] / f["per_doc_ms_small"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 and 2,000 resolutions")
    parser.add_argument("--sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"))
    parser.add_argument("--limit", type=float, help="seconds a build or dump step may take")
    parser.add_argument(
        "--derived-limit", type=float, help="seconds the lineage or the links step may take"
    )
    parser.add_argument("--query-limit", type=float, help="seconds each query step may take")
    parser.add_argument("--remote-docs", type=int, help="documents built into a SPARQL server")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    sizes = args.sizes or ((200, 2_000) if args.quick else (1_000, 20_000))
    limit = args.limit or (300.0 if args.quick else 3600.0)
    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    derived_limit = args.derived_limit or (120.0 if args.quick else 900.0)
    query_limit = args.query_limit or (30.0 if args.quick else 60.0)
    run = Run(work, limit, derived_limit, query_limit)
    started = time.perf_counter()
    try:
        run.figures["machine"] = machine()
        run.figures["sizes"] = list(sizes)
        small, large = (build_size(run, n) for n in sizes)
        collect(run, small, large)
        if "build" in large:
            measure_large(run, large, args.quick, args.remote_docs or min(sizes[0], 500))
    finally:
        run.figures["timeouts"] = run.timeouts
        run.figures["failures"] = run.failures
        run.figures["run_s"] = time.perf_counter() - started
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print_table(run.figures)
    line = json.dumps(run.figures, sort_keys=True)
    if args.json:
        args.json.write_text(line + "\n", encoding="utf-8")
    print(line)
    return 0


def measure_large(run: Run, large: dict[str, Any], quick: bool, remote_docs: int) -> None:
    """Bulk load, queries, dumps, endpoint and remote build on (or beside) the large store."""
    f, store = run.figures, large["store"]
    bulk = bulk_load(run, large)
    if bulk is not None:
        f["store_quads"] = bulk["store_dump"]["quads"]
        f["store_dump_s"] = bulk["store_dump"]["seconds"]
        if bulk["disk"]:
            f["bulk_load_triples_per_s"] = bulk["disk"]["quads"] / bulk["disk"]["seconds"]
            compare_with_bulk_load(f, large)
        if bulk["memory"]:
            f["bulk_load_memory_triples_per_s"] = (
                bulk["memory"]["quads"] / bulk["memory"]["seconds"]
            )
    medians, p95s = {}, {}
    for name, params in sorted(query_params(store).items()):
        result = run.step(
            f"query {name}",
            "query",
            store,
            name,
            json.dumps(params),
            20,
            limit=run.query_limit,
        )
        if result is not None:
            medians[name], p95s[name] = result["median_ms"], result["p95_ms"]
    f["query_median_ms"], f["query_p95_ms"] = medians, p95s
    f["query_p95_ms_max"] = max(p95s.values()) if p95s else None
    dumps = run.work / "dumps"
    written = run.step("write_dumps", "dumps", store, dumps)
    if written is not None:
        f["dump_s"] = written["seconds"]
        f["dump_bytes"] = written["bytes"]
        if f.get("store_dump_s"):
            f["dump_vs_store_dump"] = f["store_dump_s"] / f["dump_s"]
    served = endpoint(run, store, dumps, 10.0 if quick else 20.0)
    f["endpoint"] = served
    for label in QUERIES:
        kg, ox = served.get(f"kg_{label}"), served.get(f"oxigraph_{label}")
        if kg and ox and ox["rps"]:
            f[f"endpoint_vs_oxigraph_{label}"] = kg["rps"] / ox["rps"]
    remote = remote_build(run, large["corpus"], remote_docs)
    if remote is not None:
        f["remote_build_documents"] = remote["documents"]
        f["remote_build_docs_per_s"] = remote["documents"] / remote["seconds"]
        f["remote_build_triples_per_s"] = remote["triples"] / remote["seconds"]


def compare_with_bulk_load(f: dict[str, Any], large: dict[str, Any]) -> None:
    """The build's rate against the bulk loader's, counting the same quads on both sides.

    The bulk loader loads every quad of the built store, so the build is credited with
    every quad it wrote (documents, lineage, links, statistics) over the whole build's
    seconds. ``documents_vs_bulk_load`` compares the documents step alone: its triples
    over its own seconds.
    """
    bulk = f["bulk_load_triples_per_s"]
    documents = large["build"]["triples"] / large["build"]["seconds"]
    f["documents_vs_bulk_load"] = documents / bulk
    if large["complete"]:
        f["build_quads_per_s"] = f["store_quads"] / large["seconds"]
        f["build_vs_bulk_load"] = f["build_quads_per_s"] / bulk
    else:  # the derived graphs timed out: only the documents' rate means anything
        f["build_vs_bulk_load"] = f["documents_vs_bulk_load"]


def print_table(f: dict[str, Any]) -> None:
    """The figures for people, each beside its target where the issue sets one."""
    rows: list[tuple[str, Any, str]] = []

    def add(key: str, unit: str = "") -> None:
        value = f.get(key)
        target = TARGETS.get(key)
        mark = ""
        if target is not None and isinstance(value, int | float):
            op, bound = target
            ok = {"<": value < bound, "<=": value <= bound, ">=": value >= bound}[op]
            mark = f"target {op} {bound:g}: {'met' if ok else 'MISSED'}"
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        rows.append((f"{key}{' (' + unit + ')' if unit else ''}", shown, mark))

    m = f.get("machine", {})
    print(
        f"machine: {m.get('cpus')} CPUs, {m.get('cpu_model')}, {m.get('memory_mb')} MB; "
        f"Python {m.get('python')}, pyoxigraph {m.get('pyoxigraph')}, "
        f"pyshacl {m.get('pyshacl')}, rdflib {m.get('rdflib')}"
    )
    print(f"sizes: {f.get('sizes')}")
    for key, unit in (
        ("build_s_large", "s"),
        ("build_documents_s_large", "s"),
        ("lineage_s_large", "s"),
        ("links_s_large", "s"),
        ("statistics_s_large", "s"),
        ("docs_per_s", ""),
        ("triples_per_s", ""),
        ("bulk_load_triples_per_s", "disk"),
        ("bulk_load_memory_triples_per_s", ""),
        ("build_quads_per_s", ""),
        ("build_vs_bulk_load", ""),
        ("documents_vs_bulk_load", ""),
        ("per_doc_ms_small", "ms"),
        ("per_doc_ms_large", "ms"),
        ("per_doc_growth", ""),
        ("build_peak_rss_mb", "MB"),
        ("query_p95_ms_max", "ms"),
        ("dump_s", "s"),
        ("store_dump_s", "s"),
        ("dump_vs_store_dump", ""),
        ("endpoint_vs_oxigraph_simple", ""),
        ("endpoint_vs_oxigraph_aggregate", ""),
        ("remote_build_docs_per_s", ""),
    ):
        add(key, unit)
    width = max(len(r[0]) for r in rows)
    for name, value, mark in rows:
        print(f"{name:<{width}}  {value:>14}  {mark}")
    print("stage share: " + ", ".join(f"{k} {v:.0%}" for k, v in f.get("stage_share", {}).items()))
    for name in sorted(f.get("query_p95_ms", {})):
        print(
            f"query {name:<18} median {f['query_median_ms'][name]:9.1f} ms"
            f"   p95 {f['query_p95_ms'][name]:9.1f} ms"
        )
    for name, e in sorted(f.get("endpoint", {}).items()):
        print(
            f"endpoint {name:<20} {e['rps']:8.1f} req/s  p50 {e['p50_ms']:7.1f} ms"
            f"  p99 {e['p99_ms']:7.1f} ms  errors {e['errors']}"
        )
    for note in f.get("timeouts", []) + f.get("failures", []):
        print(f"NOTE: {note[:500]}")


if __name__ == "__main__":
    sys.exit(main())
