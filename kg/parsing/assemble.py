"""Stage 6: build the :class:`~kg.model.Resolution` from segments and metadata.

Afterwards every paragraph has its clean text, phrase and action; footnotes are
attached to the paragraph whose marker refers to them; citations, mentions and
mandates are extracted in reading order (so anaphors resolve to what came before);
a quoted draft sits in ``draft`` with its own paragraphs, footnotes, citations,
mentions and mandates; metadata the text lacks is filled from the corpus manifest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.errors import ParseError
from kg.gazetteer import Gazetteer
from kg.model import Citation, Draft, Footnote, Mandate, Mention, Resolution
from kg.parsing.blocks import Segments
from kg.parsing.citations import find_citations
from kg.parsing.entities import Tracker, mentions_in
from kg.parsing.footnotes import take_markers
from kg.parsing.lines import Line, join_parts, strip_markers, tidy
from kg.parsing.mandates import find_mandates
from kg.parsing.metadata import Metadata
from kg.parsing.paragraphs import ParsedPart, build_paragraphs
from kg.parsing.reporting import Issuer


@dataclass(slots=True)
class _Extracted:
    footnotes: list[Footnote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    mandates: list[Mandate] = field(default_factory=list)


def assemble_resolution(
    segments: Segments,
    metadata: Metadata,
    *,
    source: str,
    layout: str,
    gazetteer: Gazetteer,
    supplied: Mapping[str, object] | None,
    warnings: list[str],
    sha256: str | None,
) -> Resolution:
    """Build the resolution.

    Raises:
        ParseError: if the text has no paragraph or no operative paragraph, or if
            neither the text nor the manifest says which body adopted it.
    """
    metadata = _merge(metadata, supplied or {}, gazetteer, warnings)
    if metadata.body is None:
        raise ParseError(
            source,
            'the text does not say which body adopted it (no line such as "The General Assembly,")',
            hint='Add body = "..." for this file to the corpus manifest',
        )
    known = {d.mark for d in segments.footnotes}
    outer = build_paragraphs(segments.blocks, prefix="", known=known, gazetteer=gazetteer)
    _require_operative(outer, segments, source)
    issuer = Issuer(metadata.body_id, metadata.body)
    draft_part: ParsedPart | None = None
    draft_issuer: Issuer | None = None
    if segments.draft is not None:
        draft_part = build_paragraphs(
            segments.draft.blocks, prefix="draft.", known=known, gazetteer=gazetteer
        )
        entity = gazetteer.entity_named(segments.draft.body)
        draft_issuer = Issuer(
            entity.id if entity else None, entity.name if entity else segments.draft.body
        )
    footnotes = _footnotes(segments, outer, draft_part, warnings)
    own = _extract(outer, footnotes, gazetteer, issuer, metadata.symbol, outer_part=True)
    if metadata.report:
        own.citations.insert(0, Citation("document", metadata.report, None, metadata.report))
    draft: Draft | None = None
    recommends_to: tuple[str | None, str | None] = (None, None)
    if segments.draft is not None and draft_part is not None and draft_issuer is not None:
        inner = _extract(
            draft_part, footnotes, gazetteer, draft_issuer, None, outer_part=False, context=issuer
        )
        title = tidy(" ".join(line.text for line in segments.draft.title)).strip('“”" ') or None
        draft = Draft(
            body=draft_issuer.name,
            body_id=draft_issuer.id,
            title=title,
            preamble=tuple(b.paragraph for b in draft_part.preamble),
            operative=tuple(b.paragraph for b in draft_part.operative),
            footnotes=tuple(inner.footnotes),
            citations=tuple(inner.citations),
            mentions=tuple(inner.mentions),
            mandates=tuple(inner.mandates),
        )
        recommends_to = _recommended_to(outer, gazetteer, metadata, draft_issuer)
        warnings.extend(draft_part.warnings)
        if not segments.draft.closed:
            warnings.append("the quoted draft resolution has no closing quotation mark")
    warnings.extend(outer.warnings)
    if metadata.symbol is None:
        warnings.append("the text carries no symbol and the manifest gives none")
    return Resolution(
        source=source,
        format=layout,
        body=metadata.body,
        body_id=metadata.body_id,
        preamble=tuple(b.paragraph for b in outer.preamble),
        operative=tuple(b.paragraph for b in outer.operative),
        symbol=metadata.symbol,
        number=metadata.number,
        title=metadata.title,
        adopted=metadata.adopted,
        distributed=metadata.distributed,
        session=metadata.session,
        agenda_items=metadata.agenda_items,
        report=metadata.report,
        committee=metadata.committee,
        meeting=metadata.meeting,
        footnotes=tuple(own.footnotes),
        citations=tuple(own.citations),
        mentions=tuple(own.mentions),
        mandates=tuple(own.mandates),
        recommends_to=recommends_to[0],
        recommends_to_id=recommends_to[1],
        draft=draft,
        annexes=tuple(_annex_text(annex) for annex in segments.annexes),
        warnings=tuple(dict.fromkeys(warnings)),
        sha256=sha256,
        synthetic=bool((supplied or {}).get("synthetic", False)),
    )


def _annex_text(lines: list[Line]) -> str:
    """An annex as its paragraphs, one per line; wrapped lines rejoined."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        text = strip_markers(line.text)
        previous = paragraphs[-1][-1] if paragraphs[-1] else ""
        ended = previous.endswith((".", ";", ":")) and text[:1].isupper() | text[:1].isdigit()
        if line.kind == "blank" or ended:
            paragraphs.append([])
        if line.kind != "blank":
            paragraphs[-1].append(text)
    return "\n".join(join_parts(p) for p in paragraphs if p)


