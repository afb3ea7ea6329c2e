"""Mint and read IRIs: UN symbol ↔ IRI ↔ web path.

IRIs derive from UN document symbols and paragraph positions only, never from
file names, counters or load order, so a rebuild yields the same IRIs. The base
IRI is the identity of a dataset; it is fixed when the dataset is built.

>>> r = resolution_iri("A/RES/58/135")
>>> r
'https://w3id.org/kg-un/resolution/A/RES/58/135'
>>> paragraph_iri(r, "op7.a")
'https://w3id.org/kg-un/resolution/A/RES/58/135/operative/7/a'
>>> mandate_iri(paragraph_iri(r, "op7"))
'https://w3id.org/kg-un/resolution/A/RES/58/135/operative/7/mandate'
>>> resolution_iri("A/RES/2200 (XXI)")
'https://w3id.org/kg-un/resolution/A/RES/2200_(XXI)'
>>> symbol_for_iri(resolution_iri("S/RES/1373 (2001)"))
'S/RES/1373 (2001)'
>>> path_for_iri(r, base="https://w3id.org/kg-un/")
'/resolution/A/RES/58/135'
>>> iri_for_path("/resolution/A/RES/58/135", base="https://w3id.org/kg-un/") == r
True
"""

from __future__ import annotations

import re

from kg.errors import KgError

BASE_IRI = "https://w3id.org/kg-un/"
"""The default base IRI of the dataset (``KG_BASE_IRI`` overrides it at build time)."""

ONTOLOGY_IRI = "https://w3id.org/kg-un/ontology"
"""The ontology's own IRI; its terms are ``ONTOLOGY_IRI + '#' + name``."""

