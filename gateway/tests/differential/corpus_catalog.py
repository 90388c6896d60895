"""The catalog corpus: every federation feature over the six catalog subgraphs."""
# ruff: noqa: E501  — operations read best on one line each

from differential.corpus import Operation

op = Operation

CATALOG = [
    # root fields, one subgraph
    op("root-single-subgraph", "{ me { id name username } }"),
    op("root-list", "{ users { id email birthYear } }"),
    op("root-argument", '{ user(id: "u2") { name } }'),
    op("root-missing-entity", '{ user(id: "nope") { name } }'),
    op("root-default-argument", "{ topProducts { upc name } }"),
    op("root-explicit-argument", "{ topProducts(first: 2) { upc price } }"),
    op("root-two-subgraphs", "{ me { name } topProducts(first: 1) { name } }"),
    op("root-three-subgraphs", "{ me { id } warehouses { id } latestReviews { id } }"),
    op("typename-root", "{ __typename }"),
    op("typename-nested", "{ me { __typename id } topProducts(first: 2) { __typename upc } }"),
    op("aliases-root", '{ a: user(id: "u1") { name } b: user(id: "u3") { nick: username } }'),
    op("aliases-same-field", "{ first: topProducts(first: 1) { upc } all: topProducts { upc } }"),
    op("alias-shadows-key-nested", "{ me { reviews { product: id author { id } } } }"),
    op("typename-across-jumps", "{ me { reviews { __typename product { __typename upc } } } }"),
    op(
        "same-entity-field-twice",
        "{ me { reviews { product { inStock } } } topProducts { inStock } }",
    ),
    op(
        "skip-on-jump-field",
        "query Q($s: Boolean!) { topProducts { upc reviews @skip(if: $s) { id } } }",
        {"s": False},
    ),
    op(
        "skip-on-jump-field-true",
        "query Q($s: Boolean!) { topProducts { upc reviews @skip(if: $s) { id } } }",
        {"s": True},
    ),
    op(
        "parallel-jumps",
        "{ topProducts { inStock reviews { id } legacyCode warehouse { name } createdBy { name } } }",
    ),
    op(
        "deep-chain",
        "{ warehouses { manager { reviews { product { warehouse { manager { name } } } } } } }",
    ),
    # entity jumps
    op("jump-one-hop", "{ me { reviews { body } } }"),
    op("jump-list", "{ topProducts { name reviews { rating } } }"),
    op("jump-two-hops", "{ topProducts { reviews { author { name } } } }"),
    op(
        "jump-three-hops", "{ latestReviews { product { name reviews { author { birthYear } } } } }"
    ),
    op("jump-and-back", "{ me { reviews { product { price reviews { body } } } } }"),
    op("jump-dedup", "{ latestReviews { author { name } product { name } } }"),
    op("jump-aliased", "{ me { mine: reviews { stars: rating } } }"),
    op("jump-aliased-entity", "{ latestReviews { writer: author { fullName: name } } }"),
    op("jump-missing-entity", '{ product(upc: "9") { name reviews { body } } }'),
    op("jump-nested-value-type", "{ latestReviews { author { address { city } } } }"),
    op("jump-root-other-subgraph", "{ outOfStock { upc name price inStock } }"),
    op("users-everything", "{ users { name reviewCount legacyId managedWarehouses { name } } }"),
    # keys: multiple, composite, resolvable: false
    op("key-composite", "{ topProducts { upc warehouse { name city } } }"),
    op(
        "key-composite-back",
        "{ warehouses { id } topProducts { sku variation { id } warehouse { id } } }",
    ),
    op("key-second-key", "{ me { managedWarehouses { name } } }"),
    op(
        "key-chain-via-other-subgraph",
        "{ latestReviews { author { managedWarehouses { city } } } }",
    ),
    op("key-resolvable-false", "{ warehouses { name manager { name username } } }"),
    op("key-resolvable-false-deep", "{ warehouses { manager { reviews { body } } } }"),
    op("key-fed1-extends", "{ topProducts { upc legacyCode } }"),
    op("key-fed1-root", "{ legacyProducts { upc legacyCode price } }"),
    op("key-fed1-user", "{ users { id legacyId } }"),
    op("key-fed1-extends-directive", "{ latestReviews { id legacyScore author { legacyId } } }"),
    # @requires
    op("requires-simple", "{ topProducts { upc shippingEstimate } }"),
    op("requires-with-required-selected", "{ topProducts { price weight shippingEstimate } }"),
    op("requires-nested", "{ topProducts { packaging } }"),
    op("requires-nested-and-simple", "{ topProducts { packaging shippingEstimate inStock } }"),
    op("requires-chained", "{ topProducts { upc deliveryScore } }"),
    op("requires-chained-with-middle", "{ topProducts { shippingEstimate deliveryScore } }"),
    op("requires-from-other-root", "{ outOfStock { shippingEstimate deliveryScore } }"),
    op("requires-under-jump", "{ latestReviews { product { shippingEstimate } } }"),
    op("requires-under-two-jumps", "{ me { reviews { product { deliveryScore packaging } } } }"),
    op("requires-aliased", "{ topProducts { cost: shippingEstimate score: deliveryScore } }"),
    # @provides / @external
    op("provides-used", "{ latestReviews { author { username } } }"),
    op("provides-not-covering", "{ latestReviews { author { username name } } }"),
    op("provides-products", "{ topProducts { createdBy { username } } }"),
    op("provides-products-more", "{ topProducts { createdBy { username email } } }"),
    op("external-not-provided", "{ me { reviews { author { username birthYear } } } }"),
    # @shareable
    op("shareable-from-legacy", "{ legacyProducts { name } }"),
    op("shareable-from-products", "{ topProducts { name } }"),
    op("shareable-value-type", "{ me { address { street city } } }"),
    op("shareable-value-type-split", "{ users { address { street postcode } } }"),
    op(
        "shareable-value-type-split-under-jump",
        "{ latestReviews { author { address { postcode city } } } }",
    ),
    op(
        "shareable-value-type-other-side",
        "{ warehouses { manager { address { street postcode } } } }",
    ),
    op("shareable-variation", "{ topProducts { variation { id } } }"),
    # @override
    op("override", "{ topProducts { upc stockLocation } }"),
    op("override-under-jump", "{ latestReviews { product { stockLocation } } }"),
    # @inaccessible is not in the API
    op("inaccessible-field", "{ me { secret } }"),
    # interfaces and unions across subgraphs
    op("interface-fields", "{ nodes { id } productNodes { id } }"),
    op("interface-fragments", "{ nodes { id ... on User { name } } }"),
    op("interface-fragment-jump", "{ nodes { ... on User { reviewCount } } }"),
    op("interface-product-jump", "{ productNodes { ... on Product { name inStock } } }"),
    op("interface-typename", "{ productNodes { __typename id } }"),
    op(
        "union-members",
        '{ search(term: "a") { __typename ... on Product { upc } ... on Category { name } } }',
    ),
    op("union-jump", '{ search(term: "c") { ... on Product { name reviews { rating } } } }'),
    op("union-other-subgraph", '{ locate(term: "h") { ... on Warehouse { name } } }'),
    op(
        "union-unused-member",
        '{ locate(term: "hue") { ... on Product { upc } ... on Warehouse { id } } }',
    ),
    op("union-typename-only", '{ search(term: "l") { __typename } }'),
    # entity interfaces and @interfaceObject
    op("interface-object-field", "{ allMedia { id title reviewCount } }"),
    op(
        "interface-object-concrete",
        "{ allMedia { ... on Book { author reviewCount } ... on Movie { director } } }",
    ),
    op("interface-object-root", "{ mostReviewedMedia { id reviewCount } }"),
    op("interface-object-root-title", "{ mostReviewedMedia { id title } }"),
    op("interface-object-root-typename", "{ mostReviewedMedia { __typename id } }"),
    op("interface-object-root-concrete", "{ mostReviewedMedia { ... on Movie { director } } }"),
    # fragments
    op(
        "fragment-named",
        "query { me { ...UserParts } } fragment UserParts on User { id name reviews { body } }",
    ),
    op(
        "fragment-nested",
        "{ topProducts { ...P } } fragment P on Product { upc ...Q } fragment Q on Product { inStock reviews { id } }",
    ),
    op("fragment-inline-no-type", "{ me { ... { name } } }"),
    op(
        "fragment-on-interface",
        "{ productNodes { ...N } } fragment N on Node { id ... on Product { name } }",
    ),
    op(
        "fragment-repeated-fields",
        "{ me { name ... on User { name id } reviews { id } reviews { body } } }",
    ),
    op(
        "fragment-at-root",
        "{ ... on Query { me { id } } ...R } fragment R on Query { users { id } }",
    ),
    # variables
    op("variables-basic", "query Q($id: ID!) { user(id: $id) { name } }", {"id": "u3"}),
    op("variables-default", "query Q($first: Int = 3) { topProducts(first: $first) { upc } }"),
    op(
        "variables-passed-to-entity",
        "query Q($upc: String!) { product(upc: $upc) { reviews { body } } }",
        {"upc": "1"},
    ),
    op("variables-missing-required", "query Q($id: ID!) { user(id: $id) { name } }"),
    op(
        "variables-wrong-type",
        "query Q($first: Int) { topProducts(first: $first) { upc } }",
        {"first": "x"},
    ),
    op("operation-name", "query A { me { id } } query B { users { id } }", {}, "B"),
    # @skip / @include
    op("skip-true", "query Q($s: Boolean!) { me { name @skip(if: $s) id } }", {"s": True}),
    op("skip-false", "query Q($s: Boolean!) { me { name @skip(if: $s) id } }", {"s": False}),
    op(
        "include-entity-field",
        "query Q($i: Boolean!) { me { reviews @include(if: $i) { body } } }",
        {"i": False},
    ),
    op(
        "include-entity-field-true",
        "query Q($i: Boolean!) { me { reviews @include(if: $i) { body } } }",
        {"i": True},
    ),
    op(
        "skip-on-fragment",
        "query Q($s: Boolean!) { topProducts { ... @skip(if: $s) { shippingEstimate } upc } }",
        {"s": True},
    ),
    op(
        "include-on-jump-parent",
        "query Q($i: Boolean!) { topProducts { createdBy @include(if: $i) { name } } }",
        {"i": True},
    ),
    op(
        "skip-on-root-spread",
        "query Q($s: Boolean!) { ...Me @skip(if: $s) users { id } } fragment Me on Query { me { name } }",
        {"s": True},
    ),
    op(
        "include-on-root-inline",
        "query Q($i: Boolean!) { ... @include(if: $i) { me { reviews { id } } } users { id } }",
        {"i": True},
    ),
    op(
        "include-on-root-inline-false",
        "query Q($i: Boolean!) { ... @include(if: $i) { me { reviews { id } } } users { id } }",
        {"i": False},
    ),
    op("skip-literal", "{ me { id name @skip(if: true) } }"),
    op(
        "include-and-skip",
        "query Q($a: Boolean!) { me { id @include(if: $a) @skip(if: $a) name } }",
        {"a": True},
    ),
    # mutations
    op(
        "mutation-serial-same-subgraph",
        'mutation { a: renameUser(id: "u3", name: "G") { name } b: renameUser(id: "u3", name: "Grace Hopper") { name } }',
    ),
    op(
        "mutation-other-subgraphs",
        'mutation { addReview(upc: "2", body: "ok", rating: 4) { id body product { name } author { name } } }',
    ),
    op(
        "mutation-interleaved",
        'mutation { a: renameUser(id: "u2", name: "A") { name } r: addReview(upc: "1", body: "b", rating: 1) { author { name } } b: renameUser(id: "u2", name: "Alan Turing") { name } }',
    ),
    # errors
    op("error-unknown-field", "{ me { nope } }"),
    op("error-parse", "{ me { id "),
    op("error-unknown-argument", '{ me(id: "x") { id } }'),
    op("error-nullable-entity-field", "{ users { id riskScore } }"),
    op("error-nullable-under-jump", "{ latestReviews { id author { riskScore } } }"),
    op("error-non-null-propagates", "{ topProducts { upc discount } }"),
    op("error-non-null-under-nullable", '{ product(upc: "2") { name discount } me { name } }'),
    op("null-for-nonexistent", '{ review(id: "nope") { body author { name } } }'),
    # combinations
    op(
        "provides-nested-list",
        "{ latestReviews { author { username reviews { author { username } } } } }",
    ),
    op(
        "interface-object-aliases",
        "{ allMedia { t: title rc: reviewCount ... on Book { a: author } } }",
    ),
    op(
        "interface-object-root-mixed",
        "{ mostReviewedMedia { ... on Book { author } ... on Movie { director reviewCount } } }",
    ),
    op("interface-object-root-all", "{ mostReviewedMedia { __typename id title reviewCount } }"),
    op(
        "union-deep-jumps",
        '{ search(term: "a") { ... on Product { shippingEstimate createdBy { reviews { rating } } } } }',
    ),
    op(
        "interface-requires",
        "{ productNodes { ... on Node { id } ... on Product { deliveryScore } } }",
    ),
    op(
        "include-deep-fragment",
        "query Q($s: Boolean!) { me { reviews { product { ... @include(if: $s) { inStock } upc } } } }",
        {"s": True},
    ),
    op(
        "include-deep-fragment-false",
        "query Q($s: Boolean!) { me { reviews { product { ... @include(if: $s) { inStock } upc } } } }",
        {"s": False},
    ),
    op(
        "operation-name-with-fragments",
        "query A { me { ...U } } query B { users { ...U } } fragment U on User { name reviews { id } }",
        {},
        "A",
    ),
    op(
        "mutation-then-requires",
        'mutation { addReview(upc: "1", body: "x", rating: 3) { product { shippingEstimate deliveryScore } } }',
    ),
    op("error-propagates-through-lists", "{ me { name reviews { product { discount } } } }"),
    op(
        "error-in-one-of-many",
        "{ users { name reviews { id } } topProducts(first: 1) { name } me { riskScore } }",
    ),
    op(
        "same-path-different-aliases",
        "{ me { a: reviews { id } b: reviews { product { name } } } }",
    ),
    op(
        "entity-twice-different-arguments",
        "{ a: topProducts(first: 1) { reviews { id } } b: topProducts(first: 3) { reviews { rating } } }",
    ),
    op("typename-on-interface-object", "{ allMedia { __typename ... on Media { reviewCount } } }"),
    op(
        "deep-requires-and-provides",
        "{ latestReviews { author { username } product { deliveryScore packaging createdBy { username } } } }",
    ),
    op(
        "warehouse-union-and-entities",
        '{ locate(term: "") { ... on Warehouse { name manager { name reviewCount legacyId } } } }',
    ),
    # @inaccessible arguments, enum values and input fields
    op("inaccessible-enum-value-returned", "{ users { id role } }"),
    op("inaccessible-enum-value-not-returned", "{ me { role } }"),
    op("enum-argument", "{ usersByRole(role: MEMBER) { name } }"),
    op("inaccessible-argument", "{ usersByRole(role: ADMIN, includeRetired: true) { name } }"),
    op("inaccessible-enum-value-argument", "{ usersByRole(role: STAFF) { name } }"),
    op("input-object", '{ findUsers(filter: { name: "A" }) { name } }'),
    op(
        "inaccessible-input-field",
        '{ findUsers(filter: { name: "A", internalOnly: true }) { name } }',
    ),
    op(
        "input-object-variable",
        "query Q($f: UserFilter) { findUsers(filter: $f) { name } }",
        {"f": {"name": "Grace"}},
    ),
    op(
        "inaccessible-input-field-variable",
        "query Q($f: UserFilter) { findUsers(filter: $f) { name } }",
        {"f": {"internalOnly": True}},
    ),
    op(
        "introspection-inaccessible",
        '{ a: __type(name: "Role") { enumValues { name } } b: __type(name: "UserFilter") { inputFields { name } } c: __type(name: "Query") { fields { name args { name } } } }',
    ),
    # introspection
    op("introspection-full-types", "{ __schema { types { name kind } } }"),
    op(
        "introspection-fields-deep",
        '{ __type(name: "User") { fields { name args { name } type { name kind ofType { name kind } } } } }',
    ),
    op("introspection-directives", "{ __schema { directives { name locations } } }"),
    op("introspection-type", '{ __type(name: "Product") { name fields { name } } }'),
    op("introspection-schema-types", "{ __schema { queryType { name } mutationType { name } } }"),
    op("introspection-typename-mixed", '{ __type(name: "User") { fields { name } } me { name } }'),
    op("introspection-union", '{ __type(name: "SearchResult") { possibleTypes { name } } }'),
    op("introspection-interface", '{ __type(name: "Media") { kind possibleTypes { name } } }'),
]
