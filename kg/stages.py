"""One document's way from file to validated N-Triples: parse → map → validate.

:func:`prepare_batch` is what a build runs for each group of files, in the build's own
process or in a worker process of a pool (:mod:`kg.pipeline` decides): it parses and maps
each file, then validates the whole group at once (:func:`kg.validate.validate_batch`; the
native SHACL engine checks a batch of documents for about a fifteenth of the cost of
checking them one by one). :func:`prepare` does the same for one file. Neither raises for a
bad document:
the :class:`Prepared` it returns carries either the document's N-Triples or the error that
rejected it, with the seconds each stage took. Everything in it pickles, so it crosses
process boundaries; errors travel as a :class:`Failure` because the ``kg`` errors' own
constructors take more than their message.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kg.drafts import DraftText
from kg.errors import KgError, ParseError, ValidationError
from kg.gazetteer import load_gazetteer
from kg.ids import BASE_IRI
from kg.manifest import MANIFEST_NAME, Manifest, find_manifest
from kg.mapping import MappedResolution, subject_iri, to_ntriples
from kg.parse import SUFFIXES, parse_file
from kg.validate import Report, context_graph, native_engine, shapes_graph, validate_batch

Stage = Literal["parse", "map", "validate", "load"]
STAGES: tuple[Stage, ...] = ("parse", "map", "validate", "load")

VALIDATE_BATCH = 100
"""Most files a worker prepares (and validates) together; a batch of 100 costs per document
what a batch of 1,000 does (``benchmarks/bench_validate.py``)."""


@dataclass(frozen=True, slots=True)
class FileTask:
    """One file to build: its path and the manifest entry that completes its metadata."""

    path: str
    manifest: Manifest | None = None
    base: str = BASE_IRI


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds one document spent in each stage (``load`` is filled in by the loader)."""

    parse: float = 0.0
    map: float = 0.0
    validate: float = 0.0
    load: float = 0.0

    def total(self) -> float:
        return self.parse + self.map + self.validate + self.load


@dataclass(frozen=True, slots=True)
class Failure:
    """A ``kg`` error in a form that pickles: its class, ``args`` and attributes."""

    cls: type[KgError]
    args: tuple[Any, ...]
    state: dict[str, Any]

    @classmethod
    def of(cls, error: KgError) -> Failure:
        return cls(type(error), error.args, dict(vars(error)))

    def rebuild(self) -> KgError:
        error = self.cls.__new__(self.cls)
        error.args = self.args
        vars(error).update(self.state)
        return error


@dataclass(frozen=True, slots=True)
class Prepared:
    """A parsed, mapped and validated document, ready to load, or why it cannot be.

    ``ntriples`` is empty when the document was rejected. ``warnings`` are the reader's
    (also recorded in the graph as ``kg:warning``) followed by the shapes' warnings.
    ``fingerprint``, ``adopted_by`` and ``draft`` are what the draft ↔ adoption matching
    needs (:class:`kg.mapping.MappedResolution`).
    """

    source: str
    iri: str | None
    ntriples: str = ""
    triples: int = 0
    warnings: tuple[str, ...] = ()
    reader_warnings: tuple[str, ...] = ()
    report: Report | None = None
    failure: Failure | None = None
    timings: Timings = field(default_factory=Timings)
    fingerprint: str | None = None
    adopted_by: str | None = None
    draft: DraftText | None = None

    @property
    def error(self) -> KgError | None:
        return self.failure.rebuild() if self.failure is not None else None


def plan(
    paths: Iterable[str | Path], *, base: str = BASE_IRI, manifest: Manifest | None = None
) -> list[FileTask | ParseError]:
    """The files to build, in order, each with its manifest entry; errors for missing paths.

    A folder stands for its ``*.txt``, ``*.md``, ``*.html`` and ``*.htm`` files in name order,
    with the metadata of its ``manifest.toml`` unless ``manifest`` is given. An invalid
    manifest is one error, and the files it describes are left out rather than built
    without their metadata.
    """
    tasks: list[FileTask | ParseError] = []
    manifests: dict[Path, Manifest | ParseError | None] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not files:
                tasks.append(ParseError(str(path), "no .txt, .md, .html or .htm file here"))
        elif path.exists():
            files = [path]
        else:
            tasks.append(ParseError(str(path), "no such file or folder", hint="Check the path"))
            continue
        for file in files:
            if file.name == MANIFEST_NAME:
                continue
            found: Manifest | ParseError | None = manifest
            if found is None:
                folder = file.parent.resolve()
                if folder not in manifests:
                    try:
                        manifests[folder] = find_manifest(folder)
                    except ParseError as error:
                        manifests[folder] = error
                        tasks.append(error)
                found = manifests[folder]
            if not isinstance(found, ParseError):  # unverified metadata: build nothing
                tasks.append(FileTask(str(file), _entry(found, file.name), base))
    return tasks


def _entry(manifest: Manifest | None, name: str) -> Manifest | None:
    """The manifest cut down to one file's entry: small to send to a worker process."""
    if manifest is None:
        return None
    return Manifest(manifest.path, {name: dict(manifest.metadata_for(name))})


