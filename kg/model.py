"""The document model: a parsed resolution as frozen, JSON-able dataclasses.

The parser produces it, the mapping turns it into RDF; nothing here knows about
either. Paragraphs are referred to across the model by their *key*: ``pp3`` for
the third preambular paragraph, ``op7`` for operative paragraph 7 (by order),
``op7.a`` for its sub-paragraph (a) and ``op7.a.i`` below that. Inside a draft
resolution the keys are prefixed with ``draft.`` (``draft.op9``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

Part = Literal["preamble", "operative"]
CitationKind = Literal["resolution", "document"]
MentionKind = Literal["treaty", "body"]
MandateKind = Literal["request", "invitation", "encouragement", "urging", "call"]

MANDATE_KINDS: tuple[MandateKind, ...] = (
    "request",
    "invitation",
    "encouragement",
    "urging",
    "call",
)


@dataclass(frozen=True, slots=True)
class SubParagraph:
    """A lettered or numbered item inside a paragraph: ``(a)``, ``(i)``."""

    label: str
    text: str
    subparagraphs: tuple[SubParagraph, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One preambular or operative paragraph.

    ``order`` counts from 1 within its part; ``number`` is the operative number as
    printed ("7"), or ``None`` for preambular and unnumbered paragraphs. ``phrase``
    is the leading phrase as written ("Also requests"); ``action`` its normalised
    clause action ("request"), or ``None`` when the phrase is not in the lexicon.
    ``text`` is the whole paragraph, including the phrase, in plain text.
    """

    part: Part
    order: int
    phrase: str
    text: str
    number: str | None = None
    action: str | None = None
    subparagraphs: tuple[SubParagraph, ...] = ()
    line: int | None = None

    @property
    def key(self) -> str:
        return ("pp" if self.part == "preamble" else "op") + str(self.order)


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote, with the key of the paragraph whose marker refers to it."""

    mark: str
    text: str
    paragraph: str | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """A reference to a resolution or another UN document.

    ``symbol`` is the canonical UN symbol when one can be derived ("A/RES/55/25");
    otherwise ``None`` with ``body_id`` and ``number`` identifying it ("6/1" of the
    Conference of the Parties). ``date`` is ISO when the text gives it.
    """

    kind: CitationKind
    symbol: str | None
    paragraph: str | None
    text: str
    body: str | None = None
    body_id: str | None = None
    number: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A treaty or body named in a paragraph, resolved to a reference-data id."""

    paragraph: str
    kind: MentionKind
    id: str
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Mandate:
    """A task given by an operative paragraph: who must do what, reporting when.

    ``addressee`` is the canonical name ("Secretary-General"), ``addressee_id`` the
    reference-data id ("secretary-general"), ``None`` for an addressee that is not
    in the reference data. ``due_session`` is a number ("sixtieth session" → 60).
    """

    paragraph: str
    kind: MandateKind
    addressee: str
    task: str
    addressee_id: str | None = None
    report_to: str | None = None
    report_to_id: str | None = None
    due_session: int | None = None
    due_year: int | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft resolution quoted inside a resolution that recommends it."""

    body: str
    body_id: str | None
    title: str | None = None
    preamble: tuple[Paragraph, ...] = ()
    operative: tuple[Paragraph, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    citations: tuple[Citation, ...] = ()
    mentions: tuple[Mention, ...] = ()
    mandates: tuple[Mandate, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    """A parsed resolution with its metadata, paragraphs and what they refer to.

    ``source`` is the path as given, ``sha256`` the digest of the file's bytes and
    ``format`` the layout recognised ("ods", "pdf", "markdown", "html", "plain").
    """

    source: str
    format: str
    body: str
    body_id: str | None
    preamble: tuple[Paragraph, ...]
    operative: tuple[Paragraph, ...]
    symbol: str | None = None
    number: str | None = None
    title: str | None = None
    adopted: str | None = None
    distributed: str | None = None
    session: int | None = None
    agenda_items: tuple[str, ...] = ()
    report: str | None = None
    committee: str | None = None
    meeting: str | None = None
    footnotes: tuple[Footnote, ...] = ()
    citations: tuple[Citation, ...] = ()
    mentions: tuple[Mention, ...] = ()
    mandates: tuple[Mandate, ...] = ()
    recommends_to: str | None = None
    recommends_to_id: str | None = None
    draft: Draft | None = None
    annexes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    sha256: str | None = None
    synthetic: bool = False

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return self.preamble + self.operative


def to_json(value: Any) -> Any:
    """Turn a model object (or a tuple of them) into plain JSON-able data.

    >>> to_json(Footnote(mark="1", text="E/CN.15/2003/5.", paragraph="op1"))
    {'mark': '1', 'text': 'E/CN.15/2003/5.', 'paragraph': 'op1'}
    """
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        data = {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, Paragraph):
            data["key"] = value.key
        return data
    return value


__all__ = [
    "MANDATE_KINDS",
    "Citation",
    "CitationKind",
    "Draft",
    "Footnote",
    "Mandate",
    "MandateKind",
    "Mention",
    "MentionKind",
    "Paragraph",
    "Part",
    "Resolution",
    "SubParagraph",
    "to_json",
]
