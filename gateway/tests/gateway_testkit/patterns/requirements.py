"""@requires on fields with arguments and on fragments of abstract types, and @provides on a
field returning an interface."""

from __future__ import annotations

from typing import Any

from gateway_testkit.federated import Subgraph
from gateway_testkit.patterns.sdl import federation

ITEMS: dict[str, dict[str, Any]] = {
    "i1": {"name": "Kettle", "kg": 1.2, "ratings": [3, 4, 5], "media": ("Photo", 800)},
    "i2": {"name": "Banner", "kg": 0.5, "ratings": [], "media": ("Clip", 30)},
    "i3": {"name": "Crate", "kg": 20.0, "ratings": [1], "media": None},
}


def _weight(kg: float) -> Any:
    return lambda _, unit="KG": round(kg if unit == "KG" else kg * 2.2, 2)


def _ratings(stars: list[int]) -> Any:
    def ratings(_: Any, limit: int | None = None) -> list[dict[str, int]]:
        chosen = stars if limit is None else stars[:limit]
        return [{"stars": s} for s in chosen]

    return ratings


def _media(item_id: str) -> dict[str, Any] | None:
    media = ITEMS[item_id]["media"]
    if media is None:
        return None
    kind, size = media
    return {
        "__typename": kind,
        "id": f"m-{item_id}",
        "pixels" if kind == "Photo" else "seconds": size,
    }


def _item(item_id: str) -> dict[str, Any]:
    record = ITEMS[item_id]
    return {
        "__typename": "Item",
        "id": item_id,
        "name": record["name"],
        "weight": _weight(record["kg"]),
        "ratings": _ratings(record["ratings"]),
        "media": _media(item_id),
    }


def _shipping(rep: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {"__typename": "Item", "id": rep["id"]}
    if "weight" in rep:
        found["shippingCost"] = round(rep["weight"] * 3, 2)
    if "ratings" in rep:
        found["topStars"] = max((r["stars"] for r in rep["ratings"]), default=None)
        found["ratingCount"] = len(rep["ratings"])
    if "media" in rep:
        media = rep["media"]
        found["mediaSize"] = None if media is None else media.get("pixels", media.get("seconds"))
    return found


def requires_with_arguments() -> list[Subgraph]:
    items = Subgraph(
        "items",
        federation("key", "shareable")
        + """
type Query { items: [Item!]! item(id: ID!): Item }
enum Unit { KG LB }
type Item @key(fields: "id") {
  id: ID!
  name: String!
  weight(unit: Unit! = KG): Float!
  ratings(limit: Int): [Rating!]!
  media: Media
}
type Rating @shareable { stars: Int! }
interface Media { id: ID! }
type Photo implements Media @shareable { id: ID! pixels: Int! }
type Clip implements Media @shareable { id: ID! seconds: Int! }
""",
        resolvers={
            "Query.items": lambda *_: [_item(i) for i in ITEMS],
            "Query.item": lambda _, __, id: _item(id) if id in ITEMS else None,
        },
        entities={"Item": lambda rep: _item(rep["id"]) if rep["id"] in ITEMS else None},
    )
    shipping = Subgraph(
        "shipping",
        federation("key", "shareable", "external", "requires")
        + """
enum Unit { KG LB }
type Item @key(fields: "id") {
  id: ID!
  weight(unit: Unit! = KG): Float! @external
  ratings(limit: Int): [Rating!]! @external
  media: Media @external
  shippingCost: Float! @requires(fields: "weight(unit: LB)")
  topStars: Int @requires(fields: "ratings(limit: 2) { stars }")
  ratingCount: Int! @requires(fields: "ratings { stars }")
  mediaSize: Int @requires(fields: "media { ... on Photo { pixels } ... on Clip { seconds } }")
}
type Rating @shareable { stars: Int! }
interface Media { id: ID! }
type Photo implements Media @shareable { id: ID! pixels: Int! }
type Clip implements Media @shareable { id: ID! seconds: Int! }
""",
        entities={"Item": _shipping},
    )
    return [items, shipping]


WORKS: dict[str, dict[str, Any]] = {
    "w1": {"__typename": "Novel", "title": "Dune", "pages": 412},
    "w2": {"__typename": "Poem", "title": "Ozymandias", "lines": 14},
    "w3": {"__typename": "Novel", "title": "Emma", "pages": 474},
}
SHELVES = [("Classics", "w3"), ("Verse", "w2"), ("Empty", None)]


def _work(work_id: str) -> dict[str, Any] | None:
    found = WORKS.get(work_id)
    return {"id": work_id, **found} if found else None


def _provided(work_id: str | None) -> dict[str, Any] | None:
    """The shelf's own copy of a work: its title as the shelf labels it, pages for novels."""
    if work_id is None:
        return None
    work = WORKS[work_id]
    provided = {
        "__typename": work["__typename"],
        "id": work_id,
        "title": f"{work['title']} (shelf)",
    }
    if "pages" in work:
        provided["pages"] = work["pages"] + 1
    return provided


def _reference(work_id: str | None) -> dict[str, Any] | None:
    return {"__typename": WORKS[work_id]["__typename"], "id": work_id} if work_id else None


def provides_on_interface() -> list[Subgraph]:
    works = Subgraph(
        "works",
        federation("key", "shareable")
        + """
type Query { works: [Work!]! }
interface Work @key(fields: "id") { id: ID! title: String! }
type Novel implements Work @key(fields: "id") {
  id: ID!
  title: String! @shareable
  pages: Int! @shareable
}
type Poem implements Work @key(fields: "id") { id: ID! title: String! @shareable lines: Int! }
""",
        resolvers={"Query.works": lambda *_: [_work(w) for w in WORKS]},
        entities={
            "Work": lambda rep: _work(rep["id"]),
            "Novel": lambda rep: _work(rep["id"]),
            "Poem": lambda rep: _work(rep["id"]),
        },
    )
    library = Subgraph(
        "library",
        federation("key", "external", "provides")
        + """
type Query { shelves: [Shelf!]! }
type Shelf {
  label: String!
  highlight: Work @provides(fields: "... on Novel { title pages } ... on Poem { title }")
  plain: Work
}
interface Work { id: ID! title: String! }
type Novel implements Work @key(fields: "id") {
  id: ID!
  title: String! @external
  pages: Int! @external
}
type Poem implements Work @key(fields: "id") { id: ID! title: String! @external }
""",
        resolvers={
            "Query.shelves": lambda *_: [
                {
                    "label": label,
                    "highlight": _provided(work),
                    "plain": {"__typename": WORKS[work]["__typename"], "id": work}
                    if work
                    else None,
                }
                for label, work in SHELVES
            ]
        },
    )
    return [works, library]
