"""The parser on renderings and bodies the seeds do not show (texts in tests/texts/).

Each text was written for these tests in the conventions of its genre: a Security
Council resolution copied from a web page with the site's menus, a Human Rights
Council resolution as an HTML page, an ECOSOC resolution of 1968, a 1995 Assembly
text with an old masthead and ``1/`` footnotes, a 2009 PDF text with a page break and
footnotes inside a paragraph, Markdown with a single unnumbered operative paragraph,
a commission resolution, a recent masthead, and a resolution of 1966.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kg.model import Resolution
from kg.parse import parse_file, parse_resolution

TEXTS = Path(__file__).parent / "texts"


@cache
def parse(name: str) -> Resolution:
    return parse_file(TEXTS / name)


def phrases(resolution: Resolution) -> tuple[list[str], list[str]]:
    return [p.phrase for p in resolution.preamble], [p.phrase for p in resolution.operative]


def mandates(resolution: Resolution) -> list[tuple[str, str, str, str | None, int | None]]:
    return [
        (m.paragraph, m.kind, m.addressee, m.report_to, m.due_session) for m in resolution.mandates
    ]


def test_security_council_web_copy_without_site_chrome() -> None:
    res = parse("sc_web_copy.txt")
    assert (res.format, res.symbol, res.body, res.body_id) == (
        "plain",
        "S/RES/1373 (2001)",
        "Security Council",
        "security-council",
    )
    assert (res.adopted, res.meeting, res.session, res.title) == (
        "2001-09-28",
        "4385th meeting",
        None,
        None,
    )
    assert phrases(res) == (
        [
            "Reaffirming",
            "Reaffirming also",
            "Recognizing",
            "Acting under Chapter VII of the Charter of the United Nations",
        ],
        ["Decides", "Decides also", "Calls upon", "Requests", "Decides"],
    )
    assert res.operative[-1].text == "Decides to remain seized of this matter."
    assert [s.label for s in res.operative[0].subparagraphs] == ["a", "b"]
    assert res.operative[0].subparagraphs[1].text.startswith("Freeze without delay funds")
    assert res.operative[0].text.startswith("Decides that all States shall: (a) Prevent and")
    assert [(c.symbol, c.date) for c in res.citations] == [
        ("S/RES/1269 (1999)", "1999-10-19"),
        ("S/RES/1368 (2001)", "2001-09-12"),
    ]
    assert mandates(res) == [
        ("op3", "call", "all States", None, None),
        ("op4", "request", "Secretary-General", "Security Council", None),
    ]
    assert res.mandates[0].task.startswith("Find ways of intensifying")
    assert res.warnings == ()


def test_human_rights_council_html_page() -> None:
    res = parse("hrc_web_page.html")
    assert (res.format, res.symbol, res.session, res.adopted, res.meeting) == (
        "html",
        "A/HRC/RES/24/13",
        24,
        "2013-09-27",
        "35th meeting",
    )
    assert res.agenda_items == ("3",)
    assert res.title == (
        "Cooperation with States in building national capacity against the trafficking in persons"
    )
    assert phrases(res) == (
        ["Guided by", "Recalling", "Recalling also", "Deeply concerned"],
        ["Welcomes", "Calls upon", "Requests", "Decides"],
    )
    assert [(c.symbol, c.date) for c in res.citations if c.kind == "resolution"] == [
        ("A/RES/60/251", "2006-03-15"),
        ("A/HRC/RES/5/1", "2007-06-18"),
        ("A/HRC/RES/5/2", "2007-06-18"),
    ]
    assert [(f.mark, f.text, f.paragraph) for f in res.footnotes] == [
        ("1", "United Nations, Treaty Series, vol. 2237, No. 39574.", "pp3"),
        ("2", "A/HRC/23/48.", "op1"),
    ]
    assert mandates(res) == [
        ("op2", "call", "States", None, None),
        ("op2", "request", "United Nations Office on Drugs and Crime", None, None),
        ("op3", "request", "Special Rapporteur", "Human Rights Council", 27),
    ]
    assert res.mandates[2].addressee_id is None
    assert ("pp3", "untoc-tip") in {(m.paragraph, m.id) for m in res.mentions}
    assert "OHCHR" not in " ".join(p.text for p in res.paragraphs)


def test_ecosoc_resolution_of_1968() -> None:
    res = parse("ecosoc_1968.txt")
    assert (res.symbol, res.number, res.session, res.adopted, res.meeting) == (
        "E/RES/1296 (XLIV)",
        "1296 (XLIV)",
        44,
        "1968-05-23",
        "1520th plenary meeting",
    )
    assert res.title == "Arrangements for consultation with non-governmental organizations"
    assert phrases(res)[0] == ["Recalling", "Recalling also", "Having considered", "Recognizing"]
    assert {c.symbol for c in res.citations} == {"E/RES/288 (X)"}
    assert res.citations[0].number == "288 (X)"
    assert mandates(res) == [
        ("op2", "request", "Secretary-General", "Economic and Social Council", 46),
        (
            "op3",
            "invitation",
            "non-governmental organizations",
            "Economic and Social Council",
            None,
        ),
    ]


def test_assembly_1995_text_with_old_masthead_slash_footnotes_and_annex() -> None:
    res = parse("ga_1995_ods.txt")
    assert (res.format, res.symbol, res.session, res.agenda_items) == (
        "ods",
        "A/RES/50/145",
        50,
        ("110 (a)",),
    )
    assert (res.adopted, res.distributed) == ("1995-12-21", "1996-02-29")
    assert (res.report, res.committee, res.meeting) == (
        "A/50/635/Add.1",
        "Third Committee",
        "99th plenary meeting",
    )
    assert res.title == (
        "Strengthening of the United Nations crime prevention and criminal justice programme, "
        "particularly its technical cooperation capacity"
    )
    assert [(f.mark, f.text, f.paragraph) for f in res.footnotes] == [
        ("1", "A/50/433.", "pp3"),
        ("2", "See A/CONF.169/16/Rev.1, chap. I.", "pp4"),
    ]
    assert res.preamble[2].text == (
        "Taking note of the report of the Secretary-General on the work of the programme,"
    )
    op2 = res.operative[1]
    assert [(s.label, [c.label for c in s.subparagraphs]) for s in op2.subparagraphs] == [
        ("a", []),
        ("b", ["i", "ii"]),
        ("c", []),
    ]
    assert (
        op2.subparagraphs[1].subparagraphs[1].text
        == "Training courses for criminal justice personnel;"
    )
    assert res.operative[2].text == (
        "Requests the Secretary-General, within existing resources, to strengthen the advisory "
        "services of the programme and to report thereon to the Commission on Crime Prevention "
        "and Criminal Justice at its fifth session;"
    )
    assert mandates(res) == [
        ("op2", "urging", "Member States", None, None),
        ("op2", "encouragement", "Governments", None, None),
        (
            "op3",
            "request",
            "Secretary-General",
            "Commission on Crime Prevention and Criminal Justice",
            5,
        ),
        ("op4", "request", "Secretary-General", "General Assembly", 51),
    ]
    assert res.annexes == (
        "ANNEX\nGuidelines for technical cooperation\n"
        "1. Technical cooperation should respond to the needs expressed by requesting States.\n"
        "2. Projects should be evaluated at their completion.",
    )
    assert len(res.operative) == 4
    assert {c.symbol for c in res.citations} >= {"A/RES/46/152", "E/RES/1992/22", "A/50/433"}


def test_assembly_2009_pdf_text_with_page_break_and_footnotes_inside_a_paragraph() -> None:
    res = parse("ga_2009_pdf.txt")
    assert (res.format, res.symbol, res.adopted, res.distributed) == (
        "pdf",
        "A/RES/64/179",
        "2009-12-18",
        "2010-03-26",
    )
    assert res.operative[1].text == (
        "Requests the United Nations Office on Drugs and Crime to continue to provide technical "
        "assistance to Member States, upon request, and invites Member States and other donors to "
        "support the technical assistance activities of the Office;"
    )
    assert res.preamble[1].text.startswith(
        "Welcoming the entry into force of the United Nations Convention against Corruption, and"
    )
    assert res.operative[0].text == (
        "Calls upon States parties to the United Nations Convention against Transnational "
        "Organized Crime and the Protocols thereto to implement them fully;"
    )
    assert [(f.mark, f.text, f.paragraph) for f in res.footnotes] == [
        ("1", "United Nations, Treaty Series, vol. 2349, No. 42146.", "pp2"),
        ("2", "Ibid., vol. 2225, No. 39574.", "op1"),
    ]
    assert [c.date for c in res.citations if c.kind == "resolution"] == [
        "1991-12-18",
        "2005-09-16",
        "2008-12-18",
    ]
    assert mandates(res) == [
        ("op1", "call", "States parties", None, None),
        ("op2", "request", "United Nations Office on Drugs and Crime", None, None),
        ("op2", "invitation", "Member States", None, None),
        ("op2", "invitation", "donors", None, None),
        ("op3", "request", "Secretary-General", "General Assembly", 65),
    ]
    assert phrases(res)[0][2] == "Noting with deep concern"


def test_markdown_with_single_unnumbered_operative_paragraph_and_asterisk_footnote() -> None:
    res = parse("ga_unnumbered.md")
    assert (res.format, res.symbol, res.adopted, res.meeting, res.report) == (
        "markdown",
        "A/RES/60/42",
        "2005-12-08",
        "61st plenary meeting",
        None,
    )
    assert res.title == (
        "Consolidation of the follow-up to the Eleventh United Nations Congress on Crime "
        "Prevention and Criminal Justice"
    )
    assert phrases(res) == (["Recalling", "Having considered"], ["Decides"])
    assert res.operative[0].number is None
    assert [(f.mark, f.paragraph) for f in res.footnotes] == [("*", None), ("1", "pp2")]
    assert res.footnotes[0].text == "Reissued for technical reasons on 3 February 2006."
    assert mandates(res) == [("op1", "request", "Secretary-General", "General Assembly", 61)]


def test_commission_resolution_without_symbol() -> None:
    res = parse("cnd_commission.txt")
    assert (res.symbol, res.number, res.body, res.body_id, res.session) == (
        None,
        "53/4",
        "Commission on Narcotic Drugs",
        "cnd",
        53,
    )
    assert "the text carries no symbol and the manifest gives none" in res.warnings
    assert phrases(res) == (
        ["Recalling", "Noting with concern", "Conscious"],
        ["Invites", "Encourages", "Urges", "Requests"],
    )
    assert mandates(res) == [
        ("op1", "invitation", "Member States", None, None),
        ("op2", "encouragement", "Member States", None, None),
        ("op3", "urging", "Member States", "International Narcotics Control Board", None),
        (
            "op4",
            "request",
            "United Nations Office on Drugs and Crime",
            "Commission on Narcotic Drugs",
            54,
        ),
    ]
    assert "V.10-55102" not in res.operative[2].text + res.operative[3].text
    assert res.citations[0].symbol == "E/RES/2005/25"


def test_recent_masthead_and_opening_line_without_comma() -> None:
    res = parse("ga_2015_masthead.txt")
    assert (res.symbol, res.adopted, res.distributed, res.agenda_items) == (
        "A/RES/70/1",
        "2015-09-25",
        "2015-10-21",
        ("15", "116"),
    )
    assert res.title == "Transforming our world: the 2030 Agenda for Sustainable Development"
    assert phrases(res) == ([], ["Adopts"])
    assert res.operative[0].text.endswith("post-2015 development agenda:")
    assert len(res.annexes) == 1 and "1. We, the Heads of State" in res.annexes[0]
    assert "2/35" not in res.annexes[0] and "15-16301" not in res.annexes[0]


def test_resolution_of_1966_with_roman_session_number() -> None:
    res = parse("ga_1966_covenants.txt")
    assert (res.symbol, res.session, res.adopted, res.meeting) == (
        "A/RES/2200 (XXI)",
        21,
        "1966-12-16",
        "1496th plenary meeting",
    )
    assert res.citations[0].symbol == "A/RES/543 (VI)"
    assert "line 9: the phrase 'Having completed' of pp2 is not in the lexicon" in res.warnings


def test_reissued_text_with_letters_past_h_and_nested_items() -> None:
    res = parse("ga_2007_reissued.txt")
    assert (res.symbol, res.distributed, res.adopted) == (
        "A/RES/61/181",
        "2007-04-12",
        "2006-12-20",
    )
    assert [s.label for s in res.operative[0].subparagraphs] == list("abcdefghij")
    assert [
        (s.label, [c.label for c in s.subparagraphs]) for s in res.operative[1].subparagraphs
    ] == [
        ("a", ["i", "ii"]),
        ("b", []),
    ]
    assert [(f.mark, f.text, f.paragraph) for f in res.footnotes] == [
        ("*", "Reissued for technical reasons.", None)
    ]
    op2 = res.mandates[1]
    assert (op2.addressee, op2.report_to, op2.due_session) == (
        "Secretary-General",
        "General Assembly",
        63,
    )
    assert op2.task.startswith("To continue to provide technical assistance")


def test_inline_text_with_unicode_superscripts_and_straight_quoted_draft() -> None:
    text = (
        "The Commission on Crime Prevention and Criminal Justice,\n\n"
        "Recommends to the Economic and Social Council the approval of the following draft "
        "resolution:\n\n"
        '"The Economic and Social Council,\n\n'
        '"Recalling its resolution 2004/23 of 21 July 2004,\n\n'
        '"Noting the report of the Secretary-General,¹\n\n'
        '"1. Requests the United Nations Office on Drugs and Crime to report to the '
        'Commission at its fifteenth session."\n\n'
        "¹ E/CN.15/2005/2.\n"
    )
    res = parse_resolution(text, "inline.txt")
    assert (res.body, res.recommends_to, res.recommends_to_id) == (
        "Commission on Crime Prevention and Criminal Justice",
        "Economic and Social Council",
        "ecosoc",
    )
    draft = res.draft
    assert draft is not None and draft.body == "Economic and Social Council"
    assert [p.phrase for p in draft.preamble] == ["Recalling", "Noting"]
    assert draft.citations[0].symbol == "E/RES/2004/23"
    assert draft.footnotes[0].paragraph == "draft.pp2"
    assert draft.operative[0].text.endswith("at its fifteenth session.")
    assert [(m.addressee, m.report_to, m.due_session) for m in draft.mandates] == [
        (
            "United Nations Office on Drugs and Crime",
            "Commission on Crime Prevention and Criminal Justice",
            15,
        )
    ]
    assert res.mandates == ()


def test_pdf_text_with_numbers_on_their_own_lines_and_section_headings() -> None:
    text = (
        " The General Assembly,\n\n"
        " Recalling its resolution 62/175 of 18 December 2007 on strengthening the\n"
        "United Nations crime prevention and criminal justice programme,\n\n"
        " 1.\n\n Reaffirms the importance of the programme;\n\n"
        " I\n\n Technical assistance\n\n"
        " 2.\n\n Requests the United Nations Office on Drugs and Crime to continue to\n"
        "provide technical assistance to Member States;\n\n"
        " II\n\n Follow-up\n\n"
        " 3.\n\n Requests the Secretary-General to report to the General Assembly at its\n"
        "sixty-fourth session.\n\n"
        " [Adopted at the 70th plenary meeting, on 18 December 2008, without a vote.]\n"
    )
    res = parse_resolution(text, "sections.txt")
    assert [(p.number, p.text) for p in res.operative] == [
        ("1", "Reaffirms the importance of the programme;"),
        (
            "2",
            "Requests the United Nations Office on Drugs and Crime to continue to provide "
            "technical assistance to Member States;",
        ),
        (
            "3",
            "Requests the Secretary-General to report to the General Assembly at its "
            "sixty-fourth session.",
        ),
    ]
    assert (res.meeting, res.adopted) == ("70th plenary meeting", "2008-12-18")
    assert mandates(res)[-1] == ("op3", "request", "Secretary-General", "General Assembly", 64)


def test_draft_decision_without_opening_line_stays_in_its_paragraph() -> None:
    text = (
        "The Commission on Crime Prevention and Criminal Justice,\n\n"
        "1. Recommends to the Economic and Social Council the adoption of the following draft "
        "decision:\n\n"
        "“The Economic and Social Council decides to hold a thematic discussion at its next "
        "session.”\n\n"
        "15th meeting\n23 April 2010\n"
    )
    res = parse_resolution(text, "decision.txt")
    assert res.draft is None and res.recommends_to is None
    assert res.operative[0].text.endswith(
        "decides to hold a thematic discussion at its next session.”"
    )
    assert res.warnings[0] == (
        "line 5: the quoted text after the recommending paragraph has no opening line; "
        "it is kept in that paragraph"
    )
    assert (res.adopted, res.meeting) == ("2010-04-23", "15th meeting")


def test_draft_quoted_inside_a_draft_is_read_as_its_text() -> None:
    text = (
        "The Commission on Crime Prevention and Criminal Justice,\n\n"
        "Recommends to the Economic and Social Council the approval of the following draft "
        "resolution:\n\n"
        "“The Economic and Social Council,\n\n"
        "“Recalling its resolution 2004/23 of 21 July 2004,\n\n"
        "“Recommends to the General Assembly the adoption of the following draft resolution:\n\n"
        "“\u2018The General Assembly,\n\n"
        "“\u2018Recalling its resolution 58/135 of 22 December 2003,\n\n"
        "“\u20181. Requests the Secretary-General to report at its sixty-first session.\u2019”\n\n"
        "9th meeting\n23 April 2005\n"
    )
    res = parse_resolution(text, "nested.txt")
    draft = res.draft
    assert draft is not None and draft.body == "Economic and Social Council"
    assert [p.phrase for p in draft.preamble + draft.operative] == [
        "Recalling",
        "Recommends",
        "Recalling",
        "Requests",
    ]
    assert draft.operative[-1].text == (
        "Requests the Secretary-General to report at its sixty-first session."
    )
    assert "line 11: a draft inside the draft is read as its text" in res.warnings
    assert res.adopted == "2005-04-23"


def test_html_numbered_list_gives_the_paragraph_numbers() -> None:
    html = (
        "<html><body><nav><a href='/'>Home</a></nav><p>The General Assembly,</p>"
        "<p><i>Recalling</i> its resolution 55/25,</p><ol start='1'><li><i>Welcomes</i> the "
        "report;</li><li><i>Requests</i> the Secretary-General to report to it at its sixtieth "
        "session.</li></ol><footer>Contact</footer></body></html>"
    )
    res = parse_resolution(html, "list.html")
    assert [(p.number, p.phrase) for p in res.operative] == [("1", "Welcomes"), ("2", "Requests")]
    assert mandates(res) == [("op2", "request", "Secretary-General", "General Assembly", 60)]
