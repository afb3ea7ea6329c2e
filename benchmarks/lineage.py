"""Benchmark: the cost of paragraph lineage per resolution as the corpus grows (issue 6).

Generates N synthetic resolutions from the seeds' real paragraphs, grouped into series of
3 to 12 members. Each member re-adopts its predecessor's text the way the seeds do: most
paragraphs carried over, some amended (a few words replaced), some dropped, a few new
ones taken from the seed pool. Titles are the series' subject words (four words of a
lexicon that grows with the number of series, as real subjects do) and five words of
the seeds' titles; symbols and dates vary along each series, and every member cites its
predecessor.

Per size, each divided by N: the work done (title pairs compared, paragraph pairs scored),
which does not depend on the machine, and the CPU time of

- ``detect``: series detection (:func:`kg.series.find_series`) over all N candidates;
- ``align``: alignment of every consecutive pair (:func:`kg.align.align`);

and, unless ``--no-store``, ``store``: :func:`kg.lineage.compute_lineage` end to end on a
real in-memory pyoxigraph store holding the N resolutions (reading, detection, alignment).
Flat per-resolution figures from the small size to the large one mean no step compares
all resolutions or all paragraphs with each other.

    python benchmarks/lineage.py            # N = 1,000 and 20,000
    python benchmarks/lineage.py --quick    # N = 200 and 2,000
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kg.align import Part, Text, align, summary
from kg.ids import BASE_IRI, paragraph_iri, resolution_iri
from kg.lineage import compute_lineage
from kg.parse import parse_file
from kg.resources import corpus_dir
from kg.series import TITLE_THRESHOLD, Candidate, find_series, similar_titles, title_words
from kg.store import open_store

_KG = "https://w3id.org/kg-un/ontology#"
_GA = BASE_IRI + "body/general-assembly"


@dataclass(frozen=True, slots=True)
class Synthetic:
    candidate: Candidate
    texts: tuple[Text, ...]


def seed_pool() -> tuple[list[str], list[str], list[str]]:
    """Preambular texts, operative texts and title words of the bundled seeds."""
    preamble: list[str] = []
    operative: list[str] = []
    words: set[str] = set()
    folder = corpus_dir()
    for path in sorted(folder.glob("*.txt")):
        resolution = parse_file(path)
        texts = [resolution.preamble, resolution.operative]
        if resolution.draft is not None:
            texts += [resolution.draft.preamble, resolution.draft.operative]
        for index, paragraphs in enumerate(texts):
            target = preamble if index % 2 == 0 else operative
            target.extend(p.text for p in paragraphs)
        words |= title_words(resolution.title)
    return sorted(set(preamble)), sorted(set(operative)), sorted(words)


def _pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(6, 10)))


def _amend(text: str, rng: random.Random, words: list[str]) -> str:
    tokens = text.split()
    for _ in range(rng.randint(1, 4)):
        tokens[rng.randrange(len(tokens))] = rng.choice(words)
    return " ".join(tokens)


def generate(n: int, seed: int = 6) -> list[Synthetic]:
    """``n`` synthetic resolutions in series, reproducibly from ``seed``."""
    rng = random.Random(seed)
    preamble, operative, title_pool = seed_pool()
    filler = sorted({w for t in preamble + operative for w in t.split() if w.isalpha()})
    lexicon = [_pseudo_word(rng) for _ in range(max(1000, n))]
    out: list[Synthetic] = []
    series = 0
    while len(out) < n:
        series += 1
        length = min(rng.randint(3, 12), n - len(out))
        subject = rng.sample(lexicon, 4) + rng.sample(title_pool, 5)
        parts: dict[Part, list[str]] = {
            "preamble": rng.sample(preamble, 5),
            "operative": rng.sample(operative, 8),
        }
        previous: str | None = None
        for k in range(length):
            session = 50 + k
            symbol = f"A/RES/{session}/{series}"
            iri = resolution_iri(symbol)
            if k:
                parts = {
                    part: _evolve(texts, pool, rng, filler)
                    for (part, texts), pool in zip(
                        parts.items(), (preamble, operative), strict=True
                    )
                }
            title = " ".join(subject if rng.random() < 0.8 else subject[:-1])
            texts = tuple(
                Text(
                    paragraph_iri(iri, ("pp" if part == "preamble" else "op") + str(i)), part, i, t
                )
                for part, paragraphs in parts.items()
                for i, t in enumerate(paragraphs, start=1)
            )
            candidate = Candidate(
                iri=iri,
                symbol=symbol,
                title=title.capitalize(),
                body=_GA,
                date=f"{1945 + session}-12-{rng.randint(10, 22)}",
                cites=frozenset({previous} if previous else ()),
            )
            out.append(Synthetic(candidate, texts))
            previous = iri
    return out


def _evolve(texts: list[str], pool: list[str], rng: random.Random, words: list[str]) -> list[str]:
    kept: list[str] = []
    for text in texts:
        roll = rng.random()
        if roll < 0.12:
            continue
        kept.append(_amend(text, rng, words) if roll < 0.30 else text)
    for _ in range(rng.randint(0, 3)):
        kept.insert(rng.randint(0, len(kept)), _amend(rng.choice(pool), rng, words))
    return kept or [rng.choice(pool)]


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _ntriples(item: Synthetic) -> str:
    c = item.candidate
    lines = [
        f"<{c.iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{_KG}Resolution> .",
        f"<{c.iri}> <{_KG}symbol> {_literal(c.symbol or '')} .",
        f"<{c.iri}> <{_KG}title> {_literal(c.title or '')}@en .",
        f"<{c.iri}> <{_KG}adoptedBy> <{c.body}> .",
        f'<{c.iri}> <{_KG}adoptionDate> "{c.date}"^^<http://www.w3.org/2001/XMLSchema#date> .',
    ]
    lines += [f"<{c.iri}> <http://data.europa.eu/eli/ontology#cites> <{x}> ." for x in c.cites]
    for t in item.texts:
        kind = "PreambularParagraph" if t.part == "preamble" else "OperativeParagraph"
        lines += [
            f"<{t.id}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{_KG}{kind}> .",
            f"<{t.id}> <{_KG}paragraphOf> <{c.iri}> .",
            f'<{t.id}> <{_KG}order> "{t.order}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            f"<{t.id}> <{_KG}text> {_literal(t.text)} .",
        ]
    return "\n".join(lines) + "\n"


def _scored_pairs(earlier: tuple[Text, ...], later: tuple[Text, ...]) -> int:
    """Paragraph pairs whose similarity :func:`kg.align.align` computes: same part only."""
    return sum(
        sum(t.part == part for t in earlier) * sum(t.part == part for t in later)
        for part in ("preamble", "operative")
    )


def measure(n: int, with_store: bool) -> dict[str, float]:
    """CPU seconds per resolution (``time.process_time``, so other processes do not count)."""
    items = generate(n)
    by_iri = {i.candidate.iri: i.texts for i in items}
    candidates = [i.candidate for i in items]
    started = time.process_time()
    series = find_series(candidates)
    detect = time.process_time() - started
    words = [title_words(c.title) for c in sorted(candidates, key=lambda c: c.iri)]
    _, compared = similar_titles(sorted(candidates, key=lambda c: c.iri), words, TITLE_THRESHOLD)
    started = time.process_time()
    kinds = {"carried-over": 0, "amended": 0, "new": 0, "dropped": 0}
    scored = 0
    for s in series:
        for earlier, later in zip(s.members, s.members[1:], strict=False):
            for kind, count in summary(align(by_iri[earlier], by_iri[later])).items():
                kinds[kind] += count
            scored += _scored_pairs(by_iri[earlier], by_iri[later])
    aligned = time.process_time() - started
    figures = {
        "n": n,
        "series": len(series),
        "titles": compared / n,
        "pairs": scored / n,
        "detect": detect / n,
        "align": aligned / n,
    }
    print(f"N={n}: {len(series)} series; paragraph changes {kinds}")
    if with_store:
        store = open_store(None)
        batch: dict[str, str] = {}
        for item in items:
            batch[item.candidate.iri] = _ntriples(item)
            if len(batch) == 500:
                store.replace_graphs(batch)
                batch = {}
        if batch:
            store.replace_graphs(batch)
        started = time.process_time()
        lineage = compute_lineage(store)
        figures["store"] = (time.process_time() - started) / n
        if len(lineage.series) != len(series):
            raise SystemExit("the store-based run found other series than the pure one")
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 200 and 2,000")
    parser.add_argument("--no-store", action="store_true", help="skip the store-based run")
    args = parser.parse_args(argv)
    sizes = (200, 2_000) if args.quick else (1_000, 20_000)
    measure(50, False)  # warm-up: imports, regular expressions, first allocations
    results = [measure(n, not args.no_store) for n in sizes]
    columns = ["detect", "align"] + ([] if args.no_store else ["store"])
    print(
        f"{'N':>7} {'series':>7} {'titles/res':>11} {'pairs/res':>10} "
        + " ".join(f"{c + ' ms/res':>14}" for c in columns)
    )
    for r in results:
        cells = " ".join(f"{r[c] * 1000:>14.3f}" for c in columns)
        print(
            f"{int(r['n']):>7} {int(r['series']):>7} {r['titles']:>11.1f} {r['pairs']:>10.1f} "
            + cells
        )
    small, large = results
    ratios = " ".join(f"{c}={large[c] / small[c]:.2f}" for c in ["titles", "pairs", *columns])
    print(f"ratio N={int(large['n'])} / N={int(small['n'])} per resolution: {ratios}")
    print("titles/res: title pairs compared; pairs/res: paragraph pairs scored (work done)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
