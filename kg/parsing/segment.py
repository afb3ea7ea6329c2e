"""Stage 4: find the parts of a resolution among its lines.

Afterwards the text is split into: header lines (before the opening line), the
opening line ("The General Assembly,") and the body it names, the paragraphs as
blocks of text pieces (rejoined across line wraps, page breaks and interrupting
footnote blocks) with their printed numbers, sub-items and first line, footnote
definitions, a quoted draft resolution with its own opening and paragraphs, the
closing lines (meeting, date), annexes, and the text lines after the body (tail).
"""

from __future__ import annotations

import functools
import re

from kg.errors import ParseError
from kg.gazetteer import Gazetteer
from kg.parsing.blocks import (
    NUMBERED,
    SUB,
    Block,
    DraftSegment,
    Item,
    Segments,
    closed,
    ending,
    introduces,
    open_for_items,
    strip_end_marks,
)
from kg.parsing.footnotes import FootnoteDef, match_definition, referenced_marks
from kg.parsing.layout import Layout
from kg.parsing.lines import OPEN_QUOTES, Line
from kg.parsing.openers import ANNEX, CLOSING, match_opener
from kg.parsing.phrases import is_finite, leading_phrase, looks_verbal
from kg.parsing.tail import read_tail

_FIRST_WORD = re.compile(r"^([A-Z][a-z]+(?:-[a-z]+)?)\b")
_NUMBER_ONLY = re.compile(r"^(\d{1,3})\s*[.)]$")
_SECTION = re.compile(r"^(?:[IVXL]{1,5}|[A-H])\.?$")
_PENDING_LIMIT = 3


