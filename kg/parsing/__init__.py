"""The stages of the resolution parser; :mod:`kg.parse` composes them.

1. ``decode``     bytes → text: encoding, size and binary checks, character clean-up.
2. ``layout``     which rendering the text is (ODS export, PDF text, Markdown, HTML,
                  plain) and its conversion to :class:`~kg.parsing.lines.Line` records.
3. ``noise``      page numbers, job numbers, running headers and separators marked.
4. ``segment``    opening line, paragraphs, sub-paragraphs, footnote blocks, quoted
                  draft, closing lines, annexes and the masthead found.
5. ``metadata``   symbol, body, dates, session, agenda items, report, title read.
6. ``assemble``   paragraphs cleaned and phrased; ``entities``, ``citations`` and
                  ``mandates`` extracted; the :class:`~kg.model.Resolution` built.

No module here builds RDF; reference data arrives as plain dataclasses from
:mod:`kg.gazetteer`.
"""
