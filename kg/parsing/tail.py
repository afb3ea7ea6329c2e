"""What follows the body: closing lines, footnotes, annexes and the rest (masthead, chrome)."""

from __future__ import annotations

import re
from typing import Protocol

from kg.parsing.footnotes import match_definition
from kg.parsing.layout import Layout
from kg.parsing.lines import Line
from kg.parsing.openers import ANNEX, CLOSING

_MASTHEAD = re.compile(r"Distr\.|^Agenda items?\b|\bsession$|^United Nations|<<ODS", re.I)
_DETAIL = re.compile(
    r"^(?:\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},\s+\d{4})\.?$|^\[?Adopted\b", re.I
)


class FootnoteSink(Protocol):
    """Where footnotes found after the body go (the body reader)."""

    layout: Layout
    refs: set[str]
    footnotes: list[tuple[str, list[str], int]]

    def next_mark(self) -> str | None: ...


def read_tail(
    lines: list[Line], start: int, sink: FootnoteSink, *, inline: bool = False
) -> tuple[list[Line], list[Line], list[list[Line]]]:
    """Closing lines, other text lines and annexes after the body; footnotes go to ``sink``.

    With ``inline``, the text right after the body is one the last paragraph adopts
    ("the following outcome document:"); it is kept as an annex.
    """
    closing: list[Line] = []
    tail: list[Line] = []
    annexes: list[list[Line]] = [[]] if inline else []
    zone, footnote_open, after_closing = not inline, False, 0
    for line in lines[start:]:
        if line.kind in ("blank", "noise"):
            footnote_open = False
            if annexes and annexes[-1] and line.kind == "blank" and annexes[-1][-1].kind != "blank":
                annexes[-1].append(line)
            continue
        if line.kind == "separator":
            zone, footnote_open = True, False
            continue
        text = line.text
        if (not annexes or inline) and CLOSING.match(text):
            closing.append(line)
            after_closing, zone = 2, True
            continue
        if after_closing and _DETAIL.match(text):
            closing.append(line)
            after_closing -= 1
            continue
        after_closing = 0
        if ANNEX.match(text):
            annexes.append([line])
            inline = zone = False
            continue
        found = match_definition(
            text, in_zone=zone, referenced=sink.refs, expected=sink.next_mark()
        )
        if found:
            sink.footnotes.append((found[0], [found[1]], line.no))
            footnote_open = True
        elif footnote_open and sink.layout.wrapped:
            sink.footnotes[-1][1].append(text)
        elif annexes and not _MASTHEAD.search(text):
            annexes[-1].append(line)
        else:
            tail.append(line)
    return closing, tail, annexes
