"""A readable summary of a parsed resolution, for ``kg parse`` without ``--json``."""

from __future__ import annotations

import textwrap

from kg.model import Mandate, Resolution


def format_summary(resolution: Resolution) -> str:
    """Symbol, body, date, title, paragraph counts and mandates, one document per block."""
    lines = [f"{resolution.source} [{resolution.format}]"]
    rows = [
        ("symbol", resolution.symbol or "(none)"),
        ("body", resolution.body),
        ("adopted", resolution.adopted or "(unknown)"),
    ]
    if resolution.session is not None:
        rows.append(("session", str(resolution.session)))
    if resolution.title:
        rows.append(("title", resolution.title))
    rows.append(
        (
            "paragraphs",
            f"{len(resolution.preamble)} preambular, {len(resolution.operative)} operative; "
            f"{len(resolution.footnotes)} footnote(s), {len(resolution.citations)} citation(s)"
            + (f", {len(resolution.annexes)} annex(es)" if resolution.annexes else ""),
        )
    )
    if resolution.draft is not None:
        draft = resolution.draft
        rows.append(
            (
                "draft",
                f"recommended to the {resolution.recommends_to or draft.body}: "
                f"{len(draft.preamble)} preambular, {len(draft.operative)} operative; "
                f"{len(draft.footnotes)} footnote(s), {len(draft.citations)} citation(s)",
            )
        )
    for label, value in rows:
        wrapped = textwrap.wrap(value, 88) or [""]
        lines.append(f"  {label:<11}{wrapped[0]}")
        lines.extend(f"  {'':<11}{more}" for more in wrapped[1:])
    mandates = list(resolution.mandates) + list(
        resolution.draft.mandates if resolution.draft else ()
    )
    if mandates:
        lines.append("  mandates")
        for mandate in mandates:
            lines.extend(_mandate(mandate))
    return "\n".join(lines)


def _mandate(mandate: Mandate) -> list[str]:
    due = ""
    if mandate.report_to:
        due = f" → {mandate.report_to}"
        if mandate.due_session:
            due += f", session {mandate.due_session}"
        elif mandate.due_year:
            due += f", {mandate.due_year}"
    task = mandate.task if len(mandate.task) <= 84 else mandate.task[:83] + "…"
    head = f"    {mandate.paragraph:<10} {mandate.kind:<14} {mandate.addressee}{due}"
    return [head, f"    {'':<10} {task}"]
