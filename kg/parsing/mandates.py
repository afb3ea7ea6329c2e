"""Mandates: who an operative paragraph asks to do what, and when to report.

Every request, invitation, encouragement, urging or call gives one mandate per
addressee, whether it opens the paragraph ("Requests the Secretary-General to …")
or follows in it (", and invites the Centre to …"). The addressee is the noun phrase
between the verb and its infinitive; "the Centre", "him" and other short forms are
resolved; reporting clauses give ``report_to`` and ``due_session``.
"""

from __future__ import annotations

import re

from kg.gazetteer import Gazetteer, trie_pattern
from kg.model import Mandate, MandateKind
from kg.parsing.entities import Span, span_starting_at
from kg.parsing.lines import words
from kg.parsing.phrases import ADVERBS, is_finite
from kg.parsing.reporting import Issuer, reporting_of

_NOMINAL = (
    r"(?:reiterates|renews|repeats)\s+its\s+(?:\w+\s+)?(?P<nominal>call|appeal|request|invitation)"
    r"\s+(?:upon|on|to)"
)
_NOMINAL_KIND: dict[str, MandateKind] = {
    "call": "call",
    "appeal": "call",
    "request": "request",
    "invitation": "invitation",
}
_NOT_VERBS = words(
    "the a an its their his her this that these those all any each every such both other "
    "some date which whom what"
)
# "t(?<=\bt)o" is "\bto" written so that the search skips ahead to each "t".
_INFINITIVE = re.compile(
    r"t(?<=\bt)o\s+(?:(?:[a-z]+ly|further|also|not)\s+)?"
    rf"(?!(?:{'|'.join(sorted(_NOT_VERBS))})\b)[a-z][a-z-]+\b"
)
_RELATIVE = re.compile(r"\s+(?:that|which|who|whose|wishing|in a position)\b.*$", re.DOTALL)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as well as)\s+")
_ADVERBIAL = words(
    "in within as through upon where when if inter including on with for by from at under "
    "after before subject pursuant consistent taking bearing especially particularly "
    "notably while without"
)
_DETERMINERS = words(
    "the all other relevant interested respective its their also further again both each "
    "every appropriate competent"
)
_NOT_AGENTS = words(
    "efforts effort work initiative initiatives activities participation commitment "
    "cooperation establishment development use continuation role contribution "
    "contributions support holding provision adoption implementation progress steps "
    "measures"
)
_PRONOUNS = frozenset(("him", "her", "it", "them"))

_Verbs = tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, MandateKind]]
_Clause = tuple[MandateKind, str, int, str, int]
_PATTERNS: dict[int, tuple[Gazetteer, _Verbs]] = {}


def find_mandates(
    key: str,
    text: str,
    spans: list[Span],
    gazetteer: Gazetteer,
    issuer: Issuer,
    list_items: tuple[str, ...] = (),
) -> list[Mandate]:
    """The mandates an operative paragraph (or sub-paragraph) ``text`` gives.

    ``list_items`` are the texts of its sub-paragraphs, which state the task when the
    addressee is followed by a colon ("Requests the Secretary-General: (a) to …").
    """
    mandates: list[Mandate] = []
    for kind, addressee_text, addressee_offset, task, task_offset in _clauses(
        text, list_items, _verbs(gazetteer)
    ):
        report_to, due_session, due_year = reporting_of(
            task, text, task_offset, spans, issuer, gazetteer
        )
        previous = [m for m in mandates if m.paragraph == key]
        for name, entity_id in _addressees(
            addressee_text, addressee_offset, text, spans, gazetteer, previous
        ):
            mandates.append(
                Mandate(
                    paragraph=key,
                    kind=kind,
                    addressee=name,
                    task=task,
                    addressee_id=entity_id,
                    report_to=report_to.name if report_to else None,
                    report_to_id=report_to.id if report_to else None,
                    due_session=due_session,
                    due_year=due_year,
                )
            )
    return mandates


def _clauses(text: str, list_items: tuple[str, ...], verbs: _Verbs) -> tuple[_Clause, ...]:
    """Each clause of ``text`` that gives a mandate: its kind, the words naming the
    addressees and where they start, and the task and where it starts."""
    pattern, lower_pattern, clause_start, kinds = verbs
    found = _find_verbs(pattern, lower_pattern, text)
    matches = [m for m in found if _at_clause_start(text, m.start())]
    clauses: list[_Clause] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        nominal = match.group("nominal")
        kind = _NOMINAL_KIND[nominal.lower()] if nominal else kinds[_phrase_key(match.group())]
        clause = text[match.end() : end]
        boundary = clause_start.search(clause)
        if boundary:
            clause = clause[: boundary.start()]
        infinitive = _infinitive(clause)
        if infinitive:
            addressee_text = clause[: infinitive.start()]
            task = _clean_task(clause[infinitive.start() :])
            if clause.rstrip().endswith(":") and list_items:
                task += ": " + "; ".join(item.rstrip(" ;.:") for item in list_items)
        elif clause.rstrip().endswith(":") and list_items:
            addressee_text = clause.rstrip()[:-1]
            task = "; ".join(item.rstrip(" ;.:") for item in list_items)
        else:
            continue
        if ";" in addressee_text or len(addressee_text.split()) > 30:
            continue
        task_offset = match.end() + (infinitive.start() if infinitive else len(clause))
        clauses.append((kind, addressee_text, match.end(), task, task_offset))
    return tuple(clauses)


