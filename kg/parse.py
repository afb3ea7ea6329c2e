"""Text → :class:`~kg.model.Resolution`, in named stages.

Each stage is a function of :mod:`kg.parsing` whose docstring states what holds
afterwards::

    decode      bytes → text (encoding, size and binary checks, clean characters)
    recognise   which rendering: ods, pdf, markdown, html or plain
    split       lines without markup, each marked text, blank, noise or separator
    segment     header, opening line, paragraph blocks, footnotes, draft, closing, tail
    describe    symbol, body, dates, session, agenda items, report, title
    assemble    paragraphs, footnotes, citations, mentions, mandates, draft → Resolution

Every failure is a :class:`~kg.errors.ParseError` naming the file and, where it
applies, the line and column; what the parser is unsure of becomes a warning in
:attr:`Resolution.warnings`. No RDF is built here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from kg.errors import ParseError
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.manifest import MANIFEST_NAME, Manifest, find_manifest
from kg.model import Resolution
from kg.parsing.assemble import assemble_resolution
from kg.parsing.blocks import Segments
from kg.parsing.decode import MAX_BYTES, Decoded, decode_text
from kg.parsing.layout import Layout, read_lines, recognise_layout
from kg.parsing.lines import Line
from kg.parsing.metadata import Metadata, read_metadata
from kg.parsing.noise import classify_lines
from kg.parsing.segment import segment_lines
from kg.parsing.summary import format_summary

SUFFIXES = (".txt", ".md", ".html", ".htm")
"""The files a folder is expanded to."""


def parse_resolution(
    text: str | bytes,
    source: str,
    *,
    metadata: Mapping[str, object] | None = None,
    gazetteer: Gazetteer | None = None,
) -> Resolution:
    """Parse the text of one resolution.

    ``metadata`` (symbol, body, adopted, session, title) fills what the text does not
    say; the text wins where both speak. ``gazetteer`` defaults to the bundled
    reference data.

    Raises:
        ParseError: for an empty, binary or oversized input, or a text without the
            structure of a resolution; the message names ``source`` and the reason.
    """
    gazetteer = gazetteer or load_gazetteer()
    decoded = decode(text, source)
    layout = recognise(decoded.text)
    lines = split(decoded.text, layout)
    segments = segment(lines, layout, gazetteer, source)
    described = describe(lines, segments, gazetteer)
    return assemble_resolution(
        segments,
        described,
        source=source,
        layout=layout.name,
        gazetteer=gazetteer,
        supplied=metadata,
        warnings=list(decoded.warnings) + list(segments.warnings),
        sha256=_digest(text),
    )


def decode(data: str | bytes, source: str) -> Decoded:
    """Stage 1. Afterwards: clean, non-empty text with the file's line numbering.

    Raises:
        ParseError: empty, binary or too large.
    """
    return decode_text(data, source)


def recognise(text: str) -> Layout:
    """Stage 2. Afterwards: the rendering is named and known to be hard-wrapped or not."""
    return recognise_layout(text)


def split(text: str, layout: Layout) -> list[Line]:
    """Stage 3. Afterwards: lines without markup, each marked text, blank, noise or separator."""
    return classify_lines(read_lines(text, layout))


def segment(lines: list[Line], layout: Layout, gazetteer: Gazetteer, source: str) -> Segments:
    """Stage 4. Afterwards: the parts of the resolution are told apart.

    Raises:
        ParseError: no opening line and no paragraph with a known phrase.
    """
    return segment_lines(lines, layout, gazetteer, source)


def describe(lines: list[Line], segments: Segments, gazetteer: Gazetteer) -> Metadata:
    """Stage 5. Afterwards: the metadata the text states about itself, nothing guessed."""
    return read_metadata(
        lines, segments.start, segments.body, segments.closing, segments.tail, gazetteer
    )


def parse_file(path: Path, manifest: Manifest | None = None) -> Resolution:
    """Parse one file; metadata it lacks comes from ``manifest``, keyed by file name.

    Raises:
        ParseError: if the file cannot be read or is not a resolution.
    """
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ParseError(
                source,
                f"the file is too large ({size / 1048576:.1f} MB; the limit is "
                f"{MAX_BYTES // 1048576} MB)",
                hint="A resolution's text is far smaller: check that this is one resolution",
            )
        data = path.read_bytes()
    except IsADirectoryError as e:
        raise ParseError(source, "is a folder, not a file") from e
    except FileNotFoundError as e:
        raise ParseError(source, "no such file") from e
    except OSError as e:
        raise ParseError(source, f"cannot read the file: {e.strerror or e}") from e
    metadata = manifest.metadata_for(path.name) if manifest else None
    return parse_resolution(data, source, metadata=metadata)


def parse_paths(paths: Iterable[str | Path]) -> Iterator[Resolution | ParseError]:
    """Parse files and folders (their *.txt, *.md, *.html, *.htm files, in name order).

    Yields one result per file: the resolution, or the error that stopped it, so
    one bad file does not stop the others. A folder's ``manifest.toml`` supplies
    metadata for its files; an invalid manifest is yielded as an error too.
    """
    manifests: dict[Path, Manifest | None] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            try:
                files = sorted(
                    p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                )
            except OSError as e:
                yield ParseError(str(path), f"cannot read the folder: {e.strerror or e}")
                continue
            if not files:
                yield ParseError(str(path), "no .txt, .md, .html or .htm file in this folder")
        elif path.exists() or path.is_symlink():
            files = [path]
        else:
            yield ParseError(str(path), "no such file or folder")
            continue
        for file in files:
            if file.name == MANIFEST_NAME:
                continue
            folder = file.parent.resolve()
            if folder not in manifests:
                try:
                    manifests[folder] = find_manifest(folder)
                except ParseError as error:
                    manifests[folder] = None
                    yield error
            try:
                yield parse_file(file, manifests[folder])
            except ParseError as error:
                yield error


def _digest(text: str | bytes) -> str:
    data = text.encode("utf-8", errors="surrogatepass") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


__all__ = [
    "SUFFIXES",
    "decode",
    "describe",
    "format_summary",
    "parse_file",
    "parse_paths",
    "parse_resolution",
    "recognise",
    "segment",
    "split",
]
