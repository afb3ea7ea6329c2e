"""UN document symbols: recognising them, their canonical form, and composing them.

The canonical forms follow the UN's own: ``A/RES/58/135``, ``A/RES/2200 (XXI)`` for
Assembly sessions before 1976, ``E/RES/2004/23``, ``E/RES/1296 (XLIV)``,
``S/RES/1373 (2001)``, ``A/HRC/RES/5/1``.

>>> canonical_symbol("S/RES/1373(2001)")
'S/RES/1373 (2001)'
>>> canonical_symbol("A/RES/2200 A (XXI)")
'A/RES/2200 (XXI)'
>>> compose_symbol("ecosoc", "1296 (XLIV)")
'E/RES/1296 (XLIV)'
>>> compose_symbol("general-assembly", "55/25"), compose_symbol("ccpcj", "22/1")
('A/RES/55/25', None)
>>> session_of("A/RES/2200 (XXI)"), session_of("A/HRC/RES/5/1"), session_of("E/RES/2004/23")
(21, 5, None)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from kg.parsing.dates import roman_value

_PREFIX = {
    "general-assembly": "A/RES/",
    "security-council": "S/RES/",
    "ecosoc": "E/RES/",
    "human-rights-council": "A/HRC/RES/",
    "commission-on-human-rights": "E/CN.4/RES/",
}
_BODY_OF_PREFIX = {prefix: body for body, prefix in _PREFIX.items()}
_LONGEST_PREFIX_FIRST = sorted(_BODY_OF_PREFIX.items(), key=lambda item: -len(item[0]))

SESSION_NUMBER = r"(?:ES-|S-)?\d{1,3}/\d{1,4}"
YEAR_NUMBER = r"(?:19[4-9]\d|20\d\d)/\d{1,3}"
OLD_NUMBER = r"\d{1,4}\s?(?:[A-Z]\s?)?\((?:[IVXLC]+|19[4-9]\d|20\d\d)\)"
RESOLUTION_NUMBER = rf"(?:{OLD_NUMBER}|{YEAR_NUMBER}|{SESSION_NUMBER})(?![\d/])"
"""A resolution number as texts cite it: 55/25, 2004/23, 1373 (2001), 2200 A (XXI)."""

RESOLUTION_SYMBOL = re.compile(
    r"(?<![\w/])(?P<prefix>A/HRC|E/CN\.\d{1,2}|A|E|S)/RES/"
    rf"(?P<number>{OLD_NUMBER}|{YEAR_NUMBER}|{SESSION_NUMBER})(?:\s?\[[A-Z]\])?"
)
# "[A-Z](?<![\w/.\-][A-Z])" is "(?<![\w/.\-])[A-Z]" written so that the search skips
# ahead to each capital.
DOCUMENT_SYMBOL = re.compile(
    r"[A-Z](?<![\w/.\-][A-Z])[A-Z0-9]{0,7}(?:\.\d{1,3})?(?:/[A-Za-z0-9][A-Za-z0-9.\-]*)+"
)
_OLD = re.compile(r"^(\d{1,4})\s?(?:([A-Z])\s?)?\(([IVXLC]+|\d{4})\)$")
_COUNCIL_NUMBER = re.compile(r"\d{1,4} \(\d{4}\)")
_ROMAN_NUMBER = re.compile(r"\d{1,4} \([IVXLC]+\)")
_YEAR_NUMBER = re.compile(YEAR_NUMBER)
_FITS = {
    "A/RES/": re.compile(rf"{SESSION_NUMBER}|\d{{1,4}} \([IVXLC]+\)"),
    "S/RES/": _COUNCIL_NUMBER,
    "E/RES/": re.compile(rf"{YEAR_NUMBER}|\d{{1,4}} \([IVXLC]+\)"),
    "A/HRC/RES/": re.compile(SESSION_NUMBER),
    "E/CN.4/RES/": _YEAR_NUMBER,
}
"""The numbers each resolution series has, by symbol prefix."""
_SLASH_AND_WORD = re.compile(r"/[A-Za-z0-9]")


@functools.lru_cache(maxsize=4096)
def canonical_number(number: str) -> str:
    """A resolution number in canonical spacing, part letters dropped: ``2200 (XXI)``.

    Cached: asked several times for each citation, of the same few numbers.
    """
    number = " ".join(number.split())
    old = _OLD.match(number)
    if old:
        return f"{old.group(1)} ({old.group(3)})"
    return number


def canonical_symbol(symbol: str) -> str:
    """The canonical spelling of a resolution symbol; other symbols are returned as given."""
    symbol = " ".join(symbol.split())
    match = RESOLUTION_SYMBOL.fullmatch(symbol)
    if not match:
        return symbol
    return f"{match.group('prefix')}/RES/{canonical_number(match.group('number'))}"


def compose_symbol(body_id: str | None, number: str) -> str | None:
    """The symbol of resolution ``number`` of a body, or ``None`` if its series has none.

    A number whose form does not fit the body's series (a Council number "1373 (2001)"
    for the General Assembly) gives ``None``.
    """
    prefix = _PREFIX.get(body_id or "")
    if prefix is None:
        return None
    number = canonical_number(number)
    return prefix + number if _FITS[prefix].fullmatch(number) else None


def body_of_symbol(symbol: str) -> str | None:
    """The reference-data id of the body whose resolution series ``symbol`` belongs to."""
    for prefix, body in _LONGEST_PREFIX_FIRST:
        if symbol.startswith(prefix):
            return body
    return None


def number_of(symbol: str) -> str | None:
    """The resolution number inside a resolution symbol: ``A/RES/58/135`` → ``58/135``."""
    match = RESOLUTION_SYMBOL.fullmatch(symbol)
    return canonical_number(match.group("number")) if match else None


def session_of(symbol: str) -> int | None:
    """The session a General Assembly or Human Rights Council symbol encodes, else ``None``.

    ECOSOC symbols of the old series encode the session as a Roman numeral; its
    newer ones (``E/RES/2004/23``) encode a year, not a session.
    """
    number = number_of(symbol)
    if number is None:
        return None
    old = _OLD.match(number)
    if old:
        return roman_value(old.group(3))
    first = number.split("/")[0]
    if symbol.startswith(("A/RES/", "A/HRC/RES/")) and first.isdigit():
        return int(first)
    return None


def number_style(number: str) -> str:
    """``session`` (55/25), ``year`` (2004/23), ``council`` (1373 (2001)) or ``roman``."""
    number = canonical_number(number)
    if _COUNCIL_NUMBER.fullmatch(number):
        return "council"
    if _ROMAN_NUMBER.fullmatch(number):
        return "roman"
    if _YEAR_NUMBER.fullmatch(number):
        return "year"
    return "session"


def find_document_symbols(text: str) -> Iterator[tuple[int, int, str]]:
    """Symbols of documents that are not resolutions: ``A/58/499``, ``E/CN.15/2003/5``."""
    if "/" not in text:  # every symbol has one; most paragraphs have none
        return
    for match in DOCUMENT_SYMBOL.finditer(text):
        symbol = match.group().rstrip(".-")
        if "/RES/" in symbol or not any(c.isdigit() for c in symbol):
            continue
        if not _SLASH_AND_WORD.search(symbol) or symbol.count("/") < 1:
            continue
        yield match.start(), match.start() + len(symbol), symbol
