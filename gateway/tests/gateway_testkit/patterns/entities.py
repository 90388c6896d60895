"""Shareable root fields whose objects several subgraphs fill in, and objects reached only
through the key of the entity above them."""

from __future__ import annotations

from typing import Any

from gateway_testkit.federated import Subgraph
from gateway_testkit.patterns.sdl import federation

POSTS: dict[str, dict[str, Any]] = {
    "p1": {"title": "Opening", "views": 10, "likes": 3, "shares": 1, "author": "ana"},
    "p2": {"title": "Budget", "views": 0, "likes": 0, "shares": 7, "author": None},
    "p3": {"title": "Election", "views": 99, "likes": 12, "shares": 0, "author": "ben"},
}
AUTHORS = {"ana": {"name": "Ana", "followers": 40}, "ben": {"name": "Ben", "followers": 0}}


def _post(post_id: str, *fields: str) -> dict[str, Any]:
    record = POSTS[post_id]
    author = AUTHORS.get(record["author"] or "")
    return {
        "__typename": "Post",
        "id": post_id,
        "slug": f"post-{post_id}",
        **{f: record[f] for f in fields},
        "stats": {f: record[f] for f in ("views", "likes", "shares")},
        "author": dict(author) if author else None,
    }


def shareable_root() -> list[Subgraph]:
    posts = Subgraph(
        "posts",
        federation("key", "shareable")
        + """
type Query {
  feed: [Post!]! @shareable
  featured: Post @shareable
  settings: Settings @shareable
}
type Post @key(fields: "id") {
  id: ID!
  slug: String! @shareable
  title: String!
  stats: Stats @shareable
  author: Author @shareable
}
type Stats @shareable { views: Int! }
type Author @shareable { name: String! }
type Settings @shareable { theme: String! pageSize: Int! }
""",
        resolvers={
            "Query.feed": lambda *_: [_post(p, "title") for p in POSTS],
            "Query.featured": lambda *_: _post("p3", "title"),
            "Query.settings": lambda *_: {"theme": "dark", "pageSize": 20},
        },
        entities={"Post": lambda rep: _post(rep["id"], "title") if rep["id"] in POSTS else None},
    )
    social = Subgraph(
        "social",
        federation("key", "shareable")
        + """
type Query {
  feed: [Post!]! @shareable
  featured: Post @shareable
  settings: Settings @shareable
  trending: [Post!]!
}
type Post @key(fields: "id") {
  id: ID!
  likes: Int!
  stats: Stats @shareable
  author: Author @shareable
}
type Stats @shareable { likes: Int! shares: Int! }
type Author @shareable { name: String! followers: Int! }
type Settings @shareable { language: String! pageSize: Int! }
""",
        resolvers={
            "Query.feed": lambda *_: [_post(p, "likes") for p in POSTS],
            "Query.featured": lambda *_: _post("p3", "likes"),
            "Query.settings": lambda *_: {"language": "vi", "pageSize": 20},
            "Query.trending": lambda *_: [_post("p3", "likes"), _post("p2", "likes")],
        },
        entities={"Post": lambda rep: _post(rep["id"], "likes") if rep["id"] in POSTS else None},
    )
    archive = Subgraph(
        "archive",
        federation("key", "shareable")
        + """
type Query { feed: [Post!]! @shareable }
type Post @key(fields: "slug") { slug: String! @shareable archived: Boolean! }
""",
        resolvers={"Query.feed": lambda *_: [_archived(p) for p in POSTS]},
        entities={"Post": lambda rep: _archived(rep["slug"].removeprefix("post-"))},
    )
    return [posts, social, archive]


def _archived(post_id: str) -> dict[str, Any] | None:
    """The archive knows posts by slug only, which only the posts subgraph resolves."""
    if post_id not in POSTS:
        return None
    return {
        "__typename": "Post",
        "slug": f"post-{post_id}",
        "archived": POSTS[post_id]["views"] == 0,
    }


