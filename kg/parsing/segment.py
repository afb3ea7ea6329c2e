"""Stage 4: find the parts of a resolution among its lines.

Afterwards the text is split into: header lines (before the opening line), the
opening line ("The General Assembly,") and the body it names, the paragraphs as
blocks of text pieces (rejoined across line wraps, page breaks and interrupting
footnote blocks) with their printed numbers, sub-items and first line, footnote
definitions, a quoted draft resolution with its own opening and paragraphs, the
closing lines (meeting, date), annexes, and the text lines after the body (tail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.errors import ParseError
from kg.gazetteer import Gazetteer
from kg.parsing.footnotes import FootnoteDef, match_definition, referenced_marks
from kg.parsing.layout import Layout
from kg.parsing.lines import CLOSE_QUOTES, MARKER, OPEN_QUOTES, Line
from kg.parsing.openers import ANNEX, CLOSING, match_opener
from kg.parsing.phrases import is_finite, leading_phrase, looks_verbal

_NUMBERED = re.compile(
    r"^(?P<num>\d{1,3})\s*[.)]\s+(?P<rest>[“\"\u2018*(]?[A-Z][A-Za-z\u2019'-]+.*)$"
)
_SUB = re.compile(r"^\((?P<label>[a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\)\s*(?P<rest>\S.*)$")
_FIRST_WORD = re.compile(r"^([A-Z][a-z]+(?:-[a-z]+)?)\b")
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
    """What :func:`segment_lines` found; see the module docstring."""

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


def segment_lines(lines: list[Line], layout: Layout, gazetteer: Gazetteer, source: str) -> Segments:
    """Split classified lines into the parts of a resolution.

    Raises:
        ParseError: if the text has neither an opening line such as "The General
            Assembly," nor any paragraph that opens with a known phrase.
    """
    texts = [line for line in lines if line.kind == "text"]
    refs = referenced_marks("\n".join(line.text for line in texts))
    reader = _Reader(layout, gazetteer, refs)
    start, opener, body, rest = _find_start(lines, gazetteer)
    if start is None:
        raise ParseError(
            source,
            'no resolution structure found: no opening line such as "The General Assembly," '
            'and no paragraph that opens with a phrase such as "Recalling" or "1. Decides"',
            hint="Check that the file holds the text of a resolution",
        )
    if opener is None:
        reader.warnings.append(
            f'line {lines[start].no}: no opening line such as "The General Assembly,"; '
            "the text starts with a paragraph"
        )
    elif rest:
        reader.feed(Line(opener.no, rest, opener.indent))
    end = reader.read(lines, start if opener is None else start + 1)
    closing, tail, annexes = _read_tail(lines, end, reader)
    header = [line for line in lines[:start] if line.kind == "text"]
    return Segments(
        start=start,
        header=header,
        opener=opener,
        body=body,
        blocks=reader.blocks,
        draft=reader.draft,
        footnotes=[FootnoteDef(mark, " ".join(parts), no) for mark, parts, no in reader.footnotes],
        closing=closing,
        tail=tail,
        annexes=annexes,
        warnings=reader.warnings,
    )


def _find_start(
    lines: list[Line], gazetteer: Gazetteer
) -> tuple[int | None, Line | None, str | None, str]:
    """(index, opener line, body name, text after the opener on its line)."""
    for index, line in enumerate(lines):
        if line.kind != "text":
            continue
        found = match_opener(line.text, gazetteer)
        if found:
            return index, line, found[0], found[1]
    for index, line in enumerate(lines):
        if line.kind != "text":
            continue
        numbered = _NUMBERED.match(line.text)
        text = numbered.group("rest") if numbered else line.text
        phrase, action = leading_phrase(text, gazetteer)
        if action is not None and len(line.text) > len(phrase) + 10:
            return index, None, None, ""
    return None, None, None, ""


class _Reader:
    """Reads the body line by line, one decision per line."""

    def __init__(self, layout: Layout, gazetteer: Gazetteer, refs: set[str]) -> None:
        self.layout = layout
        self.gazetteer = gazetteer
        self.refs = refs
        self.blocks: list[Block] = []
        self.draft: DraftSegment | None = None
        self.footnotes: list[tuple[str, list[str], int]] = []
        self.warnings: list[str] = []
        self.current: Block | None = None
        self.zone = False
        self.footnote_open = False
        self.blank_before = False
        self.pending_title: list[Line] = []

    @property
    def in_draft(self) -> bool:
        return self.draft is not None and not self.draft.closed

    @property
    def target(self) -> list[Block]:
        return self.draft.blocks if self.draft is not None and self.in_draft else self.blocks

    def read(self, lines: list[Line], start: int) -> int:
        """Feed lines from ``start``; return the index of the first line after the body."""
        for index in range(start, len(lines)):
            line = lines[index]
            if line.kind == "blank":
                self.blank_before, self.footnote_open = True, False
                continue
            if line.kind == "noise":
                self.footnote_open = False
                continue
            if line.kind == "separator":
                self.zone, self.footnote_open = True, False
                continue
            if not self.in_draft and (CLOSING.match(line.text) or self._annex(line.text)):
                return index
            if not self.feed(line):
                return index
            self.blank_before = False
        return len(lines)

    def feed(self, line: Line) -> bool:
        """Take one text line; ``False`` when it lies beyond the end of the body."""
        text = line.text
        opener = match_opener(text, self.gazetteer)
        if opener and self._expects_draft():
            self.draft = DraftSegment(line, opener[0], self.pending_title)
            self.pending_title, self.current = [], None
            if opener[1]:
                self.feed(Line(line.no, opener[1], line.indent))
            return True
        if opener and not self.in_draft and self.blocks:
            self.warnings.append(
                f"line {line.no}: another resolution seems to start here; only the first is read"
            )
            return False
        quoted = text[:1] in OPEN_QUOTES and (self.in_draft or self._expects_draft())
        body = text[1:].lstrip() if quoted else text
        numbered = _NUMBERED.match(body)
        if numbered and self._numbered_start(int(numbered.group("num"))):
            self._start(line, numbered.group("num"), numbered.group("rest"))
            return True
        definition = match_definition(text, in_zone=self.zone, referenced=self.refs)
        if definition:
            self.footnotes.append((definition[0], [definition[1]], line.no))
            self.zone, self.footnote_open = True, True
            return True
        if self.footnote_open and self.layout.wrapped and not self._starts_paragraph(body):
            self.footnotes[-1][1].append(text)
            return True
        self.zone = self.footnote_open = False
        return self._paragraph_line(line, body)

    def _paragraph_line(self, line: Line, body: str) -> bool:
        current = self.current
        sub = _SUB.match(body)
        if sub and current is not None and _open_for_items(_joined(current.last_parts())):
            current.items.append(Item(sub.group("label"), line.no, [sub.group("rest")]))
            self._check_draft_end()
            return True
        if self._expects_draft() and not self._starts_paragraph(body):
            self.pending_title.append(line)
            return True
        closed = current is None or _closed(_joined(current.last_parts()))
        if closed and self._starts_paragraph(body):
            if self._final(current) and not self._lexical(body):
                return False
            self._start(line, None, body)
            return True
        if current is None:
            self._start(line, None, body)
            return True
        if self._final(current) and body[:1].isupper():
            return False
        current.last_parts().append(body)
        self._check_draft_end()
        return True

    def _start(self, line: Line, number: str | None, text: str) -> None:
        self.current = Block(line.no, number, [text])
        self.target.append(self.current)
        self._check_draft_end()

    def _numbered_start(self, number: int) -> bool:
        numbers = [int(b.number) for b in self.target if b.number is not None]
        expected = numbers[-1] + 1 if numbers else 1
        if self.current is None or number == expected:
            return True
        return _closed(_joined(self.current.last_parts())) and number <= expected + 3

    def _starts_paragraph(self, body: str) -> bool:
        match = _FIRST_WORD.match(body.lstrip(OPEN_QUOTES))
        if _NUMBERED.match(body):
            return True
        if not match:
            return False
        if match.group(1).lower() in self.gazetteer.first_words:
            return True
        if self.layout.wrapped and not self.blank_before:
            return False
        return looks_verbal(match.group(1))

    def _lexical(self, body: str) -> bool:
        """A paragraph start the lexicon knows, numbered if the paragraphs are numbered."""
        if _NUMBERED.match(body):
            return True
        numbered = any(b.number is not None for b in self.target)
        return not numbered and leading_phrase(body, self.gazetteer)[1] is not None

    def _final(self, block: Block | None) -> bool:
        """Whether ``block`` ends the operative part: an operative paragraph ending in "."."""
        if block is None or self._expects_draft():
            return False
        text = _joined(block.last_parts())
        operative = block.number is not None or is_finite(" ".join(block.parts[0].split()[:3]))
        return operative and _ending(text).endswith(".")

    def _expects_draft(self) -> bool:
        if self.in_draft or self.draft is not None or not self.blocks:
            return False
        text = _ending(_joined(self.blocks[-1].last_parts()))
        return text.endswith(":") and "draft" in self.blocks[-1].raw().lower()

    def _check_draft_end(self) -> None:
        if not self.in_draft or self.current is None or self.draft is None:
            return
        parts = self.current.last_parts()
        text = _strip_marks(parts[-1])
        raw = self.current.raw()
        curly = text.endswith("”") and raw.count("”") > raw.count("“")
        straight = text.endswith('"') and raw.count('"') % 2 == 1
        if curly or straight:
            cut = text.rstrip()[:-1]
            tail = parts[-1][len(text) :]
            parts[-1] = cut + tail
            self.draft.closed = True
            self.current = self.blocks[-1]

    def _annex(self, text: str) -> bool:
        return bool(ANNEX.match(text)) and any(b.number for b in self.blocks)


def _read_tail(
    lines: list[Line], start: int, reader: _Reader
) -> tuple[list[Line], list[Line], list[list[Line]]]:
    """Closing lines, other text lines and annexes after the body; footnotes go to ``reader``."""
    closing: list[Line] = []
    tail: list[Line] = []
    annexes: list[list[Line]] = []
    zone, footnote_open, after_closing = True, False, 0
    for line in lines[start:]:
        if line.kind in ("blank", "noise"):
            footnote_open = False
            if annexes and line.kind == "blank" and annexes[-1][-1].kind != "blank":
                annexes[-1].append(line)
            continue
        if line.kind == "separator":
            zone, footnote_open = True, False
            continue
        text = line.text
        if not annexes and CLOSING.match(text):
            closing.append(line)
            after_closing = 2
            continue
        if after_closing and _closing_detail(text):
            closing.append(line)
            after_closing -= 1
            continue
        after_closing = 0
        if ANNEX.match(text):
            annexes.append([line])
            zone = False
            continue
        definition = match_definition(text, in_zone=zone, referenced=reader.refs)
        if definition:
            reader.footnotes.append((definition[0], [definition[1]], line.no))
            footnote_open = True
            continue
        if footnote_open and reader.layout.wrapped:
            reader.footnotes[-1][1].append(text)
            continue
        if annexes and not _MASTHEAD.search(text):
            annexes[-1].append(line)
        else:
            tail.append(line)
    return closing, tail, annexes


_MASTHEAD = re.compile(r"Distr\.|^Agenda items?\b|\bsession$|^United Nations|<<ODS", re.I)
_DETAIL = re.compile(
    r"^(?:\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},\s+\d{4})\.?$|^\[?Adopted\b", re.I
)


def _closing_detail(text: str) -> bool:
    return bool(_DETAIL.match(text))


def _joined(parts: list[str]) -> str:
    return parts[-1] if parts else ""


def _strip_marks(text: str) -> str:
    text = MARKER.sub("", text).rstrip()
    return _TRAILING_MARKS.sub("", text).rstrip()


def _ending(text: str) -> str:
    return _strip_marks(text).rstrip(CLOSE_QUOTES + " ")


def _closed(text: str) -> bool:
    return _ending(text).endswith((",", ";", ":", "."))


def _open_for_items(text: str) -> bool:
    ending = _ending(text)
    return ending.endswith((",", ";", ":", ".")) or bool(re.search(r"\b(?:and|or)$", ending))