def segment_lines(lines: list[Line], layout: Layout, gazetteer: Gazetteer, source: str) -> Segments:
    """Split classified lines into the parts of a resolution.

    Footnote lines above the opening line are re-marked as noise in ``lines``.

    Raises:
        ParseError: if the text has neither an opening line such as "The General
            Assembly," nor any paragraph that opens with a known phrase.
    """
    refs = referenced_marks("\n".join(line.text for line in lines if line.kind == "text"))
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
    _header_footnotes(lines, start, reader)
    end = reader.read(lines, start if opener is None else start + 1)
    reader.finish()
    closing, tail, annexes = read_tail(lines, end, reader, inline=reader.inline_text)
    return Segments(
        start=start,
        header=[line for line in lines[:start] if line.kind == "text"],
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


@functools.lru_cache(maxsize=4096)
def _opens_finite(text: str) -> bool:
    """Whether the first words of ``text`` are headed by a finite verb (asked once per line)."""
    return is_finite(" ".join(text.split()[:3]))


def _header_footnotes(lines: list[Line], start: int, reader: _Reader) -> None:
    """Take footnotes above the opening line ("* Reissued for technical reasons.").

    Only marks that cannot be a line number or date qualify (asterisks, daggers,
    explicit superscripts); their lines become noise so no one reads them as a title.
    """
    for index in range(start):
        line = lines[index]
        if line.kind != "text" or line.text[:1].isdigit():
            continue
        found = match_definition(line.text, in_zone=True, referenced=reader.refs)
        if found and not found[0].isdigit():
            reader.footnotes.append((found[0], [found[1]], line.no))
            lines[index] = line.with_kind("noise")


def _find_start(
    lines: list[Line], gazetteer: Gazetteer
) -> tuple[int | None, Line | None, str | None, str]:
    """(index, opener line, body name, text after the opener on its line)."""
    for index, line in enumerate(lines):
        if line.kind == "text":
            found = match_opener(line.text, gazetteer)
            if found:
                return index, line, found[0], found[1]
    for index, line in enumerate(lines):
        if line.kind != "text":
            continue
        numbered = NUMBERED.match(line.text)
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
        self.zone = self.footnote_open = self.blank_before = self.inline_text = False
        self.pending_title: list[Line] = []
        self.pending_number: str | None = None
        self.section_heading = False

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

    def finish(self) -> None:
        """Give back lines held as a draft title when no draft followed them."""
        if self.pending_title and self.blocks:
            self.blocks[-1].last_parts().extend(line.text for line in self.pending_title)
            self.warnings.append(
                f"line {self.pending_title[0].no}: the quoted text after the recommending "
                "paragraph has no opening line; it is kept in that paragraph"
            )
            self.pending_title = []

    def next_mark(self) -> str | None:
        """The mark the next footnote would carry ("3" after "2", "1" for the first)."""
        if not self.footnotes:
            return "1"
        last = self.footnotes[-1][0]
        return str(int(last) + 1) if last.isdigit() else None

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
        if opener and self.in_draft:
            self.warnings.append(f"line {line.no}: a draft inside the draft is read as its text")
            return True
        if opener and self.blocks:
            self.warnings.append(
                f"line {line.no}: another resolution seems to start here; only the first is read"
            )
            return False
        if _NUMBER_ONLY.match(text):
            self.pending_number = _NUMBER_ONLY.match(text).group(1)  # type: ignore[union-attr]
            return True
        if self.pending_number is not None:
            text, self.pending_number = f"{self.pending_number}. {text}", None
        quoted = self.in_draft or self._expects_draft()
        body = text.lstrip(OPEN_QUOTES + " ") if quoted else text
        numbered = NUMBERED.match(body)
        if numbered and self._numbered_start(int(numbered.group("num"))):
            self._start(line, numbered.group("num"), numbered.group("rest").lstrip(OPEN_QUOTES))
            return True
        # After the last operative paragraph, footnotes may follow without a rule.
        zone = self.zone or (not self.in_draft and self._final(self.current))
        found = match_definition(
            text, in_zone=zone, referenced=self.refs, expected=self.next_mark()
        )
        if found:
            self.footnotes.append((found[0], [found[1]], line.no))
            self.zone = self.footnote_open = True
            return True
        if self.footnote_open and self.layout.wrapped and not self._starts_paragraph(body):
            self.footnotes[-1][1].append(text)
            return True
        self.zone = self.footnote_open = False
        return self._paragraph_line(line, body)

    def _paragraph_line(self, line: Line, body: str) -> bool:
        current = self.current
        sub = SUB.match(body)
        if sub and current is not None and open_for_items(current.last_text()):
            current.items.append(Item(sub.group("label"), line.no, [sub.group("rest")]))
            self._check_draft_end()
            return True
        if self._expects_draft() and not self._starts_paragraph(body):
            if len(self.pending_title) < _PENDING_LIMIT:
                self.pending_title.append(line)
                return True
            self.finish()
        if self._introduces_text() and not self._continues_list(body):
            self.inline_text = True
            return False
        if self._section_heading(body, current):
            return True
        ended = current is None or closed(current.last_text())
        if ended and self._starts_paragraph(body):
            if self._final(current) and not self._lexical(body):
                return False
            self._start(line, None, body)
        elif current is None:
            self._start(line, None, body)
        elif self._final(current) and body[:1].isupper():
            return False
        else:
            current.last_parts().append(body)
            self._check_draft_end()
        return True

    def _section_heading(self, body: str, current: Block | None) -> bool:
        """Skip section headings between operative paragraphs ("II", "Technical cooperation")."""
        if current is None or current.number is None or not closed(current.last_text()):
            self.section_heading = False
            return False
        if _SECTION.match(body):
            self.section_heading = True
            return True
        if self.section_heading and not self._starts_paragraph(body) and len(body) < 150:
            self.section_heading = ending(body)[-1:] not in ",;:."
            return self.section_heading
        self.section_heading = False
        return False

    def _start(self, line: Line, number: str | None, text: str) -> None:
        self.current = Block(line.no, number, [text])
        self.target.append(self.current)
        self.section_heading = False
        self._check_draft_end()

    def _numbered_start(self, number: int) -> bool:
        numbers = [int(b.number) for b in self.target if b.number is not None]
        expected = numbers[-1] + 1 if numbers else 1
        if self.current is None or number == expected:
            return True
        return closed(self.current.last_text()) and number <= expected + 3

    def _starts_paragraph(self, body: str) -> bool:
        if NUMBERED.match(body):
            return True
        match = _FIRST_WORD.match(body.lstrip(OPEN_QUOTES))
        if not match:
            return False
        if match.group(1).lower() in self.gazetteer.first_words:
            return True
        if self.layout.wrapped and not self.blank_before:
            return False
        return looks_verbal(match.group(1))

    def _lexical(self, body: str) -> bool:
        """A paragraph start the lexicon knows, numbered if the paragraphs are numbered."""
        if NUMBERED.match(body):
            return True
        numbered = any(b.number is not None for b in self.target)
        return not numbered and leading_phrase(body, self.gazetteer)[1] is not None

    def _final(self, block: Block | None) -> bool:
        """Whether ``block`` ends the operative part: an operative paragraph ending in "."."""
        if block is None or self._expects_draft():
            return False
        operative = block.number is not None or _opens_finite(block.parts[0])
        return operative and ending(block.last_text()).endswith(".")

    def _introduces_text(self) -> bool:
        """Whether the last paragraph adopts a text that follows it ("… the following
        outcome document:"), which then runs to the end like an annex."""
        if self.in_draft or not self.blocks or self.current is not self.blocks[-1]:
            return False
        block = self.blocks[-1]
        return (
            introduces(block.last_text()) and not block.items and "following" in block.raw().lower()
        )

    def _continues_list(self, body: str) -> bool:
        if SUB.match(body):
            return True
        numbered = NUMBERED.match(body)
        numbers = [int(b.number) for b in self.target if b.number is not None]
        return bool(numbered and numbers and int(numbered.group("num")) == numbers[-1] + 1)

    def _expects_draft(self) -> bool:
        if self.draft is not None or not self.blocks:
            return False
        block = self.blocks[-1]
        return introduces(block.last_text()) and "draft" in block.raw().lower()

    def _check_draft_end(self) -> None:
        if not self.in_draft or self.current is None or self.draft is None:
            return
        parts = self.current.last_parts()
        text = strip_end_marks(parts[-1])
        raw = self.current.raw()
        curly = text.endswith("”") and raw.count("”") > raw.count("“")
        straight = text.endswith('"') and raw.count('"') % 2 == 1
        if curly or straight:
            last = parts[-1]
            quote = last.rfind(text[-1])
            last = last[:quote] + last[quote + 1 :]
            if last.rstrip().endswith("\u2019") and raw.count("\u2019") > raw.count("\u2018"):
                quote = last.rfind("\u2019")  # the end of a draft quoted inside the draft
                last = last[:quote] + last[quote + 1 :]
            parts[-1] = last
            self.draft.closed = True
            self.current = self.blocks[-1]

    def _annex(self, text: str) -> bool:
        return bool(ANNEX.match(text)) and any(b.number for b in self.blocks)
