"""Stage 2: recognise the rendering of a text and turn it into :class:`Line` records.

Afterwards markup is gone: Markdown emphasis and headings, HTML tags and entities.
Explicit footnote markers (``<sup>1</sup>``, ``¹``) are wrapped in
:data:`~kg.parsing.lines.MARK_OPEN`/``MARK_CLOSE``; horizontal rules become ``---``
lines; headings carry ``heading=True``. Each line keeps its original line number.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kg.parsing.htmltext import html_lines
from kg.parsing.lines import MARK_CLOSE, MARK_OPEN, Line, make_line, wrap_superscripts

LAYOUTS = ("ods", "pdf", "markdown", "html", "plain")


@dataclass(frozen=True, slots=True)
class Layout:
    """The rendering recognised, and whether its paragraphs are hard-wrapped over lines."""

    name: str
    wrapped: bool


_HTML = re.compile(
    r"<!doctype html|<(?:html|body|p|div|table|h[1-6]|ul|ol|li|section|article)\b[^>]*>",
    re.IGNORECASE,
)
# "D(?<=\bD)" is "\bD" written so that the search skips ahead to each "D".
_ODS = re.compile(r"<<ODS |D(?<=\bD)istr\.\s*:?\s*(?:GENERAL|LIMITED)\b")
_MASTHEAD = re.compile(r"D(?<=\bD)istr\.\s*:?\s*(?:General|Limited)\b")
_MARKDOWN = re.compile(
    r"\*\*[^*\n]+\*\*|<sup>|^#{1,6} |(?<![\w*])\*[A-Za-z][^*\n]*\*(?![\w*])|^---+\s*$"
    r"|\[[^\]\n]+\]\([^)\n]+\)",
    re.MULTILINE,
)
_LOWER_START = re.compile(r"^\s*[a-z(]")
_OPEN_END = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,")
"""The last characters of a line that runs on into the next."""


def recognise_layout(text: str) -> Layout:
    """Tell which rendering ``text`` is: ``html``, ``ods``, ``markdown``, ``pdf`` or ``plain``.

    ODS exports carry ``<<ODS`` job markers or an "Distr.: General" masthead on
    unwrapped text (or the older "Distr. GENERAL"); PDF text is hard-wrapped.

    >>> recognise_layout("<p>The General Assembly,</p><p>Recalling</p>").name
    'html'
    >>> recognise_layout("**Title**\\n\\n*Recalling* its resolution").name
    'markdown'
    """
    sample = text[:200_000]
    head = sample[:50_000]
    # Each pattern needs a literal; a text without it is not searched.
    if "<" in head and _matches(_HTML, head, 2):
        return Layout("html", False)
    wrapped = _is_wrapped(sample)
    has_distr = "Distr." in sample
    # "<<ODS " is a match of _ODS in itself; its other matches need "Distr.".
    if "<<ODS " in sample or (
        has_distr and (_ODS.search(sample) or (_MASTHEAD.search(sample) and not wrapped))
    ):
        return Layout("ods", wrapped)
    if any(literal in sample for literal in _MARKDOWN_LITERALS) and _matches(_MARKDOWN, sample, 2):
        return Layout("markdown", False)
    return Layout("pdf" if wrapped else "plain", wrapped)


_MARKDOWN_LITERALS = ("*", "#", "<sup>", "---", "](")
"""One of these is in every match of :data:`_MARKDOWN`."""


def _matches(pattern: re.Pattern[str], text: str, count: int) -> bool:
    """Whether ``pattern`` has at least ``count`` non-overlapping matches in ``text``."""
    return sum(1 for _ in itertools.islice(pattern.finditer(text), count)) >= count


def _is_wrapped(text: str) -> bool:
    """True when many lines run on into a next line that starts in lower case."""
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    runs = sum(
        1
        for this, following in itertools.pairwise(lines)
        if this.strip() and this.rstrip()[-1] in _OPEN_END and _LOWER_START.match(following)
    )
    return runs >= 3 and runs * 5 >= len(filled)


def read_lines(text: str, layout: Layout) -> list[Line]:
    """Split ``text`` into lines with the markup of its ``layout`` removed."""
    if layout.name == "html":
        return html_lines(text)
    if layout.name == "markdown":
        return _markdown_lines(text)
    return [make_line(no, _plain(raw)) for no, raw in enumerate(text.split("\n"), start=1)]


_ODS_NOTE = re.compile(r"^\[DU\d*\]")


def _plain(raw: str) -> str:
    if raw.startswith("[DU"):
        raw = _ODS_NOTE.sub("", raw)
    return wrap_superscripts(raw)


_SUP = re.compile(r"<sup>\s*([^<]{1,6}?)\s*</sup>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
# "\*(?<![\w*\\]\*)" is "(?<![\w*\\])\*" written so that the search skips ahead to each
# "*"; the same for "_".
_ITALIC = re.compile(r"\*(?<![\w*\\]\*)(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])")
_UNDERSCORE_ITALIC = re.compile(r"_(?<![\w\\]_)(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_QUOTE_PREFIX = re.compile(r"^\s*>\s?")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|])")


def _markdown_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    emphasis_open = False
    for no, raw in enumerate(text.split("\n"), start=1):
        if _RULE.match(raw):
            lines.append(make_line(no, "---"))
            continue
        # Each substitution needs a character most lines lack: it runs only where one is.
        line = raw
        if "<" in line:
            line = _SUP.sub(lambda m: MARK_OPEN + m.group(1) + MARK_CLOSE, line)
        line = _plain(line)
        if "<" in line:
            line = _TAG.sub("", line)
        if "](" in line:
            line = _LINK.sub(r"\1", line)
        if ">" in line:
            line = _QUOTE_PREFIX.sub("", line)
        heading = False
        if "#" in line:
            heading = bool(_HEADING.match(line))
            line = _HEADING.sub("", line)
        if "**" in line or "__" in line:
            if _BOLD.fullmatch(line.strip()):
                heading = True
            line = _BOLD.sub(lambda m: m.group(1) or m.group(2), line)
        if "*" in line:
            line = _ITALIC.sub(r"\1", line)
        if "_" in line:
            line = _UNDERSCORE_ITALIC.sub(r"\1", line)
        # Emphasis that spans lines ("*47th plenary meeting" … "21 July 2004*").
        stripped = line.strip()
        if stripped.startswith("*") and len(stripped) > 1 and stripped[1] not in " *":
            line, emphasis_open = stripped[1:], True
            stripped = line.strip()
        if emphasis_open and stripped.endswith("*") and not stripped.endswith("\\*"):
            line, emphasis_open = stripped[:-1], False
        if "\\" in line:
            line = _ESCAPE.sub(r"\1", line)
        lines.append(make_line(no, line, heading))
    return lines