def warm_up(base: str = BASE_IRI) -> None:
    """Read the reference data and shapes once, before the first document (pool initializer).

    Raises:
        KgError: if the bundled shapes, ontology or reference data cannot be read.
    """
    load_gazetteer()
    shapes_graph()
    context_graph(base)
    native_engine(base=base)


@dataclass(slots=True)
class _Mapped:
    """A file read and mapped, waiting for the validation of its batch."""

    task: FileTask
    iri: str
    mapped: MappedResolution
    warnings: tuple[str, ...]
    seconds: dict[str, float]


def prepare(task: FileTask) -> Prepared:
    """Parse, map and validate one file; any ``kg`` error is returned in the result."""
    return prepare_batch([task])[0]


def prepare_batch(tasks: list[FileTask]) -> list[Prepared]:
    """Parse and map each file, then validate them together; one result per file, in order.

    A ``kg`` error of one file is returned in its result; the others are not affected.
    """
    results: list[Prepared | _Mapped] = [_read(task) for task in tasks]
    pending = [r for r in results if isinstance(r, _Mapped)]
    by_base: dict[str, list[_Mapped]] = {}
    for mapped in pending:
        by_base.setdefault(mapped.task.base, []).append(mapped)
    done: dict[int, Prepared] = {}
    for base, group in by_base.items():
        while group:
            # A file given twice would share its name as the key of its report.
            unique = {m.task.path: m for m in reversed(group)}
            batch = [m for m in group if unique.get(m.task.path) is m]
            group = [m for m in group if unique.get(m.task.path) is not m]
            clock = time.perf_counter()
            try:
                docs = {m.task.path: m.mapped.ntriples for m in batch}
                reports = validate_batch(docs, base=base)
            except KgError as error:
                done.update((id(m), _failed(m, None, error)) for m in batch)
                continue
            share = (time.perf_counter() - clock) / len(batch)
            for mapped in batch:
                mapped.seconds["validate"] = share
                done[id(mapped)] = _finish(mapped, reports[mapped.task.path])
    return [r if isinstance(r, Prepared) else done[id(r)] for r in results]


def _read(task: FileTask) -> Prepared | _Mapped:
    """Parse and map one file, ready for validation, or the error that stopped it."""
    source, clock = task.path, time.perf_counter()
    seconds: dict[str, float] = {}
    iri: str | None = None
    warnings: tuple[str, ...] = ()
    try:
        resolution = parse_file(Path(task.path), task.manifest)
        warnings = resolution.warnings
        seconds["parse"], clock = _lap(clock)
        iri = subject_iri(resolution, base=task.base)
        mapped = to_ntriples(resolution, base=task.base)
        seconds["map"], clock = _lap(clock)
    except KgError as error:
        return Prepared(
            source,
            iri,
            warnings=warnings,
            reader_warnings=warnings,
            failure=Failure.of(error),
            timings=Timings(**seconds),
        )
    return _Mapped(task, iri, mapped, warnings, seconds)


def _failed(mapped: _Mapped, report: Report | None, error: KgError) -> Prepared:
    return Prepared(
        mapped.task.path,
        mapped.iri,
        warnings=mapped.warnings,
        reader_warnings=mapped.warnings,
        report=report,
        failure=Failure.of(error),
        timings=Timings(**mapped.seconds),
    )


def _finish(mapped: _Mapped, report: Report) -> Prepared:
    """The prepared document once its report is known: loadable, or rejected."""
    source, doc = mapped.task.path, mapped.mapped
    if not report.conforms:
        return _failed(mapped, report, ValidationError(report, source))
    shapes = tuple(f"{v.where or v.focus}: {v.message}" for v in report.warnings)
    return Prepared(
        source,
        mapped.iri,
        ntriples=doc.ntriples,
        triples=doc.triples,
        warnings=mapped.warnings + shapes,
        reader_warnings=mapped.warnings,
        report=report,
        timings=Timings(**mapped.seconds),
        fingerprint=doc.fingerprint,
        adopted_by=doc.adopted_by,
        draft=doc.draft,
    )


def check_report(prepared: Prepared) -> str:
    """What ``kg validate`` prints for one file: the shapes' report, or why it was not read.

    The report names the file and each offending node in words ("operative paragraph 7
    of resolution A/RES/58/135"), what is wrong and how to fix it; the reader's warnings
    follow.
    """
    error = prepared.error
    if isinstance(error, ValidationError) and prepared.report is not None:
        text = prepared.report.text
    elif error is not None:
        text = f"{error}"
    elif prepared.report is not None:
        text = prepared.report.text
    else:
        text = f"{prepared.source}: not checked"
    lines = [text] + [f"- reader warning: {w}" for w in prepared.reader_warnings]
    return "\n".join(lines)


def _lap(start: float) -> tuple[float, float]:
    now = time.perf_counter()
    return now - start, now


__all__ = [
    "STAGES",
    "VALIDATE_BATCH",
    "Failure",
    "FileTask",
    "Prepared",
    "Stage",
    "Timings",
    "check_report",
    "plan",
    "prepare",
    "prepare_batch",
    "warm_up",
]
