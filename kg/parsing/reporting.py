"""Reporting clauses of a task: to which body it reports, by which session or year.

"to report to the General Assembly at its fifty-ninth session" gives the Assembly and
59; "to submit … to the Commission at its twenty-third session" resolves "the
Commission"; "to report thereon at its sixtieth session" means the body speaking;
"at that session" refers back to a session the paragraph named; a body the reference
data does not know is kept by its name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.gazetteer import Gazetteer
from kg.parsing.dates import ORDINAL, ordinal_value
from kg.parsing.entities import Span, Tracker, span_starting_at

# Each word is "\bword" written as "w(?<=\bw)ord", so that the search skips ahead to
# the first letters.
_REPORTING = re.compile(
    r"(?:r(?<=\br)eport|s(?<=\bs)ubmit|s(?<=\bs)ubmitted|p(?<=\bp)resent|i(?<=\bi)nform"
    r"|u(?<=\bu)pdate)\b"
)
_REPORTING_VERBS = ("report", "submit", "present", "inform", "update")
"""What :data:`_REPORTING` finds starts with one of these."""
_TO_BODY = re.compile(r"\bto\s+(?=\S)")
_TO_ISSUER = re.compile(r"\bto\s+it\b")
_TO_NAME = re.compile(
    r"\bto\s+the\s+(?P<name>[A-Z][\w-]*(?:\s+(?:(?:of|on|for|and|the)\s+)*[A-Z][\w-]*)*)"
)
_SESSION = re.compile(
    r"\bat\s+its\s+(?:(?:resumed|regular|special|substantive|organizational)\s+)?"
    rf"(?P<ordinal>{ORDINAL.pattern})\s+(?:(?:regular|special|substantive)\s+)?session\b",
    re.IGNORECASE,
)
_SESSION_NAMED = re.compile(
    rf"\b(?:its|the)\s+(?P<ordinal>{ORDINAL.pattern})\s+session\b", re.IGNORECASE
)
_THAT_SESSION = re.compile(r"\bat\s+that\s+session\b")
_YEAR = re.compile(
    r"\b(?:in|session of|by)\s+((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\s+(?:substantive\s+)?session\b"
)


@dataclass(frozen=True, slots=True)
class Issuer:
    """The body whose paragraph this is: "its", "it" and "at its … session" refer to it."""

    id: str | None
    name: str


def reporting_of(
    task: str, paragraph: str, offset: int, spans: list[Span], issuer: Issuer, gazetteer: Gazetteer
) -> tuple[Issuer | None, int | None, int | None]:
    """To whom a task reports, by which session and in which year, as far as it says."""
    # Most tasks hold none of the verbs: testing for them is cheaper than the search.
    has_verb = any(verb in task for verb in _REPORTING_VERBS)
    reporting = _REPORTING.search(task) if has_verb else None
    if not reporting:
        return None, None, None
    if not paragraph.startswith(task, offset):
        # The task is gathered from sub-paragraphs: read it on its own.
        paragraph, offset = task, 0
        spans = Tracker(gazetteer, issuer.id).annotate(task)
    region_start = offset + reporting.start()
    region = paragraph[region_start : offset + len(task) + 1]
    report_to: Issuer | None = None
    for to in _TO_BODY.finditer(region):
        span = span_starting_at(spans, paragraph, region_start + to.end())
        if span is None:
            the = region[to.end() :].startswith("the ")
            span = span_starting_at(spans, paragraph, region_start + to.end() + 4) if the else None
        if span and len(span.ids) == 1 and gazetteer.entities[span.ids[0]].kind == "body":
            report_to = Issuer(span.ids[0], gazetteer.entities[span.ids[0]].name)
            break
    session = _SESSION.search(region)
    if session is None and _THAT_SESSION.search(region):
        # "… at its sixty-first session …, and requests … at that session a report"
        earlier = list(_SESSION_NAMED.finditer(paragraph[:region_start]))
        session = earlier[-1] if earlier else None
    unresolved = _TO_NAME.search(region) if report_to is None else None
    if unresolved:
        # A body the reference data does not know: keep its name as written.
        report_to = Issuer(None, unresolved.group("name"))
    elif report_to is None and (session or _TO_ISSUER.search(region)):
        report_to = issuer
    if report_to is None:
        return None, None, None
    year = _YEAR.search(region)
    due_year = int(year.group(1) or year.group(2)) if year else None
    return report_to, ordinal_value(session.group("ordinal")) if session else None, due_year
