"""What every handler shares: the store, the settings, the templates and the query workers."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from kg.config import Settings
from kg.ids import path_for_iri
from kg.store import EmbeddedGraphStore, GraphStore
from kg.web.workers import WorkerPool

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
_PATH_SAFE = "/:@!$&'()*+,;=-._~#"


@dataclass(slots=True)
class WebContext:
    """The state of one running app; ``app.state.kg`` holds it."""

    store: GraphStore
    settings: Settings
    pool: WorkerPool
    templates: Jinja2Templates
    prefixes: dict[str, str]
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.settings.base_iri

    def reader(self) -> GraphStore:
        """The store, reopened first if a build swapped its directory since the last request."""
        if isinstance(self.store, EmbeddedGraphStore):
            self.store.refresh()
        return self.store

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` goes: the local path for IRIs under the base, else the IRI."""
        path = path_for_iri(iri, self.base)
        return iri if path is None else quote(path, safe=_PATH_SAFE)

    def public_url(self, request: Request) -> str:
        """The server's root URL, ending in ``/``: the configured one, or the request's."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/") + "/"
        return str(request.base_url)


def context(request: Request) -> WebContext:
    """The app's :class:`WebContext`."""
    ctx: WebContext = request.app.state.kg
    return ctx


@functools.cache
def make_templates() -> Jinja2Templates:
    """Jinja2 templates with autoescaping on for every file: document text is untrusted."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)
