"""The synthetic corpus of the scale benchmark (benchmarks/corpus.py, issue 7)."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from kg.manifest import MANIFEST_NAME, find_manifest
from kg.parse import parse_file
from kg.parsing.dates import ordinal_value

N = 40


def _load_corpus_module() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus.py"
    spec = importlib.util.spec_from_file_location("benchmark_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("synthetic")
    return folder, corpus.generate(N, folder, seed=3)


def test_generate_is_deterministic_for_a_seed(
    generated: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    folder, paths = generated
    again = corpus.generate(N, tmp_path, seed=3)
    assert [p.name for p in again] == [p.name for p in paths]
    for first, second in zip(paths, again, strict=True):
        assert first.read_bytes() == second.read_bytes()
    assert (tmp_path / MANIFEST_NAME).read_bytes() == (folder / MANIFEST_NAME).read_bytes()
    other = corpus.generate(N, tmp_path / "other", seed=4)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in paths]


def test_generate_writes_n_files_in_three_layouts(generated: tuple[Path, list[Path]]) -> None:
    folder, paths = generated
    assert len(paths) == N
    assert sorted([*folder.glob("*.txt"), *folder.glob("*.md")]) == paths
    assert {p.name.split("_")[1] for p in paths} == {"ga", "ecosoc", "ccpcj"}


def test_generate_labels_every_file_synthetic(generated: tuple[Path, list[Path]]) -> None:
    folder, paths = generated
    entries = tomllib.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(entries) == sorted(p.name for p in paths)
    assert all(entry["synthetic"] is True for entry in entries.values())


def test_generated_texts_parse_with_the_real_parser(generated: tuple[Path, list[Path]]) -> None:
    folder, paths = generated
    manifest = find_manifest(folder)
    bodies: Counter[str | None] = Counter()
    for path in paths:
        resolution = parse_file(path, manifest)
        bodies[resolution.body_id] += 1
        assert resolution.synthetic is True, path.name
        assert resolution.operative, path.name
        assert resolution.adopted is not None, path.name
        stem = path.stem.split("_", 1)[1]
        body, number = stem.split("_")
        if body == "ga":
            assert resolution.symbol == "A/RES/" + number.replace("-", "/"), path.name
        elif body == "ecosoc":
            assert resolution.symbol == "E/RES/" + number.replace("-", "/"), path.name
        else:
            assert resolution.number == number.replace("-", "/"), path.name
        if resolution.draft is None:
            assert resolution.preamble, path.name
    assert set(bodies) == {"general-assembly", "ecosoc", "ccpcj"}
    assert bodies["general-assembly"] > bodies["ecosoc"] > bodies["ccpcj"]


def test_generated_resolutions_cite_earlier_ones_and_give_mandates(
    generated: tuple[Path, list[Path]],
) -> None:
    folder, paths = generated
    manifest = find_manifest(folder)
    resolutions = [parse_file(p, manifest) for p in paths]
    symbols = {r.symbol for r in resolutions if r.symbol}
    cited = [c.symbol for r in resolutions for c in r.citations if c.symbol in symbols]
    assert len(cited) >= N // 4
    assert sum(len(r.mandates) for r in resolutions) >= N


def test_ordinal_words_read_back_as_their_number() -> None:
    for number in range(1, 100):
        assert ordinal_value(corpus.ordinal_words(number)) == number
