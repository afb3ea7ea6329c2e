"""Stage 5: read what a resolution says about itself outside its paragraphs.

The masthead (symbol, distribution date, session, agenda items), the heading lines
("Resolution adopted by the General Assembly on …", "[on the report of the Third
Committee (A/58/499)]", "58/135. Title", "ECOSOC Resolution 2004/23", "Adopted by
the Security Council at its 4385th meeting, on 28 September 2001"), the opening line
and the closing lines (meeting and date). Afterwards every field is either read
from the text or ``None``; nothing is guessed. The distribution date is never taken
for the adoption date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.gazetteer import Gazetteer
from kg.parsing.dates import parse_date
from kg.parsing.lines import Line, strip_markers, tidy
from kg.parsing.symbols import (
    RESOLUTION_NUMBER,
    RESOLUTION_SYMBOL,
    body_of_symbol,
    canonical_number,
    canonical_symbol,
    compose_symbol,
    number_of,
    session_of,
)

_ODS_SYMBOL = re.compile(r"<<ODS DOC SYMBOL1>>\s*(.*?)\s*<<ODS DOC SYMBOL1>>")
_HEADING = re.compile(
    rf"^(?:(?P<body>[A-Z][\w ]*?)\s+)?[Rr][Ee][Ss][Oo][Ll][Uu][Tt][Ii][Oo][Nn]\s+"
    rf"(?P<num>{RESOLUTION_NUMBER})\.?(?:\s+(?P<title>\S.*))?$"
)
_NUMBER_TITLE = re.compile(rf"^(?P<num>{RESOLUTION_NUMBER})\.\s*(?P<title>\S.*)$")
_ADOPTED_BY = re.compile(
    r"^Resolution adopted by the (?P<body>.+?)(?:\s+on\s+(?P<date>.+?))?\s*$", re.IGNORECASE
)
_ADOPTED_AT = re.compile(
    r"\bAdopted\s+(?:unanimously\s+)?by\s+the\s+(?P<body>.+?)\s+at\s+its\s+"
    r"(?P<meeting>\d+(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting)\s*,?\s*(?:held\s+)?(?:on\s+)?(?P<date>.*)$",
    re.IGNORECASE,
)
_REPORT = re.compile(
    r"^\[\s*on the (?:report|recommendation) of the (?P<committee>[^(\]]+?)\s*"
    r"\((?P<report>[^)]+)\)\s*\]?$",
    re.IGNORECASE,
)
_WITHOUT_REFERENCE = re.compile(r"^\[\s*without reference to a Main Committee", re.IGNORECASE)
_SESSION = re.compile(r"(?:^|\d{4}|\s)(?P<ordinal>[A-Za-z]+(?:-[a-z]+)?)\s+session$", re.IGNORECASE)
_AGENDA = re.compile(r"^Agenda items?\s+(?P<items>.+)$", re.IGNORECASE)
_MEETING = re.compile(
    r"\b(?P<meeting>\d+(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting)\b", re.IGNORECASE
)
_CHROME = re.compile(r"[|\u203a»©@]|https?://|\bwww\.|^(?:Home|Menu|Search|Skip)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Metadata:
    """The self-description of a resolution, as far as its text gives it."""

    symbol: str | None = None
    number: str | None = None
    body: str | None = None
    body_id: str | None = None
    title: str | None = None
    adopted: str | None = None
    distributed: str | None = None
    session: int | None = None
    agenda_items: tuple[str, ...] = ()
    report: str | None = None
    committee: str | None = None
    meeting: str | None = None
    warnings: tuple[str, ...] = ()


def read_metadata(
    lines: list[Line],
    start: int,
    opener_body: str | None,
    closing: list[Line],
    tail: list[Line],
    gazetteer: Gazetteer,
) -> Metadata:
    """Read the metadata from the header (``lines[:start]``), closing and tail lines."""
    from kg.parsing.dates import ordinal_value

    header = lines[:start]
    around = [line for line in header if line.kind == "text"] + tail
    warnings: list[str] = []
    fields: dict[str, object] = {}
    explicit = _explicit_symbols(lines, around)
    number, heading_body, title_from_number = _heading(header, gazetteer)
    for line in around + closing:
        text = line.text
        adopted_by = _ADOPTED_BY.match(text)
        if adopted_by:
            fields.setdefault("header_body", adopted_by.group("body"))
            if adopted_by.group("date"):
                fields.setdefault("adopted", parse_date(adopted_by.group("date")))
        adopted_at = _ADOPTED_AT.search(text)
        if adopted_at:
            fields.setdefault("header_body", adopted_at.group("body"))
            fields.setdefault("meeting", " ".join(adopted_at.group("meeting").split()))
            fields.setdefault("adopted", parse_date(adopted_at.group("date")))
        report = _REPORT.match(text)
        if report:
            fields.setdefault("committee", " ".join(report.group("committee").split()))
            fields.setdefault("report", report.group("report").strip())
        agenda = _AGENDA.match(text)
        if agenda:
            items = re.split(r"\s*(?:,|\band\b)\s*", agenda.group("items").strip(" ."))
            fields.setdefault("agenda", tuple(i for i in items if i))
        session = _session_line(text)
        if session and ordinal_value(session.group("ordinal")) and not _ADOPTED_BY.match(text):
            fields.setdefault("session", ordinal_value(session.group("ordinal")))
    distributed = _distribution_date(around)
    for line in closing:
        meeting = _MEETING.search(line.text)
        if meeting:
            fields.setdefault("meeting", " ".join(meeting.group("meeting").split()))
        if "adopted" not in fields or fields["adopted"] is None:
            date = parse_date(line.text)
            if date:
                fields["adopted"] = date
    body_name = opener_body or _str(fields.get("header_body")) or heading_body
    body_entity = gazetteer.entity_named(body_name) if body_name else None
    if body_entity is None and body_name and body_name.lower() == body_name.upper().lower():
        body_entity = gazetteer.entity_named(body_name.title())
    body_id = body_entity.id if body_entity else None
    composed = compose_symbol(body_id, number) if number else None
    symbol = explicit[0] if explicit else composed
    if explicit and composed and explicit[0] != composed:
        warnings.append(f"the masthead gives {explicit[0]} but the heading gives {composed}")
    if symbol and body_id is None:
        body_id = body_of_symbol(symbol)
        entity = gazetteer.entities.get(body_id or "")
        body_name = entity.name if entity else body_name
    if body_name and body_entity is None and body_id is None:
        warnings.append(f"the adopting body {body_name!r} is not in the reference data")
    title = title_from_number or _title(header, gazetteer, warnings)
    return Metadata(
        symbol=symbol,
        number=(number_of(symbol) if symbol else None)
        or (canonical_number(number) if number else None),
        body=body_entity.name if body_entity else body_name,
        body_id=body_id,
        title=title,
        adopted=_str(fields.get("adopted")),
        distributed=distributed,
        session=_int(fields.get("session"))
        or (session_of(symbol) if symbol else None)
        or _session_of_number(body_id, number),
        agenda_items=tuple(str(i) for i in fields.get("agenda", ()) or ()),  # type: ignore[attr-defined]
        report=_str(fields.get("report")),
        committee=_str(fields.get("committee")),
        meeting=_str(fields.get("meeting")),
        warnings=tuple(warnings),
    )


def _session_of_number(body_id: str | None, number: str | None) -> int | None:
    """The session a commission numbers its resolutions by: CND resolution 53/4 → 53."""
    if number is None or body_id not in ("ccpcj", "cnd", "human-rights-council"):
        return None
    first = number.split("/", 1)[0]
    return int(first) if "/" in number and first.isdigit() and len(first) <= 3 else None


def _explicit_symbols(lines: list[Line], around: list[Line]) -> list[str]:
    """Symbols the document states for itself: ODS markers, then masthead or header lines."""
    found: list[str] = []
    for line in lines:
        if "<<ODS" not in line.text:
            continue
        for match in _ODS_SYMBOL.finditer(line.text):
            if RESOLUTION_SYMBOL.fullmatch(match.group(1).strip()):
                found.append(canonical_symbol(match.group(1)))
    for line in around + [line for line in lines if line.kind == "noise"]:
        found_symbol = RESOLUTION_SYMBOL.search(line.text) if "/RES/" in line.text else None
        if found_symbol and (
            "Distr" in line.text
            or found_symbol.group() == line.text.strip()
            or line.text.startswith("United Nations")
        ):
            found.append(canonical_symbol(found_symbol.group()))
    return found


def _heading(header: list[Line], gazetteer: Gazetteer) -> tuple[str | None, str | None, str | None]:
    """(number, body named in the heading, title on the number line and its continuation)."""
    for index, line in enumerate(header):
        if line.kind != "text":
            continue
        text = strip_markers(line.text)
        heading = _HEADING.match(text) or _NUMBER_TITLE.match(text)
        if not heading:
            continue
        groups = heading.groupdict()
        body = groups.get("body")
        if body:
            entity = gazetteer.entity_named(body.strip())
            body = entity.name if entity else body.strip()
        title = groups.get("title")
        if title and title.lower().startswith("adopted "):
            title = None  # "Resolution 1373 (2001) adopted by the Security Council at …"
        if title:
            parts = [title]
            for following in header[index + 1 :]:
                if following.kind != "text" or _is_metadata(following.text):
                    break
                parts.append(following.text)
            title = _clean_title(" ".join(parts))
        return groups["num"], body, title
    return None, None, None


def _title(header: list[Line], gazetteer: Gazetteer, warnings: list[str]) -> str | None:
    """The title from heading lines, or the lines between the last marker and the opener."""
    texts = [line for line in header if line.kind == "text"]
    headings = [line for line in texts if line.heading and not _is_metadata(line.text)]
    if headings:
        return _clean_title(headings[-1].text)
    markers = [
        i for i, line in enumerate(header) if line.kind == "text" and _is_metadata(line.text)
    ]
    if markers:
        block = [line.text for line in header[markers[-1] + 1 :] if line.kind == "text"]
        return _clean_title(" ".join(block)) if block else None
    block = []
    for line in reversed(header):
        if line.kind == "text":
            block.insert(0, line.text)
        elif block:
            break
    candidate = " ".join(block)
    if (
        block
        and len(block) <= 3
        and len(candidate.split()) >= 3
        and len(candidate) < 400
        and not _CHROME.search(candidate)
        and not candidate.rstrip().endswith((",", ";"))
    ):
        warnings.append("the title was taken from the line above the opening line")
        return _clean_title(candidate)
    return None


def _is_metadata(text: str) -> bool:
    return bool(
        _ADOPTED_BY.match(text)
        or _ADOPTED_AT.match(text)
        or _REPORT.match(text)
        or _WITHOUT_REFERENCE.match(text)
        or _HEADING.match(text)
        or _AGENDA.match(text)
        or "Distr" in text
        or RESOLUTION_SYMBOL.search(text)
        or _session_line(text)
    )


def _session_line(text: str) -> re.Match[str] | None:
    """A line ending in "… session"; only a line ending in "n" is searched."""
    if not text.endswith(("n", "N", "n\n", "N\n")):
        return None
    return _SESSION.search(text)


def _distribution_date(lines: list[Line]) -> str | None:
    for index, line in enumerate(lines):
        position = line.text.find("Distr")
        if position < 0:
            continue
        for candidate in [line.text[position:]] + [
            other.text for other in lines[index + 1 : index + 4]
        ]:
            date = parse_date(candidate)
            if date:
                return date
    return None


def _clean_title(text: str) -> str | None:
    text = tidy(strip_markers(text)).strip()
    text = re.sub(r"(?<=[\w.”)])\*{1,3}$", "", text).strip()
    return text or None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None
