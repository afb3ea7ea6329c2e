"""``/dumps/…`` and ``/.well-known/void``: the dump files ``kg dump`` wrote, served as they are.

Every response carries the file's media type, its ``Content-Length`` and a strong
``ETag`` made from its SHA-256, so identical dumps from two builds share an ETag and
``If-None-Match`` answers 304. Compressed files are served as ``application/gzip``
(not ``Content-Encoding: gzip``): the bytes a client saves are the bytes the
checksums in ``SHA256SUMS`` describe. A request path can never leave the dumps
folder: names with ``..``, backslashes or NUL are refused, and the resolved path
(symbolic links followed) must lie inside the folder.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from kg.errors import NotFoundError
from kg.formats import is_compressed, rdf_format_for_extension
from kg.web.context import context
from kg.web.negotiation import HTML, JSON, RDF_TYPES, TURTLE, choose, wants_html
from kg.web.results import convert_graph

VOID_FILE = "void.ttl"
_TEXT_FILES = {"SHA256SUMS": "text/plain; charset=utf-8", ".json": JSON, ".md": "text/markdown"}


def dump_file(folder: Path, name: str) -> Path:
    """The file ``name`` inside ``folder``, refusing any path that would leave it.

    Raises:
        NotFoundError: if ``name`` escapes the folder or names no regular file in it.
    """
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
        or "\\" in name
        or "\x00" in name
    ):
        raise NotFoundError("dump file", name, "See /dumps/ for the files")
    root = folder.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFoundError("dump file", name, "See /dumps/ for the files")
    return path


def media_type_for(name: str) -> str:
    """The media type a dump file is served with.

    >>> media_type_for("kg.nq.gz"), media_type_for("kg.ttl"), media_type_for("SHA256SUMS")
    ('application/gzip', 'text/turtle', 'text/plain; charset=utf-8')
    """
    if is_compressed(name):
        return "application/gzip"
    fmt = rdf_format_for_extension(name)
    if fmt is not None:
        return fmt.media_type
    for ending, media_type in _TEXT_FILES.items():
        if name.endswith(ending):
            return media_type
    return "application/octet-stream"


@functools.lru_cache(maxsize=512)
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def file_etag(path: Path) -> str:
    """A strong ETag from the file's SHA-256 (cached while size and mtime stay the same)."""
    info = path.stat()
    return f'"{_digest(path, info.st_size, info.st_mtime_ns)}"'


def _folder(request: Request) -> Path:
    folder = context(request).settings.dumps_dir
    if folder is None or not folder.is_dir():
        raise NotFoundError(
            "dumps folder", str(folder or "(none)"), "Start with `kg serve --dumps DIR`"
        )
    return folder


async def serve_dump(request: Request) -> Response:
    """``/dumps/NAME``: one dump file."""
    path = dump_file(_folder(request), request.path_params["name"])
    return await _send(request, path)


async def _send(request: Request, path: Path) -> Response:
    etag = await run_in_threadpool(file_etag, path)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    matches = request.headers.get("if-none-match", "")
    if etag in [tag.strip() for tag in matches.split(",")] or matches.strip() == "*":
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=media_type_for(path.name), headers=headers)


async def dumps_index(request: Request) -> Response:
    """``/dumps/``: the files, with sizes and media types (HTML for browsers, else JSON)."""
    folder = _folder(request)
    files = await run_in_threadpool(list_dumps, folder)
    if wants_html(request):
        ctx = context(request)
        return ctx.templates.TemplateResponse(
            request, "dumps.html", {"title": "Dumps", "files": files}
        )
    return JSONResponse({"ok": True, "files": files})


def list_dumps(folder: Path) -> list[dict[str, Any]]:
    """Every file under ``folder`` with its URL path, size and media type, by name."""
    root = folder.resolve()
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.resolve().is_relative_to(root):
            name = path.relative_to(root).as_posix()
            found.append(
                {
                    "name": name,
                    "url": f"/dumps/{name}",
                    "size": path.stat().st_size,
                    "media_type": media_type_for(name),
                }
            )
    return found


async def void(request: Request) -> Response:
    """``/.well-known/void``: the VoID description of the dataset (RFC 8615 well-known URI)."""
    path = dump_file(_folder(request), VOID_FILE)
    media_type = choose(request, (TURTLE, *[t for t in RDF_TYPES if t != TURTLE], HTML))
    if media_type in (TURTLE, HTML):
        # Browsers get the Turtle as text: the description is short and readable.
        return await _send(request, path)
    data = await run_in_threadpool(path.read_bytes)
    body = await run_in_threadpool(convert_graph, data, TURTLE, media_type, None)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})
