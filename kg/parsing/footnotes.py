"""Footnotes: recognising their definitions and taking their markers out of the text.

Markers come in several styles: explicit (``<sup>1</sup>``, ``¹``), digits glued to
the text by a plain-text export (``thereto;1``, ``Century,1``), the older ``1/``
style, asterisks, and ``[1]``. Glued digits right after a letter
(``Convention1``) are taken as markers only when a footnote with that mark exists.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from kg.parsing.lines import MARK_CLOSE, MARK_OPEN, MARKER, tidy, words

_EXPLICIT_DEF = re.compile(
    "^" + MARK_OPEN + "([^" + MARK_CLOSE + "]+)" + MARK_CLOSE + r"\s*(\S.*)$"
)
_SLASH_DEF = re.compile(r"^(\d{1,3})/\s+(\S.*)$")
_STAR_DEF = re.compile(r"^(\*{1,3}|[†‡])\s*(\S.*)$")
_BRACKET_DEF = re.compile(r"^\[(\d{1,3})\]\s*(\S.*)$")
_DIGIT_DEF = re.compile(r"^(\d{1,3})\.?\s+(\S.*)$")
_DATE_START = re.compile(
    r"^\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b",
    re.IGNORECASE,
)
_MEETING = re.compile(r"^\d+(?:st|nd|rd|th)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FootnoteDef:
    """A footnote's definition as found: its mark, text and line."""

    mark: str
    text: str
    line: int


def match_definition(
    text: str, *, in_zone: bool, referenced: set[str], expected: str | None = None
) -> tuple[str, str] | None:
    """The (mark, text) of a footnote definition line, or ``None``.

    Explicit superscripts and ``1/`` marks are definitions anywhere. Plain digits and
    asterisks only inside a footnote zone (after a rule, or after the closing lines)
    and only for a mark the text refers to (or the ``expected`` next mark of a
    block), so a wrapped line that starts with a number ("15 November 2000, …") is not
    mistaken for one.
    """
    for pattern in (_EXPLICIT_DEF, _SLASH_DEF):
        match = pattern.match(text)
        if match:
            return match.group(1).strip(), match.group(2)
    if not in_zone:
        return None
    for pattern in (_STAR_DEF, _BRACKET_DEF):
        match = pattern.match(text)
        if match and match.group(1) in referenced:
            return match.group(1), match.group(2)
    match = _DIGIT_DEF.match(text)
    known = match is not None and (match.group(1) in referenced or match.group(1) == expected)
    if match and known and not _looks_like_text(text):
        return match.group(1), match.group(2)
    return None


def _looks_like_text(text: str) -> bool:
    return bool(_DATE_START.match(text) or _MEETING.match(text))


_ABBREVIATIONS = words("no nos vol vols add corr rev amend suppl para paras art p pp sect")
# Each marker pattern opens with a character its match must start with (a digit, a space,
# an asterisk or dagger) and checks what precedes it with a lookbehind placed after that
# character: the regular expression engine then skips ahead to the candidates instead of
# trying the lookbehind at every position of the text. ``(\d(?<=X\d)\d{0,2})`` matches
# exactly what ``(?<=X)(\d{1,3})`` does.
_GLUED_AFTER_PUNCT = re.compile(r"(\d(?<=[A-Za-z)\]”\u2019\"'][,;:.]\d)\d{0,2})(?=\s|$|[)”\u2019])")
_GLUED_AFTER_YEAR = re.compile(r"(\d(?<=(?:19|20)\d\d[,;:.]\d)\d?)(?=\s|$)")
_GLUED_AFTER_QUOTE = re.compile(r"(\d(?<=[”\u2019]\d)\d{0,2})(?=[\s,;.:]|$)")
_GLUED_AFTER_LETTER = re.compile(r"(\d(?<=[a-z]{3}\d)\d{0,2})(?=[\s,;:.)”\u2019]|$)")
_SLASH_MARK = re.compile(r"\s(?<=\S\s)\s*(\d{1,3})/(?=[\s,;.:]|$)")
_STAR_MARK = re.compile(
    r"(\*(?<=[\w.,;:”\u2019)]\*)\*{0,2}|†(?<=[\w.,;:”\u2019)]†)|‡(?<=[\w.,;:”\u2019)]‡))"
    r"(?=[\s,;.:]|$)"
)
_BRACKET_MARK = re.compile(r"\[(\d{1,3})\]")
_DIGIT = re.compile(r"\d")
# For a whole text, searches that skip ahead to a rarer character. _SLASH_REF finds the
# marks _SLASH_MARK finds, but for one at the very start of the text: each "/" after
# one to three digits that follow a space. _GLUED_START finds where a glued mark may
# start: after the character each _GLUED pattern's lookbehind requires.
_SLASH_REF = re.compile(r"/(?=[\s,;.:]|$)(?:(?<=\s(\d)/)|(?<=\s(\d\d)/)|(?<=\s(\d\d\d)/))")
_GLUED_START = re.compile(r"[,;:.”\u2019](?=\d)")


