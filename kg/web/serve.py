"""``kg serve``: make sure there is something to serve, then run the app under uvicorn.

A first ``kg serve`` on a machine has no store yet: it builds the bundled corpus
into the store directory (through the same pipeline as ``kg build``) and writes the
dumps into an empty dumps folder, then opens the store read-only and serves it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import uvicorn

from kg import __version__
from kg.config import Settings
from kg.dumps import write_dumps
from kg.errors import KgError
from kg.linkgraph import default_review_file
from kg.pipeline import build
from kg.resources import corpus_dir
from kg.staging import staging_store
from kg.store import open_store
from kg.web.app import create_app

Report = Callable[[str], None]


def is_empty_store(location: str) -> bool:
    """Whether ``location`` is a directory with no store in it yet (missing counts as empty)."""
    if re.match(r"^https?://", location):
        return False
    return not (Path(location) / "CURRENT").is_file()


def prepare(settings: Settings, report: Report) -> None:
    """Build the bundled corpus into an empty store and write dumps into an empty folder.

    Raises:
        KgError: if the corpus cannot be built or the dumps written.
    """
    location = settings.store
    if location is None:
        raise KgError("kg serve: no store given", "Pass --store DIR or set KG_STORE")
    if is_empty_store(location):
        report(f"{location}: no store yet; building the bundled corpus")
        with staging_store(location, copy_current=False) as store:
            outcome = build(
                [corpus_dir()],
                store,
                base=settings.base_iri,
                review_file=default_review_file(Path(location)),
            )
        report(outcome.stats.summary())
        if outcome.stats.rejected:
            raise KgError(
                f"{location}: {outcome.stats.rejected} bundled document(s) did not load",
                "Run `kg build` to see why",
            )
    dumps = settings.dumps_dir
    if dumps is not None and (not dumps.exists() or not any(dumps.iterdir())):
        report(f"{dumps}: writing the dumps")
        with open_store(location, read_only=True) as store:
            write_dumps(
                store,
                dumps,
                issued=datetime.date.today(),
                version=__version__,
                base_iri=settings.base_iri,
                public_url=settings.public_url,
                endpoint_url=_endpoint_url(settings),
            )


def _endpoint_url(settings: Settings) -> str | None:
    return settings.public_url.rstrip("/") + "/sparql" if settings.public_url else None


def serve(settings: Settings, host: str, port: int, report: Report) -> None:
    """Prepare the store, then serve it read-only until interrupted.

    Raises:
        KgError: if the store cannot be prepared or opened.
    """
    prepare(settings, report)
    store = open_store(settings.store, read_only=True)
    app = create_app(store, settings)
    report(f"serving {settings.store} on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
