"""Swap-in builds: a build writes a staging copy and replaces the live store only on success."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import staging
from kg.errors import StoreError
from kg.staging import staging_store
from kg.store import EmbeddedGraphStore, open_store
from tests.store_fixtures import GRAPH_BUILD, RES_56_120, RES_58_135, sample_graphs

SYMBOL = "https://w3id.org/kg-un/ontology#symbol"


def build_sample(path: Path) -> None:
    with staging_store(path, copy_current=False) as store:
        store.replace_graphs(sample_graphs())


def test_staging_store_swaps_in_the_new_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    build_sample(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store.lock"]
    with open_store(path, read_only=True) as store:
        assert store.count_triples(RES_58_135) == 83


def test_staging_store_starts_from_a_copy_of_the_live_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    build_sample(path)
    with staging_store(path) as store:
        assert store.location == str(tmp_path / "store.staging")
        assert store.count_triples(RES_58_135) == 83
        store.replace_graphs({RES_56_120: f'<{RES_56_120}> <{SYMBOL}> "A/RES/56/120" .'})
    with open_store(path, read_only=True) as store:
        assert store.count_triples(RES_58_135) == 83
        assert store.count_triples(RES_56_120) == 1


def test_staging_store_without_copy_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "store"
    build_sample(path)
    with staging_store(path, copy_current=False) as store:
        assert store.graph_names() == []
        store.replace_graphs({GRAPH_BUILD: f'<{GRAPH_BUILD}> <{SYMBOL}> "x" .'})
    with open_store(path, read_only=True) as store:
        assert store.graph_names() == [GRAPH_BUILD]


def test_staging_store_failure_leaves_the_live_store_untouched(tmp_path: Path) -> None:
    path = tmp_path / "store"
    build_sample(path)
    with pytest.raises(RuntimeError, match="parser crashed"), staging_store(path) as store:
        store.replace_graphs({RES_58_135: ""})
        raise RuntimeError("parser crashed")
    assert not (tmp_path / "store.staging").exists()
    with open_store(path, read_only=True) as store:
        assert store.count_triples(RES_58_135) == 83


def test_staging_store_refuses_a_second_concurrent_build(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with staging_store(path) as store:
        store.replace_graphs(sample_graphs())
        with pytest.raises(StoreError) as info, staging_store(path):
            pass
        assert (
            str(info.value) == f"{path}: another build is writing this store. Wait for it to finish"
        )
        assert store.count_triples(RES_56_120) == 35


def test_staging_store_clears_what_a_killed_build_left(tmp_path: Path) -> None:
    path = tmp_path / "store"
    build_sample(path)
    (tmp_path / "store.staging").mkdir()
    (tmp_path / "store.staging" / "000001.log").write_bytes(b"torn")
    # A fallback swap killed between its two renames: only store.old is left.
    path.rename(tmp_path / "store.old")
    with staging_store(path) as store:
        assert store.count_triples(RES_58_135) == 83
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store.lock"]


def test_read_only_store_refresh_follows_a_swap(tmp_path: Path) -> None:
    path = tmp_path / "store"
    build_sample(path)
    reader = open_store(path, read_only=True)
    assert isinstance(reader, EmbeddedGraphStore)
    assert reader.refresh() is False
    with staging_store(path) as store:
        store.replace_graphs({RES_58_135: ""})
    assert reader.refresh() is True
    assert RES_58_135 not in reader.graph_names()
    assert reader.count_triples(RES_56_120) == 35
    reader.close()


def test_staging_store_in_memory_writes_directly() -> None:
    with staging_store(None) as store:
        store.replace_graphs(sample_graphs())
        assert store.count_triples() == 185


def test_staging_store_swaps_by_two_renames_without_renameat2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staging, "_exchange", lambda first, second: False)
    path = tmp_path / "store"
    build_sample(path)
    with staging_store(path) as store:
        store.replace_graphs({RES_58_135: ""})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store.lock"]
    with open_store(path, read_only=True) as store:
        assert RES_58_135 not in store.graph_names()
