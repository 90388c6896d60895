"""The party corpus: the partyorg-shaped subgraphs (organisations, members, evaluations)."""
# ruff: noqa: E501  — operations read best on one line each

from differential.corpus import Operation

op = Operation

PARTY = [
    op(
        "foundation-query",
        '{ organisation(id: "org-2") { name members { fullName evaluations(period: "2019-10") { period } } } }',
    ),
    op("organisations", "{ organisations { id name kind } }"),
    op(
        "organisation-parent-chain",
        '{ organisation(id: "org-3") { parent { name parent { name parent { id } } } } }',
    ),
    op("member-counts", "{ organisations { name memberCount } }"),
    op("member-organisation", '{ member(id: "m-1-2") { fullName organisation { name kind } } }'),
    op("member-round-trip", '{ member(id: "m-2-1") { organisation { members { id } } } }'),
    op("evaluations-all-periods", '{ member(id: "m-1-1") { evaluations { id period rating } } }'),
    op("evaluation-root", '{ evaluation(id: "ev-m-1-1-2019-10") { id period rating } }'),
    op(
        "nested-everything",
        "{ organisations { members { organisation { parent { memberCount } } evaluations { rating } } } }",
    ),
    op(
        "variables",
        "query Org($id: ID!, $p: String) { organisation(id: $id) { members { evaluations(period: $p) { period } } } }",
        {"id": "org-1", "p": "2019-11"},
    ),
    op("missing-organisation", '{ organisation(id: "none") { name members { id } } }'),
    op("enum-values", "{ organisations { kind } }"),
    op(
        "aliases",
        '{ a: organisation(id: "org-1") { n: name } b: organisation(id: "org-2") { c: memberCount } }',
    ),
    op("typename", '{ organisation(id: "org-1") { __typename members { __typename } } }'),
]
