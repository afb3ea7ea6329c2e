"""Locate the data files kg ships: ``ontology/``, ``shapes/``, ``queries/`` and ``corpus/``.

In a source checkout (or an editable install) they sit next to the package; in a
wheel they are packed under ``kg/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The bundled folder ``name`` (``ontology``, ``shapes``, ``queries`` or ``corpus``).

    Raises:
        FileNotFoundError: if the folder is not installed, which means a broken install.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} is missing; reinstall kg")


def ontology_dir() -> Path:
    return data_dir("ontology")


def shapes_dir() -> Path:
    return data_dir("shapes")


def queries_dir() -> Path:
    return data_dir("queries")


def corpus_dir() -> Path:
    return data_dir("corpus")
