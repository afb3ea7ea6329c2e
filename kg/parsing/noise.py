"""Stage 3: mark the lines that belong to the page, not to the text.

Afterwards every line's ``kind`` is ``blank``, ``separator`` (a rule such as ``---`` or
``____``, which opens a footnote block), ``noise`` (page numbers, print job numbers,
bar codes, ODS job markers, running headers that repeat the symbol) or ``text``.
Masthead lines stay ``text``: the metadata stage reads them.
"""

from __future__ import annotations

import re

from kg.parsing.lines import Line, LineKind
from kg.parsing.symbols import RESOLUTION_SYMBOL

_SEPARATOR = re.compile(r"^(?:[-_=~*•·]\s*){3,}$")
_ODS_MARKER = re.compile(r"^.*<<ODS\b.*$")
"""An ODS job or symbol marker line: tried only on a line holding "<<ODS"."""
_NOISE = re.compile(
    r"""^(?:
        [-\u2013\u2014]?\s*\d{1,3}\s*[-\u2013\u2014]?                       # page number
      | (?:Page|page|p\.)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?
      | \d{1,3}\s*/\s*\d{1,3}(?:\s+\d{2}-\d{5}.*)?         # page 2/5, with job number
      | \d{2}-\d{5}\s+\d{1,3}\s*/\s*\d{1,3}
      | \d{2}[-\ ]\d{5}(?:\s*\([A-Z]\))?(?:\s+\S+)?     # job number 03 50268, 04-48669 (E)
      | [A-Z]{1,3}\.\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\S+)?   # GE.05-12345, V.13-83475
      | \*\d{6,8}\*                                     # bar code
      | N\d{7}[A-Z]?                                    # ODS job number
      | Please\ recycle.*
      | /\s?\.\.\.|\.\.\./\s?|…/|/…                          # "continued on next page"
    )$""",
    re.VERBOSE,
)


def classify_lines(lines: list[Line]) -> list[Line]:
    """Set the ``kind`` of each line: blank, separator, noise or text."""
    out: list[Line] = []
    for line in lines:
        kind = _kind(line.text)
        out.append(line if line.kind == kind else line.with_kind(kind))
    return out


def _kind(text: str) -> LineKind:
    if not text:
        return "blank"
    if _SEPARATOR.match(text):
        return "separator"
    if ("<<ODS" in text and _ODS_MARKER.match(text)) or _NOISE.match(text):
        return "noise"
    return "noise" if _is_running_symbol(text) else "text"


def _is_running_symbol(text: str) -> bool:
    """A running page header: a resolution symbol alone, or followed by the title."""
    match = RESOLUTION_SYMBOL.match(text)
    if match is None:
        return False
    rest = text[match.end() :]
    return not rest or (rest[:1] == " " and rest.strip()[:1].isupper())
