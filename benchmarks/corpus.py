"""Synthetic resolutions for scale runs (issue 7): the bundled corpus' real paragraphs, recombined.

``generate(n, out_dir, seed)`` writes ``n`` resolution texts and a ``manifest.toml`` that
labels every one of them ``synthetic = true``. The texts are written in three of the real
layouts (an ODS export with masthead and job markers, a PDF extraction whose metadata
comes from the manifest, a Markdown rendering), so the real parser reads them back.

What varies, and how, so the graph has the shape of a real one:

- bodies and symbols: about 70 % General Assembly (``A/RES/{session}/{n}``, December),
  20 % Economic and Social Council (``E/RES/{year}/{n}``, July; one in ten recommends a
  draft that the Assembly adopts later that year), 10 % Commission on Crime Prevention
  and Criminal Justice (``resolution {session}/{n}``, May), over the years up to 2024;
- series: most resolutions re-adopt an earlier one of the same body (a year or two
  before) with the same title: paragraphs carried over, some amended, dropped or added,
  as the seeds' series do; each series' paragraphs are its own (a few content words of
  the seed paragraph replaced), so only members of a series share paragraphs verbatim;
- citations: the predecessor in the series, one to three earlier resolutions chosen in
  proportion to how often they were cited already (a few are cited very often), the real
  resolutions the seeds' paragraphs cite, and documents named in footnotes;
- mandates: the seeds' requests, invitations and encouragements, with addressees
  exchanged and reports due at the session after the resolution's.

Only ``random.Random(seed)`` decides, so a given ``n`` and ``seed`` always give the same
files, byte for byte. Run ``python benchmarks/corpus.py N OUT_DIR [--seed S]``.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kg.manifest import MANIFEST_NAME, find_manifest
from kg.model import Paragraph, Resolution
from kg.parse import parse_file
from kg.resources import corpus_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))

from layouts import BODY_NAMES, WRITERS, Piece, Text, ordinal_words, spoken_date

LAST_YEAR = 2024
SHARES = (("ccpcj", 0.10), ("ecosoc", 0.20))
"""Each body's share of a year's resolutions; the General Assembly has the rest."""
CONTINUE = 0.7
"""Chance that a resolution re-adopts an open series of its body rather than starting one."""
KEEP_REAL_CITATION = 0.15
"""Share of the seeds' citations of real resolutions a copied paragraph keeps."""
DRAFT_SHARE = 0.1
"""Share of Council resolutions that recommend a draft to the Assembly."""

