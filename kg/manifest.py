"""The corpus manifest: metadata a text does not carry itself, keyed by file name.

``corpus/manifest.toml`` holds one table per file::

    ["004_995286ed3bee909e.txt"]
    session = 22
    note = "…"

Keys: ``symbol``, ``body``, ``adopted`` (ISO date), ``session`` (integer), ``title``,
and the free-text ``origin`` and ``note``. Only verified facts belong there.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from kg.errors import ParseError

MANIFEST_NAME = "manifest.toml"
_TYPES: dict[str, type] = {
    "symbol": str,
    "body": str,
    "adopted": str,
    "session": int,
    "title": str,
    "synthetic": bool,
    "origin": str,
    "note": str,
}
METADATA_KEYS = ("symbol", "body", "adopted", "session", "title", "synthetic")
"""The keys that fill a resolution's metadata; the others are notes for people."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """The metadata of each file of a corpus folder, by file name."""

    path: Path
    entries: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    def metadata_for(self, file_name: str) -> Mapping[str, object]:
        """The metadata keys the manifest gives for ``file_name`` (empty if none)."""
        entry = self.entries.get(file_name, {})
        return MappingProxyType({k: v for k, v in entry.items() if k in METADATA_KEYS})


def load_manifest(path: Path) -> Manifest:
    """Read and check a manifest file.

    Raises:
        ParseError: naming the file (and line, for TOML syntax errors) and the key,
            if the file cannot be read, is not TOML, or has an unknown key or a value
            of the wrong type.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ParseError(str(path), f"cannot read the manifest: {e}") from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line, column, reason = _toml_position(str(e))
        raise ParseError(str(path), f"not valid TOML: {reason}", line, column) from e
    entries: dict[str, Mapping[str, object]] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ParseError(
                str(path),
                f"{name!r} is not a table",
                hint=f'Write it as ["{name}"] followed by its keys',
            )
        entries[name] = MappingProxyType(_check_entry(path, name, table))
    return Manifest(path, MappingProxyType(entries))


def find_manifest(folder: Path) -> Manifest | None:
    """The manifest of ``folder``, or ``None`` if it has none.

    Raises:
        ParseError: if the manifest exists but is invalid.
    """
    path = folder / MANIFEST_NAME
    return load_manifest(path) if path.is_file() else None


def _check_entry(path: Path, name: str, table: dict[str, object]) -> dict[str, object]:
    checked: dict[str, object] = {}
    for key, value in table.items():
        where = f"[{name!r}] {key}"
        if key not in _TYPES:
            raise ParseError(
                str(path),
                f"{where}: unknown key",
                hint="Known keys: " + ", ".join(_TYPES),
            )
        if key == "adopted" and isinstance(value, dt.date):
            value = value.isoformat()
        expected = _TYPES[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ParseError(
                str(path),
                f"{where}: expected {expected.__name__}, found {type(value).__name__}",
                hint='For example session = 58, adopted = "2003-12-22"',
            )
        if key == "adopted" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            raise ParseError(str(path), f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)")
        checked[key] = value
    return checked


def _toml_position(message: str) -> tuple[int | None, int | None, str]:
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)", message)
    if not match:
        return None, None, message
    return int(match.group(1)), int(match.group(2)), message[: match.start()]