def _verbs(gazetteer: Gazetteer) -> _Verbs:
    """The mandate verbs of the lexicon (any case, and lower case only), and where a new
    clause with any finite verb starts."""
    cached = _PATTERNS.get(id(gazetteer))
    if cached and cached[0] is gazetteer:
        return cached[1]
    kinds: dict[str, MandateKind] = {}
    finite: set[str] = set()
    for action in gazetteer.actions.values():
        for phrase in action.phrases:
            if is_finite(phrase):
                finite.update([w for w in _phrase_key(phrase).split() if w not in ADVERBS][:1])
                if action.mandate_kind is not None:
                    kinds[_phrase_key(phrase)] = action.mandate_kind
    verbs = rf"\b(?:{_NOMINAL}|(?:{trie_pattern(kinds)}))\b"
    heads = sorted(w for w in finite if is_finite(w))
    clause = re.compile(rf"[,;]\s+(?:and\s+)?(?:(?:also|further)\s+)?(?:{trie_pattern(heads)})\b")
    found = (re.compile(verbs, re.IGNORECASE), re.compile(verbs), clause, kinds)
    _PATTERNS[id(gazetteer)] = (gazetteer, found)
    return found


def _find_verbs(
    pattern: re.Pattern[str], lower_pattern: re.Pattern[str], text: str
) -> list[re.Match[str]]:
    """The mandate verbs in ``text``: ``pattern`` (case-insensitive) matched against it.

    ``lower_pattern`` (the same, case-sensitive, all in lower case) matched against the
    lower-cased text finds the same spans faster. It is used only where that is exact:
    when lower-casing keeps every offset, and the text lacks the two letters (dotless i,
    long s) that match an ASCII letter only case-insensitively. The matches' text is then in
    lower case, which is all the caller reads of it.
    """
    lowered = text.lower()
    if len(lowered) != len(text) or "\u0131" in text or "\u017f" in text:
        return list(pattern.finditer(text))
    return list(lower_pattern.finditer(lowered))


def _infinitive(clause: str) -> re.Match[str] | None:
    """The infinitive that states the task, skipping those inside a parenthetical.

    In "the Centre, within existing resources, in preparing to provide services …, to
    develop a guide", the task is "to develop"; an infinitive counts when nothing but
    the addressee precedes it, or it follows a comma, or the words since the last
    comma do not open with a preposition.
    """
    first: re.Match[str] | None = None
    for candidate in _INFINITIVE.finditer(clause):  # read no further than needed
        if first is None:
            first = candidate
        before = clause[: candidate.start()]
        if "," not in before:
            return candidate
        since = before.rsplit(",", 1)[1].split()
        if not since or since[0].lower() not in _ADVERBIAL:
            return candidate
    return first


def _phrase_key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


_LINKING_END = re.compile(r"\b(?:and|also|further|but|or)$")
_OPEN_TASK_END = re.compile(r"(?:[,;]\s*(?:and|or)?|\s+and)\s*$")


def _at_clause_start(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return (
        not before
        or before.endswith((",", ";", ":"))
        # The longest linking word has 7 letters: only the end of ``before`` can hold it.
        or _LINKING_END.search(before, max(0, len(before) - 8)) is not None
    )


def _clean_task(task: str) -> str:
    task = " ".join(task.split())
    # Only single spaces are left, so a match has at most 5 characters: only the end of
    # ``task`` can hold it, and there is at most one.
    end = _OPEN_TASK_END.search(task, max(0, len(task) - 8))
    if end:
        task = task[: end.start()]
    return task.rstrip(" ;.,:")


def _addressees(
    text: str,
    offset: int,
    paragraph: str,
    spans: list[Span],
    gazetteer: Gazetteer,
    previous: list[Mandate],
) -> list[tuple[str, str | None]]:
    """(canonical name, id) of each addressee in the noun phrase ``text``."""
    text = _RELATIVE.sub("", _PARENTHESES.sub("", text.rstrip()))
    inside = [s for s in spans if offset <= s.start and s.end <= offset + len(text)]
    parts: list[tuple[int, int]] = []
    cursor = 0
    for separator in _SEPARATOR.finditer(text):
        absolute = offset + separator.start()
        if any(s.start <= absolute < s.end for s in inside):
            continue
        parts.append((cursor, separator.start()))
        cursor = separator.end()
    parts.append((cursor, len(text)))
    found: list[tuple[str, str | None]] = []
    for start, end in parts:
        part = text[start:end].strip(" ,")
        words = part.split()
        if not words:
            continue
        if words[0].lower() in _ADVERBIAL:
            break
        if part.lower() in _PRONOUNS:
            found.extend((m.addressee, m.addressee_id) for m in previous[-1:])
            continue
        resolved = _resolve(part, offset + start, paragraph, spans, gazetteer)
        if resolved and resolved not in found:
            found.append(resolved)
    return found


def _resolve(
    part: str, offset: int, paragraph: str, spans: list[Span], gazetteer: Gazetteer
) -> tuple[str, str | None] | None:
    lead = offset + len(part) - len(part.lstrip())
    core = part.strip()
    words = core.split()
    skipped = 0
    while skipped < len(words) - 1 and words[skipped].lower() in _DETERMINERS:
        skipped += 1
    head_offset = lead + len(" ".join(words[:skipped])) + (1 if skipped else 0)
    span = span_starting_at(spans, paragraph, lead) or span_starting_at(
        spans, paragraph, head_offset
    )
    if span:
        entity = gazetteer.entities[span.ids[0]]
        if entity.kind == "treaty":
            return None  # "States parties to the Convention and the Protocols thereto"
        if len(span.ids) == 1:
            return entity.name, entity.id
    remainder = " ".join(words[skipped:])
    named = gazetteer.entity_named(remainder) or gazetteer.entity_named(core)
    if named:
        return named.name, named.id
    if words[skipped].lower() in _NOT_AGENTS or not words[skipped][:1].isalpha():
        return None
    name = core[4:] if core.lower().startswith("the ") else core
    return name, None
