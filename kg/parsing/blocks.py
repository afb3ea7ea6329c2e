"""The records segmentation fills, and how to tell whether a piece of text has ended."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.parsing.footnotes import FootnoteDef
from kg.parsing.lines import CLOSE_QUOTES, MARK_OPEN, MARKER, Line

NUMBERED = re.compile(
    r"^(?P<num>\d{1,3})\s*[.)]\s+(?P<rest>[“\"\u2018*(]?[A-Z][A-Za-z\u2019'-]+.*)$"
)
"""A numbered paragraph: "1. Decides …", "12) Requests …"."""

SUB = re.compile(r"^\((?P<label>[a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\)\s*(?P<rest>\S.*)$")
"""A sub-paragraph: "(a) …", "(iv) …", "(2) …"."""

_AND_OR_END = re.compile(r"\b(?:and|or)$")
_TRAILING_MARKS = re.compile(r"(?:(?<=[,;:.])\d{1,3}|\s+\d{1,3}/|(?<=[,;:.])\*{1,3})$")


@dataclass(slots=True)
class Item:
    """A sub-paragraph being assembled: its label ("a", "ii") and text pieces."""

    label: str
    line: int
    parts: list[str]


@dataclass(slots=True)
class Block:
    """A paragraph being assembled: its number as printed, text pieces and sub-items."""

    line: int
    number: str | None
    parts: list[str]
    items: list[Item] = field(default_factory=list)

    def last_parts(self) -> list[str]:
        return self.items[-1].parts if self.items else self.parts

    def last_text(self) -> str:
        parts = self.last_parts()
        return parts[-1] if parts else ""

    def raw(self) -> str:
        return " ".join(self.parts + [p for item in self.items for p in item.parts])


@dataclass(slots=True)
class DraftSegment:
    """A draft resolution quoted in a paragraph that recommends it."""

    opener: Line
    body: str
    title: list[Line]
    blocks: list[Block] = field(default_factory=list)
    closed: bool = False


@dataclass(slots=True)
class Segments:
    """The parts of a resolution as segmentation found them.

    ``start`` is the index of the opening line (or of the first paragraph when there
    is none): ``lines[:start]`` is the header.
    """

    start: int
    header: list[Line]
    opener: Line | None
    body: str | None
    blocks: list[Block]
    draft: DraftSegment | None
    footnotes: list[FootnoteDef]
    closing: list[Line]
    tail: list[Line]
    annexes: list[list[Line]]
    warnings: list[str]


def strip_end_marks(text: str) -> str:
    """``text`` without the footnote markers at its end (only the end is examined)."""
    last = text[-1:]
    if not (last.isspace() or last.isdecimal() or last in "/*" or MARK_OPEN in text[-40:]):
        return text  # most pieces: nothing below would change them
    head, tail = text[:-40], text[-40:]
    tail = MARKER.sub("", tail).rstrip()
    # Every trailing mark ends in a digit, "/" or "*"; most pieces end otherwise.
    if tail[-1:].isdecimal() or tail.endswith(("/", "*")):
        tail = _TRAILING_MARKS.sub("", tail).rstrip()
    return head + tail


def ending(text: str) -> str:
    """``text`` without end markers and closing quotes: what its last character says."""
    return strip_end_marks(text).rstrip(CLOSE_QUOTES + " ")


def introduces(text: str) -> bool:
    """Whether a paragraph piece ends with a colon, as one that introduces what follows."""
    return ":" in text and ending(text).endswith(":")  # most pieces hold no colon at all


def closed(text: str) -> bool:
    """Whether a paragraph piece ends as paragraphs end: with , ; : or ."""
    return ending(text).endswith((",", ";", ":", "."))


def open_for_items(text: str) -> bool:
    """Whether a sub-paragraph may follow: after , ; : . or a trailing "and"/"or"."""
    last = ending(text)
    return last.endswith((",", ";", ":", ".")) or bool(_AND_OR_END.search(last))
