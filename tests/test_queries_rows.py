"""Each stored query's exact rows on the bundled corpus (five seeds), read from the texts.

corpus/000 is A/RES/58/135, 001 the Assembly's adoption of the draft of 002 (no symbol,
no date in the text), 002 E/RES/2004/23, 003 A/RES/56/120, 004 a resolution of the
Commission on Crime Prevention and Criminal Justice (no symbol, no date). Clause actions
are those of ontology/reference/actions.ttl ("Mindful" is `aware`), names those of
bodies.ttl; "the Centre" refers to the Centre for International Crime Prevention once
named, "the Office" to UNODC, "the Commission" to the Commission itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from kg.queries import run_query, run_sparql
from kg.resources import corpus_dir
from kg.store import GraphStore
from tests.queries_fixtures import BASE, short

R58 = "resolution/A/RES/58/135"
R56 = "resolution/A/RES/56/120"
E04 = "resolution/E/RES/2004/23"
GA = "body/general-assembly"
SG = "body/secretary-general"
UNODC = "body/unodc"
CCPCJ = "body/ccpcj"
TITLE_2003 = (
    "International cooperation in the fight against transnational organized crime: "
    "assistance to States in capacity-building with a view to facilitating the implementation "
    "of the United Nations Convention against Transnational Organized Crime and the Protocols "
    "thereto"
)
TITLE_2001 = (
    "Action against transnational organized crime: assistance to States in capacity-building "
    "with a view to facilitating the implementation of the United Nations Convention against "
    "Transnational Organized Crime and the Protocols thereto"
)
TITLE_2013 = (
    "Renewed efforts to ensure the effective implementation of the United Nations Convention "
    "against Transnational Organized Crime and the Protocols thereto on the tenth anniversary "
    "of the entry into force of the Convention"
)


@pytest.fixture(scope="module")
def unnamed(corpus_store: GraphStore) -> dict[str, str]:
    """The content-derived IRIs of the two texts without a symbol, by seed number."""
    result = run_sparql(
        corpus_store,
        """PREFIX kg: <https://w3id.org/kg-un/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?file ?resolution WHERE {
          GRAPH ?resolution { ?resolution prov:wasDerivedFrom/kg:sourceFile ?file }
        }""",
    )
    files = {file: iri.removeprefix(BASE) for file, iri in result.values() if file and iri}
    return {"001": files["001_e4a5895366382510.txt"], "004": files["004_995286ed3bee909e.txt"]}


def _rows(store: GraphStore, name: str, **params: str) -> list[tuple[str | None, ...]]:
    return short(run_query(store, name, params).values())


def _undated(unnamed: dict[str, str], rows: Mapping[str, Sequence[Any]]) -> list[Any]:
    """Rows of the two undated texts, which sort by their IRIs."""
    return [row for seed in sorted(rows, key=lambda s: unnamed[s]) for row in rows[seed]]


def test_resolutions_rows(corpus_store: GraphStore, unnamed: dict[str, str]) -> None:
    undated: dict[str, list[Any]] = {
        "001": [(unnamed["001"], None, GA, None, None, "5", "9")],
        "004": [(unnamed["004"], None, CCPCJ, None, TITLE_2013, "17", "8")],
    }
    assert _rows(corpus_store, "resolutions") == [
        *_undated(unnamed, undated),
        (R56, "A/RES/56/120", GA, "2001-12-19", TITLE_2001, "5", "5"),
        (R58, "A/RES/58/135", GA, "2003-12-22", TITLE_2003, "5", "9"),
        (E04, "E/RES/2004/23", "body/ecosoc", "2004-07-21", TITLE_2003, "0", "1"),
    ]


def test_paragraphs_rows(corpus_store: GraphStore) -> None:
    lines = (corpus_dir() / "000_255fffffb051a65e.txt").read_text(encoding="utf-8").splitlines()
    start = lines.index("\tThe General Assembly,") + 1
    texts = [line.strip().split("\t")[-1] for line in lines[start : start + 14]]
    texts[5] = texts[5].removesuffix("1")  # the footnote marker glued to op1 ("thereto;1")
    phrases = [
        ("Recalling", "recall"),
        ("Recalling also", "recall"),
        ("Recalling further", "recall"),
        ("Reaffirming", "reaffirm"),
        ("Reaffirming", "reaffirm"),
        ("Takes note with appreciation", "take-note"),
        ("Welcomes", "welcome"),
        ("Commends", "commend"),
        ("Welcomes", "welcome"),
        ("Also welcomes", "welcome"),
        ("Requests", "request"),
        ("Also requests", "request"),
        ("Requests", "request"),
        ("Also requests", "request"),
    ]
    expected = [
        (f"{R58}/preamble/{i}", "preamble", str(i), None, *phrases[i - 1], texts[i - 1])
        for i in range(1, 6)
    ] + [
        (f"{R58}/operative/{i}", "operative", str(i), str(i), *phrases[i + 4], texts[i + 4])
        for i in range(1, 10)
    ]
    assert _rows(corpus_store, "paragraphs", resolution="A/RES/58/135") == expected
    assert texts[13] == (
        "Also requests the Secretary-General to report on the implementation of the present "
        "resolution in his report on the work of the Centre to be submitted to the General "
        "Assembly at its fifty-ninth session."
    )


def test_mandates_rows_requests_to_unodc(corpus_store: GraphStore, unnamed: dict[str, str]) -> None:
    c13, a04 = unnamed["004"], unnamed["001"]
    undated: dict[str, list[Any]] = {
        "004": [
            (c13, None, f"{c13}/operative/3", UNODC, "request",
             "to keep raising awareness of the crucial relevance of the implementation of the "
             "Convention and the Protocols thereto in countering organized crime, in the light "
             "of the achievements made during the first decade since the entry into force of the "
             "Convention, through advocacy campaigns, as well as outreach to and partnerships "
             "with civil society and the private sector", None, None),
            (c13, None, f"{c13}/operative/4", UNODC, "request",
             "to continue providing legislative and technical assistance in order to promote "
             "universal adherence to and implementation of the Convention and the Protocols "
             "thereto, supporting and complementing national, regional and thematic programmes "
             "and activities based on the needs and priorities of Member States with regard to "
             "combating transnational organized crime", None, None),
            (c13, None, f"{c13}/operative/8", UNODC, "request",
             "to report on the implementation of the present resolution to the Commission at "
             "its twenty-third session", CCPCJ, "23"),
        ],
        "001": [
            (a04, None, f"{a04}/operative/8", UNODC, "request",
             "to continue to assist States, upon request, with capacity-building in the area of "
             "international cooperation in criminal matters, in particular extradition and "
             "mutual legal assistance", None, None),
        ],
    }  # fmt: skip
    rows = _rows(corpus_store, "mandates", addressee="UNODC", kind="request")
    assert rows == _undated(unnamed, undated)


def test_mandates_rows_every_request(corpus_store: GraphStore, unnamed: dict[str, str]) -> None:
    c13, a04 = unnamed["004"], unnamed["001"]
    undated: dict[str, list[Any]] = {
        "004": [(c13, "3", UNODC, None, None), (c13, "4", UNODC, None, None),
                (c13, "8", UNODC, CCPCJ, "23")],
        "001": [(a04, "7", SG, None, None), (a04, "8", UNODC, None, None),
                (a04, "9", SG, GA, "60")],
    }  # fmt: skip
    expected = [
        *_undated(unnamed, undated),
        (R56, "4", SG, None, None),
        (R56, "5", SG, CCPCJ, "11"),
        (R58, "6", "body/cicp", None, None),
        (R58, "7", "body/cicp", None, None),
        (R58, "8", SG, None, None),
        (R58, "9", SG, GA, "59"),
    ]
    rows = _rows(corpus_store, "mandates", kind="request")
    assert {r[4] for r in rows} == {"request"}
    assert [(r[0], r[2].rsplit("/", 1)[-1], r[3], r[6], r[7]) for r in rows if r[2]] == expected


def test_reporting_cycle_rows(corpus_store: GraphStore, unnamed: dict[str, str]) -> None:
    c13, a04 = unnamed["004"], unnamed["001"]
    assert _rows(corpus_store, "reporting-cycle") == [
        (CCPCJ, "11", None, SG, R56, "A/RES/56/120", "2001-12-19", f"{R56}/operative/5",
         "to submit a report on the implementation of the present resolution to the Commission "
         "on Crime Prevention and Criminal Justice at its eleventh session"),
        (CCPCJ, "23", None, UNODC, c13, None, None, f"{c13}/operative/8",
         "to report on the implementation of the present resolution to the Commission at its "
         "twenty-third session"),
        (GA, "59", None, SG, R58, "A/RES/58/135", "2003-12-22", f"{R58}/operative/9",
         "to report on the implementation of the present resolution in his report on the work "
         "of the Centre to be submitted to the General Assembly at its fifty-ninth session"),
        (GA, "60", None, SG, a04, None, None, f"{a04}/operative/9",
         "to report on the implementation of the present resolution in his report on the work "
         "of the United Nations Office on Drugs and Crime to be submitted to the General "
         "Assembly at its sixtieth session"),
    ]  # fmt: skip
    assert [r[4] for r in _rows(corpus_store, "reporting-cycle", session="60")] == [a04]


def test_citations_rows(corpus_store: GraphStore, unnamed: dict[str, str]) -> None:
    c13, a04 = unnamed["004"], unnamed["001"]
    res, doc = "resolution/A/RES/", "document/"
    undated: dict[str, list[Any]] = {
        "004": [
            (c13, None, f"{c13}/preamble/1", f"{res}54/126", "A/RES/54/126", None, "false"),
            (c13, None, f"{c13}/preamble/1", f"{res}55/25", "A/RES/55/25", None, "false"),
            (c13, None, f"{c13}/preamble/1", f"{res}55/255", "A/RES/55/255", None, "false"),
            (c13, None, f"{c13}/preamble/5", f"{res}67/189", "A/RES/67/189", None, "false"),
            (c13, None, f"{c13}/preamble/5", "resolution/cop-untoc/5/5", None, "5/5", "false"),
            (c13, None, f"{c13}/preamble/5", "resolution/cop-untoc/6/1", None, "6/1", "false"),
            (
                c13,
                None,
                f"{c13}/preamble/17",
                f"{doc}CTOC/COP/2012/15",
                "CTOC/COP/2012/15",
                None,
                "false",
            ),
        ],
        "001": [
            (a04, None, f"{a04}/preamble/1", f"{res}55/25", "A/RES/55/25", None, "false"),
            (a04, None, f"{a04}/preamble/2", f"{res}55/255", "A/RES/55/255", None, "false"),
            (a04, None, f"{a04}/preamble/3", R58, "A/RES/58/135", None, "true"),
        ],
    }
    assert _rows(corpus_store, "citations") == [
        (R56, "A/RES/56/120", None, f"{doc}A/56/574", "A/56/574", None, "false"),
        (R56, "A/RES/56/120", f"{R56}/preamble/3", f"{res}55/59", "A/RES/55/59", None, "false"),
        (R56, "A/RES/56/120", f"{R56}/preamble/4", f"{res}55/25", "A/RES/55/25", None, "false"),
        (R58, "A/RES/58/135", None, f"{doc}A/58/499", "A/58/499", None, "false"),
        (R58, "A/RES/58/135", f"{R58}/preamble/1", f"{res}55/25", "A/RES/55/25", None, "false"),
        (R58, "A/RES/58/135", f"{R58}/preamble/2", f"{res}55/255", "A/RES/55/255", None,
         "false"),
        (R58, "A/RES/58/135", f"{R58}/preamble/3", R56, "A/RES/56/120", None, "true"),
        (R58, "A/RES/58/135", f"{R58}/operative/1", f"{doc}E/CN.15/2003/5", "E/CN.15/2003/5",
         None, "false"),
        (R58, "A/RES/58/135", f"{R58}/operative/4", f"{res}57/173", "A/RES/57/173", None,
         "false"),
        (E04, "E/RES/2004/23", f"{E04}/draft/preamble/1", f"{res}55/25", "A/RES/55/25", None,
         "false"),
        (E04, "E/RES/2004/23", f"{E04}/draft/preamble/2", f"{res}55/255", "A/RES/55/255", None,
         "false"),
        (E04, "E/RES/2004/23", f"{E04}/draft/preamble/3", R58, "A/RES/58/135", None, "true"),
        (E04, "E/RES/2004/23", f"{E04}/draft/operative/1", f"{doc}E/CN.15/2004/5",
         "E/CN.15/2004/5", None, "false"),
        *_undated(unnamed, undated),
    ]  # fmt: skip


def test_cited_by_rows(corpus_store: GraphStore, unnamed: dict[str, str]) -> None:
    c13, a04 = unnamed["004"], unnamed["001"]
    undated: dict[str, list[Any]] = {
        "004": [(c13, None, None, f"{c13}/preamble/1", "Recalling")],
        "001": [(a04, None, None, f"{a04}/preamble/1", "Recalling")],
    }
    assert _rows(corpus_store, "cited-by", resolution="A/RES/55/25") == [
        *_undated(unnamed, undated),
        (R56, "A/RES/56/120", "2001-12-19", f"{R56}/preamble/4", "Recalling"),
        (R58, "A/RES/58/135", "2003-12-22", f"{R58}/preamble/1", "Recalling"),
        (E04, "E/RES/2004/23", "2004-07-21", f"{E04}/draft/preamble/1", "Recalling"),
    ]
    assert _rows(corpus_store, "cited-by", resolution="58/135") == [
        (a04, None, None, f"{a04}/preamble/3", "Recalling further"),
        (E04, "E/RES/2004/23", "2004-07-21", f"{E04}/draft/preamble/3", "Recalling further"),
    ]


def test_treaty_mentions_rows(corpus_store: GraphStore, unnamed: dict[str, str]) -> None:
    c13 = unnamed["004"]
    expected = [
        (c13, None, None, None, f"{c13}/preamble/12", "Mindful"),
        (c13, None, None, None, f"{c13}/preamble/13", "Taking into account"),
    ]
    assert _rows(corpus_store, "treaty-mentions", treaty="UNCAC") == expected
    assert _rows(corpus_store, "treaty-mentions", treaty="Convention against Corruption") == (
        expected
    )


def test_action_frequency_rows(corpus_store: GraphStore) -> None:
    ccpcj = [
        ("aware", 5),
        ("note", 3),
        ("request", 3),
        ("acknowledge", 2),
        ("recall", 2),
        ("reiterate", 2),
        ("concern", 1),
        ("convinced", 1),
        ("encourage", 1),
        ("invite", 1),
        ("reaffirm", 1),
        ("take-into-account", 1),
        ("take-note", 1),
        ("underscore", 1),
    ]
    ga_undated = [
        ("recall", 3),
        ("request", 3),
        ("reaffirm", 2),
        ("urge", 2),
        ("welcome", 2),
        ("commend", 1),
        ("take-note", 1),
    ]
    ga_2001 = [
        ("request", 2),
        ("bear-in-mind", 1),
        ("concern", 1),
        ("encourage", 1),
        ("express-appreciation", 1),
        ("note", 1),
        ("reaffirm", 1),
        ("recall", 1),
        ("welcome", 1),
    ]
    ga_2003 = [
        ("request", 4),
        ("recall", 3),
        ("welcome", 3),
        ("reaffirm", 2),
        ("commend", 1),
        ("take-note", 1),
    ]
    expected = (
        [(CCPCJ, None, a, str(n)) for a, n in ccpcj]
        + [("body/ecosoc", "2004", "recommend", "1")]
        + [(GA, None, a, str(n)) for a, n in ga_undated]
        + [(GA, "2001", a, str(n)) for a, n in ga_2001]
        + [(GA, "2003", a, str(n)) for a, n in ga_2003]
    )  # fmt: skip
    assert _rows(corpus_store, "action-frequency") == expected


NAMES = {
    "secretary-general": "Secretary-General",
    "unodc": "United Nations Office on Drugs and Crime",
    "cop-untoc": "Conference of the Parties to the United Nations Convention against "
    "Transnational Organized Crime",
    "general-assembly": "General Assembly",
    "member-states": "Member States",
    "crime-prevention-fund": "United Nations Crime Prevention and Criminal Justice Fund",
    "crime-programme-network": "United Nations Crime Prevention and Criminal Justice "
    "Programme network",
    "cicp": "Centre for International Crime Prevention",
    "ccpcj": "Commission on Crime Prevention and Criminal Justice",
    "secretariat": "United Nations Secretariat",
    "all-states": "all States",
    "regional-economic-integration-organizations": "regional economic integration organizations",
    "donors": "donors",
    "odccp": "Office for Drug Control and Crime Prevention",
    "ola": "Office of Legal Affairs",
    "states-parties": "States parties",
}
# (body, resolutions, paragraphs that mention it or give it a mandate, mandates)
BODIES = [
    ("secretary-general", 5, 13, 6),
    ("unodc", 4, 16, 6),
    ("cop-untoc", 4, 8, 0),
    ("general-assembly", 4, 7, 0),
    ("member-states", 4, 7, 7),
    ("crime-prevention-fund", 4, 5, 0),
    ("crime-programme-network", 3, 3, 0),
    ("cicp", 2, 8, 3),
    ("ccpcj", 2, 2, 0),
    ("secretariat", 2, 2, 0),
    ("all-states", 1, 2, 2),
    ("regional-economic-integration-organizations", 1, 2, 2),
    ("donors", 1, 1, 1),
    ("odccp", 1, 1, 0),
    ("ola", 1, 1, 0),
    ("states-parties", 1, 1, 1),
]


def test_bodies_rows(corpus_store: GraphStore) -> None:
    expected = [(f"body/{b}", NAMES[b], str(r), str(p), str(m)) for b, r, p, m in BODIES]
    assert _rows(corpus_store, "bodies") == expected


def test_bodies_rows_following_predecessors(corpus_store: GraphStore) -> None:
    # CICP (000 op3-op9, 003 op4) and ODCCP (003 op4) count under UNODC: 000 op3 names
    # both CICP and UNODC, 003 op4 both CICP and ODCCP.
    followed = [("unodc", 5, 16 + 8 - 1, 6 + 3)] + [
        row for row in BODIES if row[0] not in {"unodc", "cicp", "odccp"}
    ]
    followed.sort(key=lambda row: (-row[1], -row[2], row[0]))
    expected = [(f"body/{b}", NAMES[b], str(r), str(p), str(m)) for b, r, p, m in followed]
    assert _rows(corpus_store, "bodies", follow="true") == expected


def test_drafts_rows(corpus_store: GraphStore, unnamed: dict[str, str]) -> None:
    expected = [(E04, "E/RES/2004/23", "body/ecosoc", GA, f"{E04}/draft", unnamed["001"], None,
                 None)]  # fmt: skip
    assert _rows(corpus_store, "drafts") == expected
    assert _rows(corpus_store, "drafts", body="Economic and Social Council") == expected
    assert _rows(corpus_store, "drafts", body="CCPCJ") == []
