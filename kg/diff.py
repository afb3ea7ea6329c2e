"""Word-level differences between two wordings of a paragraph, and their inline form.

Pure text: :mod:`kg.align` diffs each amended pair with :func:`word_diff`, and the
lineage graph stores :func:`format_diff`'s inline form in ``kg:diff`` (deletions in
``[-…-]``, insertions in ``{+…+}``), which :func:`parse_diff` reads back for pages.
:func:`normalise` is the typography-only normalisation both modules compare texts by.

>>> format_diff(word_diff("invites the Centre to finalize", "invites the Office to finalize"))
'invites the [-Centre-] {+Office+} to finalize'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

DiffTag = Literal["equal", "delete", "insert"]

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00ad": "",
        "\u00a0": " ",
    }
)
# A footnote mark glued after final punctuation ("thereto;1") or written as a superscript.
_FOOTNOTE_MARK = re.compile(r"(?<=[A-Za-z)][;:,.])\d{1,2}(?=\s|$)|<sup>\s*\d+\s*</sup>")
# Where a glued footnote mark can start; with a test for "<sup>", a quick search that spares
# most paragraphs the full one (a character class leads the regex engine's scan faster
# than an alternation does).
_FOOTNOTE_START = re.compile(r"[;:,.]\d")
_EDGE_QUOTES = re.compile(r'^"\s*|\s*"$')


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of words in a diff: kept (``equal``), removed (``delete``) or added."""

    tag: DiffTag
    text: str


def normalise(text: str) -> str:
    """Reduce a paragraph to its wording: same typography, no footnote marks, single spaces.

    >>> normalise("  “Requests the  Centre—again;1 ")
    'Requests the Centre-again;'
    """
    return normal_words(text)[0]


def normal_words(text: str) -> tuple[str, list[str]]:
    """:func:`normalise`'s result and its words (split at white space), found in one pass.

    >>> normal_words('"Requests the  Centre')
    ('Requests the Centre', ['Requests', 'the', 'Centre'])
    """
    if not text.isascii():  # ASCII is unchanged by both
        text = unicodedata.normalize("NFKC", text.translate(_TYPOGRAPHY))
    if "<sup>" in text or _FOOTNOTE_START.search(text):
        text = _FOOTNOTE_MARK.sub("", text)
    words = text.split()
    text = " ".join(words)
    if text.count('"') % 2:  # a quotation mark opening or closing a quoted draft
        text = _EDGE_QUOTES.sub("", text)
        words = text.split()
    return text, words


def word_diff(earlier: str, later: str) -> tuple[DiffOp, ...]:
    """The word-level difference from ``earlier`` to ``later`` (words split at white space).

    >>> word_diff("invites the Centre to finalize", "invites the Office to finalize")
    (DiffOp(tag='equal', text='invites the'), DiffOp(tag='delete', text='Centre'), \
DiffOp(tag='insert', text='Office'), DiffOp(tag='equal', text='to finalize'))
    """
    return diff_words(normalise(earlier).split(), normalise(later).split())


def diff_words(a: Sequence[str], b: Sequence[str]) -> tuple[DiffOp, ...]:
    """:func:`word_diff` of two wordings already normalised and split into words.

    >>> format_diff(diff_words(["to", "the", "Centre"], ["to", "the", "Office"]))
    'to the [-Centre-] {+Office+}'
    """
    a, b = tuple(a), tuple(b)  # no copy of the tuples kg.align passes
    if a == b:
        return (DiffOp("equal", " ".join(a)),) if a else ()
    ops: list[tuple[DiffTag, list[str]]] = []

    def add(tag: DiffTag, words: Sequence[str]) -> None:
        if not words:
            return
        if ops and ops[-1][0] == tag:
            ops[-1][1].extend(words)
        else:
            ops.append((tag, list(words)))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    _slide_right(ops)
    return tuple([DiffOp(tag, " ".join(words)) for tag, words in ops])


def _slide_right(ops: list[tuple[DiffTag, list[str]]]) -> None:
    """Move each lone deletion or insertion as far right as the same words allow.

    difflib places an ambiguous block leftmost: "Commends [-the Centre … of-] the United
    Nations …". English puts the article before its noun, so the rightmost placement reads
    as a reader would mark it: "Commends the [-Centre … of the-] United Nations …".
    """
    for n in range(1, len(ops) - 1):
        before, block, after = ops[n - 1], ops[n], ops[n + 1]
        if before[0] != "equal" or after[0] != "equal" or block[0] == "equal":
            continue
        words, following = block[1], after[1]
        while following and words[0] == following[0]:
            before[1].append(words.pop(0))
            words.append(following.pop(0))
    merged: list[tuple[DiffTag, list[str]]] = []
    for tag, words in ops:
        if not words:
            continue
        if merged and merged[-1][0] == tag:
            merged[-1][1].extend(words)
        else:
            merged.append((tag, words))
    ops[:] = merged


def format_diff(ops: Iterable[DiffOp]) -> str:
    """Write a diff inline, deletions as ``[-…-]`` and insertions as ``{+…+}`` (``kg:diff``)."""
    out = []
    for op in ops:
        if op.tag == "delete":
            out.append(f"[-{op.text}-]")
        elif op.tag == "insert":
            out.append(f"{{+{op.text}+}}")
        else:
            out.append(op.text)
    return " ".join(out)


_INLINE = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}")


def parse_diff(text: str) -> tuple[DiffOp, ...]:
    """Read back a diff written by :func:`format_diff`.

    >>> parse_diff("Requests the [-Centre-] {+Office+} to report")[1:3]
    (DiffOp(tag='delete', text='Centre'), DiffOp(tag='insert', text='Office'))
    """
    ops: list[DiffOp] = []
    position = 0
    for match in _INLINE.finditer(text):
        kept = text[position : match.start()].strip()
        if kept:
            ops.append(DiffOp("equal", kept))
        if match.group(1) is not None:
            ops.append(DiffOp("delete", match.group(1)))
        else:
            ops.append(DiffOp("insert", match.group(2)))
        position = match.end()
    rest = text[position:].strip()
    if rest:
        ops.append(DiffOp("equal", rest))
    return tuple(ops)


__all__ = [
    "DiffOp",
    "DiffTag",
    "diff_words",
    "format_diff",
    "normal_words",
    "normalise",
    "parse_diff",
    "word_diff",
]