def _merge(
    metadata: Metadata, supplied: Mapping[str, object], gazetteer: Gazetteer, warnings: list[str]
) -> Metadata:
    """Fill what the text lacks from the manifest; where both speak and differ, the text wins."""
    from dataclasses import replace

    values: dict[str, object] = {}
    for key in ("symbol", "body", "adopted", "session", "title"):
        given = supplied.get(key)
        if given is None:
            continue
        own = getattr(metadata, key)
        if own is None:
            values[key] = given
        elif own != given:
            warnings.append(
                f"the manifest gives {key} {given!r} but the text says {own!r}; kept the text's"
            )
    if "body" in values:
        entity = gazetteer.entity_named(str(values["body"]))
        values["body_id"] = entity.id if entity else None
        values["body"] = entity.name if entity else str(values["body"])
    merged = replace(metadata, **values)  # type: ignore[arg-type]
    warnings.extend(merged.warnings)
    return merged


def _require_operative(part: ParsedPart, segments: Segments, source: str) -> None:
    if not part.all:
        line = segments.opener.no if segments.opener else None
        raise ParseError(
            source,
            "the opening line is not followed by any paragraph",
            line,
            1 if line else None,
            hint='Paragraphs open with a phrase such as "Recalling" or "1. Decides"',
        )
    if not part.operative:
        last = part.preamble[-1].paragraph.line
        raise ParseError(
            source,
            f"the text has {len(part.preamble)} preambular paragraph(s) but no operative paragraph",
            last,
            1 if last else None,
            hint='An operative paragraph opens with a number ("1.") or a verb such as "Decides"',
        )


def _footnotes(
    segments: Segments, outer: ParsedPart, draft: ParsedPart | None, warnings: list[str]
) -> list[Footnote]:
    marks = dict(outer.marks)
    if draft is not None:
        for mark, key in draft.marks.items():
            marks.setdefault(mark, key)
    footnotes: list[Footnote] = []
    seen: dict[str, int] = {}
    for definition in segments.footnotes:
        if definition.mark in seen:
            warnings.append(
                f"line {definition.line}: footnote {definition.mark} is defined twice "
                f"(first at line {seen[definition.mark]})"
            )
        seen.setdefault(definition.mark, definition.line)
        text, _ = take_markers(definition.text, set())
        footnotes.append(Footnote(definition.mark, text, marks.get(definition.mark)))
    for mark, key in marks.items():
        if mark not in seen:
            warnings.append(f"footnote {mark} is referred to in {key} but its text is missing")
    return footnotes


def _extract(
    part: ParsedPart,
    footnotes: list[Footnote],
    gazetteer: Gazetteer,
    issuer: Issuer,
    own_symbol: str | None,
    *,
    outer_part: bool,
    context: Issuer | None = None,
) -> _Extracted:
    """Mentions, citations and mandates of one part, paragraph by paragraph, in order."""
    out = _Extracted()
    before = (context.id,) if context is not None and context.id else ()
    tracker = Tracker(gazetteer, issuer.id, before)
    for built in part.all:
        operative = built.paragraph.part == "operative"
        pieces = [(built.key, built.lead, built.top_items), *((k, t, ()) for k, t in built.items)]
        for key, text, items in pieces:
            spans = tracker.annotate(text)
            out.mentions.extend(mentions_in(key, spans, gazetteer))
            out.citations.extend(
                find_citations(
                    key, text, spans, gazetteer, issuer_id=issuer.id, own_symbol=own_symbol
                )
            )
            if operative:
                out.mandates.extend(find_mandates(key, text, spans, gazetteer, issuer, items))
    for footnote in footnotes:
        in_draft = (footnote.paragraph or "").startswith("draft.")
        if in_draft == outer_part:
            continue
        out.footnotes.append(footnote)
        spans = Tracker(gazetteer, issuer.id).annotate(footnote.text)
        out.citations.extend(
            find_citations(
                footnote.paragraph,
                footnote.text,
                spans,
                gazetteer,
                issuer_id=issuer.id,
                own_symbol=own_symbol,
            )
        )
    return out


def _recommended_to(
    outer: ParsedPart, gazetteer: Gazetteer, metadata: Metadata, draft: Issuer
) -> tuple[str | None, str | None]:
    """The body the draft is recommended to: named after "to"/"by" in the recommending paragraph."""
    if not outer.operative:
        return draft.name, draft.id
    built = outer.operative[-1]
    spans = Tracker(gazetteer, metadata.body_id).annotate(built.lead)
    for span in spans:
        before = built.lead[: span.start].rstrip()
        entity = gazetteer.entities[span.ids[0]]
        if entity.kind == "body" and before.endswith((" to", " to the", " by", " by the")):
            return entity.name, entity.id
    return draft.name, draft.id
