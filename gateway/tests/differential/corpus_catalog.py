"""The catalog corpus: every federation feature over the six catalog subgraphs."""

from differential.corpus import Operation

O = Operation

CATALOG = [
    # root fields, one subgraph
    O("root-single-subgraph", "{ me { id name username } }"),
    O("root-list", "{ users { id email birthYear } }"),
    O("root-argument", '{ user(id: "u2") { name } }'),
    O("root-missing-entity", '{ user(id: "nope") { name } }'),
    O("root-default-argument", "{ topProducts { upc name } }"),
    O("root-explicit-argument", "{ topProducts(first: 2) { upc price } }"),
    O("root-two-subgraphs", "{ me { name } topProducts(first: 1) { name } }"),
    O("root-three-subgraphs", "{ me { id } warehouses { id } latestReviews { id } }"),
    O("typename-root", "{ __typename }"),
    O("typename-nested", "{ me { __typename id } topProducts(first: 2) { __typename upc } }"),
    O("aliases-root", '{ a: user(id: "u1") { name } b: user(id: "u3") { nick: username } }'),
    O("aliases-same-field", "{ first: topProducts(first: 1) { upc } all: topProducts { upc } }"),
    # entity jumps
    O("jump-one-hop", "{ me { reviews { body } } }"),
    O("jump-list", "{ topProducts { name reviews { rating } } }"),
    O("jump-two-hops", "{ topProducts { reviews { author { name } } } }"),
    O("jump-three-hops", "{ latestReviews { product { name reviews { author { birthYear } } } } }"),
    O("jump-and-back", "{ me { reviews { product { price reviews { body } } } } }"),
    O("jump-dedup", "{ latestReviews { author { name } product { name } } }"),
    O("jump-aliased", "{ me { mine: reviews { stars: rating } } }"),
    O("jump-aliased-entity", "{ latestReviews { writer: author { fullName: name } } }"),
    O("jump-missing-entity", '{ product(upc: "9") { name reviews { body } } }'),
    O("jump-nested-value-type", "{ latestReviews { author { address { city } } } }"),
    O("jump-root-other-subgraph", "{ outOfStock { upc name price inStock } }"),
    O("users-everything", "{ users { name reviewCount legacyId managedWarehouses { name } } }"),
    # keys: multiple, composite, resolvable: false
    O("key-composite", "{ topProducts { upc warehouse { name city } } }"),
    O(
        "key-composite-back",
        "{ warehouses { id } topProducts { sku variation { id } warehouse { id } } }",
    ),
    O("key-second-key", "{ me { managedWarehouses { name } } }"),
    O(
        "key-chain-via-other-subgraph",
        "{ latestReviews { author { managedWarehouses { city } } } }",
    ),
    O("key-resolvable-false", "{ warehouses { name manager { name username } } }"),
    O("key-resolvable-false-deep", "{ warehouses { manager { reviews { body } } } }"),
    O("key-fed1-extends", "{ topProducts { upc legacyCode } }"),
    O("key-fed1-root", "{ legacyProducts { upc legacyCode price } }"),
    O("key-fed1-user", "{ users { id legacyId } }"),
    # @requires
    O("requires-simple", "{ topProducts { upc shippingEstimate } }"),
    O("requires-with-required-selected", "{ topProducts { price weight shippingEstimate } }"),
    O("requires-nested", "{ topProducts { packaging } }"),
    O("requires-nested-and-simple", "{ topProducts { packaging shippingEstimate inStock } }"),
    O("requires-chained", "{ topProducts { upc deliveryScore } }"),
    O("requires-chained-with-middle", "{ topProducts { shippingEstimate deliveryScore } }"),
    O("requires-from-other-root", "{ outOfStock { shippingEstimate deliveryScore } }"),
    O("requires-under-jump", "{ latestReviews { product { shippingEstimate } } }"),
    O("requires-under-two-jumps", "{ me { reviews { product { deliveryScore packaging } } } }"),
    O("requires-aliased", "{ topProducts { cost: shippingEstimate score: deliveryScore } }"),
    # @provides / @external
    O("provides-used", "{ latestReviews { author { username } } }"),
    O("provides-not-covering", "{ latestReviews { author { username name } } }"),
    O("provides-products", "{ topProducts { createdBy { username } } }"),
    O("provides-products-more", "{ topProducts { createdBy { username email } } }"),
    O("external-not-provided", "{ me { reviews { author { username birthYear } } } }"),
    # @shareable
    O("shareable-from-legacy", "{ legacyProducts { name } }"),
    O("shareable-from-products", "{ topProducts { name } }"),
    O("shareable-value-type", "{ me { address { street city } } }"),
    O("shareable-variation", "{ topProducts { variation { id } } }"),
    # @override
    O("override", "{ topProducts { upc stockLocation } }"),
    O("override-under-jump", "{ latestReviews { product { stockLocation } } }"),
    # @inaccessible is not in the API
    O("inaccessible-field", "{ me { secret } }"),
    # interfaces and unions across subgraphs
    O("interface-fields", "{ nodes { id } productNodes { id } }"),
    O("interface-fragments", "{ nodes { id ... on User { name } } }"),
    O("interface-fragment-jump", "{ nodes { ... on User { reviewCount } } }"),
    O("interface-product-jump", "{ productNodes { ... on Product { name inStock } } }"),
    O("interface-typename", "{ productNodes { __typename id } }"),
    O(
        "union-members",
        '{ search(term: "a") { __typename ... on Product { upc } ... on Category { name } } }',
    ),
    O("union-jump", '{ search(term: "c") { ... on Product { name reviews { rating } } } }'),
    O("union-other-subgraph", '{ locate(term: "h") { ... on Warehouse { name } } }'),
    O(
        "union-unused-member",
        '{ locate(term: "hue") { ... on Product { upc } ... on Warehouse { id } } }',
    ),
    O("union-typename-only", '{ search(term: "l") { __typename } }'),
    # entity interfaces and @interfaceObject
    O("interface-object-field", "{ allMedia { id title reviewCount } }"),
    O(
        "interface-object-concrete",
        "{ allMedia { ... on Book { author reviewCount } ... on Movie { director } } }",
    ),
    O("interface-object-root", "{ mostReviewedMedia { id reviewCount } }"),
    O("interface-object-root-title", "{ mostReviewedMedia { id title } }"),
    O("interface-object-root-typename", "{ mostReviewedMedia { __typename id } }"),
    O("interface-object-root-concrete", "{ mostReviewedMedia { ... on Movie { director } } }"),
    # fragments
    O(
        "fragment-named",
        "query { me { ...UserParts } } fragment UserParts on User { id name reviews { body } }",
    ),
    O(
        "fragment-nested",
        "{ topProducts { ...P } } fragment P on Product { upc ...Q } fragment Q on Product { inStock reviews { id } }",
    ),
    O("fragment-inline-no-type", "{ me { ... { name } } }"),
    O(
        "fragment-on-interface",
        "{ productNodes { ...N } } fragment N on Node { id ... on Product { name } }",
    ),
    O(
        "fragment-repeated-fields",
        "{ me { name ... on User { name id } reviews { id } reviews { body } } }",
    ),
    O(
        "fragment-at-root",
        "{ ... on Query { me { id } } ...R } fragment R on Query { users { id } }",
    ),
    # variables
    O("variables-basic", "query Q($id: ID!) { user(id: $id) { name } }", {"id": "u3"}),
    O("variables-default", "query Q($first: Int = 3) { topProducts(first: $first) { upc } }"),
    O(
        "variables-passed-to-entity",
        "query Q($upc: String!) { product(upc: $upc) { reviews { body } } }",
        {"upc": "1"},
    ),
    O("variables-missing-required", "query Q($id: ID!) { user(id: $id) { name } }"),
    O(
        "variables-wrong-type",
        "query Q($first: Int) { topProducts(first: $first) { upc } }",
        {"first": "x"},
    ),
    O("operation-name", "query A { me { id } } query B { users { id } }", {}, "B"),
    # @skip / @include
    O("skip-true", "query Q($s: Boolean!) { me { name @skip(if: $s) id } }", {"s": True}),
    O("skip-false", "query Q($s: Boolean!) { me { name @skip(if: $s) id } }", {"s": False}),
    O(
        "include-entity-field",
        "query Q($i: Boolean!) { me { reviews @include(if: $i) { body } } }",
        {"i": False},
    ),
    O(
        "include-entity-field-true",
        "query Q($i: Boolean!) { me { reviews @include(if: $i) { body } } }",
        {"i": True},
    ),
    O(
        "skip-on-fragment",
        "query Q($s: Boolean!) { topProducts { ... @skip(if: $s) { shippingEstimate } upc } }",
        {"s": True},
    ),
    O(
        "include-on-jump-parent",
        "query Q($i: Boolean!) { topProducts { createdBy @include(if: $i) { name } } }",
        {"i": True},
    ),
    O("skip-literal", "{ me { id name @skip(if: true) } }"),
    O(
        "include-and-skip",
        "query Q($a: Boolean!) { me { id @include(if: $a) @skip(if: $a) name } }",
        {"a": True},
    ),
    # mutations
    O(
        "mutation-serial-same-subgraph",
        'mutation { a: renameUser(id: "u3", name: "G") { name } b: renameUser(id: "u3", name: "Grace Hopper") { name } }',
    ),
    O(
        "mutation-other-subgraphs",
        'mutation { addReview(upc: "2", body: "ok", rating: 4) { id body product { name } author { name } } }',
    ),
    O(
        "mutation-interleaved",
        'mutation { a: renameUser(id: "u2", name: "A") { name } r: addReview(upc: "1", body: "b", rating: 1) { author { name } } b: renameUser(id: "u2", name: "Alan Turing") { name } }',
    ),
    # errors
    O("error-unknown-field", "{ me { nope } }"),
    O("error-parse", "{ me { id "),
    O("error-unknown-argument", '{ me(id: "x") { id } }'),
    O("null-for-nonexistent", '{ review(id: "nope") { body author { name } } }'),
    # introspection
    O("introspection-type", '{ __type(name: "Product") { name fields { name } } }'),
    O("introspection-schema-types", "{ __schema { queryType { name } mutationType { name } } }"),
    O("introspection-typename-mixed", '{ __type(name: "User") { fields { name } } me { name } }'),
    O("introspection-union", '{ __type(name: "SearchResult") { possibleTypes { name } } }'),
    O("introspection-interface", '{ __type(name: "Media") { kind possibleTypes { name } } }'),
]
