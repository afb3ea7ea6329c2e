"""RDF text to pyoxigraph terms, and parser errors to kg errors, for the store modules.

>>> parse_ntriples('<http://x/a> <http://x/b> "c" .', "example")[0].object
<Literal value=c datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TypeAlias

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, Variable, parse

from kg.errors import ParseError, QueryError
from kg.formats import rdf_format_for_extension

Term: TypeAlias = NamedNode | BlankNode | Literal | Triple
"""An RDF term as pyoxigraph represents it."""


def parse_ntriples(
    data: str | bytes, source: str, *, rename_blank_nodes: bool = False
) -> list[Triple]:
    """The triples of N-Triples text; ``source`` names it in errors.

    Raises:
        ParseError: if the text is not valid N-Triples.
    """
    try:
        quads = parse(data, RdfFormat.N_TRIPLES, rename_blank_nodes=rename_blank_nodes)
        return [quad.triple for quad in quads]
    except SyntaxError as e:
        raise parse_error(source, e) from e


def read_rdf_file(path: Path, *, base_iri: str | None = None) -> list[Triple]:
    """The triples of an RDF file, its format chosen by extension; named graphs are refused.

    Raises:
        ParseError: if the file cannot be read, its extension is unknown or it is not valid.
    """
    fmt = rdf_format_for_extension(path.name)
    if fmt is None:
        raise ParseError(str(path), "unknown RDF file extension", hint="Use .ttl, .nt or .rdf")
    try:
        quads = parse(path=path, format=fmt, base_iri=base_iri, without_named_graphs=True)
        return [quad.triple for quad in quads]
    except SyntaxError as e:
        raise parse_error(str(path), e) from e
    except OSError as e:
        raise ParseError(str(path), f"cannot read the file: {e.strerror or e}") from e


def check_substitutions(
    substitutions: Mapping[str, Term] | None, name: str
) -> dict[Variable, Term]:
    """Substitutions keyed by SPARQL variable.

    Raises:
        QueryError: if a name is not a SPARQL variable name.
    """
    variables = {}
    for key, value in (substitutions or {}).items():
        try:
            variables[Variable(key)] = value
        except ValueError as e:
            raise QueryError(name, f"not a variable name: {key!r}") from e
    return variables


def parse_error(source: str, error: SyntaxError) -> ParseError:
    """A pyoxigraph syntax error as a :class:`ParseError` at the same line and column."""
    return ParseError(
        source, f"invalid RDF: {one_line(error.msg)}", error.lineno, error.offset, "Fix the syntax"
    )


def one_line(text: str, limit: int = 200) -> str:
    """Squeeze a parser's message onto one line of at most ``limit`` characters.

    >>> one_line("error at 1:18:   expected one of ( + - . :", limit=30)
    'error at 1:18: expected one o…'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
