"""``kg build`` and ``kg validate`` (issue 3): exit codes, messages, the store they leave."""

from __future__ import annotations

import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.pipeline import BUILD_GRAPH
from kg.resources import corpus_dir
from kg.store import open_store
from tests.store_fixtures import oxigraph_server

SEEDS = sorted(p.name for p in corpus_dir().glob("*.txt"))
SUMMARY = re.compile(
    r"^(\d+) document\(s\): (\d+) loaded, (\d+) rejected; (\d+) triples; "
    r"(\d+) warning\(s\); \d+\.\d s$"
)


def summary(stderr: str) -> tuple[int, ...]:
    match = SUMMARY.match(stderr.strip().splitlines()[-1])
    assert match, stderr
    return tuple(int(g) for g in match.groups())


def graphs(location: Path) -> dict[str, bytes]:
    with open_store(location, read_only=True) as store:
        return {name: store.graph_ntriples(name) for name in store.graph_names()}


def garbage(folder: Path) -> Path:
    path = folder / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 4)
    return path


def test_build_loads_the_bundled_corpus_and_prints_a_summary(
    runner: CliRunner, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    result = runner.invoke(cli, ["build", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "Error" not in result.stderr
    documents, loaded, rejected, triples, warnings = summary(result.stderr)
    assert (documents, loaded, rejected) == (5, 5, 0) and warnings == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store.lock"]
    stored = graphs(store)
    assert len([g for g in stored if "/resolution/" in g]) == 5
    assert triples == sum(len(stored[g].splitlines()) for g in stored if "/resolution/" in g)


def test_build_rejects_a_bad_file_loads_the_rest_and_exits_1(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = garbage(tmp_path)
    store = tmp_path / "store"
    result = runner.invoke(
        cli, ["build", "--store", str(store), str(corpus_dir() / SEEDS[0]), str(bad)]
    )
    assert result.exit_code == 1
    assert (
        f"Error: {bad}:1:1: binary data, not text (a NUL byte). "
        "Give the plain text, Markdown or HTML of the resolution"
    ) in result.stderr.splitlines()
    assert summary(result.stderr)[:3] == (2, 1, 1)
    assert "https://w3id.org/kg-un/resolution/A/RES/58/135" in graphs(store)


def test_build_reads_the_store_location_from_kg_store(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "from-env"
    result = runner.invoke(
        cli, ["build", str(corpus_dir() / SEEDS[3])], env={"KG_STORE": str(store)}
    )
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/kg-un/resolution/A/RES/56/120" in graphs(store)


def test_build_with_a_bad_base_iri_fails_and_leaves_no_store(
    runner: CliRunner, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    result = runner.invoke(
        cli, ["build", "--store", str(store), "--base-iri", "https://example.org/un"]
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: base IRI 'https://example.org/un' must end with '/'. "
        "Set KG_BASE_IRI to e.g. https://example.org/"
    )
    assert not store.exists() and not (tmp_path / "store.staging").exists()


def test_build_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["build", "--store", str(tmp_path / "s"), "--workers", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--workers'" in result.stderr


def test_validate_the_corpus_exits_0_with_a_report_per_file(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    for name in SEEDS:
        assert f"{corpus_dir() / name}: conforms to the shapes" in result.stdout
    assert result.stderr.strip() == "5 file(s) checked: 5 conform, 0 do not"


def test_validate_names_the_node_what_is_wrong_and_the_fix(
    runner: CliRunner, tmp_path: Path
) -> None:
    shutil.copy(corpus_dir() / SEEDS[1], tmp_path / SEEDS[1])
    (tmp_path / "manifest.toml").write_text(f'["{SEEDS[1]}"]\nsymbol = "A/59/999"\n')
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{tmp_path / SEEDS[1]}: does not conform to the shapes (1 violation(s), 1 warning(s))"
    )
    assert lines[1] == (
        "- violation at resolution A/59/999 <https://w3id.org/kg-un/resolution/A/59/999>"
    )
    assert lines[2].startswith("  kg:symbol: kg:symbol must be one resolution symbol")
    assert lines[2].endswith("fix the symbol in the text or in corpus/manifest.toml")
    assert result.stderr.strip() == "1 file(s) checked: 0 conform, 1 do not"


def test_validate_reports_a_file_it_cannot_read(runner: CliRunner, tmp_path: Path) -> None:
    bad = garbage(tmp_path)
    result = runner.invoke(cli, ["validate", str(bad), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad}:1:1: binary data, not text (a NUL byte). "
        "Give the plain text, Markdown or HTML of the resolution",
        f"{tmp_path / 'missing.txt'}: no such file or folder. Check the path",
    ]


def test_validate_usage_error_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", "--no-such-option"])
    assert result.exit_code == 2


def _kg_build(store: Path) -> list[str]:
    return [sys.executable, "-m", "kg", "build", "--store", str(store)]


def test_build_killed_at_any_moment_leaves_the_previous_dataset_whole(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = subprocess.run(_kg_build(store), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    before = graphs(store)
    documents = {g: data for g, data in before.items() if g != BUILD_GRAPH}
    rng = random.Random(2004)
    for _ in range(4):
        process = subprocess.Popen(
            _kg_build(store), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        after = graphs(store)
        # Either the old dataset, untouched, or the new one complete: never a mixture.
        assert after == before or {g: d for g, d in after.items() if g != BUILD_GRAPH} == (
            documents
        )
        before = after
    last = subprocess.run(_kg_build(store), capture_output=True, text=True, timeout=300)
    assert last.returncode == 0, last.stderr
    assert {g: d for g, d in graphs(store).items() if g != BUILD_GRAPH} == documents
    assert not (tmp_path / "store.staging").exists()


def test_build_writes_into_a_sparql_server_given_by_url(runner: CliRunner, tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "server") as url:
        result = runner.invoke(cli, ["build", "--store", url, str(corpus_dir() / SEEDS[0])])
        assert result.exit_code == 0, result.output
        assert summary(result.stderr)[:3] == (1, 1, 0)
        with open_store(url) as store:
            names = store.graph_names()
            assert "https://w3id.org/kg-un/resolution/A/RES/58/135" in names
            assert store.count_triples("https://w3id.org/kg-un/resolution/A/RES/58/135") == 285


def test_build_refuses_a_folder_whose_manifest_is_invalid(
    runner: CliRunner, tmp_path: Path
) -> None:
    shutil.copy(corpus_dir() / SEEDS[3], tmp_path / SEEDS[3])
    (tmp_path / "manifest.toml").write_text(f'["{SEEDS[3]}"]\nsessoin = 56\n')
    store = tmp_path / "store"
    result = runner.invoke(cli, ["build", "--store", str(store), str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"Error: {tmp_path / 'manifest.toml'}: ['{SEEDS[3]}'] sessoin: unknown key. "
        "Known keys: symbol, body, adopted, session, title, synthetic, origin, note"
    )
    assert summary(result.stderr)[:3] == (1, 0, 1)
    assert not [g for g in graphs(store) if "/resolution/" in g]