_REQUESTED = (
    "the Secretary-General",
    "the United Nations Office on Drugs and Crime",
    "the Commission on Crime Prevention and Criminal Justice",
    "the Office of Legal Affairs",
)
_ASSEMBLY_CITATION = re.compile(
    r"(?P<lead>(?:\bits|Assembly) resolution )\d{2}/\d{1,3} of \d{1,2} [A-Z][a-z]+ \d{4}"
)
_INVITED = ("Member States", "all States", "States parties", "Governments", "donors")
_ADDRESSEE = re.compile(
    r"^(?P<verb>(?:Also |Further )?(?:[Rr]equests|[Ii]nvites|[Ee]ncourages|[Uu]rges)) "
    r"(?P<who>the Secretary-General|the United Nations Office on Drugs and Crime|the Centre"
    r"|Member States|all States)\b"
)
_DUE = re.compile(
    r"(?P<to>General Assembly|Commission(?: on [A-Z][\w ]+?)?) at its "
    r"(?P<ordinal>[a-z]+(?:-[a-z]+)?) session"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PROTECTED = _words(
    "resolution resolutions session sessions report reports present adopted entitled "
    "annex requests invites encourages urges recommends adoption following draft"
)
_FUNCTION = _words(
    "about above across after against along among around because before behind below "
    "between beyond during except inside since their there these those through "
    "throughout towards under until upon which while whose within without would could "
    "should shall being other every where whether"
)


@dataclass(frozen=True, slots=True)
class SeedPool:
    """The real paragraphs, footnotes and words of the bundled corpus."""

    preamble: tuple[Piece, ...]
    operative: tuple[Piece, ...]
    words: tuple[str, ...]


def seed_pool(folder: Path | None = None) -> SeedPool:
    """Parse the bundled corpus with the real parser and collect what can be recombined.

    Raises:
        ParseError: if a bundled text no longer parses.
    """
    folder = folder or corpus_dir()
    manifest = find_manifest(folder)
    preamble: dict[str, Piece] = {}
    operative: dict[str, Piece] = {}
    for path in sorted(folder.glob("*.txt")):
        resolution = parse_file(path, manifest)
        for paragraphs, prefix in _parts(resolution):
            for paragraph in paragraphs:
                if paragraph.text.startswith("Recommends to the"):
                    continue  # the frame of a quoted draft, written by the generator itself
                piece = _piece(resolution, paragraph, prefix)
                target = preamble if paragraph.part == "preamble" else operative
                target.setdefault(piece.text, piece)
    texts = [p.text for p in (*preamble.values(), *operative.values())]
    words = sorted(
        {w for t in texts for w in re.findall(r"\b[a-z]{5,}\b", t)} - _PROTECTED - _FUNCTION
    )
    return SeedPool(tuple(preamble.values()), tuple(operative.values()), tuple(words))


def _parts(resolution: Resolution) -> list[tuple[tuple[Paragraph, ...], str]]:
    parts = [(resolution.paragraphs, "")]
    if resolution.draft is not None:
        parts.append((resolution.draft.preamble + resolution.draft.operative, "draft."))
    return parts


def _piece(resolution: Resolution, paragraph: Paragraph, prefix: str) -> Piece:
    notes = tuple(
        f.text
        for f in resolution.footnotes
        if f.paragraph == prefix + paragraph.key and not f.text.lower().startswith("ibid")
    )
    return Piece(paragraph.phrase, " ".join(paragraph.text.split()), notes)


@dataclass(frozen=True, slots=True)
class Written:
    """A generated resolution as others cite it."""

    body: str
    number: str
    date: str
    title: str


@dataclass(slots=True)
class Series:
    """Resolutions of one body re-adopting one text, a year or two apart."""

    body: str
    title: list[str]
    preamble: list[Piece]
    operative: list[Piece]
    period: int
    remaining: int
    last_year: int = 0
    last: Written | None = None


@dataclass(slots=True)
class _Generator:
    rng: random.Random
    pool: SeedPool
    written: list[Written] = field(default_factory=list)
    popularity: list[int] = field(default_factory=list)
    open: dict[str, list[Series]] = field(default_factory=dict)
    vocabulary: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.vocabulary = frozenset(self.pool.words)

    # -- text ----------------------------------------------------------------------

    def amend(self, piece: Piece, changes: int) -> Piece:
        """Replace ``changes`` content words after the leading phrase by others of the pool.

        Random words make each series' copy of a seed paragraph its own, as real series'
        paragraphs are; the words the parser reads are left alone."""
        tokens = piece.text.split(" ")
        start = len(piece.phrase.split()) + 1
        slots = [i for i in range(start, len(tokens) - 1) if self.replaceable(tokens, i)]
        for i in self.rng.sample(slots, min(changes, len(slots))):
            tail = tokens[i][len(tokens[i].rstrip(",;.")) :]
            tokens[i] = self.rng.choice(self.pool.words) + tail
        return Piece(piece.phrase, " ".join(tokens), piece.footnotes)

    def replaceable(self, tokens: list[str], i: int) -> bool:
        """A content word outside names ("Convention against Transnational …") and outside
        what the parser reads (report, session, resolution …)."""
        word = tokens[i].rstrip(",;.")
        return (
            word in self.vocabulary
            and tokens[i + 1][:1].islower()
            and not tokens[i - 1][:1].isupper()
            and not tokens[i + 1].startswith("session")
        )

    def readdress(self, piece: Piece) -> Piece:
        match = _ADDRESSEE.match(piece.text)
        if not match or self.rng.random() < 0.5:
            return piece
        verb = match.group("verb").lower()
        choices = _REQUESTED if "requests" in verb else _INVITED
        text = piece.text[: match.start("who")] + self.rng.choice(choices)
        return Piece(piece.phrase, text + piece.text[match.end("who") :], piece.footnotes)

    def fresh(self, pieces: tuple[Piece, ...], count: int) -> list[Piece]:
        chosen = self.rng.sample(pieces, min(count, len(pieces)))
        return [self.amend(self.recite(self.readdress(p)), self.rng.randint(2, 4)) for p in chosen]

    def recite(self, piece: Piece) -> Piece:
        """Most copies of a seed paragraph cite an earlier generated Assembly resolution
        instead of the real one (55/25 …), so no real resolution is cited by most texts."""

        def other(match: re.Match[str]) -> str:
            if self.rng.random() < KEEP_REAL_CITATION:
                return match.group()
            for _ in range(5 if self.written else 0):
                index = self.pick()
                cited = self.written[index]
                if cited.body == "ga":
                    self.popularity.append(index)
                    return f"{match.group('lead')}{cited.number} of {spoken_date(cited.date)}"
            return match.group()

        return Piece(piece.phrase, _ASSEMBLY_CITATION.sub(other, piece.text), piece.footnotes)

    def evolve(self, texts: list[Piece], pieces: tuple[Piece, ...]) -> list[Piece]:
        """The next member's paragraphs: most carried over, some amended, dropped or new."""
        kept: list[Piece] = []
        for piece in texts:
            roll = self.rng.random()
            if roll < 0.10:
                continue
            kept.append(self.amend(piece, self.rng.randint(1, 2)) if roll < 0.28 else piece)
        for piece in self.fresh(pieces, self.rng.randint(0, 2)):
            kept.insert(self.rng.randint(0, len(kept)), piece)
        return kept or self.fresh(pieces, 1)

    # -- series and citations ------------------------------------------------------

    def series_for(self, body: str, year: int) -> Series:
        due = [s for s in self.open.get(body, []) if year - s.last_year >= s.period]
        if due and self.rng.random() < CONTINUE:
            series = due[self.rng.randrange(len(due))]
            series.preamble = self.evolve(series.preamble, self.pool.preamble)
            series.operative = self.evolve(series.operative, self.pool.operative)
            if self.rng.random() < 0.15:
                series.title[self.rng.randrange(len(series.title))] = self.rng.choice(
                    self.pool.words
                )
        else:
            series = Series(
                body,
                title=self.rng.sample(self.pool.words, 5),
                preamble=self.fresh(self.pool.preamble, self.rng.randint(3, 10)),
                operative=self.fresh(self.pool.operative, self.rng.randint(4, 12)),
                period=self.rng.choice((1, 1, 1, 2)),
                remaining=self.rng.randint(2, 20),
            )
            self.open.setdefault(body, []).append(series)
        series.remaining -= 1
        if series.remaining <= 0:
            self.open[body].remove(series)
        series.last_year = year
        return series

    def cited(self) -> list[Written]:
        """Earlier resolutions to cite, more likely the more they were cited already."""
        count = self.rng.choice((0, 1, 1, 1, 2, 2, 3))
        picks = {self.pick() for _ in range(count) if self.written}
        for index in sorted(picks):
            self.popularity.append(index)
        return [self.written[i] for i in sorted(picks)]

    def pick(self) -> int:
        """An earlier resolution: half the time any, half the time by citations so far."""
        if self.rng.random() < 0.5:
            return self.rng.randrange(len(self.written))
        return self.rng.choice(self.popularity)

    def record(self, written: Written) -> None:
        self.popularity.append(len(self.written))
        self.written.append(written)


def _title(words: list[str]) -> str:
    return f"{words[0].capitalize()} {words[1]} of {words[2]} {words[3]} and {words[4]}"


def _citation(speaker: str, phrase: str, cited: list[Written]) -> Piece | None:
    if not cited:
        return None
    own = [c for c in cited if c.body == speaker]
    other = [c for c in cited if c.body != speaker]
    parts: list[str] = []
    if own:
        items = " and ".join(f"{c.number} of {spoken_date(c.date)}" for c in own)
        parts.append(f"its resolution{'s' if len(own) > 1 else ''} {items}")
    for c in other:
        parts.append(f"{BODY_NAMES[c.body]} resolution {c.number} of {spoken_date(c.date)}")
    if len(cited) == 1:
        parts[-1] += f", entitled “{cited[0].title}”"
    return Piece(phrase, f"{phrase} {', and '.join(parts)},")


def _due(text: str, year: int) -> str:
    """Reports fall due at the next session of the body the paragraph reports to."""

    def next_session(match: re.Match[str]) -> str:
        to = match.group("to")
        session = year - 1944 if to == "General Assembly" else year - 1990
        return f"{to} at its {ordinal_words(max(1, min(99, session)))} session"

    return _DUE.sub(next_session, text)


def generate(n: int, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write ``n`` synthetic resolutions and their ``manifest.toml`` into ``out_dir``.

    Returns the text files in name order (the order a build reads them in).

    Raises:
        ValueError: if ``n`` is not positive.
        ParseError: if the bundled corpus no longer parses.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    gen = _Generator(rng, seed_pool())
    years = max(1, min(LAST_YEAR - 1975, n // 40))
    per_year = math.ceil(n / years)
    paths: list[Path] = []
    manifest = [
        "# Synthetic resolutions for scale benchmarks, generated by benchmarks/corpus.py",
        f"# (n = {n}, seed = {seed}) from the bundled corpus' paragraphs. Not real documents.",
        "",
    ]
    for year in range(LAST_YEAR - years + 1, LAST_YEAR + 1):
        count = min(per_year, n - len(paths))
        if count <= 0:
            break
        adoptions: list[tuple[list[Piece], list[Piece], str]] = []
        for body, number, date in _slots(year, count):
            session = year - 1945 if body == "ga" else year - 1991 if body == "ccpcj" else 0
            if body == "ga" and adoptions:
                # the Assembly adopts, later that year, a draft the Council recommended
                preamble, operative, title = adoptions.pop(0)
                text = Text(body, number, date, title, session, preamble, operative)
                series = None
            else:
                series = gen.series_for(body, year)
                title = _title(series.title)
                draft = body == "ecosoc" and rng.random() < DRAFT_SHARE
                speaker = "ga" if draft else body
                citing = [series.last] if series.last else []
                lead = _citation(speaker, "Recalling", citing)
                more = _citation(speaker, "Recalling also", gen.cited())
                preamble = [p for p in (lead, more) if p] + _speaker(speaker, series.preamble)
                operative = [
                    Piece(p.phrase, _due(p.text, year), p.footnotes) for p in series.operative
                ]
                text = Text(body, number, date, title, session, preamble, operative)
                if draft:
                    text = Text(body, number, date, title, session, [], [], (preamble, operative))
                    adoptions.append((preamble, operative, title))
            layout = "markdown" if body != "ga" else "pdf" if rng.random() < 0.1 else "ods"
            writer = WRITERS[layout]
            name = f"{len(paths) + 1:06d}_{body}_{number.replace('/', '-')}.{_suffix(layout)}"
            path = out_dir / name
            path.write_text(writer(text, rng, year), encoding="utf-8")
            paths.append(path)
            manifest += _entry(name, text, layout)
            written = Written(body, number, date, title)
            if series is not None:
                series.last = written
            gen.record(written)
    (out_dir / MANIFEST_NAME).write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return paths


def _suffix(layout: str) -> str:
    return "md" if layout == "markdown" else "txt"


def _speaker(body: str, pieces: list[Piece]) -> list[Piece]:
    """Another body cites the Assembly's resolutions by name, not as "its resolution"."""
    if body == "ga":
        return pieces
    return [
        Piece(
            p.phrase,
            re.sub(r"\b(?:its|their) resolution", "General Assembly resolution", p.text),
            p.footnotes,
        )
        for p in pieces
    ]


def _slots(year: int, count: int) -> list[tuple[str, str, str]]:
    """The year's resolutions in date order: Commission in May, Council in July, Assembly
    from October; each with its number and date."""
    shares = dict(SHARES)
    ccpcj = round(count * shares["ccpcj"]) if year >= 1992 else 0
    ecosoc = round(count * shares["ecosoc"])
    ga = count - ccpcj - ecosoc
    slots: list[tuple[str, str, str]] = []
    for body, total, month, first in (
        ("ccpcj", ccpcj, 5, 10),
        ("ecosoc", ecosoc, 7, 20),
        ("ga", ga, 10, 1),
    ):
        for k in range(1, total + 1):
            if body == "ga":
                # spread over October to December, in number order
                day_of = (k - 1) * 80 // max(1, total)
                month_k, day = 10 + day_of // 27, day_of % 27 + 1
            else:
                month_k, day = month, min(28, first + (k - 1) * 8 // max(1, total))
            number = (
                f"{year - 1945}/{k}"
                if body == "ga"
                else (f"{year}/{k}" if body == "ecosoc" else f"{year - 1991}/{k}")
            )
            slots.append((body, number, f"{year}-{month_k:02d}-{day:02d}"))
    return slots


def _entry(name: str, text: Text, layout: str) -> list[str]:
    lines = [f'["{name}"]', "synthetic = true"]
    if layout == "pdf":
        lines += [
            f'symbol = "A/RES/{text.number}"',
            'body = "General Assembly"',
            f'adopted = "{text.date}"',
            f"session = {text.session}",
            f'title = "{text.title}"',
        ]
    if text.body == "ccpcj":
        lines.append(f"session = {text.session}")
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths = generate(args.n, args.out_dir, args.seed)
    print(f"{len(paths)} synthetic resolutions in {args.out_dir}")


if __name__ == "__main__":
    main()
