"""How the synthetic resolutions of benchmarks/corpus.py are laid out as text files.

Three of the bundled corpus' renderings, so the real parser meets what it meets in the seeds:
an ODS export (masthead, tab-indented paragraphs, glued footnote markers, job markers and
the distribution block at the end), a PDF extraction (hard-wrapped lines, no masthead,
footnotes lost) and a Markdown rendering (italic phrases, ``<sup>`` markers, footnotes
after ``---``, a quoted draft for a Council resolution that recommends one).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

BODY_NAMES = {
    "ga": "General Assembly",
    "ecosoc": "Economic and Social Council",
    "ccpcj": "Commission on Crime Prevention and Criminal Justice",
}
_REPORT_SYMBOL = re.compile(r"^E/CN\.15/\d{4}/\d+\.$")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_UNITS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]

_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_COMMITTEES = ("Third", "Third", "Third", "Sixth", "Second", "Fifth", "First", "Fourth")


def ordinal_words(number: int) -> str:
    """An ordinal in words as UN texts write sessions, 1 to 99.

    >>> ordinal_words(59), ordinal_words(60), ordinal_words(23)
    ('fifty-ninth', 'sixtieth', 'twenty-third')
    """
    if number < 20:
        return _UNITS[number]
    tens, unit = divmod(number, 10)
    word = _TENS[tens - 2]
    if unit == 0:
        return word[:-1] + "ieth"
    return f"{word}-{_UNITS[unit]}"


def _nth(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


@dataclass(frozen=True, slots=True)
class Piece:
    """A paragraph to reuse: its leading phrase, text and the footnotes it carries."""

    phrase: str
    text: str
    footnotes: tuple[str, ...] = ()


def spoken_date(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {_MONTHS[month - 1]} {year}"


@dataclass(frozen=True, slots=True)
class Text:
    """What one file says, before it is laid out."""

    body: str
    number: str
    date: str
    title: str
    session: int
    preamble: list[Piece]
    operative: list[Piece]
    draft: tuple[list[Piece], list[Piece]] | None = None


def _with_marks(pieces: list[Piece], start: int, mark: str) -> tuple[list[str], list[str]]:
    """Paragraph texts with footnote markers appended, and the footnote texts in order."""
    texts, notes = [], []
    for piece in pieces:
        text = piece.text
        for note in piece.footnotes:
            notes.append(note)
            text += mark.format(start + len(notes) - 1)
        texts.append(text)
    return texts, notes


def _vary_note(note: str, year: int, rng: random.Random) -> str:
    if _REPORT_SYMBOL.match(note):
        return f"E/CN.15/{year}/{rng.randint(2, 20)}."
    return note


def write_ods(t: Text, rng: random.Random, year: int) -> str:
    session = t.session
    adopted = spoken_date(t.date)
    committee = rng.choice(_COMMITTEES)
    pre, notes = _with_marks(t.preamble, 1, "{}")
    ops, more = _with_marks(t.operative, len(notes) + 1, "{}")
    notes += more
    lines = [
        "[DU1]",
        f"Resolution adopted by the General Assembly on {adopted}",
        f"[on the report of the {committee} Committee (A/{session}/{rng.randint(400, 700)})]",
        f"{t.number}.\t{t.title}",
        "",
        "",
        "\tThe General Assembly,",
        *(f"\t{p}" for p in pre),
        *(f"\t{i}.\t{p}" for i, p in enumerate(ops, start=1)),
        "",
        f"{_nth(rng.randint(40, 90))} plenary meeting",
        adopted,
        *(f"{i} {_vary_note(n, year, rng)}" for i, n in enumerate(notes, start=1)),
        f"[DU1]<<ODS JOB NO>>N{year % 100:02d}{rng.randint(10000, 99999)}E<<ODS JOB NO>>",
        f"<<ODS DOC SYMBOL1>>A/RES/{t.number}<<ODS DOC SYMBOL1>>",
        "<<ODS DOC SYMBOL2>><<ODS DOC SYMBOL2>>",
        "_______________",
        "",
        f"United NationsA/RES/{t.number}General AssemblyDistr.: General",
        f"{rng.randint(10, 28)} January {year + 1}{ordinal_words(session).capitalize()} session",
        f"Agenda item {rng.randint(10, 160)}",
        "",
        f"A/RES/{t.number}",
        "",
    ]
    return "\n".join(lines)


def write_pdf(t: Text, rng: random.Random, year: int) -> str:
    """Hard-wrapped lines, no masthead: the manifest supplies the metadata."""
    pre = [p.text for p in t.preamble]  # a PDF extraction loses the footnotes
    ops = [p.text for p in t.operative]
    blocks = ["  The General Assembly, "]
    blocks += [_wrap(" " + p) for p in pre]
    blocks += [_wrap(f" {i}. {p}") for i, p in enumerate(ops, start=1)]
    return "\n\n".join(blocks) + "\n"


def _wrap(text: str, width: int = 84) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) + 1 > width:
            lines.append(line + " ")
            line = ""
        line = f"{line} {word}" if line else word
    lines.append(line + " ")
    return "\n".join(lines)


def write_markdown(t: Text, rng: random.Random, year: int) -> str:
    if t.body == "ecosoc":
        heading = f"ECOSOC Resolution {t.number}\n\n{t.title}"
    else:
        heading = f"Resolution {t.number}\n\n**{t.title}**"
    blocks = [heading, f"*The {BODY_NAMES[t.body]},*"]
    sup = "<sup>{}</sup>"
    notes: list[str] = []
    if t.draft is None:
        pre, notes = _with_marks(t.preamble, 1, sup)
        ops, more = _with_marks(t.operative, len(notes) + 1, sup)
        notes += more
        blocks += [_italic(p, piece) for p, piece in zip(pre, t.preamble, strict=True)]
        blocks += [
            f"{i}. {_italic(p, piece)}"
            for i, (p, piece) in enumerate(zip(ops, t.operative, strict=True), start=1)
        ]
    else:
        preamble, operative = t.draft
        pre, notes = _with_marks(preamble, 1, sup)
        ops, more = _with_marks(operative, len(notes) + 1, sup)
        notes += more
        blocks.append(
            "*Recommends* to the General Assembly the adoption of the following draft resolution:"
        )
        blocks.append("“The General Assembly,")
        blocks += [f"“{p}" for p in pre]
        blocks += [
            f"“{i}. {_italic(p, piece)}"
            for i, (p, piece) in enumerate(zip(ops, operative, strict=True), start=1)
        ]
        blocks[-1] += "”"
    if notes:
        blocks.append("---")
        blocks += [
            f"<sup>{i}</sup> {_vary_note(n, year, rng)}" for i, n in enumerate(notes, start=1)
        ]
    blocks.append(f"*{_nth(rng.randint(10, 50))} plenary meeting\n{spoken_date(t.date)}*")
    return "\n\n".join(blocks) + "\n"


def _italic(text: str, piece: Piece) -> str:
    if not text.startswith(piece.phrase):
        return text
    return f"*{piece.phrase}*{text[len(piece.phrase) :]}"


WRITERS = {"ods": write_ods, "pdf": write_pdf, "markdown": write_markdown}
"""Each layout's writer: the text of one resolution in that layout."""
