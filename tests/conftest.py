"""Fixtures shared by the test modules: the bundled corpus built into a real store, a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from kg.pipeline import ingest
from kg.resources import corpus_dir
from kg.store import GraphStore, open_store

# Generated inputs are checked, not timed: a busy machine must not fail a property.
settings.register_profile("kg", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kg")


@pytest.fixture(scope="session")
def corpus_store() -> Iterator[GraphStore]:
    """The real pipeline over the bundled corpus, into an in-memory pyoxigraph store.

    Shared by the whole session: tests must only read it.
    """
    store = open_store(None)
    results = ingest([corpus_dir()], store)
    assert [r.status for r in results] == ["loaded"] * len(results), [
        str(r.error) for r in results if r.error
    ]
    yield store
    store.close()


@pytest.fixture
def runner() -> CliRunner:
    """click's runner for invoking ``kg`` commands in-process."""
    return CliRunner()