_PARTS = {"pp": "preamble", "op": "operative"}
_KEY = re.compile(r"^(?:(draft)\.)?(pp|op)(\d+)((?:\.[A-Za-z0-9]+)*)$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SYMBOL = re.compile(r"^[A-Z][A-Za-z0-9./ ()_-]*$")


def _check_base(base: str) -> str:
    if not base.endswith(("/", "#")):
        raise KgError(
            f"base IRI {base!r} must end with '/'", "Set KG_BASE_IRI to e.g. https://example.org/"
        )
    return base


def symbol_path(symbol: str) -> str:
    """Turn a UN symbol into the path segment used in IRIs.

    Spaces become underscores (UN symbols never contain one), so the mapping is
    reversible; parentheses are legal in IRIs and stay.

    >>> symbol_path("E/RES/1296 (XLIV)")
    'E/RES/1296_(XLIV)'
    """
    symbol = symbol.strip()
    if not _SYMBOL.match(symbol) or "_" in symbol or "//" in symbol:
        raise KgError(f"not a UN document symbol: {symbol!r}", "Symbols look like A/RES/58/135")
    return symbol.replace(" ", "_")


def symbol_from_path(path: str) -> str:
    """Invert :func:`symbol_path`.

    >>> symbol_from_path("A/RES/2200_(XXI)")
    'A/RES/2200 (XXI)'
    """
    return path.replace("_", " ")


def resolution_iri(symbol: str, base: str = BASE_IRI) -> str:
    """The IRI of the resolution with this UN symbol."""
    return f"{_check_base(base)}resolution/{symbol_path(symbol)}"


def numbered_resolution_iri(body_id: str, number: str, base: str = BASE_IRI) -> str:
    """The IRI of a resolution known by body and number only, e.g. Conference resolution 6/1.

    Body ids are lower-case, UN symbols start with a capital, so the two never clash.

    >>> numbered_resolution_iri("cop-untoc", "6/1")
    'https://w3id.org/kg-un/resolution/cop-untoc/6/1'
    """
    if not _SLUG.match(body_id) or not re.match(r"^[0-9A-Za-z/.-]+$", number):
        raise KgError(f"cannot mint an IRI for resolution {number!r} of {body_id!r}")
    return f"{_check_base(base)}resolution/{body_id}/{number}"


def anonymous_resolution_iri(digest: str, base: str = BASE_IRI) -> str:
    """The IRI of a resolution whose text carries no symbol, from a content digest.

    >>> anonymous_resolution_iri("0123456789abcdef0123")
    'https://w3id.org/kg-un/resolution/text/0123456789abcdef'
    """
    if not re.match(r"^[0-9a-f]{16,}$", digest):
        raise KgError(f"not a hexadecimal digest: {digest!r}")
    return f"{_check_base(base)}resolution/text/{digest[:16]}"


def paragraph_iri(resolution: str, key: str) -> str:
    """The IRI of a paragraph of ``resolution`` from its model key (``pp2``, ``op7.a``).

    >>> paragraph_iri("https://w3id.org/kg-un/resolution/E/RES/2004/23", "draft.op9")
    'https://w3id.org/kg-un/resolution/E/RES/2004/23/draft/operative/9'
    """
    match = _KEY.match(key)
    if not match:
        raise KgError(f"not a paragraph key: {key!r}", "Keys look like pp2, op7 or op7.a")
    draft, part, order, subs = match.groups()
    path = f"{resolution}/draft" if draft else resolution
    path += f"/{_PARTS[part]}/{int(order)}"
    for label in filter(None, subs.split(".")):
        path += f"/{label}"
    return path


def draft_iri(resolution: str) -> str:
    """The IRI of the draft resolution quoted in ``resolution``."""
    return f"{resolution}/draft"


def mandate_iri(paragraph: str, index: int = 1) -> str:
    """The IRI of the ``index``-th mandate (1-based) created by a paragraph.

    >>> mandate_iri("https://w3id.org/kg-un/resolution/A/RES/58/135/operative/3", 2)
    'https://w3id.org/kg-un/resolution/A/RES/58/135/operative/3/mandate/2'
    """
    return f"{paragraph}/mandate" if index == 1 else f"{paragraph}/mandate/{index}"


def footnote_iri(resolution: str, mark: str) -> str:
    """The IRI of a footnote of ``resolution`` by its mark."""
    return f"{resolution}/footnote/{_slug_mark(mark)}"


def _slug_mark(mark: str) -> str:
    cleaned = re.sub(r"[^0-9A-Za-z]+", "", mark)
    return cleaned or {"*": "star", "**": "star2", "†": "dagger"}.get(mark, "mark")


def body_iri(body_id: str, base: str = BASE_IRI) -> str:
    """The IRI of a body from its reference-data id (``unodc``)."""
    return f"{_check_base(base)}body/{_slug(body_id)}"


def treaty_iri(treaty_id: str, base: str = BASE_IRI) -> str:
    """The IRI of a treaty from its reference-data id (``untoc``)."""
    return f"{_check_base(base)}treaty/{_slug(treaty_id)}"


def document_iri(symbol: str, base: str = BASE_IRI) -> str:
    """The IRI of a UN document that is not a resolution (``E/CN.15/2003/5``)."""
    return f"{_check_base(base)}document/{symbol_path(symbol)}"


def graph_iri(resource: str) -> str:
    """The named graph holding a document's triples: the resolution IRI itself."""
    return resource


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise KgError(
            f"not a reference-data id: {value!r}", "Ids are lower-case words joined by '-'"
        )
    return value


def symbol_for_iri(iri: str, base: str = BASE_IRI) -> str | None:
    """The UN symbol a resolution or document IRI was minted from, else ``None``.

    >>> symbol_for_iri("https://w3id.org/kg-un/document/E/CN.15/2003/5")
    'E/CN.15/2003/5'
    >>> symbol_for_iri("https://w3id.org/kg-un/resolution/A/RES/58/135/operative/1") is None
    True
    """
    for kind in ("resolution/", "document/"):
        prefix = base + kind
        if iri.startswith(prefix):
            rest = iri[len(prefix) :]
            if not rest[:1].isupper() or re.search(
                r"/(preamble|operative|draft|footnote)(/|$)", rest
            ):
                return None
            return symbol_from_path(rest)
    return None


def path_for_iri(iri: str, base: str = BASE_IRI) -> str | None:
    """The web path that dereferences ``iri`` on a kg server, or ``None`` if outside ``base``."""
    if not iri.startswith(base):
        return None
    return "/" + iri[len(base) :]


def iri_for_path(path: str, base: str = BASE_IRI) -> str:
    """The IRI a web path names (the inverse of :func:`path_for_iri`)."""
    return base + path.lstrip("/")
