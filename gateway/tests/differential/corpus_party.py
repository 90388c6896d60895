"""The party corpus: the partyorg-shaped subgraphs (organisations, members, evaluations)."""

from differential.corpus import Operation

O = Operation

PARTY = [
    O(
        "foundation-query",
        '{ organisation(id: "org-2") { name members { fullName evaluations(period: "2019-10") { period } } } }',
    ),
    O("organisations", "{ organisations { id name kind } }"),
    O(
        "organisation-parent-chain",
        '{ organisation(id: "org-3") { parent { name parent { name parent { id } } } } }',
    ),
    O("member-counts", "{ organisations { name memberCount } }"),
    O("member-organisation", '{ member(id: "m-1-2") { fullName organisation { name kind } } }'),
    O("member-round-trip", '{ member(id: "m-2-1") { organisation { members { id } } } }'),
    O("evaluations-all-periods", '{ member(id: "m-1-1") { evaluations { id period rating } } }'),
    O("evaluation-root", '{ evaluation(id: "ev-m-1-1-2019-10") { id period rating } }'),
    O(
        "nested-everything",
        "{ organisations { members { organisation { parent { memberCount } } evaluations { rating } } } }",
    ),
    O(
        "variables",
        "query Org($id: ID!, $p: String) { organisation(id: $id) { members { evaluations(period: $p) { period } } } }",
        {"id": "org-1", "p": "2019-11"},
    ),
    O("missing-organisation", '{ organisation(id: "none") { name members { id } } }'),
    O("enum-values", "{ organisations { kind } }"),
    O(
        "aliases",
        '{ a: organisation(id: "org-1") { n: name } b: organisation(id: "org-2") { c: memberCount } }',
    ),
    O("typename", '{ organisation(id: "org-1") { __typename members { __typename } } }'),
]
