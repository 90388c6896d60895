"""The patterns corpus: for each pattern subgraph set (gateway_testkit.patterns), operations
whose answer shows a wrong plan — a field from the wrong subgraph, an argument lost, a merge
of what differs, a 500."""
# ruff: noqa: E501  — operations read best on one line each

from gateway.supergraph import load_supergraph
from gateway_testkit.composition import compose
from gateway_testkit.patterns import PATTERN_SETS

from differential.corpus import Operation
from differential.corpus_project import operations_of

op = Operation

PATTERNS: dict[str, list[Operation]] = {
    "shareable-root": [
        op("feed-one-subgraph", "{ feed { id title } }"),
        op("feed-both-subgraphs", "{ feed { id title likes } }"),
        op("feed-nested-contributions", "{ feed { title stats { views likes shares } } }"),
        op("feed-nested-other-only", "{ feed { stats { shares } } }"),
        op("feed-value-type-both", "{ feed { author { name followers } } }"),
        op(
            "featured-everything",
            "{ featured { id title likes stats { views shares } author { name followers } } }",
        ),
        op("trending-back-to-first", "{ trending { title stats { views } author { name } } }"),
        op("settings-value-type-split", "{ settings { theme language pageSize } }"),
        op("settings-one-side", "{ settings { language } }"),
        op(
            "aliases-over-contributions",
            "{ a: feed { t: title s: stats { v: views } } b: feed { l: likes s: stats { sh: shares } } }",
        ),
        op(
            "fragments-over-contributions",
            "{ feed { ...P } } fragment P on Post { title stats { ...S } } fragment S on Stats { views shares }",
        ),
        op(
            "typename-over-contributions",
            "{ featured { __typename stats { __typename shares views } } }",
        ),
        op("feed-key-only-in-one", "{ feed { slug archived } }"),
        op("trending-two-hops-to-archive", "{ trending { likes archived } }"),
        op("feed-three-contributions", "{ feed { title likes archived stats { shares } } }"),
    ],
    "entity-through-parent": [
        op("nested-other-subgraph", "{ shops { name address { street geo { lat lng } } } }"),
        op(
            "nested-entity-below-value",
            "{ shops { address { geo { region { code name population } } } } }",
        ),
        op("nested-list-value-type", "{ shops { name staff { name shift } } }"),
        op("nested-list-other-only", "{ shops { staff { shift } } }"),
        op("single-by-argument", '{ shop(id: "s3") { name address { geo { lat } } } }'),
        op("single-missing", '{ shop(id: "nope") { name address { geo { lat } } } }'),
        op(
            "nested-null-parent",
            '{ shop(id: "s2") { address { street geo { lat } } staff { shift } } }',
        ),
        op("nested-aliases", "{ shops { where: address { road: street g: geo { la: lat } } } }"),
        op(
            "nested-with-variables",
            "query Q($id: ID!) { shop(id: $id) { address { geo { region { name } } } } }",
            {"id": "s1"},
        ),
        op(
            "nested-skip",
            "query Q($s: Boolean!) { shops { address { street geo @skip(if: $s) { lat } } } }",
            {"s": False},
        ),
        op("regions-root", "{ regions { code name population } }"),
        op("entity-only-through-parent", "{ shops { name venue { name capacity } } }"),
        op("entity-only-through-parent-single", '{ shop(id: "s3") { venue { capacity } } }'),
        op(
            "entity-through-parent-and-nested",
            "{ shops { venue { id } address { geo { region { name } } } } }",
        ),
    ],
    "requires-with-arguments": [
        op("argument-on-entity-field", "{ items { id weight(unit: LB) } }"),
        op("requires-with-argument", "{ items { name shippingCost } }"),
        op("requires-and-client-differ", "{ items { weight shippingCost } }"),
        op(
            "requires-and-client-differ-aliased",
            "{ items { kg: weight(unit: KG) lb: weight(unit: LB) shippingCost } }",
        ),
        op("client-limit-kept", "{ items { ratings(limit: 1) { stars } } }"),
        op("client-limit-with-requires", "{ items { ratings(limit: 1) { stars } topStars } }"),
        op("client-unlimited-with-limited-requires", "{ items { ratings { stars } topStars } }"),
        op(
            "limit-variable-with-requires",
            "query Q($n: Int) { items { ratings(limit: $n) { stars } topStars } }",
            {"n": 1},
        ),
        op("requires-unlimited", "{ items { ratingCount } }"),
        op("requires-abstract-fragments", "{ items { name mediaSize } }"),
        op(
            "requires-abstract-and-client",
            "{ items { media { id ... on Photo { pixels } } mediaSize } }",
        ),
        op("requires-single", '{ item(id: "i2") { shippingCost mediaSize topStars } }'),
        op("requires-missing", '{ item(id: "none") { shippingCost } }'),
        op("requires-argument-differs-from-clients", "{ items { weight(unit: KG) shippingCost } }"),
        op(
            "client-limited-requirement-unlimited",
            "{ items { ratings(limit: 1) { stars } ratingCount } }",
        ),
        op("requirement-first-client-unlimited", "{ items { topStars ratings { stars } } }"),
        op("two-requirements-of-one-field", "{ items { topStars ratingCount } }"),
    ],
    "provides-on-interface": [
        op("provided-title", "{ shelves { label highlight { id title } } }"),
        op("provided-fragment", "{ shelves { highlight { ... on Novel { title pages } } } }"),
        op("not-provided-fragment", "{ shelves { highlight { title ... on Poem { lines } } } }"),
        op("plain-not-provided", "{ shelves { plain { id title } } }"),
        op(
            "plain-fragments",
            "{ shelves { plain { __typename ... on Novel { pages } ... on Poem { lines } } } }",
        ),
        op("both-side-by-side", "{ shelves { highlight { title } plain { title } } }"),
        op("works-root", "{ works { id title ... on Novel { pages } ... on Poem { lines } } }"),
        op("provided-typename", "{ shelves { highlight { __typename id } } }"),
        op(
            "provided-named-fragment",
            "{ shelves { highlight { ...W } } } fragment W on Work { title ... on Novel { pages } }",
        ),
    ],
    "interface-object": [
        op("interface-object-field", "{ contents { id title views } }"),
        op("interface-object-requires", "{ contents { id titleLength } }"),
        op(
            "interface-object-requires-and-more",
            "{ contents { __typename title views titleLength ... on Article { words } } }",
        ),
        op("from-interface-object-root", "{ popular { id views } }"),
        op("from-interface-object-to-owner", "{ popular { __typename id title } }"),
        op("from-interface-object-requires", "{ popular { id titleLength } }"),
        op(
            "from-interface-object-fragments",
            "{ popular { views ... on Article { words } ... on Video { minutes } } }",
        ),
        op("non-resolvable-key", "{ editorsPicks { id } }"),
        op("non-resolvable-key-typename", "{ editorsPicks { __typename id title } }"),
        op(
            "non-resolvable-key-other-interface-object", "{ editorsPicks { id views titleLength } }"
        ),
        op(
            "non-resolvable-single",
            "{ pickOfTheDay { id title titleLength ... on Article { words } } }",
        ),
        op("owner-single", '{ content(id: "c2") { title views titleLength } }'),
    ],
    "spread-unions": [
        op(
            "union-known-members",
            "{ hits { __typename ... on Song { title } ... on Album { name } } }",
        ),
        op("union-member-other-subgraph", "{ hits { ... on Album { name year } } }"),
        op("union-member-unknown-here", "{ hits { __typename ... on Clip { caption } } }"),
        op(
            "union-other-side",
            "{ clips { __typename ... on Clip { caption } ... on Album { name tracks } } }",
        ),
        op("union-through-interface", "{ hits { ... on Playable { id duration } } }"),
        op(
            "union-through-interface-other-side",
            "{ clips { ... on Playable { duration } ... on Song { title } } }",
        ),
        op(
            "interface-spread",
            "{ playables { id duration ... on Song { title } ... on Clip { caption } } }",
        ),
        op(
            "interface-spread-other-side",
            "{ shows { id duration ... on Album { name tracks } ... on Clip { caption } } }",
        ),
        op(
            "interface-within-union-within-interface",
            "{ shows { ... on Hit { ... on Playable { id } ... on Album { year } } } }",
        ),
        op(
            "named-fragments-on-intersections",
            "{ hits { ...H } clips { ...H } } fragment H on Hit { __typename ... on Playable { duration } ... on Album { tracks } }",
        ),
        op("typename-only", "{ hits { __typename } clips { __typename } shows { __typename } }"),
    ],
    "child-type-mismatch": [
        op(
            "same-name-different-nullability",
            "{ animals { id ... on Dog { size } ... on Cat { size } } }",
        ),
        op("same-name-aliased", "{ animals { ... on Dog { s: size } ... on Cat { s: size } } }"),
        op(
            "children-of-different-types",
            "{ animals { ... on Dog { owner { name } } ... on Cat { owner { name city } } } }",
        ),
        op(
            "children-same-key",
            "{ animals { name ... on Dog { who: owner { name } } ... on Cat { who: owner { name } } } }",
        ),
        op(
            "mixed-levels",
            "{ animals { __typename name ... on Dog { size owner { name } } ... on Cat { size } } }",
        ),
        op(
            "named-fragments",
            "{ animals { ...D ...C } } fragment D on Dog { size owner { name } } fragment C on Cat { size owner { city } }",
        ),
        op("interface-fields-only", "{ animals { id name } }"),
    ],
    "override-on-implementers": [
        op("through-interface", "{ goods { id price } }"),
        op(
            "through-fragment",
            "{ goods { ... on Shoe { price size discounted } ... on Hat { price } } }",
        ),
        op("interface-and-fragment", "{ goods { price ... on Shoe { discounted } } }"),
        op("single-overridden", '{ good(id: "shoe") { price } }'),
        op("single-not-overridden", '{ good(id: "hat") { price } }'),
        op("aliases", "{ goods { a: price b: price ... on Shoe { c: price } } }"),
        op("typename-and-price", "{ goods { __typename price } }"),
    ],
    "relay-nodes": [
        op("node-known", '{ node(id: "Person:1") { id ... on Person { name } } }'),
        op(
            "node-fields-elsewhere",
            '{ node(id: "Team:7") { id ... on Team { title members { id name } } } }',
        ),
        op("node-foreign-type", '{ node(id: "Project:1") { id ... on Project { code } } }'),
        op("node-garbage-id", '{ node(id: "garbage") { id } }'),
        op("node-unknown-person", '{ node(id: "Person:9") { id ... on Person { name } } }'),
        op("node-team-not-found", '{ node(id: "Team:8") { id ... on Team { title } } }'),
        op("node-member-not-found", '{ node(id: "Team:7") { ... on Team { members { name } } } }'),
        op(
            "nodes-mixed",
            '{ nodes(ids: ["Person:2", "garbage", "Team:7", "Person:9"]) { __typename id ... on Team { title } ... on Person { name } } }',
        ),
        op("teams-members", "{ teams { title members { id name } } }"),
        op(
            "node-variable",
            "query Q($id: ID!) { node(id: $id) { id ... on Person { name } ... on Team { title } } }",
            {"id": "Team:7"},
        ),
    ],
}

SUPERGRAPHS = {name: compose(build()) for name, build in PATTERN_SETS.items()}

# For every root field of every pattern's supergraph, every field three levels down.
GENERATED = {
    name: operations_of(load_supergraph(sdl).api_schema) for name, sdl in SUPERGRAPHS.items()
}