SHOPS: dict[str, dict[str, Any]] = {
    "s1": {
        "name": "Corner",
        "address": {"street": "1 Main St", "geo": {"lat": 1.5, "lng": 2.5, "region": "north"}},
        "staff": [{"name": "Cam", "shift": "early"}, {"name": "Dee", "shift": None}],
        "venue": {"id": "v1", "name": "Hall", "capacity": 100},
    },
    "s2": {"name": "Kiosk", "address": None, "staff": [], "venue": None},
    "s3": {
        "name": "Market",
        "address": {"street": "9 Dock Rd", "geo": None},
        "staff": [{"name": "Eve", "shift": "late"}],
        "venue": {"id": "v3", "name": "Yard", "capacity": None},
    },
}
REGIONS = {
    "north": {"name": "North", "population": 1200},
    "south": {"name": "South", "population": 0},
}


def _shop_here(shop_id: str) -> dict[str, Any]:
    record = SHOPS[shop_id]
    address = record["address"]
    return {
        "__typename": "Shop",
        "id": shop_id,
        "name": record["name"],
        "address": {"street": address["street"]} if address else None,
        "staff": [{"name": s["name"]} for s in record["staff"]],
        "venue": {"name": record["venue"]["name"]} if record["venue"] else None,
    }


def _shop_there(shop_id: str) -> dict[str, Any]:
    record = SHOPS[shop_id]
    address = record["address"]
    geo = address["geo"] if address else None
    return {
        "__typename": "Shop",
        "id": shop_id,
        "address": {
            "street": address["street"],
            "geo": {
                "lat": geo["lat"],
                "lng": geo["lng"],
                "region": {"__typename": "Region", "code": geo["region"]},
            }
            if geo
            else None,
        }
        if address
        else None,
        "staff": [dict(s) for s in record["staff"]],
        "venue": {"__typename": "Venue", **record["venue"]} if record["venue"] else None,
    }


def _venue(rep: dict[str, Any]) -> dict[str, Any] | None:
    for shop in SHOPS.values():
        if shop["venue"] and shop["venue"]["id"] == rep["id"]:
            return {"__typename": "Venue", **shop["venue"]}
    return None


def entity_through_parent() -> list[Subgraph]:
    shops = Subgraph(
        "shops",
        federation("key", "shareable")
        + """
type Query { shops: [Shop!]! shop(id: ID!): Shop }
type Shop @key(fields: "id") {
  id: ID!
  name: String!
  address: Address @shareable
  staff: [Staffer!]! @shareable
  venue: Venue @shareable
}
type Address @shareable { street: String! }
type Staffer @shareable { name: String! }
type Venue @shareable { name: String! }
""",
        resolvers={
            "Query.shops": lambda *_: [_shop_here(s) for s in SHOPS],
            "Query.shop": lambda _, __, id: _shop_here(id) if id in SHOPS else None,
        },
        entities={"Shop": lambda rep: _shop_here(rep["id"]) if rep["id"] in SHOPS else None},
    )
    geo = Subgraph(
        "geo",
        federation("key", "shareable")
        + """
type Shop @key(fields: "id") {
  id: ID!
  address: Address @shareable
  staff: [Staffer!]! @shareable
  venue: Venue @shareable
}
type Venue @key(fields: "id") { id: ID! name: String! @shareable capacity: Int }
type Address @shareable { street: String! geo: Geo }
type Geo { lat: Float! lng: Float! region: Region }
type Region @key(fields: "code") { code: ID! }
type Staffer @shareable { name: String! shift: String }
""",
        entities={
            "Shop": lambda rep: _shop_there(rep["id"]) if rep["id"] in SHOPS else None,
            "Venue": _venue,
        },
    )
    regions = Subgraph(
        "regions",
        federation("key")
        + """
type Query { regions: [Region!]! }
type Region @key(fields: "code") { code: ID! name: String! population: Int }
""",
        resolvers={"Query.regions": lambda *_: [{"code": c, **r} for c, r in REGIONS.items()]},
        entities={
            "Region": lambda rep: (
                {"code": rep["code"], **REGIONS[rep["code"]]} if rep["code"] in REGIONS else None
            )
        },
    )
    return [shops, geo, regions]
