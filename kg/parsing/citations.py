"""Citations: the resolutions and documents a paragraph or footnote refers to.

Whose resolution a number is follows the text: the body named before it ("General
Assembly resolution 57/173", "Conference resolution 6/1"), "its"/"their" (the body
speaking), a body named after it ("resolution 5/5 … of the Conference of the
Parties"), a full symbol ("A/RES/55/25"), or, failing all these, the form of the
number (1373 (2001) is the Security Council's) and the body speaking.
"""

from __future__ import annotations

import re

from kg.gazetteer import Gazetteer
from kg.model import Citation
from kg.parsing.dates import DATE, iso_date
from kg.parsing.entities import Span, span_ending_at, span_starting_at
from kg.parsing.symbols import (
    RESOLUTION_NUMBER,
    RESOLUTION_SYMBOL,
    body_of_symbol,
    canonical_number,
    canonical_symbol,
    compose_symbol,
    find_document_symbols,
    number_style,
)

_DATE_TAIL = r"(?:,?\s+of\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})?"
_ONE = rf"(?:{RESOLUTION_NUMBER}){_DATE_TAIL}"
# "[Rr](?<=\b[Rr])" is "\b[Rr]" written so that the search skips ahead to each "R" or "r".
_CITATION = re.compile(
    r"[Rr](?<=\b[Rr])esolutions?\s+"
    rf"(?P<list>{_ONE}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+to\s+){_ONE})*)"
)
_ITEM = re.compile(rf"(?P<number>{RESOLUTION_NUMBER})(?P<date>{_DATE_TAIL})")
_POSSESSIVE = re.compile(r"\b(?:its|their)\s+$")
_AFTER = re.compile(r"^,?\s*(?:adopted\s+)?(?:of|by)\s+(?:the\s+)?")
_SESSION_BODIES = ("general-assembly", "human-rights-council", "ccpcj", "cnd", "cop-untoc")
_YEAR_BODIES = ("ecosoc", "commission-on-human-rights")
_SYMBOL_BODIES = ("general-assembly", "security-council", "human-rights-council", *_YEAR_BODIES)


def find_citations(
    key: str | None,
    text: str,
    spans: list[Span],
    gazetteer: Gazetteer,
    *,
    issuer_id: str | None,
    own_symbol: str | None = None,
) -> list[Citation]:
    """Every resolution and document ``text`` cites, in order of appearance.

    ``spans`` are the entity names found in ``text``; ``issuer_id`` is the body whose
    words these are ("its resolution" is that body's).
    """
    citations: list[Citation] = []
    covered: list[tuple[int, int]] = []
    # Each pattern needs a literal most paragraphs lack: testing for it is cheaper than a scan.
    for match in _CITATION.finditer(text) if "esolution" in text else ():
        body_id, prefix_start = _cited_body(text, match, spans, issuer_id, gazetteer)
        items = list(_ITEM.finditer(match.group("list")))
        dates = [_date(item) for item in items]
        for index, item in enumerate(items):
            number = canonical_number(item.group("number"))
            owner = body_id or _default_body(number, issuer_id)
            if owner in _SYMBOL_BODIES and compose_symbol(owner, number) is None:
                owner = _default_body(number, None)
            date = dates[index] or _shared_date(number, items[index + 1 :], dates[index + 1 :])
            start = prefix_start if index == 0 else match.start("list") + item.start()
            surface = text[start : match.start("list") + item.end()]
            citations.append(_citation(key, surface, owner, number, date, gazetteer))
        covered.append((match.start(), match.end()))
    for match in RESOLUTION_SYMBOL.finditer(text) if "/RES/" in text else ():
        symbol = canonical_symbol(match.group())
        series_body = body_of_symbol(symbol)
        citations.append(
            Citation(
                "resolution",
                symbol,
                key,
                match.group(),
                _name(series_body, gazetteer),
                series_body,
                symbol.split("/RES/", 1)[1],
            )
        )
        covered.append((match.start(), match.end()))
    for start, end, symbol in find_document_symbols(text):
        if symbol == own_symbol or any(a <= start < b for a, b in covered):
            continue
        citations.append(Citation("document", symbol, key, text[start:end]))
    return _unique(citations)


def _date(item: re.Match[str]) -> str | None:
    found = DATE.search(item.group("date"))
    return iso_date(found) if found else None


def _shared_date(number: str, later: list[re.Match[str]], dates: list[str | None]) -> str | None:
    """The date of the next dated number of the list, when it is evidently shared.

    "resolutions 5/1 and 5/2 of 18 June 2007" dates both; the date is shared only by
    numbers of the same session or year, so "54/126 and 55/25 of 15 November 2000"
    leaves 54/126 undated.
    """
    for item, date in zip(later, dates, strict=True):
        if date is None:
            continue
        return date if _group(number) == _group(canonical_number(item.group("number"))) else None
    return None


def _group(number: str) -> str:
    if "(" in number:
        return number.split("(", 1)[1]
    return number.split("/", 1)[0]


def _cited_body(
    text: str, match: re.Match[str], spans: list[Span], issuer: str | None, gazetteer: Gazetteer
) -> tuple[str | None, int]:
    """Whose resolution it is, and where the citation starts ("General Assembly resolution")."""
    possessive = _POSSESSIVE.search(text, max(0, match.start() - 8), match.start())
    if possessive:
        return issuer, possessive.start()
    span = span_ending_at(spans, text, match.start())
    if span and len(span.ids) == 1 and gazetteer.entities[span.ids[0]].kind == "body":
        return span.ids[0], span.start
    after = _AFTER.match(text[match.end() :])
    if after:
        span = span_starting_at(spans, text, match.end() + after.end())
        if span and len(span.ids) == 1 and gazetteer.entities[span.ids[0]].kind == "body":
            return span.ids[0], match.start()
    return None, match.start()


def _default_body(number: str, issuer: str | None) -> str:
    style = number_style(number)
    if style == "council":
        return "security-council"
    if style == "year":
        return issuer if issuer in _YEAR_BODIES else "ecosoc"
    if style == "roman":
        return issuer if issuer in ("general-assembly", "ecosoc") else "general-assembly"
    return issuer if issuer in _SESSION_BODIES else "general-assembly"


def _citation(
    key: str | None,
    text: str,
    body_id: str,
    number: str,
    date: str | None,
    gazetteer: Gazetteer,
) -> Citation:
    return Citation(
        kind="resolution",
        symbol=compose_symbol(body_id, number),
        paragraph=key,
        text=text.strip(" ,"),
        body=_name(body_id, gazetteer),
        body_id=body_id,
        number=number,
        date=date,
    )


def _name(body_id: str | None, gazetteer: Gazetteer) -> str | None:
    entity = gazetteer.entities.get(body_id or "")
    return entity.name if entity else None


def _unique(citations: list[Citation]) -> list[Citation]:
    seen: set[tuple[str | None, ...]] = set()
    out: list[Citation] = []
    for citation in citations:
        identity = (citation.kind, citation.symbol, citation.body_id, citation.number)
        if identity not in seen:
            seen.add(identity)
            out.append(citation)
    return out
