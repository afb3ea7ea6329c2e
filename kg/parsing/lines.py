"""The line record every stage after decoding works on, and text helpers they share."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

LineKind = Literal["text", "blank", "noise", "separator"]

MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
"""Private-use characters that wrap an explicit footnote marker (``<sup>1</sup>``, ``¹``)."""

MARKER = re.compile(MARK_OPEN + "([^" + MARK_CLOSE + "]*)" + MARK_CLOSE)

OPEN_QUOTES = "“\"\u2018'«"
CLOSE_QUOTES = "”\"\u2019'»"


class Line(NamedTuple):
    """One line of the text after markup conversion.

    ``no`` is the 1-based line number in the original file (for HTML, the line of the
    element that starts the block), so errors and warnings point into the file.
    ``heading`` marks a line set apart as a heading (Markdown bold or ``#``, HTML
    ``<h1>``…``<h6>`` or an all-bold block): a title candidate.

    A named tuple rather than a frozen dataclass: as immutable, and quicker to create
    for every line of every text.
    """

    no: int
    text: str
    indent: int = 0
    kind: LineKind = "text"
    heading: bool = False

    def with_kind(self, kind: LineKind) -> Line:
        return Line(self.no, self.text, self.indent, kind, self.heading)


def make_line(no: int, raw: str, heading: bool = False) -> Line:
    """A line from raw text: indentation measured, whitespace trimmed, blank recognised."""
    stripped = raw.strip()
    head = raw[: len(raw) - len(raw.lstrip())]
    indent = head.count("\t") * 8 + head.count(" ")
    return Line(no, squeeze(stripped), indent, "text" if stripped else "blank", heading)


def squeeze(text: str) -> str:
    """Collapse runs of spaces and tabs into one space."""
    if "\t" in text or "  " in text:
        # What replacing each run of spaces and tabs by one space gives, but faster.
        if "\t" in text:
            text = text.replace("\t", " ")
        text = " ".join([word for word in text.split(" ") if word])
    return text.strip()


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;:.)\]])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[])\s+")
_SPACED_PUNCT = re.compile(r" [,;:.)\]]")
"""One space before closing punctuation; quick to search for, as it starts with a literal."""


def tidy(text: str) -> str:
    """Normalise spacing in joined text: one space, none before closing punctuation.

    Tidy text is a fixed point: ``tidy(tidy(text)) == tidy(text)``.
    """
    # A printable text has no space but " " (the others are not printable): without
    # double, leading or trailing spaces, it is already what splitting would leave.
    if not text.isprintable() or "  " in text or text.startswith(" ") or text.endswith(" "):
        text = " ".join(text.split())
    # Only single spaces are left, so each pattern needs one of these pairs to match.
    if _SPACED_PUNCT.search(text):
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    if "( " in text or "[ " in text:
        text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    return text


def join_parts(parts: list[str]) -> str:
    """Rejoin the pieces of a paragraph broken over lines.

    A piece ending in a hyphen runs on into the next without a space
    ("capacity-" + "building"), as UN texts hyphenate compounds, not syllables.
    """
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out.endswith("-") and not out.endswith(" -") and part[:1].islower():
            out += part
        elif out:
            out += " " + part
        else:
            out = part
    return tidy(out)


_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def wrap_superscripts(text: str) -> str:
    """Turn superscript digits ("thereto;¹") into explicit footnote markers."""
    if text.isascii():  # most lines; a constant-time test
        return text
    return _SUPERSCRIPT_RUN.sub(
        lambda m: MARK_OPEN + m.group().translate(_SUPERSCRIPT) + MARK_CLOSE, text
    )


def words(text: str) -> frozenset[str]:
    """The set of the space-separated words of ``text`` (for word lists in code)."""
    return frozenset(text.split())


def strip_markers(text: str) -> str:
    """Remove explicit footnote markers."""
    return MARKER.sub("", text)
