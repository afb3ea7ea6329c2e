"""Checks that keep the code, the README and the public API in step with each other."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click

import kg
from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kg"

# Each third-party library has one home (house style: "translate errors once").
LIBRARY_HOMES: dict[str, tuple[str, ...]] = {
    "pyshacl": ("kg.validate",),
    "SPARQLWrapper": ("kg.remote", "kg.enrich"),
    "click": ("kg.cli",),
    "starlette": ("kg.web.",),
    "jinja2": ("kg.web.",),
    "uvicorn": ("kg.web.serve",),
    "yaml": ("kg.query_header",),
}
# The parser and the text-comparison core work on text only: no RDF libraries.
TEXT_ONLY = ("kg.model", "kg.errors", "kg.ids", "kg.parse", "kg.parsing.", "kg.align")
TEXT_ONLY += ("kg.diff", "kg.series", "kg.drafts", "kg.manifest", "kg.resources")


def _modules() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        imports: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imports.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imports.add(node.module)
        found[name] = imports
    return found


def _is(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or (p.endswith(".") and module.startswith(p)) for p in prefixes)


def test_modules_import_libraries_only_from_their_home() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imports in _modules().items()
        for imported in imports
        for library, homes in LIBRARY_HOMES.items()
        if imported.split(".")[0] == library and not _is(module, homes)
    ]
    assert wrong == []


def test_text_modules_do_not_import_rdf_libraries() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imports in _modules().items()
        if _is(module, TEXT_ONLY)
        for imported in imports
        if imported.split(".")[0] in {"rdflib", "pyoxigraph", "pyshacl"}
    ]
    assert wrong == []


def test_core_does_not_import_its_edges() -> None:
    """cli and web are adapters over the core; the core never imports them, nor they each other."""
    wrong = []
    for module, imports in _modules().items():
        for imported in imports:
            edge = imported == "kg.cli" or imported.startswith("kg.web")
            if not edge:
                continue
            allowed = (module.startswith("kg.web") and imported.startswith("kg.web")) or (
                module == "kg.cli" and imported == "kg.web.serve"
            )
            if module != "kg.__main__" and not allowed:
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def _commands(group: click.Group, prefix: str = "kg") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix} {name}"))
    return names


def test_readme_names_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in _commands(cli) if f"`{name}" not in readme]
    assert missing == []


def test_readme_names_every_route() -> None:
    from kg.web.app import ROUTES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # A route's fixed part ("/api/queries/" of "/api/queries/{name}") must appear.
    fixed = [route.path.split("{")[0] for route in ROUTES]
    missing = [path for path in fixed if path != "/" and f"`{path}" not in readme]
    assert missing == []


def test_public_api_names_exist() -> None:
    assert sorted(kg.__all__) == sorted(set(kg.__all__))
    missing = [name for name in kg.__all__ if getattr(kg, name, None) is None]
    assert missing == []


def test_every_stored_query_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [path.stem for path in (ROOT / "queries").glob("*.rq")]
    assert names
    missing = [name for name in names if not re.search(rf"`{re.escape(name)}`", readme)]
    assert missing == []