def referenced_marks(text: str) -> set[str]:
    """Marks referred to by unambiguous markers anywhere in ``text``."""
    marks = {m.group(1) for m in MARKER.finditer(text)} if MARK_OPEN in text else set()
    first = len(text) - len(text.lstrip())  # _SLASH_MARK needs a non-space before its space
    for m in _SLASH_REF.finditer(text):
        digits = m.group(1) or m.group(2) or m.group(3)
        if m.start() - len(digits) - 1 > first:
            marks.add(digits)
    # A glued mark starts right after one of the characters _GLUED_START finds, and no
    # match holds another such start, so matching at each start finds what a search would.
    starts = [m.end() for m in _GLUED_START.finditer(text)]
    for pattern in (_GLUED_AFTER_PUNCT, _GLUED_AFTER_QUOTE, _GLUED_AFTER_YEAR):
        for start in starts:
            glued = pattern.match(text, start)
            if glued and not _in_reference(text, glued):
                marks.add(glued.group(1))
    if "*" in text or "†" in text or "‡" in text:
        marks.update(m.group(1) for m in _STAR_MARK.finditer(text))
    if "[" in text:
        marks.update(m.group(1) for m in _BRACKET_MARK.finditer(text))
    return marks


def take_markers(
    text: str, known: AbstractSet[str], *, tidied: bool = False
) -> tuple[str, list[str]]:
    """Remove footnote markers from ``text``; return the clean text and the marks in order.

    ``known`` holds the marks of the footnotes defined in the document; ``tidied`` says
    ``text`` is already the output of :func:`~kg.parsing.lines.tidy`, so a text without
    markers comes back as it is.
    """
    found: list[tuple[int, str]] = []

    def keep(match: re.Match[str], mark: str | None = None) -> str:
        found.append((match.start(), mark or match.group(1)))
        return ""

    # Each pattern runs only on a text holding a character its markers need; taking
    # markers out only deletes characters, so a test made before a step still holds.
    digits = _DIGIT.search(text) is not None
    if MARK_OPEN in text:
        text = MARKER.sub(keep, text)
    if digits:
        # _SLASH_REF finds the "/" of each mark _SLASH_MARK takes, and far more quickly.
        if "/" in text and _SLASH_REF.search(text):
            text = _SLASH_MARK.sub(keep, text)
        # These three need a digit right after a character _GLUED_START finds; taking
        # their marks out leaves no digit after such a character.
        if _GLUED_START.search(text):
            text = _GLUED_AFTER_PUNCT.sub(
                lambda m: m.group() if _in_reference(text, m) else keep(m), text
            )
            if "”" in text or "\u2019" in text:
                text = _GLUED_AFTER_QUOTE.sub(
                    lambda m: m.group() if _in_reference(text, m) else keep(m), text
                )
            text = _GLUED_AFTER_YEAR.sub(keep, text)
    if known:
        if digits:
            text = _GLUED_AFTER_LETTER.sub(
                lambda m: (
                    keep(m) if m.group(1) in known and not _in_reference(text, m) else m.group()
                ),
                text,
            )
        if "*" in text or "†" in text or "‡" in text:
            text = _STAR_MARK.sub(lambda m: keep(m) if m.group(1) in known else m.group(), text)
        if "[" in text:
            text = _BRACKET_MARK.sub(lambda m: keep(m) if m.group(1) in known else m.group(), text)
    if tidied and not found:  # nothing was taken out: the text is unchanged
        return text, []
    return tidy(text), [mark for _, mark in found]


def _in_reference(text: str, match: re.Match[str]) -> bool:
    """True when the digits belong to a symbol or a numbered reference ("No.1", "A/58/Add.1")."""
    start = text.rfind(" ", 0, match.start()) + 1
    token = text[start : match.start()]
    if "/" in token or any(c.isdigit() for c in token):
        return True
    word = token.rstrip(",;:.)]”\u2019\"'").lower()
    return word in _ABBREVIATIONS
