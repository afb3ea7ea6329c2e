"""Blocks → paragraphs: clean text, footnote marks, leading phrase, part and sub-paragraphs.

A paragraph is operative once the first numbered paragraph, or the first paragraph
opening with a finite verb ("Decides", "Recommends"), has been met; preambular before.
Sub-paragraphs nest as the genre nests them: (a), (b) … with (i), (ii) … inside a
lettered item; "(i)" right after "(h)" is a letter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from kg.gazetteer import Gazetteer
from kg.model import Paragraph, Part, SubParagraph
from kg.parsing.blocks import Block
from kg.parsing.dates import roman_value
from kg.parsing.footnotes import take_markers
from kg.parsing.lines import join_parts
from kg.parsing.phrases import is_finite, leading_phrase


class Built(NamedTuple):
    """A paragraph of the model with what extraction needs besides it.

    ``lead`` is the text before any sub-paragraph; ``items`` lists every
    sub-paragraph as (key, text) in reading order, nested ones included. A named
    tuple rather than a frozen dataclass: as immutable, and quicker to create.
    """

    paragraph: Paragraph
    key: str
    lead: str
    items: tuple[tuple[str, str], ...]
    top_items: tuple[str, ...]


@dataclass(slots=True)
class ParsedPart:
    """The paragraphs of one resolution (or of its draft) and where marks were seen."""

    preamble: list[Built] = field(default_factory=list)
    operative: list[Built] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def all(self) -> list[Built]:
        return self.preamble + self.operative


def build_paragraphs(
    blocks: list[Block], *, prefix: str, known: set[str], gazetteer: Gazetteer
) -> ParsedPart:
    """Turn blocks into paragraphs; keys carry ``prefix`` ("draft." inside a draft)."""
    result = ParsedPart()
    operative = False
    for block in blocks:
        lead, marks = take_markers(join_parts(block.parts), known, tidied=True)
        phrase, action = leading_phrase(lead, gazetteer)
        if block.number is not None or (phrase and is_finite(phrase)):
            operative = True
        part: Part = "operative" if operative else "preamble"
        siblings = result.operative if operative else result.preamble
        key = f"{prefix}{'op' if operative else 'pp'}{len(siblings) + 1}"
        for mark in marks:
            result.marks.setdefault(mark, key)
        subs, items, top = _items(block, key, known, result.marks)
        text = " ".join([lead, *(_render(sub) for sub in subs)]).strip()
        if not phrase:
            result.warnings.append(
                f"line {block.line}: paragraph {key} does not open with a recognisable phrase"
            )
        elif action is None:
            result.warnings.append(
                f"line {block.line}: the phrase {phrase!r} of {key} is not in the lexicon"
            )
        paragraph = Paragraph(
            part=part,
            order=len(siblings) + 1,
            phrase=phrase,
            text=text,
            number=block.number,
            action=action,
            subparagraphs=subs,
            line=block.line,
        )
        siblings.append(Built(paragraph, key, lead, items, top))
    result.warnings.extend(_numbering(blocks, prefix))
    return result


def _items(
    block: Block, key: str, known: set[str], marks: dict[str, str]
) -> tuple[tuple[SubParagraph, ...], tuple[tuple[str, str], ...], tuple[str, ...]]:
    tree: list[tuple[str, str, list[tuple[str, str]]]] = []
    for item in block.items:
        text, found = take_markers(join_parts(item.parts), known, tidied=True)
        if tree and _nests(item.label, tree[-1][0], [c[0] for c in tree[-1][2]]):
            parent = tree[-1]
            parent[2].append((item.label, text))
            where = f"{key}.{parent[0]}.{item.label}"
        else:
            tree.append((item.label, text, []))
            where = f"{key}.{item.label}"
        for mark in found:
            marks.setdefault(mark, where)
    subs = tuple(
        SubParagraph(label, text, tuple(SubParagraph(lab, txt) for lab, txt in children))
        for label, text, children in tree
    )
    flat: list[tuple[str, str]] = []
    for label, text, children in tree:
        flat.append((f"{key}.{label}", text))
        flat.extend((f"{key}.{label}.{lab}", txt) for lab, txt in children)
    return subs, tuple(flat), tuple(text for _, text, _ in tree)


def _nests(label: str, parent: str, children: list[str]) -> bool:
    """Whether ``label`` is a sub-item of the item ``parent`` rather than its sibling."""
    if children:
        return _follows(children[-1], label)
    if label.isdigit():
        return label == "1" and not parent.isdigit()
    return label == "i" and parent.isalpha() and parent not in ("h", "i") and not _is_roman(parent)


def _follows(previous: str, label: str) -> bool:
    if previous.isdigit() and label.isdigit():
        return int(label) == int(previous) + 1
    a, b = roman_value(previous.upper()), roman_value(label.upper())
    return a is not None and b is not None and b == a + 1


def _is_roman(label: str) -> bool:
    return roman_value(label.upper()) is not None and len(label) > 1


def _render(sub: SubParagraph) -> str:
    return " ".join([f"({sub.label}) {sub.text}", *(_render(s) for s in sub.subparagraphs)])


def _numbering(blocks: list[Block], prefix: str) -> list[str]:
    """Warnings for duplicate, missing or out-of-order operative numbers."""
    warnings: list[str] = []
    seen: dict[int, int] = {}
    previous: int | None = None
    where = "the draft's " if prefix else ""
    for block in blocks:
        if block.number is None:
            continue
        number = int(block.number)
        if number in seen:
            warnings.append(
                f"line {block.line}: {where}operative paragraph number {number} appears twice "
                f"(first at line {seen[number]})"
            )
        elif previous is None and number != 1:
            warnings.append(
                f"line {block.line}: {where}operative paragraphs start at {number}, not 1"
            )
        elif previous is not None and number > previous + 1:
            missing = ", ".join(str(n) for n in range(previous + 1, number))
            warnings.append(
                f"line {block.line}: {where}operative paragraph {number} follows {previous}; "
                f"missing: {missing}"
            )
        elif previous is not None and number < previous:
            warnings.append(
                f"line {block.line}: {where}operative paragraph {number} follows {previous}"
            )
        seen.setdefault(number, block.line)
        previous = number
    return warnings
