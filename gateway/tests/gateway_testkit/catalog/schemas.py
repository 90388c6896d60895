"""SDL of the catalog test subgraphs; between them they use every federation feature."""

FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [{imports}])\n'


def _fed(*directives: str) -> str:
    return FED.format(imports=", ".join(f'"@{d}"' for d in directives))


ACCOUNTS = (
    _fed("key", "shareable", "inaccessible")
    + """
type Query {
  me: User
  users: [User!]!
  user(id: ID!): User
  nodes: [Node!]!
  usersByRole(role: Role!, includeRetired: Boolean @inaccessible): [User!]!
  findUsers(filter: UserFilter): [User!]!
}

type Mutation {
  renameUser(id: ID!, name: String!): User
}

enum Role {
  ADMIN
  MEMBER
  STAFF @inaccessible
}

input UserFilter {
  name: String
  internalOnly: Boolean @inaccessible
}

interface Node {
  id: ID!
}

type User implements Node @key(fields: "id") @key(fields: "email") {
  id: ID!
  email: String!
  name: String!
  username: String! @shareable
  birthYear: Int
  secret: String @inaccessible
  address: Address @shareable
  riskScore: Int
  role: Role
}

type Address @shareable {
  street: String!
  city: String!
}
"""
)

PRODUCTS = (
    _fed("key", "shareable", "external", "provides")
    + """
type Query {
  topProducts(first: Int = 5): [Product!]!
  product(upc: String!): Product
  search(term: String!): [SearchResult!]!
  allMedia: [Media!]!
  productNodes: [Node!]!
}

interface Node {
  id: ID!
}

type Product implements Node @key(fields: "upc") @key(fields: "sku variation { id }") {
  id: ID!
  upc: String!
  sku: String!
  variation: ProductVariation!
  name: String! @shareable
  price: Int!
  weight: Int!
  dimensions: Dimensions!
  createdBy: User @provides(fields: "username")
  category: Category
  tags: [String!]!
}

type ProductVariation @shareable {
  id: ID!
}

type Dimensions @shareable {
  size: String!
  weight: Float!
}

type Category {
  id: ID!
  name: String!
}

union SearchResult = Product | Category

type User @key(fields: "id") {
  id: ID!
  username: String! @external
}

interface Media @key(fields: "id") {
  id: ID!
  title: String!
}

type Book implements Media @key(fields: "id") {
  id: ID!
  title: String!
  author: String!
}

type Movie implements Media @key(fields: "id") {
  id: ID!
  title: String!
  director: String!
}
"""
)

INVENTORY = (
    _fed("key", "external", "requires", "shareable", "override")
    + """
type Product @key(fields: "upc") {
  upc: String!
  price: Int! @external
  weight: Int! @external
  dimensions: Dimensions! @external
  inStock: Boolean!
  shippingEstimate: Int! @requires(fields: "price weight")
  packaging: String! @requires(fields: "dimensions { size weight }")
  stockLocation: String! @override(from: "locations")
  discount: Int!
}

type Dimensions @shareable {
  size: String!
  weight: Float!
}

type Query {
  outOfStock: [Product!]!
}
"""
)

REVIEWS = (
    _fed("key", "external", "provides", "requires", "interfaceObject")
    + """
type Query {
  latestReviews: [Review!]!
  review(id: ID!): Review
  mostReviewedMedia: Media
}

type Mutation {
  addReview(upc: String!, body: String!, rating: Int!): Review!
}

type Review @key(fields: "id") {
  id: ID!
  body: String!
  rating: Int!
  author: User! @provides(fields: "username")
  product: Product!
}

type User @key(fields: "id") {
  id: ID!
  username: String! @external
  reviews: [Review!]!
  reviewCount: Int!
}

type Product @key(fields: "upc") {
  upc: String!
  reviews: [Review!]!
  shippingEstimate: Int! @external
  deliveryScore: Int! @requires(fields: "shippingEstimate")
}

type Media @key(fields: "id") @interfaceObject {
  id: ID!
  reviewCount: Int!
}
"""
)

LOCATIONS = (
    _fed("key", "shareable")
    + """
type Query {
  warehouses: [Warehouse!]!
  locate(term: String!): [SearchResult!]!
}

union SearchResult = Warehouse

type Warehouse @key(fields: "id") {
  id: ID!
  name: String!
  city: String!
  manager: User
}

type Product @key(fields: "sku variation { id }") {
  sku: String!
  variation: ProductVariation!
  warehouse: Warehouse
  stockLocation: String!
}

type ProductVariation @shareable {
  id: ID!
}

type User @key(fields: "email") @key(fields: "id", resolvable: false) {
  id: ID!
  email: String!
  managedWarehouses: [Warehouse!]!
  address: Address @shareable
}

type Address @shareable {
  city: String!
  postcode: String!
}
"""
)

LEGACY = """
extend type Product @key(fields: "upc") {
  upc: String! @external
  legacyCode: String!
  name: String!
}

extend type User @key(fields: "id") {
  id: ID! @external
  legacyId: String!
}

type Review @key(fields: "id") @extends {
  id: ID! @external
  legacyScore: Int!
}

extend type Query {
  legacyProducts: [Product!]!
}
"""
